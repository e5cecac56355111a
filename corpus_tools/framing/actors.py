"""Actors: a gazetteer maps the many names of an actor to one, per sentence.

The gazetteer (``lexicons/framing_actors.csv``) has ``actor_id, canonical,
aliases ('|'-separated), type, side`` and optional ``context``, ``match`` and
``title``. Aliases are matched with the cue engine (longest match wins,
diacritics folded so İlham matches Ilham).

Context names ("the President", "the Government", "Foreign Ministry") name
whoever the document means. They come from rows with ``context=document`` and
from the ``title`` column: an actor holding the titles "President|Head of State"
can be called "the President" and "the Head of State". A context name resolves,
in its document, to

1. the explicit mention right after it ("President Vladimir Putin" where only
   "President" is a context name): ``apposition``;
2. else the nearest preceding explicit mention of an actor that the document names
   with that title ("President Isaias Afwerki", "the Government of Eritrea",
   "Russian President"), failing that of an actor holding it in the gazetteer (a
   context row or the ``title`` column): ``antecedent``;
3. else the document's side (``side_column``), when exactly one holder has it:
   ``metadata side``;
4. else nothing: canonical ``(unresolved: the President)``, ``resolved='unresolved'``.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..lexicons import Lexicon, LexiconError, load_lexicon
from .cues import match_cues, normalise
from .keys import SHIFT, doc_codes

GAZETTEER_COLUMNS = ("actor_id", "canonical", "aliases", "type", "side")
MENTION_COLUMNS = ["doc_id", "sent_id", "start", "end", "matched", "actor_id", "canonical", "type", "side",
                   "resolved"]
CANDIDATE_COLUMNS = ["candidate", "mentions", "documents"]
#: Sides that are no party to a conflict (the coverage and side scores leave them out).
NON_PARTY_SIDES = frozenset({"", "international", "neutral", "other", "unknown"})
_CONNECTORS = frozenset({"of", "for", "and", "de", "al"})
_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december""".split())
#: Words that make a capitalised run a title (lower-cased); "Presidential Press Secretary" holds three.
TITLE_WORDS = frozenset("""president presidential vice prime minister ministers premier chancellor secretary
    secretary-general general spokesman spokeswoman spokesperson spokesmen press ambassador envoy governor mayor
    senator representative rep speaker chairman chairwoman chair chairperson director head chief commander
    commander-in-chief lieutenant colonel col major gen marshal admiral captain sergeant king queen prince
    princess sheikh emir sultan pope patriarch archbishop bishop cardinal rabbi imam ayatollah mr mrs ms dr
    judge justice prosecutor commissioner adviser advisor deputy foreign defence defense interior leader""".split())
#: Words that make a capitalised run a context name, not a name: titles and the institutions a document
#: calls by their kind ("the Government", "the Ministry").
CONTEXT_WORDS = TITLE_WORDS | frozenset("government ministry office presidency cabinet administration of for the".split())
#: Words before a title that are not part of it ("the President", "Mr President").
_TITLE_LEAD = re.compile(r"^(?:the|mr|mr\.|mrs|mrs\.|ms|ms\.|madam|madame) ")
#: A context name this close before an explicit mention is its title ("President Putin").
_APPOSITION_GAP = 1


def load_gazetteer(source=None) -> Lexicon:
    """The bundled actor gazetteer, or a user's (path or DataFrame with the same columns)."""
    lexicon = load_lexicon("framing_actors" if source is None else source, required=GAZETTEER_COLUMNS)
    table = lexicon.table.copy()
    if "title" not in table.columns and "titles" in table.columns:  # a proposal (actors command) given back
        table["title"] = table["titles"]
    for column in ("context", "match", "title"):
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
                     "type": "entity", "side": "", "context": "", "match": "phrase", "title": ""})
    return pd.DataFrame(rows, columns=[*GAZETTEER_COLUMNS, "context", "match", "title"])


def title_key(name: str) -> str:
    """The title a context name stands for: normalised, without a leading 'the'/'Mr' ("the Head of State" ->
    'head of state')."""
    return _TITLE_LEAD.sub("", normalise(name))


def _titles(value) -> list[str]:
    """A row's titles: '|'- or ';'-separated (``propose_actors`` writes "spokesman for the TPLF; spokesman")."""
    return [t.strip() for t in re.split(r"[|;]", str(value if isinstance(value, str) else "")) if t.strip()]


def alias_cues(gazetteer: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(cues, candidates)``: one cue per distinct alias, and the actor rows each alias may name.

    Each ``title`` of a row adds the context name "the <title>" for its actor. A candidate row's
    ``title`` lists (normalised, '|'-separated) the titles its context name stands for: the alias
    itself and its row's titles; '' for an explicit alias."""
    cue_rows, candidate_rows, seen = [], [], {}
    for row in gazetteer.itertuples(index=False):
        titles = _titles(getattr(row, "title", ""))
        context = "document" if row.context == "document" else ""
        aliases = [(a.strip(), context) for a in str(row.aliases).split("|")]
        aliases += [(f"the {t}", "document") for t in titles]
        for alias, kind in aliases:
            if not alias:
                continue
            key = (normalise(alias) if row.match != "regex" else alias, row.match)
            if key not in seen:
                seen[key] = f"alias{len(seen)}"
                cue_rows.append({"cue_id": seen[key], "layer": "actor", "category": "", "pattern": alias,
                                 "match": row.match, "weight": 1.0, "negation_sensitive": "no"})
            stands_for = "|".join(dict.fromkeys([title_key(alias), *map(title_key, titles)])) if kind else ""
            candidate_rows.append({"cue_id": seen[key], "actor_id": row.actor_id, "canonical": row.canonical,
                                   "type": row.type, "side": row.side, "context": kind, "title": stands_for})
    candidates = pd.DataFrame(candidate_rows, columns=["cue_id", "actor_id", "canonical", "type", "side", "context",
                                                       "title"])
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

    A hit whose cue names one actor by an explicit alias takes it ('unique'); a context name, or an
    alias several actors share, is resolved in its document (module doc)."""
    if hits.empty:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    hits = hits.reset_index(drop=True)
    code, cues = pd.factorize(candidates["cue_id"])
    order = np.argsort(code, kind="stable")  # candidate rows grouped by cue, each group in table order
    first = np.searchsorted(code[order], np.arange(len(cues)))
    context_cue = np.bincount(code, weights=(candidates["context"] == "document").to_numpy(float),
                              minlength=len(cues)) > 0
    at = pd.Index(cues).get_indexer(hits["cue_id"])
    found = at >= 0
    n = np.where(found, np.bincount(code, minlength=len(cues))[np.maximum(at, 0)], 1)  # no candidate: one empty row
    pick = np.where(found, order[np.minimum(first[np.maximum(at, 0)], max(len(order) - 1, 0))], -1) if len(order) \
        else np.full(len(hits), -1)
    is_context = found & ((n > 1) | context_cue[np.maximum(at, 0)]) if len(cues) else np.zeros(len(hits), dtype=bool)
    resolved = np.full(len(hits), "unique", dtype=object)
    columns = {c: candidates[c].array.take(pick, allow_fill=True) for c in ("actor_id", "canonical", "type", "side")}
    if is_context.any():
        columns = {c: np.asarray(v, dtype=object) for c, v in columns.items()}
        _resolve_context(hits, is_context, at, order, first, n, candidates, columns, resolved, documents, side_column)
        columns = {c: pd.array(v, dtype=candidates[c].dtype) for c, v in columns.items()}
    return pd.DataFrame({
        "doc_id": hits["doc_id"], "sent_id": hits["sent_id"], "start": hits["start"],
        "end": hits["end"], "matched": hits["matched"], **columns, "resolved": resolved}, columns=MENTION_COLUMNS)


def _resolve_context(hits, is_context, at, order, first, n, candidates, columns, resolved, documents,
                     side_column) -> None:
    """Fill ``columns`` and ``resolved`` (in place) for the context-name hits (rules in the module doc)."""
    doc = doc_codes(hits["doc_id"])[0]
    start, end = hits["start"].to_numpy(np.int64), hits["end"].to_numpy(np.int64)
    sent = hits["sent_id"].to_numpy()
    explicit = np.flatnonzero(~is_context)
    explicit = explicit[np.lexsort((start[explicit], doc[explicit]))]
    e_key = doc[explicit] * SHIFT + start[explicit]
    actor = columns["actor_id"]
    c_actor, c_side = candidates["actor_id"].to_numpy(dtype=object), candidates["side"].to_numpy(dtype=object)
    c_type, c_title = candidates["type"].to_numpy(dtype=object), candidates["title"].to_numpy(dtype=object)
    doc_side = _metadata_sides(hits["doc_id"], documents, side_column)
    surface = _surface_titles(hits["matched"].to_numpy(dtype=object)[explicit],
                              {t for ts in c_title for t in str(ts).split("|") if t})
    for h in np.flatnonzero(is_context).tolist():
        rows = order[first[at[h]]:first[at[h]] + n[h]]
        holders = set(c_actor[rows].tolist())
        keys = {t for ts in c_title[rows] for t in ts.split("|") if t}
        lo = np.searchsorted(e_key, doc[h] * SHIFT)
        hi = np.searchsorted(e_key, doc[h] * SHIFT + start[h])
        titled = {actor[explicit[j]] for j in range(lo, hi) if surface[j] & keys}  # named with the title here
        types = set(c_type[rows].tolist())
        choice, why = None, "unresolved"
        e = explicit[hi] if hi < len(explicit) else -1  # the title right before a name: "President Putin"
        if e >= 0 and doc[e] == doc[h] and sent[e] == sent[h] and 0 <= start[e] - end[h] <= _APPOSITION_GAP and (
                actor[e] in titled | holders or columns["type"][e] in types):
            choice, why = e, "apposition"
        for named in (titled, holders) if choice is None else ():
            choice = next((explicit[j] for j in range(hi - 1, lo - 1, -1) if actor[explicit[j]] in named), None)
            if choice is not None:
                why = "antecedent"
                break
        if choice is not None:
            for c in columns:
                columns[c][h] = columns[c][choice]
        else:
            fits = {c_actor[r]: r for r in rows if doc_side.get(doc[h]) is not None and c_side[r] == doc_side[doc[h]]}
            if len(fits) == 1:
                r = next(iter(fits.values()))
                why = "metadata side"
                for c, values in (("actor_id", c_actor), ("canonical", candidates["canonical"].to_numpy(dtype=object)),
                                  ("type", c_type), ("side", c_side)):
                    columns[c][h] = values[r]
            else:
                name = _context_name(hits["matched"].iat[h])
                columns["actor_id"][h], columns["canonical"][h] = f"unresolved:{name}", f"(unresolved: {name})"
                columns["type"][h], columns["side"][h] = "", ""
        resolved[h] = why


def _context_name(matched: str) -> str:
    """A context name as shown when unresolved: as written, with an initial 'The' lower-cased."""
    return "the" + matched[3:] if matched[:4] == "The " else matched


def _surface_titles(matched: np.ndarray, titles: set[str]) -> list[set]:
    """Per explicit mention, the titles its own words carry: at its start ("President Isaias Afwerki",
    "the Government of Eritrea") or after one word ("Russian President")."""
    codes, forms = pd.factorize(matched)
    carried = []
    for form in forms:
        words = normalise(str(form))
        words = words[4:] if words.startswith("the ") else words
        carried.append({t for t in titles if words == t or words.startswith(t + " ")
                        or (words.endswith(" " + t) and words.count(" ") == t.count(" ") + 1)})
    return [carried[c] for c in codes.tolist()]


def _metadata_sides(doc_id: pd.Series, documents, side_column: str) -> dict:
    """Document code (as ``doc_codes(doc_id)`` numbers them) -> its metadata side, where it has one."""
    if documents is None or side_column not in documents.columns:
        return {}
    meta = documents[["doc_id", side_column]].dropna()
    meta = meta[meta[side_column].astype(str) != ""]
    sides = dict(zip(meta["doc_id"].tolist(), meta[side_column].astype(str).tolist()))
    codes, ids = pd.factorize(doc_id)
    return {c: sides[i] for c, i in enumerate(ids.tolist()) if i in sides}


def _gazetteer_table(gazetteer) -> pd.DataFrame:
    if isinstance(gazetteer, (list, tuple, pd.Series, set)):
        return gazetteer_from_entities(gazetteer)
    return load_gazetteer(gazetteer).table


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
