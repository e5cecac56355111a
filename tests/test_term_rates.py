"""Terms of interest by group and over time, collocates within each group and the term caveats (issue 14):
rates checked against counts made here by hand from the tokens, intervals over documents, collocates
against ``stat_collocates`` on each group's tokens alone, commentary true on any corpus."""
import re
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from corpus_tools import config
from corpus_tools.collocation import describe_collocates_by_group, stat_collocates, stat_collocates_by_group
from corpus_tools.frequency import (describe_term_caveats, describe_term_next_steps, describe_term_rates, fmt_rate,
                                    plot_term_rates, select_tokens, stat_term_counts, stat_term_rates)
from corpus_tools.pipeline import open_corpus
from corpus_tools.plots import group_colours
from tests.conflict_corpora import CORPORA, corpus_path
from tests.helpers import SEEDS

TERMS = ["Russia", "Ukraine", "security guarantees", "not in this corpus"]


@lru_cache(maxsize=1)
def _study():
    study = open_corpus(corpus_path("russia_ukraine"), text_column="body", group_column="side", show_progress=False)
    return study, select_tokens(study.corpus.tokens, study.corpus.sentences)


def test_counts_per_document_by_hand():
    study, words = _study()
    counts = stat_term_counts(words, study.documents, TERMS)
    assert len(counts) == len(study.documents) * len(TERMS)  # every document and term, 0 where absent
    for doc_id, doc in words[~words["is_punct"]].groupby("doc_id"):  # a word: any token but punctuation
        lower = doc["lower"].tolist()
        row = counts[(counts["doc_id"] == doc_id) & (counts["term"] == "Russia")].iloc[0]
        assert row["n"] == lower.count("russia") and row["words"] == len(lower)
        pairs = sum(a == "security" and b == "guarantees" for a, b in zip(lower, lower[1:]))
        assert counts[(counts["doc_id"] == doc_id) & (counts["term"] == "security guarantees")]["n"].iloc[0] == pairs
    assert counts.loc[counts["term"] == "not in this corpus", "n"].sum() == 0


def test_group_rate_is_the_pooled_rate_with_an_interval_over_documents():
    study, words = _study()
    counts = stat_term_counts(words, study.documents, TERMS)
    rates = stat_term_rates(counts, study.documents, group="group", n_boot=300, seed=1)
    side = counts["doc_id"].map(study.documents.set_index("doc_id")["group"])
    for (term, group), part in counts.groupby(["term", side]):
        row = rates[(rates["term"] == term) & (rates["group"] == group)].iloc[0]
        assert row["mean"] == pytest.approx(1000 * part["n"].sum() / part["words"].sum())  # sum n / sum words
        assert row["n_documents"] == (part["words"] > 0).sum()
        assert row["unit"].startswith("documents")
        if row["n_documents"] > 1 and part["rate_per_1000"].nunique() > 1:  # documents differ: a real interval
            assert row["ci_low"] < row["ci_high"] and row["ci_low"] <= row["mean"] <= row["ci_high"]
    again = stat_term_rates(counts, study.documents, group="group", n_boot=300, seed=1)
    assert again.equals(rates)  # seeded


def test_rates_over_time_keep_undated_documents_counted():
    study, words = _study()
    documents = study.documents.copy()
    documents.loc[documents.index[0], "period"] = "(no date)"
    counts = stat_term_counts(words, documents, ["Russia"])
    trend = stat_term_rates(counts, documents, group="group", over_time=True, n_boot=100)
    assert "(no date)" in set(trend["period"])
    assert trend["n_documents"].sum() == (counts["words"] > 0).sum()


def test_describe_names_the_highest_and_lowest_group_and_the_terms_not_found():
    study, words = _study()
    counts = stat_term_counts(words, study.documents, TERMS + ["*bold* [link](x)"])
    rates = stat_term_rates(counts, study.documents, group="group", n_boot=200).rename(columns={"group": "side"})
    text = describe_term_rates(rates)
    russia = rates[rates["term"] == "Russia"].sort_values("mean")
    line = next(l for l in text.splitlines() if l.startswith("- *Russia*"))
    assert f"highest for **{russia['side'].iloc[-1].replace('_', chr(92) + '_')}**" in line
    assert f"lowest for **{russia['side'].iloc[0].replace('_', chr(92) + '_')}**" in line
    assert fmt_rate(russia["mean"].iloc[-1]).removesuffix(" per 1,000") in line
    assert "Found in no document" in text and "*not in this corpus*" in text
    assert "[link](x)" not in text and "\\*bold\\*" in text  # a term is data, never markup


def test_fmt_rate_reads_at_any_corpus_size():
    assert fmt_rate(12.34) == "12.3 per 1,000" and fmt_rate(0.25) == "0.25 per 1,000"
    assert fmt_rate(3000 / 1_100_000) == "2.7 per million" and fmt_rate(0) == "0 per 1,000"


@pytest.mark.parametrize("n_terms, over_time", [(3, False), (10, False), (10, True)])
def test_figure_bounded_one_panel_per_term_found(n_terms, over_time):
    rng = np.random.default_rng(0)
    groups = [f"outlet {i}" for i in range(5)]
    periods = [f"2022-{m:02d}" for m in range(1, 13)] if over_time else [None]
    rows = [{"term": f"term {t}", "group": g, "period": p, "mean": (m := rng.uniform(0.5, 5)) if t else 0.0,
             "ci_low": m * 0.8 if t else 0.0, "ci_high": m * 1.2 if t else 0.0, "few_documents": bool(rng.random() < .2)}
            for t in range(n_terms) for g in groups for p in periods]
    table = pd.DataFrame(rows)
    fig = plot_term_rates(table, group="group", colours=group_colours(groups),
                          period_column="period" if over_time else None)
    drawn = [ax for ax in fig.axes if ax.axison]
    found = n_terms - 1  # "term 0" is found nowhere: no panel
    titles = [ax.get_title(loc="left") for ax in drawn]  # house style: titles on the left
    assert len(drawn) == min(found, 8) and "term 0" not in titles and all(titles)
    width, height = fig.get_size_inches()
    assert width <= config.MAX_FIGURE_INCHES and height <= config.MAX_FIGURE_INCHES
    if found > 8:
        assert f"8 of {found:,} terms" in fig._suptitle.get_text()
    plt.close(fig)


def test_collocates_within_each_group_are_that_groups_own():
    study, words = _study()
    nodes = ["Russia", "Ukraine"]
    table = stat_collocates_by_group(words, nodes, study.documents, window=(5, 5), min_count=1)
    side = words["doc_id"].map(study.documents.set_index("doc_id")["group"])
    assert set(table["group"]) <= set(side)
    for group in set(side):
        alone = stat_collocates(words[side == group], nodes, window=(5, 5), min_count=1).reset_index(drop=True)
        mine = table[table["group"] == group].drop(columns="group").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone, check_dtype=False)
    text = describe_collocates_by_group(table, nodes)
    top = table[(table["group"] == "kremlin") & (table["node"] == "Russia")].sort_values(
        "log_dice", ascending=False, kind="stable").iloc[0]
    assert f"**kremlin** *{top['collocate']}* ({int(top['o11'])})" in text


def test_caveats_follow_the_corpus_not_the_seed():
    seed = describe_term_caveats(570, n_documents=1, n_groups=1, bundled=True)
    corpus = describe_term_caveats(1_228_111, n_documents=2000, n_groups=2)
    assert "Keyness on a short text" in seed and "Karabakh" in seed and "one official statement" in seed
    assert "Keyness on a corpus" in corpus and "Groups." in corpus
    for phrase in ("short text", "Karabakh", "official statement", "statement"):
        assert phrase not in corpus
    assert "per million" in corpus or "per 1,000" in corpus
    steps = describe_term_next_steps(group_column="side", n_groups=2, dated=True)
    assert "Set `group_column`" not in steps and "date_column" not in steps
    assert "Set `group_column`" in describe_term_next_steps(group_column=None, n_groups=1, dated=False)


def test_bundled_keyness_interpretation_follows_its_table():
    """The seed's interpretation names only words the table holds as significant (it once named the
    function word *of* and pronouns after function words had left the default list)."""
    from corpus_tools import bundled
    from corpus_tools.keyness import stat_keyness_general_english
    from corpus_tools.frequency import stat_frequency

    study = open_corpus(SEEDS, show_progress=False)
    words = select_tokens(study.corpus.tokens, study.corpus.sentences)
    general = stat_keyness_general_english(stat_frequency(words), correction="bh")
    text = bundled.interpret_keyness(general, alpha=0.05, n_words=len(words))
    significant = general[general["p_adjusted"] < 0.05]
    named = set(re.findall(r"\*([a-z]+)\*", text))
    assert named and named <= set(significant.loc[significant["direction"] == "over", "term"])
    assert "*of*" not in text and "*you*" not in text
    assert ("No content word is significantly under-used" in text) == (significant["direction"] == "over").all()
    made_up = general.assign(p_adjusted=0.0)  # every word significant: the under-used ones are listed
    assert "Under-used: *" in bundled.interpret_keyness(made_up, alpha=0.05, n_words=len(words))


@pytest.mark.parametrize("over_time", [False, True])
def test_panels_draw_cells_without_an_interval(over_time):
    """A cell of one unit has no interval (None in an object column, as in notebook 04 on a small corpus)."""
    from corpus_tools.plots import plot_panels

    table = pd.DataFrame({"actor": ["A", "A", "B"], "side": ["x", "y", "x"], "period": ["2022-01", "2022-02", "2022-01"],
                          "mean": [0.1, -0.2, 0.0], "ci_low": pd.Series([0.0, None, None], dtype=object),
                          "ci_high": pd.Series([0.2, None, None], dtype=object), "few_documents": [True, True, False]})
    fig = plot_panels(table, panel="actor", group="side", colours=group_colours(["x", "y"]),
                      period_column="period" if over_time else None, value_label="targeted score", band=0.05)
    assert [ax.get_title(loc="left") for ax in fig.axes if ax.axison] == ["A", "B"]  # house style: titles left
    plt.close(fig)
