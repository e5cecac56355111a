"""Sentiment by group, over time and around an event (issue 14): which sections a corpus supports, the
commentary from the computed tables, and no seed-only sentence on other corpora."""
import numpy as np
import pytest

from corpus_tools import compare
from corpus_tools.escaping import escape_md
from corpus_tools.pipeline import open_corpus
from corpus_tools.segment import content_sentences
from corpus_tools.sentiment import (absent_sections, default_band, describe_caveats, describe_sentiment_event,
                                    describe_sentiment_groups, score_sentences)
from tests.conflict_corpora import CORPORA, corpus_path
from tests.helpers import SEEDS, error_outputs, run_notebook

SEED_ONLY = ("bundled article", "The statement", "One text.", "responsive measures")


def _study(name):
    if name == "seed":
        return open_corpus(SEEDS, show_progress=False)
    return open_corpus(corpus_path(name), text_column=CORPORA[name]["text_column"], show_progress=False)


def _scored(study):
    return score_sentences(content_sentences(study.corpus.sentences))


def test_the_seed_says_why_each_comparison_is_absent():
    study = _study("seed")
    sections = absent_sections(study.documents, group_column=study.group_column, event_date="2021-09-27")
    assert all(s and s.startswith("The corpus is a single document") for s in sections)
    caveats = describe_caveats(study.documents, group_column=None, dated=False, bundled=True)
    assert "**One text.**" in caveats and "Translation (bundled article)" in caveats


@pytest.mark.parametrize("name", ["russia_ukraine", "ethiopia_tigray"])
def test_group_means_are_the_documents_means_and_no_seed_sentence_appears(name):
    study = _study(name)
    scored = _scored(study)
    band = default_band()
    sections = absent_sections(study.documents, group_column=study.group_column, event_date="2021-01-01")
    assert sections.groups is None and sections.time is None and sections.event is None
    table = compare.stat_by_group(scored, study.documents, value="score", group="group", n_boot=200, seed=0)
    # hand check: a group's mean is the mean of its sentences' scores (units), its interval around it
    docs = study.documents.set_index("doc_id")["group"]
    for row in table.itertuples(index=False):
        mine = scored[scored["doc_id"].map(docs) == row.group]["score"]
        assert row.mean == pytest.approx(mine.mean()) and row.n_units == len(mine)
        assert row.n_documents == scored.loc[mine.index, "doc_id"].nunique()
        assert row.ci_low <= row.mean <= row.ci_high
    text = describe_sentiment_groups(table, band=band)
    highest = table.loc[table["mean"].idxmax()]
    assert f"highest for **{escape_md(highest['group'])}**, {highest['mean']:+.3f}".replace("+", "") in text \
        or f"highest for **{escape_md(highest['group'])}**, {highest['mean']:+.3f}" in text
    inside = int((table["mean"].abs() <= band).sum())
    if 0 < inside:
        assert f"{inside} of {len(table)} means lie inside the neutral band" in text
    caveats = describe_caveats(study.documents, group_column=study.group_column, dated=study.dated, bundled=False)
    assert "Documents are the unit" in caveats
    assert not any(phrase in text + caveats for phrase in SEED_ONLY)


def test_an_event_with_three_groups_says_no_difference_in_differences():
    study = _study("russia_ukraine")
    scored = _scored(study)
    event = compare.stat_event(scored, study.documents, value="score", event_date="2022-02-24", group="group",
                               n_boot=200, seed=0)
    text = describe_sentiment_event(event, band=default_band(), group_column="side")
    assert "needs exactly two groups" in text and "has 3" in text
    # hand check: the Ukrainian presidency's change is its after-mean minus its before-mean
    dates = compare.parse_dates(study.documents.set_index("doc_id")["date"])
    side = study.documents.set_index("doc_id")["group"]
    ua = scored[scored["doc_id"].map(side) == "ua_presidency"]
    after = ua["doc_id"].map(dates) >= np.datetime64("2022-02-24")
    row = event.table.set_index("group").loc["ua_presidency"]
    change_column = next(c for c in event.table.columns if c in ("change", "difference"))
    assert row[change_column] == pytest.approx(ua.loc[after, "score"].mean() - ua.loc[~after, "score"].mean())


@pytest.mark.notebook
def test_notebook_04_compares_sides_periods_and_the_event(tmp_path, offline_env):
    from tests.helpers import markdown_of

    executed = run_notebook("04_sentiment.ipynb", tmp_path, corpus_path=str(corpus_path("russia_ukraine")),
                            text_column="body", id_column="id", event_date="2022-02-24", n_boot=100)
    assert not error_outputs(executed)
    text = markdown_of(executed)
    assert "Across the 3 groups of side" in text and "needs exactly two groups" in text
    assert "For **ua\\_presidency**" in text
    for slug in ("04-sentiment-by-group", "04-sentiment-over-time", "04-sentiment-event"):
        assert (tmp_path / "figures" / f"{slug}.png").exists()
    assert "The statement" not in text and "Translation (bundled article)" not in text
    assert "Documents are the unit" in text and "Set `event_date`" not in text
