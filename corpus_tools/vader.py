"""VADER in batch, with evidence: the rules of Hutto & Gilbert (2014) applied to arrays.

Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based Model for
Sentiment Analysis of Social Media Text. ICWSM-14.

This is a re-implementation of ``vaderSentiment`` 3.3.2's
``SentimentIntensityAnalyzer.polarity_scores`` that scores many sentences at
once (numpy over all words of all sentences) and keeps, for every word that
carried sentiment, its lexicon value, its final value and the rules that
changed it. It reads the lexicon shipped in the ``vaderSentiment`` pip package
(or a user's file in the same ``word<TAB>value`` format) and gives the same
compound, pos, neu and neg as the reference, quirks included (the ``but``
rule's list-index behaviour, a capitalised ``NO`` scoring -0.733, ...);
``tests/test_vader.py`` and ``bench/validate_sentiment.py`` check this against
the package on written and real sentences.

Rules (constants from the paper / package): boosters and dampeners within three
words before (±0.293, damped x0.95 and x0.9 with distance), negation within three
words (x -0.74), ``no`` before a lexicon word, ALL-CAPS emphasis (±0.733) when
only some words are in capitals, ``never so/this`` (x1.25), ``least``, idioms,
``but`` (x0.5 before, x1.5 after), ``!`` (+0.292 each, up to 4) and ``??`` (+0.18
each, 0.96 beyond 3), compound = s / sqrt(s^2 + 15).
"""
from __future__ import annotations

import math
import string
from functools import cached_property, lru_cache
from importlib import resources
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

B_INCR, B_DECR = 0.293, -0.293
C_INCR = 0.733
N_SCALAR = -0.74
ALPHA = 15

NEGATE = frozenset("""aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't
    didn't doesn't dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't
    mightn't mustn't neednt needn't never none nope nor not nothing nowhere oughtnt shant shouldnt uhuh
    wasnt werent oughtn't shan't shouldn't uh-uh wasn't weren't without wont wouldnt won't wouldn't rarely
    seldom despite""".split())
_UP = """absolutely amazingly awfully completely considerable considerably decidedly deeply effing enormous
    enormously entirely especially exceptional exceptionally extreme extremely fabulously flipping flippin
    frackin fracking fricking frickin frigging friggin fully fuckin fucking fuggin fugging greatly hella
    highly hugely incredible incredibly intensely major majorly more most particularly purely quite really
    remarkably so substantially thoroughly total totally tremendous tremendously uber unbelievably unusually
    utter utterly very""".split()
_DOWN = """almost barely hardly kinda kindof kind-of less little marginal marginally occasional occasionally
    partly scarce scarcely slight slightly somewhat sorta sortof sort-of""".split()
BOOSTER_DICT = {**{w: B_INCR for w in _UP}, **{w: B_DECR for w in _DOWN},
                "just enough": B_DECR, "kind of": B_DECR, "sort of": B_DECR}
SPECIAL_CASES = {"the shit": 3, "the bomb": 3, "bad ass": 1.5, "badass": 1.5, "bus stop": 0.0,
                 "yeah right": -2, "kiss of death": -1.5, "to die for": 3, "beating heart": 3.5}
_PUNCT = string.punctuation

SCORE_COLUMNS = ["compound", "pos", "neu", "neg"]
EVIDENCE_COLUMNS = ["row", "word_id", "word", "base", "value", "rules"]


@lru_cache(maxsize=8)
def _read_lexicon(path: str) -> dict:
    lexicon = {}
    for line in Path(path).read_text(encoding="utf-8").rstrip("\n").split("\n"):
        if line:
            word, measure = line.strip().split("\t")[0:2]
            lexicon[word] = float(measure)
    return lexicon


def _package_file(name: str) -> str:
    return str(resources.files("vaderSentiment") / name)


@lru_cache(maxsize=1)
def _emoji_table() -> dict:
    """Single-character emoji -> description, as the package substitutes them before scoring."""
    table = {}
    for line in Path(_package_file("emoji_utf8_lexicon.txt")).read_text(encoding="utf-8").rstrip("\n").split("\n"):
        emoji, description = line.strip().split("\t")[0:2]
        table[emoji] = description
    return table


def vader_lexicon(source: str | Path | dict | pd.DataFrame | None = None) -> dict:
    """``{word: valence}``: the lexicon the ``vaderSentiment`` package ships (default), a file in
    its ``word<TAB>value`` format, a ``{word: value}`` dict or a table with ``word`` and ``value``."""
    if source is None:
        return _read_lexicon(_package_file("vader_lexicon.txt"))
    if isinstance(source, dict):
        return {str(k): float(v) for k, v in source.items()}
    if isinstance(source, pd.DataFrame):
        return dict(zip(source["word"].astype(str), source["value"].astype(float)))
    path = Path(source)
    if path.suffix in {".csv", ".tsv"}:
        from .lexicons import load_lexicon
        table = load_lexicon(path, required=("word", "value"), unique=("word",)).table
        return dict(zip(table["word"], table["value"].astype(float)))
    return _read_lexicon(str(path))


def _replace_emoji(text: str, emojis: dict) -> str:
    out, prev_space = [], True
    for char in text:
        if char in emojis:
            if not prev_space:
                out.append(" ")
            out.append(emojis[char])
            prev_space = False
        else:
            out.append(char)
            prev_space = char == " "
    return "".join(out)


@lru_cache(maxsize=1)
def _emoji_chars() -> frozenset:
    return frozenset(e for e in _emoji_table() if len(e) == 1)


def _strip_word(token: str) -> str:
    stripped = token.strip(_PUNCT)
    return token if len(stripped) <= 2 else stripped


#: ASCII characters str.split() takes for whitespace that Arrow's ascii_split_whitespace does not.
_OTHER_SPACES = "\x1c\x1d\x1e\x1f"


def split_words(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(codes, words, lengths)``: each whitespace-separated word of all ``texts`` in order as a
    code into the distinct ``words`` (in order of first appearance, as ``pd.factorize``), and each
    text's number of words (``str.split()``).

    Arrow splits and hashes the words; texts that are not ASCII, or hold the ASCII whitespace
    Arrow does not know (\\x1c-\\x1f), are split by ``str.split`` and their words put in place."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ascii_texts = pa.array([t if t.isascii() else "" for t in texts], type=pa.large_string())
    others = {i for i, t in enumerate(texts) if not t.isascii()}
    joined = "".join(texts)
    if any(c in joined for c in _OTHER_SPACES):  # (rare: then find their texts)
        others.update(np.flatnonzero(pc.match_substring_regex(ascii_texts, "[\\x1c-\\x1f]").to_numpy(
            zero_copy_only=False)).tolist())
    trimmed = pc.ascii_trim_whitespace(ascii_texts)  # (Arrow makes an empty word of leading space or of "")
    lists = pc.ascii_split_whitespace(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.large_string()), trimmed))
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy().astype(np.int64)
    flat, ends = lists.flatten(), np.cumsum(lengths)
    pieces, start = [], 0
    for row in sorted(others):
        words = texts[row].split()
        try:
            pieces += [flat.slice(start, ends[row] - lengths[row] - start), pa.array(words, pa.large_string())]
        except UnicodeEncodeError:  # a lone surrogate has no UTF-8: hash the Python strings
            codes, words = pd.factorize(np.array(" ".join(texts).split(), dtype=object))
            return codes, words, np.fromiter((len(t.split()) for t in texts), dtype=np.int64, count=len(texts))
        lengths[row], start = len(words), ends[row]
    encoded = pa.concat_arrays([*pieces, flat.slice(start)]).dictionary_encode()
    return (encoded.indices.to_numpy().astype(np.intp), encoded.dictionary.to_numpy(zero_copy_only=False),
            lengths)


class _Words:
    """All words of all texts, flat: integer codes of each word's lower-case form
    (``vocab``), its sentence ``row`` and position ``pos``. Per-word properties are
    computed once per distinct word and spread with the codes."""

    def __init__(self, texts: list[str]):
        spelled = [_replace_emoji(t, _emoji_table()) if not t.isascii() and not _emoji_chars().isdisjoint(t) else t
                   for t in texts]
        self._given = None if all(a is b for a, b in zip(spelled, texts)) else texts
        texts = [t.strip() for t in spelled]
        self.texts = texts
        raw_codes, raw_vocab, self.lengths = split_words(texts)
        self.raw_vocab = raw_vocab
        self.raw_codes, self.raw_words = raw_codes, [_strip_word(x) for x in raw_vocab]
        lower_codes, self.vocab = pd.factorize(pd.Series([x.lower() for x in self.raw_words], dtype=object))
        self.codes = lower_codes[raw_codes] if len(raw_codes) else np.zeros(0, np.int64)
        self.upper = np.array([x.isupper() for x in self.raw_words], dtype=bool)[raw_codes] \
            if len(raw_codes) else np.zeros(0, bool)
        self.row = np.repeat(np.arange(len(texts)), self.lengths)
        starts = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]) if len(texts) else np.zeros(0, np.int64)
        self.pos = np.arange(len(self.codes)) - np.repeat(starts, self.lengths)
        self.length = np.repeat(self.lengths, self.lengths)
        self.starts = starts
        self._ids = {word: i for i, word in enumerate(self.vocab)}

    @cached_property
    def split(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``split_words`` of the texts as given (before emoji were spelled out), for other scorers."""
        return (self.raw_codes, self.raw_vocab, self.lengths) if self._given is None else split_words(self._given)

    # What the rules need besides the lexicon: computed on first use, shared by every lexicon.

    @cached_property
    def booster(self) -> np.ndarray:
        return self.lookup(BOOSTER_DICT, 0.0, float)

    @cached_property
    def is_booster(self) -> np.ndarray:
        return self.lookup(dict.fromkeys(BOOSTER_DICT, True), False, bool)

    @cached_property
    def negation(self) -> np.ndarray:
        return self.per_word(lambda x: x in NEGATE or "n't" in x, bool)

    @cached_property
    def cap_diff(self) -> np.ndarray:
        """Per word: its sentence has words in capitals and others not (ALL-CAPS emphasis applies)."""
        n_upper = np.bincount(self.row, weights=self.upper, minlength=len(self.texts))
        return ((self.lengths - n_upper > 0) & (self.lengths - n_upper < self.lengths))[self.row]

    @cached_property
    def prev(self) -> dict:
        """Codes of the words 1, 2, 3 places before (-1 at the sentence start)."""
        return {k: self.shift(self.codes, k, -1) for k in (1, 2, 3)}

    @cached_property
    def next(self) -> dict:
        return {k: self.shift(self.codes, -k, -1) for k in (1, 2)}

    @cached_property
    def amplifier(self) -> np.ndarray:
        """Per text: '!' (+0.292 each, up to 4) plus '?' (+0.18 each when 2-3, 0.96 beyond)."""
        exclamations = np.fromiter((t.count("!") for t in self.texts), dtype=np.int64, count=len(self.texts))
        questions = np.fromiter((t.count("?") for t in self.texts), dtype=np.int64, count=len(self.texts))
        return np.minimum(exclamations, 4) * 0.292 + np.where(
            questions > 1, np.where(questions <= 3, questions * 0.18, 0.96), 0.0)

    def id(self, word: str) -> int:
        """Code of ``word`` (-2 when absent, so it never equals a code or the -1 fill)."""
        return self._ids.get(word, -2)

    def per_word(self, func, dtype) -> np.ndarray:
        """``func(lower-case word)`` for every word, computed once per distinct word."""
        values = np.array([func(x) for x in self.vocab], dtype=dtype)
        return values[self.codes] if len(self.codes) else np.zeros(0, dtype)

    def lookup(self, table: dict, default, dtype) -> np.ndarray:
        """``table.get(lower-case word, default)`` for every word, once per distinct word."""
        values = np.fromiter(map(table.get, self.vocab, repeat(default)), dtype=dtype, count=len(self.vocab))
        return values[self.codes] if len(self.codes) else np.zeros(0, dtype)

    def word(self, i: int) -> str:
        return self.raw_words[self.raw_codes[i]]

    def around(self, values: np.ndarray, at: np.ndarray, k: int, fill) -> np.ndarray:
        """``shift(values, k, fill)[at]`` without shifting the whole array."""
        ok = self.pos[at] >= k if k > 0 else self.pos[at] < self.length[at] + k
        return np.where(ok, values[np.clip(at - k, 0, max(len(values) - 1, 0))], fill) if len(values) \
            else np.full(len(at), fill, dtype=values.dtype)

    def shift(self, values: np.ndarray, k: int, fill):
        """``values`` of the word ``k`` places before (k > 0) or after (k < 0) in the same sentence."""
        out = np.full(len(values), fill, dtype=values.dtype)
        if k > 0:
            out[k:] = values[:-k] if k < len(values) else out[k:]
            out[self.pos < k] = fill
        else:
            out[:k] = values[-k:] if -k < len(values) else out[:k]
            out[self.pos >= self.length + k] = fill
        return out


def vader_words(texts) -> _Words:
    """The texts split and factorised as VADER splits them: pass it to ``score_vader(words=...)``
    to score the same texts under several lexicons without splitting them again."""
    return _Words([str(t) for t in texts])


def score_vader(texts, *, lexicon=None, evidence: bool = False, words: _Words | None = None):
    """VADER scores of each text: a table ``compound, pos, neu, neg`` (index as ``texts``).

    With ``evidence=True`` returns ``(scores, evidence)``; evidence has one row per word
    that carries a lexicon valence: ``row`` (position of the text), ``word_id``
    (position of the word in ``text.split()``), ``word``, ``base`` (lexicon value),
    ``value`` (after the rules) and ``rules`` (what changed it, in order).
    ``words``: ``vader_words(texts)``, shared between lexicons (built here when None).
    """
    index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(len(texts))
    w = vader_words(texts) if words is None else words
    if len(w.texts) != len(index):
        raise ValueError(f"words were built for {len(w.texts)} texts, not {len(index)}")
    lex = vader_lexicon(lexicon)
    base = w.lookup(lex, np.nan, float)
    in_lex = ~np.isnan(base)
    is_ = w.id
    kind_of = (w.codes == is_("kind")) & (w.next[1] == is_("of"))
    # Only lexicon words carry valence and only they are changed by the rules: the rules run on
    # those words alone (positions ``at``), looking at the words around them.
    at = np.flatnonzero(in_lex & ~w.is_booster & ~kind_of)
    n = len(at)

    def around(values, k, fill):
        return w.around(values, at, k, fill)

    code, base_at, upper, cap_diff, pos = w.codes[at], base[at], w.upper[at], w.cap_diff[at], w.pos[at]
    prev = {k: w.prev[k][at] for k in (1, 2, 3)}
    nxt = {k: w.next[k][at] for k in (1, 2)}
    prev_lex = {k: around(in_lex, k, True) for k in (1, 2, 3)}  # True = "no check" at sentence start
    rules = [[] for _ in range(n)] if evidence else None

    def note(mask, label_of):
        if evidence:
            for i in np.flatnonzero(mask):
                rules[i].append(label_of(i))

    def said(k, i):
        return w.vocab[prev[k][i]]

    v = base_at.copy()
    # "no" directly before a lexicon word is a negator, not a negative word.
    no_zero = (code == is_("no")) & around(in_lex, -1, False)
    v[no_zero] = 0.0
    note(no_zero, lambda i: "'no' as negator (0)")
    no_neg = (prev[1] == is_("no")) | (prev[2] == is_("no")) | (
        (prev[3] == is_("no")) & ((prev[1] == is_("or")) | (prev[1] == is_("nor"))))
    v[no_neg] = base_at[no_neg] * N_SCALAR
    note(no_neg, lambda i: f"negated by 'no' (x{N_SCALAR})")
    caps = upper & cap_diff
    v[caps] = np.where(v[caps] > 0, v[caps] + C_INCR, v[caps] - C_INCR)
    note(caps, lambda i: f"ALL CAPS ({'+' if v[i] > 0 else '-'}{C_INCR})")

    so_this = {k: (prev[k] == is_("so")) | (prev[k] == is_("this")) for k in (1, 2)}
    for k, damp in ((1, 1.0), (2, 0.95), (3, 0.9)):
        check = ~prev_lex[k]
        is_b = around(w.is_booster, k, False)
        b = around(w.booster, k, 0.0)
        b_caps = is_b & around(w.upper, k, False) & cap_diff
        s = np.where(v < 0, -b, b) + np.where(b_caps, np.where(v > 0, C_INCR, -C_INCR), 0.0)
        s = np.where(check & is_b, s * damp, 0.0)
        v = v + s
        note(s != 0, lambda i, k=k, s=s: f"{'booster' if s[i] * v[i] > 0 else 'dampener'} "
             f"'{said(k, i)}' ({s[i]:+.3f})")
        never_so = np.zeros(n, bool)
        without = np.zeros(n, bool)
        if k == 2:
            never_so = check & (prev[2] == is_("never")) & so_this[1]
            without = check & (prev[2] == is_("without")) & (prev[1] == is_("doubt"))
        elif k == 3:
            never_so = check & (((prev[3] == is_("never")) & so_this[2]) | so_this[1])
            without = check & (prev[3] == is_("without")) & (
                (prev[2] == is_("doubt")) | (prev[1] == is_("doubt")))
        flip = check & ~never_so & ~without & around(w.negation, k, False)
        v[never_so] *= 1.25
        note(never_so, lambda i: "'never so/this' (x1.25)")
        v[flip] *= N_SCALAR
        note(flip, lambda i, k=k: f"negated by '{said(k, i)}' (x{N_SCALAR})")
        if k == 3:
            new = _idioms(v, check, code, prev, nxt, w.id)
            note(new != v, lambda i, new=new: f"idiom ({v[i]:+.3f} -> {new[i]:+.3f})")
            v = new

    least = ~prev_lex[1] & (prev[1] == is_("least")) & (
        ((pos > 1) & (prev[2] != is_("at")) & (prev[2] != is_("very"))) | (pos == 1))
    v[least] *= N_SCALAR
    note(least, lambda i: f"'least' (x{N_SCALAR})")

    valence = np.zeros(len(w.codes))
    valence[at] = v
    new = _but(valence, w, w.codes == is_("but"), at)
    note(new[at] != v, lambda i: f"{'after' if new[at[i]] / v[i] > 1 else 'before'} 'but' "
         f"(x{new[at[i]] / v[i]:.3g})")
    scores = _score_valence(new, w, index, at)
    if not evidence:
        return scores
    v = new[at]
    keep = np.flatnonzero((base_at != 0) | (v != 0))
    table = pd.DataFrame({"row": w.row[at[keep]], "word_id": pos[keep],
                          "word": [w.word(i) for i in at[keep]], "base": base_at[keep], "value": v[keep],
                          "rules": ["; ".join(rules[i]) for i in keep]}, columns=EVIDENCE_COLUMNS)
    return scores, table


def _idioms(v, check, code, prev, nxt, word_id):
    """Special-case idioms ("kiss of death") and two-word dampeners ("kind of") around a lexicon word,
    in the package's order: the first matching sequence before the word, then one starting at it,
    then dampener bigrams added."""
    out = v.copy()

    def match(parts, phrase):
        ids = [word_id(x) for x in phrase.split()]
        if len(ids) != len(parts) or min(ids) < -1:  # -2: a word of the phrase is in no text
            return np.zeros(len(v), bool)
        hit = check.copy()
        for part, i in zip(parts, ids):
            hit &= part == i
        return hit

    def first_hit(parts, table):
        value, hit = np.zeros(len(v)), np.zeros(len(v), bool)
        for phrase, val in table.items():
            m = match(parts, phrase)
            value[m], hit = val, hit | m
        return hit, value

    cur = code
    before = [(prev[1], cur), (prev[2], prev[1], cur), (prev[2], prev[1]), (prev[3], prev[2], prev[1]),
              (prev[3], prev[2])]
    done = np.zeros(len(v), bool)
    for parts in before:
        hit, value = first_hit(parts, SPECIAL_CASES)
        hit &= ~done
        out[hit], done = value[hit], done | hit
    for parts in ((cur, nxt[1]), (cur, nxt[1], nxt[2])):
        hit, value = first_hit(parts, SPECIAL_CASES)
        out[hit] = value[hit]
    boosters = {k: val for k, val in BOOSTER_DICT.items() if " " in k}
    for parts in (before[3], before[4], before[2]):
        hit, value = first_hit(parts, boosters)
        out[hit] += value[hit]
    return out


def _but(v, w, is_but, at):
    """'but' halves what comes before it and adds half to what follows (first 'but' only).

    Follows the package literally, including its ``list.index`` lookup: a value equal to
    one already changed is matched to the earlier position (rare, but it moves compound).
    Sentences where that cannot happen (``at``, the lexicon words, hold distinct non-zero
    values, none equal to another's changed value) are done with arrays; the others as the
    package does them.
    """
    out = v.copy()
    but_at = np.flatnonzero(is_but)
    has_but = np.zeros(len(w.lengths), bool)
    has_but[w.row[but_at]] = True
    first_but = np.full(len(w.lengths), -1)
    but_rows, first = np.unique(w.row[but_at], return_index=True)
    first_but[but_rows] = w.pos[but_at[first]]
    words = at[has_but[w.row[at]]]
    row, value = w.row[words], v[words]
    factor = np.where(w.pos[words] < first_but[row], 0.5, np.where(w.pos[words] > first_but[row], 1.5, 1.0))
    changed = value * factor
    moved = factor != 1.0
    literal = np.zeros(len(w.lengths), bool)
    literal[row[value == 0]] = True
    # A value twice in a row, or a changed value equal to a value of its row: sorted by (row, value,
    # original before changed), such a pair is two neighbours, the first an original value.
    rows, values = np.r_[row, row[moved]], np.r_[value, changed[moved]]
    is_changed = np.r_[np.zeros(len(row), bool), np.ones(int(moved.sum()), bool)]
    order = np.lexsort((is_changed, values, rows))
    rows, values, is_changed = rows[order], values[order], is_changed[order]
    literal[rows[:-1][(rows[1:] == rows[:-1]) & (values[1:] == values[:-1]) & ~is_changed[:-1]]] = True
    simple = ~literal[row]
    out[words[simple]] = changed[simple]
    for r in np.flatnonzero(has_but & literal):
        start, length = w.starts[r], w.lengths[r]
        bi = first_but[r]
        sentiments = out[start:start + length].tolist()
        for sentiment in sentiments:
            si = sentiments.index(sentiment)
            if si < bi:
                sentiments[si] = sentiment * 0.5
            elif si > bi:
                sentiments[si] = sentiment * 1.5
        out[start:start + length] = sentiments
    return out


def _score_valence(v, w, index, at) -> pd.DataFrame:
    """The package's sums per sentence of the words' valences ``v`` (+0.0 outside ``at``), summed over
    ``at`` alone: adding +0.0 never changes a sum that starts at +0.0; the other words are neutral."""
    rows = len(w.lengths)
    row, v = w.row[at], v[at]
    total = np.bincount(row, weights=v, minlength=rows)
    amp = w.amplifier
    total = np.where(total > 0, total + amp, np.where(total < 0, total - amp, total))
    compound = np.clip(total / np.sqrt(total * total + ALPHA), -1.0, 1.0)
    pos_sum = np.bincount(row, weights=np.where(v > 0, v + 1, 0.0), minlength=rows)
    neg_sum = np.bincount(row, weights=np.where(v < 0, v - 1, 0.0), minlength=rows)
    neu_count = w.lengths - np.bincount(row, weights=(v != 0), minlength=rows)
    pos_sum, neg_sum = (np.where(pos_sum > np.abs(neg_sum), pos_sum + amp, pos_sum),
                        np.where(pos_sum < np.abs(neg_sum), neg_sum - amp, neg_sum))
    grand = pos_sum + np.abs(neg_sum) + neu_count
    empty = w.lengths == 0
    safe = np.where(empty, 1.0, grand)
    out = {"compound": np.where(empty, 0.0, compound), "pos": np.where(empty, 0.0, np.abs(pos_sum / safe)),
           "neu": np.where(empty, 0.0, np.abs(neu_count / safe)), "neg": np.where(empty, 0.0, np.abs(neg_sum / safe))}
    digits = {"compound": 4, "pos": 3, "neu": 3, "neg": 3}
    return pd.DataFrame({c: python_round(out[c], digits[c]) for c in SCORE_COLUMNS}, index=index)


def python_round(values: np.ndarray, digits: int) -> np.ndarray:
    """``[round(x, digits) for x in values]`` (Python's correctly rounded round, as the package
    uses), vectorised: ``rint(x * 10**digits) / 10**digits`` is the same double unless
    ``x * 10**digits`` lies within 1e-6 of a half (where its own rounding error could decide),
    and those few, and non-finite values, go through Python's round."""
    values = np.asarray(values, dtype=float)
    scale = 10.0 ** digits
    scaled = values * scale
    out = np.rint(scaled) / scale
    with np.errstate(invalid="ignore"):
        unsure = ~np.isfinite(scaled) | (np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6)
    for i in np.flatnonzero(unsure).tolist():
        out[i] = round(float(values[i]), digits)
    return out


def vader_reference(texts, *, lexicon_file: str | None = None) -> pd.DataFrame:
    """Scores from the ``vaderSentiment`` package itself, one text at a time (for checks and benchmarks)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    analyzer = SentimentIntensityAnalyzer()
    if lexicon_file is not None:
        analyzer.lexicon = vader_lexicon(lexicon_file)
    rows = [analyzer.polarity_scores(str(t)) for t in texts]
    return pd.DataFrame(rows, columns=SCORE_COLUMNS, index=texts.index if isinstance(texts, pd.Series) else None)


def normalize(score: float, alpha: float = ALPHA) -> float:
    """VADER's squashing of a summed valence into (-1, 1): s / sqrt(s^2 + alpha)."""
    return max(-1.0, min(1.0, score / math.sqrt(score * score + alpha)))
