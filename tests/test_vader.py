"""Batch VADER: hand-computed toy scores, evidence, and equality with the vaderSentiment package."""
import math

import numpy as np
import pandas as pd
import pytest

from corpus_tools.vader import C_INCR, N_SCALAR, B_INCR, score_vader, vader_lexicon, vader_reference

GOOD, BAD = 1.9, -2.5  # vader_lexicon.txt values, checked below


def compound(total: float) -> float:
    return round(total / math.sqrt(total * total + 15), 4)


def test_lexicon_is_the_package_file():
    lexicon = vader_lexicon()
    assert lexicon["good"] == GOOD and lexicon["bad"] == BAD and len(lexicon) > 7000


@pytest.mark.parametrize("text, total", [
    ("The food is good.", GOOD),
    ("The food is not good.", GOOD * N_SCALAR),
    ("The food is very good.", GOOD + B_INCR),
    ("The food is GOOD.", GOOD + C_INCR),
    ("The food is good but the service is bad.", GOOD * 0.5 + BAD * 1.5),
    ("The food is good!", GOOD + 0.292),
    ("", 0.0),
])
def test_compound_by_hand(text, total):
    assert score_vader([text])["compound"].iloc[0] == compound(total)


def test_shares_by_hand():
    row = score_vader(["The food is good."]).iloc[0]
    # pos = (1.9 + 1) / (2.9 + 3 neutral words); neu = 3 / 5.9
    assert row["pos"] == round(2.9 / 5.9, 3) and row["neu"] == round(3 / 5.9, 3) and row["neg"] == 0


def test_evidence_names_the_rules():
    texts = ["The food is not good.", "The food is very good.", "The food is GOOD.",
             "The food is good but the service is bad."]
    _, evidence = score_vader(texts, evidence=True)
    rules = evidence.groupby("row")["rules"].apply(" | ".join)
    assert "negated by 'not'" in rules[0]
    assert "booster 'very' (+0.293)" in rules[1]
    assert "ALL CAPS" in rules[2]
    assert "before 'but' (x0.5)" in rules[3] and "after 'but' (x1.5)" in rules[3]
    row3 = evidence[evidence["row"] == 3].set_index("word")
    assert row3.at["good", "value"] == GOOD * 0.5 and row3.at["bad", "value"] == BAD * 1.5
    assert list(evidence.columns) == ["row", "word_id", "word", "base", "value", "rules"]


def test_evidence_values_sum_to_the_score():
    texts = ["It was not a bad idea, but the plan is truly terrible and VERY sad!", "Peace and war."]
    scores, evidence = score_vader(texts, evidence=True)
    totals = evidence.groupby("row")["value"].sum()
    assert compound(totals[1]) == scores["compound"].iloc[1]


WRITTEN = [
    "VADER is smart, handsome, and funny.", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.", "At least it isn't a horrible book.",
    "The book was only kind of good.", "The plot was good, but the characters are uncompelling.",
    "Today SUX!", "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all", "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!", "Most automated sentiment analysis tools are shit.",
    "With VADER, sentiment analysis is the shit!", "Other sentiment analysis tools can be quite bad.",
    "On the other hand, VADER is quite bad ass", "VADER is such a badass!", "Without a doubt, excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.", "It is the kiss of death for the plan.",
    "No problem at all, no worries.", "NO deal.", "There is no good or bad answer.",
    "Azerbaijan is ready to normalize relations with Armenia.",
    "Evidence of Armenia's numerous war crimes was also revealed.",
    "The Patriotic War put an end to nearly 30 years of aggression.",
    "They did not reject the peace plan, but they hardly welcomed it.", "Really??? Are you sure???",
    "What a great, great day but a sad, sad night.", "good good but good good",
    "The talks were not very productive.", "The minister was deeply grateful and extremely happy.",
    "He barely survived the brutal attack.", "We don't like it, and we won't accept it.",
    "Nobody wins a war.", "The occupation ended; the displaced people returned home safely.",
    "“We commemorate with deep respect the memory of our martyrs”, the statement said.",
    "The ceasefire collapsed amid accusations of shelling.", "", "   ", "!!!", "...", "N/A",
    "The government’s decision isn’t fair.", "Hooray! Victory! Glory!", "It is sort of okay, kind of nice.",
    "Never so happy.", "It's not that they were never so brave.", "The bus stop is near.",
]


def test_equals_the_package_on_written_sentences():
    assert len(WRITTEN) >= 50
    ours, reference = score_vader(WRITTEN), vader_reference(WRITTEN)
    np.testing.assert_allclose(ours.to_numpy(), reference.to_numpy(), rtol=0, atol=1e-9)


def test_custom_lexicon_keeps_the_rules(tmp_path):
    path = tmp_path / "mine.csv"
    pd.DataFrame({"word": ["ceasefire", "shelling"], "value": [2.0, -3.0]}).to_csv(path, index=False)
    scores = score_vader(["The ceasefire held.", "The ceasefire did not hold; no shelling."], lexicon=path)
    assert scores["compound"].iloc[0] == compound(2.0)
    # 'no' right before 'shelling' negates it, and 'not' three words before negates it again
    assert scores["compound"].iloc[1] == compound(2.0 + -3.0 * N_SCALAR * N_SCALAR)
    reference = vader_reference(["The ceasefire did not hold; no shelling."], lexicon_file=path)
    assert reference["compound"].iloc[0] == scores["compound"].iloc[1]


def test_keeps_the_index_and_handles_nothing():
    series = pd.Series(["good", "bad"], index=[10, 20])
    assert list(score_vader(series).index) == [10, 20]
    assert score_vader([]).empty
    scores, evidence = score_vader([], evidence=True)
    assert scores.empty and evidence.empty


def test_shared_words_equal_separate_calls():
    from corpus_tools.sentiment import afinn_lexicon, textblob_lexicon
    from corpus_tools.vader import vader_words
    texts = WRITTEN + ["The talks were not good, but the ceasefire held!!", "Is it fair?? Really???"]
    words = vader_words(texts)
    for lexicon in (None, afinn_lexicon(), textblob_lexicon()):
        alone_scores, alone_evidence = score_vader(texts, lexicon=lexicon, evidence=True)
        shared_scores, shared_evidence = score_vader(texts, lexicon=lexicon, evidence=True, words=words)
        pd.testing.assert_frame_equal(alone_scores, shared_scores, check_exact=True)
        pd.testing.assert_frame_equal(alone_evidence, shared_evidence, check_exact=True)
    with pytest.raises(ValueError, match="built for"):
        score_vader(texts[:3], words=words)


def test_python_round_equals_round_on_halves_and_random_values():
    from corpus_tools.vader import python_round
    rng = np.random.default_rng(3)
    for digits in (3, 4):
        values = np.concatenate([rng.random(20_000) * 2 - 1, (np.arange(-3000, 3000) + 0.5) / 10 ** digits,
                                 [0.0, -0.0, -0.00004, 0.0005, 2.675, 1.0, np.inf, np.nan]])
        ours = python_round(values, digits)
        reference = np.array([round(v, digits) for v in values.tolist()])
        assert np.array_equal(ours, reference, equal_nan=True)
        assert np.array_equal(np.signbit(ours), np.signbit(reference))


def test_equals_the_package_on_random_sentences_with_but_and_repeated_words():
    rng = np.random.default_rng(8)
    words = ["good", "bad", "great", "sad", "but", "BUT", "not", "very", "the", "war", "peace", "happy", "kind",
             "of", "no", "never", "so", "hardly", "GOOD", "!", "?", "kiss", "death", "least", "at", "without", "doubt"]
    texts = [" ".join(rng.choice(words, size=rng.integers(1, 16))) for _ in range(1500)]
    ours, reference = score_vader(texts), vader_reference(texts)
    assert np.array_equal(ours.to_numpy(), reference.to_numpy())


def test_but_rule_with_changed_values_equal_to_others_equals_the_package(tmp_path):
    """Values whose halves or 1.5 times equal other values (the package's list.index then picks
    another word), mixed at random with 'but': the array path and the literal one."""
    path = tmp_path / "lexicon.txt"
    path.write_text("alpha\t2.0\nbeta\t1.0\ngamma\t3.0\ndelta\t-2.0\nepsilon\t-1.0\nzeta\t1.5\n", encoding="utf-8")
    rng = np.random.default_rng(11)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "but", "the", "not", "very"]
    texts = [" ".join(rng.choice(words, size=rng.integers(1, 9))) for _ in range(1500)]
    ours, reference = score_vader(texts, lexicon=str(path)), vader_reference(texts, lexicon_file=str(path))
    assert np.array_equal(ours.to_numpy(), reference.to_numpy())


def test_split_words_equals_str_split_and_factorize():
    """Arrow splits the ASCII texts; texts with other whitespace (\\x1c-\\x1f, Unicode spaces) or
    other characters, and lone surrogates (no UTF-8), are split by Python."""
    from corpus_tools.vader import split_words

    rng = np.random.default_rng(5)
    alphabet = list("ab.,'!") + list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2003\u3000") + ["é", "İ", "😀", "\u200b"]
    cases = [["".join(rng.choice(alphabet, size=rng.integers(0, 10))) for _ in range(rng.integers(0, 8))]
             for _ in range(2000)]
    cases += [[], [""], ["  "], ["a\ud800b c", "x"], ["ok fine", "\ud800"], ["a b", "c\x1cd", "é e"]]
    for texts in cases:
        codes, words, lengths = split_words(texts)
        expected_codes, expected_words = pd.factorize(np.array(" ".join(texts).split(), dtype=object))
        assert codes.dtype == expected_codes.dtype and codes.tolist() == expected_codes.tolist()
        assert words.dtype == expected_words.dtype and words.tolist() == expected_words.tolist()
        assert lengths.dtype == np.int64 and lengths.tolist() == [len(t.split()) for t in texts]
