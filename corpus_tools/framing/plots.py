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
    names = [c for c in timeline.columns if c not in ("doc_id", "sent_id")]
    values = timeline[names].to_numpy(float) if names else np.zeros((len(timeline), 0))
    first = timeline["sent_id"].to_numpy()
    if len(timeline) > TIMELINE_ROWS:
        row = np.arange(len(timeline)) * TIMELINE_ROWS // len(timeline)
        values = np.add.reduceat(values, np.searchsorted(row, np.arange(TIMELINE_ROWS)), axis=0) if names \
            else np.zeros((TIMELINE_ROWS, 0))
        first = first[np.searchsorted(row, np.arange(TIMELINE_ROWS))]
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
