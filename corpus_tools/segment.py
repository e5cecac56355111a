"""Segmentation: sentences and tokens, offline and fast, with offsets kept.

No NLTK data is needed. Sentences come from a rule-based splitter tuned for
news (abbreviations such as U.S., Nov. 10, Dr.; numbers such as 3,000 and
12 o’clock; quotations with curly quotes; headlines and captions without final
punctuation, which sit on lines of their own). It runs in well under a
millisecond per 600-word article, against ~14 ms for pysbd (see
``bench/bench_segment.py``). Lemmas come from simplemma (Barbaresi 2021), a
pip package that carries its own data.

``segment_documents`` returns ``Segmented(sentences, tokens)``:

* sentences: ``doc_id, sent_id, para_id, start, end, text, n_tokens,
  is_title, is_caption, is_repeated, in_quote, quote_share, is_forced_split``;
* tokens: ``doc_id, sent_id, token_id, start, end, token, lower, lemma,
  is_stop, is_word, is_punct, is_num``.

Offsets are character offsets into the document's ``clean_text``.

A "sentence" longer than ``MAX_SENTENCE_CHARS`` is a segmentation failure (a text without
sentence punctuation, a table flattened to one line): it is cut at the last whitespace before
the cap (the first after it when a single token is longer), each piece flagged
``is_forced_split``; ``segmentation_notes`` says so per document for the load report.
"""
from __future__ import annotations

import re
import string
import threading
from functools import lru_cache
from importlib import resources
from itertools import chain, repeat
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .clean import match_form
from .progress import progress

SENTENCE_COLUMNS = ["doc_id", "sent_id", "para_id", "start", "end", "text", "n_tokens",
                    "is_title", "is_caption", "is_repeated", "in_quote", "quote_share", "is_forced_split"]
TOKEN_COLUMNS = ["doc_id", "sent_id", "token_id", "start", "end", "token", "lower", "lemma",
                 "is_stop", "is_word", "is_punct", "is_num"]

# Abbreviations that never end a sentence when followed by a capitalised word or a number.
_NEVER_END = frozenset("""mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep pres amb
    hon rev st mt ft no nos vs v jr sr sens reps supt insp gen. fig figs art arts para paras approx
    ca cf ed eds vol vols pp p op dept est""".split())
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Words that, capitalised after an ambiguous abbreviation (U.S., Inc.), show a new sentence.
_STARTERS = frozenset("""the a an this that these those he she it they we i you his her its their our
    but and or so yet however meanwhile in on at for after before when while if although though as
    there here what who why how according earlier later officials president one many some all""".split())
_COMPANY = frozenset("inc ltd co corp etc llc plc".split())
_ABBREV_LONGEST = max(map(len, _NEVER_END | _MONTHS | _COMPANY))
#: The plain abbreviations, each packed in an integer as _boundaries packs a word (last letter lowest).
_ABBREV_PACKED = np.array([sum(ord(c) << (8 * i) for i, c in enumerate(reversed(word)))
                           for word in _NEVER_END | _MONTHS | _COMPANY if word.isalpha()], dtype=np.int64)
_ABBREV_WINDOW = 40  # characters an abbreviation before a full stop may span
#: Longest sentence kept whole (characters); news sentences rarely pass 600.
MAX_SENTENCE_CHARS = 2000
# A sentence may end after a run of terminals and the closers after it, followed by whitespace
# (_BOUNDARY); _NEXT is what follows: whitespace, openers, a word.
_TERMINALS, _CLOSERS, _OPENERS = ".!?…", "\"'”’»)]", "\"'“‘«(["
_BOUNDARY = re.compile(rf"[{re.escape(_TERMINALS)}]+[{re.escape(_CLOSERS)}]*(?=\s+)")
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n+)")
_NEXT = re.compile(rf"\s+([{re.escape(_OPENERS)}]*)(\S*)")
_QUOTE_CHAR = re.compile('[“”«»"]')
_ABBREV_BEFORE = re.compile(r"((?:[A-Za-z]\.)+[A-Za-z]?|[A-Za-z]+)\.$")
TOKEN_PATTERN = re.compile(
    r"""https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+                          # URL, e-mail
      | (?:[A-Za-z]\.){2,}                                                # U.S., a.m.
      | \d+(?:[.,:/]\d+)+(?:[-‐][^\W\d_]+)?%?|\d+(?:[-‐][^\W\d_]+)+|\d+%?  # 3,000  44-day  12%
      | \w+(?:[-‐]\w+)*(?:['’](?![sS]\b)\w+)*                              # words, o’clock
      | ['’][sS]\b                                                         # possessive ’s
      | [^\w\s]                                                           # punctuation""",
    re.VERBOSE,
)


class Segmented(NamedTuple):
    sentences: pd.DataFrame
    tokens: pd.DataFrame


@lru_cache(maxsize=1)
def bundled_stopwords() -> frozenset[str]:
    return read_stopwords(Path(str(resources.files("corpus_tools") / "lexicons" / "stopwords_en.txt")))


def read_stopwords(path: str | Path) -> frozenset[str]:
    """One lower-case word per line; ``#`` starts a comment line."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


# --------------------------------------------------------------------------- sentences


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, para_id)`` of each sentence of ``text``.

    Paragraphs are separated by blank lines; a single line break is a boundary
    too (headlines, captions), unless the next line starts in lower case (a
    hard-wrapped line). Inside a line, a boundary is ``. ! ? …`` (with closing
    quotes/brackets) followed by space and a capital, digit or opening quote,
    except after a known abbreviation or an initial.
    """
    spans: list[tuple[int, int, int]] = []
    # One pass of _BOUNDARY over the whole text finds the matches it finds line by line (none
    # holds a line break), and more only where a line ends, which is never a boundary.
    # (segment_documents finds the same sentences with numpy, many texts at a time.)
    matches = _BOUNDARY.finditer(text)
    match = next(matches, None)
    for line_start, line_end, para_id in _lines(text):
        cuts = [line_start]
        while match is not None and match.start() < line_end:
            if match.end() < line_end and _is_boundary(text, match.start(), match.end(), line_start, line_end):
                cuts.append(match.end())
            match = next(matches, None)
        cuts.append(line_end)
        for start, end in zip(cuts, cuts[1:]):
            piece = text[start:end]
            stripped = piece.strip()
            if stripped:
                start += len(piece) - len(piece.lstrip())
                spans.append((start, start + len(stripped), para_id))
    return spans


def _lines(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, para_id)`` of each line: paragraphs are cut at blank lines, then at each line
    break not followed by a lower-case letter. A paragraph counts once some text came before it."""
    lines = []
    para_id = position = 0
    seen_text = False
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if paragraph.startswith("\n") and paragraph.isspace():
            para_id += seen_text
        else:
            start = 0
            newline = paragraph.find("\n")
            while newline >= 0:
                if not paragraph[newline + 1:newline + 2].islower():
                    lines.append((position + start, position + newline, para_id))
                    start = newline + 1
                newline = paragraph.find("\n", newline + 1)
            lines.append((position + start, position + len(paragraph), para_id))
            seen_text = seen_text or not (paragraph.isspace() or not paragraph)
        position += len(paragraph)
    return lines


def _sentence_spans(joined: _Joined, lines: np.ndarray) -> np.ndarray:
    """``(start, end, para_id)`` rows of the sentences of ``lines`` (rows ``start, end, para_id`` in
    ``joined.text``, in order): each line cut at its sentence boundaries, each piece stripped."""
    line_start, line_end = lines[:, 0], lines[:, 1]
    starts = np.sort(np.concatenate([line_start, _boundaries(joined, line_start, line_end)]))
    line = np.searchsorted(line_start, starts, side="right") - 1
    ends = np.minimum(np.append(starts[1:], len(joined.text)), line_end[line])
    first = np.searchsorted(joined.non_space, starts)  # first non-space character from the start
    last = np.searchsorted(joined.non_space, ends) - 1  # last one before the end
    keep = first <= last
    return np.column_stack([joined.non_space[first[keep]], joined.non_space[last[keep]] + 1, lines[line[keep], 2]])


def _cap_spans(joined: _Joined, spans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``spans`` with each one longer than ``MAX_SENTENCE_CHARS`` cut at the last whitespace before
    the cap (the first after it when there is none), pieces stripped; and which rows are such pieces."""
    long = np.flatnonzero(spans[:, 1] - spans[:, 0] > MAX_SENTENCE_CHARS)
    if not len(long):
        return spans, np.zeros(len(spans), dtype=bool)
    spaces = np.flatnonzero(joined.classes & _SPACE)
    pieces = []
    for start, end, para in spans[long].tolist():
        cut = []
        while end - start > MAX_SENTENCE_CHARS:
            at = spaces[np.searchsorted(spaces, start + MAX_SENTENCE_CHARS, side="right") - 1]
            if at <= start:  # one token longer than the cap: cut after it
                after = np.searchsorted(spaces, start + MAX_SENTENCE_CHARS)
                if after == len(spaces) or spaces[after] >= end:
                    break
                at = spaces[after]
            last = joined.non_space[np.searchsorted(joined.non_space, at) - 1]  # the piece's last character
            cut.append((start, last + 1, para))
            start = joined.non_space[np.searchsorted(joined.non_space, at)]
        pieces.append([*cut, (start, end, para)])
    counts = np.ones(len(spans), dtype=np.int64)
    counts[long] = [len(p) for p in pieces]
    out = np.repeat(spans, counts, axis=0)
    forced = np.repeat(np.isin(np.arange(len(spans)), long) & (counts > 1), counts)
    first = np.cumsum(counts) - counts
    for row, piece in zip(long.tolist(), pieces):
        out[first[row]:first[row] + len(piece)] = piece
    return out, forced


def segmentation_notes(sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per document with forced splits: ``doc_id, forced_pieces, note`` (for the load report)."""
    split = sentences[sentences["is_forced_split"]] if "is_forced_split" in sentences else sentences.iloc[:0]
    counts = split.groupby("doc_id", sort=False).size()
    return pd.DataFrame({
        "doc_id": counts.index, "forced_pieces": counts.to_numpy(),
        "note": [f"no sentence boundary for over {MAX_SENTENCE_CHARS:,} characters: cut at whitespace into "
                 f"{n:,} pieces (is_forced_split)" for n in counts.to_numpy()]})


def _boundaries(joined: _Joined, line_start: np.ndarray, line_end: np.ndarray) -> np.ndarray:
    """The sentence boundaries inside the lines, sorted: the ends of the ``_BOUNDARY`` matches, found
    line by line, that ``_is_boundary`` accepts, as ``split_sentences`` cuts.

    Vectorised with the same outcomes. A match is a whole run of terminals and the closers after
    it, followed by whitespace before the line's end: line by line the pattern finds nothing else
    (its look-ahead fails at a line's end, and a shorter run would be followed by a terminal or
    closer). Numpy settles the next word's first character, terminals other than one full stop,
    and full stops after a word that is no abbreviation; ``_is_boundary`` decides the others.
    """
    points, classes, n = joined.points, joined.classes, len(joined.points)
    terminal = np.flatnonzero(classes & _TERM)
    if not len(terminal):
        return np.zeros(0, dtype=np.int64)
    run_first = np.concatenate([[True], np.diff(terminal) > 1])
    start = terminal[run_first]
    end = _skip(classes, np.append(terminal[np.flatnonzero(run_first)[1:] - 1], terminal[-1]) + 1, _CLOSE)
    line = np.searchsorted(line_start, start, side="right") - 1
    match = (end < line_end[line]) & (classes[np.minimum(end, n - 1)] & _SPACE > 0)
    start, end, line = start[match], end[match], line[match]
    if not len(start):
        return end
    line_start, line_end = line_start[line], line_end[line]
    # _NEXT: whitespace (up to the line's end: no next word), opening marks, the word, whose first
    # character decides. Where the word is empty an opener came first, never lower case and enough:
    # the character after the openers (whitespace, or the last opener) stands in with that outcome.
    after = np.searchsorted(joined.non_space, end)
    following = joined.non_space[np.minimum(after, len(joined.non_space) - 1)]
    word = _skip(classes, following, _OPEN)
    is_lower, is_upper, is_digit = _char_tests(points[np.minimum(word, n - 1)])
    ok = ((after < len(joined.non_space)) & (following < line_end) & ~is_lower
          & ((word > following) | is_upper | is_digit))
    full_stop = (points[start] == ord(".")) & ~((end - start > 1) & (points[np.minimum(start + 1, n - 1)] == ord(".")))
    accept = ok & ~full_stop
    check = np.flatnonzero(ok & full_stop)
    # A full stop: _is_boundary takes the ASCII letters right before it (they never cross a line's
    # start) for the abbreviation, or, if only one, maybe the end of a dotted one (U.S.). None, more
    # than any abbreviation has, or two or more spelling none of them (compared packed in an integer:
    # lower case, last letter lowest) end a sentence.
    at = start[check]
    letters, packed = np.zeros(len(check), dtype=np.int64), np.zeros(len(check), dtype=np.int64)
    running = np.ones(len(check), dtype=bool)
    for back in range(1, _ABBREV_LONGEST + 2):
        running &= (at >= back) & (classes[np.maximum(at - back, 0)] & _LETTER > 0)
        letters += running
        packed |= np.where(running, points[np.maximum(at - back, 0)] | 0x20, 0).astype(np.int64) << (8 * back - 8)
    accept[check] = (letters == 0) | (letters > _ABBREV_LONGEST) | ((letters > 1) & ~np.isin(packed, _ABBREV_PACKED))
    for i in check[~accept[check]].tolist():
        accept[i] = _is_boundary(joined.text, int(start[i]), int(end[i]), int(line_start[i]), int(line_end[i]))
    return end[accept]


def _skip(classes: np.ndarray, positions: np.ndarray, bit: int) -> np.ndarray:
    """Each position moved past the characters of class ``bit`` that start there."""
    positions = positions.copy()
    while True:
        more = positions < len(classes)
        more[more] = classes[positions[more]] & bit > 0
        if not more.any():
            return positions
        positions += more


def _char_tests(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``str.islower``, ``str.isupper`` and ``str.isdigit`` of each code point (once per distinct one)."""
    distinct, inverse = np.unique(points, return_inverse=True)
    chars = [chr(point) for point in distinct.tolist()]
    return tuple(np.array([test(c) for c in chars], dtype=bool)[inverse] for test in (str.islower, str.isupper,
                                                                                       str.isdigit))


def _is_boundary(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    """Whether the boundary match ``text[start:end]`` ends a sentence, looking only inside its line."""
    following = _NEXT.match(text, end, line_end)
    if following is None:
        return False
    opener, word = following.group(1), following.group(2)
    first = (word[:1] or opener[:1])
    if not first or first.islower() or (not opener and not (first.isupper() or first.isdigit())):
        return False
    terminal = text[start:end]
    if not terminal.startswith(".") or terminal.startswith(".."):
        return True
    # The abbreviation cannot start before the last space (which the pattern cannot match).
    space = text.rfind(" ", line_start, start)
    window = max(start - _ABBREV_WINDOW, space + 1 if space >= 0 else line_start)
    previous = text[window:start]
    if previous.isascii() and previous.isalpha():  # what _ABBREV_BEFORE finds in a plain word
        abbrev, abbrev_start = previous.lower(), window
    else:
        before = _ABBREV_BEFORE.search(text, window, start + 1)
        if before is None:
            return True
        abbrev, abbrev_start = before.group(1).lower(), before.start(1)
    if abbrev in _NEVER_END:
        return False
    if abbrev in _MONTHS:
        return not word[:1].isdigit()
    if len(abbrev) == 1 and abbrev.isalpha() and text[abbrev_start].isupper():
        return False  # an initial, as in "J. Smith"
    if "." in abbrev or abbrev in _COMPANY:
        return word.strip("\"'“‘«(").lower() in _STARTERS
    return True


# --------------------------------------------------------------------------- quotes


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of direct quotations, quote marks included.

    Curly quotes pair “ with ”; straight double quotes pair in order. A quote
    left open at the end of a paragraph runs to the paragraph's end (the news
    convention for quotes that continue into the next paragraph).
    """
    spans = []
    offset = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        open_at = None
        for match in _QUOTE_CHAR.finditer(paragraph):
            char, i = match.group(), match.start()
            if char in "“«" or (char == '"' and open_at is None):
                if open_at is None:
                    open_at = i
            elif open_at is not None:
                spans.append((offset + open_at, offset + i + 1))
                open_at = None
        if open_at is not None and paragraph.strip():
            spans.append((offset + open_at, offset + len(paragraph.rstrip())))
        offset += len(paragraph)
    return spans


def _quote_shares(starts: np.ndarray, ends: np.ndarray, quotes: np.ndarray) -> np.ndarray:
    """Share of each span ``[start, end)`` inside the sorted, disjoint ``quotes`` (n x 2): the
    quoted characters before ``x`` are a running sum, so a span's are ``Q(end) - Q(start)``."""
    if not len(quotes):
        return np.zeros(len(starts))
    q_start, q_end = quotes[:, 0], quotes[:, 1]
    before = np.concatenate([[0], np.cumsum(q_end - q_start)])

    def quoted_before(x):
        i = np.searchsorted(q_start, x, side="right")  # quotes starting at or before x
        last = np.maximum(i - 1, 0)
        return before[last] + np.where(i > 0, np.clip(x - q_start[last], 0, q_end[last] - q_start[last]), 0)

    return (quoted_before(ends) - quoted_before(starts)) / np.maximum(1, ends - starts)


# --------------------------------------------------------------------------- tokens


def token_features(token: str, stopwords: frozenset[str]) -> tuple[str, str, bool, bool, bool, bool]:
    """``(lower, lemma, is_stop, is_word, is_punct, is_num)`` of one token type."""
    import simplemma

    lower = match_form(token).replace("İ", "i").lower()
    has_alpha = any(c.isalpha() for c in token)
    is_punct = not any(c.isalnum() for c in token)
    lemma = simplemma.lemmatize(match_form(token), lang="en").lower() if has_alpha else lower
    is_num = not has_alpha and any(c.isdigit() for c in token)
    return lower, lemma, lower in stopwords, has_alpha, is_punct, is_num


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, token)`` for every token: URLs, dotted abbreviations (U.S.), numbers
    (3,000; 44-day), words with inner hyphens/apostrophes (o’clock), possessive ’s split
    off (Armenia’s -> Armenia + ’s), and each punctuation mark. One text is scanned directly: the
    same tokens as ``tokenize_many`` (whose vocabulary pays off over many texts), five times faster."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN_PATTERN.finditer(text)]


def tokenize_many(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``(tokens, starts, counts)`` of all ``texts``: every token, its start offset in its own
    text, and the number of tokens per text, as ``TOKEN_PATTERN`` finds them text by text."""
    with _VOCABULARY.lock:
        _VOCABULARY.make_room()
        batches = [_VOCABULARY.token_ids(_join(texts[i:i + _BATCH])) for i in range(0, len(texts), _BATCH)]
        token = _VOCABULARY.types(frozenset())["token"]
    ids, starts, counts = _concatenate(batches, 3)
    return token[ids].tolist(), starts, counts


_TERM, _CLOSE, _OPEN, _SPACE, _LETTER = 1, 2, 4, 8, 16


def _character_classes() -> np.ndarray:
    """Bits of ``_TERMINALS``, ``_CLOSERS``, ``_OPENERS``, whitespace (``\\s``, ``str.split`` and
    ``str.isspace`` agree on it) and ASCII letters for each code point up to U+3001; none of the
    higher ones is in a class, and they all look up the last entry."""
    classes = np.zeros(0x3002, dtype=np.uint8)
    spaces = [chr(c) for c in range(len(classes)) if chr(c).isspace()]
    for chars, bit in ((_TERMINALS, _TERM), (_CLOSERS, _CLOSE), (_OPENERS, _OPEN), (spaces, _SPACE),
                       (string.ascii_letters, _LETTER)):
        classes[[ord(c) for c in chars]] |= bit
    return classes


_CLASSES = _character_classes()


class _Joined(NamedTuple):
    """Texts joined with newlines, with the code point and ``_CLASSES`` bits of each character."""
    text: str
    offsets: np.ndarray  # where each text starts
    points: np.ndarray
    classes: np.ndarray
    non_space: np.ndarray  # positions of the characters that are not whitespace


def _join(texts: list[str]) -> _Joined:
    text = "\n".join(texts)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _CLASSES[np.minimum(points, len(_CLASSES) - 1)]
    return _Joined(text, _text_offsets(texts), points, classes, np.flatnonzero(classes & _SPACE == 0))


_BATCH = 2000  # texts joined at a time (bounds the joined string and its arrays)
_VOCABULARY_LIMIT = 200_000  # whitespace-separated chunks kept before the vocabulary starts afresh


class _Growing:
    """A numpy array appended to in place; its storage doubles when full."""

    def __init__(self, dtype):
        self._data = np.empty(1024, dtype=dtype)
        self.size = 0

    def extend(self, values) -> None:
        end = self.size + len(values)
        if end > len(self._data):
            grown = np.empty(max(end, 2 * len(self._data)), dtype=self._data.dtype)
            grown[:self.size] = self._data[:self.size]
            self._data = grown
        self._data[self.size:end] = values
        self.size = end

    @property
    def values(self) -> np.ndarray:
        """The values so far (a view: later appends never change it)."""
        return self._data[:self.size]


class _Vocabulary:
    """The token types a process has met, for ``segment_documents``: the type ids of the tokens of
    each whitespace-separated chunk of text, and each type's length and ``token_features``.

    A worker meets mostly the same chunks document after document, so ``TOKEN_PATTERN`` and
    simplemma run once per new chunk or type instead of once per token. Chunk by chunk is exact:
    no token spans whitespace, and the pattern looks neither behind nor past whitespace (``\\b``
    after ’s sees a non-word character either way), so a chunk's tokens are the ones the pattern
    finds in it alone. Memory is bounded: past ``_VOCABULARY_LIMIT`` chunks it starts afresh.
    """

    _TYPE_COLUMNS = {"token": object, "length": np.int64, "lower": object, "lemma": object,
                     "is_word": bool, "is_punct": bool, "is_num": bool}

    def __init__(self):
        self.lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._chunk_ids: dict[str, int] = {}
        self._chunk_first, self._chunk_count, self._chunk_tokens = (_Growing(np.int64) for _ in range(3))
        self._type_ids: dict[str, int] = {}
        self._types = {name: _Growing(dtype) for name, dtype in self._TYPE_COLUMNS.items()}
        self._stop: dict[frozenset[str], _Growing] = {}
        self._new_chunks: list[list[int]] = []
        self._new_types: list[tuple] = []

    def make_room(self) -> None:
        """Start afresh past ``_VOCABULARY_LIMIT`` chunks (hold ``lock``, before a call's first batch)."""
        if len(self._chunk_ids) > _VOCABULARY_LIMIT:
            self._reset()

    def token_ids(self, joined: _Joined) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(ids, starts, counts)``: the type id of every token of the joined texts, its start in
        its own text, and the number of tokens per text (hold ``lock``). Tokens partition the
        non-whitespace characters, so a token's start is the position of the first non-space
        character after all earlier tokens: one vectorised lookup instead of a search per token."""
        chunks = joined.text.split()
        chunk_ids = np.fromiter(map(self._chunk_ids.get, chunks, repeat(-1)), np.int64, len(chunks))
        for i in np.flatnonzero(chunk_ids < 0).tolist():
            chunk_ids[i] = self._chunk_id(chunks[i])
        self._store_new()
        counts = self._chunk_count.values[chunk_ids]
        ids = self._chunk_tokens.values[np.repeat(self._chunk_first.values[chunk_ids] - (np.cumsum(counts) - counts),
                                                  counts) + np.arange(counts.sum())]
        lengths = self._types["length"].values[ids]
        if len(joined.non_space) != lengths.sum():  # cannot happen (see above); never return wrong offsets
            raise AssertionError("tokens do not partition the non-space characters")
        starts = joined.non_space[np.cumsum(lengths) - lengths]
        owner = np.searchsorted(joined.offsets, starts, side="right") - 1
        return ids, starts - joined.offsets[owner], np.bincount(owner, minlength=len(joined.offsets))

    def types(self, stopwords: frozenset[str]) -> dict[str, np.ndarray]:
        """The columns of the types by id: ``token``, ``length`` and those of ``token_features`` (hold
        ``lock``; later calls never change them)."""
        types = {name: column.values for name, column in self._types.items()}
        stop = self._stop.setdefault(stopwords, _Growing(bool))
        stop.extend([lower in stopwords for lower in types["lower"][stop.size:]])
        types["is_stop"] = stop.values
        return types

    def _chunk_id(self, chunk: str) -> int:
        chunk_id = self._chunk_ids.get(chunk)
        if chunk_id is None:
            chunk_id = self._chunk_ids[chunk] = len(self._chunk_ids)
            self._new_chunks.append([self._type_id(token) for token in TOKEN_PATTERN.findall(chunk)])
        return chunk_id

    def _type_id(self, token: str) -> int:
        type_id = self._type_ids.get(token)
        if type_id is None:
            type_id = self._type_ids[token] = len(self._type_ids)
            lower, lemma, _, is_word, is_punct, is_num = token_features(token, frozenset())
            self._new_types.append((token, len(token), lower, lemma, is_word, is_punct, is_num))
        return type_id

    def _store_new(self) -> None:
        """Move the chunks and types met since the last call into the numpy columns."""
        if self._new_chunks:
            counts = [len(tokens) for tokens in self._new_chunks]
            self._chunk_first.extend(self._chunk_tokens.size + np.cumsum(counts) - counts)
            self._chunk_count.extend(counts)
            self._chunk_tokens.extend(list(chain.from_iterable(self._new_chunks)))
        if self._new_types:
            for column, values in zip(self._types.values(), zip(*self._new_types)):
                column.extend(values)
        self._new_chunks, self._new_types = [], []


_VOCABULARY = _Vocabulary()


# --------------------------------------------------------------------------- documents


def segment_documents(
    documents: pd.DataFrame,
    marks: pd.DataFrame | None = None,
    *,
    text_column: str = "clean_text",
    stopwords: str | Path | frozenset[str] | None = None,
    show_progress: bool | None = None,
) -> Segmented:
    """Split each document's ``text_column`` into sentences and tokens.

    ``marks`` (from ``clean_documents``) sets the title/caption/repeated flags.
    ``stopwords`` is a file of your own or a set; the bundled list otherwise.
    """
    words = _stopword_set(stopwords)
    doc_ids = documents["doc_id"].to_numpy(dtype=object)
    texts = [text if isinstance(text, str) else "" for text in documents[text_column]]
    # One coordinate system for all documents: each text followed by one separator character.
    base = _text_offsets(texts)
    lines, quotes, sentence_parts, sentence_texts, token_parts, forced_parts = [], [], [], [], [], []
    with _VOCABULARY.lock:
        _VOCABULARY.make_room()
        for i in progress(range(len(texts)), desc="segmenting", unit="doc", enabled=show_progress):
            first = i - i % _BATCH  # texts are joined _BATCH at a time, from texts[first]
            offset = base[i] - base[first]
            lines.extend((offset + start, offset + end, para) for start, end, para in _lines(texts[i]))
            quotes.extend((base[i] + start, base[i] + end) for start, end in find_quotes(texts[i]))
            if i + 1 < len(texts) and i + 1 - first < _BATCH:
                continue
            joined = _join(texts[first:i + 1])
            spans, forced = _cap_spans(joined, _sentence_spans(joined, np.array(lines, dtype=np.int64).reshape(-1, 3)))
            forced_parts.append(forced)
            sentence_texts.extend(map(joined.text.__getitem__, map(slice, spans[:, 0].tolist(), spans[:, 1].tolist())))
            sentence_parts.append(spans + [base[first], base[first], 0])
            token_parts.append(_VOCABULARY.token_ids(joined))
            lines = []
        types = _VOCABULARY.types(words)
    spans = np.concatenate([np.zeros((0, 3), dtype=np.int64), *sentence_parts])
    sentence_start, sentence_end = spans[:, 0], spans[:, 1]
    sentence_doc = np.searchsorted(base, sentence_start, side="right") - 1
    sentence_counts = np.bincount(sentence_doc, minlength=len(texts))
    quote_share = _quote_shares(sentence_start, sentence_end, np.array(quotes, dtype=np.int64).reshape(-1, 2))
    sentence_table = _frame({
        "doc_id": doc_ids[sentence_doc], "sent_id": _within(sentence_counts), "para_id": spans[:, 2],
        "start": sentence_start - base[sentence_doc], "end": sentence_end - base[sentence_doc], "text": sentence_texts,
        "n_tokens": np.zeros(len(spans), dtype=np.int64),
        **_mark_flags(marks, doc_ids, base, sentence_start, sentence_end),
        "in_quote": quote_share >= 0.5, "quote_share": quote_share,
        "is_forced_split": np.concatenate([np.zeros(0, dtype=bool), *forced_parts]),
    })
    ids, token_starts, token_counts = _concatenate(token_parts, 3)
    global_sent = np.searchsorted(sentence_start, np.repeat(base, token_counts) + token_starts, side="right") - 1
    token_table = _token_table(doc_ids, ids, token_starts, token_counts,
                               global_sent - np.repeat(np.cumsum(sentence_counts) - sentence_counts, token_counts),
                               types)
    counted = ~types["is_punct"][ids]
    sentence_table["n_tokens"] = np.bincount(global_sent[counted], minlength=len(spans))
    return Segmented(sentence_table, token_table)


def _concatenate(parts: list[tuple], n: int) -> list[np.ndarray]:
    """The ``n`` arrays of each part concatenated (empty int64 arrays without parts)."""
    return [np.concatenate([np.zeros(0, dtype=np.int64), *arrays]) for arrays in (list(zip(*parts)) or [()] * n)]


def _text_offsets(texts: list[str]) -> np.ndarray:
    """Start of each text when the texts are joined with one separator character."""
    return np.cumsum([0] + [len(text) + 1 for text in texts[:-1]]) if texts else np.zeros(0, np.int64)


def _within(counts: np.ndarray) -> np.ndarray:
    """0..n-1 within each run of ``counts`` (sent_id, token_id from per-document counts)."""
    total = int(counts.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)


def _token_table(doc_ids, ids, starts, counts, sent_ids, types) -> pd.DataFrame:
    """The tokens table from the type id of each token and the columns of the types."""
    return _frame({
        "doc_id": np.repeat(doc_ids, counts), "sent_id": sent_ids, "token_id": _within(counts),
        "start": starts, "end": starts + types["length"][ids], **{c: types[c][ids] for c in TOKEN_COLUMNS[5:]},
    })


def _stopword_set(stopwords) -> frozenset[str]:
    if stopwords is None:
        return bundled_stopwords()
    if isinstance(stopwords, (str, Path)):
        return read_stopwords(stopwords)
    return frozenset(stopwords)


def _frame(columns: dict) -> pd.DataFrame:
    # No copy here: DataFrame copies the columns into its blocks.
    return pd.DataFrame({c: pd.Series(v, dtype=_dtype(c), copy=False) for c, v in columns.items()})


def _dtype(column: str) -> str:
    if column.startswith(("is_", "in_")):
        return "bool"
    if column in {"sent_id", "para_id", "start", "end", "n_tokens", "token_id"}:
        return "int64"
    return "float64" if column == "quote_share" else "object"


_MARK_FLAGS = {"title": "is_title", "caption": "is_caption", "repeated": "is_repeated"}


def _mark_flags(marks, doc_ids, base, sentence_start, sentence_end) -> dict[str, np.ndarray]:
    """``is_title``/``is_caption``/``is_repeated``: the sentence overlaps a mark of that kind.
    Sentences are sorted and disjoint, so the ones a mark overlaps are a contiguous run, found
    with two binary searches (offsets as in ``_tables``: one coordinate system for all texts)."""
    flags = {column: np.zeros(len(sentence_start), dtype=bool) for column in _MARK_FLAGS.values()}
    if marks is None or marks.empty or not len(sentence_start):
        return flags
    rows = pd.DataFrame({"doc_id": doc_ids, "base": base}).merge(marks[["doc_id", "mark", "start", "end"]],
                                                                  on="doc_id")
    for mark, column in _MARK_FLAGS.items():
        part = rows[rows["mark"] == mark]
        first = np.searchsorted(sentence_end, (part["base"] + part["start"]).to_numpy(), side="right")
        stop = np.searchsorted(sentence_start, (part["base"] + part["end"]).to_numpy(), side="left")
        cover = np.zeros(len(sentence_start) + 1, dtype=np.int64)
        np.add.at(cover, first, 1)
        np.add.at(cover, np.maximum(stop, first), -1)
        flags[column] = np.cumsum(cover[:-1]) > 0
    return flags


def content_sentences(sentences: pd.DataFrame, *, keep_title: bool = True) -> pd.DataFrame:
    """Sentences an analysis should count: captions and repeated lines dropped
    (they duplicate body text), the title kept unless ``keep_title=False``."""
    keep = ~(sentences["is_caption"] | sentences["is_repeated"])
    if not keep_title:
        keep &= ~sentences["is_title"]
    return sentences[keep]
