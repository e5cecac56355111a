"""Sentiment toward actor mentions: mentions, features by hand, roles, the model, aggregates."""
import math

import numpy as np
import pandas as pd
import pytest

from corpus_tools import targeted as T
from corpus_tools.vader import N_SCALAR


def sentences_of(texts, offset=0):
    return pd.DataFrame({"doc_id": range(len(texts)), "sent_id": 0, "start": offset, "text": texts})


def test_find_mentions_with_names_regexes_and_the_default_list():
    sentences = sentences_of(["Baku and Yerevan met; Azerbaijan’s minister and Armenia's spoke."], offset=100)
    found = T.find_mentions(sentences)
    assert found["actor"].tolist() == ["Azerbaijan", "Armenia", "Azerbaijan", "Armenia"]
    first = found.iloc[0]
    assert (first["start"], first["end"], first["mention"]) == (100, 104, "Baku")  # document offsets
    by_name = T.find_mentions(sentences, ["Armenia", "minister"])  # a default actor brings its patterns
    assert by_name["mention"].tolist() == ["Yerevan", "minister", "Armenia"]
    by_regex = T.find_mentions(sentences, {"capitals": r"Baku|Yerevan"})
    assert by_regex["mention"].tolist() == ["Baku", "Yerevan"]
    assert T.find_mentions(sentences.iloc[:0]).empty


def test_window_and_clause_features_by_hand():
    texts = ["Armenia is good.", "Armenia is not good.", "Armenia is good, but Azerbaijan is bad."]
    sentences = sentences_of(texts)
    mentions = T.find_mentions(sentences)
    dense, _, _ = T.target_features(sentences, mentions)
    # 'good' (1.9) two words after the mention: weight exp(-2 / 2)
    assert dense.at[0, "vader_pos_near"] == pytest.approx(1.9 * math.exp(-1))
    # negated: 1.9 x -0.74, three words after
    assert dense.at[1, "vader_neg_near"] == pytest.approx(1.9 * N_SCALAR * math.exp(-1.5))
    assert dense.at[1, "vader_pos_near"] == 0
    # clauses split at the comma and 'but': each actor gets its own clause's words ('but' rule applied)
    assert dense.at[2, "vader_clause"] == pytest.approx(1.9 * 0.5)
    assert dense.at[3, "vader_clause"] == pytest.approx(-2.5 * 1.5)


def test_roles():
    texts = ["Armenia attacked.", "The attack by Armenia failed.", "Sanctions against Armenia failed.",
             "Armenia's army moved.", "Officials said Armenia would sign; then, according to Armenia, it did.",
             "Talks with Armenia continued."]
    sentences = sentences_of(texts)
    dense, _, _ = T.target_features(sentences, T.find_mentions(sentences, {"Armenia": "Armenia"}))
    assert dense["role"].tolist() == ["subject", "agent", "against", "possessor", "other", "speaker", "other"]


def test_context_words_are_side_marked_and_distance_weighted():
    sentences = sentences_of(["The brave Armenia army won."])
    _, context, _ = T.target_features(sentences, T.find_mentions(sentences, ["Armenia"]), k=2)
    values = dict(zip(context["feature"], context["value"]))
    assert values == {"L_brave": 1.0, "L_the": pytest.approx(1 / (1 + 1 / 3)), "R_army": 1.0,
                      "R_won": pytest.approx(1 / (1 + 1 / 3))}


def test_two_actors_with_opposite_sentiment_in_one_sentence():
    texts = ["Azerbaijan praised the brave soldiers, while Armenia committed terrible war crimes.",
             "Armenia praised the brave soldiers, while Azerbaijan committed terrible war crimes."]
    scored = T.score_targets(sentences_of(texts)).set_index(["doc_id", "actor"])["target_score"]
    assert scored[(0, "Azerbaijan")] > 0 > scored[(0, "Armenia")]
    assert scored[(1, "Armenia")] > 0 > scored[(1, "Azerbaijan")]


def test_score_targets_output():
    sentences = sentences_of(["Armenia is good.", "Nothing to see."])
    mentions = T.find_mentions(sentences)
    scored = T.score_targets(sentences, mentions)
    assert len(scored) == 1
    row = scored.iloc[0]
    assert row["p_negative"] + row["p_neutral"] + row["p_positive"] == pytest.approx(1)
    assert row["target_score"] == pytest.approx(row["p_positive"] - row["p_negative"])
    assert row["target_label"] in ("negative", "neutral", "positive")
    pd.testing.assert_frame_equal(scored, T.score_targets(sentences, actors=None))
    empty = T.score_targets(sentences, mentions.iloc[:0])
    assert empty.empty and "target_score" in empty
    with pytest.raises(ValueError, match="not found"):
        T.score_targets(sentences, mentions.assign(doc_id=99))


def test_evidence_lists_the_words_near_a_mention():
    sentences = sentences_of(["Armenia committed terrible crimes, officials said."])
    evidence = T.target_evidence(sentences, T.find_mentions(sentences, ["Armenia"]))
    lexical = evidence[evidence["kind"] == "lexicon word (VADER)"].set_index("word")
    assert lexical.at["terrible", "value"] == -2.1 and lexical.at["terrible", "distance"] == 2
    assert (evidence["kind"] == "context word").any()


def test_stat_targets_by_hand():
    targeted = pd.DataFrame({"doc_id": [1, 1, 2, 3], "actor": ["A", "A", "A", "B"],
                             "target_score": [0.5, -0.1, 0.2, -0.4],
                             "target_label": ["positive", "neutral", "positive", "negative"]})
    table = T.stat_targets(targeted, n_boot=200).set_index("actor")
    assert table.at["A", "n_mentions"] == 3 and table.at["A", "n_documents"] == 2
    assert table.at["A", "mean"] == pytest.approx(0.2)
    assert table.at["A", "share_positive"] == pytest.approx(2 / 3)
    assert table.at["A", "ci_low"] <= 0.2 <= table.at["A", "ci_high"]
    assert np.isnan(table.at["B", "ci_low"])
    assert T.stat_targets(targeted.iloc[:0]).empty


def test_read_target_ratings_and_validate(tmp_path):
    path = tmp_path / "t.jsonl"
    rows = [{"sentence_normalized": "Armenia committed terrible crimes.",
             "targets": [{"from": 0, "to": 7, "mention": "Armenia", "polarity": 2.0}]},
            {"sentence_normalized": "Azerbaijan won a wonderful, brave victory and Armenia met.",
             "targets": [{"from": 0, "to": 10, "mention": "Azerbaijan", "polarity": 6.0},
                         {"from": 45, "to": 52, "mention": "Armenia", "polarity": 4.0}]}]
    pd.DataFrame(rows).to_json(path, orient="records", lines=True)
    sentences, mentions = T.read_target_ratings(path)
    assert mentions["gold"].tolist() == ["negative", "positive", "neutral"]
    assert mentions["start"].tolist() == [0, 0, 45]
    table = T.validate_targets(sentences, mentions).set_index("method")
    assert table.at["majority class", "accuracy"] == pytest.approx(1 / 3)
    assert set(table.index) == {"majority class", "sentence VADER compound", "sentence default score",
                                "targeted model"}
