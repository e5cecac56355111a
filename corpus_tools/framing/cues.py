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
compiled into ONE trie-shaped regular expression per layer (inside a lookahead,
so it reports the longest cue starting at every word), so the cost per sentence
does not grow with the size of the lexicon; regex cues form one more pattern
with a named group each. Overlaps are resolved longest-first: the longest
candidate is kept and every candidate overlapping it dropped, then the next
longest ("Armed Forces of the Republic of Azerbaijan" over "Republic of
Azerbaijan"; "Government of Azerbaijan" over "The Government"). A negator among the ``negation_window`` tokens before a
negation-sensitive cue (inside its sentence) voids it (the hit is kept with
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
    return CueSet(table.reset_index(drop=True), literal, exact, forms, regex, tuple(groups))


def _trie_pattern(forms: list[str]) -> str:
    """One regex for many phrases: a character trie, longer continuations tried first,
    a space standing for any run of spaces/hyphens, word boundaries at both ends."""
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return r"(?=(?<!\w)(" + _render(trie, "") + "))"


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


_COMPILED: dict[tuple, CueSet] = {}


def compiled(table: pd.DataFrame, *, source: str = "<cues>") -> CueSet:
    """``compile_cues`` with a small cache keyed on the cue rows (lexicons are reused across calls)."""
    key = (source, tuple(map(tuple, table.astype(str).to_numpy())), tuple(table.columns))
    if key not in _COMPILED:
        if len(_COMPILED) >= 32:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = compile_cues(table, source=source)
    return _COMPILED[key]


def _candidates(text: str, cues: CueSet, lower: str | None = None):
    """Candidate hits (longest per start position) of every cue; ``lower`` = ``text.lower()`` when
    it has the same length (else the literal trie runs case-insensitively on ``text``)."""
    starts, ends, ids = [], [], []
    for pattern, exact in ((cues.literal, False), (cues.exact, True)):
        if pattern is None:
            continue
        if not exact:
            pattern, target = (pattern, lower) if lower is not None else (re.compile(pattern.pattern, re.I), text)
        else:
            target = text
        for m in pattern.finditer(target):
            found = m.group(1)
            if not found:
                continue
            key = (exact, " ".join(_SPLIT.split(found)) if exact else _SPLIT.sub(" ", found.lower()))
            starts.append(m.start(1))
            ends.append(m.end(1))
            ids.append(cues.forms[key])
    if cues.regex is not None:
        for m in cues.regex.finditer(text):
            if m.lastgroup and m.end(m.lastgroup) > m.start(m.lastgroup):
                starts.append(m.start(m.lastgroup))
                ends.append(m.end(m.lastgroup))
                ids.append(cues.groups[int(m.lastgroup[1:])])
    return np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64), np.asarray(ids, dtype=object)


def longest_first(starts: np.ndarray, ends: np.ndarray, size: int) -> np.ndarray:
    """Indices of the non-overlapping spans kept, taking the longest first (earliest at a tie)."""
    order = np.lexsort((starts, -(ends - starts)))
    taken = np.zeros(size + 1, dtype=bool)
    keep = []
    for i in order:
        if not taken[starts[i]:ends[i]].any():
            taken[starts[i]:ends[i]] = True
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
    cue_sets = [c if isinstance(c, CueSet) else compiled(c) for c in layers]
    extra = list(dict.fromkeys(c for cs in cue_sets for c in cs.table.columns
                               if c not in AUDIT_COLUMNS and c not in ("pattern", "match")))
    columns = AUDIT_COLUMNS + extra
    if sentences.empty or not cue_sets:
        return pd.DataFrame(columns=columns)
    texts = sentences["text"].astype(str).tolist()
    parts = []
    for first in range(0, len(texts), chunk_size):
        chunk = texts[first:first + chunk_size]
        lengths = np.fromiter((len(t) + 1 for t in chunk), dtype=np.int64, count=len(chunk))
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        big = fold_form(_SEP.join(chunk))
        lower = big.lower()
        lower = lower if len(lower) == len(big) else None
        sent = sentences.iloc[first:first + chunk_size]
        for cue_set in cue_sets:
            found = _locate(big, lower, cue_set, offsets, lengths)
            if found is None:
                continue
            row, local_start, local_end, ids = found
            picked = sent.iloc[row]
            starts = picked["start"].to_numpy(np.int64)
            parts.append(pd.DataFrame({
                "doc_id": picked["doc_id"].to_numpy(), "sent_id": picked["sent_id"].to_numpy(),
                "cue_id": ids, "local_start": local_start, "local_end": local_end,
                "start": starts + local_start, "end": starts + local_end, "sentence": picked["text"].to_numpy(),
            }).merge(cue_set.table.drop(columns=["pattern", "match"]), on="cue_id", how="left"))
    if not parts:
        return pd.DataFrame(columns=columns)
    hits = pd.concat(parts, ignore_index=True)
    hits["matched"] = [s[a:b] for s, a, b in zip(hits["sentence"], hits["local_start"], hits["local_end"])]
    hits["negated"] = negated_hits(hits, tokens, negators=negators, window=negation_window) \
        if tokens is not None else False
    return hits.reindex(columns=columns).sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _locate(big: str, lower: str | None, cue_set: CueSet, offsets: np.ndarray, lengths: np.ndarray):
    """Sentence row, local start/end and cue id of each kept hit in a chunk, or None."""
    starts, ends, ids = _candidates(big, cue_set, lower)
    if not len(starts):
        return None
    keep = longest_first(starts, ends, len(big))
    starts, ends, ids = starts[keep], ends[keep], ids[keep]
    row = np.searchsorted(offsets, starts, side="right") - 1
    inside = ends <= offsets[row] + lengths[row] - 1  # a regex could run across the separator
    row, starts, ends, ids = row[inside], starts[inside], ends[inside], ids[inside]
    return row, starts - offsets[row], ends - offsets[row], ids


def bundled_negators() -> frozenset[str]:
    return frozenset(load_lexicon("framing_negators", required=("term",), unique=("term",),
                                  lower=("term",)).table["term"])


def negated_hits(hits: pd.DataFrame, tokens: pd.DataFrame, *, negators=None, window: int = 3) -> np.ndarray:
    """True for negation-sensitive hits with a negator among the ``window`` tokens before them
    in the same sentence (vectorised: cumulative negator counts over the token stream)."""
    words = bundled_negators() if negators is None else frozenset(negators)
    sensitive = hits.get("negation_sensitive", pd.Series("yes", index=hits.index)).astype(str).str.lower()
    if tokens.empty or hits.empty:
        return np.zeros(len(hits), dtype=bool)
    docs = pd.Index(pd.unique(tokens["doc_id"]))
    tok_doc = docs.get_indexer(tokens["doc_id"]).astype(np.int64)
    shift = np.int64(1) << 40
    tok_key = tok_doc * shift + tokens["start"].to_numpy(np.int64)
    order = np.argsort(tok_key, kind="stable")
    tok_key = tok_key[order]
    tok_sent = (tok_doc * shift + tokens["sent_id"].to_numpy(np.int64))[order]
    lower = tokens["lower"].to_numpy()[order]
    is_neg = pd.Series(lower).isin(words).to_numpy()
    cum = np.concatenate(([0], np.cumsum(is_neg)))
    hit_doc = docs.get_indexer(hits["doc_id"]).astype(np.int64)
    first = np.searchsorted(tok_key, hit_doc * shift + hits["start"].to_numpy(np.int64), side="left")
    sent_key = hit_doc * shift + hits["sent_id"].to_numpy(np.int64)
    sent_first = np.searchsorted(tok_sent, sent_key, side="left")  # tokens sorted by doc, then offset
    lo = np.maximum(first - window, sent_first)
    found = (cum[first] - cum[np.minimum(lo, first)]) > 0
    return found & (hit_doc >= 0) & (sensitive.to_numpy() == "yes")

