"""Two-by-two contingency statistics shared by keyness and collocation.

The table, after Evert (2008, *Corpora and collocations*, §4)::

                 item       not item
    sample  |  O11         O12        | R1
    other   |  O21         O22        | R2
               C1          C2           N

Expected counts ``E_ij = R_i * C_j / N``. All functions take numpy arrays
(or scalars) and work element-wise, so one call scores a whole vocabulary.
"""
from __future__ import annotations

import numpy as np
from scipy import special, stats

#: Below this expected count, chi-square and G2 p-values are unreliable (Cochran 1954;
#: Rayson, Berridge & Francis 2004 discuss the same threshold for keyness).
MIN_EXPECTED = 5.0


def expected_counts(o11, o12, o21, o22):
    """``(E11, E12, E21, E22)`` under independence: row total x column total / N."""
    o11, o12, o21, o22 = (np.asarray(x, dtype=float) for x in (o11, o12, o21, o22))
    r1, r2, c1, c2 = o11 + o12, o21 + o22, o11 + o21, o12 + o22
    n = r1 + r2
    with np.errstate(divide="ignore", invalid="ignore"):
        return r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n


def log_likelihood(observed, expected):
    """``G2 = 2 * sum O ln(O/E)`` over the given cells, with ``0 ln 0 = 0``.

    Pass the four cells of the 2x2 table for Dunning's (1993) G2, or only the
    two item cells for Rayson & Garside's (2000) two-term keyness form. Both
    have ``sum O = sum E``, so it is computed as ``2 * sum [O log1p((O - E)/E) - (O - E)]``:
    every term is >= 0 and small near independence, where ``O ln O - O ln E``
    cancels catastrophically with cells near 1e9 (relative error to ~1e-13, not 1e-3).
    """
    total = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected):
            o = np.asarray(o, dtype=float)
            excess = o - e
            total = total + np.where(o > 0, special.xlog1py(o, excess / e), 0.0) - excess
    return 2.0 * total


def chi_square(observed, expected):
    """Pearson's ``X2 = sum (O - E)^2 / E`` over the cells given (no Yates correction)."""
    total = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected):
            total = total + (np.asarray(o, dtype=float) - e) ** 2 / e
    return total


def p_from_statistic(statistic, df: int = 1):
    """Upper-tail chi-square p-value of a G2 or X2 statistic."""
    return stats.chi2.sf(np.asarray(statistic, dtype=float), df)


def adjust_p(p, method: str | None):
    """Multiple-testing correction: ``None``, ``'bonferroni'`` (p * m, capped at 1) or
    ``'bh'`` (Benjamini & Hochberg 1995 false discovery rate). NaNs are left out of m."""
    p = np.asarray(p, dtype=float)
    if method is None:
        return p.copy()
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if not ok.any():
        return out
    if method == "bonferroni":
        out[ok] = np.minimum(p[ok] * ok.sum(), 1.0)
    elif method == "bh":
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    else:
        raise ValueError(f"correction must be None, 'bh' or 'bonferroni', not {method!r}")
    return out
