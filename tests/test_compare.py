"""Groups, periods and events compared with document-level intervals (corpus_tools.compare, issue 14 items 2-3):
means by hand, the cluster bootstrap checked where its interval can be worked out, a difference-in-differences
of known size, automatic periods, undated documents kept, and the commentary rendered from the tables."""
import re

import numpy as np
import pandas as pd
import pytest

from corpus_tools import compare as C
from tests.conflict_corpora import CORPORA, all_names, corpus_path, load_params


def units(doc_values: dict[str, list[float]]) -> pd.DataFrame:
    """One row per unit: ``{doc_id: [values of its sentences]}``."""
    return pd.DataFrame([{"doc_id": d, "score": v} for d, vs in doc_values.items() for v in vs])


def documents(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


# --------------------------------------------------------------------------- stat_by_group


def test_means_counts_and_zero_width_intervals_of_constant_documents():
    # x: three documents all at 0.5; y: two documents at -0.2 (one of them with three sentences).
    values = units({"a": [0.5, 0.5], "b": [0.5], "c": [0.5, 0.5], "d": [-0.2, -0.2, -0.2], "e": [-0.2]})
    docs = documents(doc_id=list("abcde"), side=["x", "x", "x", "y", "y"])
    table = C.stat_by_group(values, docs, value="score", group="side", n_boot=300).set_index("side")
    assert table.loc["x", "mean"] == pytest.approx(0.5) and table.loc["y", "mean"] == pytest.approx(-0.2)
    assert (table.loc["x", "ci_low"], table.loc["x", "ci_high"]) == pytest.approx((0.5, 0.5))
    assert (table.loc["y", "ci_low"], table.loc["y", "ci_high"]) == pytest.approx((-0.2, -0.2))
    assert table["n_documents"].tolist() == [3, 2] and table["n_units"].tolist() == [5, 4]
    assert table["unit"].tolist() == ["documents", "documents"] and table["few_documents"].all()
    many = C.stat_by_group(values, docs, value="score", group="side", n_boot=50, min_documents=3)
    assert many["few_documents"].tolist() == [False, True]


def test_weighted_mean_is_the_ratio_of_weighted_sums():
    values = units({"a": [1.0, 0.0], "b": [0.0]}).assign(n_tokens=[3, 1, 4])
    docs = documents(doc_id=["a", "b"], side=["x", "x"])
    table = C.stat_by_group(values, docs, value="score", group="side", weight="n_tokens", n_boot=50)
    assert table["mean"].iloc[0] == pytest.approx(3 / 8)  # (1*3 + 0*1 + 0*4) / (3 + 1 + 4)
    plain = C.stat_by_group(values, docs, value="score", group="side", n_boot=50)
    assert plain["mean"].iloc[0] == pytest.approx(1 / 3)


def test_cluster_interval_is_the_hand_computed_one_and_wider_than_the_sentence_one():
    # Four documents of ten sentences at -1, -1, +1, +1. Drawing 4 of 4 documents: P(all four negative or all
    # four positive) = 1/16 > 2.5% each, so the 95% interval is exactly [-1, +1]. Sentences treated as
    # independent (each its own document) give about +-1.96 / sqrt(40) = +-0.31.
    values = units({d: [v] * 10 for d, v in zip("abcd", [-1.0, -1.0, 1.0, 1.0])})
    docs = documents(doc_id=list("abcd"), side="x")
    clustered = C.stat_by_group(values, docs, value="score", group="side", n_boot=4000, seed=1)
    assert (clustered["ci_low"].iloc[0], clustered["ci_high"].iloc[0]) == (-1.0, 1.0)
    naive_values = values.assign(doc_id=[f"s{i}" for i in range(40)])
    naive_docs = documents(doc_id=naive_values["doc_id"], side="x")
    naive = C.stat_by_group(naive_values, naive_docs, value="score", group="side", n_boot=4000, seed=1)
    assert 0.4 < naive["ci_high"].iloc[0] - naive["ci_low"].iloc[0] < 0.8


def test_a_group_of_one_document_resamples_its_units_and_says_so():
    values = units({"a": [0.1, 0.4, -0.3, 0.2], "b": [0.0, 0.2], "c": [0.5]})
    docs = documents(doc_id=list("abc"), side=["solo", "pair", "pair"])
    table = C.stat_by_group(values, docs, value="score", group="side", n_boot=500).set_index("side")
    assert table.loc["solo", "unit"] == "sentences (one document)" and table.loc["pair", "unit"] == "documents"
    assert table.loc["solo", "ci_low"] < table.loc["solo", "mean"] < table.loc["solo", "ci_high"]
    hits = C.stat_by_group(values, docs, value="score", group="side", n_boot=50, unit="hits")
    assert "hits (one document)" in set(hits["unit"])


def test_seeded():
    rng = np.random.default_rng(3)
    values = units({f"d{i}": list(rng.normal(i % 3, 1, 5)) for i in range(12)})
    docs = documents(doc_id=[f"d{i}" for i in range(12)], side=["x", "y"] * 6)
    run = lambda seed: C.stat_by_group(values, docs, value="score", group="side", n_boot=300, seed=seed)
    pd.testing.assert_frame_equal(run(5), run(5))
    assert not run(5)[["ci_low", "ci_high"]].equals(run(6)[["ci_low", "ci_high"]])


def test_group_from_the_values_when_the_documents_lack_it_and_blank_groups_kept():
    values = units({"a": [1.0, -1.0], "b": [0.5]}).assign(actor=["A", "B", "A"])
    docs = documents(doc_id=["a", "b", "c"], side=["x", " ", None])
    by_actor = C.stat_by_group(values, docs, value="score", group="actor", n_boot=50)
    assert by_actor.set_index("actor")["mean"].to_dict() == pytest.approx({"A": 0.75, "B": -1.0})
    by_side = C.stat_by_group(values, docs, value="score", group="side", n_boot=50)
    assert by_side["side"].tolist() == ["(none)", "x"]
    with pytest.raises(KeyError, match="outlet"):
        C.stat_by_group(values, docs, value="score", group="outlet")


# --------------------------------------------------------------------------- periods and group keys


@pytest.mark.parametrize("start, end, period, label, first", [
    ("2022-02-21", "2022-03-13", "week", r"\d{4}-W\d{2}", "2022-W08"),
    ("2022-01-10", "2022-08-20", "month", r"\d{4}-\d{2}", "2022-01"),
    ("2019-03-01", "2023-02-28", "quarter", r"\d{4}Q[1-4]", "2019Q1"),
])
def test_auto_periods_by_span(start, end, period, label, first):
    dates = pd.date_range(start, end, periods=40).strftime("%Y-%m-%d")
    docs = documents(doc_id=[f"d{i}" for i in range(40)], date=dates)
    assert C.choose_period(docs["date"]) == period
    periods = C.assign_periods(docs)["period"]
    assert periods.str.fullmatch(label).all() and periods.iloc[0] == first
    assert periods.tolist() == sorted(periods)
    assert periods.nunique() <= C.MAX_BINS and (period == "week" or periods.nunique() >= 6)


def test_undated_documents_are_kept_labelled_and_listed():
    docs = documents(doc_id=["a", "b", "c", "d"], date=["2022-03-05", "not a date", None, "2022-04-30T23:00:00Z"])
    out = C.assign_periods(docs, period="month")
    assert out["period"].tolist() == ["2022-03", C.NO_DATE, C.NO_DATE, "2022-04"] and len(out) == 4
    assert C.undated_documents(docs)["doc_id"].tolist() == ["b", "c"]
    assert C.assign_periods(docs, period="quarter")["period"].iloc[0] == "2022Q1"
    assert set(C.assign_periods(docs.drop(columns="date"))["period"]) == {C.NO_DATE}
    with pytest.raises(ValueError, match="fortnight"):
        C.assign_periods(docs, period="fortnight")


def test_group_key_combines_columns_and_labels_blanks():
    docs = documents(doc_id=["a", "b"], side=["kremlin", ""], period=["2022-03", "2022-04"])
    key = C.group_key(docs, ["side", "period"])
    assert key.name == "side · period" and key.tolist() == ["kremlin · 2022-03", "(none) · 2022-04"]
    assert C.group_key(docs, "side").tolist() == ["kremlin", "(none)"]


def test_over_time_sorted_by_period_with_undated_last_and_counted():
    values = units({"a": [0.2], "b": [0.4, 0.0], "c": [-0.1], "d": [0.3]})
    docs = documents(doc_id=list("abcd"), side=["x", "y", "x", "x"], date=["2022-05-02", "2022-03-09", "", "2022-03-30"])
    table = C.stat_over_time(values, docs, value="score", group="side", period="month", n_boot=50)
    assert table[["period", "side"]].values.tolist() == [["2022-03", "x"], ["2022-03", "y"], ["2022-05", "x"],
                                                         [C.NO_DATE, "x"]]
    assert table["mean"].tolist() == pytest.approx([0.3, 0.2, 0.2, -0.1])
    assert table["n_documents"].sum() == 4 and table["few_documents"].all()


# --------------------------------------------------------------------------- events


def event_corpus(effects: dict[tuple[str, str], float], noise: float, n_docs: int = 6):
    """Each group x side cell: ``n_docs`` documents of 3 sentences at the cell's mean plus a per-document offset
    that sums to zero in the cell (so cell means are exact)."""
    offsets = np.linspace(-noise, noise, n_docs)
    rows, docs = [], []
    for (side, phase), mean in effects.items():
        for k, offset in enumerate(offsets):
            doc = f"{side}-{phase}-{k}"
            docs.append({"doc_id": doc, "side": side, "date": "2022-01-15" if phase == "before" else "2022-03-15"})
            rows += [{"doc_id": doc, "score": mean + offset}] * 3
    return pd.DataFrame(rows), pd.DataFrame(docs)


def test_difference_in_differences_of_known_size():
    values, docs = event_corpus({("a", "before"): 0.0, ("a", "after"): 0.1, ("b", "before"): 0.0, ("b", "after"): 0.5},
                                noise=0.2)
    event = C.stat_event(values, docs, value="score", event_date="2022-02-24", group="side", n_boot=2000)
    table = event.table.set_index("side")
    assert table["difference"].to_dict() == pytest.approx({"a": 0.1, "b": 0.5})
    assert (table["n_documents_before"] == 6).all() and (table["unit_after"] == "documents").all()
    did = event.did.iloc[0]
    assert (did["group_a"], did["group_b"]) == ("a", "b") and did["did"] == pytest.approx(0.4)
    assert 0 < did["did_low"] < 0.4 < did["did_high"]
    assert (table["difference_low"] < table["difference"]).all() and (table["difference"] < table["difference_high"]).all()
    assert event.event_date == "2022-02-24" and not table["few_documents"].any()


def test_event_intervals_are_zero_width_without_noise_and_seeded():
    values, docs = event_corpus({("a", "before"): 0.2, ("a", "after"): -0.1, ("b", "before"): 0.0, ("b", "after"): 0.0},
                                noise=0.0)
    event = C.stat_event(values, docs, value="score", event_date="2022-02-24", group="side", n_boot=200)
    assert event.table[["difference_low", "difference_high"]].to_numpy().ravel() == pytest.approx([-0.3, -0.3, 0, 0])
    assert event.did[["did_low", "did_high"]].to_numpy().ravel() == pytest.approx([0.3, 0.3])
    noisy, noisy_docs = event_corpus({("a", "before"): 0.0, ("a", "after"): 0.3}, noise=0.3)
    run = lambda seed: C.stat_event(noisy, noisy_docs, value="score", event_date="2022-02-24", n_boot=300, seed=seed)
    pd.testing.assert_frame_equal(run(1).table, run(1).table)
    assert run(1).table["difference_low"].iloc[0] != run(2).table["difference_low"].iloc[0]
    assert run(1).did.empty  # one group: no difference-in-differences


def test_event_counts_undated_documents_and_a_group_missing_a_side():
    values, docs = event_corpus({("a", "before"): 0.0, ("a", "after"): 0.2, ("b", "after"): 0.1}, noise=0.1, n_docs=3)
    docs.loc[0, "date"] = "unknown"
    event = C.stat_event(values, docs, value="score", event_date="2022-02-24", group="side", n_boot=100)
    table = event.table.set_index("side")
    assert table.loc["a", "n_undated"] == 1 and table.loc["a", "n_documents_before"] == 2
    assert table.loc["b", "n_documents_before"] == 0 and np.isnan(table.loc["b", "difference"])
    assert np.isnan(event.did["did"].iloc[0])
    text = C.describe_event(event, value_label="tone")
    assert "no document is dated before 2022-02-24" in text and "1 document without a date" in text
    assert "cannot be computed, since a group has no document on one side" in text


# --------------------------------------------------------------------------- commentary on constructed tables


def table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["side", *C.STAT_COLUMNS])


def test_inside_band_and_overlap_wording():
    apart_inside = table([["x", 0.03, 0.02, 0.04, 9, 90, False, "documents"],
                          ["y", -0.02, -0.03, -0.01, 8, 80, False, "documents"]])
    text = C.describe_group_differences(apart_inside, value_label="sentiment", neutral_band=0.05)
    assert "highest for **x**, +0.030 (95% interval +0.020 to +0.040; 9 documents)" in text
    assert "lowest for **y**, -0.020" in text
    assert "do not overlap; both means lie inside the neutral band (±0.05), so the difference is not called " \
           "meaningful" in text
    assert "inside the neutral band" not in C.describe_group_differences(apart_inside, value_label="s")
    overlapping = table([["x", 0.3, 0.1, 0.5, 9, 90, False, "documents"],
                         ["y", 0.2, 0.0, 0.4, 8, 80, False, "documents"],
                         ["z", -0.4, -0.6, -0.2, 2, 20, True, "documents"]])
    text = C.describe_group_differences(overlapping, value_label="sentiment", neutral_band=0.05)
    assert "lowest for **z**" in text and "do not overlap" in text and "In between: y +0.200" in text
    assert "Few documents, read with caution: z (2 documents)." in text
    close = C.describe_group_differences(overlapping.iloc[:2], value_label="sentiment", neutral_band=0.05)
    assert "Their intervals overlap" in close and "inside the neutral band" not in close


def test_unit_and_escaping_in_commentary():
    rows = table([["<b>*x*</b>", 0.3, 0.1, 0.5, 1, 9, True, "sentences (one document)"],
                  ["y", 0.2, 0.0, 0.4, 8, 80, False, "documents"]])
    text = C.describe_group_differences(rows, value_label="tone", neutral_band=None)
    assert "<b>" not in text and r"&lt;b&gt;\*x\*&lt;/b&gt; holds one document, so its sentences are resampled" in text
    assert "resample documents within each group (cluster bootstrap)" in text


def test_absent_sections_say_why_in_one_sentence():
    one = table([["x", 0.1, 0.0, 0.2, 1, 12, True, "sentences (one document)"]])
    for text in (C.describe_group_differences(one, value_label="tone"),
                 C.describe_trend(one.rename(columns={"side": "period"}), value_label="tone")):
        assert "single document" in text and text.count(". ") == 0
    undated = one.assign(side=C.NO_DATE, n_documents=3).rename(columns={"side": "period"})
    assert C.describe_trend(undated, value_label="tone") == "No document has a parseable date, so there is no " \
                                                            "trend over time of tone."
    assert "one group" in C.describe_group_differences(one.assign(n_documents=4), value_label="tone")


def test_trend_wording_and_few_document_periods():
    rows = pd.DataFrame([["x", "2022-01", 0.4, 0.3, 0.5, 7, 70, False, "documents"],
                         ["x", "2022-02", 0.1, 0.0, 0.2, 2, 20, True, "documents"],
                         ["x", "2022-03", 0.2, 0.05, 0.35, 6, 60, False, "documents"],
                         ["x", C.NO_DATE, 0.0, -0.1, 0.1, 3, 30, True, "documents"]],
                        columns=["side", "period", *C.STAT_COLUMNS])
    text = C.describe_trend(rows, value_label="tone", neutral_band=0.05)
    assert "For **x**, mean tone goes from +0.400 in 2022-01 to +0.200 in 2022-03 over 3 periods" in text
    assert "lowest in 2022-02, +0.100 (95% interval +0.000 to +0.200; 2 documents). Their intervals do not overlap." in text
    assert "Few documents, read with caution: x · 2022-02 (2 documents)." in text
    assert "3 documents without a date are counted apart" in text


# --------------------------------------------------------------------------- the test corpora of other conflicts

SEED_PHRASES = re.compile(r"the statement|one article|azerbaijan", re.I)


@pytest.fixture(scope="module")
def scored_corpora():
    from corpus_tools.pipeline import prepare_corpus
    from corpus_tools.sentiment import score_sentences

    out = {}
    for name in all_names():
        prepared = prepare_corpus(corpus_path(name), **load_params(name), show_progress=False)
        out[name] = (score_sentences(prepared.sentences), C.assign_periods(prepared.documents))
    return out


@pytest.mark.parametrize("name", all_names())
def test_commentary_on_other_conflicts_follows_the_tables(scored_corpora, name):
    from corpus_tools.sentiment import default_band

    scored, docs = scored_corpora[name]
    band = default_band()
    by_side = C.stat_by_group(scored, docs, value="score", group="side", n_boot=200)
    assert set(by_side["side"]) == set(CORPORA[name]["sides"])
    assert by_side["n_documents"].sum() == CORPORA[name]["n_documents"]
    texts = [C.describe_group_differences(by_side, value_label="sentence sentiment", neutral_band=band)]
    top, bottom = by_side.loc[by_side["mean"].idxmax()], by_side.loc[by_side["mean"].idxmin()]
    assert f"highest for **{C.escape_md(top['side'])}**, {top['mean']:+.3f}" in texts[0]
    assert f"lowest for **{C.escape_md(bottom['side'])}**, {bottom['mean']:+.3f}" in texts[0]
    trend = C.stat_over_time(scored, docs, value="score", group="side", n_boot=200)
    assert trend["n_documents"].sum() == CORPORA[name]["n_documents"]
    texts.append(C.describe_trend(trend, value_label="sentence sentiment", neutral_band=band))
    for side in CORPORA[name]["sides"]:
        assert f"**{C.escape_md(side)}**" in texts[1]
    if CORPORA[name]["event_date"]:
        event = C.stat_event(scored, docs, value="score", event_date=CORPORA[name]["event_date"], group="side",
                             n_boot=200)
        texts.append(C.describe_event(event, value_label="sentence sentiment", neutral_band=band))
        assert event.table["difference"].notna().any() and event.did.empty  # three sides: no DiD
    for text in texts:
        assert not SEED_PHRASES.search(text), text


def test_russia_ukraine_before_and_after_24_february(scored_corpora):
    scored, docs = scored_corpora["russia_ukraine"]
    two = docs[docs["side"] != "wire"]
    event = C.stat_event(scored[scored["doc_id"].isin(two["doc_id"])], two, value="score", event_date="2022-02-24",
                         group="side", n_boot=500)
    table = event.table.set_index("side")
    dates = pd.to_datetime(two["date"])
    for side in ("kremlin", "ua_presidency"):
        mine = two["side"] == side
        assert table.loc[side, "n_documents_before"] == (mine & (dates < "2022-02-24")).sum()
        after = scored[scored["doc_id"].isin(two.loc[mine & (dates >= "2022-02-24"), "doc_id"])]["score"]
        assert table.loc[side, "mean_after"] == pytest.approx(after.mean())
    did = event.did.iloc[0]
    assert did["did"] == pytest.approx(table.loc["ua_presidency", "difference"] - table.loc["kremlin", "difference"])
    text = C.describe_event(event, value_label="sentence sentiment", neutral_band=0.05)
    assert f"Difference in differences (ua\\_presidency minus kremlin): {did['did']:+.3f}" in text
    assert "ua\\_presidency before 2022-02-24 holds one document, so its sentences are resampled instead" in text
    assert not SEED_PHRASES.search(text)
