"""Collocation measures: hand-computed toy values and agreement with NLTK's BigramAssocMeasures."""
import math

import numpy as np
import pandas as pd
import pytest
from nltk.collocations import BigramCollocationFinder
from nltk.metrics import BigramAssocMeasures

from corpus_tools.collocation import COLLOCATE_COLUMNS, stat_collocates, stat_pair_associations
from corpus_tools.concordance import word_stream
from corpus_tools.pipeline import prepare_corpus

# Word stream: [peace talks border | army peace talks | border army]; N = 8, every f = 2.
TOY = "Peace talks border. Army peace talks. Border army."


def toy_tokens(*texts):
    return prepare_corpus(pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))],
                                        "text": list(texts)})).tokens


def test_node_window_hand_computed():
    table = stat_collocates(toy_tokens(TOY), "peace", window=(1, 1), drop_stopwords=False).set_index("collocate")
    # peace at 0 and 4: right of 0 -> talks; left of 4 -> army; right of 4 -> talks
    assert table["o11"].to_dict() == {"talks": 2, "army": 1}
    talks = table.loc["talks"]
    # R1 = f(peace) * span = 2 * 2 = 4; E11 = 4 * 2 / 8 = 1
    assert talks["e11"] == pytest.approx(1.0)
    assert talks["pmi"] == pytest.approx(1.0)  # log2(2 / 1)
    assert talks["t_score"] == pytest.approx(1 / math.sqrt(2))  # (2 - 1) / sqrt(2)
    assert talks["log_dice"] == pytest.approx(14.0)  # 14 + log2(2 * 2 / (2 + 2))
    # 2x2: O = 2, 2, 0, 4; E = 1, 3, 1, 3
    assert talks["chi2"] == pytest.approx(1 + 1 / 3 + 1 + 1 / 3)
    assert talks["g2"] == pytest.approx(2 * (2 * math.log(2) + 2 * math.log(2 / 3) + 4 * math.log(4 / 3)))
    assert table.loc["army", "log_dice"] == pytest.approx(13.0)
    assert table.loc["army", "pmi"] == pytest.approx(0.0)
    assert bool(talks["low_expected"])


def test_window_expected_and_sentence_boundaries():
    tokens = toy_tokens(TOY)
    actual = stat_collocates(tokens, "peace", window=(1, 1), expected="window").set_index("collocate")
    # three tokens really sit in the windows (peace opens the document): E11 = 3 * 2 / 8
    assert actual.loc["talks", "e11"] == pytest.approx(0.75)
    right = stat_collocates(tokens, "peace", window=(0, 2)).set_index("collocate")
    # "border" follows "talks" in sentence 1 only; sentence 2 ends after "talks"
    assert right["o11"].to_dict() == {"talks": 2, "border": 1}


def test_phrase_node_excludes_its_own_words():
    table = stat_collocates(toy_tokens(TOY), "peace talks", window=(1, 1))
    assert set(table["collocate"]) == {"border", "army"}
    assert (table["f_node"] == 2).all() and list(table.columns) == COLLOCATE_COLUMNS
    assert stat_collocates(toy_tokens(TOY), "ceasefire").empty


def test_node_with_right_window_one_equals_adjacent_pairs():
    tokens = toy_tokens("Peace talks resumed today. Peace talks failed. Talks about peace talks.")
    node = stat_collocates(tokens, "talks", window=(0, 1), drop_stopwords=False).set_index("collocate")
    pairs = stat_pair_associations(tokens)
    pairs = pairs[pairs["w1"] == "talks"].set_index("w2")
    for measure in ["o11", "e11", "pmi", "t_score", "chi2", "g2", "log_dice"]:
        assert node[measure].sort_index().to_numpy() == pytest.approx(pairs[measure].sort_index().to_numpy())


def test_agreement_with_nltk():
    pc = prepare_corpus("tests/data/multi")
    words = word_stream(pc.tokens)
    sentences = [list(g["lower"]) for _, g in words.groupby(["doc_id", "sent_id"], sort=False)]
    finder = BigramCollocationFinder.from_documents(sentences)
    ours = stat_pair_associations(pc.tokens)
    assert len(ours) == len(finder.ngram_fd)
    m = BigramAssocMeasures
    checks = {"pmi": m.pmi, "t_score": m.student_t, "chi2": m.chi_sq, "g2": m.likelihood_ratio}
    for row in ours.itertuples():
        for column, measure in checks.items():
            assert getattr(row, column) == pytest.approx(finder.score_ngram(measure, row.w1, row.w2),
                                                         rel=1e-9, abs=1e-9), (row.w1, row.w2, column)
        assert row.log_dice == pytest.approx(14 + math.log2(finder.score_ngram(m.dice, row.w1, row.w2)),
                                             rel=1e-9)
        assert row.o11 == finder.ngram_fd[(row.w1, row.w2)]


def test_pairs_in_wider_window_and_empty_input():
    tokens = toy_tokens(TOY)
    pairs = stat_pair_associations(tokens, window=2).set_index(["w1", "w2"])
    assert pairs.loc[("peace", "border"), "o11"] == 1  # two to the right, same sentence
    assert ("talks", "border") in pairs.index and ("talks", "army") not in pairs.index  # not across "."
    assert pairs.loc[("peace", "talks"), "r1"] == 4  # f(peace) * window
    assert stat_pair_associations(tokens.iloc[:0]).empty
    assert stat_collocates(tokens.iloc[:0], "peace").empty


def test_pair_counts_of_parts_sum_to_the_whole(multi_corpus):
    """count_pairs over disjoint sets of documents, summed, then score_pair_counts with the summed word
    frequencies, equals stat_pair_associations on the whole corpus (what the chunked engine relies on)."""
    from pandas.testing import assert_frame_equal

    from corpus_tools.collocation import count_pairs, score_pair_counts
    from corpus_tools.frequency import stat_frequency

    tokens = multi_corpus.tokens
    docs = tokens["doc_id"].unique()
    parts = [tokens[tokens["doc_id"].isin(docs[:2])], tokens[tokens["doc_id"].isin(docs[2:])]]
    summed = pd.concat([count_pairs(p) for p in parts]).groupby(["w1", "w2"], as_index=False)["o11"].sum()
    words = pd.concat([stat_frequency(p) for p in parts]).groupby("term")["n"].sum()
    got = score_pair_counts(summed, words, int(words.sum()), min_count=2)
    assert_frame_equal(got, stat_pair_associations(tokens, min_count=2), check_exact=True, check_dtype=False)
    assert len(got) > 5
    # scored partition by partition (disjoint pairs, as the engine's spill gives them): the same table
    partitions = (summed[summed["w1"].str.len() % 3 == k] for k in range(3))
    assert_frame_equal(score_pair_counts(partitions, words, int(words.sum()), min_count=2), got, check_exact=True)


def test_count_pairs_equals_plain_pandas():
    """Neighbours in a sentence's word stream counted with a groupby; one-word sentences make no pair."""
    from pandas.testing import assert_frame_equal

    from corpus_tools.collocation import count_pairs

    for tokens in (toy_tokens(TOY, "Talks, talks and peace talks.", "Border."), toy_tokens("Peace. War. Talks!")):
        words = word_stream(tokens)
        following = words.shift(-1)
        adjacent = (following["doc_id"] == words["doc_id"]) & (following["sent_id"] == words["sent_id"])
        pairs = pd.DataFrame({"w1": words["lower"][adjacent], "w2": following["lower"][adjacent]})
        expected = pairs.groupby(["w1", "w2"]).size().rename("o11").reset_index()
        got = count_pairs(tokens).sort_values(["w1", "w2"], ignore_index=True)
        assert_frame_equal(got, expected, check_exact=True, check_index_type=False)


def test_close_nodes_count_a_collocate_token_once():
    """Evert (2008, §3.1): a token in the windows of two node occurrences co-occurs once, so O11 <= f(y)."""
    tokens = toy_tokens("Army border army. Peace talks.")  # N = 5; border sits between the two armies
    span = stat_collocates(tokens, "army", window=(1, 1), drop_stopwords=False).set_index("collocate")
    border = span.loc["border"]
    assert border["o11"] == 1  # not 2
    # R1 = f(army) * 2 = 4, C1 = 1: O = 1, 3, 0, 1; E = 0.8, 3.2, 0.2, 0.8
    assert border["e11"] == pytest.approx(0.8)
    assert border["chi2"] == pytest.approx(0.05 + 0.0125 + 0.2 + 0.05)
    assert border["g2"] == pytest.approx(2 * (2 * math.log(1.25) + 3 * math.log(3 / 3.2)))
    assert border["log_dice"] == pytest.approx(14 + math.log2(2 / 3))
    window = stat_collocates(tokens, "army", window=(1, 1), expected="window", drop_stopwords=False)
    # the union of the windows is the one border token: R1 = 1, O = 1, 0, 0, 4
    assert window.set_index("collocate").loc["border", ["r1", "e11"]].tolist() == pytest.approx([1, 0.2])
    pairs = stat_pair_associations(toy_tokens("Army army border."), window=2).set_index(["w1", "w2"])
    assert pairs.loc[("army", "border"), "o11"] == 1  # border follows two armies within 2 words


def _random_tokens(seed):
    rng = np.random.default_rng(seed)
    vocabulary = np.array(["war", "peace", "talks", "army", "border", "truce", "state", "road"])
    weights = np.r_[0.3, 0.2, 0.1, [0.4 / 5] * 5]  # war and peace common: windows overlap
    texts = [". ".join(" ".join(rng.choice(vocabulary, rng.integers(1, 12), p=weights))
                       for _ in range(rng.integers(1, 8))) + "." for _ in range(3)]
    return toy_tokens(*texts)


def _windows_by_hand(words, node_positions, left, right):
    """Positions inside the union of the windows around ``node_positions`` (same sentence)."""
    key = list(zip(words["doc_id"], words["sent_id"]))
    return {j for i in node_positions for j in range(i - left, i + right + 1)
            if j != i and 0 <= j < len(words) and key[j] == key[i]}


@pytest.mark.parametrize("seed", range(6))
def test_every_cell_non_negative_on_random_texts(seed):
    """O11 <= min(R1, C1) always, and every cell >= 0 with Evert's window marginals; counts equal a
    set-based count of the union of the windows."""
    tokens = _random_tokens(seed)
    words = word_stream(tokens)
    lower = words["lower"].tolist()
    n = len(words)
    for left, right in [(1, 1), (4, 4), (0, 3), (2, 0)]:
        for expected in ["span", "window"]:
            table = stat_collocates(tokens, ["war", "peace"], window=(left, right), expected=expected,
                                    drop_stopwords=False)
            o11, r1, c1 = table["o11"], table["r1"], table["f_collocate"]
            cells = [o11, r1 - o11, c1 - o11, n - r1 - c1 + o11]
            assert (o11 <= np.minimum(r1, c1)).all()
            assert all((cell >= 0).all() for cell in (cells if expected == "window" else cells[:3]))
            if expected == "span":  # its last cell is negative only where f(x) x span nears N
                continue
            assert table[["chi2", "g2", "p_value"]].notna().all().all()
            for node, rows in table.groupby("node"):
                inside = _windows_by_hand(words, [i for i, w in enumerate(lower) if w == node], left, right)
                assert rows.set_index("collocate")["o11"].to_dict() == pd.Series(
                    [lower[j] for j in inside]).value_counts().to_dict()
                assert (rows["r1"] == len(inside)).all()
    for k in (2, 4):
        pairs = stat_pair_associations(tokens, window=k)
        assert (pairs["o11"] <= np.minimum(pairs["r1"], pairs["f_w2"])).all()
        by_hand = {}
        for w1 in set(lower):
            for j in _windows_by_hand(words, [i for i, w in enumerate(lower) if w == w1], 0, k):
                by_hand[(w1, lower[j])] = by_hand.get((w1, lower[j]), 0) + 1
        assert pairs.set_index(["w1", "w2"])["o11"].to_dict() == by_hand


def test_wider_windows_relate_to_nltk_by_the_span():
    """With a span of k positions NLTK divides the pair count by k and keeps f(w1) as the row total; with
    Evert's R1 = k f(w1) PMI agrees, the t-score is sqrt(k) times NLTK's and logDice 14 + log2(k dice),
    wherever NLTK counts no w2 token twice. Adjacent pairs are equal (test_agreement_with_nltk)."""
    words = word_stream(prepare_corpus("tests/data/multi").tokens)
    k = 3
    stream = []
    for _, sentence in words.groupby(["doc_id", "sent_id"], sort=False):
        stream += list(sentence["lower"]) + [None] * k  # padding: no window crosses a sentence
    finder = BigramCollocationFinder.from_words(stream, window_size=k + 1)
    ours = stat_pair_associations(words, window=k)
    same = ours[[row.o11 == finder.ngram_fd[(row.w1, row.w2)] for row in ours.itertuples()]]
    assert len(same) > 0.9 * len(ours) and len(same) < len(ours)  # some w2 tokens NLTK counts twice
    m = BigramAssocMeasures
    for row in same.itertuples():
        assert row.pmi == pytest.approx(finder.score_ngram(m.pmi, row.w1, row.w2), rel=1e-9)
        assert row.t_score == pytest.approx(math.sqrt(k) * finder.score_ngram(m.student_t, row.w1, row.w2),
                                            rel=1e-9, abs=1e-9)
        assert row.log_dice == pytest.approx(14 + math.log2(k * finder.score_ngram(m.dice, row.w1, row.w2)),
                                             rel=1e-9)
    assert (ours["log_dice"] < 14 + math.log2(2 * k / (k + 1))).all()
    # 14 bounds adjacent pairs only: both talks follow the one truce, 14 + log2(2 * 2 / (1 + 2))
    wide = stat_pair_associations(toy_tokens("Truce talks talks."), window=2).set_index(["w1", "w2"])
    assert wide.loc[("truce", "talks"), "log_dice"] == pytest.approx(14 + math.log2(4 / 3))
