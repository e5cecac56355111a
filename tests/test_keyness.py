"""Keyness statistics against hand-computed values and an independent implementation (scipy)."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from corpus_tools.association import adjust_p
from corpus_tools.frequency import select_tokens
from corpus_tools.keyness import (GENERAL_ENGLISH_SIZE, KEYNESS_COLUMNS, comparable_forms, read_frequency_list,
                                  reference_general_english, score_keyness, stat_keyness,
                                  stat_keyness_general_english, stat_keyness_groups)
from corpus_tools.pipeline import prepare_corpus


def test_hand_computed_values():
    # a = 10 of c = 1,000 target tokens; b = 20 of d = 10,000 reference tokens.
    # E1 = 1000 * 30 / 11000 = 2.727273, E2 = 27.272727
    # G2 = 2 (10 ln(10 / 2.727273) + 20 ln(20 / 27.272727)) = 2 (12.992830 - 6.203100) = 13.579460
    row = score_keyness([10], [20], 1000, 10000).iloc[0]
    assert row["expected_target"] == pytest.approx(2.7272727, rel=1e-6)
    assert row["expected_reference"] == pytest.approx(27.272727, rel=1e-6)
    assert row["g2"] == pytest.approx(13.57946, rel=1e-5)
    assert row["log_ratio"] == pytest.approx(math.log2(5))  # (10/1000) / (20/10000) = 5
    assert row["pct_diff"] == pytest.approx(400.0)  # 100 (0.01 - 0.002) / 0.002
    assert row["bic"] == pytest.approx(13.57946 - 9.305651, rel=1e-5)  # ln(11,000) = 9.305651
    assert row["rate_target"] == pytest.approx(10.0) and row["rate_reference"] == pytest.approx(2.0)
    assert row["direction"] == "over" and row["keyness"] == pytest.approx(row["g2"])
    assert bool(row["low_expected"])  # E1 = 2.73 < 5
    assert row["p_value"] == pytest.approx(math.erfc(math.sqrt(row["g2"] / 2)))  # chi2(1) upper tail


def test_four_term_g2_and_chi2_match_scipy():
    a, b, c, d = 10, 20, 1000, 10000
    table = np.array([[a, b], [c - a, d - b]])
    row = score_keyness([a], [b], c, d).iloc[0]
    g2, *_ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    x2, *_ = chi2_contingency(table, correction=False)
    assert row["g2_4term"] == pytest.approx(g2, rel=1e-10)
    assert row["chi2"] == pytest.approx(x2, rel=1e-10)
    assert row["g2_4term"] > row["g2"]  # the 4-term form adds the "other words" cells


def test_zero_counts_and_under_use():
    rows = score_keyness([0, 3], [5, 0], 100, 100)
    # a = 0 -> 0.5: log2((0.5/100) / (5/100)) = log2(0.1)
    assert rows.loc[0, "log_ratio"] == pytest.approx(math.log2(0.1))
    assert rows.loc[0, "pct_diff"] == pytest.approx(-100.0)
    assert rows.loc[0, "direction"] == "under" and rows.loc[0, "keyness"] < 0
    # b = 0 -> 0.5: log2((3/100) / (0.5/100)) = log2(6); %DIFF divides by 1e-18
    assert rows.loc[1, "log_ratio"] == pytest.approx(math.log2(6))
    assert rows.loc[1, "pct_diff"] == pytest.approx(100 * 0.03 / 1e-18)
    # G2 with a zero cell: 2 * 3 ln(3 / 1.5) = 6 ln 2
    assert rows.loc[1, "g2"] == pytest.approx(6 * math.log(2))
    assert rows["zero_adjusted"].all()


def test_multiple_testing_corrections():
    p = [0.01, 0.04, 0.03, 0.5]
    assert adjust_p(p, "bonferroni") == pytest.approx([0.04, 0.16, 0.12, 1.0])
    # BH: ranks 1..4 of (0.01, 0.03, 0.04, 0.5) -> 0.04, 0.06, 0.0533, 0.5, made monotone
    assert adjust_p(p, "bh") == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])
    with pytest.raises(ValueError):
        adjust_p(p, "holm")


def test_stat_keyness_tables_and_totals():
    target = pd.DataFrame({"term": ["peace", "war", "the"], "n": [6, 1, 13]})
    reference = pd.DataFrame({"term": ["peace", "war", "the", "truce"], "n": [2, 30, 60, 8]})
    table = stat_keyness(target, reference, exclude={"the"}, correction="bonferroni")
    assert list(table.columns) == KEYNESS_COLUMNS
    assert "the" not in set(table["term"])  # excluded after totals were taken
    peace = table.set_index("term").loc["peace"]
    expected = score_keyness([6], [2], 20, 100).iloc[0]  # totals include 'the'
    assert peace["g2"] == pytest.approx(expected["g2"])
    # truce: absent from the target, E1 = 20 * 8 / 120 = 1.33 >= 1 -> kept, as under-use
    assert table.set_index("term").loc["truce", "direction"] == "under"
    assert table.set_index("term").loc["peace", "p_adjusted"] == pytest.approx(
        min(1, peace["p_value"] * len(table)))
    assert table["keyness"].is_monotonic_decreasing
    # a larger min_expected drops the absent term
    assert "truce" not in set(stat_keyness(target, reference, min_expected=2)["term"])
    assert stat_keyness(target.iloc[:0], reference).empty


def test_general_english_reference():
    import wordfreq
    listed = wordfreq.get_frequency_dict("en")
    ref = reference_general_english(size=1000).set_index("term")["n"]
    # the corpus tokeniser splits "it's" into "it" + "'s": its share is added to "it"
    assert "it's" not in ref.index
    assert ref["it"] == pytest.approx(1000 * sum(v for k, v in listed.items()
                                                 if k == "it" or (k.startswith("it") and k[2:] in ("'s",))), rel=0.05)
    assert ref["it"] > listed["it"] * 1000
    # hyphenated compounds cannot be compared (wordfreq splits them)
    assert comparable_forms(["can-do", "azerbaijan", "1993"]).isna().tolist() == [True, False, True]
    target = pd.DataFrame({"term": ["azerbaijan", "the", "can-do", "1993"], "n": [16, 30, 3, 1]})
    table = stat_keyness_general_english(target)
    assert {"can-do", "1993", "the"}.isdisjoint(table["term"])
    row = table.set_index("term").loc["azerbaijan"]
    b = ref["azerbaijan"] * GENERAL_ENGLISH_SIZE / 1000
    # totals: the comparable forms only (azerbaijan 16 + the 30); stopwords stay in the totals
    assert row["g2"] == pytest.approx(score_keyness([16], [b], 46, ref.sum() * GENERAL_ENGLISH_SIZE / 1000).iloc[0]["g2"], rel=1e-3)
    with_stop = stat_keyness_general_english(target, include_stopwords=True)
    assert "the" in set(with_stop["term"])
    grouped = stat_keyness_general_english(target.assign(side="a"), group="side")
    assert set(grouped["side"]) == {"a"}


def test_group_keyness_matches_pairwise():
    pc = prepare_corpus(pd.DataFrame({
        "doc_id": ["a1", "a2", "b1"], "side": ["az", "az", "am"],
        "text": ["Liberated Shusha. Liberated lands.", "Shusha is liberated.", "Occupied Shushi and Shushi."]}))
    words = select_tokens(pc.tokens, pc.sentences)
    table = stat_keyness_groups(words, group="side", documents=pc.documents)
    az = table[table["side"] == "az"].set_index("term")
    # liberated: 3 of 7 az words (liberated x3, shusha x2, lands, is); 0 of 4 am words
    assert az.loc["liberated", "n_target"] == 3 and az.loc["liberated", "n_reference"] == 0
    assert az.loc["liberated", "g2"] == pytest.approx(score_keyness([3], [0], 7, 4).iloc[0]["g2"])
    am = table[table["side"] == "am"].set_index("term")
    assert am.loc["shushi", "direction"] == "over"
    # liberated is absent from 'am' but expected 4 * 3 / 11 = 1.09 >= 1: listed as under-use
    assert am.loc["liberated", "n_target"] == 0 and am.loc["liberated", "direction"] == "under"
    one_group = stat_keyness_groups(words[words["doc_id"] != "b1"], group="side", documents=pc.documents)
    assert one_group.empty and "side" in one_group.columns


def test_read_frequency_list(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("term,n\nPeace,3\npeace,2\nwar,7\n", encoding="utf-8")
    table = read_frequency_list(path)
    assert table.set_index("term")["n"].to_dict() == {"peace": 5, "war": 7}
    bad = tmp_path / "bad.tsv"
    bad.write_text("word\tcount\nwar\t7\npeace\tmany\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.tsv, line 3"):
        read_frequency_list(bad, term_column="word", count_column="count")
    with pytest.raises(ValueError, match="no column 'term'"):
        read_frequency_list(bad)


def _g2_50_digits(a, b, c, d, cells):
    """G2 over the first ``cells`` (2 or 4) cells of the table ``a, b, c - a, d - b``, in exact
    rationals and 50-digit decimal logarithms: the reference for the floating-point forms."""
    from decimal import Decimal, localcontext
    from fractions import Fraction

    a, b, c, d = (Fraction(x) for x in (a, b, c, d))
    n = c + d
    table = [(a, c * (a + b) / n), (b, d * (a + b) / n),
             (c - a, c * (n - a - b) / n), (d - b, d * (n - a - b) / n)]
    with localcontext() as context:
        context.prec = 50
        dec = lambda f: Decimal(f.numerator) / Decimal(f.denominator)  # noqa: E731
        return float(2 * sum(dec(o) * (dec(o).ln() - dec(e).ln()) for o, e in table[:cells] if o))


@pytest.mark.parametrize("a", [3, 50, 1000])
@pytest.mark.parametrize("target", [10_000, 1_000_000])
@pytest.mark.parametrize("g2", [1e-3, 0.1, 4.0])
def test_g2_exact_against_a_reference_of_a_billion_tokens(a, target, g2):
    """Near independence with cells near 1e9 (the general-English reference) the 2- and 4-term G2 and the
    collocation G2 (the same 2x2 table) agree with a 50-digit computation to 1e-12; ``xlogy(o, o) -
    xlogy(o, e)`` was off by up to ~1e-3 there."""
    from corpus_tools.collocation import score_association

    d = GENERAL_ENGLISH_SIZE
    b = round(a * d / target + math.sqrt(g2 * a) * d / target)  # G2 about g2
    row = score_keyness([a], [b], target, d).iloc[0]
    two, four = _g2_50_digits(a, b, target, d, 2), _g2_50_digits(a, b, target, d, 4)
    assert row["g2"] == pytest.approx(two, rel=1e-12)
    assert row["g2_4term"] == pytest.approx(four, rel=1e-12)
    assert score_association([a], a + b, target, target + d, 1, 1)["g2"][0] == pytest.approx(four, rel=1e-12)


@pytest.mark.parametrize("blank", [np.nan, ""])
def test_blank_group_values_read_none(multi_corpus, blank):
    from corpus_tools.keyness import stat_keyness_groups

    documents = multi_corpus.documents.assign(side=multi_corpus.documents["side"].astype(object))
    documents.loc[documents.index[0], "side"] = blank
    table = stat_keyness_groups(multi_corpus.tokens, group="side", documents=documents)
    assert set(table["side"]) == {"(none)", "am", "az"}
