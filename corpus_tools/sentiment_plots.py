"""Figures of notebook 04 (sentence and targeted sentiment). Each returns a Figure; save with save_figure."""
from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import config
from .plots import OTHER_COLOUR, PALETTE, capped, new_figure, shown_of

#: Scatters of more points than this are drawn as densities (hexbin, violin) instead.
MAX_POINTS = 3000
BAND_COLOUR = "#cccccc"

LABELS = {"vader_compound": "VADER compound", "textblob_polarity": "TextBlob polarity",
          "afinn_compound": "AFINN (VADER rules)", "textblob_sum_compound": "TextBlob lexicon (VADER rules)",
          "score": "Default score (calibrated)"}


def label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " "))


def neutral_band(ax, band: float | None = None, *, axis: str = "x", legend: bool = False) -> float:
    """Shade the neutral band (``sentiment.default_band()`` unless given) across ``axis`` and make sure the
    axis shows it whole (at least 1.5 band either side of 0), so a difference inside it never looks large."""
    from .sentiment import default_band

    band = default_band() if band is None else band
    span = ax.axvspan if axis == "x" else ax.axhspan
    span(-band, band, color=BAND_COLOUR, alpha=0.35, zorder=0, label=f"neutral band ±{band:g}" if legend else None)
    (ax.axvline if axis == "x" else ax.axhline)(0, color="#666666", linewidth=0.8)
    low, high = ax.get_xlim() if axis == "x" else ax.get_ylim()
    limits = (min(low, -1.5 * band), max(high, 1.5 * band))
    (ax.set_xlim if axis == "x" else ax.set_ylim)(*limits)
    return band


def colour_of(colours: dict | None, key, i: int) -> str:
    """A group's colour from ``plots.group_colours`` (all groups of the run), else the palette in order."""
    if colours is not None:
        return colours.get(str(key), OTHER_COLOUR)
    return PALETTE[i % len(PALETTE)]


def _counts(table: pd.DataFrame) -> list[str]:
    """"n=3 docs, 41 sent." from a ``compare`` table, "n=41" from a ``stat_sentiment`` one."""
    if "n_documents" in table and "n_units" in table:
        return [f"{d:,} doc., {u:,} sent." for d, u in zip(table["n_documents"], table["n_units"])]
    column = next(c for c in ("n_sentences", "n_mentions", "n_units") if c in table)
    return [f"n={n:,}" for n in table[column]]


def plot_score_distributions(scored: pd.DataFrame, *, columns: Sequence[str] = ("vader_compound", "textblob_polarity",
                                                                                 "afinn_compound", "score"),
                             band: float | None = None, seed: int = 0, title: str = "Sentence scores per scorer"):
    """One row per scorer: every sentence as a jittered dot (a density above ``MAX_POINTS`` sentences; box
    behind), the mean as a black bar, the neutral band shaded (``band``; default score's band if None).
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
        if len(values) > MAX_POINTS:  # a density, not tens of thousands of overplotted dots
            parts = ax.violinplot(values, positions=[i], vert=False, widths=0.7, showextrema=False)
            for body in parts["bodies"]:
                body.set(facecolor=PALETTE[i % len(PALETTE)], alpha=0.55, zorder=3)
        else:
            ax.scatter(values, i + rng.uniform(-0.18, 0.18, len(values)), s=14, alpha=0.75,
                       color=PALETTE[i % len(PALETTE)], edgecolor="none", zorder=3)
        ax.plot([values.mean()] * 2, [i - 0.3, i + 0.3], color="black", linewidth=2, zorder=4)
    neutral_band(ax, band, legend=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_yticks(range(len(columns)), [label(c) for c in columns])
    ax.set_ylim(len(columns) - 0.5, -0.5)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("Score (-1 negative ... +1 positive); black bar = mean")
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig


def plot_arc(arc: pd.DataFrame, *, score: str = "score", doc: str = "doc_id", max_docs: int = 12,
             band: float | None = None, names: dict | None = None, colours: dict | None = None,
             dashed=(), title: str = "Sentiment through the text"):
    """Rolling mean through each document on a 0-1 position axis (sentences as dots for up to 3 documents),
    the neutral band shaded. ``names``: legend label per document; ``colours``: colour per document (e.g.
    its group's), ``dashed``: documents drawn dashed. The first ``max_docs`` documents, at most
    ``config.MAX_FIGURE_ITEMS`` (the title says how many); pass a few picked documents (``pick_documents``)."""
    fig, ax = new_figure("wide")
    docs = list(dict.fromkeys(arc[doc]))
    max_docs = max(1, min(max_docs, config.MAX_FIGURE_ITEMS))
    show = docs[:max_docs]
    labelled = len(show) <= 16
    for i, key in enumerate(show):
        part = arc[arc[doc] == key]
        color = (colours or {}).get(key) or (PALETTE[i % len(PALETTE)] if labelled else "#555555")
        name = (names or {}).get(key, str(key))
        ax.plot(part["position"], part["rolling"], color=color, linewidth=2 if len(show) == 1 else 1.4,
                linestyle="--" if key in set(dashed) else "-",
                label=name if 1 < len(show) and labelled else "rolling mean" if len(show) == 1 else None)
        if len(show) <= 3:
            ax.scatter(part["position"], part[score], s=16, color=color, alpha=0.5, edgecolor="none",
                       label="sentences" if len(show) == 1 else None)
    neutral_band(ax, band, axis="y", legend=True)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Position in the document (0 = start, 1 = end)")
    ax.set_ylabel(f"{label(score)}")
    ax.set_title(title + (f" (first {max_docs} of {len(docs)} documents)" if len(docs) > max_docs else ""))
    if show:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return fig


def plot_mean_arc(table: pd.DataFrame, *, group: str | None = None, band: float | None = None,
                  colours: dict | None = None, title: str = "Mean sentiment arc"):
    """The corpus's arc: mean default score per tenth of the document (``decile``), one line per group with
    its interval as a band (``compare.stat_by_group(arc_units(...), ..., group=[group, "decile"])``);
    at most ``len(PALETTE)`` groups (the title says how many)."""
    fig, ax = new_figure("wide")
    keys = list(dict.fromkeys(table[group])) if group else [None]
    shown = keys[:len(PALETTE)]
    for i, key in enumerate(shown):
        part = (table if key is None else table[table[group] == key])
        part = part.assign(decile=part["decile"].astype(int)).sort_values("decile")
        color = colour_of(colours, key, i) if key is not None else PALETTE[0]
        x = (part["decile"].to_numpy(float) - 0.5) / 10
        ax.fill_between(x, part["ci_low"], part["ci_high"], color=color, alpha=0.18, linewidth=0)
        ax.plot(x, part["mean"], color=color, marker="o", markersize=4, linewidth=1.8,
                label=str(key) if key is not None else "all documents")
    neutral_band(ax, band, axis="y", legend=True)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Position in the document, by tenth (0 = start, 1 = end)")
    ax.set_ylabel("Mean default score, 95% interval")
    ax.set_title(title + shown_of(len(shown), len(keys), "groups"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=group)
    return fig


def interval_extents(part: pd.DataFrame, value: str) -> np.ndarray:
    """Error-bar lengths below and above ``value`` from ``ci_low``/``ci_high`` (0 where missing)."""
    low = (part[value] - part["ci_low"]).fillna(0).clip(lower=0)
    high = (part["ci_high"] - part[value]).fillna(0).clip(lower=0)
    return np.vstack([low, high])


def _count_column(table: pd.DataFrame) -> str:
    return next(c for c in ("n_mentions", "n_units", "n_sentences") if c in table)


def plot_targets(table: pd.DataFrame, *, group: str | None = None, value: str = "mean", band: float | None = None,
                 colours: dict | None = None, title: str = "Sentiment toward each actor"):
    """Dot and 95% interval of the mean targeted score per actor (per group when given, each group its
    colour from ``colours``), n printed, the neutral band shaded; at most ``config.MAX_FIGURE_ITEMS``
    actors (most mentioned) and ``len(PALETTE)`` groups."""
    count = _count_column(table)
    every = list(dict.fromkeys(table.sort_values(value, kind="stable")["actor"]))
    most = table.groupby("actor", sort=False)[count].sum().sort_values(ascending=False, kind="stable")
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
        extents = interval_extents(part, value)
        ax.errorbar(part[value], y, xerr=extents, fmt="o", color=colour_of(colours, key, g),
                    capsize=3, markersize=6, label=str(key) if key is not None else None)
        for xv, yv, n in zip(part[value].to_numpy() + np.asarray(extents)[1], y, part[count]):  # right of the bar
            ax.annotate(f"n={n}", (xv, yv), xytext=(6, 0), textcoords="offset points", ha="left", va="center",
                        fontsize=8, color="#444444")
    ax.set_xlim(-1.05, 1.05)
    neutral_band(ax, band, legend=True)
    ax.set_yticks(range(len(actors)), actors)
    ax.set_ylim(len(actors) - 0.4, -0.6)
    ax.set_xlabel("Mean targeted score, P(positive) - P(negative), with 95% interval")
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    ax.legend(title=group if group and len(groups) > 1 else None, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_polarity_subjectivity(scored: pd.DataFrame, *, band: float | None = None, max_points: int = MAX_POINTS,
                               title: str = "Polarity and subjectivity (TextBlob)"):
    """TextBlob polarity vs subjectivity per sentence: a scatter of narrative and quoted sentences apart up
    to ``max_points`` sentences, a hexbin density (log count) above; the neutral band shaded."""
    fig, ax = new_figure("column")
    x, y = scored["textblob_subjectivity"].to_numpy(float), scored["textblob_polarity"].to_numpy(float)
    if len(scored) > max_points:
        cells = ax.hexbin(x, y, gridsize=40, extent=(0, 1, -1, 1), bins="log", mincnt=1, cmap="Blues",
                          linewidths=0)
        fig.colorbar(cells, ax=ax, label="sentences per cell (log)")
        title += f" ({len(scored):,} sentences, density)"
    else:
        voice = np.where(scored["in_quote"].astype(bool), "quoted", "narrative") if "in_quote" in scored \
            else np.full(len(scored), "narrative")
        for i, name in enumerate(("narrative", "quoted")):
            mask = voice == name
            if mask.any():
                ax.scatter(x[mask], y[mask], s=28, alpha=0.75, color=PALETTE[i], edgecolor="white", linewidth=0.5,
                           label=f"{name} ({mask.sum()})")
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-1.05, 1.05)
    neutral_band(ax, band, axis="y")
    ax.set_xlabel("Subjectivity (0 factual ... 1 opinionated)")
    ax.set_ylabel("Polarity (-1 ... +1); grey: neutral band")
    ax.set_title(title)
    if 0 < len(scored) <= max_points:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="sentences")
    return fig


def plot_voice(table: pd.DataFrame, *, group: str | None = None, band: float | None = None,
               colours: dict | None = None, title: str = "Quoted vs narrative sentences"):
    """Mean default score with 95% interval for narrative and quoted sentences (per group when given, each
    group its colour), counts printed under each bar (up to four groups), the neutral band shaded; at most
    ``len(PALETTE)`` groups."""
    fig, ax = new_figure("column")
    groups = list(dict.fromkeys(table[group]))[:len(PALETTE)] if group else [None]
    voices = ["narrative", "quoted"]
    step = 0.6 / max(len(groups), 1)
    for g, key in enumerate(groups):
        part = table if key is None else table[table[group] == key]
        x = np.array([voices.index(v) for v in part["voice"]]) + (g - (len(groups) - 1) / 2) * step
        ax.errorbar(x, part["mean"], yerr=interval_extents(part, "mean"), fmt="o", capsize=4, markersize=7,
                    color=colour_of(colours, key, g), label=str(key) if key is not None else None)
        if len(groups) > 4:  # no room for counts beside 5+ bars a voice: they are in the table
            continue
        lows = part["mean"].to_numpy() - interval_extents(part, "mean")[0]
        for xv, yv, n in zip(x, lows, _counts(part)):  # under its own bar, so no count runs into the next group's
            ax.annotate(n.replace(", ", "\n"), (xv, yv), xytext=(0, -4), textcoords="offset points", ha="center",
                        va="top", fontsize=7)
    neutral_band(ax, band, axis="y", legend=True)
    low, high = ax.get_ylim()
    ax.set_ylim(low - 0.15 * (high - low), high)  # room for the counts under the lowest bar
    ax.set_xticks([0, 1], voices)
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylabel("Mean default score (95% interval)")
    ax.grid(axis="x", visible=False)
    ax.set_title(title)
    ax.legend(title=group if group and len(groups) > 1 else None, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_group_sentiment(table: pd.DataFrame, *, group: str, value: str = "mean", band: float | None = None,
                         colours: dict | None = None, title: str = "Sentence sentiment per group"):
    """Dot and 95% interval of ``value`` per group (``stat_sentiment(..., by=[group])`` or
    ``compare.stat_by_group``), counts printed, each group its colour (``colours``), the neutral band
    (``sentiment.default_band()`` unless given) shaded and always in view."""
    total, table = len(table), table.nlargest(config.MAX_FIGURE_ITEMS, _count_column(table)).sort_index()
    title += f" ({len(table)} largest of {total:,} groups)" if total > len(table) else ""
    names = [str(k) for k in table[group]]
    fig, ax = new_figure((7.0, min(1.3 + 0.45 * max(len(names), 1), config.MAX_FIGURE_INCHES)))
    for i, (name, (_, row)) in enumerate(zip(names, table.iterrows())):
        ax.errorbar([row[value]], [i], xerr=interval_extents(table.loc[[row.name]], value), fmt="o", capsize=3,
                    markersize=6, color=colour_of(colours, name, 0 if colours is None else i))
    for xv, yv, n in zip(table[value], range(len(names)), _counts(table)):
        ax.annotate(n, (xv, yv), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8, color="#444444")
    neutral_band(ax, band, legend=True)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.4, -0.6)
    ax.set_xlabel(f"{label('score' if value == 'mean' else value)}: mean, 95% interval")
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_over_time(table: pd.DataFrame, *, colour: str | None = None, panel: str | None = None,
                   period: str = "period", band: float | None = None, colours: dict | None = None,
                   ylabel: str = "Mean default score", title: str = "Sentiment over time"):
    """A ``compare.stat_over_time`` table as small multiples: one panel per value of ``panel`` (default: of
    ``colour``; at most ``MAX_FIGURE_PANELS``, the most documents first), one line per value of ``colour``
    (its colour from ``colours``), each period a dot with its 95% interval (hollow: few documents),
    undated documents left out, the neutral band shaded in every panel."""
    from .compare import NO_DATE
    from .plots import MAX_FIGURE_PANELS

    data = table[table[period] != NO_DATE]
    panel = panel or colour
    periods = sorted(set(data[period]))
    every = data.groupby(panel)["n_documents"].sum().sort_values(ascending=False, kind="stable").index.tolist() \
        if panel else [None]
    panels = every[:MAX_FIGURE_PANELS]
    columns = 1 if len(panels) <= 3 else 2
    rows = -(-len(panels) // columns)
    fig, axes = new_figure(capped(9.0 if columns == 1 else 11.0, 1.0 + 2.0 * rows), nrows=rows, ncols=columns,
                           sharex=True, sharey=True, squeeze=False)
    lines = sorted(set(data[colour])) if colour else [None]
    for ax, key in zip(axes.flat, panels):
        part = data if key is None else data[data[panel] == key]
        keys = lines if colour != panel else [key]
        for i, line in enumerate(keys[:len(PALETTE)]):
            cells = part if line is None else part[part[colour] == line]
            x = np.array([periods.index(p) for p in cells[period]]) + \
                (0 if colour == panel else (i - (len(keys) - 1) / 2) * 0.5 / max(len(keys), 1))
            color = colour_of(colours, line, i) if line is not None else PALETTE[0]
            ax.plot(x, cells["mean"], color=color, linewidth=1.2, alpha=0.8,
                    label=str(line) if line is not None and ax is axes.flat[0] else None)
            few = cells["few_documents"].to_numpy(bool)
            ax.errorbar(x, cells["mean"], yerr=interval_extents(cells, "mean"), fmt="none", ecolor=color, capsize=2)
            ax.scatter(x[~few], cells["mean"].to_numpy()[~few], color=color, s=22, zorder=3)
            ax.scatter(x[few], cells["mean"].to_numpy()[few], facecolor="white", edgecolor=color, s=22, zorder=3)
        band = neutral_band(ax, band, axis="y")
        ax.set_title(str(key) if key is not None else "all documents", fontsize=10)
    values = data[["mean", "ci_low", "ci_high"]].to_numpy(float)  # shared y: every panel's intervals in view
    low, high = min(np.nanmin(values, initial=0), -1.5 * band), max(np.nanmax(values, initial=0), 1.5 * band)
    axes[0][0].set_ylim(low - 0.05 * (high - low), high + 0.05 * (high - low))
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    step = max(1, len(periods) // 12)
    for ax in axes[-1]:
        ax.set_xticks(range(0, len(periods), step), periods[::step], rotation=45, ha="right")
    axes[0][0].set_ylabel(ylabel)
    fig.suptitle(title + shown_of(len(panels), len(every), "panels", how="largest") +
                 "\n95% intervals; hollow: fewer than 5 documents", x=0.01, ha="left", fontweight="bold")
    if colour and colour != panel:
        fig.legend(*axes.flat[0].get_legend_handles_labels(), title=colour, loc="upper left",
                   bbox_to_anchor=(1.0, 0.95))
    return fig


def plot_event(table: pd.DataFrame, *, group: str | None = None, event_date: str = "", band: float | None = None,
               colours: dict | None = None, title: str = "Before and after the event"):
    """A ``compare.stat_event`` table: per group (at most ``config.MAX_FIGURE_ITEMS``), the mean before and
    from the event on, each with its 95% interval (hollow: before), joined by a line; the neutral band shaded."""
    keys = list(table[group]) if group else ["all documents"]
    shown = keys[:config.MAX_FIGURE_ITEMS]
    fig, ax = new_figure(capped(max(6.5, 1.2 * len(shown) + 2.5), 4.5))
    for i, key in enumerate(shown):
        row = table.iloc[i]
        color = colour_of(colours, key, i) if group else PALETTE[0]
        x = np.array([i - 0.15, i + 0.15])
        means = np.array([row["mean_before"], row["mean_after"]], dtype=float)
        low = np.array([row["ci_low_before"], row["ci_low_after"]], dtype=float)
        high = np.array([row["ci_high_before"], row["ci_high_after"]], dtype=float)
        ax.plot(x, means, color=color, linewidth=1.2)
        ax.errorbar(x, means, yerr=np.vstack([np.nan_to_num(means - low), np.nan_to_num(high - means)]).clip(0),
                    fmt="none", ecolor=color, capsize=3)
        ax.scatter(x[:1], means[:1], facecolor="white", edgecolor=color, s=36, zorder=3,
                   label="before" if i == 0 else None)
        ax.scatter(x[1:], means[1:], color=color, s=36, zorder=3, label="from the event on" if i == 0 else None)
        for xv, yv, n in zip(x, means, (row["n_documents_before"], row["n_documents_after"])):
            ax.annotate(f"{n} doc.", (xv, yv), xytext=(0, -12), textcoords="offset points", ha="center", fontsize=7)
    neutral_band(ax, band, axis="y", legend=True)
    ax.set_xticks(range(len(shown)), [str(k) for k in shown])
    ax.set_xlim(-0.6, len(shown) - 0.4)
    ax.set_ylabel("Mean default score, 95% interval")
    ax.grid(axis="x", visible=False)
    ax.set_title(title + (f" ({event_date})" if event_date else "") + shown_of(len(shown), len(keys), "groups"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_picked_arcs(arc: pd.DataFrame, picks: pd.DataFrame, *, band: float | None = None,
                     colours: dict | None = None, title: str = "Sentiment through the picked documents"):
    """``plot_arc`` of the documents ``sentiment.pick_documents`` chose: each named by its group, pick and
    title, in its group's colour, the most extreme dashed; only those documents, in the picks' order (the title
    says how many of the corpus's documents)."""
    names = {d: (f"{g} · " if g != "all documents" else "") + f"{p}: {textwrap.shorten(str(n), 40, placeholder=' …')}"
             for d, g, p, n in zip(picks["doc_id"], picks["group"], picks["pick"], picks["name"])}
    hues = {d: colour_of(colours, g, i) if colours else PALETTE[i % len(PALETTE)]
            for i, (d, g) in enumerate(zip(picks["doc_id"], picks["group"]))}
    ids = arc["doc_id"].astype(str)
    n_docs = ids.nunique()
    picked = [str(d) for d in dict.fromkeys(picks["doc_id"])]
    shown = pd.concat([arc[ids == d] for d in picked]) if picked else arc.iloc[:0]  # only the picks, in their order
    shown = shown.assign(doc_id=shown["doc_id"].astype(str))
    names, hues = {str(k): v for k, v in names.items()}, {str(k): v for k, v in hues.items()}
    title += f" ({len(picked)} picked of {n_docs} documents)" if n_docs > len(picked) else ""
    return plot_arc(shown, band=band, names=names, colours=hues, max_docs=len(picked) or 1,
                    dashed=picks.loc[picks["pick"] != "typical", "doc_id"].astype(str), title=title)
