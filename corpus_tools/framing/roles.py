"""Entity roles with direction: protagonist / antagonist / innocent (hero / villain / victim).

A role cue (``lexicons/framing_roles.csv``) names an act or a label and the role
it gives an entity as its *doer* and as its *target*.

* **Directional cues** (doer and target roles differ: "attack", "protect",
  "accuse") are linked by the clause rules of ``clauses.py``: agent, patient and
  claimant read from word order, voice, negation, coordination and reported speech
  ("Y was attacked by X", "X did not attack Y", "X accused Y of attacking Z").
  Evidence ``link`` = 'clause', with ``claimed_by`` (who asserts it; blank = the text).
* **Labels and states** (the same role either way: "aggressor", "brave",
  "displaced") go to the nearest mention: at most ``label_window`` tokens away in
  the same sentence with no other role cue and no clause break (``, ; : ( )`` or a
  quote mark) between, or overlapping it ("displaced Azerbaijanis"); a mention after
  *in/at/to/into...* is a place or recipient and is not linked (``link`` = 'window').

Roles and fine roles follow SemEval-2025 Task 10 (Piskorski et al. 2025) and
Frermann et al. (2023). Per document and actor the role with the largest
weighted evidence wins; confidence = its share of the evidence weight x w/(w+1)
(w = total evidence weight), so one cue never gives more than 0.5.
"""
from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..lexicons import Lexicon
from .actors import find_actors
from .clauses import clause_links
from .cues import CueSet, compiled, load_cue_table, match_cues
from .keys import SHIFT, doc_codes, sentence_keys, sentence_text

ROLES = ("protagonist", "antagonist", "innocent")
NARRATIVE_ROLE = {"protagonist": "hero", "antagonist": "villain", "innocent": "victim"}
EVIDENCE_COLUMNS = ["doc_id", "sent_id", "actor_id", "canonical", "side", "mention", "cue_id", "act", "matched",
                    "direction", "link", "claimed_by", "role", "fine_role", "weight", "start", "end"]
#: Weight of a sentence-level (backoff) link relative to a window link.
BACKOFF_WEIGHT = 0.5
ROLE_COLUMNS = ["doc_id", "actor_id", "canonical", "side", "role", "fine_role", "confidence", "n_evidence",
                "protagonist", "antagonist", "innocent", "evidence"]
_BE = frozenset("is are was were be been being get got gets getting has have had".split())
_AGENT_PREPS = frozenset({"by", "from"})
_SKIP_BEFORE_MENTION = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these",
                                  "those", "all", "both"})
_AFTER_PARTICIPLE = frozenset("by in during on at for when while as after before from since near".split())
_BREAKS = frozenset({";", ":", "(", ")", "—", "–", ",", '"', "“", "”"})
#: A mention after one of these is a place or a recipient, not a party to the act.
_LOCATIVE = frozenset({"in", "at", "near", "inside", "into", "to", "across", "around", "throughout", "within"})
_IRREGULAR_PARTICIPLES = frozenset("""killed wounded injured displaced held shot struck taken given driven stolen
    built lost fought led forgotten born hit hurt""".split())


class RoleResult(NamedTuple):
    roles: pd.DataFrame  # one row per document and actor with a role
    evidence: pd.DataFrame  # one row per (mention, cue) link


def load_role_cues(source=None) -> Lexicon:
    """The bundled role cues or a user's file (``cue_id, act, pattern, match, doer_role, doer_fine,
    target_role, target_fine``)."""
    lexicon = load_cue_table("framing_roles" if source is None else source,
                             required=("cue_id", "act", "pattern", "match"))
    table = lexicon.table.copy()
    for column in ("doer_role", "doer_fine", "target_role", "target_fine"):
        table[column] = table.get(column, pd.Series("", index=table.index)).fillna("")
    bad = table.index[~table["doer_role"].isin(("", *ROLES)) | ~table["target_role"].isin(("", *ROLES))]
    if len(bad):
        raise ValueError(f"{lexicon.path}, line {bad[0] + 2}: roles must be one of {', '.join(ROLES)} or blank")
    table["layer"] = "role"
    table["noun"] = table["match"] != "lemma"  # the clause rules read a fixed phrase as a noun ("aggression")
    return Lexicon(table, lexicon.meta, lexicon.path)


def assign_roles(sentences: pd.DataFrame, tokens: pd.DataFrame, mentions: pd.DataFrame, *, lexicon=None,
                 label_window: int = 3, backoff: bool = False, negators=None) -> RoleResult:
    """Roles of the mentioned actors (any mentions table: ``find_actors`` with the bundled
    gazetteer, a user's, or a list of entity names) with evidence and confidence.

    ``backoff``: a mention no cue links to within the window takes the nearest role cue of its
    sentence at ``BACKOFF_WEIGHT`` (evidence ``link`` = 'sentence'), a weaker reading that
    raises coverage at some cost in precision (off by default: evidence first)."""
    lex = load_role_cues(lexicon)
    if sentences.empty or mentions.empty:
        return _empty_roles()
    cues = match_cues(sentences, role_cues(lex), tokens=tokens, negators=negators)
    return roles_from_hits(cues, tokens, mentions, sentences, label_window=label_window, backoff=backoff)


def role_cues(lex: Lexicon) -> CueSet:
    """A loaded role lexicon (``load_role_cues``) as a compiled cue set."""
    return compiled(lex.table, source=lex.path)


def _empty_roles() -> RoleResult:
    return RoleResult(pd.DataFrame(columns=ROLE_COLUMNS), pd.DataFrame(columns=EVIDENCE_COLUMNS))


def roles_from_hits(cues: pd.DataFrame, tokens: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame, *,
                    label_window: int = 3, backoff: bool = False) -> RoleResult:
    """``assign_roles`` given the role-cue hits (``match_cues`` with ``role_cues``, negation checked);
    ``sentences`` give the text of the evidence sentences."""
    if cues.empty or mentions.empty:
        return _empty_roles()
    cues = cues[~cues["negated"].astype(bool)]
    if cues.empty:
        return _empty_roles()
    links = _link(cues, mentions, tokens, label_window, backoff)
    if not len(links[0]):
        return _empty_roles()
    evidence = _evidence(cues, mentions, *links)
    return RoleResult(_decide(evidence, sentences), evidence)


def _token_stream(tokens: pd.DataFrame, *tables: pd.DataFrame):
    """Tokens in (document, offset) order: keys, lower-case forms, lemmas, global sentence numbers; and
    the document codes of ``tables`` (-1 for a document without tokens)."""
    doc, *codes = doc_codes(tokens["doc_id"], *(t["doc_id"] for t in tables))
    known = doc.max() + 1 if len(doc) else 0
    key = doc * SHIFT + tokens["start"].to_numpy(np.int64)
    sent_key = doc * SHIFT + tokens["sent_id"].to_numpy(np.int64)
    lower, lemma = tokens["lower"].to_numpy(dtype=object), tokens["lemma"].to_numpy(dtype=object)
    if (key[1:] < key[:-1]).any():
        order = np.argsort(key, kind="stable")
        key, sent_key, lower, lemma = key[order], sent_key[order], lower[order], lemma[order]
    sentence = np.concatenate(([0], np.cumsum(sent_key[1:] != sent_key[:-1]))) if len(key) else np.zeros(0, int)
    lower, lemma = np.append(lower, ""), np.append(lemma, "")  # one pad so index n is valid
    return key, lower, lemma, np.append(sentence, -1), [np.where(c < known, c, -1) for c in codes]


def _spans(table: pd.DataFrame, doc: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First token index and one-past-last token index of each span (global token positions)."""
    base = doc * SHIFT
    first = np.searchsorted(key, base + table["start"].to_numpy(np.int64), side="left")
    last = np.searchsorted(key, base + table["end"].to_numpy(np.int64), side="left")
    return first, np.maximum(last, first + 1)


def _link(cues: pd.DataFrame, mentions: pd.DataFrame, tokens: pd.DataFrame, label_window: int, backoff: bool):
    """Directional cues by the clause rules (``clauses.clause_links``); labels and states by the
    vectorised window rule on global token positions: the nearest mention before the cue, the nearest
    after it and any overlapping it, kept when the rules in the module docstring hold.

    Returns ``(cue, mention, direction, link, claimed_by)``: row positions in ``cues`` and ``mentions``
    of each link, 'doer' or 'target', 'clause' / 'window' / 'sentence' (backoff), the claimant."""
    key, lower, lemma, sentence, (c_doc, m_doc) = _token_stream(tokens, cues, mentions)
    c0, c1 = _spans(cues, c_doc, key)
    order = np.argsort(c0, kind="stable")
    c0, c1 = c0[order], c1[order]
    m0, m1 = _spans(mentions, m_doc, key)
    m_order = np.argsort(m0, kind="stable")
    m0, m1 = m0[m_order], m1[m_order]
    symmetric = ((cues["doer_role"] == cues["target_role"]) & (cues["doer_fine"] == cues["target_fine"])).to_numpy()
    directional = np.flatnonzero(~symmetric[order])
    clause = clause_links(lower, lemma, sentence[:-1], {
        "c0": c0[directional], "c1": c1[directional], "act": cues["act"].to_numpy(dtype=object)[order][directional],
        "noun": cues["noun"].to_numpy(bool)[order][directional]}, m0, m1,
        mentions["canonical"].to_numpy(dtype=object)[m_order])
    reach = np.where(symmetric[order], label_window, -1)  # directional cues: no window link
    prev_end = np.concatenate(([-1], c1[:-1]))  # cues are sorted and do not overlap
    next_start = np.append(c0[1:], np.iinfo(np.int64).max)
    parts = [(directional[clause[0]], clause[1], clause[2])]
    # mention before the cue
    j = np.searchsorted(m1, c0, side="right") - 1
    jj = np.maximum(j, 0)
    ok = (j >= 0) & (sentence[np.minimum(m0[jj], len(sentence) - 1)] == sentence[c0]) & (c0 - m1[jj] <= reach) \
        & (prev_end <= m1[jj]) & (m1[jj] <= c0)
    ok[ok] = _no_break(m1[jj][ok], c0[ok], lower)
    parts.append((np.flatnonzero(ok), jj[ok], np.where(_passive(c0[ok], c1[ok], lower), "target", "doer")))
    # mention after the cue (the word before it read only where the distance can qualify)
    k = np.searchsorted(m0, c1, side="left")
    kk = np.minimum(k, len(m0) - 1)
    near = np.flatnonzero((k < len(m0)) & (sentence[np.minimum(m0[kk], len(sentence) - 1)] == sentence[c0])
                          & (m0[kk] - c1 <= reach) & (next_start >= m0[kk]))
    prep = _preposition(c1[near], m0[kk[near]], lower)
    agent = _among(prep, _AGENT_PREPS)
    limit = np.where(agent, reach[near], np.maximum(reach[near] // 2, 1))
    ok = (m0[kk[near]] - c1[near] <= limit) & ~_among(prep, _LOCATIVE) & ~agent  # "hit by X": X the cause
    ok[ok] = _no_break(c1[near][ok], m0[kk[near]][ok], lower)
    parts.append((near[ok], kk[near][ok], np.full(int(ok.sum()), "target")))
    # mention overlapping the cue ("displaced Azerbaijanis")
    o = np.searchsorted(m0, c1, side="left") - 1
    oo = np.maximum(o, 0)
    ok = (o >= 0) & (m0[oo] < c1) & (m1[oo] > c0) & symmetric[order]
    parts.append((np.flatnonzero(ok), oo[ok], np.full(int(ok.sum()), "target")))
    sizes = [len(p[0]) for p in parts]
    if backoff:
        parts.append(_sentence_backoff(c0, c1, m0, m1, np.concatenate([p[1] for p in parts]), sentence, lower))
    ci = np.concatenate([p[0] for p in parts])
    mi = np.concatenate([p[1] for p in parts])
    direction = np.concatenate([p[2] for p in parts]).astype(object)
    link = np.repeat(np.array(["clause", "window", "sentence"], dtype=object),
                     [sizes[0], sum(sizes[1:]), len(ci) - sum(sizes)])
    claimed = np.concatenate([clause[3], np.full(len(ci) - sizes[0], "", dtype=object)])
    return order[ci], m_order[mi], direction, link, claimed


def _no_break(first: np.ndarray, stop: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """True where no token from ``first`` up to ``stop`` (excluded) is a clause break."""
    n = np.maximum(stop - first, 0)
    at = np.repeat(first - np.cumsum(n) + n, n) + np.arange(n.sum())
    broken = np.repeat(np.arange(len(first)), n)[_among(lower[at], _BREAKS)]
    return np.bincount(broken, minlength=len(first)) == 0


def _among(words: np.ndarray, vocabulary: frozenset) -> np.ndarray:
    """Whether each word is in ``vocabulary`` (a set lookup per word)."""
    return np.fromiter((w in vocabulary for w in words.tolist()), dtype=bool, count=len(words))


def _sentence_backoff(c0, c1, m0, m1, linked_mentions, sentence, lower):
    """For mentions left unlinked: the nearest role cue anywhere in the same sentence, direction by
    word order as in the window rule (a weaker, sentence-level reading of the same cues)."""
    free = np.setdiff1d(np.arange(len(m0)), linked_mentions)
    if not len(free) or not len(c0):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype=object)
    after = np.searchsorted(c0, m1[free], side="left")
    before = np.searchsorted(c1, m0[free], side="right") - 1
    a, b = np.minimum(after, len(c0) - 1), np.maximum(before, 0)
    here = sentence[np.minimum(m0[free], len(sentence) - 1)]
    ok_a = (after < len(c0)) & (sentence[c0[a]] == here)
    ok_b = (before >= 0) & (sentence[c0[b]] == here)
    gap_a = np.where(ok_a, c0[a] - m1[free], np.iinfo(np.int64).max)
    gap_b = np.where(ok_b, m0[free] - c1[b], np.iinfo(np.int64).max)
    use_after = ok_a & (gap_a <= gap_b)
    keep = ok_a | ok_b
    cue = np.where(use_after, a, b)[keep]
    mention = free[keep]
    agent = _among(_preposition(c1[cue], m0[mention], lower), _AGENT_PREPS)
    doer = np.where(use_after[keep], ~_passive(c0[cue], c1[cue], lower), agent)
    return cue, mention, np.where(doer, "doer", "target")


def _passive(c0: np.ndarray, c1: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """A be/get form in the two tokens before the cue, or a participle followed by a preposition
    ("soldiers killed during the war")."""
    be = _among(lower[np.maximum(c0 - 1, 0)], _BE) & (c0 >= 1)
    be |= _among(lower[np.maximum(c0 - 2, 0)], _BE) & (c0 >= 2)
    head = lower[c1 - 1].astype(str)
    participle = np.char.endswith(head, "ed") | _among(head, _IRREGULAR_PARTICIPLES)
    return be | (participle & _among(lower[np.minimum(c1, len(lower) - 1)], _AFTER_PARTICIPLE))


def _preposition(c1: np.ndarray, m0: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """The word just before each mention (after the cue), skipping up to three determiners/possessives."""
    i = m0 - 1
    for _ in range(3):
        skip = (i >= c1) & _among(lower[np.maximum(i, 0)], _SKIP_BEFORE_MENTION)
        i = np.where(skip, i - 1, i)
    return np.where(i >= c1, lower[np.maximum(i, 0)], "").astype(str)


def _evidence(cues: pd.DataFrame, mentions: pd.DataFrame, cue: np.ndarray, mention: np.ndarray,
              direction: np.ndarray, link: np.ndarray, claimed_by: np.ndarray) -> pd.DataFrame:
    """``EVIDENCE_COLUMNS`` of the links that give a role: the first link of each (document, actor,
    cue, start), sorted by document and offset."""
    doer = direction == "doer"

    def by_direction(side: str) -> np.ndarray:
        return np.where(doer, cues[f"doer_{side}"].to_numpy(dtype=object)[cue],
                        cues[f"target_{side}"].to_numpy(dtype=object)[cue])

    role, start = by_direction("role"), cues["start"].to_numpy(np.int64)[cue]
    keep = np.flatnonzero(role != "")
    same = pd.DataFrame({"doc": doc_codes(cues["doc_id"])[0][cue], "cue": pd.factorize(cues["cue_id"])[0][cue],
                         "actor": pd.factorize(mentions["actor_id"])[0][mention], "start": start})
    keep = keep[~same.iloc[keep].duplicated().to_numpy()]
    doc_rank = pd.factorize(cues["doc_id"].to_numpy(dtype=object)[cue[keep]], sort=True)[0]
    keep = keep[np.lexsort((start[keep], doc_rank))]  # stable: by document, then offset
    partner = {c: mentions[c].to_numpy()[mention] for c in ("actor_id", "canonical", "side", "matched")}
    taken = ("doc_id", "sent_id", "cue_id", "act", "matched", "start", "end")
    links = pd.DataFrame({  # every link, then the kept rows (so column types do not depend on which are kept)
        **{c: cues[c].take(cue).reset_index(drop=True) for c in taken},
        "actor_id": partner["actor_id"], "canonical": partner["canonical"], "side": partner["side"],
        "mention": partner["matched"], "direction": direction, "link": link, "claimed_by": claimed_by,
        "role": role, "fine_role": by_direction("fine"),
        "weight": cues["weight"].to_numpy(float)[cue] * np.where(link == "sentence", BACKOFF_WEIGHT, 1.0)})
    return links[EVIDENCE_COLUMNS].take(keep).reset_index(drop=True)


def _decide(evidence: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Per document and actor (sorted): winning role, fine role, confidence, evidence sentences
    (their text joined from ``sentences`` by ``doc_id, sent_id``).

    Weight sums are pandas group sums (compensated, in row order), as a pivot table's are."""
    if evidence.empty:
        return pd.DataFrame(columns=ROLE_COLUMNS)
    doc_rank, docs = pd.factorize(evidence["doc_id"], sort=True)
    actor_rank, actors = pd.factorize(evidence["actor_id"], sort=True)
    groups, group = np.unique(doc_rank * len(actors) + actor_rank, return_inverse=True)
    weight = evidence["weight"].to_numpy(float)
    role = pd.Index(ROLES).get_indexer(evidence["role"])
    cell = group * len(ROLES) + role
    sums = pd.Series(weight).groupby(cell).sum()
    matrix = np.zeros(len(groups) * len(ROLES))
    matrix[sums.index.to_numpy()] = sums.to_numpy()
    weights = pd.DataFrame(matrix.reshape(-1, len(ROLES)), columns=list(ROLES))
    total = weights.sum(axis=1)
    best = np.argmax(weights.to_numpy(), axis=1)  # first largest, as idxmax
    # fine role: largest summed weight among the winning role's fine roles, ties to the first in sort order
    fine_rank, fines = pd.factorize(evidence["fine_role"], sort=True)
    valid = np.flatnonzero(fine_rank >= 0)
    fine_sums = pd.Series(weight[valid]).groupby(cell[valid] * len(fines) + fine_rank[valid]).sum()
    fine_cell, fine_code = np.divmod(fine_sums.index.to_numpy(), len(fines))
    pick = np.lexsort((fine_code, -fine_sums.to_numpy(), fine_cell))
    pick = pick[np.append(True, fine_cell[pick][1:] != fine_cell[pick][:-1])]  # first per (group, role)
    winner = np.arange(len(groups)) * len(ROLES) + best
    fine_role = pd.Series(fines.take(fine_code[pick]), index=fine_cell[pick]).reindex(winner)
    # evidence: each (group, role)'s distinct sentences in row order, " | "-joined; the winning role's
    sentence = sentence_keys(doc_rank.astype(np.int64), evidence["sent_id"])
    rows = np.flatnonzero(~pd.DataFrame({"cell": cell, "sentence": sentence}).duplicated().to_numpy())
    order = rows[np.argsort(cell[rows], kind="stable")]
    cells, bounds = np.unique(cell[order], return_index=True)
    texts = sentence_text(evidence.iloc[order], sentences)
    joined = pd.Series([" | ".join(texts[a:b]) for a, b in pairwise([*bounds, len(order)])], index=cells)
    joined = joined.reindex(winner)
    first = np.unique(group, return_index=True)[1]
    n = np.bincount(group)
    table = pd.DataFrame({
        "doc_id": docs.take(groups // len(actors)), "actor_id": actors.take(groups % len(actors)),
        "canonical": evidence["canonical"].take(first).array, "side": evidence["side"].take(first).array,
        "role": np.asarray(ROLES, dtype=object)[best], "fine_role": fine_role.array,
        "confidence": weights.max(axis=1) / total * total / (total + 1), "n_evidence": n,
        **{r: weights[r] for r in ROLES}, "evidence": joined.array})
    order = np.lexsort((-n, groups // len(actors)))  # document, then most evidence first; stable
    return table.take(order).reset_index(drop=True)


def stat_actor_roles(evidence: pd.DataFrame, *, by: str = "canonical") -> pd.DataFrame:
    """Actor x role matrix of evidence counts over the corpus (rows: actors, most evidence first)."""
    if evidence.empty:
        return pd.DataFrame(columns=list(ROLES))
    matrix = pd.crosstab(evidence[by], evidence["role"]).reindex(columns=list(ROLES), fill_value=0)
    return matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index]


def roles_for_entities(sentences: pd.DataFrame, tokens: pd.DataFrame, entities, *, lexicon=None,
                       backoff: bool = False) -> RoleResult:
    """Roles for any entity list: a list of names (looked for in every document) or a table with
    ``doc_id, entity`` (each name looked for in its own document only). ``actor_id`` = the name."""
    pairs = entities if isinstance(entities, pd.DataFrame) else None
    names = pairs["entity"].astype(str).unique().tolist() if pairs is not None else list(entities)
    mentions = find_actors(sentences, gazetteer=names)
    if mentions.empty:
        return assign_roles(sentences, tokens, mentions, lexicon=lexicon, backoff=backoff)
    mentions = mentions.assign(actor_id=mentions["canonical"])
    if pairs is not None:
        wanted = pairs[["doc_id", "entity"]].astype(str).drop_duplicates().rename(columns={"entity": "actor_id"})
        mentions = mentions.merge(wanted, on=["doc_id", "actor_id"])
    return assign_roles(sentences, tokens, mentions, lexicon=lexicon, backoff=backoff)
