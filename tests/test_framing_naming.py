"""Contested naming: hits per side and the alignment index, hand-computed."""
import numpy as np
import pandas as pd
import pytest

from corpus_tools.framing.naming import find_naming, load_naming_pairs, score_naming, stat_naming_terms
from corpus_tools.lexicons import LexiconError
from tests.framing_helpers import prepared


def test_alignment_index_hand_computed():
    corpus, sentences = prepared(
        "Shusha and Karabakh were liberated in the Patriotic War. Stepanakert is in Nagorno-Karabakh.",
        "Artsakh remembers the 44-day war.",
        "Nothing contested here.")
    hits = find_naming(sentences)
    scores = score_naming(hits, documents=corpus.documents).set_index("doc_id")
    # d0: az = Shusha, Karabakh, Patriotic War (3); am = Stepanakert (1); neutral = Nagorno-Karabakh (1)
    assert scores.loc["d0", ["side_a_hits", "side_b_hits", "other_hits", "hits"]].tolist() == [3, 1, 1, 5]
    assert scores.loc["d0", "alignment"] == pytest.approx((3 - 1) / 5)
    assert scores.loc["d1", "alignment"] == pytest.approx(-1.0)
    assert np.isnan(scores.loc["d2", "alignment"]) and scores.loc["d2", "hits"] == 0
    assert "Patriotic War (az) x1" in scores.loc["d0", "terms"]


def test_longest_name_wins():
    _, sentences = prepared("The 44-day Patriotic War and the Second Nagorno-Karabakh War.")
    hits = find_naming(sentences)
    assert hits["matched"].tolist() == ["44-day Patriotic War", "Second Nagorno-Karabakh War"]
    assert hits["category"].tolist() == ["az", "neutral"]


def test_user_pairs_for_another_conflict(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("concept,term,side\ncity,Kyiv,ua\ncity,Kiev,ru\n", encoding="utf-8")
    _, sentences = prepared("Kyiv, not Kiev. Kyiv again.")
    hits = find_naming(sentences, pairs=path)
    scores = score_naming(hits, side_a="ua", side_b="ru")
    assert scores["alignment"].item() == pytest.approx(1 / 3)
    assert stat_naming_terms(hits)["term"].tolist() == ["Kyiv", "Kiev"]


def test_bundled_pairs_are_valid_and_duplicates_rejected(tmp_path):
    table = load_naming_pairs().table
    assert {"az", "am", "neutral"} == set(table["side"])
    assert {"Karabakh", "Artsakh", "Khankendi", "Stepanakert", "Zangezur corridor"} <= set(table["term"])
    path = tmp_path / "dup.csv"
    path.write_text("concept,term,side\na,X,s\nb,X,t\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="line 3: duplicate term"):
        load_naming_pairs(path)


def test_no_hits_gives_rows_with_nan():
    corpus, sentences = prepared("Calm.")
    scores = score_naming(find_naming(sentences), documents=corpus.documents)
    assert scores["hits"].tolist() == [0] and scores["alignment"].isna().all()
    assert score_naming(pd.DataFrame(columns=["doc_id"])).empty


def test_term_lists_equal_a_join_per_group():
    """Terms per group, most used first and ties in term order, for plain and Categorical groups."""
    rng = np.random.default_rng(3)
    n = 200
    hits = pd.DataFrame({"doc_id": rng.choice(["d2", "d10", "d1"], n), "cue_id": "c",
                         "term": rng.choice(["Shusha", "Shushi", "Karabakh", "Artsakh"], n),
                         "category": rng.choice(["az", "am", "neutral"], n)})
    for table in (hits, hits.astype({"doc_id": "category"}), hits.iloc[:3]):
        got = score_naming(table).set_index("doc_id")["terms"]
        for doc, part in table.groupby("doc_id", observed=True):
            counts = (part["term"] + " (" + part["category"] + ")").value_counts()
            counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
            assert got[doc] == ", ".join(f"{t} x{c}" for t, c in counts.items())


def test_naming_legend_matches_the_bars_for_any_sides():
    """Sides of another conflict (ru/ua) get their own colours, neutral usage grey, and every legend
    entry has the colour of its side's bars (the legend was drawn from empty bars: one default colour)."""
    import pandas as pd
    from matplotlib.colors import to_hex

    from corpus_tools.framing import plot_naming

    terms = pd.DataFrame({"term": ["Donbass", "Kyiv", "occupied territories", "Kharkov"],
                          "side": ["ru", "ua", "international", "ru"], "hits": [10, 7, 2, 2]})
    ax = plot_naming(terms).axes[0]
    bars = {label.get_text().rsplit(" (", 1)[1][:-1]: to_hex(patch.get_facecolor())
            for label, patch in zip(ax.get_yticklabels(), ax.patches)}
    legend = {text.get_text(): to_hex(handle.get_facecolor())
              for text, handle in zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles)}
    assert legend == bars and len(set(bars.values())) == 3 and bars["international"] == "#999999"
