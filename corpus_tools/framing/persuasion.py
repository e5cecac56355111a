"""Persuasion-technique cues with surface markers, and repetition computed from the text.

Techniques after Da San Martino et al. (2019) and SemEval-2023 Task 3
(Piskorski et al. 2023): loaded language, name calling / labelling,
flag-waving, appeal to authority, appeal to values, appeal to fear,
exaggeration, doubt ("so-called", "alleged"), appeal to time and slogans are
lexicon cues (``lexicons/framing_persuasion.csv``). Repetition is computed: a
word pair or triple of content words (no stopword at either end, no
punctuation inside) that recurs ``min_repeats`` or more times in one document;
every occurrence is a hit. Techniques that need a reader (straw man, red
herring, whataboutism) are not attempted.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..lexicons import Lexicon
from .cues import AUDIT_COLUMNS, compiled, load_cue_table, match_cues


def load_persuasion_cues(source=None) -> Lexicon:
    """The bundled persuasion cues or a user's file (``cue_id, category, pattern, match``)."""
    return load_cue_table("framing_persuasion" if source is None else source,
                          required=("cue_id", "category", "pattern", "match"))


def find_persuasion(sentences: pd.DataFrame, tokens: pd.DataFrame, *, lexicon=None, min_repeats: int = 3,
                    negators=None) -> pd.DataFrame:
    """Audit table of persuasion cues (``layer`` 'persuasion'), repetition included."""
    lex = load_persuasion_cues(lexicon)
    cues = match_cues(sentences, compiled(lex.table.assign(layer="persuasion"), source=lex.path), tokens=tokens,
                      negators=negators)
    repeats = find_repetition(sentences, tokens, min_repeats=min_repeats)
    parts = [p for p in (cues, repeats) if not p.empty]
    if not parts:
        return cues
    return pd.concat(parts, ignore_index=True).sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def find_repetition(sentences: pd.DataFrame, tokens: pd.DataFrame, *, min_repeats: int = 3,
                    sizes: tuple[int, ...] = (3, 2)) -> pd.DataFrame:
    """Hits for content n-grams (lower-cased, lemmatised) that recur ``min_repeats``+ times in a document.

    Longer n-grams first; a shorter one inside a repeated longer one is not counted again.
    """
    if tokens.empty or sentences.empty:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    keep = sentences[["doc_id", "sent_id", "text", "start"]].rename(columns={"start": "sent_start",
                                                                            "text": "sentence"})
    tok = tokens.merge(keep[["doc_id", "sent_id"]], on=["doc_id", "sent_id"]).reset_index(drop=True)
    taken = np.zeros(len(tok), dtype=bool)
    parts = []
    for n in sizes:
        same = np.ones(len(tok), dtype=bool)
        for k in range(1, n):
            same &= ((tok["doc_id"].shift(-k) == tok["doc_id"]) & (tok["sent_id"].shift(-k) == tok["sent_id"])
                     & tok["is_word"].shift(-k, fill_value=False).astype(bool)).to_numpy()
        words = tok["is_word"].to_numpy() & same
        ends_ok = ~tok["is_stop"].to_numpy() & words
        last_ok = ~tok["is_stop"].shift(-(n - 1), fill_value=True).astype(bool).to_numpy()
        free = ~taken & ~np.roll(taken, -(n - 1)) if n > 1 else ~taken
        start_ok = ends_ok & last_ok & free
        gram = tok["lemma"].astype(str)
        for k in range(1, n):
            gram = gram + " " + tok["lemma"].shift(-k, fill_value="").astype(str)
        cand = tok.assign(gram=gram, end_char=tok["end"].shift(-(n - 1)), pos=np.arange(len(tok)))[start_ok]
        counts = cand.groupby(["doc_id", "gram"])["pos"].transform("size")
        rep = cand[counts >= min_repeats]
        if rep.empty:
            continue
        for k in range(n):
            taken[rep["pos"].to_numpy() + k] = True
        parts.append(rep.assign(category="repetition", n=n))
    if not parts:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    rep = pd.concat(parts, ignore_index=True).merge(keep, on=["doc_id", "sent_id"])
    rep = rep.assign(end=rep["end_char"].astype(np.int64))
    local0 = (rep["start"] - rep["sent_start"]).to_numpy()
    local1 = (rep["end"] - rep["sent_start"]).to_numpy()
    return pd.DataFrame({
        "doc_id": rep["doc_id"], "sent_id": rep["sent_id"], "layer": "persuasion", "category": "repetition",
        "cue_id": "repetition:" + rep["gram"], "matched": [s[a:b] for s, a, b in zip(rep["sentence"], local0, local1)],
        "start": rep["start"], "end": rep["end"], "weight": 1.0, "negated": False, "sentence": rep["sentence"],
    }).sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def score_persuasion(hits: pd.DataFrame, sentences: pd.DataFrame, *, by: str = "doc_id") -> pd.DataFrame:
    """Per group and technique: hits, hits per 1,000 tokens and the distinct cue words (most frequent first)."""
    columns = [by, "category", "hits", "density", "cues"]
    live = hits[~hits["negated"].astype(bool)] if not hits.empty else hits
    if live.empty:
        return pd.DataFrame(columns=columns)
    tokens = sentences.groupby(by)["n_tokens"].sum()
    if by != "doc_id":
        live = live.merge(sentences[["doc_id", "sent_id", by]], on=["doc_id", "sent_id"])
    table = live.groupby([by, "category"]).agg(
        hits=("cue_id", "size"),
        cues=("matched", lambda m: ", ".join(pd.Series(m).str.lower().value_counts().index[:6]))).reset_index()
    table["density"] = 1000 * table["hits"] / table[by].map(tokens).where(lambda t: t > 0)
    return table.sort_values([by, "hits"], ascending=[True, False], kind="stable")[columns].reset_index(drop=True)
