"""The one bootstrap behind every interval (corpus_tools.bootstrap): documents resampled when a group
holds several (cluster bootstrap), sentences only within a single document; seeded."""
import numpy as np
import pandas as pd
import pytest

from corpus_tools.bootstrap import bootstrap_mean
from corpus_tools.sentiment import stat_sentiment
from corpus_tools.targeted import stat_targets

# Four documents of ten sentences, every sentence of a document scored as the document: -1, -1, +1, +1.
VALUES = np.repeat([-1.0, -1.0, 1.0, 1.0], 10)
DOCS = np.repeat(["a", "b", "c", "d"], 10)


def test_cluster_interval_is_the_hand_computed_one_and_wider_than_the_sentence_one():
    # Drawing 4 of 4 documents: k positive ones ~ Binomial(4, 1/2), mean (2k - 4) / 4. P(k = 0) = P(k = 4)
    # = 1/16 > 2.5%, so the 95% interval is exactly [-1, +1]. Resampling the 40 sentences as if independent:
    # sd 1, se 1/sqrt(40) = 0.158, interval about ±0.31.
    clustered = bootstrap_mean(VALUES, np.zeros(40, int), clusters=DOCS, n_boot=4000, seed=1)
    sentences = bootstrap_mean(VALUES, np.zeros(40, int), n_boot=4000, seed=1)
    assert (clustered.low[0], clustered.high[0]) == (-1.0, 1.0) and list(clustered.resampled) == ["documents"]
    assert -0.4 < sentences.low[0] < -0.2 and 0.2 < sentences.high[0] < 0.4
    assert list(sentences.resampled) == ["sentences"]


def test_seeded():
    a = bootstrap_mean(VALUES + np.arange(40) / 100, np.zeros(40, int), clusters=DOCS, n_boot=300, seed=7)
    b = bootstrap_mean(VALUES + np.arange(40) / 100, np.zeros(40, int), clusters=DOCS, n_boot=300, seed=7)
    c = bootstrap_mean(VALUES + np.arange(40) / 100, np.zeros(40, int), clusters=DOCS, n_boot=300, seed=8)
    assert (a.low, a.high) == (b.low, b.high) and (a.low, a.high) != (c.low, c.high)


def test_a_group_of_one_document_resamples_its_sentences():
    values = np.random.default_rng(0).uniform(-1, 1, 12)
    one_doc = bootstrap_mean(values, np.zeros(12, int), clusters=np.full(12, "only"), n_boot=500, seed=2)
    plain = bootstrap_mean(values, np.zeros(12, int), n_boot=500, seed=2)
    assert list(one_doc.resampled) == ["sentences"]
    assert (one_doc.low, one_doc.high) == (plain.low, plain.high)
    single = bootstrap_mean([0.3], [0], clusters=["x"], n_boot=50)
    assert np.isnan(single.low[0]) and np.isnan(single.high[0])


def scored():
    return pd.DataFrame({"doc_id": np.r_[DOCS, np.full(10, "e")], "sent_id": np.r_[np.tile(range(10), 4), range(10)],
                         "score": np.r_[VALUES, np.linspace(-0.5, 0.5, 10)], "n_tokens": 10,
                         "side": np.repeat(["x", "x", "x", "x", "y"], 10)})


def test_stat_sentiment_resamples_documents_of_a_group_and_sentences_of_a_single_document():
    table = stat_sentiment(scored(), by=["side"], band=0.05, n_boot=2000, seed=0).set_index("side")
    assert table.loc["x", "resampled"] == "documents" and table.loc["y", "resampled"] == "sentences"
    assert (table.loc["x", "ci_low"], table.loc["x", "ci_high"]) == (-1.0, 1.0)
    flat = stat_sentiment(scored(), by=["side"], band=0.05, n_boot=2000, seed=0, cluster=None).set_index("side")
    assert flat.loc["x", "ci_high"] - flat.loc["x", "ci_low"] < 0.8 and set(flat["resampled"]) == {"sentences"}
    by_doc = stat_sentiment(scored(), band=0.05, n_boot=50)
    assert set(by_doc["resampled"]) == {"sentences"}


def test_stat_targets_resamples_documents_of_an_actor():
    data = scored().rename(columns={"score": "target_score"}).assign(
        actor="A", target_label=lambda t: np.where(t["target_score"] > 0, "positive", "negative"))
    table = stat_targets(data, by=["actor", "side"], n_boot=2000).set_index("side")
    assert table.loc["x", "resampled"] == "documents" and table.loc["y", "resampled"] == "mentions"
    assert (table.loc["x", "ci_low"], table.loc["x", "ci_high"]) == (-1.0, 1.0)


@pytest.mark.parametrize("blank", [np.nan, "", "  ", None])
def test_blank_group_values_are_one_visible_group(blank):
    data = scored()
    data["side"] = data["side"].astype(object)
    data.loc[data["doc_id"] == "e", "side"] = blank
    sentiment = stat_sentiment(data, by=["side"], band=0.05, n_boot=50)
    assert list(sentiment["side"]) == ["(none)", "x"] and sentiment["n_sentences"].tolist() == [10, 40]
    targets = stat_targets(data.rename(columns={"score": "target_score"}).assign(actor="A", target_label="neutral"),
                           by=["actor", "side"], n_boot=50)  # was: cannot convert float NaN to integer
    assert list(targets["side"]) == ["(none)", "x"] and targets["n_mentions"].tolist() == [10, 40]
    assert targets[["ci_low", "ci_high"]].notna().all().all()
