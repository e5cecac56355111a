"""Integer document codes and (document, position) keys shared by the framing layers.

Tables list a document's rows together (tokens, sentences, hits), so documents are coded from
the first row of each run of equal ids: hashing a few hundred run heads instead of every row
gives the codes ``pd.factorize`` gives the whole column.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import runs

#: Positions are below 2**40, so ``code * SHIFT + position`` orders rows by document, then position.
SHIFT = np.int64(1) << 40


def doc_codes(*columns) -> list[np.ndarray]:
    """One int64 code array per column, all in one code space numbered in order of first
    appearance over the columns in turn (= ``pd.factorize`` of their concatenation, a missing
    id one code like any other)."""
    return coded(*columns)[0]


def coded(*columns) -> tuple[list[np.ndarray], np.ndarray]:
    """``doc_codes`` and the distinct values (by code)."""
    heads, lengths = [], []
    for column in columns:
        at, values = runs(column)
        heads.append(values)
        lengths.append(np.diff(np.append(at, len(column))))
    joined = np.concatenate(heads) if heads else np.zeros(0, dtype=object)
    codes, uniques = pd.factorize(joined, use_na_sentinel=False)
    bounds = np.cumsum([len(h) for h in heads])[:-1]
    return [np.repeat(part, run) for part, run in zip(np.split(codes.astype(np.int64), bounds), lengths)], uniques


def by_doc_and_start(doc_id: pd.Series, start) -> np.ndarray:
    """The row order of a stable sort by ``doc_id`` (missing last), then ``start``: what
    ``sort_values(["doc_id", "start"], kind="stable")`` gives, ranking the distinct ids only."""
    if isinstance(doc_id.dtype, pd.CategoricalDtype):  # sorts by category order
        rank = doc_id.cat.codes.to_numpy(np.int64)
        rank = np.where(rank < 0, len(doc_id.cat.categories), rank)
    else:
        (codes,), uniques = coded(doc_id)
        rank = pd.factorize(uniques, sort=True)[0]
        rank = np.where(rank < 0, len(uniques), rank)[codes]  # missing ids sort last
    return np.lexsort((np.asarray(start, dtype=np.int64), rank))


def sentence_keys(doc: np.ndarray, sent_id) -> np.ndarray:
    """One int64 key per (document code, sentence number)."""
    return (doc << 32) + np.asarray(sent_id, dtype=np.int64)


def find_rows(table_key: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Position in ``table_key`` (unique keys) of each ``key``, -1 when absent; each run of equal
    keys is looked up once."""
    if not len(table_key) or not len(key):
        return np.full(len(key), -1, dtype=np.int64)
    by_key = np.argsort(table_key, kind="stable")
    head = np.flatnonzero(np.append(True, key[1:] != key[:-1]))
    at = np.minimum(np.searchsorted(table_key[by_key], key[head]), len(by_key) - 1)
    row = np.where(table_key[by_key][at] == key[head], by_key[at], -1)
    return np.repeat(row, np.diff(np.append(head, len(key))))


def sentence_rows(sentences: pd.DataFrame, tokens: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``(inside, row)``: positions of the tokens whose ``doc_id, sent_id`` is a row of
    ``sentences`` (in token order), and that row's position in ``sentences``."""
    s_doc, t_doc = doc_codes(sentences["doc_id"], tokens["doc_id"])
    row = find_rows(sentence_keys(s_doc, sentences["sent_id"]), sentence_keys(t_doc, tokens["sent_id"]))
    inside = np.flatnonzero(row >= 0)
    return inside, row[inside]


def sentence_values(table: pd.DataFrame, sentences: pd.DataFrame, column: str, missing=None) -> np.ndarray:
    """``sentences[column]`` of each row's ``doc_id, sent_id`` sentence (``missing`` when absent), by
    key: no merge, so a column of ``table`` with the same name (a lexicon's ``source``) cannot collide."""
    s_doc, t_doc = doc_codes(sentences["doc_id"], table["doc_id"])
    row = find_rows(sentence_keys(s_doc, sentences["sent_id"]), sentence_keys(t_doc, table["sent_id"]))
    return np.append(sentences[column].to_numpy(dtype=object), missing)[row]  # row -1 takes ``missing``


def sentence_text(table: pd.DataFrame, sentences: pd.DataFrame) -> np.ndarray:
    """The text of each row's sentence ("" when absent): hit tables keep the keys ``doc_id, sent_id``,
    never a copy of the sentence, and join the text where it is shown."""
    return sentence_values(table, sentences, "text", "")


def with_sentence(table: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """``table`` with a ``sentence`` column joined from ``sentences`` by ``doc_id, sent_id`` (for display);
    object dtype, so rows of one sentence share its string instead of copying it (as "str" would)."""
    return table.assign(sentence=pd.Series(sentence_text(table, sentences), index=table.index, dtype=object))
