"""Entity roles with direction: protagonist / antagonist / innocent (hero / villain / victim).

A role cue (``lexicons/framing_roles.csv``) names an act or a label and the role
it gives an entity as its *doer* and as its *target*. An entity mention is
linked to a cue in the same sentence when at most ``window`` tokens lie between
them (half as many for an object after the cue; ``label_window`` for labels and
states that give the same role either way, such as "brave" or "aggressor"), no
other role cue and no clause break (``, ; : ( )`` or a quote mark) intervenes,
and it is the nearest mention on that side; a mention after *in/at/to/into...*
is a place or recipient and is not linked. Direction:

* mention before the cue: doer, unless the cue is passive (a form of *be/get*
  just before it, or a participle followed by a preposition or punctuation:
  "soldiers killed during the war") -> target;
* mention after the cue: doer after *by*/*from* ("aggression from Armenia"),
  target otherwise ("destruction of churches", "attacked Armenia");
* mention overlapping the cue ("displaced Azerbaijanis", "our Martyrs"): target.

Roles and fine roles follow SemEval-2025 Task 10 (Piskorski et al. 2025) and
Frermann et al. (2023). Per document and actor the role with the largest
weighted evidence wins; confidence = its share of the evidence x n/(n+1)
(n = pieces of evidence), so one cue never gives more than 0.5.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..lexicons import Lexicon
from .actors import find_actors
from .cues import compiled, load_cue_table, match_cues

ROLES = ("protagonist", "antagonist", "innocent")
NARRATIVE_ROLE = {"protagonist": "hero", "antagonist": "villain", "innocent": "victim"}
EVIDENCE_COLUMNS = ["doc_id", "sent_id", "actor_id", "canonical", "side", "mention", "cue_id", "act", "matched",
                    "direction", "role", "fine_role", "weight", "start", "end", "sentence"]
ROLE_COLUMNS = ["doc_id", "actor_id", "canonical", "side", "role", "fine_role", "confidence", "n_evidence",
                "protagonist", "antagonist", "innocent", "evidence"]
_BE = frozenset("is are was were be been being get got gets getting has have had".split())
_AGENT_PREPS = frozenset({"by", "from"})
_SKIP_BEFORE_MENTION = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these",
                                  "those", "all", "both"})
_AFTER_PARTICIPLE = frozenset("by in during on at for when while as after before from and , . ; : - )".split())
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
    return Lexicon(table, lexicon.meta, lexicon.path)


def assign_roles(sentences: pd.DataFrame, tokens: pd.DataFrame, mentions: pd.DataFrame, *, lexicon=None,
                 window: int = 8, label_window: int = 3, negators=None) -> RoleResult:
    """Roles of the mentioned actors (any mentions table: ``find_actors`` with the bundled
    gazetteer, a user's, or a list of entity names) with evidence and confidence."""
    lex = load_role_cues(lexicon)
    empty = RoleResult(pd.DataFrame(columns=ROLE_COLUMNS), pd.DataFrame(columns=EVIDENCE_COLUMNS))
    if sentences.empty or mentions.empty:
        return empty
    cues = match_cues(sentences, compiled(lex.table, source=lex.path), tokens=tokens, negators=negators)
    cues = cues[~cues["negated"].astype(bool)]
    if cues.empty:
        return empty
    links = _link(cues, mentions, tokens, window, label_window)
    if links.empty:
        return empty
    evidence = _evidence(links)
    return RoleResult(_decide(evidence), evidence)


def _token_index(tokens: pd.DataFrame):
    docs = pd.Index(pd.unique(tokens["doc_id"]))
    shift = np.int64(1) << 40
    key = docs.get_indexer(tokens["doc_id"]).astype(np.int64) * shift + tokens["start"].to_numpy(np.int64)
    order = np.argsort(key, kind="stable")
    return docs, shift, key[order], tokens["lower"].to_numpy()[order]


def _spans(table: pd.DataFrame, docs, shift, key) -> tuple[np.ndarray, np.ndarray]:
    """First token index and one-past-last token index of each span."""
    base = docs.get_indexer(table["doc_id"]).astype(np.int64) * shift
    first = np.searchsorted(key, base + table["start"].to_numpy(np.int64), side="left")
    last = np.searchsorted(key, base + table["end"].to_numpy(np.int64), side="left")
    return first, np.maximum(last, first + 1)


def _link(cues: pd.DataFrame, mentions: pd.DataFrame, tokens: pd.DataFrame, window: int,
          label_window: int) -> pd.DataFrame:
    docs, shift, key, lower = _token_index(tokens)
    cues = cues.reset_index(drop=True)
    mentions = mentions.reset_index(drop=True)
    c_first, c_last = _spans(cues, docs, shift, key)
    m_first, m_last = _spans(mentions, docs, shift, key)
    symmetric = (cues["doer_role"] == cues["target_role"]) & (cues["doer_fine"] == cues["target_fine"])
    cues = cues.assign(t0=c_first, t1=c_last, reach=np.where(symmetric, label_window, window))
    mentions = mentions.assign(t0=m_first, t1=m_last)
    rows = []
    m_groups = mentions.groupby(["doc_id", "sent_id"]).indices
    for (doc, sent), c_index in cues.groupby(["doc_id", "sent_id"]).indices.items():
        m_index = m_groups.get((doc, sent))
        if m_index is None:
            continue
        c_spans = cues.loc[c_index, ["t0", "t1"]].to_numpy()
        reach = cues.loc[c_index, "reach"].to_numpy()
        m_spans = mentions.loc[m_index, ["t0", "t1"]].to_numpy()
        for ci, (c0, c1), limit in zip(c_index, c_spans, reach):
            for mi, direction in _partners(c0, c1, m_index, m_spans, c_spans, lower, limit):
                rows.append((ci, mi, direction))
    if not rows:
        return pd.DataFrame()
    ci, mi, direction = zip(*rows)
    linked = cues.loc[list(ci)].reset_index(drop=True)
    partner = mentions.loc[list(mi)].reset_index(drop=True)
    linked["direction"] = direction
    for column in ("actor_id", "canonical", "side"):
        linked[column] = partner[column].to_numpy()
    linked["mention"] = partner["matched"].to_numpy()
    return linked


def _partners(c0, c1, m_index, m_spans, c_spans, lower, window):
    """(mention index, direction) pairs for one cue: nearest mention on each side, plus overlaps."""
    out = []
    left = [(c0 - m1, mi) for mi, (m0, m1) in zip(m_index, m_spans) if m1 <= c0]
    right = [(m0 - c1, mi, m0) for mi, (m0, m1) in zip(m_index, m_spans) if m0 >= c1]
    for mi, (m0, m1) in zip(m_index, m_spans):
        if m0 < c1 and c0 < m1:
            out.append((mi, "target"))
    if left:
        gap, mi = min(left)
        m1 = c0 - gap
        if gap <= window and _clear(m1, c0, c_spans, lower):
            out.append((mi, "target" if _passive(c0, c1, lower) else "doer"))
    if right:
        gap, mi, m0 = min(right)
        preposition = _preposition(c1, m0, lower)
        doer = preposition in _AGENT_PREPS
        if gap <= (window if doer else max(window // 2, 1)) and preposition not in _LOCATIVE \
                and _clear(c1, m0, c_spans, lower):
            out.append((mi, "doer" if doer else "target"))
    return out


def _clear(a: int, b: int, c_spans, lower) -> bool:
    """No other role cue and no clause break between token positions a and b."""
    if any(a <= s0 and s1 <= b for s0, s1 in c_spans):
        return False
    return not any(t in _BREAKS for t in lower[a:b])


def _passive(c0: int, c1: int, lower) -> bool:
    before = [t for t in lower[max(0, c0 - 2):c0]]
    if any(t in _BE for t in before):
        return True
    head = lower[c1 - 1] if c1 - 1 < len(lower) else ""
    after = lower[c1] if c1 < len(lower) else "."
    return (head.endswith("ed") or head in _IRREGULAR_PARTICIPLES) and after in _AFTER_PARTICIPLE


def _preposition(c1: int, m0: int, lower) -> str:
    """The word just before the mention, skipping determiners and possessives."""
    i = m0 - 1
    while i >= c1 and lower[i] in _SKIP_BEFORE_MENTION:
        i -= 1
    return lower[i] if i >= c1 else ""


def _evidence(links: pd.DataFrame) -> pd.DataFrame:
    doer = links["direction"] == "doer"
    links = links.assign(role=np.where(doer, links["doer_role"], links["target_role"]),
                         fine_role=np.where(doer, links["doer_fine"], links["target_fine"]))
    links = links[links["role"] != ""]
    return links.drop_duplicates(["doc_id", "actor_id", "cue_id", "start"])[EVIDENCE_COLUMNS].reset_index(drop=True)


def _decide(evidence: pd.DataFrame) -> pd.DataFrame:
    """Per document and actor: winning role, fine role, confidence, evidence sentences."""
    if evidence.empty:
        return pd.DataFrame(columns=ROLE_COLUMNS)
    keys = ["doc_id", "actor_id"]
    weights = evidence.pivot_table(index=keys, columns="role", values="weight", aggfunc="sum", fill_value=0.0)
    weights = weights.reindex(columns=list(ROLES), fill_value=0.0)
    n = evidence.groupby(keys).size()
    total = weights.sum(axis=1)
    role = weights.idxmax(axis=1)
    table = weights.assign(role=role, n_evidence=n, confidence=weights.max(axis=1) / total * n / (n + 1))
    fine = (evidence.groupby([*keys, "role", "fine_role"])["weight"].sum().reset_index()
            .sort_values("weight", ascending=False, kind="stable").drop_duplicates([*keys, "role"]))
    sentences = (evidence.drop_duplicates([*keys, "role", "sentence"]).groupby([*keys, "role"])["sentence"]
                 .agg(lambda s: " | ".join(s)).rename("evidence").reset_index())
    names = evidence.drop_duplicates(keys)[[*keys, "canonical", "side"]]
    table = (table.reset_index().merge(fine.drop(columns="weight"), on=[*keys, "role"], how="left")
             .merge(sentences, on=[*keys, "role"], how="left").merge(names, on=keys, how="left"))
    return table[ROLE_COLUMNS].sort_values(["doc_id", "n_evidence"], ascending=[True, False]).reset_index(drop=True)


def stat_actor_roles(evidence: pd.DataFrame, *, by: str = "canonical") -> pd.DataFrame:
    """Actor x role matrix of evidence counts over the corpus (rows: actors, most evidence first)."""
    if evidence.empty:
        return pd.DataFrame(columns=list(ROLES))
    matrix = pd.crosstab(evidence[by], evidence["role"]).reindex(columns=list(ROLES), fill_value=0)
    return matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index]


def roles_for_entities(sentences: pd.DataFrame, tokens: pd.DataFrame, entities, *, lexicon=None,
                       window: int = 8) -> RoleResult:
    """Roles for any entity list: a list of names (looked for in every document) or a table with
    ``doc_id, entity`` (each name looked for in its own document only). ``actor_id`` = the name."""
    pairs = entities if isinstance(entities, pd.DataFrame) else None
    names = pairs["entity"].astype(str).unique().tolist() if pairs is not None else list(entities)
    mentions = find_actors(sentences, gazetteer=names)
    if mentions.empty:
        return assign_roles(sentences, tokens, mentions, lexicon=lexicon, window=window)
    mentions = mentions.assign(actor_id=mentions["canonical"])
    if pairs is not None:
        wanted = pairs[["doc_id", "entity"]].astype(str).drop_duplicates().rename(columns={"entity": "actor_id"})
        mentions = mentions.merge(wanted, on=["doc_id", "actor_id"])
    return assign_roles(sentences, tokens, mentions, lexicon=lexicon, window=window)
