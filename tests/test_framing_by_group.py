"""Framing by group, over time and around an event (corpus_tools.framing.groups, issue 14 items 1-6 for notebook
03): the describe_* commentary on the seed, russia_ukraine and ethiopia_tigray, checked against hand-computed
numbers, no seed-only phrase outside the bundled corpus, and the new figures bounded."""
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from corpus_tools import compare as C, config
from corpus_tools.framing import groups as G, plots as FP
from corpus_tools.framing.packs import naming_sides
from corpus_tools.pipeline import open_corpus
from tests.conflict_corpora import CORPORA, corpus_path


@lru_cache(maxsize=None)
def study_of(name: str):
    if name == "seed":
        study = open_corpus(config.SEEDS_DIR)
    else:
        c = CORPORA[name]
        study = open_corpus(corpus_path(name), text_column=c["text_column"],
                            id_column=None if c["format"].startswith("txt") else c["id_column"],
                            date_column=c["date_column"], title_column=c["title_column"], group_column="side")
    docs = study.documents if study.group_column else study.documents.assign(group="all documents")
    return study, study.framing(), docs


def commentary(name: str) -> str:
    """Every describe_* of notebook 03 on one corpus, joined."""
    study, result, docs = study_of(name)
    side_a, side_b = naming_sides(result.pack)
    presence = G.frame_presence(result.frames, result.sentences)
    shares = G.stat_frame_shares(presence, docs, n_boot=100)
    naming = G.naming_by_document(result.naming, docs, side_a=side_a, side_b=side_b)
    alignment = C.stat_by_group(naming, docs, value="alignment", group="group", unit="documents", n_boot=100)
    picks = G.pick_documents(presence, docs)
    roles = G.stat_roles_by_group(result.roles.evidence, docs, n_boot=100)
    absent = G.describe_absent(n_documents=len(docs), group_column=study.group_column,
                               n_groups=docs["group"].nunique(), dated=study.dated, event_date=None)
    parts = [G.describe_corpus(docs, result.sentences, corpus_path="x", group_column=study.group_column,
                               dated=study.dated),
             G.describe_frame_shares(shares), C.describe_differences_by(shares, by="frame", value_label="share",
                                                                       fmt=C.percent),
             C.describe_group_differences(alignment, value_label="alignment"), G.describe_picks(picks, documents=docs),
             G.describe_roles_by_group(roles),
             G.describe_speakers_by_group(G.stat_speakers_by_group(result.quotes, result.attributions, docs)),
             G.describe_frame_positions(G.stat_frame_positions(presence, docs, frames=G.top_frames(shares), n_boot=50)),
             G.describe_caveats(n_documents=len(docs), n_tokens=int(result.sentences["n_tokens"].sum()),
                                n_groups=docs["group"].nunique(), dated=study.dated, bundled=name == "seed"),
             *[v for v in absent.values() if v]]
    return "\n".join(parts)


def test_naming_alignment_by_group_on_russia_ukraine_by_hand():
    """Hand count from the articles: every Kremlin text uses only Russian usage (+1 each, 6 documents); the
    Ukrainian presidency's three documents with contested names score (0-1)/2, (1-6)/7 and (2-8)/11."""
    study, result, docs = study_of("russia_ukraine")
    naming = G.naming_by_document(result.naming, docs, side_a="ru", side_b="ua")
    table = C.stat_by_group(naming, docs, value="alignment", group="group", unit="documents", n_boot=200)
    table = table.set_index("group")
    ua = np.mean([-1 / 2, -5 / 7, -6 / 11])
    assert table.loc["kremlin", "mean"] == pytest.approx(1.0) and table.loc["kremlin", "n_documents"] == 6
    assert table.loc["ua_presidency", "mean"] == pytest.approx(ua) and table.loc["ua_presidency", "n_documents"] == 3
    text = C.describe_group_differences(table.reset_index(), value_label="naming alignment")
    assert "highest for **kremlin**, +1.000" in text and f"{ua:+.3f}" in text
    assert "lowest for **wire**, -0.833" in text and "do not overlap" in text


def test_verb_class_shares_by_group_are_counts_over_attributions():
    study, result, docs = study_of("russia_ukraine")
    table = C.stat_shares(result.attributions, docs, category="verb_class", group="group", n_boot=50)
    kremlin = result.attributions[result.attributions["doc_id"].str.startswith("kr_")]
    row = table[(table["verb_class"] == "neutral") & (table["group"] == "kremlin")].iloc[0]
    assert row["n_in"] == (kremlin["verb_class"] == "neutral").sum() and row["n_units"] == len(kremlin)
    assert row["mean"] == pytest.approx(row["n_in"] / row["n_units"])


def test_frame_shares_on_ethiopia_tigray_match_sentence_counts():
    study, result, docs = study_of("ethiopia_tigray")
    presence = G.frame_presence(result.frames, result.sentences)
    shares = G.stat_frame_shares(presence, docs, n_boot=50)
    gov = docs.loc[docs["group"] == "gov", "doc_id"]
    sentences = result.sentences[result.sentences["doc_id"].isin(gov)]
    live = result.frames[~result.frames["negated"].astype(bool) & (result.frames["category"] == "security")]
    with_cue = live.merge(sentences[["doc_id", "sent_id"]], on=["doc_id", "sent_id"])[["doc_id", "sent_id"]]
    row = shares[(shares["frame"] == "policy:security") & (shares["group"] == "gov")].iloc[0]
    assert row["mean"] == pytest.approx(len(with_cue.drop_duplicates()) / len(sentences))
    assert row["n_units"] == len(sentences) and row["unit"] == "documents"
    text = C.describe_differences_by(shares, by="frame", value_label="share", fmt=C.percent)
    assert "gov" in text and "tplf" in text and "resample documents" in text


def test_picks_are_the_most_typical_and_extreme_of_each_group():
    study, result, docs = study_of("russia_ukraine")
    presence = G.frame_presence(result.frames, result.sentences)
    picks = G.pick_documents(presence, docs)
    assert sorted(picks["group"].unique()) == ["kremlin", "ua_presidency", "wire"]
    assert (picks.groupby("group")["doc_id"].nunique() == 2).all()
    kremlin = picks[picks["group"] == "kremlin"].set_index("pick")["distance"]
    assert kremlin["typical"] < kremlin["extreme"]
    chosen = G.pick_documents(presence, docs, show_docs=["ua_04", "nope"])
    assert chosen["doc_id"].tolist() == ["ua_04"] and chosen["pick"].tolist() == ["chosen"]
    assert "nope" in G.describe_picks(chosen, documents=docs, show_docs=["ua_04", "nope"])


def test_the_seed_has_no_group_or_time_section_and_says_why():
    study, result, docs = study_of("seed")
    absent = G.describe_absent(n_documents=len(docs), group_column=study.group_column, n_groups=1, dated=study.dated,
                               event_date=None)
    assert absent["groups"] == "The corpus is a single document, so there is no comparison between groups."
    assert absent["time"] == "The corpus is a single document, so there is no trend over time."
    assert "One document is not a sample" in commentary("seed")


@pytest.mark.parametrize("name", ["russia_ukraine", "ethiopia_tigray"])
def test_no_seed_phrase_outside_the_bundled_corpus(name):
    text = commentary(name)
    assert not [p for p in G.BUNDLED_PHRASES if p.lower() in text.lower()], text
    assert "Documents are the sampling unit" in text and "Groups differ in more than framing" in text


def test_event_by_frame_has_a_difference_in_differences_for_two_groups():
    study, result, docs = study_of("russia_ukraine")
    two = docs[docs["group"].isin(["kremlin", "ua_presidency"])]
    presence = G.frame_presence(result.frames, result.sentences)
    presence = presence[presence["doc_id"].isin(two["doc_id"]) & presence["frame"].isin(["policy:security"])]
    event = C.stat_event_by(presence, two, by="frame", value="present", event_date="2022-02-24", group="group",
                            n_boot=100)
    table = event.table.set_index("group")
    did = event.did.iloc[0]
    assert did["did"] == pytest.approx(table.loc["ua_presidency", "difference"] - table.loc["kremlin", "difference"])
    assert "Difference in differences" in C.describe_event_by(event, by="frame", value_label="share", fmt=C.percent)


rng = np.random.default_rng(0)
GROUPS = [f"group {i}" for i in range(8)]
ESTIMATES = pd.DataFrame({"frame": np.repeat([f"layer:cat {i}" for i in range(40)], 8), "group": GROUPS * 40,
                          "mean": rng.random(320), "ci_low": 0.0, "ci_high": 1.0, "few_documents": False})
SERIES = pd.DataFrame({"frame": np.repeat([f"layer:cat {i}" for i in range(12)], 8 * 60),
                       "group": np.tile(np.repeat(GROUPS, 60), 12), "period": np.tile([f"p{i:02d}" for i in range(60)], 96),
                       "mean": 0.5, "ci_low": 0.4, "ci_high": 0.6, "few_documents": True})
CASES = {
    "group estimates": lambda: FP.plot_group_estimates(ESTIMATES, category="frame", percent=True),
    "series": lambda: FP.plot_series(SERIES, panel="frame"),
    "event": lambda: FP.plot_event(pd.DataFrame({"frame": np.repeat([f"c{i}" for i in range(12)], 8), "group": GROUPS * 12,
                                                 "mean_before": 0.2, "ci_low_before": 0.1, "ci_high_before": 0.3,
                                                 "mean_after": 0.4, "ci_low_after": 0.3, "ci_high_after": 0.5}),
                                   event_date="2022-02-24", panel="frame"),
    "roles": lambda: FP.plot_roles_by_group(pd.DataFrame({"canonical": np.repeat([f"actor {i}" for i in range(20)], 24),
                                                          "role": np.tile(np.repeat(["protagonist", "antagonist", "innocent"], 8), 20),
                                                          "group": GROUPS * 60, "mean": 0.3, "ci_low": 0.1, "ci_high": 0.5,
                                                          "n_in": 3})),
    "timelines": lambda: FP.plot_frame_timelines({f"doc {i}": pd.DataFrame({"doc_id": "d", "sent_id": range(5000),
                                                                            "generic:conflict": 1.0}) for i in range(20)}),
}


@pytest.mark.parametrize("case", CASES)
def test_new_figures_are_bounded(case):
    fig = CASES[case]()
    width, height = fig.get_size_inches() * config.FIGURE_DPI
    panels = [ax for ax in fig.axes if ax.get_visible()]
    rows = max(len(ax.get_yticklabels()) for ax in panels)
    plt.close(fig)
    assert width <= 4000 and height <= 4000 and len(panels) <= 8 and rows <= config.MAX_FIGURE_ITEMS + 30


def test_group_estimates_axis_keeps_the_index_range_when_asked():
    import pandas as pd

    from corpus_tools.framing.plots import plot_group_estimates

    table = pd.DataFrame({"group": ["a"], "mean": [1.0], "ci_low": [1.0], "ci_high": [1.0], "n_documents": [1],
                          "n_units": [3], "few_documents": [True], "unit": ["documents"]})
    fixed = plot_group_estimates(table, limits=(-1, 1)).axes[0].get_xlim()
    assert fixed[0] < -1 and fixed[1] > 1  # +1 shown on the whole -1..+1 scale, not on 0.96..1.04
    free = plot_group_estimates(table).axes[0].get_xlim()
    assert free[0] > 0.5
