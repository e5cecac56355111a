"""corpus_tools.validate against published and hand-computed values."""
import numpy as np
import pytest
from scipy import stats

from corpus_tools.validate import (binary_scores, classification_scores, correlation, krippendorff_alpha,
                                   majority_baseline, three_class, to_three_class)

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 coders x 12 units example.
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]).T


def test_alpha_matches_krippendorffs_worked_example():
    assert krippendorff_alpha(KRIPPENDORFF_2011) == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(KRIPPENDORFF_2011, level="interval") == pytest.approx(0.849, abs=5e-4)


def test_alpha_hand_computed_two_coders():
    # units: (a,a) (a,b) (b,b) -> coincidences o_aa=2, o_ab=o_ba=1, o_bb=2; n_a=n_b=3, n=6
    # D_o = 2/6; D_e = 2*3*3/(6*5) = 0.6; alpha = 1 - (1/3)/0.6 = 4/9
    assert krippendorff_alpha([["a", "a"], ["a", "b"], ["b", "b"]]) == pytest.approx(4 / 9)


def test_alpha_perfect_agreement_and_unpairable_units():
    assert krippendorff_alpha([["x", "x"], ["y", "y"], ["z", None]]) == pytest.approx(1.0)
    assert np.isnan(krippendorff_alpha([["x", "x"], ["x", "x"]]))


def test_classification_scores_hand_computed():
    gold = ["pos", "pos", "neg", "neg", "neu"]
    pred = ["pos", "neg", "neg", "neg", "pos"]
    table = classification_scores(pred, gold, labels=["pos", "neg", "neu"]).set_index("label")
    # pos: tp1 fp1 fn1 -> P=R=F=.5; neg: tp2 fp1 fn0 -> P=2/3 R=1 F=.8; neu: tp0 fp0 fn1 -> P=0 R=0 F=0
    assert table.loc["pos", ["precision", "recall", "f1"]].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert table.loc["neg", ["precision", "recall", "f1"]].tolist() == pytest.approx([2 / 3, 1.0, 0.8])
    assert table.loc["neu", "f1"] == 0.0
    assert table.loc["macro", "f1"] == pytest.approx((0.5 + 0.8 + 0.0) / 3)
    assert table.loc["accuracy", "f1"] == pytest.approx(3 / 5)


def test_classification_scores_agree_with_scikit_learn():
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    rng = np.random.default_rng(3)
    gold = rng.choice(["a", "b", "c"], 200)
    pred = np.where(rng.random(200) < 0.6, gold, rng.choice(["a", "b", "c"], 200))
    table = classification_scores(pred, gold, labels=["a", "b", "c"]).set_index("label")
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=["a", "b", "c"])
    assert table.loc[["a", "b", "c"], "f1"].to_numpy() == pytest.approx(f)
    assert table.loc["macro", "f1"] == pytest.approx(f1_score(gold, pred, average="macro"))


def test_macro_f1_counts_a_label_predicted_but_never_in_gold():
    """F1 = 2TP / (2TP + FP + FN): c is predicted once and never gold, so its F1 is 0, not NaN (skipped)."""
    from sklearn.metrics import precision_recall_fscore_support

    gold, pred = ["a", "a", "b", "b"], ["a", "c", "b", "b"]
    table = classification_scores(pred, gold).set_index("label")
    # a: tp1 fp0 fn1 -> F = 2/3; b: tp2 -> F = 1; c: tp0 fp1 fn0 -> P = R = F = 0
    assert table.loc["c", ["precision", "recall", "f1"]].tolist() == [0.0, 0.0, 0.0]
    assert table.loc["macro", "f1"] == pytest.approx((2 / 3 + 1 + 0) / 3)  # was (2/3 + 1) / 2
    rng = np.random.default_rng(7)
    for _ in range(20):
        gold = rng.choice(["a", "b", "c", "d"], 30, p=[0.5, 0.3, 0.2, 0.0])  # d: predicted, never gold
        pred = np.where(rng.random(30) < 0.5, gold, rng.choice(["a", "b", "c", "d"], 30))
        macro = classification_scores(pred, gold).set_index("label").loc["macro", ["precision", "recall", "f1"]]
        expected = precision_recall_fscore_support(gold, pred, average="macro", zero_division=0)[:3]
        assert macro.tolist() == pytest.approx(expected)
    # a label with neither predictions nor gold cases stays NaN and out of the mean
    table = classification_scores(["a", "b"], ["a", "a"], labels=["a", "b", "z"]).set_index("label")
    assert np.isnan(table.loc["z", "f1"]) and table.loc["macro", "f1"] == pytest.approx((2 / 3 + 0) / 2)


def test_majority_baseline_and_binary():
    table = majority_baseline(["x", "x", "y"]).set_index("label")
    assert table.loc["accuracy", "f1"] == pytest.approx(2 / 3)
    assert table.loc["y", "recall"] == 0.0
    assert binary_scores([True, False, True], [True, True, False])["f1"] == pytest.approx(0.5)


def test_correlation_matches_scipy_and_ignores_nan():
    x = [1.0, 2.0, 3.0, 4.0, NAN]
    y = [2.0, 1.0, 4.0, 3.0, 9.0]
    result = correlation(x, y)
    assert result["n"] == 4
    assert result["pearson"] == pytest.approx(stats.pearsonr(x[:4], y[:4]).statistic)
    assert result["spearman"] == pytest.approx(0.6)
    assert np.isnan(correlation([1, 1, 1], [1, 2, 3])["pearson"])


def test_three_class_with_band():
    assert to_three_class([0.5, 0.01, -0.2]).tolist() == ["positive", "neutral", "negative"]
    result = three_class([0.5, 0.01, -0.2], [2.0, 0.1, 1.0], gold_band=0.5)
    assert result["accuracy"] == pytest.approx(2 / 3)
