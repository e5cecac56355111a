"""TextBlob's PatternAnalyzer for many sentences at once, equal to ``textblob.en.sentiment``.

De Smedt, T. & Daelemans, W. (2012). Pattern for Python. JMLR 13, 2063-2067.

``textblob.en.sentiment(text)`` (what ``TextBlob(text).sentiment`` calls) tokenises
with Pattern's ``find_tokens`` (contractions and quotes split off, leading and
trailing punctuation peeled, abbreviations kept, spaced emoticons and ``( ! )``
rejoined), lower-cases the tokens and walks them once (``Sentiment.assessments``):
a lexicon word starts an assessment, or extends the one of a preceding modifier
(an ``RB`` word: ``p x`` its intensity); a negation (no, not, n't, never) within
the next short words is put in front (final ``p x -0.5``); ``!`` boosts the last
assessment (``p x 1.25``); ``(!)`` and emoticons add their own. Polarity and
subjectivity are the plain means over assessments, summed in order.

This module does the same with plain dicts (the lexicon is read once by the
library's own loader, then copied), and the tokenisation of each distinct
whitespace-separated word computed once and cached, so each sentence costs one
pass over its words. Results are the same floats (``==``), assessments included.
Sentences whose tokens could form a spaced emoticon or ``( ! )`` (which the
library rejoins per Pattern sentence), or that contain the library's internal
end-of-sentence marker, are handed to the library itself.
``tests/test_textblob_batch.py`` compares with the library on every sentence of
the bundled and test corpora, thousands of synthetic sentences and edge cases.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations, groupby
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from textblob import _text as pattern
from textblob.en import sentiment as _library

from .vader import split_words

#: Pattern's find_tokens settings, as the library's English tokenizer passes them.
#: (as sets of characters: ``token[:1] in _LEADING`` is ``token.startswith(tuple(_LEADING))``, faster)
_LEADING = frozenset(pattern.PUNCTUATION.replace(".", ""))
_TRAILING = _LEADING | {"."}
_QUOTES = ("“", "”", "‘", "’", "'", '"')
_QUOTE_CHARS = frozenset(_QUOTES)
_ABBREVIATION_RES = (pattern.RE_ABBR1, pattern.RE_ABBR2, pattern.RE_ABBR3)


def _spaced(pieces: str) -> list[str]:
    """Every way of writing ``pieces`` with at least one of its gaps filled by a space."""
    gaps = range(1, len(pieces))
    return ["".join(" " + c if k in chosen else c for k, c in enumerate(pieces))
            for r in range(1, len(pieces)) for chosen in map(set, combinations(gaps, r))]


def _alternatives(strings) -> str:
    """A regex matching exactly ``strings``, shaped as a character trie: a search tries at each
    position only the branches of the next character (a flat alternation tries every string)."""
    strings = sorted(set(strings))
    branches = [re.escape(char) + _alternatives([s[1:] for s in group])
                for char, group in groupby((s for s in strings if s), key=itemgetter(0))]
    branches += [""] if "" in strings else []
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_REJOINED = [e for faces in pattern.EMOTICONS.values() for e in faces] + ["(!)"]
#: Adjacent characters of an emoticon or of (!): a space between them may be rejoined by the library.
_JOINABLE = frozenset(e[k:k + 2] for e in _REJOINED for k in range(len(e) - 1))
_CHAR_IDS = {c: k + 1 for k, c in enumerate(sorted(set("".join(_JOINABLE))))}
#: _JOINABLE as a table over character ids: _PAIRS[id of a, id of b].
_PAIRS = np.zeros((len(_CHAR_IDS) + 1,) * 2, dtype=bool)
for _pair in _JOINABLE:
    _PAIRS[_CHAR_IDS[_pair[0]], _CHAR_IDS[_pair[1]]] = True
#: Any spaced emoticon followed by a space or the end, or a spaced (!): a necessary condition for
#: RE_EMOTICONS / RE_SARCASM to change a sentence of the library's (a substring of all its tokens joined).
_SPACED = re.compile("{}(?=\\s|$)|{}".format(_alternatives({v for e in _REJOINED[:-1] for v in _spaced(e)}),
                                             _alternatives(_spaced("(!)"))))


@lru_cache(maxsize=1)
def _emoticons() -> dict:
    """Lower-cased emoticon -> polarity, the first mood that lists it (the library's search order)."""
    table = {}
    for (_mood, polarity), faces in pattern.EMOTICONS.items():
        for face in faces:
            table.setdefault(face.lower(), polarity)
    return table


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """``{word: (polarity, subjectivity, intensity, is_modifier)}`` of the library's lexicon
    (``en-sentiment.xml`` averaged over senses, as its loader leaves it; part of speech None)."""
    if dict.__len__(_library) == 0:
        _library.load()
    return {w: (*senses[None][:3], any(m in senses for m in _library.modifiers))
            for w, senses in dict.items(_library) if None in senses}


def _peel(token: str) -> list[str]:
    """One whitespace-free token split as find_tokens splits it: leading punctuation, then
    trailing punctuation, '...' and a period unless the token is an abbreviation."""
    out, tail = [], []
    replace = pattern.replacements
    while token[:1] in _LEADING and token not in replace:
        out.append(token[0])
        token = token[1:]
    while token[-1:] in _TRAILING and token not in replace:
        if token[-1:] in _LEADING:
            tail.append(token[-1])
            token = token[:-1]
        if token.endswith("..."):
            tail.append("...")
            token = token[:-3].rstrip(".")
        if token.endswith("."):
            if token in pattern.ABBREVIATIONS or any(r.match(token) for r in _ABBREVIATION_RES):
                break
            tail.append(token[-1])
            token = token[:-1]
    if token != "":
        out.append(token)
    out.extend(reversed(tail))
    return out


class _Word(NamedTuple):
    """One distinct whitespace-separated word, tokenised as find_tokens does it."""

    infos: tuple  # per token: (word, lexicon entry or None, is_negation, resets_negation, resets_modifier, emoticon)
    flags: int  # RELEVANT | RESETS_NEGATION | ... | first char id << 8 | last char id << 16
    tokens: tuple | None  # the tokens, original case (None for words without relevant tokens)
    known: tuple | None  # a SIMPLE word's lexicon entry (polarity, subjectivity, intensity, is_modifier)


RELEVANT = 1  # a token can change the assessments (lexicon word, negation, '!', '(!)', emoticon)
RESETS_NEGATION = 2  # a token ends a pending negation (for an irrelevant word)
RESETS_MODIFIER = 4  # ... or a pending modifier
JOINABLE = 8  # two of its tokens could be a spaced emoticon or (!)
LIBRARY = 16  # holds the end-of-sentence marker or a lexicon word that is a negation
SIMPLE = 32  # one lexicon word that is no negation, the other tokens reset nothing
#: first / last character's id among _JOINABLE's characters (0: none) are bits 8-15 / 16-23


_CONTRACTIONS = [(re.compile(a), b) for a, b in pattern.replacements.items()]
assert all("'" in a for a in pattern.replacements)  # so that words without ' skip them


def _tokens(raw: str) -> tuple[str, ...]:
    """The tokens find_tokens makes of one whitespace-separated word (contractions and quotes split
    off, punctuation peeled), original case."""
    if raw.isalpha():
        return (raw,)
    if not _QUOTE_CHARS.isdisjoint(raw):  # (a contraction holds ', one of them)
        for contraction, spaced in (_CONTRACTIONS if "'" in raw else ()):  # find_tokens' re.sub of each
            raw = contraction.sub(spaced, raw)
        for quote in _QUOTES:
            if quote in raw:
                raw = raw.replace(quote, f" {quote} ")
    return tuple(t for part in raw.split() for t in _peel(part))


@lru_cache(maxsize=None)
def _irrelevant(flags: int) -> _Word:
    """One shared entry for all words with these flags and no relevant token (most words)."""
    return _Word((), flags, None, None)


def _word(raw: str) -> _Word:
    lex, emoticons, negations = lexicon(), _emoticons(), _library.negations
    if raw.isalpha():  # most words: one token, and mostly not in the lexicon
        w = raw.lower()
        if w.isalpha() and w not in lex and w not in negations:
            return _irrelevant(RESETS_NEGATION * (len(w) > 1) | RESETS_MODIFIER * (len(w) > 2)
                               | _CHAR_IDS.get(raw[0], 0) << 8 | _CHAR_IDS.get(raw[-1], 0) << 16)
    pieces = _tokens(raw)
    infos, flags = [], 0
    for piece in pieces:
        w = piece.lower()
        emoticon = emoticons.get(w) if (not w.isalpha() and len(w) <= 5 and w not in pattern.PUNCTUATION) else None
        known, negation = lex.get(w), w in negations
        info = (w, known, negation, len(w.strip("'")) > 1, len(w) > 2, emoticon)
        infos.append(info)
        if known is not None or negation or w in ("!", "(!)") or emoticon is not None:
            flags |= RELEVANT
        flags |= RESETS_NEGATION * info[3] | RESETS_MODIFIER * info[4] | LIBRARY * (known is not None and negation)
    if len(pieces) > 1 and any(a[-1] + b[0] in _JOINABLE for a, b in zip(pieces, pieces[1:])):
        flags |= JOINABLE
    if pattern.EOS in pieces:
        flags |= LIBRARY
    flags |= _CHAR_IDS.get(pieces[0][0], 0) << 8 | _CHAR_IDS.get(pieces[-1][-1], 0) << 16
    if not flags & RELEVANT:
        return _irrelevant(flags)
    known = [i[1] for i in infos if i[1] is not None]
    if len(known) == 1 and sum(i[1] is not None or i[2] or i[3] or i[4] or i[5] is not None
                               or i[0] in ("!", "(!)") for i in infos) == 1 and not flags & LIBRARY:
        return _Word(tuple(infos), flags | SIMPLE, pieces, known[0])
    return _Word(tuple(infos), flags, pieces, None)


def _assess(infos) -> list[list]:
    """Sentiment.assessments over token infos (pos None): ``[chunk, p, s, intensity, negated]`` lists."""
    a = []
    m = n = None  # preceding modifier and negation
    modifier = _library.modifier
    for w, known, is_negation, resets_negation, resets_modifier, emoticon in infos:
        if known is not None:
            p, s, i, is_modifier = known
            if m is None:
                a.append([[w], p, s, i, 1])
            else:
                last = a[-1]
                last[0].append(w)
                last[1] = max(-1.0, min(p * last[3], +1.0))
                last[2] = max(-1.0, min(s * last[3], +1.0))
                last[3] = i
            if n is not None:
                last = a[-1]
                last[0].insert(0, n)
                last[3] = 1.0 / last[3]
                last[4] = -1
            m = w if is_modifier else None
            n = w if is_negation else None
            continue
        if is_negation:
            n = w
        elif n and resets_negation:
            n = None
        if n is not None and m is not None and modifier(m):
            a[-1][0].append(n)
            a[-1][4] = -1
            n = None
        elif m and resets_modifier:
            m = None
        if w == "!" and a:
            a[-1][0].append("!")
            a[-1][1] = max(-1.0, min(a[-1][1] * 1.25, +1.0))
        if w == "(!)":
            a.append([[w], 0.0, 1.0, 1.0, 1])
        if emoticon is not None:
            a.append([[w], emoticon, 1.0, 1.0, 1])
    return a


def _score(assessed, keep: bool) -> tuple[float, float, list | None]:
    """Polarity and subjectivity as Sentiment.__call__'s avg computes them (running sums from int 0
    in order, then / float(n or 1)), a negated assessment's polarity x -0.5; and, with ``keep``,
    the assessments ``(chunk, polarity, subjectivity)``."""
    polarity = subjectivity = 0
    final = [] if keep else None
    for chunk, p, s, _intensity, negated in assessed:
        if negated < 0:
            p = p * -0.5
        polarity += p
        subjectivity += s
        if keep:
            final.append((chunk, p, s))
    n = float(len(assessed) or 1)
    return polarity / n, subjectivity / n, final


def _library_score(text: str) -> tuple[float, float, list]:
    score = _library(text)
    return score[0], score[1], [(chunk, p, s) for chunk, p, s, _label in score.assessments]


_WORDS: dict = {}  # raw word -> _Word, kept between calls (cleared beyond _MAX_WORDS)
_MAX_WORDS = 300_000
#: An irrelevant run of words that ends a pending negation (1), modifier (2) or both (3), as one token.
_RESETS = {k: ("", None, False, bool(k & 1), bool(k & 2), None) for k in (1, 2, 3)}


def _words(uniques) -> list[_Word]:
    if len(_WORDS) + len(uniques) > _MAX_WORDS:
        _WORDS.clear()
    out = []
    for raw in uniques:
        word = _WORDS.get(raw)
        if word is None:
            word = _WORDS[raw] = _word(raw)
        out.append(word)
    return out


def pattern_sentiment(texts, *, assessments: bool = False, split=None):
    """``(polarity, subjectivity)`` arrays, element by element equal to ``textblob.en.sentiment(text)``
    for each of ``texts``; with ``assessments=True`` also a list of each text's assessments as
    ``(chunk, polarity, subjectivity)`` (the library's ``Score.assessments`` without the label).
    ``split``: ``vader.split_words(texts)`` when the caller has it already.

    The words of all texts are factorised once; only words that can change the assessments are
    walked in Python, each preceded by what the words skipped since the previous one reset."""
    texts = [str(t) for t in texts]
    codes, uniques, lengths = split_words(texts) if split is None else split
    words = _words(uniques)
    row = np.repeat(np.arange(len(texts)), lengths)
    flags = np.fromiter((w.flags for w in words), dtype=np.int64, count=len(words))[codes]
    relevant = (flags & RELEVANT) > 0
    joinable = (flags & JOINABLE) > 0
    joinable[:-1] |= _PAIRS[(flags[:-1] >> 16) & 255, (flags[1:] >> 8) & 255] & (row[:-1] == row[1:])
    to_library = np.zeros(len(texts), bool)
    to_library[row[(flags & LIBRARY) > 0]] = True
    starts = np.cumsum(lengths) - lengths
    for r in np.unique(row[joinable]).tolist():
        if not to_library[r]:
            tokens = (t for c in codes[starts[r]:starts[r] + lengths[r]].tolist() for t in _tokens(uniques[c]))
            to_library[r] = _SPACED.search(" ".join(tokens)) is not None

    # What the irrelevant words between a relevant word and the previous one reset (bits 1, 2).
    at = np.flatnonzero(relevant)
    skipped = np.where(relevant, 0, flags)
    since = np.concatenate([[0], at[:-1] + 1]).astype(np.int64)
    before = np.zeros(len(at), np.int64)
    for bit, flag in ((1, RESETS_NEGATION), (2, RESETS_MODIFIER)):
        cumulative = np.concatenate([[0], np.cumsum((skipped & flag) > 0)])
        before += bit * ((cumulative[at] - cumulative[since]) > 0)
    polarity, subjectivity = np.zeros(len(texts)), np.zeros(len(texts))
    simple = np.zeros(len(texts), bool) if assessments else \
        _simple_sentences(polarity, subjectivity, row[at], codes[at], flags[at], before, words, to_library)
    polarity, subjectivity = polarity.tolist(), subjectivity.tolist()
    found = [[] for _ in texts] if assessments else None
    infos_of = [w.infos for w in words]
    rows, word_codes, befores = row[at].tolist(), codes[at].tolist(), before.tolist()
    bounds = (np.flatnonzero(np.diff(row[at])) + 1).tolist()
    skip = (to_library | simple).tolist()
    for a, b in zip([0] + bounds, bounds + [len(at)]):
        r = rows[a] if a < b else None
        if r is None or skip[r]:
            continue
        infos = []
        for code, mark in zip(word_codes[a:b], befores[a:b]):
            if mark:
                infos.append(_RESETS[mark])
            infos.extend(infos_of[code])
        polarity[r], subjectivity[r], kept = _score(_assess(infos), assessments)
        if assessments:
            found[r] = kept
    for r in np.flatnonzero(to_library).tolist():
        polarity[r], subjectivity[r], kept = _library_score(texts[r])
        if assessments:
            found[r] = kept
    if not assessments:
        return np.array(polarity, dtype=float), np.array(subjectivity, dtype=float)
    return np.array(polarity, dtype=float), np.array(subjectivity, dtype=float), found


def _simple_sentences(polarity, subjectivity, row, codes, flags, before, words, to_library) -> np.ndarray:
    """Score, with arrays, the sentences whose relevant words are all SIMPLE (lexicon words, no
    negation, '!' or emoticon); writes into ``polarity`` / ``subjectivity``; returns which rows.

    There ``assessments`` reduces to: a word extends the previous word's assessment when that one
    is a modifier and no word longer than two letters came between (p, s x its intensity, clipped
    to [-1, 1]); each assessment keeps its last word's values; means summed in order."""
    not_simple = np.zeros(len(to_library), bool)
    not_simple[row[(flags & SIMPLE) == 0]] = True
    done = ~not_simple & ~to_library
    keep = done[row]
    if not keep.any():
        return np.zeros(len(to_library), bool)
    row, codes, before = row[keep], codes[keep], before[keep]
    distinct, inverse = np.unique(codes, return_inverse=True)
    entries = np.array([words[c].known for c in distinct.tolist()], dtype=float).reshape(-1, 4)[inverse]
    p, s, intensity, modifier = entries[:, 0], entries[:, 1], entries[:, 2], entries[:, 3] > 0
    same = np.r_[False, row[1:] == row[:-1]]
    extends = same & np.r_[False, modifier[:-1]] & ((before & 2) == 0)
    previous = np.r_[1.0, intensity[:-1]]
    p = np.where(extends, np.maximum(-1.0, np.minimum(p * previous, +1.0)), p)
    s = np.where(extends, np.maximum(-1.0, np.minimum(s * previous, +1.0)), s)
    last = np.r_[~extends[1:], True]
    row, p, s = row[last], p[last], s[last]
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
    rank = np.arange(len(row)) - np.repeat(starts, np.diff(np.r_[starts, len(row)]))
    total_p, total_s = np.zeros(len(to_library)), np.zeros(len(to_library))
    for k in range(int(rank.max()) + 1):  # in order, as Sentiment.__call__'s avg
        at = rank == k
        total_p[row[at]] += p[at]
        total_s[row[at]] += s[at]
    n = np.bincount(row, minlength=len(to_library))
    has = n > 0
    polarity[has] = total_p[has] / n[has]
    subjectivity[has] = total_s[has] / n[has]
    return has
