"""Cleaning: normalisation, boilerplate removal, title/caption/repeat marking.

``clean_documents`` returns ``Cleaned(documents, removals, marks)``:

* ``documents`` gains ``clean_text`` (and ``title`` where one was detected);
* ``removals`` has one row per cut: ``doc_id, rule, start, end, text`` with
  offsets into the NFC-normalised input text, so nothing disappears unseen;
* ``marks`` has one row per marked span of ``clean_text``: ``doc_id, mark
  (title | caption | repeated), rule, start, end, text``; segmentation turns
  them into sentence flags.

Matching is done on ``match_form(text)``, which has exactly the length of the
text it came from (typographic quotes, apostrophes and dashes made plain,
optionally diacritics folded), so every offset found in it points into the
original text.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from .lexicons import load_lexicon

REMOVAL_COLUMNS = ["doc_id", "rule", "start", "end", "text"]
MARK_COLUMNS = ["doc_id", "mark", "rule", "start", "end", "text"]
TERMINAL = tuple(".!?…:;\"'”’»)]")
_MATCH_CHARS = {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‟": '"', "″": '"',
                "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
                "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " "}
_MATCH_CHAR = re.compile("[" + re.escape("".join(_MATCH_CHARS)) + "]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: The characters ``str.isspace`` holds whitespace but ``_SPACES`` does not, and the invisible ones.
_NOT_SPACES = re.compile("[\n\r\x1c-\x1f\x85\u1680\u2028\u2029\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WORD = re.compile(r"\w[\w'’,.-]*\w|\w")


class Cleaned(NamedTuple):
    documents: pd.DataFrame
    removals: pd.DataFrame
    marks: pd.DataFrame


def match_form(text: str, *, fold_diacritics: bool = False) -> str:
    """Same-length copy of ``text`` for matching: ’ -> ', “ ” -> ", dashes -> -, and
    with ``fold_diacritics`` each letter to its base letter (İlham -> Ilham)."""
    # The only ASCII character to replace is the backtick. A regex finding the few characters to
    # replace is ~7x faster than str.translate, which looks up every non-ASCII character.
    plain = text.replace("`", "'") if text.isascii() else _MATCH_CHAR.sub(_match_char, text)
    return "".join(_fold_char(c) for c in plain) if fold_diacritics and not plain.isascii() else plain


def _match_char(match: re.Match) -> str:
    return _MATCH_CHARS[match.group()]


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isascii() or len(char) != 1 else char


def load_boilerplate(source="boilerplate"):
    """Compiled boilerplate rules from the bundled file or a user's TSV/CSV."""
    lexicon = load_lexicon(source, required=("rule_id", "action", "scope", "pattern"), unique=("rule_id",))
    rules = []
    for row in lexicon.table.itertuples(index=False):
        flags = 0 if getattr(row, "case_sensitive", "no") == "yes" else re.IGNORECASE
        try:
            rules.append((row.rule_id, row.action, row.scope, re.compile(row.pattern, flags)))
        except re.error as err:
            raise ValueError(f"{lexicon.path}: rule {row.rule_id!r} has a bad pattern: {err}") from err
    return rules


def _collapse(line: str) -> str:
    """Runs of spaces (``_SPACES``) made one space, invisible characters dropped, stripped. In a line
    without invisible characters and without the whitespace that ``_SPACES`` lacks (``_NOT_SPACES``),
    ``str.split`` separates at the runs of ``_SPACES``: it does the same, faster."""
    if _NOT_SPACES.search(line) is None:
        return " ".join(line.split())
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def _line_key(line: str) -> str:
    """A line's key as ``clean_text`` probes it. ``match_form`` maps one character to one, never to
    or from a space run or an invisible character, so it can go first (and often makes the line ASCII)."""
    return _collapse(match_form(line)).lower()


def find_site_boilerplate(texts, *, min_docs: int = 5, min_share: float = 0.01, max_words: int = 12) -> frozenset:
    """Short lines that recur across documents: a site's own furniture ("Follow us on X",
    section names) that no rules file knows. A line (of at most ``max_words`` words, not
    a document's first line) counts once per distinct text; it is boilerplate when it
    occurs in at least ``min_docs`` documents and ``min_share`` of them."""
    counter = SiteLineCounter(min_docs=min_docs, min_share=min_share, max_words=max_words)
    for text in texts:
        counter.add(text)
    return counter.lines()


class SiteLineCounter:
    """``find_site_boilerplate`` one text at a time, for corpora streamed in chunks.

    Memory is bounded by the distinct short lines, not the texts: texts are
    deduplicated by a 16-byte BLAKE2 digest, lines counted under an 8-byte digest
    of their key, and a key's text is kept only once it occurs in ``min_docs`` texts
    (the least any boilerplate line needs). Two distinct lines sharing an 8-byte
    digest (odds about n^2 / 2^65 for n distinct lines) would be counted together.
    """

    def __init__(self, *, min_docs: int = 5, min_share: float = 0.01, max_words: int = 12):
        self.min_docs, self.min_share, self.max_words = min_docs, min_share, max_words
        self._keep_at = max(1, math.ceil(min_docs))
        self._texts: set[bytes] = set()
        self._counts: dict[bytes, int] = {}
        self._keys: dict[bytes, str] = {}

    def add(self, text: str) -> None:
        """Count the short lines of ``text`` (once per distinct text; its first line never counts)."""
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        if digest in self._texts:
            return
        self._texts.add(digest)
        lines = [k for k in map(_line_key, text.splitlines()) if k]
        for key in set(lines[1:]):
            if key.count(" ") < self.max_words:
                line = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
                n = self._counts[line] = self._counts.get(line, 0) + 1
                if n == self._keep_at:
                    self._keys[line] = key

    def lines(self) -> frozenset:
        """Line keys found in at least ``max(min_docs, min_share x distinct texts)`` texts."""
        threshold = max(self.min_docs, self.min_share * len(self._texts))
        return frozenset(self._keys[line] for line, n in self._counts.items() if n >= threshold)


def clean_text(text: str, doc_id: str = "", *, rules=None, detect_title: bool = True,
               site_lines: frozenset = frozenset()):
    """Clean one text; returns ``(clean_text, title, removals, marks)`` as lists of dicts.

    ``site_lines`` (from ``find_site_boilerplate``) are removed as ``repeated_across_documents``."""
    rules = load_boilerplate() if rules is None else rules
    whole_line = [r for r in rules if r[2] == "line"]
    source = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    removals: list[dict] = []
    paragraphs: list[list[str]] = [[]]
    line_rules: list[list[str | None]] = [[]]
    probes: list[str] = []  # match_form of each kept line, in order
    offset = 0
    first_body_seen = False
    for raw_line in source.split("\n"):
        start, offset = offset, offset + len(raw_line) + 1
        line = _collapse(raw_line)
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
                line_rules.append([])
            continue
        probe = match_form(line)
        if site_lines and probe.lower() in site_lines:
            removals.append(dict(doc_id=doc_id, rule="repeated_across_documents", start=start,
                                 end=start + len(raw_line), text=raw_line.strip()))
            continue
        rule = next((r for r in whole_line if r[3].fullmatch(probe)), None)
        if rule is not None and rule[1] == "remove":
            removals.append(dict(doc_id=doc_id, rule=rule[0], start=start, end=start + len(raw_line),
                                 text=raw_line.strip()))
            continue
        if not first_body_seen and _is_body(line):
            first_body_seen = True
            for rule_id, action, scope, pattern in rules:
                found = pattern.match(probe) if scope == "prefix" and action == "remove" else None
                if found and found.end() < len(line):
                    removals.append(dict(doc_id=doc_id, rule=rule_id, start=start,
                                         end=start + found.end(), text=line[:found.end()]))
                    line, probe = line[found.end():], probe[found.end():]  # match_form is char by char
                    break
        paragraphs[-1].append(line)
        probes.append(probe)
        line_rules[-1].append(rule[0] if rule is not None else None)
    blocks = [(p, r) for p, r in zip(paragraphs, line_rules) if p]
    return _assemble(blocks, probes, doc_id, removals, detect_title)


def _is_body(line: str) -> bool:
    return line.endswith(TERMINAL) and len(line.split()) >= 8


def _assemble(blocks, probes, doc_id, removals, detect_title):
    pieces, marks, spans = [], [], []
    position = 0
    for lines, rules in blocks:
        for j, (line, rule) in enumerate(zip(lines, rules)):
            if pieces:
                pieces.append("\n" if j else "\n\n")
                position += len(pieces[-1])
            spans.append((position, position + len(line), line, rule))
            pieces.append(line)
            position += len(line)
    clean = "".join(pieces)
    title = None
    if detect_title and spans and _looks_like_title(spans, blocks):
        title = spans[0][2]
        marks.append(dict(doc_id=doc_id, mark="title", rule="first_short_line", start=spans[0][0],
                          end=spans[0][1], text=title))
    for i, (start, end, line, rule) in enumerate(spans):
        if i == 0 and title is not None:
            continue
        if rule is not None:
            marks.append(dict(doc_id=doc_id, mark="caption", rule=rule, start=start, end=end, text=line))
        elif _looks_like_caption(line, i, spans):
            marks.append(dict(doc_id=doc_id, mark="caption", rule="no_final_punctuation", start=start,
                              end=end, text=line))
    marks.extend(_repeated_lines(spans, probes, doc_id, skip_first=title is not None))
    return clean, title, removals, marks


def _looks_like_title(spans, blocks) -> bool:
    first = spans[0][2]
    return (len(blocks[0][0]) == 1 and len(first.split()) <= 25 and not first.endswith((".", ","))
            and len(spans) > 1)


def _looks_like_caption(line: str, index: int, spans) -> bool:
    """A standalone line inside the body, of 4+ words, with no final punctuation."""
    return (0 < index < len(spans) and not line.endswith(TERMINAL) and len(line.split()) >= 4)


def _repeated_lines(spans, probes, doc_id, *, skip_first: bool, max_words: int = 40) -> list[dict]:
    """Mark a line whose words are (nearly) all contained in another, longer or earlier, line.

    Overlap coefficient |A & B| / |A| >= 0.8 on lower-cased word sets, for lines of
    6 to ``max_words`` distinct words (captions, pull quotes); the shorter (or later,
    when equal) line is marked. A title (``skip_first``) is neither marked nor
    compared: headlines restate the lede by design.
    """
    lines = [s[2] for s in spans]
    first = 1 if skip_first else 0
    candidates = [i for i in range(first, len(lines)) if 6 <= lines[i].count(" ") + 1 <= max_words + 20]
    if not candidates:
        return []
    words = [frozenset()] * first + [_words(probe) for probe in probes[first:]]
    marks = []
    for i in candidates:
        a = words[i]
        if not 6 <= len(a) <= max_words:
            continue
        for j in range(first, len(words)):
            b = words[j]
            if i == j or len(b) < len(a) or (len(b) == len(a) and j > i):
                continue
            if len(a & b) >= 0.8 * len(a):
                start, end, line, _ = spans[i]
                rule = "exact_repeat" if a == b else "near_repeat"
                marks.append(dict(doc_id=doc_id, mark="repeated", rule=f"{rule}_of_line_{j + 1}",
                                  start=start, end=end, text=line))
                break
    return marks


class _ChunkWords(dict):
    """The ``_WORD`` word of each whitespace-separated chunk met, or None when it has none or several.
    No word holds whitespace and ``_WORD`` looks neither behind nor ahead, so the words of a line are
    those of its chunks. Bounded: emptied at ``_CHUNK_WORDS_LIMIT`` chunks."""

    def __missing__(self, chunk: str) -> str | None:
        if len(self) >= _CHUNK_WORDS_LIMIT:
            self.clear()
        words = _WORD.findall(chunk)
        word = self[chunk] = words[0] if len(words) == 1 else None
        return word


_CHUNK_WORDS_LIMIT = 200_000
_CHUNK_WORDS = _ChunkWords()


def _words(probe: str) -> frozenset:
    """The distinct ``_WORD`` words of a line's lower-cased ``match_form``: one dictionary look-up per
    chunk instead of a regex pass, the regex where a chunk has no word or several."""
    lower = probe.lower()
    words = frozenset(map(_CHUNK_WORDS.__getitem__, lower.split()))
    return frozenset(_WORD.findall(lower)) if None in words else words


def clean_documents(
    documents: pd.DataFrame,
    *,
    boilerplate=None,
    detect_title: bool = True,
    site_boilerplate: bool = True,
    site_lines: frozenset | None = None,
) -> Cleaned:
    """Clean every document; see the module docstring for the three tables returned.

    ``boilerplate`` is a path to a rules file of your own (same columns as the
    bundled ``lexicons/boilerplate.tsv``) or None for the bundled rules. With
    ``site_boilerplate``, short lines recurring across many documents are removed
    too (``find_site_boilerplate``), or the given ``site_lines`` (keys as it returns them,
    e.g. counted over a whole corpus streamed in chunks by ``SiteLineCounter``) when they
    are not None. A title found by cleaning fills ``title``
    only where the loader left it empty. Does not mutate ``documents``.
    """
    rules = load_boilerplate() if boilerplate is None else load_boilerplate(boilerplate)
    if site_lines is None:
        site_lines = find_site_boilerplate(documents["text"]) if site_boilerplate else frozenset()
    cleaned, titles, removals, marks = [], [], [], []
    for doc_id, text in zip(documents["doc_id"], documents["text"]):
        clean, title, doc_removals, doc_marks = clean_text(text, doc_id, rules=rules, detect_title=detect_title,
                                                           site_lines=site_lines)
        cleaned.append(clean)
        titles.append(title)
        removals.extend(doc_removals)
        marks.extend(doc_marks)
    out = documents.copy()
    out["clean_text"] = cleaned
    detected = pd.Series(titles, index=out.index, dtype=object)
    out["title"] = out["title"].where(out["title"].notna() & (out["title"].astype(str) != ""), detected)
    return Cleaned(out, pd.DataFrame(removals, columns=REMOVAL_COLUMNS), pd.DataFrame(marks, columns=MARK_COLUMNS))
