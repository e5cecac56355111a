"""Figures for the framing layers; each returns a matplotlib Figure (``save_figure`` writes it)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import config
from ..plots import PALETTE, new_figure

ROLE_COLOURS = {"protagonist": PALETTE[0], "antagonist": PALETTE[3], "innocent": PALETTE[1]}


#: Rows of the frame timeline: longer documents are shown in this many position bins.
TIMELINE_ROWS = 200


def _label(name: str) -> str:
    return str(name).replace("_", " ")


def _height(inches: float) -> float:
    """A figure height capped at ``config.MAX_FIGURE_INCHES``."""
    return min(inches, config.MAX_FIGURE_INCHES)


def _of(shown: int, total: int) -> str:
    """Title suffix when only the first ``shown`` of ``total`` items are drawn."""
    return f" (first {shown} of {total:,})" if total > shown else ""


def plot_frame_coverage(intervals: pd.DataFrame, *, group: str = "doc_id", title: str = "Frame coverage"):
    """Horizontal bars of coverage (share of sentences) per category with bootstrap intervals,
    one bar per group within each category."""
    every = list(dict.fromkeys(intervals[group])) if len(intervals) else []
    groups = every[:len(PALETTE)]  # one colour each
    intervals = intervals[intervals[group].isin(groups)]
    cats = list(dict.fromkeys(intervals["layer"] + ": " + intervals["category"].map(_label)))
    fig, ax = new_figure((7.5, _height(max(3.0, 0.32 * len(intervals) + 1.2))))
    height = 0.8 / max(len(groups), 1)
    for g, key in enumerate(groups):
        part = intervals[intervals[group] == key]
        labels = part["layer"] + ": " + part["category"].map(_label)
        y = np.array([cats.index(c) for c in labels]) + (g - (len(groups) - 1) / 2) * height
        err = np.vstack([part["coverage"] - part["coverage_lo"], part["coverage_hi"] - part["coverage"]])
        ax.barh(y, part["coverage"], height=height * 0.9, color=PALETTE[g % len(PALETTE)],
                xerr=np.clip(err, 0, None), error_kw={"elinewidth": 0.9, "capsize": 2, "ecolor": "#333333"},
                label=str(key) if len(groups) > 1 else None)
    ax.set_yticks(range(len(cats)), cats)
    ax.invert_yaxis()
    ax.set_xlabel("Share of sentences with the category (bars: 95% bootstrap interval)")
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlim(0, min(1.0, max(0.1, float(intervals["coverage_hi"].max()) * 1.1)) if len(intervals) else 1)
    ax.set_title(title + _of(len(groups), len(every)).replace(")", f" {group} values)"))
    if len(groups) > 1:
        ax.legend(title=group, loc="lower right")
    ax.grid(axis="y", visible=False)
    return fig


def plot_frame_timeline(timeline: pd.DataFrame, *, title: str = "Where each frame lives"):
    """Heat strip: sentences down the document (rows) x categories (columns), cell = weighted cue hits;
    past ``TIMELINE_ROWS`` sentences each row sums a bin of consecutive sentences (the label says so)."""
    values, first, names = _binned(timeline, TIMELINE_ROWS)
    fig, ax = new_figure((7.0, _height(max(3.0, 0.22 * len(values) + 1.5))))
    vmax = max(1.0, float(values.max())) if values.size else 1.0
    image = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=vmax, interpolation="nearest")
    ax.set_xticks(range(len(names)), [_label(n) for n in names], rotation=35, ha="right")
    step = max(1, len(values) // 25)
    ax.set_yticks(range(0, len(values), step), first[::step].astype(str))
    ax.set_ylabel("Sentence (top = start of the text)" if len(values) == len(timeline) else
                  f"First sentence of each of {len(values)} bins of ~{len(timeline) / len(values):.0f} sentences")
    ax.grid(False)
    ax.set_title(title)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("Weighted cue hits")
    return fig


def plot_actor_roles(matrix: pd.DataFrame, *, title: str = "Actors and the roles the text gives them"):
    """Stacked horizontal bars: evidence count per actor, split by role (protagonist/antagonist/innocent)."""
    total, matrix = len(matrix), matrix.head(config.MAX_FIGURE_ITEMS)
    title += _of(len(matrix), total)
    fig, ax = new_figure((7.5, _height(max(2.6, 0.4 * len(matrix) + 1.2))))
    left = np.zeros(len(matrix))
    for role in matrix.columns:
        values = matrix[role].to_numpy(float)
        ax.barh(range(len(matrix)), values, left=left, color=ROLE_COLOURS.get(role, PALETTE[-1]), label=role,
                hatch={"antagonist": "//", "innocent": ".."}.get(role, ""), edgecolor="white", linewidth=0.5)
        left += values
    ax.set_yticks(range(len(matrix)), matrix.index.astype(str))
    ax.invert_yaxis()
    ax.set_xlabel("Pieces of role evidence (cue linked to the actor)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right")
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig


def plot_naming(terms: pd.DataFrame, *, side_colours: dict | None = None, title: str = "Contested names used"):
    """Horizontal bars of naming-term hits, coloured (and labelled) by the side whose usage the term is:
    each party side its own colour in order of first appearance, neutral and international usage grey."""
    from matplotlib.patches import Patch

    from .actors import NON_PARTY_SIDES

    total, terms = len(terms), terms.head(config.MAX_FIGURE_ITEMS)
    title += _of(len(terms), total)
    sides = terms["side"].astype(str).tolist()
    parties = [s for s in dict.fromkeys(sides) if s not in NON_PARTY_SIDES | {"international", "neutral"}]
    colours = {s: PALETTE[[0, 3, 2, 4, 5, 1, 6][i % 7]] for i, s in enumerate(parties)}
    colours = {**colours, **{s: "#999999" for s in sides if s not in colours}, **(side_colours or {})}
    fig, ax = new_figure((7.5, _height(max(2.4, 0.35 * len(terms) + 1.2))))
    ax.barh(range(len(terms)), terms["hits"], color=[colours[s] for s in sides])
    ax.set_yticks(range(len(terms)), [f"{t} ({s})" for t, s in zip(terms["term"], sides)])
    ax.invert_yaxis()
    ax.set_xlabel("Hits")
    ax.xaxis.get_major_locator().set_params(integer=True)
    if sides:
        ax.legend(handles=[Patch(color=colours[s], label=s) for s in dict.fromkeys(sides)], title="usage",
                  loc="lower right")
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig


def plot_speakers(speakers: pd.DataFrame, *, top: int = 12, title: str = "Who speaks"):
    """Words quoted per speaker (bars) with the number of attributions written beside each bar."""
    table = speakers.head(min(top, config.MAX_FIGURE_ITEMS))
    fig, ax = new_figure((7.5, _height(max(2.4, 0.4 * len(table) + 1.2))))
    ax.barh(range(len(table)), table["words_quoted"], color=PALETTE[2])
    for i, (words, n, classes) in enumerate(zip(table["words_quoted"], table["attributions"], table["classes"])):
        ax.text(words, i, f"  {n} attribution{'s' if n != 1 else ''}: {classes}", va="center", fontsize=8)
    ax.set_yticks(range(len(table)), table["speaker"].astype(str))
    ax.invert_yaxis()
    ax.set_xlabel("Words in direct quotes")
    ax.set_xlim(0, max(10, float(table["words_quoted"].max() if len(table) else 0)) * 1.9)
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig


# --------------------------------------------------------------------------- by group, over time, around an event

#: Estimate of a cell with few documents: drawn hollow (the legend says so).
_FEW = "hollow marker: fewer than 5 documents"


def _grid(n_panels: int, *, width: float = 4.2, height: float = 3.0, columns: int = 3):
    """``fig, axes`` (flat list) for ``n_panels`` small multiples (at most ``MAX_FIGURE_PANELS``), capped size."""
    from ..plots import MAX_FIGURE_PANELS, capped

    n = max(1, min(n_panels, MAX_FIGURE_PANELS))
    cols = min(columns, n)
    rows = -(-n // cols)
    fig, axes = new_figure(capped(width * cols, height * rows + 0.6), nrows=rows, ncols=cols, squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _colour(colours: dict | None, key) -> str:
    return (colours or {}).get(str(key), PALETTE[0])


def _axis_format(ax, percent: bool, axis: str = "x") -> None:
    if percent:
        getattr(ax, f"{axis}axis").set_major_formatter(lambda v, _: f"{v:.0%}")


def _group_legend(fig, groups: list, colours: dict | None, *, few: bool, ax=None) -> None:
    """One legend entry per group (and the hollow-marker note): below the panels, or inside ``ax``."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=_colour(colours, g), marker="o", linestyle="", label=str(g)) for g in groups]
    if few:
        handles.append(Line2D([], [], color="#555555", marker="o", markerfacecolor="white", linestyle="", label=_FEW))
    if ax is not None:
        ax.legend(handles=handles, loc="best", fontsize=8, framealpha=0.8, frameon=True)
        return
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 4), bbox_to_anchor=(0.5, -0.02),
               frameon=False)


def _interval(table: pd.DataFrame, low: str = "ci_low", high: str = "ci_high", mean: str = "mean") -> np.ndarray:
    err = np.vstack([table[mean] - table[low], table[high] - table[mean]]).astype(float)
    return np.nan_to_num(np.clip(err, 0, None))


def _points(ax, x, y, table: pd.DataFrame, colour: str, *, horizontal: bool) -> None:
    """Estimates with interval bars; cells with few documents hollow."""
    few = table["few_documents"].to_numpy(bool) if "few_documents" in table else np.zeros(len(table), bool)
    err = _interval(table)
    bars = {"xerr": err} if horizontal else {"yerr": err}
    ax.errorbar(x, y, fmt="none", ecolor=colour, elinewidth=1.2, capsize=2, **bars)
    ax.scatter(np.asarray(x)[~few], np.asarray(y)[~few], color=colour, s=22, zorder=3)
    ax.scatter(np.asarray(x)[few], np.asarray(y)[few], facecolor="white", edgecolor=colour, s=22, zorder=3)


def plot_group_estimates(table: pd.DataFrame, *, group: str = "group", category: str | None = None,
                         colours: dict | None = None, xlabel: str = "Mean", title: str = "By group",
                         percent: bool = False, neutral: float | None = None, limits: tuple | None = None):
    """Dot-and-interval chart: one row per ``category`` value (first ``MAX_FIGURE_ITEMS``; or one row per
    group when ``category`` is None), one dot per group (offset, coloured by ``colours``), hollow where
    the group has few documents. ``neutral`` shades the band ±neutral; ``limits`` fixes the value axis
    (an index's whole range, so a small difference does not fill the axis). Works from 2 to 8 groups."""
    groups = sorted(set(table[group].astype(str))) if len(table) else []
    rows = list(dict.fromkeys(table[category].astype(str))) if category else groups
    total, rows = len(rows), rows[:config.MAX_FIGURE_ITEMS]
    fig, ax = new_figure((7.5, _height(max(2.4, (0.22 * max(len(groups), 1) + 0.15) * len(rows) + 1.6))))
    step = 0.8 / max(len(groups), 1) if category else 0
    for g, key in enumerate(groups):
        part = table[table[group].astype(str) == key]
        if category:
            part = part[part[category].astype(str).isin(rows)]
            y = np.array([rows.index(v) for v in part[category].astype(str)]) + (g - (len(groups) - 1) / 2) * step
        else:
            y = np.full(len(part), rows.index(key), dtype=float)
        _points(ax, part["mean"].to_numpy(float), y, part, _colour(colours, key), horizontal=True)
    if neutral is not None:
        ax.axvspan(-neutral, neutral, color="#dddddd", alpha=0.6, zorder=0)
    ax.set_yticks(range(len(rows)), [_label(r) for r in rows] if category else rows)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if limits is not None:
        pad = 0.03 * (limits[1] - limits[0])
        ax.set_xlim(limits[0] - pad, limits[1] + pad)
    _axis_format(ax, percent)
    ax.grid(axis="y", visible=False)
    ax.set_title(title + _of(len(rows), total))
    few = "few_documents" in table and bool(table["few_documents"].any())
    if category or few:
        _group_legend(fig, groups, colours, few=few, ax=ax)
    return fig


def plot_series(table: pd.DataFrame, *, x: str = "period", group: str = "group", panel: str | None = None,
                colours: dict | None = None, ylabel: str = "Mean", title: str = "Over time", percent: bool = False,
                mark: str | None = None, neutral: float | None = None):
    """Small multiples (one per ``panel`` value, at most ``MAX_FIGURE_PANELS``): ``x`` (periods in table order,
    or position deciles) against the mean per group, a line and an interval band per group, hollow dots
    where a cell has few documents; ``mark`` draws a dashed line at that x (the event's period)."""
    from ..plots import MAX_FIGURE_PANELS, shown_of

    panels = list(dict.fromkeys(table[panel])) if panel and len(table) else [None]
    total = len(panels)
    panels = panels[:MAX_FIGURE_PANELS]
    xs = list(dict.fromkeys(table[x].astype(str))) if len(table) else []
    groups = sorted(set(table[group].astype(str))) if len(table) else []
    fig, axes = _grid(len(panels), width=4.6 if len(xs) > 8 else 3.8)
    ticks = np.arange(len(xs))
    every = max(1, len(xs) // 8)
    for ax, name in zip(axes, panels):
        part = table if name is None else table[table[panel] == name]
        for key in groups:
            cells = part[part[group].astype(str) == key]
            if cells.empty:
                continue
            pos = np.array([xs.index(v) for v in cells[x].astype(str)], dtype=float)
            colour = _colour(colours, key)
            ax.plot(pos, cells["mean"], color=colour, linewidth=1.4)
            ax.fill_between(pos, cells["ci_low"].astype(float), cells["ci_high"].astype(float), color=colour,
                            alpha=0.15, linewidth=0)
            _points(ax, pos, cells["mean"].to_numpy(float), cells.assign(ci_low=cells["mean"], ci_high=cells["mean"]),
                    colour, horizontal=False)
        if mark is not None and mark in xs:
            ax.axvline(xs.index(mark), color="#333333", linestyle="--", linewidth=1)
        if neutral is not None:
            ax.axhspan(-neutral, neutral, color="#dddddd", alpha=0.6, zorder=0)
        ax.set_xticks(ticks[::every], [xs[i] for i in ticks[::every]], rotation=45 if len(xs) > 8 else 0,
                      ha="right" if len(xs) > 8 else "center", fontsize=8)
        _axis_format(ax, percent, "y")
        ax.set_title(_label(name.split(":", 1)[-1]) if isinstance(name, str) else "", fontsize=10)
    axes[0].set_ylabel(ylabel)
    fig.suptitle(title + shown_of(len(panels), total, "panels"), x=0.01, ha="left", fontweight="bold")
    few = "few_documents" in table and bool(table["few_documents"].any())
    _group_legend(fig, groups, colours, few=few)
    fig.tight_layout(rect=(0, 0.06, 1, 0.95))
    return fig


def plot_event(table: pd.DataFrame, *, event_date: str, group: str = "group", panel: str | None = None,
               colours: dict | None = None, xlabel: str = "Mean", title: str = "Before and after",
               percent: bool = False):
    """Per group (rows) and ``panel`` value (small multiples): the mean before ``event_date`` (hollow) and from
    it on (filled), joined by an arrow, each with its interval (a ``stat_event`` table)."""
    from ..plots import MAX_FIGURE_PANELS, shown_of

    panels = list(dict.fromkeys(table[panel])) if panel and len(table) else [None]
    total, panels = len(panels), panels[:MAX_FIGURE_PANELS]
    groups = sorted(set(table[group].astype(str))) if len(table) else []
    fig, axes = _grid(len(panels), width=4.0, height=max(2.2, 0.45 * len(groups) + 1.2))
    for ax, name in zip(axes, panels):
        part = table if name is None else table[table[panel] == name]
        for i, key in enumerate(groups):
            row = part[part[group].astype(str) == key]
            if row.empty:
                continue
            row, colour = row.iloc[0], _colour(colours, key)
            for phase, offset, face in (("before", 0.15, "white"), ("after", -0.15, colour)):
                mean = row[f"mean_{phase}"]
                if not np.isfinite(mean):
                    continue
                low, high = row[f"ci_low_{phase}"], row[f"ci_high_{phase}"]
                if np.isfinite(low):
                    ax.plot([low, high], [i + offset] * 2, color=colour, linewidth=1.2)
                ax.scatter([mean], [i + offset], facecolor=face, edgecolor=colour, s=28, zorder=3)
            if np.isfinite(row["mean_before"]) and np.isfinite(row["mean_after"]):
                ax.annotate("", xy=(row["mean_after"], i - 0.15), xytext=(row["mean_before"], i + 0.15),
                            arrowprops={"arrowstyle": "->", "color": colour, "linewidth": 0.8})
        ax.set_yticks(range(len(groups)), groups)
        ax.set_ylim(len(groups) - 0.5, -0.5)
        ax.set_xlabel(xlabel, fontsize=9)
        _axis_format(ax, percent)
        ax.grid(axis="y", visible=False)
        ax.set_title(_label(name.split(":", 1)[-1]) if isinstance(name, str) else "", fontsize=10)
    fig.suptitle(f"{title}: before {event_date} (hollow) and from it on (filled)"
                 + shown_of(len(panels), total, "panels"), x=0.01, ha="left", fontweight="bold")
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


def plot_roles_by_group(table: pd.DataFrame, *, group: str = "group", colours: dict | None = None,
                        title: str = "Roles per actor by group"):
    """Small multiples, one per actor (at most ``MAX_FIGURE_PANELS``): the share of the actor's role evidence
    per role (rows) and group (bars, with intervals), the count of pieces written at each bar."""
    from ..plots import MAX_FIGURE_PANELS, shown_of

    from .roles import ROLES

    actors = list(dict.fromkeys(table["canonical"])) if len(table) else []
    total, actors = len(actors), actors[:MAX_FIGURE_PANELS]
    groups = sorted(set(table[group].astype(str))) if len(table) else []
    fig, axes = _grid(max(len(actors), 1), width=4.0, height=max(2.4, 0.3 * len(groups) * len(ROLES) / 2 + 1.4))
    step = 0.8 / max(len(groups), 1)
    for ax, actor in zip(axes, actors):
        part = table[table["canonical"] == actor]
        for g, key in enumerate(groups):
            cells = part[part[group].astype(str) == key]
            if cells.empty:
                continue
            y = np.array([ROLES.index(r) for r in cells["role"]]) + (g - (len(groups) - 1) / 2) * step
            ax.barh(y, cells["mean"], height=step * 0.9, color=_colour(colours, key), xerr=_interval(cells),
                    error_kw={"elinewidth": 0.8, "capsize": 1.5, "ecolor": "#333333"})
            for yy, share, n in zip(y, cells["mean"], cells["n_in"]):
                ax.text(min(float(share), 1.0) + 0.03, yy, str(int(n)), va="center", fontsize=6.5)
        ax.set_yticks(range(len(ROLES)), ROLES)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.25)
        ax.set_xticks([0, 0.5, 1])
        _axis_format(ax, True)
        ax.grid(axis="y", visible=False)
        ax.set_title(str(actor)[:32], fontsize=10)
    fig.suptitle(title + " (share of each actor's role evidence; numbers: pieces)"
                 + shown_of(len(actors), total, "actors"), x=0.01, ha="left", fontweight="bold")
    _group_legend(fig, groups, colours, few=False)
    fig.tight_layout(rect=(0, 0.06, 1, 0.94))
    return fig


def _binned(timeline: pd.DataFrame, rows: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Values (sentences x categories, past ``rows`` sentences summed in ``rows`` bins), first sentence of each
    row, category names."""
    names = [c for c in timeline.columns if c not in ("doc_id", "sent_id")]
    values = timeline[names].to_numpy(float) if names else np.zeros((len(timeline), 0))
    first = timeline["sent_id"].to_numpy()
    if len(timeline) > rows:
        row = np.arange(len(timeline)) * rows // len(timeline)
        starts = np.searchsorted(row, np.arange(rows))
        values = np.add.reduceat(values, starts, axis=0) if names else np.zeros((rows, 0))
        first = first[starts]
    return values, first, names


def plot_frame_timelines(timelines: dict, *, rows: int = 40, title: str = "Where each frame lives, document by document"):
    """Small multiples of frame timelines (``stat_sentence_frames`` of one document each, keyed by the panel
    title): sentences down (top = start; past ``rows`` sentences, bins of consecutive sentences), categories
    across, darker = more weighted cue hits. At most ``MAX_FIGURE_PANELS`` documents."""
    from ..plots import MAX_FIGURE_PANELS, shown_of

    items = list(timelines.items())
    total, items = len(items), items[:MAX_FIGURE_PANELS]
    fig, axes = _grid(max(len(items), 1), width=4.3, height=4.2, columns=4)
    for ax, (name, timeline) in zip(axes, items):
        values, first, names = _binned(timeline, rows)
        ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=max(1.0, float(values.max()) if values.size else 1),
                  interpolation="nearest")
        ax.set_xticks(range(len(names)), [_label(n.split(":", 1)[-1]) for n in names], rotation=90, fontsize=6)
        step = max(1, len(values) // 8)
        ax.set_yticks(range(0, len(values), step), first[::step].astype(str), fontsize=7)
        ax.grid(False)
        ax.set_title(str(name)[:60], fontsize=8)
    axes[0].set_ylabel("Sentence (top = start)")
    fig.suptitle(title + shown_of(len(items), total, "documents"), x=0.01, ha="left", fontweight="bold")
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return fig
