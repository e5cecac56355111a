"""Figures of notebook 04 (sentence and targeted sentiment). Each returns a Figure; save with save_figure."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import config
from .plots import PALETTE, capped, new_figure, shown_of

LABELS = {"vader_compound": "VADER compound", "textblob_polarity": "TextBlob polarity",
          "afinn_compound": "AFINN (VADER rules)", "textblob_sum_compound": "TextBlob lexicon (VADER rules)",
          "score": "Default score (calibrated)"}


def label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " "))


def plot_score_distributions(scored: pd.DataFrame, *, columns: Sequence[str] = ("vader_compound", "textblob_polarity",
                                                                                 "afinn_compound", "score"),
                             band: float | None = None, seed: int = 0, title: str = "Sentence scores per scorer"):
    """One row per scorer: every sentence as a jittered dot (box behind), the mean as a black bar.
    At most ``config.MAX_FIGURE_ITEMS`` scorers (the title says how many were left out), at most
    ``config.MAX_FIGURE_INCHES`` high; each scorer's dots are one collection however many sentences."""
    every = [c for c in columns if c in scored]
    columns = every[:config.MAX_FIGURE_ITEMS]
    title += shown_of(len(columns), len(every), "scorers")
    fig, ax = new_figure(capped(7.5, 1.0 + 0.75 * max(len(columns), 1)))
    rng = np.random.default_rng(seed)
    for i, column in enumerate(columns):
        values = scored[column].dropna().to_numpy(float)
        if not len(values):
            continue
        ax.boxplot(values, positions=[i], vert=False, widths=0.5, showfliers=False, patch_artist=True,
                   boxprops={"facecolor": "#eeeeee", "edgecolor": "#999999"}, medianprops={"color": "#999999"},
                   whiskerprops={"color": "#999999"}, capprops={"color": "#999999"})
        ax.scatter(values, i + rng.uniform(-0.18, 0.18, len(values)), s=14, alpha=0.75,
                   color=PALETTE[i % len(PALETTE)], edgecolor="none", zorder=3, rasterized=len(values) > 5000)
        ax.plot([values.mean()] * 2, [i - 0.3, i + 0.3], color="black", linewidth=2, zorder=4)
    if band is not None:
        ax.axvspan(-band, band, color="#cccccc", alpha=0.35, zorder=0, label=f"neutral band ±{band:g}")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_yticks(range(len(columns)), [label(c) for c in columns])
    ax.set_ylim(len(columns) - 0.5, -0.5)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("Score (-1 negative ... +1 positive); black bar = mean")
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig


def plot_arc(arc: pd.DataFrame, *, score: str = "score", doc: str = "doc_id", max_docs: int = 12,
             band: float | None = None, title: str = "Sentiment through the text"):
    """Rolling mean through each document on a 0-1 position axis (sentences as dots when few documents);
    the first ``max_docs`` documents, at most ``config.MAX_FIGURE_ITEMS`` (the title says how many)."""
    fig, ax = new_figure("wide")
    docs = list(dict.fromkeys(arc[doc]))
    max_docs = max(1, min(max_docs, config.MAX_FIGURE_ITEMS))
    show = docs[:max_docs]
    for i, key in enumerate(show):
        part = arc[arc[doc] == key]
        color = PALETTE[i % len(PALETTE)] if len(show) <= 8 else "#555555"
        ax.plot(part["position"], part["rolling"], color=color, linewidth=2 if len(show) == 1 else 1.2,
                label=str(key) if 1 < len(show) <= 8 else "rolling mean" if len(show) == 1 else None)
        if len(show) <= 3:
            ax.scatter(part["position"], part[score], s=16, color=color, alpha=0.5, edgecolor="none",
                       label="sentences" if len(show) == 1 else None)
    if band is not None:
        ax.axhspan(-band, band, color="#cccccc", alpha=0.35, zorder=0, label=f"neutral band ±{band:g}")
    ax.axhline(0, color="#666666", linewidth=0.8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Position in the document (0 = start, 1 = end)")
    ax.set_ylabel(f"{label(score)}")
    ax.set_title(title + (f" (first {max_docs} of {len(docs)} documents)" if len(docs) > max_docs else ""))
    if show and (len(show) <= 8 or band is not None):  # past 8 documents the lines are grey, unlabelled
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=doc if len(show) > 1 else None)
    return fig


def interval_extents(part: pd.DataFrame, value: str) -> np.ndarray:
    """Error-bar lengths below and above ``value`` from ``ci_low``/``ci_high`` (0 where missing)."""
    low = (part[value] - part["ci_low"]).fillna(0).clip(lower=0)
    high = (part["ci_high"] - part[value]).fillna(0).clip(lower=0)
    return np.vstack([low, high])


def plot_targets(table: pd.DataFrame, *, group: str | None = None, value: str = "mean",
                 title: str = "Sentiment toward each actor"):
    """Dot and 95% interval of the mean targeted score per actor (per group when given), with n mentions."""
    every = list(dict.fromkeys(table.sort_values(value, kind="stable")["actor"]))
    most = table.groupby("actor", sort=False)["n_mentions"].sum().sort_values(ascending=False, kind="stable")
    actors = [a for a in every if a in set(most.index[:config.MAX_FIGURE_ITEMS])]
    groups = list(dict.fromkeys(table[group]))[:len(PALETTE)] if group else [None]
    table = table[table["actor"].isin(actors) & (table[group].isin(groups) if group else True)]
    title += f" ({len(actors)} most mentioned of {len(every):,})" if len(every) > len(actors) else ""
    fig, ax = new_figure((7.5, min(1.2 + 0.45 * max(len(actors), 1) * max(1, len(groups) ** 0.5),
                                   config.MAX_FIGURE_INCHES)))
    step = 0.6 / max(len(groups), 1)
    for g, key in enumerate(groups):
        part = table if key is None else table[table[group] == key]
        y = np.array([actors.index(a) for a in part["actor"]]) + (g - (len(groups) - 1) / 2) * step
        ax.errorbar(part[value], y, xerr=interval_extents(part, value), fmt="o", color=PALETTE[g % len(PALETTE)],
                    capsize=3, markersize=6, label=str(key) if key is not None else None)
        for xv, yv, n in zip(part[value], y, part["n_mentions"]):
            ax.annotate(f"n={n}", (xv, yv), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8,
                        color="#444444")
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_yticks(range(len(actors)), actors)
    ax.set_ylim(len(actors) - 0.4, -0.6)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("Mean targeted score, P(positive) - P(negative), with 95% bootstrap interval")
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    if group and len(groups) > 1:
        ax.legend(title=group, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_polarity_subjectivity(scored: pd.DataFrame, *, title: str = "Polarity and subjectivity (TextBlob)"):
    """Scatter of TextBlob polarity vs subjectivity per sentence, quoted and narrative sentences apart."""
    fig, ax = new_figure("column")
    voice = np.where(scored["in_quote"].astype(bool), "quoted", "narrative") if "in_quote" in scored \
        else np.full(len(scored), "narrative")
    for i, name in enumerate(("narrative", "quoted")):
        part = scored[voice == name]
        if len(part):
            ax.scatter(part["textblob_subjectivity"], part["textblob_polarity"], s=28, alpha=0.75,
                       color=PALETTE[i], edgecolor="white", linewidth=0.5, label=f"{name} ({len(part)})")
    ax.axhline(0, color="#666666", linewidth=0.8)
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("Subjectivity (0 factual ... 1 opinionated)")
    ax.set_ylabel("Polarity (-1 ... +1)")
    ax.set_title(title)
    if len(scored):
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="sentences")
    return fig


def plot_voice(table: pd.DataFrame, *, group: str | None = None, title: str = "Quoted vs narrative sentences"):
    """Mean default score with 95% interval for narrative and quoted sentences (per group when given)."""
    fig, ax = new_figure("column")
    groups = list(dict.fromkeys(table[group]))[:len(PALETTE)] if group else [None]
    voices = ["narrative", "quoted"]
    for g, key in enumerate(groups):
        part = table if key is None else table[table[group] == key]
        x = np.array([voices.index(v) for v in part["voice"]]) + (g - (len(groups) - 1) / 2) * 0.15
        ax.errorbar(x, part["mean"], yerr=interval_extents(part, "mean"), fmt="o", capsize=4, markersize=7,
                    color=PALETTE[g % len(PALETTE)], label=str(key) if key is not None else None)
        for xv, yv, n in zip(x, part["mean"], part["n_sentences"]):
            ax.annotate(f"n={n}", (xv, yv), xytext=(8, 0), textcoords="offset points", va="center", fontsize=8)
    ax.axhline(0, color="#666666", linewidth=0.8)
    ax.set_xticks([0, 1], ["narrative", "quoted"])
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylabel("Mean default score (95% bootstrap interval)")
    ax.grid(axis="x", visible=False)
    ax.set_title(title)
    if group and len(groups) > 1:
        ax.legend(title=group, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_group_sentiment(table: pd.DataFrame, *, group: str, value: str = "mean",
                         title: str = "Sentence sentiment per group"):
    """Dot and 95% interval of ``value`` per group (``stat_sentiment(..., by=[group])``), n sentences printed."""
    total, table = len(table), table.nlargest(config.MAX_FIGURE_ITEMS, "n_sentences").sort_index()
    title += f" ({len(table)} largest of {total:,} groups)" if total > len(table) else ""
    names = [str(k) for k in table[group]]
    fig, ax = new_figure((7.0, min(1.3 + 0.45 * max(len(names), 1), config.MAX_FIGURE_INCHES)))
    y = np.arange(len(names))
    ax.errorbar(table[value], y, xerr=interval_extents(table, value), fmt="o", color=PALETTE[0], capsize=3,
                markersize=6)
    for xv, yv, n in zip(table[value], y, table["n_sentences"]):
        ax.annotate(f"n={n:,}", (xv, yv), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8,
                    color="#444444")
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_yticks(y, names)
    ax.set_ylim(len(names) - 0.4, -0.6)
    ax.set_xlabel(f"{label('score' if value == 'mean' else value)}: mean over sentences, 95% bootstrap interval")
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig
