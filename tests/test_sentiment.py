"""Sentence sentiment: scorers, evidence, default score, aggregates, arcs, agreement, validation helpers."""
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from corpus_tools import sentiment as S
from corpus_tools.vader import vader_reference


def toy_sentences(texts, doc_id="d1", in_quote=None):
    return pd.DataFrame({"doc_id": doc_id, "sent_id": range(len(texts)), "start": 0, "text": texts,
                         "n_tokens": [len(t.split()) for t in texts],
                         "in_quote": in_quote if in_quote is not None else [False] * len(texts)})


TEXTS = ["Azerbaijan is ready to normalize relations.", "The talks were not good.",
         "The war was a terrible tragedy, but peace is possible.", "“We are very grateful”, the minister said.",
         "The ministry issued a statement."]


def test_score_sentences_adds_columns_and_keeps_input():
    sentences = toy_sentences(TEXTS)
    before = sentences.copy()
    scored = S.score_sentences(sentences)
    pd.testing.assert_frame_equal(sentences, before)
    for column in ("vader_compound", "vader_pos", "vader_neu", "vader_neg", "textblob_polarity",
                   "textblob_subjectivity", "afinn_compound", "score", "label"):
        assert column in scored
    assert list(scored.columns[:len(sentences.columns)]) == list(sentences.columns)
    assert set(scored["label"]) <= {"negative", "neutral", "positive"}


def test_vader_column_equals_the_package_on_plain_quotes():
    scored = S.score_sentences(toy_sentences(TEXTS), scorers=["vader"], default=False)
    plain = [t.replace("“", '"').replace("”", '"') for t in TEXTS]
    assert scored["vader_compound"].tolist() == vader_reference(plain)["compound"].tolist()


def test_textblob_column_equals_textblob():
    from textblob import TextBlob
    scored = S.score_sentences(toy_sentences(TEXTS), scorers=["textblob"], default=False)
    for text, polarity, subjectivity in zip(TEXTS, scored["textblob_polarity"], scored["textblob_subjectivity"]):
        plain = text.replace("“", '"').replace("”", '"')
        assert TextBlob(plain).sentiment == (polarity, subjectivity)  # the same floats


def test_textblob_needs_no_nltk_data(tmp_path):
    code = ("from corpus_tools.sentiment import score_sentences; import pandas as pd; "
            "s = score_sentences(pd.DataFrame({'doc_id': [1], 'sent_id': [0], 'text': ['A very good day.']}), "
            "scorers=['textblob'], default=False); print(s['textblob_polarity'].iloc[0])")
    env = {**os.environ, "NLTK_DATA": str(tmp_path / "empty"), "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert float(out.stdout.strip()) == pytest.approx(0.91)  # 'very good': 0.7 x 1.3, by hand


def test_evidence_for_negation_but_intensifier_caps_and_quotes():
    texts = ["The talks were not good.", "The talks were good but the results are bad.",
             "The talks were very good.", "The talks were GOOD.", "“The talks don’t help”, he said."]
    evidence = S.score_evidence(toy_sentences(texts))
    vader = evidence[evidence["scorer"] == "vader"].groupby("sent_id")["rules"].apply(" | ".join)
    assert "negated by 'not'" in vader[0]
    assert "before 'but'" in vader[1] and "after 'but'" in vader[1]
    assert "booster 'very'" in vader[2]
    assert "ALL CAPS" in vader[3]
    assert "negated by 'don't'" in vader[4]  # curly apostrophe made plain before scoring
    blob = evidence[evidence["scorer"] == "textblob"].set_index("sent_id")
    assert "negated by 'not'" in blob.loc[0, "rules"] and blob.loc[0, "value"] == pytest.approx(-0.35)
    assert "intensifier 'very'" in blob.loc[2, "rules"]


def test_custom_scorers():
    mine = S.vader_scorer(lexicon={"ceasefire": 2.0}, name="mine")
    counted = S.function_scorer("length", len)
    scored = S.score_sentences(toy_sentences(["The ceasefire held.", "Talks."]), scorers=[mine, counted],
                               default=False)
    assert scored["mine_compound"].iloc[0] == round(2 / np.sqrt(4 + 15), 4)
    assert scored["length_score"].tolist() == [19.0, 6.0]
    S.register_scorer(counted)
    assert S.get_scorer("length") is counted
    with pytest.raises(KeyError, match="unknown scorer"):
        S.get_scorer("nope")


def test_default_score_is_the_documented_linear_model():
    scored = S.score_sentences(toy_sentences(TEXTS), default=False)
    by_hand = 0.1 + 0.5 * scored["vader_compound"] - 0.2 * scored["textblob_subjectivity"]
    model = {"intercept": 0.1, "vader_compound": 0.5, "textblob_subjectivity": -0.2}
    np.testing.assert_allclose(S.default_score(scored, model=model), np.clip(by_hand, -1, 1))
    assert S.default_score(scored, model={"intercept": 5.0}).eq(1.0).all()  # clipped to the scale
    weights, meta = S.default_model()
    features = S.score_features(scored)
    np.testing.assert_allclose(S.default_score(scored), np.clip(features[list(weights)] @ pd.Series(weights), -1, 1))
    for key in ("data_file", "split", "date", "metrics_held_out"):
        assert key in meta["provenance"]
    with pytest.raises(KeyError, match="unknown feature"):
        S.default_score(scored, model={"nonsense": 1.0})


def test_shared_vader_words_give_the_separate_scorers_results():
    texts = TEXTS + ["It is not good, but it is NOT terrible!!", "Really?? No way."]
    together = S.score_sentences(toy_sentences(texts), default=False)
    for name in ("vader", "afinn", "textblob_sum"):
        alone = S.score_sentences(toy_sentences(texts), scorers=[name], default=False)
        columns = [c for c in alone.columns if c.startswith(name + "_")]
        pd.testing.assert_frame_equal(alone[columns], together[columns], check_exact=True)
    from textblob.en import sentiment as textblob_sentiment
    emoji = ["So good 💘 and 😞!", "  Bad  news 😫 ", "Plain good."]  # VADER spells emoji out; TextBlob does not
    both = S.score_sentences(toy_sentences(emoji), scorers=["vader", "textblob"], default=False)
    assert both["textblob_polarity"].tolist() == [textblob_sentiment(t)[0] for t in emoji]
    assert both["vader_compound"].tolist() == vader_reference(emoji)["compound"].tolist()
    evidence = S.score_evidence(toy_sentences(texts), scorers=["vader", "afinn"])
    alone = S.score_evidence(toy_sentences(texts), scorers=["afinn"])
    pd.testing.assert_frame_equal(evidence[evidence["scorer"] == "afinn"].reset_index(drop=True), alone,
                                  check_exact=True)


def test_default_score_does_not_depend_on_the_other_sentences():
    texts = [f"{a} {b}" for a in TEXTS for b in ("It was a wonderful day!", "Nothing happened.", "War is terrible?")]
    together = S.score_sentences(toy_sentences(texts))
    one_by_one = pd.concat([S.score_sentences(toy_sentences([t])) for t in texts], ignore_index=True)
    assert together["score"].tolist() == one_by_one["score"].tolist()  # bit-identical, not approximately
    weights, _ = S.default_model()
    features = S.score_features(together)
    by_hand = [0.0] * len(texts)
    for feature, weight in weights.items():  # the documented order: feature by feature
        by_hand = [total + value * weight for total, value in zip(by_hand, features[feature])]
    assert together["score"].tolist() == np.clip(by_hand, -1, 1).tolist()


def test_cheap_features_by_hand():
    texts = ["It isn’t good.", "No.", "Nobody knows, but why?", "A butler came without notice", "Lo   two\u00a0words"]
    scored = S.score_sentences(toy_sentences(texts), default=False)
    features = S.score_features(scored)
    assert features["has_negation"].tolist() == [1.0, 1.0, 0.0, 1.0, 0.0]  # curly n’t counts; 'Nobody' does not
    assert features["has_but"].tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]  # 'butler' is not 'but'
    assert features["question"].tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]
    assert features["log_words"].tolist() == np.log1p([3.0, 1.0, 4.0, 5.0, 3.0]).tolist()


def test_cues_from_words_equal_the_regexes_on_whole_texts():
    """The cues are found per distinct word: equal to the regexes over each pandas-lower-cased text,
    for the public features and for score_sentences (words as the scorers split them, emoji included)."""
    rng = np.random.default_rng(4)
    pieces = ["no", "not", "NOT", "never", "without", "WİTHOUT", "n't", "don't", "but", "BUT", "abut", "but?", "?",
              "nobody", "İ", "ΟΔΟΣ", "😀", "no.", "(no)", "ok", "-", "'", "_no", "no_", "é", "but,but"]
    spaces = [" ", "  ", "\t", "\n", "\u00a0", "\x1c", ""]
    texts = ["".join(str(rng.choice(pieces)) + str(rng.choice(spaces)) for _ in range(rng.integers(0, 6)))
             for _ in range(1500)] + ["", "   "]
    lower = pd.Series(texts, dtype="str").str.lower().tolist()
    scored = S.score_sentences(toy_sentences(texts), default=False)
    features = S.score_features(scored)
    assert features["has_negation"].tolist() == [float(S._NEGATION.search(t) is not None) for t in lower]
    assert features["has_but"].tolist() == [float(S._BUT.search(t) is not None) for t in lower]
    assert features["question"].tolist() == [float("?" in t) for t in lower]
    assert features["log_words"].tolist() == np.log1p([float(len(t.split())) for t in texts]).tolist()
    assert S.score_sentences(toy_sentences(texts))["score"].tolist() == S.default_score(scored).tolist()


def test_default_score_orders_clear_sentences():
    scored = S.score_sentences(toy_sentences(["This is a wonderful, happy success.", "The meeting is on Monday.",
                                              "This is a horrible, tragic failure."]))
    assert scored["score"].iloc[0] > scored["score"].iloc[1] > scored["score"].iloc[2]
    assert scored["label"].tolist() == ["positive", "neutral", "negative"]


def test_stat_sentiment_by_hand():
    scored = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"], "score": [0.5, -0.5, 0.0, 1.0, 0.3],
                           "n_tokens": [1, 1, 2, 4, 3]})
    table = S.stat_sentiment(scored, band=0.05, n_boot=500).set_index("doc_id")
    assert table.at["a", "mean"] == 0.25
    assert table.at["a", "weighted_mean"] == (0.5 - 0.5 + 0 + 4) / 8
    assert (table.at["a", "share_positive"], table.at["a", "share_neutral"], table.at["a", "share_negative"]) \
        == (0.5, 0.25, 0.25)
    assert table.at["a", "ci_low"] <= 0.25 <= table.at["a", "ci_high"]
    assert np.isnan(table.at["b", "ci_low"])  # one sentence: no interval
    again = S.stat_sentiment(scored, band=0.05, n_boot=500)
    pd.testing.assert_frame_equal(table.reset_index(), again)  # seeded


def test_bootstrap_interval_matches_a_plain_loop():
    rng = np.random.default_rng(1)
    values = rng.normal(size=200)
    low, high = S.bootstrap_means(values, np.zeros(200, int), n_boot=2000, seed=3)
    loop = [rng.choice(values, 200).mean() for _ in range(2000)]
    assert low[0] == pytest.approx(np.quantile(loop, 0.025), abs=0.03)
    assert high[0] == pytest.approx(np.quantile(loop, 0.975), abs=0.03)
    const_low, const_high = S.bootstrap_means(np.full(5, 0.2), np.zeros(5, int), n_boot=50)
    assert const_low[0] == pytest.approx(0.2) and const_high[0] == pytest.approx(0.2)


def test_stat_voice_splits_quoted_and_narrative():
    scored = pd.DataFrame({"doc_id": "a", "score": [0.4, 0.2, -0.6], "in_quote": [True, True, False],
                           "n_tokens": 1})
    table = S.stat_voice(scored, n_boot=10).set_index("voice")
    assert table.at["quoted", "mean"] == pytest.approx(0.3) and table.at["narrative", "mean"] == -0.6


def test_stat_arc_by_hand():
    scored = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 2, "sent_id": [3, 0, 1, 2, 0, 1],
                           "score": [4.0, 1.0, 2.0, 3.0, -1.0, 1.0]})
    arc = S.stat_arc(scored, window=0.5)
    a = arc[arc["doc_id"] == "a"]
    assert a["position"].tolist() == [0.125, 0.375, 0.625, 0.875]
    assert a["rolling"].tolist() == [1.5, 2.0, 3.0, 3.5]
    b = arc[arc["doc_id"] == "b"]
    # 0.5 x 2 sentences = a window of one sentence: no smoothing
    assert b["position"].tolist() == [0.25, 0.75] and b["rolling"].tolist() == [-1.0, 1.0]
    bins = S.stat_arc_bins(arc, bins=2)
    assert bins["mean"].tolist() == [pytest.approx((1 + 2 - 1) / 3), pytest.approx((3 + 4 + 1) / 3)]


def test_agreement_and_disagreements():
    scored = pd.DataFrame({"vader_compound": [0.1, 0.2, 0.3, 0.4], "textblob_polarity": [0.1, 0.2, 0.3, -0.9],
                           "text": list("abcd")})
    table = S.stat_agreement(scored)
    assert table.iloc[0]["pearson"] == pytest.approx(np.corrcoef([0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, -0.9])[0, 1])
    worst = S.disagreements(scored, n=1)
    assert worst["text"].tolist() == ["d"] and worst["gap"].iloc[0] == 0.75
    ends = S.extremes(scored.assign(score=scored["vader_compound"]), n=1)
    assert ends["text"].tolist() == ["d", "a"]


def test_empty_and_one_sentence_inputs():
    empty = S.score_sentences(toy_sentences([]))
    assert empty.empty and "score" in empty
    assert S.stat_sentiment(empty).empty and list(S.stat_sentiment(empty).columns)[:2] == ["doc_id", "n_sentences"]
    assert S.stat_arc(empty).empty and S.stat_voice(empty).empty and S.score_evidence(toy_sentences([])).empty
    one = S.score_sentences(toy_sentences(["A good day."]))
    table = S.stat_sentiment(one)
    assert table["n_sentences"].tolist() == [1] and np.isnan(table["ci_low"].iloc[0])
    assert S.stat_arc(one)["position"].tolist() == [0.5]


def test_validation_helpers_on_a_toy_ratings_file(tmp_path):
    path = tmp_path / "ratings.tsv"
    pd.DataFrame({"id": ["1_1", "1_2", "2_1", "2_2", "3_1", "3_2"], "human_mean": [3.0, -3.0, 0.0, 2.0, -2.0, 0.1],
                  "text": ["A wonderful success.", "A horrible failure.", "The meeting is on Monday.",
                           "Good news.", "Bad news.", "The report was published."]}).to_csv(path, sep="\t", index=False)
    ratings = S.read_ratings(path)
    assert ratings["article"].tolist() == ["1", "1", "2", "2", "3", "3"]
    held = S.held_out_articles(ratings, share=1 / 3)
    assert held.sum() == 2 and ratings.loc[held, "article"].nunique() == 1
    table = S.validate_scores(S.score_sentences(ratings), "human_mean").set_index("score")
    assert table.at["vader_compound", "pearson"] > 0.9 and table.at["vader_compound", "n"] == 6
    assert table.at["vader_compound", "macro_f1"] == 1.0
