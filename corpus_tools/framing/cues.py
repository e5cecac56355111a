"""The cue-matching engine shared by every framing layer.

A cue table has one row per cue: ``cue_id, pattern, match`` (+ any columns the
layer needs, carried into the hits). ``match`` is

* ``phrase``: case-insensitive words, any run of spaces/hyphens between them;
* ``exact``: the same, case-sensitive;
* ``lemma``: the words and their English inflections (``accuse`` also finds
  accuses, accused, accusing; ``say`` finds said), function words kept as is;
* ``regex``: a Python regular expression (case-insensitive, no capturing groups).

Matching runs on ``match_form(text, fold_diacritics=True)`` (same length as the
text, so offsets point into ``clean_text``). Each cue set's phrase, lemma and exact
cues are compiled into trie-shaped regular expressions that report the longest cue
starting at every position. The phrase and lemma forms of all the sets matched
together (``match_sets``) are found instead by one Aho-Corasick scan (Aho & Corasick
1975) of the lower-cased text with each run of spaces/hyphens squeezed to one space,
the word boundaries and the longest form per start then checked for every
occurrence at once: the same hits as the tries (a test compares them), at a cost
that does not grow with the size of the lexicons. Each regex cue is searched once
per chunk; a set takes, at each position, its first regex cue (in file order) that
matches there. Overlaps are resolved longest-first: the longest candidate is kept and every
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
from itertools import chain

import ahocorasick
import numpy as np
import pandas as pd

from ..clean import match_form
from ..lexicons import Lexicon, LexiconError, load_lexicon

try:  # the regular-expression parser and compiler, to find the characters a regex cue can start with
    from re import _compiler as _sre_compile, _constants as _sre, _parser as _sre_parse
except ImportError:  # Python 3.10
    import sre_compile as _sre_compile
    import sre_constants as _sre
    import sre_parse as _sre_parse

MATCH_TYPES = ("phrase", "exact", "lemma", "regex")
#: The audit table: every hit of every layer, traceable to its characters.
AUDIT_COLUMNS = ["doc_id", "sent_id", "layer", "category", "cue_id", "matched", "start", "end",
                 "weight", "negated"]
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


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (a key of the ``_literals`` cache)
class CueSet:
    """Compiled cues of one layer: trie regexes for literal cues, the regex cues one by one."""
    table: pd.DataFrame
    literal: re.Pattern | None
    exact: re.Pattern | None
    forms: dict
    regex: tuple  # the regex cues (folded, case-insensitive), in file order
    groups: tuple
    plain_forms: frozenset = frozenset()  # the case-folded literal forms (the ``literal`` trie's)


def compile_cues(table: pd.DataFrame, *, source: str = "<cues>") -> CueSet:
    """Compile a cue table (``cue_id, pattern, match`` at least) for ``match_cues``.

    Errors name the file (``source``), the line and the problem: unknown match
    type, a regex that does not compile or has capturing groups, or two cues
    with the same surface form.
    """
    own: dict[tuple[bool, str], tuple[str, int]] = {}
    inflected: dict[tuple[bool, str], str] = {}
    regexes, groups = [], []
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
            regexes.append(re.compile(match_form(row.pattern, fold_diacritics=True), re.IGNORECASE))
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
    return CueSet(table.reset_index(drop=True), literal, exact, forms, tuple(regexes), tuple(groups),
                  frozenset(plain_forms))


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
    while pos <= len(target) and (m := search(target, pos)) is not None:  # an empty match may end the text
        yield m
        pos = m.start() + 1


def _all_spans(pattern: re.Pattern, target: str, group: int = 0) -> np.ndarray:
    """Start and end (rows) of ``group`` of ``pattern`` at every position where it matches."""
    return np.asarray([m.span(group) for m in _every_start(pattern, target)], dtype=np.int64).reshape(-1, 2)


def _spans(pattern: re.Pattern, target: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of group 1 (non-empty) of ``pattern`` at every position where it matches."""
    found = _all_spans(pattern, target, 1)
    found = found[found[:, 1] > found[:, 0]]
    return found[:, 0], found[:, 1]


def _candidates(text: str, cues: CueSet, literal: tuple | None, regex: tuple | None):
    """Candidate hits (start, end, cue-table row; longest per start position) of every cue: literal,
    then exact, then regex ones, each in text order. ``literal``: the set's ``_literal_spans`` on
    ``text.lower()``; None when that has another length (the literal trie then runs
    case-insensitively on ``text``). ``regex``: the set's ``_regex_spans``."""
    found = [literal]
    if literal is None and cues.literal is not None:
        found.append(_trie_spans(_ignoring_case(cues.literal.pattern), text, cues, False))
    if cues.exact is not None:
        found.append(_trie_spans(cues.exact, text, cues, True))
    found = [f for f in (*found, regex) if f is not None]
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return tuple(np.concatenate(column) for column in zip(*found))


def _trie_spans(pattern: re.Pattern, target: str, cues: CueSet, exact: bool) -> tuple:
    """Start, end and cue-table row of the match of a trie of ``cues`` at every position where it
    matches; the cue looked up by the normalised matched text."""
    start, end = _spans(pattern, target)
    found = [target[a:b] for a, b in zip(start.tolist(), end.tolist())]
    row_of = _cue_columns(cues)[0]
    key = {f: row_of[cues.forms[(exact, " ".join(_SPLIT.split(f)) if exact else _SPLIT.sub(" ", f.lower()))]]
           for f in set(found)}
    return start, end, np.asarray([key[f] for f in found], dtype=np.int64)


@lru_cache(maxsize=64)
def _cue_columns(cues: CueSet) -> tuple[dict, np.ndarray, pd.DataFrame, pd.DataFrame | None]:
    """The row of each cue id in the cue table, its cue ids (objects), its columns but pattern and match,
    and those but cue_id when cue ids are unique (always, for a loaded lexicon), else None."""
    ids = cues.table["cue_id"].to_numpy(dtype=object)
    extra = cues.table.drop(columns=["pattern", "match"])
    return ({cue_id: i for i, cue_id in enumerate(ids)}, ids, extra,
            extra.drop(columns="cue_id") if extra["cue_id"].is_unique else None)


@lru_cache(maxsize=16)
def _ignoring_case(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class _Literals:
    """The literal (phrase/lemma) forms of several cue sets in one Aho-Corasick automaton."""
    automaton: ahocorasick.Automaton | None  # value of a form: its row in the arrays below
    lengths: np.ndarray  # characters per form
    word_end: np.ndarray  # the form ends with a word character (its trie then demands (?!\w) after it)
    cue_rows: np.ndarray  # forms x sets: the row of the form's cue in the set's table (-1: not the set's)


@lru_cache(maxsize=16)
def _literals(cue_sets: tuple) -> _Literals:
    forms = sorted(frozenset().union(*(cs.plain_forms for cs in cue_sets)) - {""})  # "" never makes a hit
    automaton = ahocorasick.Automaton() if forms else None  # (one without words cannot search)
    for i, form in enumerate(forms):
        automaton.add_word(form, i)
    if automaton is not None:
        automaton.make_automaton()
    rows = [[_cue_columns(cs)[0][cs.forms[(False, f)]] if f in cs.plain_forms else -1 for cs in cue_sets]
            for f in forms]
    return _Literals(automaton, np.asarray([len(f) for f in forms], dtype=np.int64),
                     np.asarray([f[-1].isalnum() or f[-1] == "_" for f in forms], dtype=bool),
                     np.asarray(rows, dtype=np.int64).reshape(len(forms), len(cue_sets)))


_WORD_CHAR, _SEP_CHAR = re.compile(r"\w"), re.compile(r"[\s\-]")


def _where(pattern: re.Pattern, chars: str) -> np.ndarray:
    """Whether the one-character ``pattern`` matches each character of ``chars``."""
    flag = np.zeros(len(chars), dtype=bool)
    flag[[m.start() for m in pattern.finditer(chars)]] = True
    return flag


def _flags(chars: str) -> tuple[np.ndarray, np.ndarray]:
    """Whether each character is ``\\w`` and whether it is ``[\\s\\-]``, as ``re`` decides."""
    return _where(_WORD_CHAR, chars), _where(_SEP_CHAR, chars)


@lru_cache(maxsize=1)
def _plane() -> str:
    """Every character of the Basic Multilingual Plane, in code-point order."""
    return "".join(map(chr, range(0x10000)))


@lru_cache(maxsize=1)
def _plane_flags() -> tuple[np.ndarray, np.ndarray]:
    """``_flags`` of every character of the Basic Multilingual Plane, indexed by code point."""
    return _flags(_plane())


def _char_flags(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_flags`` of the characters with code points ``codes``."""
    word, sep = (flag[np.minimum(codes, 0xFFFF)] for flag in _plane_flags())
    astral = np.flatnonzero(codes > 0xFFFF)
    if len(astral):
        word[astral], sep[astral] = _flags(codes[astral].tobytes().decode("utf-32-le"))
    return word, sep


def _literal_spans(lower: str, cue_sets: list) -> list:
    """Per cue set, start, end and cue-table row of its longest literal (phrase/lemma) form at every position
    of ``lower`` where one matches (None for a set without such cues): what its ``literal`` trie finds
    there, for all sets with one Aho-Corasick scan (Aho & Corasick 1975) of ``lower`` with every run
    of spaces/hyphens squeezed to one space (the trie's ``[\\s\\-]+``), the word boundaries then
    checked on ``lower`` for every occurrence at once."""
    union = _literals(tuple(cue_sets))
    codes = np.frombuffer(lower.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    word, sep = _char_flags(codes)
    kept = np.ones(len(codes), dtype=bool)
    kept[1:] = ~(sep[1:] & sep[:-1])  # a run of separators keeps its first character
    at = np.flatnonzero(kept)  # squeezed position -> position in lower
    squeezed = np.where(sep, np.uint32(32), codes)[kept].tobytes().decode("utf-32-le", "surrogatepass")
    found = np.fromiter(chain.from_iterable(union.automaton.iter(squeezed)), dtype=np.int64) \
        if union.automaton is not None else np.zeros(0, np.int64)
    last, form = found[0::2], found[1::2]
    start, end = at[last - union.lengths[form] + 1], at[last] + 1  # forms neither start nor end with a space
    word = np.append(word, False)  # word[-1]: before the text; word[len(lower)]: after it
    ok = ~word[start - 1] & ~(union.word_end[form] & word[end])  # (?<!\w) before, (?!\w) after
    row, which = np.nonzero(union.cue_rows[form[ok]] >= 0)
    start, end, form = start[ok][row], end[ok][row], form[ok][row]
    order = np.lexsort((-end, start, which))  # by set, start, longest first
    start, end, form, which = start[order], end[order], form[order], which[order]
    first = np.ones(len(start), dtype=bool)
    first[1:] = (which[1:] != which[:-1]) | (start[1:] != start[:-1])
    start, end, form, which = start[first], end[first], form[first], which[first]
    bounds = np.searchsorted(which, np.arange(len(cue_sets) + 1))
    return [None if cs.literal is None else (start[a:b], end[a:b], union.cue_rows[form[a:b], j])
            for j, (cs, a, b) in enumerate(zip(cue_sets, bounds[:-1], bounds[1:]))]


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
    keep = np.flatnonzero(~contested)
    rest = np.flatnonzero(contested)
    if len(rest):
        order = rest[np.lexsort((starts[rest], -(ends[rest] - starts[rest])))]
        taken, won = bytearray(size + 1), []
        for i, a, b in zip(order.tolist(), starts[order].tolist(), ends[order].tolist()):
            if taken.find(1, a, b) < 0:
                taken[a:b] = b"\x01" * (b - a)
                won.append(i)
        keep = np.concatenate((keep, np.asarray(won, dtype=np.int64)))
    return np.sort(keep)


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


_ZERO_WIDTH = {_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT}
_ONE_CHARACTER = {_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY}
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)
#: Above this share of positions to try, one search of the whole text is cheaper than a match at each.
_MAX_SCOUTED_SHARE = 1 / 16


def _first_items(items) -> tuple[list, bool] | None:
    """The one-character items of a parsed regex (``items``) that can consume the first character
    of its match, and whether it can match the empty string; None for constructs not handled."""
    first = []
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op in _ONE_CHARACTER:
            return [*first, (op, av)], False
        if op is _sre.SUBPATTERN and not av[1] and not av[2]:  # a group without scoped flags
            found = _first_items(av[3])
        elif op is _ATOMIC:
            found = _first_items(av)
        elif op is _sre.BRANCH:
            branches = [_first_items(branch) for branch in av[1]]
            found = None if None in branches else ([item for b in branches for item in b[0]],
                                                   any(b[1] for b in branches))
        elif op in _REPEATS:
            found = _first_items(av[2])
            found = found and (found[0], found[1] or av[0] == 0)
        else:
            return None
        if found is None:
            return None
        first += found[0]
        if not found[1]:
            return first, False
    return first, True


@lru_cache(maxsize=256)
def _scout(pattern: re.Pattern) -> tuple[np.ndarray, bool] | None:
    """Which characters a match of ``pattern`` can start with (a table by code point, the last
    entry standing for every astral character: yes) and whether it must also start a word (a
    leading ``\\b`` before word characters only); None when a match may start anywhere (it may be
    empty) or the pattern holds constructs ``_first_items`` does not handle."""
    try:  # re's parser and compiler are private modules: if another Python changes them, search
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        found = _first_items(parsed.data)
        if found is None or found[1]:
            return None
        alternatives = [_sre_parse.SubPattern(parsed.state, [item]) for item in found[0]]
        one = _sre_parse.SubPattern(parsed.state, [(_sre.BRANCH, (None, alternatives))])  # one character
        table = _where(_sre_compile.compile(one, pattern.flags), _plane())
    except Exception:  # noqa: BLE001
        return None
    leading = []
    for op, av in parsed.data:
        if op not in _ZERO_WIDTH:
            break
        leading.append((op, av))
    word_start = ((_sre.AT, _sre.AT_BOUNDARY) in leading and not pattern.flags & re.ASCII
                  and not (table & ~_plane_flags()[0]).any())
    return np.append(table, True), word_start


def _regex_matches(text: str, patterns: list) -> dict:
    """Start and end (rows) of each pattern's match at every position where it matches: tried only
    at the positions its ``_scout`` lets through (found with numpy over the code points), or
    searched (``_all_spans``) when it has none or more than ``_MAX_SCOUTED_SHARE`` pass."""
    scouts = {pattern: _scout(pattern) for pattern in patterns}
    found = {pattern: _all_spans(pattern, text) for pattern in patterns if scouts[pattern] is None}
    scouted = [pattern for pattern in patterns if scouts[pattern] is not None]
    if not scouted:
        return found
    codes = np.minimum(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32), 0x10000)
    maybe = np.flatnonzero(np.logical_or.reduce([scouts[pattern][0] for pattern in scouted])[codes])
    word = np.append(_plane_flags()[0], False)  # an astral character before counts as no word character
    for pattern in scouted:
        table, word_start = scouts[pattern]
        at = maybe[table[codes[maybe]]]
        if word_start:
            at = at[(at == 0) | ~word[codes[at - 1]]]
        if len(at) > len(text) * _MAX_SCOUTED_SHARE:
            found[pattern] = _all_spans(pattern, text)
            continue
        match = pattern.match
        found[pattern] = np.asarray([m.span() for i in at.tolist() if (m := match(text, i)) is not None],
                                    dtype=np.int64).reshape(-1, 2)
    return found


def _regex_spans(text: str, cue_sets: list) -> list:
    """Per cue set, start, end and cue-table row of its first regex cue (in file order) matching at every
    position where one matches (None for a set without regex cues), empty matches dropped: each
    distinct pattern is matched once (``_regex_matches``)."""
    found = _regex_matches(text, list(dict.fromkeys(pattern for cs in cue_sets for pattern in cs.regex)))
    out = []
    for cs in cue_sets:
        if not cs.regex:
            out.append(None)
            continue
        spans = np.concatenate([found[pattern] for pattern in cs.regex])
        which = np.repeat(np.arange(len(cs.regex)), [len(found[pattern]) for pattern in cs.regex])
        order = np.lexsort((which, spans[:, 0]))
        spans, which = spans[order], which[order]
        first = np.ones(len(spans), dtype=bool)
        first[1:] = spans[1:, 0] != spans[:-1, 0]
        ok = first & (spans[:, 1] > spans[:, 0])
        rows = np.asarray([_cue_columns(cs)[0][cue_id] for cue_id in cs.groups], dtype=np.int64)
        out.append((spans[ok, 0], spans[ok, 1], rows[which[ok]]))
    return out


def _hit_parts(sentences: pd.DataFrame, cue_sets: list, chunk_size: int) -> list:
    """Per cue set, ``(chunk number, hits)`` for every chunk with a hit."""
    texts = sentences["text"].astype(str).tolist()
    doc_ids, sent_ids = sentences["doc_id"].to_numpy(), sentences["sent_id"].to_numpy()
    sent_starts = sentences["start"].to_numpy(np.int64)
    per_set = [[] for _ in cue_sets]
    for chunk_no, first in enumerate(range(0, len(texts), chunk_size)):
        chunk = texts[first:first + chunk_size]
        lengths = np.fromiter((len(t) + 1 for t in chunk), dtype=np.int64, count=len(chunk))
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        joined = _SEP.join(chunk)
        big = fold_form(joined)
        lower = big.lower()
        lower = lower if len(lower) == len(big) else None
        literal = _literal_spans(lower, cue_sets) if lower is not None else [None] * len(cue_sets)
        regex = _regex_spans(big, cue_sets)
        for j, cue_set in enumerate(cue_sets):
            found = _locate(_candidates(big, cue_set, literal[j], regex[j]), len(big), offsets, lengths)
            if found is None:
                continue
            row, start, end, cue_rows = found
            at = row + first
            shift = sent_starts[at] - offsets[row]
            per_set[j].append((chunk_no, _with_cue_columns(pd.DataFrame({
                "doc_id": doc_ids[at], "sent_id": sent_ids[at], "cue_id": _cue_columns(cue_set)[1][cue_rows],
                "start": start + shift, "end": end + shift,
                "matched": [joined[a:b] for a, b in zip(start.tolist(), end.tolist())],
            }), cue_set, cue_rows)))
    return per_set


def _with_cue_columns(hits: pd.DataFrame, cues: CueSet, rows: np.ndarray) -> pd.DataFrame:
    """``hits.merge(cue table without pattern/match, on="cue_id", how="left")``; ``rows`` (of the
    hits' cues in the table) taken by position when cue ids are unique."""
    _, _, extra, unique = _cue_columns(cues)
    if unique is None:
        return hits.merge(extra, on="cue_id", how="left")
    return pd.concat([hits, unique.iloc[rows].reset_index(drop=True)], axis=1)


def _finish(parts: list, columns: list, negation, window: int) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=columns)
    hits = pd.concat(parts, ignore_index=True)
    hits["negated"] = _negated(hits, negation, window) if negation is not None else False
    return hits.reindex(columns=columns).sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _locate(candidates, size: int, offsets: np.ndarray, lengths: np.ndarray):
    """Sentence row, start/end (in the chunk) and cue row of each kept hit in a chunk, or None.

    A regex candidate running across the separator into the next sentence is dropped before the
    longest-first choice, so it cannot void a hit there: each sentence's hits depend on it alone."""
    starts, ends, ids = candidates
    row = np.searchsorted(offsets, starts, side="right") - 1
    inside = ends <= offsets[row] + lengths[row] - 1
    starts, ends, ids = starts[inside], ends[inside], ids[inside]
    if not len(starts):
        return None
    keep = longest_first(starts, ends, size)
    return row[inside][keep], starts[keep], ends[keep], ids[keep]


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
