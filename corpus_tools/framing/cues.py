"""The cue-matching engine shared by every framing layer.

A cue table has one row per cue: ``cue_id, pattern, match`` (+ any columns the
layer needs, carried into the hits). ``match`` is

* ``phrase``: case-insensitive words, any run of spaces/hyphens between them;
* ``exact``: the same, case-sensitive;
* ``lemma``: the words and their English inflections (``accuse`` also finds
  accuses, accused, accusing; ``say`` finds said), function words kept as is;
* ``regex``: a Python regular expression (case-insensitive, no capturing groups).

Matching runs on ``match_form(text, fold_diacritics=True)`` (same length as the
text, so offsets point into ``clean_text``). Phrase, lemma and exact cues are
compiled into ONE trie-shaped regular expression per layer, searched again one
character after each match start, so it reports the longest cue starting at
every word and the cost per sentence does not grow with the size of the
lexicon; regex cues form one more pattern with a named group each. Several
layers matched together (``match_sets``) share one search of the union of
their tries for candidate starts, each layer's trie then tried there only.
Overlaps are resolved longest-first: the longest candidate is kept and every
candidate overlapping it dropped, then the next longest ("Armed Forces of the
Republic of Azerbaijan" over "Republic of Azerbaijan"; "Government of
Azerbaijan" over "The Government"). A negator among the ``negation_window``
tokens before a negation-sensitive cue (inside its sentence) voids it (the hit is kept with
``negated=True`` for the audit; scores ignore it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..clean import match_form
from ..lexicons import Lexicon, LexiconError, load_lexicon

MATCH_TYPES = ("phrase", "exact", "lemma", "regex")
#: The audit table: every hit of every layer, traceable to its characters.
AUDIT_COLUMNS = ["doc_id", "sent_id", "layer", "category", "cue_id", "matched", "start", "end",
                 "weight", "negated", "sentence"]
_SEP = "\x00"
_SPLIT = re.compile(r"[\s\-]+")
_FUNCTION_WORDS = frozenset("""a an the of to in on at by for from with and or but as that this these those
    its their his her our your my it they we he she you i be is are was were been not no than into upon
    about against over under""".split())
_IRREGULAR = {
    "say": ["said"], "tell": ["told"], "read": [], "lead": ["led"], "fight": ["fought"], "hold": ["held"],
    "give": ["gave", "given"], "take": ["took", "taken"], "begin": ["began", "begun"], "write": ["wrote", "written"],
    "bring": ["brought"], "steal": ["stole", "stolen"], "shoot": ["shot"], "lose": ["lost"], "build": ["built"],
    "rebuild": ["rebuilt"], "forget": ["forgot", "forgotten"], "flee": ["fled"], "drive": ["drove", "driven"],
    "strike": ["struck", "stricken"], "seek": ["sought"], "buy": ["bought"], "pay": ["paid"], "make": ["made"],
    "break": ["broke", "broken"], "speak": ["spoke", "spoken"], "think": ["thought"], "feel": ["felt"],
    "keep": ["kept"], "leave": ["left"], "mean": ["meant"], "meet": ["met"], "run": ["ran"], "see": ["saw", "seen"],
    "sell": ["sold"], "send": ["sent"], "win": ["won"], "teach": ["taught"], "catch": ["caught"], "hit": [],
    "put": [], "cut": [], "set": [], "let": [], "lie": ["lay", "lain", "lied", "lying"], "die": ["died", "dying"],
    "child": ["children"], "man": ["men"], "woman": ["women"], "crisis": ["crises"], "wife": ["wives"],
    "life": ["lives"], "thief": ["thieves"], "person": ["people"], "mislead": ["misled"], "bleed": ["bled"],
    "undertake": ["undertook", "undertaken"], "overthrow": ["overthrew", "overthrown"], "slay": ["slew", "slain"],
}


def inflections(word: str) -> list[str]:
    """Regular English inflections of ``word`` (plural/3rd person, past, -ing) plus known irregulars.

    Over-generation (``news`` -> ``newses``) is harmless: such forms never occur.
    """
    w = word.lower()
    if not w.isalpha() or w in _FUNCTION_WORDS:
        return [w]
    forms = {w, *_IRREGULAR.get(w, [])}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {w + "es", w + "ed", w + "ing"}
    elif w.endswith("ie"):
        forms |= {w + "s", w + "d", w[:-2] + "ying"}
    elif w.endswith("e"):
        forms |= {w + "s", w + "d", w[:-1] + "ing"}
    else:
        forms |= {w + "s", w + "ed", w + "ing"}
        if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
            forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}  # stop -> stopped; also for multi-syllables
    if w.endswith("f"):
        forms.add(w[:-1] + "ves")
    return sorted(forms)


def normalise(text: str) -> str:
    """The key a matched span is looked up by: folded, lower-case, spaces/hyphens as one space."""
    return _SPLIT.sub(" ", match_form(text, fold_diacritics=True).lower()).strip()


def literal_forms(pattern: str, match: str) -> list[str]:
    """Every surface form (normalised) a phrase or lemma cue matches."""
    words = normalise(pattern).split(" ")
    if match != "lemma":
        return [" ".join(words)]
    combos = [""]
    for word in words:
        combos = [f"{c} {f}".strip() for c in combos for f in inflections(word)]
    return combos


@dataclass(frozen=True)
class CueSet:
    """Compiled cues of one layer: a trie regex for literal cues and one for regex cues."""
    table: pd.DataFrame
    literal: re.Pattern | None
    exact: re.Pattern | None
    forms: dict
    regex: re.Pattern | None
    groups: tuple
    plain_forms: frozenset = frozenset()  # the case-folded literal forms (the ``literal`` trie's)
    first_chars: frozenset = frozenset()  # their first characters
    regex_parts: tuple = ()  # the regex cues' patterns (folded), in file order


def compile_cues(table: pd.DataFrame, *, source: str = "<cues>") -> CueSet:
    """Compile a cue table (``cue_id, pattern, match`` at least) for ``match_cues``.

    Errors name the file (``source``), the line and the problem: unknown match
    type, a regex that does not compile or has capturing groups, or two cues
    with the same surface form.
    """
    own: dict[tuple[bool, str], tuple[str, int]] = {}
    inflected: dict[tuple[bool, str], str] = {}
    regex_parts, groups = [], []
    for i, row in enumerate(table.itertuples(index=False)):
        line = i + 2
        kind = str(getattr(row, "match", "phrase") or "phrase").strip()
        if kind not in MATCH_TYPES:
            raise LexiconError(f"{source}, line {line}: match must be one of {', '.join(MATCH_TYPES)}, got {kind!r}")
        if kind == "regex":
            try:
                compiled_regex = re.compile(row.pattern, re.IGNORECASE)
            except re.error as err:
                raise LexiconError(f"{source}, line {line}: bad regex {row.pattern!r}: {err}") from err
            if compiled_regex.groups:
                raise LexiconError(f"{source}, line {line}: regex {row.pattern!r} has capturing groups; use (?:...)")
            regex_parts.append(f"(?P<g{len(groups)}>{match_form(row.pattern, fold_diacritics=True)})")
            groups.append(row.cue_id)
            continue
        exact = kind == "exact"
        base = " ".join(_SPLIT.split(match_form(row.pattern, fold_diacritics=True).strip())) if exact \
            else normalise(row.pattern)
        if (exact, base) in own:
            raise LexiconError(f"{source}, line {line}: {row.pattern!r} duplicates the cue on line "
                               f"{own[(exact, base)][1]} ({own[(exact, base)][0]})")
        own[(exact, base)] = (row.cue_id, line)
        for form in ([base] if exact else literal_forms(row.pattern, kind)):
            inflected.setdefault((exact, form), row.cue_id)  # a cue's own pattern beats another's inflection
    forms = {**inflected, **{key: cue_id for key, (cue_id, _) in own.items()}}
    plain_forms = [form for exact, form in forms if not exact]
    exact_forms = [form for exact, form in forms if exact]
    literal = re.compile(_trie_pattern(plain_forms)) if plain_forms else None  # run on lower-cased text
    exact = re.compile(_trie_pattern(exact_forms)) if exact_forms else None
    regex = re.compile("(?=(?:" + "|".join(regex_parts) + "))", re.IGNORECASE) if regex_parts else None
    return CueSet(table.reset_index(drop=True), literal, exact, forms, regex, tuple(groups), frozenset(plain_forms),
                  frozenset(form[:1] for form in plain_forms),
                  tuple(part[part.index(">") + 1:-1] for part in regex_parts))


def _trie_pattern(forms: list[str]) -> str:
    """One regex for many phrases: a character trie, longer continuations tried first,
    a space standing for any run of spaces/hyphens, word boundaries at both ends. It
    consumes its match: ``_every_start`` restarts the search one character after each match start."""
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return r"(?<!\w)(" + _render(trie, "") + ")"


def _render(node: dict, previous: str) -> str:
    branches = []
    for char in sorted(k for k in node if k):
        # compress single-child chains into one literal run
        run, child = char, node[char]
        while len(child) == 1 and "" not in child:
            (next_char, grandchild), = child.items()
            run += next_char
            child = grandchild
        literal = "".join(r"[\s\-]+" if c == " " else re.escape(c) for c in run)
        branches.append(literal + _render(child, run[-1]))
    end = r"(?!\w)" if (previous[-1:].isalnum() or previous[-1:] == "_") else ""
    if "" in node:
        branches.append(end)
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def load_cue_table(source, *, required: tuple[str, ...] = ("cue_id", "pattern", "match")) -> Lexicon:
    """Load a cue lexicon (bundled name, CSV/TSV path or DataFrame) with defaults filled in:
    ``weight`` 1, ``negation_sensitive`` 'yes', ``layer``/``category`` blank."""
    lexicon = load_lexicon(source, required=required, unique=("cue_id",))
    table = lexicon.table.copy()
    for column, default in (("weight", "1"), ("negation_sensitive", "yes"), ("layer", ""), ("category", "")):
        if column not in table.columns:
            table[column] = default
        table[column] = table[column].astype(str).replace("", default)
    bad = pd.to_numeric(table["weight"], errors="coerce").isna()
    if bad.any():
        raise LexiconError(f"{lexicon.path}, line {int(np.flatnonzero(bad)[0]) + 2}: weight must be a number")
    table["weight"] = table["weight"].astype(float)
    return Lexicon(table, lexicon.meta, lexicon.path)


_COMPILED: dict[tuple, tuple[pd.DataFrame, CueSet]] = {}


def compiled(table: pd.DataFrame, *, source: str = "<cues>") -> CueSet:
    """``compile_cues`` with a small cache (lexicons are reused across calls), keyed on a hash of
    the cue rows and confirmed by comparing the table itself."""
    key = (source, tuple(table.columns), pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
    hit = _COMPILED.get(key)
    if hit is not None and hit[0].equals(table):
        return hit[1]
    if len(_COMPILED) >= 32:
        _COMPILED.pop(next(iter(_COMPILED)))
    _COMPILED[key] = (table.copy(), compile_cues(table, source=source))
    return _COMPILED[key][1]


def _every_start(pattern: re.Pattern, target: str):
    """The match of ``pattern`` at every position where it matches: a consuming search restarted
    one character after each match start (the same matches as a lookahead scan, faster)."""
    search, pos = pattern.search, 0
    while (m := search(target, pos)) is not None:
        yield m
        pos = m.start() + 1


def _spans(pattern: re.Pattern, target: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of group 1 (non-empty) of ``pattern`` at every position where it matches."""
    found = np.asarray([m.span(1) for m in _every_start(pattern, target)], dtype=np.int64).reshape(-1, 2)
    found = found[found[:, 1] > found[:, 0]]
    return found[:, 0], found[:, 1]


def _at(pattern: re.Pattern, target: str, positions: tuple, first: frozenset) -> tuple[np.ndarray, np.ndarray]:
    """``_spans`` when every match start is known to be among ``positions`` (sorted positions and
    their characters): the trie is tried where the character starts one of its forms (``first``)."""
    match = pattern.match
    spans = [m.span(1) for p, c in zip(*positions) if c in first and (m := match(target, p)) is not None]
    found = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    found = found[found[:, 1] > found[:, 0]]
    return found[:, 0], found[:, 1]


def _candidates(text: str, cues: CueSet, lower: str | None = None, positions: tuple | None = None,
                regex_positions: list[int] | None = None):
    """Candidate hits (longest per start position) of every cue: literal, then exact, then regex
    ones, each in text order; ``lower`` = ``text.lower()`` when it has the same length (else the
    literal trie runs case-insensitively on ``text``). ``positions``: every start where a literal
    cue may match (``_literal_starts``), so the trie is tried there only."""
    starts, ends, ids = [], [], []
    for pattern, exact in ((cues.literal, False), (cues.exact, True)):
        if pattern is None:
            continue
        if not exact and lower is None:
            pattern = _ignoring_case(pattern.pattern)
        target = text if exact or lower is None else lower
        start, end = _at(pattern, target, positions, cues.first_chars) if positions is not None and not exact \
            else _spans(pattern, target)
        found = [target[a:b] for a, b in zip(start.tolist(), end.tolist())]
        key = {f: cues.forms[(exact, " ".join(_SPLIT.split(f)) if exact else _SPLIT.sub(" ", f.lower()))]
               for f in set(found)}
        starts.append(start)
        ends.append(end)
        ids.append(np.asarray([key[f] for f in found], dtype=object))
    if cues.regex is not None:
        match = cues.regex.match
        regs = [m.regs[1:] for m in cues.regex.finditer(text)] if regex_positions is None else [
            m.regs[1:] for p in regex_positions if (m := match(text, p)) is not None]
        spans = np.asarray(regs, dtype=np.int64).reshape(len(regs), len(cues.groups), 2)
        which = np.argmax(spans[:, :, 0] >= 0, axis=1)
        start, end = spans[np.arange(len(regs)), which, 0], spans[np.arange(len(regs)), which, 1]
        ok = end > start
        starts.append(start[ok])
        ends.append(end[ok])
        ids.append(np.asarray(cues.groups, dtype=object)[which[ok]])
    if not starts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype=object)
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(ids)


@lru_cache(maxsize=16)
def _ignoring_case(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=16)
def _union(patterns: tuple[str, ...], forms: tuple[frozenset, ...]) -> re.Pattern:
    """One trie of the (case-folded) literal forms of several cue sets (``patterns`` names them)."""
    return re.compile(_trie_pattern(sorted(frozenset().union(*forms))))


def _literal_starts(lower: str | None, cue_sets: list) -> tuple | None:
    """Every position where some cue set's literal trie matches (one search with the union of
    their forms: a set's form matching at a position makes the union match there) and the
    character there; None when fewer than two sets have literal cues (scanning each is then as
    cheap) or the text has no same-length lower-case form. ``regex_positions`` (``_regex_starts``) does
    the same for regex cues."""
    sets = [cs for cs in cue_sets if cs.literal is not None]
    if len(sets) < 2 or lower is None:
        return None
    union = _union(tuple(cs.literal.pattern for cs in sets), tuple(cs.plain_forms for cs in sets))
    starts = _spans(union, lower)[0].tolist()
    return starts, [lower[p] for p in starts]


def longest_first(starts: np.ndarray, ends: np.ndarray, size: int) -> np.ndarray:
    """Indices of the non-overlapping spans kept, taking the longest first (earliest at a tie).

    A span overlapping no other is always kept; the greedy loop runs only over the others."""
    n = len(starts)
    by_start = np.lexsort((ends, starts))
    s, e = starts[by_start], ends[by_start]
    reach = np.maximum.accumulate(e) if n else e
    clash = np.zeros(n, dtype=bool)
    clash[1:] = s[1:] < reach[:-1]  # overlaps a span starting earlier
    clash[:-1] |= s[1:] < e[:-1]  # overlaps the next span
    contested = np.zeros(n, dtype=bool)
    contested[by_start[clash]] = True
    keep = list(np.flatnonzero(~contested))
    rest = np.flatnonzero(contested)
    if len(rest):
        order = rest[np.lexsort((starts[rest], -(ends[rest] - starts[rest])))]
        taken = np.zeros(size + 1, dtype=bool)
        for i in order.tolist():
            a, b = starts[i], ends[i]
            if not taken[a:b].any():
                taken[a:b] = True
                keep.append(i)
    return np.sort(np.asarray(keep, dtype=np.int64))


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    return match_form(char, fold_diacritics=True)


def fold_form(text: str) -> str:
    """``match_form(text, fold_diacritics=True)`` (same length), fast on long texts: only the
    non-ASCII characters are looked at, one cached lookup each."""
    return _NON_ASCII.sub(lambda m: _fold_char(m.group()), text).replace("`", "'")


def match_cues(sentences: pd.DataFrame, cues: pd.DataFrame | CueSet, *, tokens: pd.DataFrame | None = None,
               negators=None, negation_window: int = 3, chunk_size: int = 20_000) -> pd.DataFrame:
    """Every cue hit in ``sentences`` (doc_id, sent_id, start, text), longest first, as an audit table.

    Returns ``AUDIT_COLUMNS`` (+ the cue table's extra columns): ``start``/``end``
    are character offsets into the document's ``clean_text``; ``negated`` is True
    when a negator from ``negators`` (default: the bundled list) is among the
    ``negation_window`` tokens before a negation-sensitive cue (``tokens`` needed).
    """
    return match_layers(sentences, [cues], tokens=tokens, negators=negators, negation_window=negation_window,
                        chunk_size=chunk_size)


def match_layers(sentences: pd.DataFrame, layers: list, *, tokens: pd.DataFrame | None = None, negators=None,
                 negation_window: int = 3, chunk_size: int = 20_000) -> pd.DataFrame:
    """``match_cues`` for several cue sets at once (each resolved on its own), folding the text once.

    Sentences are matched in chunks joined by a separator no cue can cross.
    """
    return match_sets(sentences, [layers], tokens=tokens, negators=negators, negation_window=negation_window,
                      chunk_size=chunk_size)[0]


def match_sets(sentences: pd.DataFrame, groups: list, *, tokens: pd.DataFrame | None = None, negate=None,
               negators=None, negation_window: int = 3, chunk_size: int = 20_000) -> list[pd.DataFrame]:
    """``[match_layers(sentences, g, tokens=tokens if n else None) for g, n in zip(groups, negate)]``
    in one pass: the text folded once per chunk and one token index for every negation check.
    ``groups``: lists of cue sets (tables or ``CueSet``); ``negate``: one flag per group (default all)."""
    groups = [[c if isinstance(c, CueSet) else compiled(c) for c in group] for group in groups]
    negate = [True] * len(groups) if negate is None else list(negate)
    flat = [cs for group in groups for cs in group]
    per_set = _hit_parts(sentences, flat, chunk_size) if not sentences.empty and flat else [[] for _ in flat]
    index = _negation_index(tokens, negators) if tokens is not None and any(negate) and any(per_set) else None
    out, first = [], 0
    for group, n in zip(groups, negate):
        found = per_set[first:first + len(group)]
        first += len(group)
        out.append(_finish(_chunk_major(found), _columns(group), index if n else None, negation_window))
    return out


def _columns(cue_sets: list) -> list[str]:
    return AUDIT_COLUMNS + list(dict.fromkeys(c for cs in cue_sets for c in cs.table.columns
                                              if c not in AUDIT_COLUMNS and c not in ("pattern", "match")))


def _chunk_major(per_set: list) -> list:
    """Parts ordered chunk by chunk, cue set by cue set within a chunk."""
    return [part for _, _, part in sorted(((c, j, part) for j, found in enumerate(per_set) for c, part in found),
                                          key=lambda t: (t[0], t[1]))]


def _regex_starts(text: str, cue_sets: list) -> list[int] | None:
    """Every position where some regex cue of some set matches (one search with all their
    patterns), or None when fewer than two sets have regex cues."""
    if sum(bool(cs.regex_parts) for cs in cue_sets) < 2:
        return None
    return [m.start() for m in _every_start(_any_regex(tuple(p for cs in cue_sets for p in cs.regex_parts)), text)]


@lru_cache(maxsize=16)
def _any_regex(parts: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


def _hit_parts(sentences: pd.DataFrame, cue_sets: list, chunk_size: int) -> list:
    """Per cue set, ``(chunk number, hits)`` for every chunk with a hit."""
    texts = sentences["text"].astype(str).tolist()
    doc_ids, sent_ids = sentences["doc_id"].to_numpy(), sentences["sent_id"].to_numpy()
    sent_starts, sent_texts = sentences["start"].to_numpy(np.int64), sentences["text"].to_numpy()
    per_set = [[] for _ in cue_sets]
    for chunk_no, first in enumerate(range(0, len(texts), chunk_size)):
        chunk = texts[first:first + chunk_size]
        lengths = np.fromiter((len(t) + 1 for t in chunk), dtype=np.int64, count=len(chunk))
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        big = fold_form(_SEP.join(chunk))
        lower = big.lower()
        lower = lower if len(lower) == len(big) else None
        positions, regex_positions = _literal_starts(lower, cue_sets), _regex_starts(big, cue_sets)
        for j, cue_set in enumerate(cue_sets):
            found = _locate(_candidates(big, cue_set, lower, positions, regex_positions), len(big), offsets, lengths)
            if found is None:
                continue
            row, local_start, local_end, ids = found
            at = row + first
            starts = sent_starts[at]
            per_set[j].append((chunk_no, _with_cue_columns(pd.DataFrame({
                "doc_id": doc_ids[at], "sent_id": sent_ids[at],
                "cue_id": ids, "local_start": local_start, "local_end": local_end,
                "start": starts + local_start, "end": starts + local_end, "sentence": sent_texts[at],
                "matched": [chunk[r][a:b] for r, a, b in zip(row.tolist(), local_start.tolist(), local_end.tolist())],
            }), cue_set.table)))
    return per_set


def _with_cue_columns(hits: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``hits.merge(table without pattern/match, on="cue_id", how="left")``; rows taken by position
    when cue ids are unique (always, for a loaded lexicon)."""
    extra = table.drop(columns=["pattern", "match"])
    if not extra["cue_id"].is_unique:
        return hits.merge(extra, on="cue_id", how="left")
    rows = pd.Index(extra["cue_id"]).get_indexer(hits["cue_id"])
    return pd.concat([hits, extra.drop(columns="cue_id").iloc[rows].reset_index(drop=True)], axis=1)


def _finish(parts: list, columns: list, negation, window: int) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=columns)
    hits = pd.concat(parts, ignore_index=True)
    hits["negated"] = _negated(hits, negation, window) if negation is not None else False
    return hits.reindex(columns=columns).sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _locate(candidates, size: int, offsets: np.ndarray, lengths: np.ndarray):
    """Sentence row, local start/end and cue id of each kept hit in a chunk, or None.

    A regex candidate running across the separator into the next sentence is dropped before the
    longest-first choice, so it cannot void a hit there: each sentence's hits depend on it alone."""
    starts, ends, ids = candidates
    row = np.searchsorted(offsets, starts, side="right") - 1
    inside = ends <= offsets[row] + lengths[row] - 1
    starts, ends, ids = starts[inside], ends[inside], ids[inside]
    if not len(starts):
        return None
    keep = longest_first(starts, ends, size)
    starts, ends, ids = starts[keep], ends[keep], ids[keep]
    row = np.searchsorted(offsets, starts, side="right") - 1
    return row, starts - offsets[row], ends - offsets[row], ids


def bundled_negators() -> frozenset[str]:
    return frozenset(load_lexicon("framing_negators", required=("term",), unique=("term",),
                                  lower=("term",)).table["term"])


def negated_hits(hits: pd.DataFrame, tokens: pd.DataFrame, *, negators=None, window: int = 3) -> np.ndarray:
    """True for negation-sensitive hits with a negator among the ``window`` tokens before them
    in the same sentence (vectorised: cumulative negator counts over the token stream)."""
    return _negated(hits, _negation_index(tokens, negators), window)


def _negation_index(tokens: pd.DataFrame, negators=None):
    """The token stream in (document, offset) order with cumulative negator counts."""
    words = bundled_negators() if negators is None else frozenset(negators)
    if tokens.empty:
        return None
    codes, uniques = pd.factorize(tokens["doc_id"])
    docs = pd.Index(uniques)
    tok_doc = codes.astype(np.int64)
    shift = np.int64(1) << 40
    tok_key = tok_doc * shift + tokens["start"].to_numpy(np.int64)
    order = np.argsort(tok_key, kind="stable")
    tok_key = tok_key[order]
    tok_sent = (tok_doc * shift + tokens["sent_id"].to_numpy(np.int64))[order]
    is_neg = tokens["lower"].isin(words).to_numpy(bool)[order]
    cum = np.concatenate(([0], np.cumsum(is_neg)))
    return docs, shift, tok_key, tok_sent, cum


def _negated(hits: pd.DataFrame, index, window: int) -> np.ndarray:
    if index is None or hits.empty:
        return np.zeros(len(hits), dtype=bool)
    docs, shift, tok_key, tok_sent, cum = index
    sensitive = hits.get("negation_sensitive", pd.Series("yes", index=hits.index)).astype(str).str.lower()
    hit_doc = docs.get_indexer(hits["doc_id"]).astype(np.int64)
    first = np.searchsorted(tok_key, hit_doc * shift + hits["start"].to_numpy(np.int64), side="left")
    sent_key = hit_doc * shift + hits["sent_id"].to_numpy(np.int64)
    sent_first = np.searchsorted(tok_sent, sent_key, side="left")  # tokens sorted by doc, then offset
    lo = np.maximum(first - window, sent_first)
    found = (cum[first] - cum[np.minimum(lo, first)]) > 0
    return found & (hit_doc >= 0) & (sensitive.to_numpy() == "yes")
