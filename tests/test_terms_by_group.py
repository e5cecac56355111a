"""Keyness by group (issue 14): ``stat_keyness_groups`` on a three-sided corpus checked against one
``stat_keyness`` per side, ``plot_keyness_groups`` (one legible panel per group, 2 to 8 groups, within
the figure bounds) and ``describe_keyness`` (one bullet per group, the strongest words recomputed here)."""
import re
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from corpus_tools import config
from corpus_tools.escaping import escape_md
from corpus_tools.frequency import select_tokens, stat_frequency
from corpus_tools.keyness import (describe_keyness, plot_keyness_groups, stat_keyness, stat_keyness_group_counts,
                                  stat_keyness_groups)
from corpus_tools.plots import group_colours
from corpus_tools.segment import bundled_stopwords
from tests.conflict_corpora import CORPORA, corpus_path

SIDES = CORPORA["russia_ukraine"]["sides"]
STATS = ["n_target", "n_reference", "expected_target", "g2", "log_ratio", "p_value", "p_adjusted"]


@lru_cache(maxsize=1)
def _words():
    from corpus_tools.pipeline import prepare_corpus

    prepared = prepare_corpus(corpus_path("russia_ukraine"), text_column="body", show_progress=False)
    return select_tokens(prepared.tokens, prepared.sentences), prepared.documents


@lru_cache(maxsize=2)
def _table(correction):
    words, documents = _words()
    return stat_keyness_groups(words, group="side", documents=documents, correction=correction,
                               exclude=bundled_stopwords())


def test_groups_match_one_keyness_per_side():
    words, documents = _words()
    side = words["doc_id"].map(documents.set_index("doc_id")["side"])
    table = _table("bh")
    assert sorted(table["side"].unique()) == sorted(SIDES)
    for value in SIDES:
        mine = stat_frequency(words[side == value])[["term", "n"]]
        others = stat_frequency(words[side != value])[["term", "n"]]
        expected = stat_keyness(mine, others, correction="bh", exclude=bundled_stopwords()).set_index("term")
        got = table[table["side"] == value].set_index("term")
        assert set(got.index) == set(expected.index), value
        assert not got.index.isin(bundled_stopwords()).any()
        pd.testing.assert_frame_equal(got.loc[expected.index, STATS], expected[STATS], check_exact=False)
        assert (got.loc[expected.index, "direction"] == expected["direction"]).all()
        assert got["n_target"].sum() > 0 and len(expected) > 20


def test_engine_group_counts_give_the_same_keyness():
    """Notebook 05's source: the chunked engine's per-group counts, through ``stat_keyness_group_counts``."""
    from corpus_tools.engine import process_corpus

    results = process_corpus(corpus_path("russia_ukraine"), text_column="body", group="side", workers=1,
                             show_progress=False)
    counts = results.group_frequency.assign(side=results.group_frequency["side"].astype(str))
    got = stat_keyness_group_counts(counts, group="side", correction="bh", exclude=bundled_stopwords())
    expected = _table("bh")
    keys = ["side", "term"]
    got, expected = got.set_index(keys).sort_index(), expected.set_index(keys).sort_index()
    assert got.index.equals(expected.index)
    pd.testing.assert_frame_equal(got[STATS], expected[STATS], check_exact=False)
    with pytest.raises(ValueError, match="'side'"):
        stat_keyness_group_counts(counts.drop(columns="side"), group="side")


def _synthetic(k: int, n_terms: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(k)
    rows = []
    for i in range(k):
        rows.append(pd.DataFrame({
            "group": f"outlet number {i}", "term": [f"word{j}" for j in range(n_terms)],
            "direction": np.tile(["over", "under"], n_terms // 2), "g2": rng.uniform(0, 40, n_terms),
            "log_ratio": np.tile([1.0, -1.0], n_terms // 2) * rng.uniform(0.2, 4, n_terms),
            "p_adjusted": rng.uniform(0, 0.1, n_terms), "low_expected": rng.random(n_terms) < 0.3,
            "n_target": 100 * (i + 1) + np.arange(n_terms)}))
    return pd.concat(rows, ignore_index=True)


def _title(ax):
    """The panel's title artist (the house style puts titles on the left)."""
    return next(t for t in (ax._left_title, ax.title, ax._right_title) if t.get_text())


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("k", [2, 3, 4, 8])
def test_one_legible_panel_per_group(k):
    table = _synthetic(k)
    groups = list(dict.fromkeys(table["group"]))
    colours = group_colours(groups)
    fig = plot_keyness_groups(table, group="group", colours=colours)
    try:
        width, height = fig.get_size_inches()
        assert width <= config.MAX_FIGURE_INCHES and height <= config.MAX_FIGURE_INCHES
        panels = [ax for ax in fig.axes if ax.axison]
        assert len(panels) == k
        for ax, value in zip(panels, groups):
            assert _title(ax).get_text().startswith(value)
            own = set(table.loc[table["group"] == value, "n_target"].astype(int))
            counts = {int(re.search(r"\((\d+)\)$", t.get_text())[1]) for t in ax.get_yticklabels()}
            assert counts and counts <= own  # that group's counts, not another's
            assert 0 < len(ax.get_yticklabels()) <= config.MAX_FIGURE_ITEMS
            over = [p for p in ax.patches if p.get_width() > 0 and p.get_hatch() is None]
            assert over and all(p.get_edgecolor()[:3] == to_rgba(colours[value])[:3] for p in over)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        titles = [_title(ax).get_window_extent(renderer) for ax in panels]
        boxes = [ax.get_window_extent(renderer) for ax in panels]
        labels = [[t.get_window_extent(renderer) for t in ax.get_yticklabels()] for ax in panels]
        for i, title in enumerate(titles):
            for j in range(len(panels)):
                if i != j:  # no title runs into another panel, its title or its word labels
                    assert not _overlap(title, titles[j]) and not _overlap(title, boxes[j]), (k, i, j)
                    assert not any(_overlap(title, label) for label in labels[j]), (k, i, j)
        canvas = fig.bbox
        assert all(canvas.x0 - 1 <= t.x0 and t.x1 <= canvas.x1 + 1 for t in titles)
    finally:
        plt.close(fig)


def test_more_groups_than_panels_says_how_many_were_left_out():
    table = _synthetic(10)
    fig = plot_keyness_groups(table, group="group", colours=group_colours(table["group"]))
    try:
        assert len([ax for ax in fig.axes if ax.axison]) == 8
        assert "8 of 10 groups" in fig._suptitle.get_text()
    finally:
        plt.close(fig)


def _bullets(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    return {re.match(r"- \*\*(.+?)\*\*", line)[1]: line for line in lines}


def _named_over(line: str) -> list[tuple[str, int]]:
    if "Strongest over-use:" not in line:
        return []
    part = line.split("Strongest over-use:", 1)[1].split("Strongest under-use:", 1)[0]
    return [(t, int(n.replace(",", ""))) for t, n in re.findall(r"\*([^*]+)\* \(([\d,]+);", part)]


@pytest.mark.parametrize("correction", [None, "bh"])
def test_describe_names_the_strongest_significant_words_of_each_group(correction):
    table = _table(correction)
    text = describe_keyness(table, group="side", n=5)
    bullets = _bullets(text)
    assert sorted(bullets) == sorted(escape_md(s) for s in SIDES)
    assert not re.search(r"azerbaijan|karabakh|bundled", text, re.IGNORECASE)
    assert "counts in brackets are each group's own" in text
    for side in SIDES:
        rows = table[table["side"] == side]
        over = rows[(rows["p_adjusted"] < 0.05) & (rows["direction"] == "over")]
        top = over["log_ratio"].nlargest(5)
        named = _named_over(bullets[escape_md(side)])
        by_term = over.assign(shown=over["term"].map(escape_md)).set_index("shown")
        assert len(named) == len(top), side
        assert all(t in by_term.index for t, _ in named), (side, named)
        assert sorted(by_term.loc[[t for t, _ in named], "log_ratio"]) == pytest.approx(sorted(top))
        assert [k for _, k in named] == [int(by_term.at[t, "n_target"]) for t, _ in named]
        n_sig = int((rows["p_adjusted"] < 0.05).sum())
        if n_sig == 0:
            assert "no word differs significantly" in bullets[escape_md(side)]
        else:
            assert f"uses {len(over)} word" in bullets[escape_md(side)]


def test_describe_says_when_nothing_is_significant():
    table = _table("bh")
    nothing = table.assign(p_adjusted=1.0)
    text = describe_keyness(nothing, group="side")
    bullets = _bullets(text)
    assert len(bullets) == len(SIDES)
    assert all("no word differs significantly" in line and "Strongest" not in line for line in bullets.values())
    one = describe_keyness(nothing[nothing["side"] == "wire"])
    assert "no word differs significantly" in one and "Strongest" not in one
    assert "*" not in one.split("\n")[0]


def test_describe_says_after_correction_only_when_p_values_were_corrected():
    table = _table("bh")
    corrected = describe_keyness(table.assign(p_adjusted=1.0), group="side")
    uncorrected = describe_keyness(table.assign(p_value=1.0, p_adjusted=1.0), group="side")
    assert "after correction" in corrected and "after correction" not in uncorrected
