"""Actors: a gazetteer maps the many names of an actor to one, per sentence.

The gazetteer (``lexicons/framing_actors.csv``) has ``actor_id, canonical,
aliases ('|'-separated), type, side`` and optional ``context`` and ``match``.
Aliases are matched with the cue engine (longest match wins, diacritics folded
so İlham matches Ilham). An alias listed by several rows with
``context=document`` ("Foreign Ministry", "the Government") names a different
actor depending on the text; it resolves to the candidate whose side the
document's metadata (``side_column``) or, failing that, the majority of its
unambiguous mentions favours, and is marked ``ambiguous`` when neither decides.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..lexicons import Lexicon, LexiconError, load_lexicon
from .cues import match_cues, normalise
from .keys import SHIFT, doc_codes

GAZETTEER_COLUMNS = ("actor_id", "canonical", "aliases", "type", "side")
MENTION_COLUMNS = ["doc_id", "sent_id", "start", "end", "matched", "actor_id", "canonical", "type", "side",
                   "resolved"]
CANDIDATE_COLUMNS = ["candidate", "mentions", "documents"]
#: Sides that never decide which national actor a context-dependent alias names.
NON_PARTY_SIDES = frozenset({"", "international", "neutral", "other"})
_CONNECTORS = frozenset({"of", "for", "and", "de", "al"})
_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december""".split())


def load_gazetteer(source=None) -> Lexicon:
    """The bundled actor gazetteer, or a user's (path or DataFrame with the same columns)."""
    lexicon = load_lexicon("framing_actors" if source is None else source, required=GAZETTEER_COLUMNS)
    table = lexicon.table.copy()
    for column in ("context", "match"):
        if column not in table.columns:
            table[column] = ""
    table["match"] = table["match"].replace("", "phrase")
    plain = table[table["context"] != "document"]
    dup = plain.index[plain.duplicated("actor_id")]
    if len(dup):
        raise LexiconError(f"{lexicon.path}, line {dup[0] + 2}: duplicate actor_id {table.at[dup[0], 'actor_id']!r}")
    return Lexicon(table, lexicon.meta, lexicon.path)


def gazetteer_from_entities(entities, *, heads: bool = True) -> pd.DataFrame:
    """A gazetteer from any list of entity names (one actor each, side blank).

    With ``heads``, a multi-word name whose last word is capitalised also matches
    by that word ("Republican Rep. Matt Gaetz" -> "Gaetz"), as news refers back to
    people by surname; a head shared by two entities is left out.
    """
    names = list(dict.fromkeys(str(e).strip() for e in entities if str(e).strip()))
    heads_of = {n: n.split()[-1].strip(".,") for n in names if len(n.split()) > 1 and n.split()[-1][:1].isupper()}
    counts = pd.Series(list(heads_of.values()), dtype=object).value_counts()
    rows = []
    for i, name in enumerate(names):
        aliases = [name]
        head = heads_of.get(name)
        if heads and head and counts.get(head, 0) == 1 and len(head) > 2 and head not in names:
            aliases.append(head)
        rows.append({"actor_id": f"e{i}", "canonical": name, "aliases": "|".join(a.replace("|", " ") for a in aliases),
                     "type": "entity", "side": "", "context": "", "match": "phrase"})
    return pd.DataFrame(rows, columns=[*GAZETTEER_COLUMNS, "context", "match"])


def alias_cues(gazetteer: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(cues, candidates)``: one cue per distinct alias, and the actor rows each alias may name."""
    cue_rows, candidate_rows, seen = [], [], {}
    for row in gazetteer.itertuples(index=False):
        for alias in str(row.aliases).split("|"):
            alias = alias.strip()
            if not alias:
                continue
            key = (normalise(alias) if row.match != "regex" else alias, row.match)
            if key not in seen:
                seen[key] = f"alias{len(seen)}"
                cue_rows.append({"cue_id": seen[key], "layer": "actor", "category": "", "pattern": alias,
                                 "match": row.match, "weight": 1.0, "negation_sensitive": "no"})
            candidate_rows.append({"cue_id": seen[key], "actor_id": row.actor_id, "canonical": row.canonical,
                                   "type": row.type, "side": row.side, "context": row.context})
    candidates = pd.DataFrame(candidate_rows, columns=["cue_id", "actor_id", "canonical", "type", "side", "context"])
    return pd.DataFrame(cue_rows), candidates.drop_duplicates(["cue_id", "actor_id"])


def find_actors(sentences: pd.DataFrame, *, gazetteer=None, documents: pd.DataFrame | None = None,
                side_column: str = "side") -> pd.DataFrame:
    """One row per actor mention (``MENTION_COLUMNS``); offsets into ``clean_text``.

    ``gazetteer``: None (bundled), a path, a DataFrame with the gazetteer columns,
    or a list of entity names (see ``gazetteer_from_entities``).
    """
    table = _gazetteer_table(gazetteer)
    if table.empty or sentences.empty:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    cues, candidates = alias_cues(table)
    return mentions_from_hits(match_cues(sentences, cues), candidates, documents=documents, side_column=side_column)


def mentions_from_hits(hits: pd.DataFrame, candidates: pd.DataFrame, *, documents: pd.DataFrame | None = None,
                       side_column: str = "side") -> pd.DataFrame:
    """``find_actors`` from the alias-cue hits (``match_cues`` with ``alias_cues``' cues) and candidates.

    A hit whose cue has one candidate takes it ('unique'); one with several takes the first whose
    side is the document's (``_document_sides``), else the first ('ambiguous')."""
    if hits.empty:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    hits = hits.reset_index(drop=True)
    code, cues = pd.factorize(candidates["cue_id"])
    order = np.argsort(code, kind="stable")  # candidate rows grouped by cue, each group in table order
    first = np.searchsorted(code[order], np.arange(len(cues)))
    at = pd.Index(cues).get_indexer(hits["cue_id"])
    found = at >= 0
    n = np.where(found, np.bincount(code, minlength=len(cues))[np.maximum(at, 0)], 1)  # no candidate: one empty row
    pick = np.where(found, order[np.minimum(first[np.maximum(at, 0)], max(len(order) - 1, 0))], -1) if len(order) \
        else np.full(len(hits), -1)
    resolved = np.where(n == 1, "unique", "").astype(object)
    unique = np.flatnonzero(n == 1)
    doc_side = _document_sides(pd.DataFrame({"doc_id": hits["doc_id"].take(unique).array,
                                             "side": candidates["side"].array.take(pick[unique], allow_fill=True)}),
                               documents, side_column)
    multi = np.flatnonzero(n > 1)
    if len(multi):
        row = pd.Index(doc_side["doc_id"]).get_indexer(hits["doc_id"].take(multi))
        wanted = np.append(doc_side["doc_side"].to_numpy(dtype=object), None)[row]  # None: no side for the document
        source = np.append(doc_side["side_source"].to_numpy(dtype=object), None)[row]
        sides = candidates["side"].to_numpy(dtype=object)
        for h, want, why in zip(multi.tolist(), wanted.tolist(), source.tolist()):
            options = order[first[at[h]]:first[at[h]] + n[h]].tolist()
            fit = next((c for c in options if why is not None and sides[c] == want), None)
            pick[h], resolved[h] = (fit, why) if fit is not None else (options[0], "ambiguous")
    key = hits[["doc_id"]].iloc[:1].merge(doc_side, on="doc_id", how="left")["doc_id"]  # the type a merge once gave
    return pd.DataFrame({
        "doc_id": hits["doc_id"].astype(key.dtype), "sent_id": hits["sent_id"], "start": hits["start"],
        "end": hits["end"], "matched": hits["matched"],
        **{c: candidates[c].array.take(pick, allow_fill=True) for c in ("actor_id", "canonical", "type", "side")},
        "resolved": resolved}, columns=MENTION_COLUMNS)


def _gazetteer_table(gazetteer) -> pd.DataFrame:
    if isinstance(gazetteer, (list, tuple, pd.Series, set)):
        return gazetteer_from_entities(gazetteer)
    return load_gazetteer(gazetteer).table


def _document_sides(unique: pd.DataFrame, documents, side_column: str) -> pd.DataFrame:
    """Per document: the side that decides context aliases, and where it came from."""
    party = unique[~unique["side"].isin(NON_PARTY_SIDES)]
    counts = party.groupby(["doc_id", "side"]).size().rename("n").reset_index()
    top = counts.sort_values(["doc_id", "n"], ascending=[True, False], kind="stable")
    rank = top.groupby("doc_id").cumcount()
    runner_up = top[rank == 1].set_index("doc_id")["n"]
    best = top[rank == 0].set_index("doc_id")
    clear = best["n"] > runner_up.reindex(best.index).fillna(0)
    sides = pd.DataFrame({"doc_id": best.index[clear], "doc_side": best["side"][clear].to_numpy(),
                          "side_source": "document majority"})
    if documents is not None and side_column in documents.columns:
        meta = documents[["doc_id", side_column]].rename(columns={side_column: "doc_side"})
        meta = meta[meta["doc_side"].notna() & (meta["doc_side"].astype(str) != "")].assign(side_source="metadata side")
        sides = pd.concat([meta, sides[~sides["doc_id"].isin(meta["doc_id"])]])
    return sides.astype({"doc_side": object})


def stat_actors(mentions: pd.DataFrame, *, by: str = "canonical") -> pd.DataFrame:
    """Mentions per actor: ``actor, side, type, mentions, documents, sentences``, most mentioned first."""
    columns = ["actor", "side", "type", "mentions", "documents", "sentences"]
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    table = mentions.groupby(by).agg(side=("side", "first"), type=("type", "first"), mentions=("start", "size"),
                                     documents=("doc_id", "nunique"))
    table["sentences"] = mentions.drop_duplicates([by, "doc_id", "sent_id"]).groupby(by).size()
    return table.rename_axis("actor").reset_index().sort_values("mentions", ascending=False, kind="stable")[columns]


def suggest_actors(tokens: pd.DataFrame, mentions: pd.DataFrame, *, min_count: int = 2) -> pd.DataFrame:
    """Candidate actors: capitalised names (runs of capitalised words, 'of'/'for' inside)
    that recur at least ``min_count`` times and overlap no gazetteer mention.

    Vectorised: the capital test once per distinct content word, runs found on arrays, text
    joined only for the runs kept."""
    return candidates_at(tokens, np.arange(len(tokens)), mentions, min_count=min_count)


def candidates_at(tokens: pd.DataFrame, rows: np.ndarray, mentions: pd.DataFrame, *, min_count: int = 2) -> pd.DataFrame:
    """``suggest_actors`` on the tokens at positions ``rows`` (in order), without copying them out."""
    if not len(rows):
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    words = tokens["token"].to_numpy(dtype=object)
    is_word, is_stop = tokens["is_word"].to_numpy(bool)[rows], tokens["is_stop"].to_numpy(bool)[rows]
    content = np.flatnonzero(is_word & ~is_stop)
    types, forms = pd.factorize(words[rows[content]], use_na_sentinel=False)
    capital = np.fromiter((isinstance(f, str) and f[:1].isalpha() and f[:1].upper() == f[:1] for f in forms),
                          dtype=bool, count=len(forms))
    is_cap = np.zeros(len(rows), dtype=bool)
    is_cap[content] = capital[types]
    doc, m_doc = doc_codes(tokens["doc_id"], mentions["doc_id"])
    doc, sent = doc[rows], tokens["sent_id"].to_numpy()[rows]
    new_sentence = np.ones(len(rows), dtype=bool)
    new_sentence[1:] = (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])
    between = np.flatnonzero(np.append(False, is_cap[:-1]) & np.append(is_cap[1:], False) & ~new_sentence)
    lower = tokens["lower"].to_numpy(dtype=object)[rows[between]]
    in_name = is_cap.copy()
    in_name[between] |= np.fromiter((w in _CONNECTORS for w in lower), dtype=bool, count=len(lower))
    starts_run = new_sentence.copy()
    starts_run[1:] |= in_name[1:] != in_name[:-1]
    first = np.flatnonzero(in_name & starts_run)
    boundary = np.append(np.flatnonzero(~in_name | new_sentence), len(rows))
    last = boundary[np.searchsorted(boundary, first, side="right")]  # one past each run's last token
    n = last - first
    start = tokens["start"].to_numpy(np.int64)[rows]
    covered = np.concatenate(([0], np.cumsum(_covered(doc, start, m_doc, mentions))))
    keep = (covered[last] - covered[first]) == 0
    single = n == 1
    keep &= ~(single & new_sentence[first])
    check = np.flatnonzero(keep & single)
    keep[check] = [str(f).lower() not in _CALENDAR for f in words[rows[first[check]]]]
    if not keep.any():
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    first, last, single = first[keep], last[keep], single[keep]
    text = words[rows[first]]
    text[~single] = [" ".join(words[rows[a:b]]) for a, b in zip(first[~single].tolist(), last[~single].tolist())]
    code, names = pd.factorize(text)
    n_names = len(names)
    documents = np.bincount(np.unique(doc[first] * n_names + code) % n_names, minlength=n_names)
    table = pd.DataFrame({"candidate": names, "mentions": np.bincount(code, minlength=n_names),
                          "documents": documents})
    table = table[table["mentions"] >= min_count]
    return table.sort_values(["mentions", "candidate"], ascending=[False, True])[CANDIDATE_COLUMNS].reset_index(drop=True)


def merge_candidates(parts: list[pd.DataFrame], *, min_count: int = 2) -> pd.DataFrame:
    """``suggest_actors`` for a whole corpus from its chunks' ``suggest_actors(..., min_count=1)`` tables:
    a document lies in one chunk, so mentions and documents add up; ``min_count`` applies to the sums."""
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    table = pd.concat(parts, ignore_index=True).groupby("candidate").agg(
        mentions=("mentions", "sum"), documents=("documents", "sum")).reset_index()
    table = table[table["mentions"] >= min_count]
    return table.sort_values(["mentions", "candidate"], ascending=[False, True])[CANDIDATE_COLUMNS].reset_index(drop=True)


def _covered(doc: np.ndarray, start: np.ndarray, m_doc: np.ndarray, mentions: pd.DataFrame) -> np.ndarray:
    """True for tokens (document codes ``doc``, offsets ``start``, in text order) inside an actor
    mention (``m_doc``: the mentions' codes); a vectorised interval cover."""
    if mentions.empty:
        return np.zeros(len(doc), dtype=bool)
    key = doc * SHIFT + start
    lo = np.searchsorted(key, m_doc * SHIFT + mentions["start"].to_numpy(np.int64), side="left")
    hi = np.searchsorted(key, m_doc * SHIFT + mentions["end"].to_numpy(np.int64), side="left")
    diff = np.zeros(len(key) + 1, dtype=np.int64)
    np.add.at(diff, lo, 1)
    np.add.at(diff, hi, -1)
    return np.cumsum(diff)[:-1] > 0
