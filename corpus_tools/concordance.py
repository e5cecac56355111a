"""Finding words and phrases in the tokens table, and keyword-in-context (KWIC) lines.

Queries are a word (``"armenia"``), a phrase (``"international law"``: its
words must be adjacent, in one sentence, with no punctuation between) or, with
``regex=True``, one regular expression per word (``"territor\\w*"``), matched
against the whole of each token's ``by`` form, case-insensitively. Windows are
counted in word tokens (punctuation is not counted). Tokens must be in document
order, as ``segment_documents`` returns them.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .clean import match_form

MATCH_COLUMNS = ["query", "doc_id", "sent_id", "token_id", "start", "end", "first", "last"]
KWIC_COLUMNS = ["query", "doc_id", "sent_id", "token_id", "start", "end", "left", "node", "right"]
_WORD = re.compile(r"\w[\w'’-]*")


def word_stream(tokens: pd.DataFrame) -> pd.DataFrame:
    """The tokens without punctuation, renumbered 0..n-1 (the positions windows count)."""
    if tokens.empty or not tokens["is_punct"].any():
        return tokens.reset_index(drop=True)
    return tokens[~tokens["is_punct"].to_numpy()].reset_index(drop=True)


def find_matches(tokens: pd.DataFrame, query, *, by: str = "lower", regex: bool = False) -> pd.DataFrame:
    """Every occurrence of ``query`` (a string or a list of them) in the word tokens.

    Returns ``query, doc_id, sent_id, token_id, start, end, first, last``:
    ``start``/``end`` are character offsets of the whole match in the document
    text; ``first``/``last`` are positions in ``word_stream(tokens)``.
    """
    words = word_stream(tokens)
    queries = [query] if isinstance(query, str) else list(query)
    if words.empty or not queries:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    codes, vocabulary = pd.factorize(words[by])
    docs = pd.factorize(words["doc_id"])[0]
    sents = words["sent_id"].to_numpy()
    token_ids = words["token_id"].to_numpy()
    found = []
    for q in queries:
        parts = q.split()
        if not parts or len(parts) > len(words):
            continue
        span = len(parts) - 1
        hit = _type_mask(vocabulary, parts[0], by, regex)[codes[: len(codes) - span]]
        for j, part in enumerate(parts[1:], start=1):
            stop = len(codes) - span + j
            hit &= (_type_mask(vocabulary, part, by, regex)[codes[j:stop]]
                    & (docs[j:stop] == docs[: len(codes) - span])
                    & (sents[j:stop] == sents[: len(codes) - span])
                    & (token_ids[j:stop] == token_ids[: len(codes) - span] + j))
        first = np.flatnonzero(hit)
        found.append(pd.DataFrame({
            "query": q, "doc_id": words["doc_id"].to_numpy()[first], "sent_id": sents[first],
            "token_id": token_ids[first], "start": words["start"].to_numpy()[first],
            "end": words["end"].to_numpy()[first + span], "first": first, "last": first + span,
        }))
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=MATCH_COLUMNS)


def _type_mask(vocabulary: pd.Index, part: str, by: str, regex: bool) -> np.ndarray:
    if regex:
        return np.asarray(vocabulary.str.fullmatch(part, case=False), dtype=bool)
    wanted = part if by == "token" else match_form(part).lower()
    return np.asarray(vocabulary == wanted, dtype=bool)


def stat_kwic(tokens: pd.DataFrame, documents: pd.DataFrame, query, *, window: int = 6,
              by: str = "lower", regex: bool = False, text_column: str = "clean_text") -> pd.DataFrame:
    """Keyword-in-context lines: ``query, doc_id, sent_id, token_id, start, end, left, node, right``.

    ``left`` and ``right`` hold up to ``window`` word tokens of context (they
    may run into the neighbouring sentence, as in AntConc; never past the
    document), cut from the document text by character offset, with line breaks
    shown as `` / ``. ``start``/``end`` locate the node in ``text_column``.
    Sort with ``sort_kwic``; export with ``DataFrame.to_csv``.
    """
    matches = find_matches(tokens, query, by=by, regex=regex)
    if matches.empty:
        return pd.DataFrame(columns=KWIC_COLUMNS)
    words = word_stream(tokens)
    docs = pd.factorize(words["doc_id"])[0]
    doc_first = np.r_[0, np.flatnonzero(np.diff(docs)) + 1]
    doc_last = np.r_[doc_first[1:] - 1, len(docs) - 1]
    first, last = matches["first"].to_numpy(), matches["last"].to_numpy()
    doc_of = docs[first]
    left_from = np.maximum(first - window, doc_first[doc_of])
    right_to = np.minimum(last + window, doc_last[doc_of])
    starts, ends = words["start"].to_numpy(), words["end"].to_numpy()
    texts = documents.set_index("doc_id")[text_column].reindex(matches["doc_id"]).fillna("").to_numpy()
    rows = zip(texts, starts[left_from], matches["start"], matches["end"], ends[right_to])
    left, node, right = zip(*[(_flat(t[a:s]) if window else "", _flat(t[s:e]), _flat(t[e:b]) if window else "")
                              for t, a, s, e, b in rows])
    return matches.assign(left=list(left), node=list(node), right=list(right))[KWIC_COLUMNS]


def _flat(text: str) -> str:
    return re.sub(r"[ \t]+", " ", re.sub(r"\s*\n\s*", " / ", text)).strip()


def sort_kwic(kwic: pd.DataFrame, *, keys=("R1", "R2", "R3")) -> pd.DataFrame:
    """KWIC lines sorted as in AntConc: ``'R1'`` is the first word right of the node,
    ``'L1'`` the last word left of it, and so on (case-insensitive; missing sorts first)."""
    sort_columns = []
    table = kwic.copy()
    for key in keys:
        side, k = key[0].upper(), int(key[1:])
        if side not in "LR" or k < 1:
            raise ValueError(f"sort keys look like 'L1' or 'R2', not {key!r}")
        words = table["left" if side == "L" else "right"].map(lambda s: _WORD.findall(s.lower()))
        table[key] = words.map(lambda w: (w[-k] if side == "L" else w[k - 1]) if len(w) >= k else "")
        sort_columns.append(key)
    return table.sort_values(sort_columns, kind="stable").drop(columns=sort_columns).reset_index(drop=True)
