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
  is_title, is_caption, is_repeated, in_quote, quote_share``;
* tokens: ``doc_id, sent_id, token_id, start, end, token, lower, lemma,
  is_stop, is_word, is_punct, is_num``.

Offsets are character offsets into the document's ``clean_text``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .clean import match_form
from .progress import progress

SENTENCE_COLUMNS = ["doc_id", "sent_id", "para_id", "start", "end", "text", "n_tokens",
                    "is_title", "is_caption", "is_repeated", "in_quote", "quote_share"]
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
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+)")
_NEXT = re.compile(r"\s+([\"'“‘«(\[]*)(\S*)")
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
    para_id = 0
    position = 0
    for paragraph in re.split(r"(\n[ \t]*\n+)", text):
        if paragraph.startswith("\n") and not paragraph.strip():
            position += len(paragraph)
            para_id += 1 if spans else 0
            continue
        for start, end in _lines(paragraph, position):
            spans.extend((s, e, para_id) for s, e in _split_line(text, start, end))
        position += len(paragraph)
    return spans


def _lines(paragraph: str, offset: int):
    start = 0
    for match in re.finditer(r"\n", paragraph):
        following = paragraph[match.end():match.end() + 1]
        if following and following.islower():
            continue
        yield offset + start, offset + match.start()
        start = match.end()
    yield offset + start, offset + len(paragraph)


def _split_line(text: str, start: int, end: int):
    line = text[start:end]
    begin = 0
    for match in _BOUNDARY.finditer(line):
        if _is_boundary(line, match):
            yield from _trimmed(text, start + begin, start + match.end())
            begin = match.end()
    yield from _trimmed(text, start + begin, end)


def _trimmed(text: str, start: int, end: int):
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        yield start + lead, start + lead + len(stripped)


def _is_boundary(line: str, match: re.Match) -> bool:
    following = _NEXT.match(line, match.end())
    if following is None:
        return False
    opener, word = following.group(1), following.group(2)
    first = (word[:1] or opener[:1])
    if not first or first.islower() or (not opener and not (first.isupper() or first.isdigit())):
        return False
    terminal = match.group()
    if not terminal.startswith(".") or terminal.startswith(".."):
        return True
    # The abbreviation cannot start before the last space (which the pattern cannot match).
    window = max(match.start() - 40, line.rfind(" ", 0, match.start()) + 1)
    previous = line[window:match.start()]
    if previous.isascii() and previous.isalpha():  # what _ABBREV_BEFORE finds in a plain word
        abbrev, abbrev_start = previous.lower(), window
    else:
        before = _ABBREV_BEFORE.search(line, window, match.start() + 1)
        if before is None:
            return True
        abbrev, abbrev_start = before.group(1).lower(), before.start(1)
    if abbrev in _NEVER_END:
        return False
    if abbrev in _MONTHS:
        return not word[:1].isdigit()
    if len(abbrev) == 1 and abbrev.isalpha() and line[abbrev_start].isupper():
        return False  # an initial, as in "J. Smith"
    if "." in abbrev or abbrev in {"inc", "ltd", "co", "corp", "etc", "llc", "plc"}:
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
    for paragraph in re.split(r"(\n[ \t]*\n+)", text):
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


_FEATURE_CACHE: dict[frozenset[str], dict[str, tuple]] = {}
_FEATURE_CACHE_LIMIT = 2_000_000


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
    off (Armenia’s -> Armenia + ’s), and each punctuation mark."""
    tokens, starts, _ = tokenize_many([text])
    return [(int(start), int(start) + len(token), token) for start, token in zip(starts, tokens)]


#: TOKEN_PATTERN without its URL and e-mail alternatives, which cannot match a text with no
#: "@", "http" or "www." in it; the three scans they cost on every word are then skipped.
_TOKEN_PATTERN_PLAIN = re.compile(TOKEN_PATTERN.pattern.replace(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+", "(?!)"), re.VERBOSE)
#: Code points that ``\s`` matches (exactly those for which ``str.isspace()`` is true).
_SPACES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


def tokenize_many(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``(tokens, starts, counts)`` of all ``texts`` in one regex pass: every token, its start
    offset in its own text, and the number of tokens per text.

    The texts are joined with newlines (no token spans whitespace, so none spans two texts).
    Tokens partition the non-whitespace characters, so a token's start is the position of
    the first non-space character after all earlier tokens: one vectorised lookup instead of
    a ``str.find`` per token."""
    joined = "\n".join(texts)
    pattern = TOKEN_PATTERN if ("@" in joined or "http" in joined or "www." in joined) else _TOKEN_PATTERN_PLAIN
    tokens = pattern.findall(joined)
    lengths = np.fromiter(map(len, tokens), np.int64, len(tokens))
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    non_space = np.flatnonzero(~np.isin(points, _SPACES))
    if len(non_space) != lengths.sum():  # cannot happen (see above); never return wrong offsets
        raise AssertionError("tokens do not partition the non-space characters")
    starts = non_space[np.cumsum(lengths) - lengths]
    text_starts = _text_offsets(texts)
    owner = np.searchsorted(text_starts, starts, side="right") - 1
    return tokens, starts - text_starts[owner], np.bincount(owner, minlength=len(texts))


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
    spans, sentence_texts, quotes = [], [], []
    sentence_counts = np.zeros(len(texts), dtype=np.int64)
    for i, text in progress(enumerate(texts), desc="segmenting", unit="doc", total=len(texts),
                            enabled=show_progress):
        doc_spans = split_sentences(text)
        spans.extend(doc_spans)
        sentence_texts.extend(text[start:end] for start, end, _ in doc_spans)
        quotes.extend((base[i] + start, base[i] + end) for start, end in find_quotes(text))
        sentence_counts[i] = len(doc_spans)
    spans = np.array(spans, dtype=np.int64).reshape(-1, 3)
    offset = np.repeat(base, sentence_counts)
    sentence_start, sentence_end = offset + spans[:, 0], offset + spans[:, 1]
    quote_share = _quote_shares(sentence_start, sentence_end, np.array(quotes, dtype=np.int64).reshape(-1, 2))
    sentence_table = _frame({
        "doc_id": np.repeat(doc_ids, sentence_counts), "sent_id": _within(sentence_counts),
        "para_id": spans[:, 2], "start": spans[:, 0], "end": spans[:, 1], "text": sentence_texts,
        "n_tokens": np.zeros(len(spans), dtype=np.int64),
        **_mark_flags(marks, doc_ids, base, sentence_start, sentence_end),
        "in_quote": quote_share >= 0.5, "quote_share": quote_share,
    })
    tokens, token_starts, token_counts = _tokenize_batches(texts)
    global_sent = np.searchsorted(sentence_start, np.repeat(base, token_counts) + token_starts, side="right") - 1
    token_table = _token_table(doc_ids, tokens, token_starts, token_counts,
                               global_sent - np.repeat(np.cumsum(sentence_counts) - sentence_counts, token_counts),
                               words)
    counted = ~token_table["is_punct"].to_numpy(dtype=bool)
    sentence_table["n_tokens"] = np.bincount(global_sent[counted], minlength=len(spans))
    return Segmented(sentence_table, token_table)


def _text_offsets(texts: list[str]) -> np.ndarray:
    """Start of each text when the texts are joined with one separator character."""
    return np.cumsum([0] + [len(text) + 1 for text in texts[:-1]]) if texts else np.zeros(0, np.int64)


_TOKENIZE_BATCH = 2000  # documents per tokenizer pass (bounds the joined string)


def _tokenize_batches(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    tokens, starts, counts = [], [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for i in range(0, len(texts), _TOKENIZE_BATCH):
        batch_tokens, batch_starts, batch_counts = tokenize_many(texts[i:i + _TOKENIZE_BATCH])
        tokens.extend(batch_tokens)
        starts.append(batch_starts)
        counts.append(batch_counts)
    return tokens, np.concatenate(starts), np.concatenate(counts)


def _within(counts: np.ndarray) -> np.ndarray:
    """0..n-1 within each run of ``counts`` (sent_id, token_id from per-document counts)."""
    total = int(counts.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)


def _token_table(doc_ids, tokens, starts, counts, sent_ids, words) -> pd.DataFrame:
    """The tokens table; token features are computed once per distinct token type."""
    codes, types = pd.factorize(pd.Series(tokens, dtype=object), sort=False)
    cache = _FEATURE_CACHE.setdefault(words, {})
    if len(cache) > _FEATURE_CACHE_LIMIT:
        cache.clear()
    features = [cache[t] if t in cache else cache.setdefault(t, token_features(t, words)) for t in types]
    columns = list(zip(*features)) or [()] * len(TOKEN_COLUMNS[6:])
    by_type = {c: np.array(column, dtype=_dtype(c)) for c, column in zip(TOKEN_COLUMNS[6:], columns)}
    return _frame({
        "doc_id": np.repeat(doc_ids, counts), "sent_id": sent_ids, "token_id": _within(counts),
        "start": starts, "end": starts + np.fromiter(map(len, tokens), np.int64, len(tokens)),
        "token": tokens, **{c: by_type[c][codes] for c in TOKEN_COLUMNS[6:]},
    })


def _stopword_set(stopwords) -> frozenset[str]:
    if stopwords is None:
        return bundled_stopwords()
    if isinstance(stopwords, (str, Path)):
        return read_stopwords(stopwords)
    return frozenset(stopwords)


def _frame(columns: dict) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(v, dtype=_dtype(c)) for c, v in columns.items()})


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
