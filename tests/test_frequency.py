"""Frequency lists, n-grams, TF-IDF and dispersion on toy corpora with hand-computed values."""
import json
import math

import numpy as np
import pandas as pd
import pytest

from pandas.testing import assert_frame_equal

from corpus_tools.concordance import word_stream
from corpus_tools.frequency import (FREQUENCY_COLUMNS, count_terms, document_codes, select_tokens, stat_dispersion,
                                    stat_frequency, stat_ngrams, stat_positions, stat_tfidf, take_column, with_group)
from corpus_tools.pipeline import prepare_corpus
from tests.helpers import MULTI, SEEDS, error_outputs, markdown_of, run_notebook


@pytest.fixture
def two_docs():
    # d1 words: peace talks peace now (4); d2 words: war talks (2)
    return prepare_corpus(pd.DataFrame({"doc_id": ["d1", "d2"], "side": ["a", "b"],
                                        "text": ["Peace talks. Peace, now!", "War talks."]}))


def test_frequency_counts_rates_and_document_frequency(two_docs):
    table = stat_frequency(two_docs.tokens).set_index("term")
    assert list(stat_frequency(two_docs.tokens).columns) == FREQUENCY_COLUMNS
    assert table.loc["peace", "n"] == 2 and table.loc["peace", "rate_per_1000"] == pytest.approx(2000 / 6)
    assert table.loc["peace", "doc_freq"] == 1 and table.loc["peace", "doc_share"] == 0.5
    assert table.loc["talks", "doc_freq"] == 2 and table.loc["talks", "doc_share"] == 1.0
    assert "," not in table.index and "!" not in table.index


def test_frequency_by_group_and_stopwords(two_docs):
    by_side = stat_frequency(two_docs.tokens, group="side", documents=two_docs.documents)
    a = by_side[by_side["side"] == "a"].set_index("term")
    assert a.loc["peace", "rate_per_1000"] == pytest.approx(500.0)  # 2 of 4 words of side a
    assert list(by_side.columns[:2]) == ["side", "term"]
    tokens = prepare_corpus(pd.DataFrame({"doc_id": ["x"], "text": ["The war and the peace."]})).tokens
    content = stat_frequency(tokens, drop_stopwords=True).set_index("term")
    assert set(content.index) == {"war", "peace"}
    assert content.loc["war", "rate_per_1000"] == pytest.approx(200.0)  # stopwords stay in the denominator
    with pytest.raises(ValueError):
        stat_frequency(tokens, group="side")


def test_grouping_by_a_token_column_counts_a_document_in_each_of_its_groups():
    # d1: "the peace" (stopword + content), d2: "war" (content only); group is_stop is per token
    tokens = prepare_corpus(pd.DataFrame({"doc_id": ["d1", "d2"], "text": ["The peace.", "War."]})).tokens
    table = stat_frequency(tokens, group="is_stop").set_index(["is_stop", "term"])
    assert table.loc[(True, "the"), "doc_share"] == 1.0  # 1 of the 1 document with stopwords
    assert table.loc[(False, "peace"), "doc_share"] == 0.5  # d1 counts among content documents too
    assert table.loc[(False, "war"), "doc_share"] == 0.5


def test_lemmas_and_captions():
    pc = prepare_corpus(pd.DataFrame({"doc_id": ["x"], "text": ["Soldiers marched. A soldier rested."]}))
    lemmas = stat_frequency(pc.tokens, by="lemma").set_index("term")
    assert lemmas.loc["soldier", "n"] == 2
    seed = prepare_corpus("seeds")
    kept = select_tokens(seed.tokens, seed.sentences)
    caption = seed.sentences[seed.sentences["is_caption"]]
    assert len(caption) and not kept.set_index(["doc_id", "sent_id"]).index.isin(
        caption.set_index(["doc_id", "sent_id"]).index).any()
    assert not kept["is_punct"].any()


def test_ngrams_respect_sentences_and_punctuation():
    tokens = prepare_corpus(pd.DataFrame({"doc_id": ["x"], "text": [
        "Territorial integrity matters. Territorial integrity, again and again."]})).tokens
    bigrams = stat_ngrams(tokens, n=2, min_count=1).set_index("term")
    assert bigrams.loc["territorial integrity", "n"] == 2
    assert bigrams.loc["territorial integrity", "rate_per_1000"] == pytest.approx(2000 / 8)
    assert "matters territorial" not in bigrams.index  # sentence boundary
    assert "integrity again" not in bigrams.index  # comma
    assert "again and" not in bigrams.index  # edge stopword
    every = stat_ngrams(tokens, n=3, min_count=1, drop_stopwords="none")
    assert "again and again" in set(every["term"])
    assert "again and again" not in set(stat_ngrams(tokens, n=3, min_count=1, drop_stopwords="any")["term"])
    assert stat_ngrams(tokens, n=2)["n"].min() >= 2
    assert stat_ngrams(tokens.iloc[:1], n=2).empty


def test_tfidf_like_tidytext(two_docs):
    table = stat_tfidf(two_docs.tokens).set_index(["doc_id", "term"])
    # peace: tf = 2/4 in d1, in 1 of 2 documents -> idf = ln 2
    assert table.loc[("d1", "peace"), "tf"] == 0.5
    assert table.loc[("d1", "peace"), "idf"] == pytest.approx(math.log(2))
    assert table.loc[("d1", "peace"), "tf_idf"] == pytest.approx(0.5 * math.log(2))
    assert table.loc[("d2", "talks"), "tf_idf"] == 0  # in every document
    assert stat_tfidf(two_docs.tokens.iloc[:0]).empty


def test_dispersion_hand_computed():
    # doc A: 6 words with 3 x "peace"; doc B: 4 words with 1 x "peace" and 1 x "truce"
    pc = prepare_corpus(pd.DataFrame({"doc_id": ["A", "B"], "text": [
        "Peace came. Peace stayed. Peace won.", "Peace or truce here."]}))
    table = stat_dispersion(pc.tokens, ["peace", "truce"]).set_index("term")
    # s = (0.6, 0.4); v(peace) = (0.75, 0.25): DP = 0.5 (0.15 + 0.15); DP_norm = 0.15 / (1 - 0.4)
    assert table.loc["peace", "dp"] == pytest.approx(0.15)
    assert table.loc["peace", "dp_norm"] == pytest.approx(0.25)
    # relative frequencies 3/6 and 1/4: mean 0.375, SD 0.125, V = 1/3, D = 1 - V / sqrt(1)
    assert table.loc["peace", "juilland_d"] == pytest.approx(2 / 3)
    # truce only in B: v = (0, 1): DP = 0.5 (0.6 + 0.6); D = 1 - 1 = 0
    assert table.loc["truce", "dp"] == pytest.approx(0.6)
    assert table.loc["truce", "juilland_d"] == pytest.approx(0.0)
    assert table.loc["peace", "range"] == 2 and table.loc["truce", "range"] == 1
    # all terms at once agree with the listed ones
    everything = stat_dispersion(pc.tokens).set_index("term")
    assert everything.loc["peace", "dp"] == pytest.approx(0.15)
    # equal slices of one document: 10 words in 2 parts of 5
    slices = stat_dispersion(pc.tokens[pc.tokens["doc_id"] == "A"], ["peace"], parts=2)
    assert slices.loc[0, "parts"] == 2 and slices.loc[0, "n"] == 3
    assert np.isnan(stat_dispersion(pc.tokens, ["peace"], parts=1).loc[0, "juilland_d"])


def test_positions(two_docs):
    pos = stat_positions(two_docs.tokens, ["peace", "talks"])
    d1 = pos[(pos["doc_id"] == "d1") & (pos["term"] == "peace")]
    assert list(d1["position"]) == [0, 2] and list(d1["relative"]) == [0, 0.5]
    assert stat_positions(two_docs.tokens, ["ceasefire"]).empty


def grouped_corpus():
    """Documents with a side (one missing) and a source; one document is not in the documents table."""
    texts = ["Peace talks. Peace, now!", "War talks, war.", "Talks? No talks.", "Peace and war!", "Now, peace."]
    corpus = prepare_corpus(pd.DataFrame({"doc_id": [f"d{i}" for i in range(5)], "text": texts}))
    documents = pd.DataFrame({"doc_id": ["d0", "d1", "d2", "d3"], "side": ["b", "a", None, "a"],
                              "source": ["x", "y", "x", "x"], "year": [2020, 2021, 2020, 2021]})
    return corpus.tokens, documents


def reference_counts(tokens, group, documents):
    """count_terms by plain pandas: Series.map per token, missing group values labelled "(none)",
    groupby, sort by group (numbers before strings), n (descending), term."""
    from corpus_tools.tables import group_labels

    groups = [] if group is None else [group] if isinstance(group, str) else list(group)
    words = word_stream(tokens)
    lookup = documents.drop_duplicates("doc_id").set_index("doc_id")
    words = words.assign(**{g: words["doc_id"].map(lookup[g]) for g in groups if g not in words})
    words = words.assign(**{g: group_labels(words[g]) for g in groups})
    counts = (words.groupby([*groups, "lower"], sort=False, dropna=False)
              .agg(n=("doc_id", "size"), doc_freq=("doc_id", "nunique")).reset_index()
              .rename(columns={"lower": "term"}))

    def rank(column):
        return column.map(lambda v: (isinstance(v, str), v)) if column.name in groups else column
    counts = counts.sort_values([*groups, "n", "term"], ascending=[*[True] * len(groups), False, True],
                                kind="stable", key=rank).reset_index(drop=True)
    if not groups:
        return counts, pd.DataFrame({"words": [len(words)], "docs": [words["doc_id"].nunique()]})
    return counts, words.groupby(groups, sort=False, dropna=False).agg(
        words=("doc_id", "size"), docs=("doc_id", "nunique")).reset_index()


@pytest.mark.parametrize("group", [None, "side", "year", ["side", "source"], "is_stop", ["side", "is_stop"]])
@pytest.mark.parametrize("interleaved", [False, True])
def test_count_terms_equals_plain_pandas(group, interleaved):
    """Groups of documents (grouped once per document), of tokens, and both; documents in runs and
    interleaved (document codes from the runs' first doc_ids, or hashed per token)."""
    tokens, documents = grouped_corpus()
    if interleaved:
        tokens = tokens.sample(frac=1, random_state=1).reset_index(drop=True)
    counts, totals = count_terms(tokens, group=group, documents=documents)
    expected_counts, expected_totals = reference_counts(tokens, group, documents)
    assert_frame_equal(counts, expected_counts, check_exact=True)
    assert_frame_equal(totals, expected_totals, check_exact=True)
    frequency = stat_frequency(tokens, group=group, documents=documents)
    assert_frame_equal(frequency[counts.columns], counts, check_exact=True)
    empty_counts, empty_totals = count_terms(tokens.iloc[:0], group=group, documents=documents)
    assert empty_counts.empty and list(empty_counts.columns) == list(counts.columns)
    assert list(empty_totals.columns) == list(totals.columns) and len(empty_totals) == (group is None)


def test_with_group_equals_series_map():
    tokens, documents = grouped_corpus()
    for doc_id in (tokens["doc_id"].astype(object).where(tokens["token_id"] != 1, None),  # missing doc_ids
                   tokens["doc_id"].astype("str"), tokens["doc_id"].astype("category")):
        part = tokens.assign(doc_id=doc_id)
        looked_up, groups = with_group(part, ["side", "year", "is_stop"], documents)
        lookup = documents.set_index("doc_id")
        expected = part.assign(side=part["doc_id"].map(lookup["side"]), year=part["doc_id"].map(lookup["year"]))
        assert groups == ["side", "year", "is_stop"]
        assert_frame_equal(looked_up, expected, check_exact=True)


@pytest.mark.parametrize("values", [["a", "a", "b", "b", "a", "c"], ["a", None, None, "b", np.nan, "a"], [],
                                    [3, 3, 1, 3]])
def test_document_codes_equal_factorize(values):
    for doc_id in (pd.Series(values, dtype=object), pd.Series(values, dtype=object).iloc[::-1],
                   pd.Series(values, dtype="str" if not values or isinstance(values[0], str) else "int64")):
        codes, keys = document_codes(doc_id)
        expected_codes, expected_keys = pd.factorize(doc_id)
        assert codes.tolist() == expected_codes.tolist() and keys.equals(expected_keys)


@pytest.mark.parametrize("values", [["b", "a", "c"], ["b", np.nan, "c"], ["b", 2, None], [5, 7, 9]])
def test_take_column_stores_as_a_dataframe_column(values):
    values = np.array(values, dtype=object if isinstance(values[0], str) else None)
    for codes in (np.array([2, 0, 0, 2]), np.array([1]), np.zeros(0, np.int64)):
        assert_frame_equal(pd.DataFrame({"x": take_column(values, codes)}), pd.DataFrame({"x": values[codes]}),
                           check_exact=True)


@pytest.mark.notebook
@pytest.mark.parametrize("corpus", ["seeds", "multi"])
def test_notebook_02_runs_offline(corpus, tmp_path, offline_env):
    path = SEEDS if corpus == "seeds" else MULTI
    executed = run_notebook("02_term_frequency.ipynb", tmp_path, corpus_path=str(path))
    assert not error_outputs(executed)
    figures = tmp_path / "figures"
    slugs = {"02-top-terms", "02-top-ngrams", "02-collocates", "02-dispersion", "02-keyness-general"}
    if corpus == "multi":
        slugs.add("02-keyness-groups")
    for slug in slugs:
        assert (figures / f"{slug}.png").is_file() and (figures / f"{slug}.csv").is_file(), slug
    assert slugs <= {e["slug"] for e in json.loads((figures / "manifest.json").read_text())}
    assert (figures / "02-kwic.csv").is_file()
    assert ("Interpretation (bundled article)" in markdown_of(executed)) == (corpus == "seeds")


@pytest.mark.parametrize("blank", [np.nan, "", " "])
def test_blank_group_values_read_none(multi_corpus, blank):
    """A document without a group value (missing or blank) counts in the group "(none)", never NaN or ''."""
    from corpus_tools.frequency import count_terms

    documents = multi_corpus.documents.assign(side=multi_corpus.documents["side"].astype(object))
    documents.loc[documents.index[:2], "side"] = [blank, np.nan]
    table = stat_frequency(multi_corpus.tokens, group="side", documents=documents)
    assert "(none)" in set(table["side"]) and table["side"].notna().all() and "" not in set(table["side"])
    _, totals = count_terms(multi_corpus.tokens, group="side", documents=documents)
    assert totals.set_index("side").loc["(none)", "docs"] == 2
