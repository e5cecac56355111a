"""Helpers on table columns. Compact string columns: the engine stores repeated strings as pandas
Categoricals (codes plus one copy of each string); ``plain`` turns them back into plain strings where
text is concatenated or filled. Runs: tables list a document's rows together, so ``runs`` finds
where each run of equal ids starts, and coding the run heads codes the whole column."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def plain_column(column: pd.Series) -> pd.Series:
    """``column`` with a Categorical turned into its categories' string dtype (missing values kept)."""
    return column.astype(column.cat.categories.dtype) if isinstance(column.dtype, pd.CategoricalDtype) else column


def plain(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every Categorical column turned back into plain strings."""
    categorical = [c for c in table.columns if isinstance(table[c].dtype, pd.CategoricalDtype)]
    return table.assign(**{c: plain_column(table[c]) for c in categorical}) if categorical else table


def runs(column) -> tuple[np.ndarray, np.ndarray]:
    """Start of each run of equal values (a missing value starts its own) and those values (objects).
    Arrow-backed strings are compared in Arrow, so only the run heads become Python strings."""
    if isinstance(getattr(column, "dtype", None), pd.StringDtype) and column.dtype.storage == "pyarrow" \
            and len(column) > 1:
        values = pa.array(column.array)
        new = pc.fill_null(pc.not_equal(values[1:], values[:-1]), True).to_numpy(zero_copy_only=False)
        at = np.flatnonzero(np.append(True, new))
        return at, column.array.take(at).to_numpy(dtype=object)
    values = np.asarray(column.to_numpy(dtype=object) if isinstance(column, (pd.Series, pd.Index)) else column,
                        dtype=object)
    new = np.ones(len(values), dtype=bool)
    new[1:] = values[1:] != values[:-1]
    at = np.flatnonzero(new)
    return at, values[at]


#: The label of a missing or blank group value (a document without ``side``), shown like any other.
NO_GROUP = "(none)"


def group_labels(values: pd.Series) -> pd.Series:
    """Group values with missing or blank ones labelled ``NO_GROUP``, so no by-group table drops
    or fails on them."""
    text = plain_column(values).astype("string").str.strip()
    named = (text.notna() & (text != "")).to_numpy(bool)
    return values if named.all() else plain_column(values).where(named, NO_GROUP)


def labelled(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """``table`` with its group column ``by`` through ``group_labels`` (``doc_id`` left as it is)."""
    return table if by == "doc_id" else table.assign(**{by: group_labels(table[by])})


def with_group(sentences: pd.DataFrame, documents: pd.DataFrame, column: str) -> pd.DataFrame:
    """``sentences`` with each document's ``column`` (from ``documents``) joined by ``doc_id``, blank
    values labelled (``group_labels``): how notebooks attach a grouping column."""
    groups = documents[["doc_id", column]].drop_duplicates("doc_id")
    joined = sentences.drop(columns=[column], errors="ignore").merge(groups, on="doc_id", how="left")
    return joined.assign(**{column: group_labels(joined[column])})
