"""Actors found in a corpus: a starter gazetteer proposed from the text itself and the world pack.

``propose_actors(sentences, tokens)`` returns a table in the gazetteer format
(``framing_actors.csv``: actor_id, canonical, aliases, type, side, context, match) plus
``mentions, documents, suggested_side, side_suggested_by, titles, evidence``. Write it out
(``python -m corpus_tools actors``), edit it, and give it back as ``gazetteer=``.

What is proposed, by general rules (nothing about a particular conflict):

* **Pack actors** seen in the text (default pack ``world``): states under their names, capitals
  and seats used as metonyms (Kremlin, Kyiv, Addis Ababa), demonym adjectives ("Russian forces" is
  Russia's armed forces, type ``military`` as in every pack), ministries, international
  organisations and groups (civilians, refugees, children, hostages). The pack's aliases merge
  "Russian Federation"/"Russia"/"Moscow" into one actor.
* **Persons**: a run of capitalised words ending in a name and holding a title word
  ("President of Russia Vladimir Putin", "Defence Minister Sergei Shoigu"), preceded by a lower-case
  title ("regional governor Pavlo Kyrylenko") or followed by an appositive one ("Getachew Reda, a
  spokesman for ..."). The name is the last capitalised words that are neither title, institution
  noun nor pack alias (at most four); the title is recorded (``titles``); a country in the title
  gives the person's ``side``.
* **Named bodies**: a capitalised run ending in an institution noun takes the type that noun says
  ("... Defence Forces" military, "... Ministry" ministry, "... Government" government, "...
  Front"/"Council"/"Board" organisation, "... Republic" state); a name before a force noun
  ("Tigrayan forces") is a military actor; an acronym whose letters are the initials of a proposed
  name (TPLF) joins it. Any other recurring capitalised name is an ``unknown`` candidate.

Aliases merge by a transliteration-insensitive key per word (``name_key``: diacritics folded,
lower case, hyphens and apostrophes dropped, ``y`` as ``i`` after the first letter, doubled letters
single), so Zelenskyy/Zelensky/Zelenskiy and Donbas/Donbass are one name. A single word joins a
person's full name when it is the last (else the first) word of exactly one full name ("Zelensky",
"Abiy"); two people sharing a surname keep theirs apart and the bare surname joins neither.

Not candidates: headline sentences (``is_title``), calendar words, a capitalised stop word starting
a run, a sentence's (or quotation's) first word when the corpus also writes it in lower case, and
runs made only of titles ("the Head of State": context names, resolved per document elsewhere).

``mentions``/``documents`` count the proposed gazetteer itself matched over ``sentences``, so they
are what the suite finds when the file is given back. With ``group_column`` (a documents column,
e.g. ``side``), ``suggested_side`` is the group whose documents name the actor in the first person
(we/our/us within ``FIRST_PERSON_WINDOW`` tokens) most often, else the group that names it most;
``side_suggested_by`` says which rule and the counts. It is a suggestion: copy it to ``side`` by hand.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..segment import bundled_stopwords
from .actors import GAZETTEER_COLUMNS, TITLE_WORDS, alias_cues, find_actors, mentions_from_hits
from .cues import match_cues, normalise
from .packs import load_pack

PROPOSAL_COLUMNS = [*GAZETTEER_COLUMNS, "context", "match", "mentions", "documents", "suggested_side",
                    "side_suggested_by", "titles", "evidence"]
UNKNOWN_SIDE = "unknown"
#: Title words that head a title (not modifiers like foreign, vice, press): a lower-case title needs one.
TITLE_NOUNS = TITLE_WORDS - frozenset("vice prime foreign defence defense interior press presidential deputy".split())
#: Institution nouns ending a capitalised name, and the type they give it.
INSTITUTION_TYPES = {
    **dict.fromkeys("forces force army navy command guard guards militia brigade brigades battalion regiment "
                    "corps".split(), "military"),
    **dict.fromkeys("ministry department".split(), "ministry"),
    **dict.fromkeys("government administration cabinet authority authorities presidency".split(), "government"),
    **dict.fromkeys("front party movement council committee commission board agency union league organisation "
                    "organization court parliament assembly mission office group fund centre center "
                    "institute service".split(), "organisation"),
    **dict.fromkeys("republic republics federation state kingdom emirate".split(), "state"),
}
#: Lower-case nouns after a name that make it an armed force ("Tigrayan forces").
FORCE_NOUNS = frozenset("forces troops army soldiers military fighters militia militias units servicemen".split())
FIRST_PERSON = frozenset({"we", "our", "us", "ours", "ourselves"})
FIRST_PERSON_WINDOW = 3
_CONNECTORS = frozenset({"of", "for", "de", "del", "al", "el", "bin", "ibn", "'s", "’s", "the"})
_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december""".split())
_DETERMINERS = frozenset({"a", "an", "the", "its", "his", "her", "their"})
_OPENERS = frozenset('"“‘\'(:—–-')
_MAX_NAME_WORDS = 4


def name_key(word: str) -> str:
    """A word's transliteration-insensitive key: folded, lower case, hyphens/apostrophes dropped,
    'y' as 'i' after the first letter, doubled letters single (Zelenskyy, Zelenskiy -> zelenski)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower()
    folded = re.sub(r"[-'’.]", "", folded)
    folded = folded[:1] + folded[1:].replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", folded)


@dataclass
class _Entity:
    """A proposed actor being assembled: its surfaces (alias -> count), titles, side hints."""
    kind: str  # person, name, body, force
    words: tuple[str, ...]  # key words
    surfaces: Counter = field(default_factory=Counter)
    names: Counter = field(default_factory=Counter)  # the name part alone (persons)
    titles: Counter = field(default_factory=Counter)
    sides: Counter = field(default_factory=Counter)
    type: str = "unknown"
    initial_only: bool = True  # every occurrence opens a sentence or quotation ("Question:", "Speaking ...")

    @property
    def count(self) -> int:
        return sum(self.surfaces.values())

    def absorb(self, other: "_Entity") -> None:
        for mine, theirs in ((self.surfaces, other.surfaces), (self.names, other.names),
                             (self.titles, other.titles), (self.sides, other.sides)):
            mine.update(theirs)


def propose_actors(sentences: pd.DataFrame, tokens: pd.DataFrame, *, documents: pd.DataFrame | None = None,
                   base="world", group_column: str | None = None, min_count: int = 2) -> pd.DataFrame:
    """The actors of a corpus as a gazetteer table (``PROPOSAL_COLUMNS``), most mentioned first.

    ``sentences``/``tokens`` as ``prepare_corpus`` gives them (``content_sentences`` for the
    sentences), ``base`` a pack name, folder or gazetteer file, ``group_column`` a column of
    ``documents`` for ``suggested_side``; an actor needs ``min_count`` occurrences."""
    pack = load_pack(base)
    plain = pack.actors[pack.actors["context"] != "document"]
    cues, candidates = alias_cues(plain)
    hits = mentions_from_hits(match_cues(sentences, cues), candidates) if len(sentences) and len(cues) else \
        pd.DataFrame(columns=["doc_id", "start", "end", "actor_id", "side", "type"])
    entities = _discover(sentences, tokens, hits)
    discovered = [e for e in entities if e.count >= min_count]
    seen = hits.groupby("actor_id").size()
    rows = plain.set_index("actor_id").loc[[a for a in plain["actor_id"] if seen.get(a, 0) >= min_count]]
    table = _table(discovered, rows.reset_index())
    table = _count(table, sentences, documents, tokens, group_column)
    kept = table[table["mentions"] >= min_count]
    if len(kept) < len(table):  # an actor dropped can change what the others match: count again
        kept = _count(kept[list(GAZETTEER_COLUMNS) + ["context", "match", "titles"]], sentences, documents, tokens,
                      group_column)
    return kept.sort_values(["mentions", "documents", "canonical"], ascending=[False, False, True],
                            kind="stable").reset_index(drop=True)[PROPOSAL_COLUMNS]


def propose_corpus_actors(documents, *, max_documents: int | None = 5000, min_count: int = 2,
                          group_column: str | None = "side") -> pd.DataFrame:
    """``propose_actors`` on raw material: a documents table (``clean_text`` or ``text``, and
    ``doc_id`` and ``group_column`` when present) or a list of texts, its first ``max_documents``
    segmented here. Returns the proposal as a gazetteer (``GAZETTEER_COLUMNS``, ``context``, ``match``,
    and each person's ``title``s, so "the Prime Minister" resolves to the actor a document names
    with that title)."""
    from ..segment import content_sentences, segment_documents

    if isinstance(documents, pd.DataFrame):
        docs = documents.head(max_documents) if max_documents else documents
        column = "clean_text" if "clean_text" in docs.columns else "text"
        docs = docs.assign(doc_id=docs["doc_id"] if "doc_id" in docs.columns else range(len(docs)),
                           clean_text=docs[column].fillna("").astype(str))
    else:
        texts = list(documents)[:max_documents] if max_documents else list(documents)
        docs = pd.DataFrame({"doc_id": range(len(texts)), "clean_text": texts})
    segmented = segment_documents(docs, show_progress=False)
    group = group_column if group_column in docs.columns else None
    table = propose_actors(content_sentences(segmented.sentences), segmented.tokens, documents=docs,
                           group_column=group, min_count=min_count)
    return table[[*GAZETTEER_COLUMNS, "context", "match", "titles"]].rename(columns={"titles": "title"})


# --- discovery -----------------------------------------------------------------------------------

@dataclass
class _Unit:
    """A token, or a pack hit spanning tokens, inside a sentence."""
    start: int
    end: int
    text: str
    lower: str
    hit: int  # row of the hit table, -1 for a plain token
    capital: bool
    stop: bool


def _discover(sentences: pd.DataFrame, tokens: pd.DataFrame, hits: pd.DataFrame) -> list[_Entity]:
    """Persons, named bodies, forces and unknown names of the corpus's body sentences, merged."""
    if tokens.empty:
        return []
    stop = bundled_stopwords()
    words = tokens["token"].astype(str)
    lower_seen = set(tokens["lower"][words.str[:1].str.islower()])
    titles = sentences.loc[sentences["is_title"], ["doc_id", "sent_id"]] if "is_title" in sentences else \
        sentences.iloc[:0]
    headline = set(zip(titles["doc_id"], titles["sent_id"]))
    body = set(zip(sentences["doc_id"], sentences["sent_id"])) - headline
    hit_at = _hit_of_tokens(tokens, hits)
    occurrences = []
    arrays = {c: tokens[c].to_numpy() for c in ("doc_id", "sent_id", "start", "end", "token", "lower", "is_stop")}
    bounds = np.flatnonzero((arrays["doc_id"][1:] != arrays["doc_id"][:-1])
                            | (arrays["sent_id"][1:] != arrays["sent_id"][:-1])) + 1
    for first, last in zip(np.r_[0, bounds].tolist(), np.r_[bounds, len(tokens)].tolist()):
        if (arrays["doc_id"][first], arrays["sent_id"][first]) not in body:
            continue
        units = _units(arrays, hit_at, hits, first, last)
        for run, before, after, initial in _runs(units, stop, lower_seen):
            found = _classify(units, run, before, after, hits)
            if found is not None:
                occurrences.append((*found, initial))
    return _merge(occurrences)


def _hit_of_tokens(tokens: pd.DataFrame, hits: pd.DataFrame) -> np.ndarray:
    """For each token, the row of the pack hit covering it (-1: none)."""
    out = np.full(len(tokens), -1)
    if hits.empty:
        return out
    codes, _ = pd.factorize(pd.concat([tokens["doc_id"], hits["doc_id"]], ignore_index=True).astype(str))
    span = int(max(tokens["end"].max(), hits["end"].max())) + 1
    t_key = codes[:len(tokens)] * span + tokens["start"].to_numpy()
    h_start = codes[len(tokens):] * span + hits["start"].to_numpy(dtype=np.int64)
    h_end = codes[len(tokens):] * span + hits["end"].to_numpy(dtype=np.int64)
    order = np.argsort(h_start, kind="stable")
    at = np.searchsorted(h_start[order], t_key, side="right") - 1
    inside = (at >= 0) & (t_key < h_end[order][np.maximum(at, 0)])
    out[inside] = order[at[inside]]
    return out


def _units(arrays: dict, hit_at: np.ndarray, hits: pd.DataFrame, first: int, last: int) -> list[_Unit]:
    units: list[_Unit] = []
    for i in range(first, last):
        h = int(hit_at[i])
        token = str(arrays["token"][i])
        if h >= 0 and units and units[-1].hit == h:
            units[-1].end, units[-1].text = int(arrays["end"][i]), units[-1].text + " " + token
            continue
        capital = token[:1].isupper() and any(c.isalpha() for c in token) and token != "I" and \
            arrays["lower"][i] not in _CALENDAR
        units.append(_Unit(int(arrays["start"][i]), int(arrays["end"][i]), token, str(arrays["lower"][i]), h,
                           capital, bool(arrays["is_stop"][i]) and h < 0))
    return units


def _runs(units: list[_Unit], stop, lower_seen):
    """``(run, before, after, initial)`` of each capitalised run (connectors inside only); ``initial``: it
    opens the sentence or a quotation."""
    i, n = 0, len(units)
    while i < n:
        if not units[i].capital:
            i += 1
            continue
        j = i + 1
        while j < n:
            k = j
            while k < n and not units[k].capital and units[k].lower in _CONNECTORS:  # "of the" inside a name
                k += 1
            if k == n or not units[k].capital:
                break
            j = k + 1
        start = i
        opener = start == 0 or units[start - 1].text in _OPENERS
        head = units[start]
        if head.hit < 0 and head.lower not in TITLE_WORDS and (
                head.lower in stop or opener and head.lower in lower_seen):
            start += 1
        while start < j and units[start].lower in _CONNECTORS and units[start].hit < 0:
            start += 1
        if start < j:
            initial = start == 0 or units[start - 1].text in _OPENERS
            for a, b in _split_bodies(units, start, j):
                yield range(a, b), a, b, initial and a == start
        i = j


def _split_bodies(units, start: int, end: int):
    """``[start, end)`` cut at each 'of' between two names that end in institution nouns ("Northern
    Command of the ... Defense Force" is two bodies; "President of the ... State" one run)."""
    cuts, a = [], start
    if units[end - 1].lower in INSTITUTION_TYPES:
        for p in range(start + 1, end - 1):
            if units[p].lower == "of" and units[p - 1].lower in INSTITUTION_TYPES and \
                    any(units[q].lower not in INSTITUTION_TYPES for q in range(a, p)):
                cuts.append((a, p))
                a = p + 1
                while a < end and units[a].lower in _CONNECTORS:
                    a += 1
    return cuts + [(a, end)]


def _classify(units, run: range, before: int, after: int, hits: pd.DataFrame):
    """``(kind, run units, name units, title, side hints, type)`` for a run, or None when it is
    only pack aliases and titles (those count for the pack actors as they are)."""
    part = [units[k] for k in run]
    name: list[_Unit] = []
    for unit in reversed(part):
        if unit.hit >= 0 or unit.lower in TITLE_WORDS or unit.lower in INSTITUTION_TYPES \
                or unit.lower in _CONNECTORS or len(name) == _MAX_NAME_WORDS:
            break
        name.insert(0, unit)
    prefix = part[:len(part) - len(name)]
    sides = [hits.at[u.hit, "side"] for u in part if u.hit >= 0]
    title = " ".join(u.text for u in prefix) if prefix and any(
        u.lower in TITLE_WORDS or u.hit >= 0 and hits.at[u.hit, "type"] == "person" for u in prefix) and (
        prefix[-1].lower not in TITLE_WORDS - TITLE_NOUNS) else ""  # "Ministry of Foreign Affairs": no person
    if name and not title:
        title = _title_before(units, before) or _title_after(units, after)
    if name and title:
        return "person", part, name, title, sides, "person"
    plain = [u for u in part if u.hit < 0 and u.lower not in TITLE_WORDS and u.lower not in INSTITUTION_TYPES
             and u.lower not in _CONNECTORS]
    if not plain:
        return None
    kind_type = INSTITUTION_TYPES.get(part[-1].lower, "unknown")
    if after < len(units) and units[after].lower in FORCE_NOUNS and part[-1].hit < 0:
        return "force", part + [units[after]], part, "", sides, "military"
    return ("body" if kind_type != "unknown" or sides else "name"), part, part, "", sides, kind_type


def _title_before(units, before: int) -> str:
    """A lower-case title just before a name ("regional governor")."""
    k = before - 1
    if k < 0 or units[k].capital or units[k].lower not in TITLE_NOUNS:
        return ""
    j = k
    while j > 0 and j > k - 2 and not units[j - 1].capital and not units[j - 1].stop and units[j - 1].text.isalpha():
        j -= 1
    return " ".join(u.text for u in units[j:k + 1])


def _title_after(units, after: int) -> str:
    """An appositive title after a name (", a spokesman for the TPLF")."""
    if after + 2 >= len(units) or units[after].text != "," or units[after + 1].lower not in _DETERMINERS:
        return ""
    k = after + 2
    stop = next((j for j in range(k, len(units)) if not units[j].text[:1].isalnum() and units[j].text not in
                 ("'s", "’s")), len(units))
    phrase = units[k:min(stop, k + 6)]
    if not any(u.lower in TITLE_NOUNS for u in phrase[:3]):
        return ""
    return " ".join(u.text for u in phrase)


def _text(units) -> str:
    text = ""
    for u in units:
        text += ("" if not text or u.text in ("'s", "’s") else " ") + u.text
    return text


def _merge(occurrences) -> list[_Entity]:
    """One entity per person, name, body or force, after the alias rules of the module docstring."""
    people: dict[tuple, _Entity] = {}
    others: dict[tuple, _Entity] = {}
    for kind, part, name, title, sides, kind_type, initial in occurrences:
        key = tuple(name_key(u.text) for u in name)
        target = people if kind == "person" else others
        entity = target.setdefault((kind, key) if kind != "person" else key, _Entity(kind, key, type=kind_type))
        entity.surfaces[_text(part)] += 1
        entity.initial_only &= initial
        entity.names[_text(name)] += 1
        if title:
            entity.titles[title] += 1
        entity.sides.update(s for s in sides if s)
    for (kind, key), entity in list(others.items()):  # an untitled full name of a person is that person
        if kind == "name" and key in people:
            people[key].absorb(others.pop((kind, key)))
    full = [k for k in people if len(k) > 1]
    for key in [k for k in people if len(k) == 1]:
        joined = _join_word(key[0], full)
        if joined is not None:
            people[joined].absorb(people.pop(key))
    for (kind, key), entity in list(others.items()):
        if kind == "name" and len(key) == 1:
            joined = _join_word(key[0], full)
            if joined is not None:
                people[joined].absorb(others.pop((kind, key)))
    _join_acronyms(others)
    return list(people.values()) + [e for e in others.values() if not (e.initial_only and len(e.words) == 1)]


def _join_word(word: str, full: list[tuple]) -> tuple | None:
    """The one full name a single word is the surname (else the first name) of, or None."""
    last = [k for k in full if k[-1] == word]
    if last:
        return last[0] if len(last) == 1 else None
    first = [k for k in full if k[0] == word]
    return first[0] if len(first) == 1 else None


def _join_acronyms(others: dict) -> None:
    """An all-capitals name (TPLF) joins the one name whose initials it spells."""
    initials = defaultdict(list)
    for (kind, key), entity in others.items():
        surface = entity.names.most_common(1)[0][0].split()
        content = [w for w in surface if w.lower() not in _CONNECTORS and w not in ("'s", "’s")]
        if len(content) > 1:
            initials["".join(w[0] for w in content).upper()].append((kind, key))
    for (kind, key), entity in list(others.items()):
        word = entity.names.most_common(1)[0][0]
        targets = initials.get(word, []) if len(key) == 1 and word.isupper() and len(word) > 1 else []
        if len(targets) == 1:
            others[targets[0]].absorb(others.pop((kind, key)))


# --- the table -----------------------------------------------------------------------------------

def _table(entities: list[_Entity], pack_rows: pd.DataFrame) -> pd.DataFrame:
    """Gazetteer rows: the discovered entities (most seen first), then the pack actors seen; an alias
    already taken by an earlier row is left out of later ones."""
    rows, taken, ids = [], set(), set(pack_rows["actor_id"])
    for entity in sorted(entities, key=lambda e: -e.count):
        canonical = _canonical(entity)
        forms = entity.surfaces + entity.names if entity.kind == "person" else entity.surfaces
        aliases = [a for a, _ in forms.most_common() if normalise(a) not in taken]
        if not aliases:
            continue
        taken.update(map(normalise, aliases))
        actor_id = _unique_id(_slug(canonical), ids)
        side = entity.sides.most_common(1)[0][0] if entity.sides else UNKNOWN_SIDE
        rows.append({"actor_id": actor_id, "canonical": canonical, "aliases": "|".join(aliases),
                     "type": entity.type, "side": side, "context": "", "match": "phrase",
                     "titles": "; ".join(t for t, _ in entity.titles.most_common())})
    for row in pack_rows.itertuples(index=False):
        aliases = [a for a in str(row.aliases).split("|") if a and normalise(a) not in taken]
        taken.update(map(normalise, aliases))
        if aliases:
            rows.append({"actor_id": row.actor_id, "canonical": row.canonical, "aliases": "|".join(aliases),
                         "type": row.type, "side": row.side, "context": "", "match": row.match, "titles": ""})
    return pd.DataFrame(rows, columns=[*GAZETTEER_COLUMNS, "context", "match", "titles"])


def _canonical(entity: _Entity) -> str:
    """The longest name, the most frequent of those ("Northern Liberation Front", not "NLF"); a force
    is 'NAME forces'."""
    if entity.kind == "force":
        return f"{entity.names.most_common(1)[0][0]} forces"
    longest = max(len(k.split()) for k in entity.names)
    return next(n for n, _ in entity.names.most_common() if len(n.split()) == longest)


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_") or "actor"


def _unique_id(slug: str, ids: set) -> str:
    candidate, n = slug, 2
    while candidate in ids:
        candidate, n = f"{slug}_{n}", n + 1
    ids.add(candidate)
    return candidate


def _count(table: pd.DataFrame, sentences: pd.DataFrame, documents, tokens: pd.DataFrame,
           group_column: str | None) -> pd.DataFrame:
    """``table`` with what its own aliases find in ``sentences``: mentions, documents, evidence, side."""
    gazetteer = table[list(GAZETTEER_COLUMNS) + ["context", "match"]]
    mentions = find_actors(sentences, gazetteer=gazetteer) if len(table) else pd.DataFrame(
        columns=["doc_id", "start", "matched", "actor_id"])
    by_actor = mentions.groupby("actor_id")
    out = table.copy()
    out["mentions"] = out["actor_id"].map(by_actor.size()).fillna(0).astype(int)
    out["documents"] = out["actor_id"].map(by_actor["doc_id"].nunique()).fillna(0).astype(int)
    forms = mentions.groupby(["actor_id", "matched"]).size().sort_values(ascending=False, kind="stable")
    evidence = forms.groupby(level=0, sort=False).apply(
        lambda s: ", ".join(f"{m} ({n})" for (_, m), n in s.head(5).items()))
    out["evidence"] = out["actor_id"].map(evidence).fillna("")
    out[["suggested_side", "side_suggested_by"]] = _suggest_sides(out["actor_id"], mentions, documents, tokens,
                                                                  group_column)
    return out


def _suggest_sides(actor_ids: pd.Series, mentions: pd.DataFrame, documents, tokens: pd.DataFrame,
                   group_column: str | None) -> pd.DataFrame:
    """Per actor, the metadata group that names it in the first person most, else most often."""
    empty = pd.DataFrame({"suggested_side": "", "side_suggested_by": ""}, index=actor_ids.index)
    if group_column is None or documents is None or mentions.empty:
        return empty
    if group_column not in documents.columns:
        raise ValueError(f"no column {group_column!r} in documents; have {', '.join(map(str, documents.columns))}")
    group_of = documents.drop_duplicates("doc_id").set_index("doc_id")[group_column].astype(str)
    frame = mentions.assign(group=mentions["doc_id"].map(group_of), first=_near_first_person(mentions, tokens))
    frame = frame[frame["group"].notna() & (frame["group"] != "")]
    suggestion = {}
    for actor, rows in frame.groupby("actor_id"):
        first = rows.loc[rows["first"], "group"].value_counts()
        counts = rows["group"].value_counts()
        if len(first) and (len(first) == 1 or first.iloc[0] > first.iloc[1]):
            suggestion[actor] = (first.index[0], f"first person: {first.iloc[0]} of {len(rows)} mentions near "
                                                 f"we/our/us in {first.index[0]} documents")
        elif len(counts) == 1 or counts.iloc[0] > counts.iloc[1]:
            suggestion[actor] = (counts.index[0], f"most mentions: {counts.iloc[0]} of {len(rows)} in "
                                                  f"{counts.index[0]} documents")
        else:
            suggestion[actor] = ("", "tie: " + ", ".join(f"{g} {n}" for g, n in counts.items()))
    return pd.DataFrame([suggestion.get(a, ("", "")) for a in actor_ids], index=actor_ids.index,
                        columns=["suggested_side", "side_suggested_by"])


def _near_first_person(mentions: pd.DataFrame, tokens: pd.DataFrame) -> np.ndarray:
    """Whether a first-person plural pronoun is within ``FIRST_PERSON_WINDOW`` tokens of each mention
    (same sentence)."""
    codes, _ = pd.factorize(pd.concat([tokens["doc_id"], mentions["doc_id"]], ignore_index=True).astype(str))
    span = int(max(tokens["end"].max(), mentions["end"].max())) + 1
    t_doc, m_doc = codes[:len(tokens)], codes[len(tokens):]
    key = t_doc * span + tokens["start"].to_numpy()
    order = np.argsort(key, kind="stable")
    key = key[order]
    sent = t_doc[order] * (int(tokens["sent_id"].max()) + 1) + tokens["sent_id"].to_numpy()[order]
    pronoun = tokens["lower"].isin(FIRST_PERSON).to_numpy()[order]
    first = np.searchsorted(key, m_doc * span + mentions["start"].to_numpy(dtype=np.int64))
    last = np.searchsorted(key, m_doc * span + mentions["end"].to_numpy(dtype=np.int64)) - 1
    near = np.zeros(len(mentions), dtype=bool)
    for i, (a, b) in enumerate(zip(first.tolist(), last.tolist())):
        if a >= len(key) or b < a:
            continue
        lo, hi = max(0, a - FIRST_PERSON_WINDOW), min(len(key), b + FIRST_PERSON_WINDOW + 1)
        near[i] = bool(np.any(pronoun[lo:hi] & (sent[lo:hi] == sent[a])))
    return near


# --- the command ---------------------------------------------------------------------------------

def write_proposal(corpus, out, *, text_column: str = "text", group: str | None = None, min_count: int = 2,
                   base="world") -> pd.DataFrame:
    """``python -m corpus_tools actors``: propose the actors of ``corpus`` and write them to ``out``
    (CSV, with a ``.meta.json`` sidecar) for ``--param gazetteer=OUT``; returns the table. ``out`` must be
    new or an unchanged earlier proposal (``outputs.claim_output_file``)."""
    from datetime import date

    from ..escaping import neutralise_csv
    from ..outputs import claim_output_file, write_output_file
    from ..pipeline import prepare_corpus
    from ..segment import content_sentences

    path = claim_output_file(out, inputs=[corpus])  # refuse before reading the corpus
    prepared = prepare_corpus(corpus, text_column=text_column, show_progress=False)
    if prepared.documents.empty:
        reasons = prepared.report["reason"].fillna("").astype(str).value_counts().head(5)
        raise ValueError(f"{corpus}: 0 documents loaded (text column {text_column!r}); "
                         + "; ".join(f"{r or 'no reason'} ({n})" for r, n in reasons.items()))
    table = propose_actors(content_sentences(prepared.sentences), prepared.tokens, documents=prepared.documents,
                           base=base, group_column=group, min_count=min_count)
    write_output_file(path, neutralise_csv(table).to_csv(index=False), {
        "title": f"Actors proposed for {corpus}", "version": "1", "date": date.today().isoformat(),
        "description": "Starter gazetteer written by `python -m corpus_tools actors` (framing.discover."
                       "propose_actors): edit it (canonical, aliases, type, side; suggested_side is only a "
                       "suggestion), then rerun with --param gazetteer=THIS_FILE.",
        "source": f"corpus {corpus} ({len(prepared.documents)} documents) and the {base} pack",
        "license": "as the corpus; pack rows as the pack (the world pack: CC-BY-4.0, GeoNames)",
        "kind": "user", "parameters": {"text_column": text_column, "group": group, "min_count": min_count,
                                       "base": str(base)}})
    return table


def summary(table: pd.DataFrame, *, top: int = 10) -> str:
    """What ``write_proposal`` wrote: actors by type, then the ``top`` most mentioned."""
    by_type = table["type"].value_counts()
    lines = [f"{len(table)} actors: " + ", ".join(f"{t} {n}" for t, n in by_type.items())]
    lines += [f"  {row.mentions:>5}  {row.canonical} ({row.type}, side {row.side}"
              + (f", suggested {row.suggested_side}" if row.suggested_side else "") + ")"
              for row in table.head(top).itertuples(index=False)]
    return "\n".join(lines)
