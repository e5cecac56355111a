"""Compact string columns: the engine stores repeated strings as pandas Categoricals (codes plus one
copy of each string); these turn them back into plain strings where text is concatenated or filled."""
from __future__ import annotations

import pandas as pd


def plain_column(column: pd.Series) -> pd.Series:
    """``column`` with a Categorical turned into its categories' string dtype (missing values kept)."""
    return column.astype(column.cat.categories.dtype) if isinstance(column.dtype, pd.CategoricalDtype) else column


def plain(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every Categorical column turned back into plain strings."""
    categorical = [c for c in table.columns if isinstance(table[c].dtype, pd.CategoricalDtype)]
    return table.assign(**{c: plain_column(table[c]) for c in categorical}) if categorical else table
