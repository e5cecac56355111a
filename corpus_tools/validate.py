"""Agreement with human labels (Grimmer & Stewart 2013: validate, validate, validate).

Pure functions on arrays or Series; each returns plain numbers or a tidy table.
Krippendorff's alpha follows Krippendorff (2004, 2011) and Hayes & Krippendorff
(2007); read >= .800 as reliable and .667-.800 as tentative.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

THREE_CLASSES = ("negative", "neutral", "positive")


def correlation(predicted, gold) -> dict:
    """Pearson and Spearman r (with p-values) between two numeric series, ignoring pairs with NaN."""
    pred = np.asarray(predicted, dtype=float)
    true = np.asarray(gold, dtype=float)
    keep = ~(np.isnan(pred) | np.isnan(true))
    n = int(keep.sum())
    if n < 3 or np.ptp(pred[keep]) == 0 or np.ptp(true[keep]) == 0:
        return {"n": n, "pearson": np.nan, "pearson_p": np.nan, "spearman": np.nan, "spearman_p": np.nan}
    pearson = stats.pearsonr(pred[keep], true[keep])
    spearman = stats.spearmanr(pred[keep], true[keep])
    return {"n": n, "pearson": float(pearson.statistic), "pearson_p": float(pearson.pvalue),
            "spearman": float(spearman.statistic), "spearman_p": float(spearman.pvalue)}


def classification_scores(predicted, gold, labels: Sequence | None = None) -> pd.DataFrame:
    """Per-label precision, recall, F1 and support, plus ``macro`` and ``accuracy`` rows.

    F1 is ``2 TP / (2 TP + FP + FN)`` (as scikit-learn's ``f1_score``), so a label predicted but
    never in gold has F1 0 and lowers the macro mean; it is NaN only for a label with neither
    predictions nor gold cases (left out of the macro mean; scikit-learn counts such a listed label
    as 0). Precision of a label never predicted is 0 when it has gold cases, recall of a label
    never in gold 0 when it is predicted.
    """
    pred = pd.Series(list(predicted), dtype=object)
    true = pd.Series(list(gold), dtype=object)
    if len(pred) != len(true):
        raise ValueError(f"predicted has {len(pred)} labels, gold has {len(true)}")
    labels = list(labels) if labels is not None else sorted(set(true.dropna()) | set(pred.dropna()), key=str)
    rows = []
    for label in labels:
        tp = int(((pred == label) & (true == label)).sum())
        fp = int(((pred == label) & (true != label)).sum())
        fn = int(((pred != label) & (true == label)).sum())
        precision = tp / (tp + fp) if tp + fp else (0.0 if fn else np.nan)
        recall = tp / (tp + fn) if tp + fn else (0.0 if fp else np.nan)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
        rows.append({"label": label, "precision": precision, "recall": recall, "f1": f1, "support": tp + fn})
    table = pd.DataFrame(rows, columns=["label", "precision", "recall", "f1", "support"])
    macro = {"label": "macro", **table[["precision", "recall", "f1"]].mean().to_dict(),
             "support": int(table["support"].sum())}
    accuracy = float((pred == true).mean()) if len(true) else np.nan
    summary = pd.DataFrame([macro, {"label": "accuracy", "precision": np.nan, "recall": np.nan,
                                    "f1": accuracy, "support": len(true)}])
    return pd.concat([table, summary], ignore_index=True)


def binary_scores(predicted, gold) -> dict:
    """Precision, recall and F1 of the positive class for boolean predictions."""
    table = classification_scores(np.asarray(predicted, bool), np.asarray(gold, bool), labels=[True])
    row = table.iloc[0]
    return {"precision": row.precision, "recall": row.recall, "f1": row.f1, "support": int(row.support)}


def majority_baseline(gold, labels: Sequence | None = None) -> pd.DataFrame:
    """``classification_scores`` of always predicting the most frequent gold label."""
    true = pd.Series(list(gold), dtype=object)
    majority = true.mode(dropna=True).iloc[0] if true.notna().any() else None
    return classification_scores([majority] * len(true), true, labels)


def to_three_class(scores, *, neutral_band: float = 0.05) -> np.ndarray:
    """Map scores to negative / neutral / positive with a stated neutral band |score| <= band."""
    values = np.asarray(scores, dtype=float)
    out = np.where(values > neutral_band, "positive", np.where(values < -neutral_band, "negative", "neutral"))
    return np.where(np.isnan(values), None, out)


def three_class(scores, gold_scores, *, neutral_band: float = 0.05, gold_band: float | None = None) -> dict:
    """3-class accuracy and macro-F1 of scores against numeric gold scores.

    Both sides are cut at ``±neutral_band`` (the gold side at ``gold_band`` when its
    scale differs, e.g. 0.5 on a -4..+4 human scale).
    """
    pred = to_three_class(scores, neutral_band=neutral_band)
    gold = to_three_class(gold_scores, neutral_band=neutral_band if gold_band is None else gold_band)
    table = classification_scores(pred, gold, labels=THREE_CLASSES)
    return {"accuracy": float(table.set_index("label").at["accuracy", "f1"]),
            "macro_f1": float(table.set_index("label").at["macro", "f1"]),
            "neutral_band": neutral_band, "n": len(gold), "table": table}


def krippendorff_alpha(data, *, level: str = "nominal") -> float:
    """Krippendorff's alpha for a units x coders table (NaN/None = missing).

    ``level`` is 'nominal' (delta = 0 if equal else 1) or 'interval' (squared
    difference). Computed from the coincidence matrix (Krippendorff 2011,
    "Computing Krippendorff's alpha-reliability"); units with fewer than two
    values are not pairable and are dropped.
    """
    values, coincidence = coincidence_matrix(data)
    return alpha_from_coincidences(coincidence, values, level=level)


def coincidence_matrix(data, values: Sequence | None = None) -> tuple[list, np.ndarray]:
    """The values coded and the coincidence matrix of a units x coders table (Krippendorff 2011,
    section B): each pairable unit with m values adds its value pairs / (m - 1). ``values`` fixes the
    rows (e.g. to add matrices of several tables, as a bootstrap over clusters does)."""
    table = pd.DataFrame(data)
    if values is None:
        values = sorted({v for v in table.to_numpy().ravel() if not _missing(v)}, key=_sort_key)
    index = {v: i for i, v in enumerate(values)}
    coincidence = np.zeros((len(values), len(values)))
    for row in table.itertuples(index=False):
        present = [index[v] for v in row if not _missing(v)]
        m = len(present)
        if m < 2:
            continue
        counts = np.bincount(present, minlength=len(values)).astype(float)
        coincidence += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    return list(values), coincidence


def alpha_from_coincidences(coincidence: np.ndarray, values: Sequence, *, level: str = "nominal") -> float:
    """alpha = 1 - D_o / D_e from a coincidence matrix over ``values`` (NaN when nothing varies)."""
    if level == "nominal":
        delta = 1.0 - np.eye(len(values))
    elif level == "interval":
        numeric = np.asarray(values, dtype=float)
        delta = (numeric[:, None] - numeric[None, :]) ** 2
    else:
        raise ValueError(f"level must be 'nominal' or 'interval', not {level!r}")
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if (n_c > 0).sum() < 2:
        return np.nan
    observed = (coincidence * delta).sum()
    expected = (np.outer(n_c, n_c) * delta).sum() / (n - 1)
    return float(1.0 - observed / expected) if expected else np.nan


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _sort_key(value):
    return (0, value) if isinstance(value, (int, float, np.number)) else (1, str(value))
