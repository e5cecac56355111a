"""Seeded percentile bootstrap intervals (Efron & Tibshirani 1993): the one resampling code behind
every interval of the suite (sentence and targeted sentiment, frame coverage and density).

Each group is resampled on its own. With ``clusters`` (e.g. each sentence's ``doc_id``), a group
that holds more than one cluster is resampled by cluster: whole documents are drawn with
replacement and every statistic is a ratio of sums over the drawn documents (the cluster bootstrap
of Davison & Hinkley 1997, §3.8; Field & Welsh 2007), because sentences of one document share its
author, topic and tone and are not independent draws. A group with a single cluster (one document)
can only be resampled by rows (sentences), and says so (``RESAMPLED``).

Replicates are drawn group after group from one seeded generator: each replicate draws as many
units as the group holds, uniformly with replacement, and counts how often each was drawn (its
resampling weight); the statistics are the weighted column totals. Chunks of replicates bound memory.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

#: What a group's replicates resampled: its documents (clusters) or, within one document, its rows.
RESAMPLED = {"clusters": "documents", "rows": "sentences"}
#: Resampling weights held at once (replicates x units) at most.
CHUNK_ELEMENTS = 2_000_000


class Intervals(NamedTuple):
    low: np.ndarray  # per group (and column), the lower percentile; NaN for a group of one row
    high: np.ndarray
    resampled: np.ndarray  # per group, RESAMPLED's value for what was resampled (str objects)


def group_codes(groups, n: int) -> np.ndarray:
    """Integer codes 0..G-1 (``None``: every row in group 0)."""
    return np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)


def bootstrap_sums(columns: Sequence[np.ndarray], groups=None, *, clusters=None, n_boot: int = 1000,
                   seed: int = 0, rng: np.random.Generator | None = None,
                   n_groups: int | None = None) -> Iterator[tuple[int, np.ndarray, str, list[np.ndarray]]]:
    """For each group (codes 0..G-1 in order): ``(code, rows, resampled, sums)`` where ``rows`` are the
    group's row positions (in table order), ``resampled`` says what was drawn (``RESAMPLED``) and
    ``sums`` holds, per column of ``columns`` (each ``(n,)`` or ``(n, k)``), the column totals of
    ``n_boot`` replicates (``(n_boot,)`` or ``(n_boot, k)``). A statistic is a ratio of these sums
    (a mean: sum of values / sum of ones), so it resamples documents and sentences alike.
    ``rng`` (else ``default_rng(seed)``) is used group after group."""
    columns = [np.asarray(c, dtype=float) for c in columns]
    n = len(columns[0]) if columns else 0
    codes = group_codes(groups, n)
    n_groups = int(codes.max(initial=-1)) + 1 if n_groups is None else n_groups
    cluster_codes = None if clusters is None else pd.factorize(np.asarray(clusters, dtype=object)
                                                               if not isinstance(clusters, pd.Series)
                                                               else clusters, use_na_sentinel=False)[0]
    rng = np.random.default_rng(seed) if rng is None else rng
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
    several = _several_clusters(codes, cluster_codes, n_groups)
    for g in range(n_groups):
        rows = order[bounds[g]:bounds[g + 1]]
        units = [c[rows] for c in columns]
        resampled = RESAMPLED["rows"]
        if several[g]:
            unit, first = pd.factorize(cluster_codes[rows])
            resampled = RESAMPLED["clusters"]
            units = [_unit_sums(c, unit, len(first)) for c in units]
        m = len(units[0]) if units else len(rows)
        sums = [[] for _ in units]
        step = max(1, min(n_boot, CHUNK_ELEMENTS // max(m, 1)))
        for start in range(0, n_boot, step):
            b = min(step, n_boot - start)
            weights = _weights(rng, b, m)
            for out, values in zip(sums, units):
                out.append(weights @ values)
        yield g, rows, resampled, [np.concatenate(s) if s else np.zeros((0,) + u.shape[1:])
                                   for s, u in zip(sums, units)]


def _weights(rng: np.random.Generator, b: int, m: int) -> np.ndarray:
    """``(b, m)`` resampling weights: in each of ``b`` replicates, how often each of ``m`` units is
    drawn in ``m`` uniform draws with replacement (a multinomial(m, 1/m) row)."""
    if not m:
        return np.zeros((b, 0))
    picks = rng.integers(0, m, size=(b, m)) + (np.arange(b) * m)[:, None]
    return np.bincount(picks.ravel(), minlength=b * m).reshape(b, m).astype(float)


def _several_clusters(codes: np.ndarray, cluster_codes: np.ndarray | None, n_groups: int) -> np.ndarray:
    """Per group, whether its rows come from more than one cluster."""
    if cluster_codes is None or not len(codes):
        return np.zeros(n_groups, dtype=bool)
    known = codes >= 0
    pairs = np.unique(codes[known] * (int(cluster_codes.max()) + 1) + cluster_codes[known])
    return np.bincount(pairs // (int(cluster_codes.max()) + 1), minlength=n_groups) > 1


def _unit_sums(values: np.ndarray, unit: np.ndarray, n_units: int) -> np.ndarray:
    """Column totals of ``values`` per unit code."""
    if values.ndim == 1:
        return np.bincount(unit, weights=values, minlength=n_units)
    return np.stack([np.bincount(unit, weights=values[:, j], minlength=n_units) for j in range(values.shape[1])],
                    axis=1) if values.shape[1] else np.zeros((n_units, 0))


def bootstrap_mean(values, groups=None, *, clusters=None, n_boot: int = 1000, seed: int = 0,
                   level: float = 0.95) -> Intervals:
    """Percentile interval of each group's mean of ``values`` (rows: sentences or mentions).
    With ``clusters``, a group of several clusters resamples clusters (the mean over the drawn
    documents' rows), a group of one resamples its rows. A group of fewer than two rows gets NaN."""
    values = np.asarray(values, dtype=float)
    codes = group_codes(groups, len(values))
    n_groups = int(codes.max(initial=-1)) + 1
    low, high = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
    resampled = np.full(n_groups, RESAMPLED["rows"], dtype=object)
    alpha = (1 - level) / 2
    for g, rows, unit, (total, count) in bootstrap_sums([values, np.ones(len(values))], codes, clusters=clusters,
                                                         n_boot=n_boot, seed=seed, n_groups=n_groups):
        resampled[g] = unit
        if len(rows) >= 2 and n_boot:
            low[g], high[g] = np.quantile(total / count, [alpha, 1 - alpha])
    return Intervals(low, high, resampled)
