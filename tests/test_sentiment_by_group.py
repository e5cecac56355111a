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


def _picks_and_deciles():
    """Picks and a by-tenth table of two groups built by hand (no corpus), for the commentary and the figure."""
    import pandas as pd

    picks = pd.DataFrame({"group": ["east", "east", "west"], "pick": ["typical", "most extreme", "typical"],
                          "doc_id": ["e1", "e2", "w1"], "name": ["Talks_resume *today*", "Shelling", "Aid arrives"],
                          "mean": [-0.012, 0.237, -0.181], "n_sentences": [5, 7, 4]})
    rows = [{"side": g, "decile": str(d), "mean": m, "ci_low": m - 0.1, "ci_high": m + 0.1, "n_documents": 3,
             "n_units": 9, "few_documents": True, "unit": "documents"}
            for g, means in (("east", [0.1, -0.3, 0.0, 0.05, 0.02, 0.2, -0.1, 0.0, 0.01, -0.04]),
                             ("west", [0.0] * 10))
            for d, m in zip(range(1, 11), means)]
    return picks, pd.DataFrame(rows)


def test_describe_arc_names_each_picked_document_and_each_groups_lowest_and_highest_tenth():
    from corpus_tools.sentiment import describe_arc

    picks, deciles = _picks_and_deciles()
    text = describe_arc(picks, deciles, group="side", band=0.05)
    for row in picks.itertuples(index=False):
        assert f"*{escape_md(row.name)}* ({row.pick}, {escape_md(row.group)}, mean {row.mean:+.2f})" in text
    assert f"Arcs are drawn for {len(picks)} documents" in text
    east = deciles[deciles["side"] == "east"].assign(decile=lambda t: t["decile"].astype(int))
    low, high = east.loc[east["mean"].idxmin()], east.loc[east["mean"].idxmax()]
    assert (f"For **east**, the mean arc runs from {east['mean'].iloc[0]:+.2f} in the first tenth to "
            f"{east['mean'].iloc[-1]:+.2f} in the last, lowest in tenth {low['decile']} ({low['mean']:+.2f}) and "
            f"highest in tenth {high['decile']} ({high['mean']:+.2f}).") in text
    assert "For **west**" in text and "(all tenths inside the neutral band)" in text.split("For **west**")[1]
    pooled = describe_arc(picks.assign(group="all documents"), deciles[deciles["side"] == "west"].drop(columns="side"),
                          group=None, band=0.05)
    assert "per group" not in pooled and "all documents" not in pooled and "The mean arc runs from +0.00" in pooled


def test_plot_picked_arcs_draws_only_the_picked_documents_named():
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd
    from corpus_tools.sentiment_plots import plot_picked_arcs

    picks, _ = _picks_and_deciles()
    # twenty documents in the arc, the picked ones last: a first-N figure would draw none of them
    arc = pd.concat([pd.DataFrame({"doc_id": d, "sent_id": range(4), "position": [0.1, 0.4, 0.6, 0.9],
                                   "score": 0.0, "rolling": 0.0})
                     for d in [f"other_{i:02d}" for i in range(17)] + ["w1", "e2", "e1"]])
    fig = plot_picked_arcs(arc, picks, band=0.05)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert labels == [f"{g} · {p}: {n}" for g, p, n in zip(picks["group"], picks["pick"], picks["name"])]
    dashed = [line.get_label() for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert dashed == ["east · most extreme: Shelling"]
    assert f"{len(picks)} picked of 20 documents" in ax.get_title("left") + ax.get_title()


@pytest.mark.notebook
def test_notebook_04_draws_the_mean_arc_and_names_the_picked_documents(tmp_path, offline_env):
    import pandas as pd
    from corpus_tools.sentiment import pick_documents
    from tests.helpers import markdown_of

    executed = run_notebook("04_sentiment.ipynb", tmp_path, corpus_path=str(corpus_path("russia_ukraine")),
                            text_column="body", id_column="id", n_boot=100)
    assert not error_outputs(executed)
    text = markdown_of(executed)
    study = open_corpus(corpus_path("russia_ukraine"), text_column="body", id_column="id", show_progress=False)
    scored = _scored(study)
    picks = pick_documents(scored, study.documents, group="group")
    assert set(picks["group"]) == {"kremlin", "ua_presidency", "wire"}
    for row in picks.itertuples(index=False):
        assert f"*{escape_md(row.name)}* ({row.pick}, {escape_md(row.group)}, mean {row.mean:+.2f})" in text
    figures = tmp_path / "figures"
    assert (figures / "04-mean-arc.png").is_file() and (figures / "04-arc.png").is_file()
    drawn = pd.read_csv(figures / "04-arc.csv", dtype={"doc_id": str})
    assert set(drawn["doc_id"]) == set(picks["doc_id"]) and len(picks) < study.documents["doc_id"].nunique()
    # the mean arc: one row per side and tenth; kremlin's first tenth is the mean of its sentences there
    deciles = pd.read_csv(figures / "04-mean-arc.csv")
    assert len(deciles) == 3 * 10 and set(deciles["side"]) == set(picks["group"])
    from corpus_tools.sentiment import arc_units
    units = arc_units(scored)
    side = study.documents.set_index("doc_id")["group"]
    mine = units[(units["doc_id"].map(side) == "kremlin") & (units["decile"] == 1)]["score"].mean()
    assert deciles[(deciles["side"] == "kremlin") & (deciles["decile"] == 1)]["mean"].iloc[0] == pytest.approx(mine)
    assert "first 12" not in text and "Only the first" not in text
    # actor commentary within each side, never over all sides pooled
    for key in picks["group"].unique():
        assert f"Within **{escape_md(key)}**, the most favourable treatment goes to" in text
    assert "The most favourable treatment goes to" not in text
    # quoted vs narrative within each side, documents resampled; kremlin's quoted mean by hand
    voice = pd.read_csv(figures / "04-quoted-vs-narrative.csv")
    assert set(zip(voice["side"], voice["voice"])) == {(g, v) for g in picks["group"] for v in ("narrative", "quoted")}
    assert set(voice["unit"]) <= {"documents", "sentences"} and "documents" in set(voice["unit"])
    quoted = scored[(scored["doc_id"].map(side) == "kremlin") & scored["in_quote"].astype(bool)]["score"].mean()
    assert voice[(voice["side"] == "kremlin") & (voice["voice"] == "quoted")]["mean"].iloc[0] == pytest.approx(quoted)
    for key in picks["group"].unique():
        assert f"mean sentence sentiment in {escape_md(key)} is highest for" in text
    assert "Narrative sentences: mean" not in text  # the pooled sentence of before
    # sentiment toward each actor per period within each side; one cell's mean by hand from the mentions
    from corpus_tools.framing.packs import focus_patterns
    from corpus_tools.targeted import find_mentions, score_targets, top_actors
    trend = pd.read_csv(figures / "04-actor-sentiment-over-time.csv")
    targeted = score_targets(scored, find_mentions(scored, focus_patterns(study.focus(n=6))))
    assert set(trend["actor"]) == set(top_actors(targeted, 4)) and {"side", "period"} <= set(trend.columns)
    period = study.documents.set_index("doc_id")["period"]
    cell = targeted[(targeted["doc_id"].map(side) == "kremlin") & (targeted["actor"] == "Russia")]
    busiest = cell["doc_id"].map(period).value_counts().index[0]
    mine = cell[cell["doc_id"].map(period) == busiest]["target_score"].mean()
    got = trend[(trend["side"] == "kremlin") & (trend["actor"] == "Russia") & (trend["period"] == busiest)]["mean"]
    assert got.iloc[0] == pytest.approx(mine)
    assert "- *Russia*: For **" in text and "For **kremlin**, mean targeted sentiment toward Russia goes from" in text


@pytest.mark.notebook
def test_notebook_04_on_the_seed_keeps_its_single_arc(tmp_path, offline_env):
    from tests.helpers import markdown_of

    executed = run_notebook("04_sentiment.ipynb", tmp_path, corpus_path=str(SEEDS), n_boot=100)
    assert not error_outputs(executed)
    text = markdown_of(executed)
    figures = tmp_path / "figures"
    assert (figures / "04-arc.png").is_file() and not (figures / "04-mean-arc.png").exists()
    assert "The rolling mean is lowest" in text and "With one short document" in text
    assert "Arcs are drawn for" not in text


def test_plot_picked_arcs_shortens_long_titles_so_the_legend_stays_narrow():
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd
    from corpus_tools.sentiment_plots import plot_picked_arcs

    picks, _ = _picks_and_deciles()
    long_title = "President held a telephone conversation with the Federal Chancellor of Germany about the war"
    picks = picks.assign(name=[long_title] * len(picks))
    arc = pd.concat([pd.DataFrame({"doc_id": d, "sent_id": range(4), "position": [0.1, 0.4, 0.6, 0.9],
                                   "score": 0.0, "rolling": 0.0}) for d in picks["doc_id"]])
    fig = plot_picked_arcs(arc, picks, band=0.05)
    labels = [line.get_label() for line in fig.axes[0].get_lines() if not line.get_label().startswith("_")]
    assert all(label.endswith(" …") and len(label.split(": ", 1)[1]) <= 40 for label in labels)
    assert labels[0].split(": ", 1)[1] == "President held a telephone …"  # "... conversation …" would be 41 characters
