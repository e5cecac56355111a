"""Persuasion-technique cues with surface markers, and repetition computed from the text.

Techniques after Da San Martino et al. (2019) and SemEval-2023 Task 3
(Piskorski et al. 2023): loaded language, name calling / labelling,
flag-waving, appeal to authority, appeal to values, appeal to fear,
exaggeration, doubt ("so-called", "alleged"), appeal to time and slogans are
lexicon cues (``lexicons/framing_persuasion.csv``). Repetition is computed: a
word pair or triple of content words (no stopword at either end, no
punctuation inside) that recurs ``min_repeats`` or more times in one document;
every occurrence is a hit. Names are not a technique: n-grams overlapping an
actor mention (given ``mentions``) or holding a title word ("mr president",
"prime minister") are left out. Techniques that need a reader (straw man, red
herring, whataboutism) are not attempted.
"""
from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from ..lexicons import Lexicon
from ..tables import labelled
from .actors import _covered
from .cues import AUDIT_COLUMNS, CueSet, compiled, load_cue_table, match_cues
from .keys import by_doc_and_start, doc_codes, sentence_rows, sentence_values

#: Words of titles and forms of address, never part of a repeated phrase.
TITLE_WORDS = frozenset("""president presidents prime minister ministers ministry secretary general chancellor king
    queen ambassador spokesman spokeswoman spokesperson mr mrs ms dr sir madam excellency""".split())


def load_persuasion_cues(source=None) -> Lexicon:
    """The bundled persuasion cues or a user's file (``cue_id, category, pattern, match``)."""
    return load_cue_table("framing_persuasion" if source is None else source,
                          required=("cue_id", "category", "pattern", "match"))


def find_persuasion(sentences: pd.DataFrame, tokens: pd.DataFrame, *, lexicon=None, min_repeats: int = 3,
                    negators=None, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Audit table of persuasion cues (``layer`` 'persuasion'), repetition included (actor ``mentions`` not)."""
    cues = match_cues(sentences, persuasion_cues(lexicon), tokens=tokens, negators=negators)
    return with_repetition(cues, sentences, tokens, min_repeats=min_repeats, mentions=mentions)


def persuasion_cues(lexicon=None) -> CueSet:
    """The persuasion lexicon as a compiled cue set (``layer`` 'persuasion')."""
    lex = load_persuasion_cues(lexicon)
    return compiled(lex.table.assign(layer="persuasion"), source=lex.path)


def with_repetition(cues: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame, *,
                    min_repeats: int = 3, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Persuasion-cue hits (``match_cues`` with ``persuasion_cues``) plus repetition, in text order."""
    repeats = find_repetition(sentences, tokens, min_repeats=min_repeats, mentions=mentions)
    parts = [p for p in (cues, repeats) if not p.empty]
    if not parts:
        return cues
    table = pd.concat(parts, ignore_index=True)
    return table.take(by_doc_and_start(table["doc_id"], table["start"])).reset_index(drop=True)


def find_repetition(sentences: pd.DataFrame, tokens: pd.DataFrame, *, min_repeats: int = 3,
                    sizes: tuple[int, ...] = (3, 2), mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Hits for content n-grams (lower-cased, lemmatised) that recur ``min_repeats``+ times in a document,
    none of whose words is a title word or inside an actor mention (``mentions``, offsets into clean_text).

    Longer n-grams first; a shorter one inside a repeated longer one is not counted again.
    Vectorised on integer codes (document, sentence, lemma): n-grams are compared as code tuples,
    lemmas coded only where some n-gram could start or run.
    """
    if tokens.empty or sentences.empty:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    inside, sent_row = sentence_rows(sentences, tokens)  # tokens of the sentences given
    doc = doc_codes(sentences["doc_id"])[0][sent_row]
    is_word = tokens["is_word"].to_numpy(bool)[inside]
    is_stop = tokens["is_stop"].to_numpy(bool)[inside]
    is_word &= ~_names(tokens, inside, doc, sentences, mentions)
    n_tok = len(inside)
    grams = {}  # n -> (start positions of candidate n-grams, before the longer ones take their tokens)
    for n in sizes:
        ok = ~is_stop & is_word
        for k in range(1, n):
            ahead = np.zeros(n_tok, dtype=bool)
            ahead[:max(n_tok - k, 0)] = (sent_row[k:] == sent_row[:-k]) & is_word[k:]
            ok &= ahead
        last_ok = np.zeros(n_tok, dtype=bool)
        last_ok[:max(n_tok - (n - 1), 0)] = ~is_stop[n - 1:]
        grams[n] = np.flatnonzero(ok & last_ok)
    member = np.zeros(n_tok, dtype=bool)
    for n, pos in grams.items():
        for k in range(n):
            member[pos + k] = True
    members = np.flatnonzero(member)
    codes = np.full(n_tok, -1, dtype=np.int64)
    codes[members], labels = _lemma_codes(tokens["lemma"].to_numpy(dtype=object)[inside[members]])
    spaced = labels.str.contains(" ").any()  # then two lemma tuples can join to the same text
    taken = np.zeros(n_tok, dtype=bool)
    picked = []
    for n in sizes:
        pos = grams[n]
        pos = pos[~taken[pos] & ~taken[pos + n - 1]]
        if spaced:  # compare the texts
            ids = pd.factorize(doc[pos] * len(pos) + pd.factorize(_joined(labels, codes, pos, n))[0])[0]
        else:
            ids = doc[pos]
            for k in range(n):
                ids = pd.factorize(ids * len(labels) + codes[pos + k])[0]
        rep = pos[np.bincount(ids)[ids] >= min_repeats] if len(pos) else pos
        if not len(rep):
            continue
        for k in range(n):
            taken[rep + k] = True
        picked.append((rep, n))
    if not picked:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    text = pd.concat([_joined(labels, codes, rep, n) for rep, n in picked], ignore_index=True)
    pos = np.concatenate([p for p, _ in picked])
    last = np.concatenate([p + n - 1 for p, n in picked])
    rows = sent_row[pos]
    sentence = sentences["text"].to_numpy(dtype=object)[rows]  # references, no copy per hit
    sent_start = sentences["start"].to_numpy(np.int64)[rows]
    start = tokens["start"].to_numpy()[inside[pos]]
    end = tokens["end"].to_numpy(np.int64)[inside[last]]
    local0, local1 = (start - sent_start).tolist(), (end - sent_start).tolist()
    table = pd.DataFrame({
        "doc_id": tokens["doc_id"].iloc[inside[pos]].reset_index(drop=True),
        "sent_id": tokens["sent_id"].iloc[inside[pos]].reset_index(drop=True), "layer": "persuasion",
        "category": "repetition", "cue_id": "repetition:" + text,
        "matched": [s[a:b] for s, a, b in zip(sentence.tolist(), local0, local1)],
        "start": start, "end": end, "weight": 1.0, "negated": False,
    })
    return table.take(by_doc_and_start(table["doc_id"], table["start"])).reset_index(drop=True)


def _names(tokens: pd.DataFrame, inside: np.ndarray, doc: np.ndarray, sentences: pd.DataFrame,
           mentions: pd.DataFrame | None) -> np.ndarray:
    """True for the tokens at ``inside`` (document codes ``doc``, as ``doc_codes(sentences['doc_id'])``) that are
    title words or lie inside an actor mention."""
    codes, forms = pd.factorize(tokens["lemma"].to_numpy(dtype=object)[inside])
    names = np.isin(forms, list(TITLE_WORDS))[codes] if len(forms) else np.zeros(len(inside), dtype=bool)
    names &= codes >= 0
    if mentions is not None and len(mentions):
        m_doc = doc_codes(sentences["doc_id"], mentions["doc_id"])[1]
        names |= _covered(doc, tokens["start"].to_numpy(np.int64)[inside], m_doc, mentions)
    return names


def _lemma_codes(lemma: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Integer code of each lemma's text (``astype(str)``) and the texts."""
    codes, uniques = pd.factorize(lemma, use_na_sentinel=False)
    texts = pd.Series(uniques, dtype=object).astype(str)
    remap, labels = pd.factorize(texts)  # two values with the same text share a code
    return remap[codes], pd.Series(labels).astype(str)


def _joined(labels: pd.Series, codes: np.ndarray, pos: np.ndarray, n: int) -> pd.Series:
    """The n-gram text at each position: its lemmas joined by spaces."""
    text = labels.iloc[codes[pos]].reset_index(drop=True)
    for k in range(1, n):
        text = text + " " + labels.iloc[codes[pos + k]].reset_index(drop=True)
    return text


def score_persuasion(hits: pd.DataFrame, sentences: pd.DataFrame, *, by: str = "doc_id") -> pd.DataFrame:
    """Per group and technique: hits, hits per 1,000 tokens and the distinct cue words (most frequent first)."""
    columns = [by, "category", "hits", "density", "cues"]
    live = hits[~hits["negated"].astype(bool)] if not hits.empty else hits
    if live.empty:
        return pd.DataFrame(columns=columns)
    sentences = labelled(sentences, by)
    tokens = sentences.groupby(by)["n_tokens"].sum()
    if by != "doc_id":  # the group by sentence key, under a name no hit column has (hits carry a lexicon's source)
        group = sentence_values(live, sentences, by)
        live = live.assign(_group=group)[pd.notna(group)]
    grouped = live.groupby(["_group" if by != "doc_id" else by, "category"])
    table = grouped.agg(hits=("cue_id", "size")).reset_index().rename(columns={"_group": by})
    table["cues"] = _top_cue_words(grouped.ngroup().to_numpy(), live["matched"].str.lower(), len(table))
    n_tokens = pd.Series(tokens.reindex(table[by].to_numpy()).to_numpy(), index=table.index)  # not .map: on a
    table["density"] = 1000 * table["hits"] / n_tokens.where(n_tokens > 0)  # Categorical it can give a Categorical
    return table.sort_values([by, "hits"], ascending=[True, False], kind="stable")[columns].reset_index(drop=True)


def _top_cue_words(group: np.ndarray, words: pd.Series, n_groups: int, top: int = 6) -> list[str]:
    """Per group, its ``top`` distinct words, most frequent first, ties in order of first
    appearance (what ``value_counts`` gives), joined with ", "; one pass for all groups."""
    code, uniques = pd.factorize(words)
    size = max(len(uniques), 1)
    valid = np.flatnonzero((code >= 0) & (group >= 0))  # missing words and groups are left out
    pairs, first, n = np.unique(group[valid] * size + code[valid], return_index=True, return_counts=True)
    ranked = pairs[np.lexsort((valid[first], -n, pairs // size))]  # group, most frequent, first seen
    owner = ranked // size
    ranked = ranked[np.arange(len(ranked)) - np.searchsorted(owner, owner) < top]
    names = np.asarray(uniques, dtype=object)[ranked % size]
    bounds = np.searchsorted(ranked // size, np.arange(n_groups + 1))
    return [", ".join(names[a:b]) for a, b in pairwise(bounds)]
