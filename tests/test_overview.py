"""Corpus overview: per-document counts against plain pandas groupby."""
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from corpus_tools.overview import stat_documents
from corpus_tools.pipeline import prepare_corpus


def reference_documents(documents, sentences, tokens):
    """stat_documents with groupby and join."""
    per_sentence = sentences.groupby("doc_id").agg(sentences=("sent_id", "size"), captions=("is_caption", "sum"),
                                                   repeated=("is_repeated", "sum"),
                                                   quoted_sentences=("in_quote", "sum"))
    per_token = tokens.groupby("doc_id").agg(tokens=("token_id", "size"), words=("is_word", "sum"))
    table = documents[["doc_id", "title", "date", "source"]].join(per_sentence, on="doc_id").join(per_token,
                                                                                                    on="doc_id")
    counts = ["sentences", "captions", "repeated", "quoted_sentences", "tokens", "words"]
    table[counts] = table[counts].fillna(0).astype(int)
    return table


@pytest.mark.parametrize("doc_ids", ["object", "str", "interleaved", "missing"])
def test_stat_documents_equals_groupby(doc_ids):
    corpus = prepare_corpus(pd.DataFrame({"doc_id": ["a", "b", "c", "e"], "title": "T", "date": "2024", "source": "s",
                                          "text": ["Peace talks. “We agree,” he said.", "War!", "", "One. Two. Three."]}))
    documents, sentences, tokens = corpus.documents, corpus.sentences, corpus.tokens
    documents = pd.concat([documents, documents.iloc[:1].assign(doc_id="d")], ignore_index=True)  # no rows
    if doc_ids == "str":
        sentences, tokens = (t.assign(doc_id=t["doc_id"].astype("str")) for t in (sentences, tokens))
    elif doc_ids == "interleaved":
        sentences, tokens = (t.sample(frac=1, random_state=3) for t in (sentences, tokens))
    elif doc_ids == "missing":
        tokens = tokens.assign(doc_id=tokens["doc_id"].where(np.arange(len(tokens)) % 3 > 0, None))
    assert_frame_equal(stat_documents(documents, sentences, tokens), reference_documents(documents, sentences, tokens),
                       check_exact=True)


# --------------------------------------------------------------------------- documents per group and period

from corpus_tools.compare import NO_DATE, undated_documents  # noqa: E402
from corpus_tools.overview import (describe_cleaning, describe_document_counts, describe_document_sizes,  # noqa: E402
                                   describe_load, describe_sentence_lengths, plot_document_counts,
                                   plot_document_sizes, stat_document_counts, stat_sentence_lengths)
from tests.conflict_corpora import CORPORA, open_study  # noqa: E402

#: Sentences written for the bundled article, never to be said of another corpus.
SEED_PHRASES = ("bundled", "One article", "the statement", "ministry")


def dated_documents():
    """Seven documents of two sides over two months, one undated and one with an unreadable date."""
    return pd.DataFrame({"doc_id": list("abcdefg"), "group": ["x", "x", "y", "y", "y", "x", "y"],
                         "period": ["2022-01", "2022-01", "2022-01", "2022-02", "2022-02", NO_DATE, NO_DATE],
                         "date": ["2022-01-03", "2022-01-09", "2022-01-20", "2022-02-01", "2022-02-02", None, "soon"]})


def test_load_cleaning_and_sentence_length_commentary_by_hand():
    report = pd.DataFrame({"input": ["a.txt", "b.txt", "dir/c.bin"], "status": ["loaded", "loaded", "skipped"]})
    documents = pd.DataFrame({"doc_id": ["a", "b"], "is_duplicate": [False, True]})
    assert describe_load(report, documents) == (
        "**2 inputs loaded, 1 skipped** (3 inputs in all). Skipped: `c.bin`. 1 document is an exact duplicate "
        "of another and flagged (`is_duplicate`), not dropped. ")
    many = pd.DataFrame({"input": [f"f{k}.bin" for k in range(500)], "status": "skipped"})
    assert len(describe_load(many, documents.iloc[:0])) < 600  # a long list of skipped files is cut
    assert "**Nothing was loaded**" in describe_load(report.assign(status="skipped"), documents.iloc[:0])
    removals = pd.DataFrame({"rule": ["widget", "widget", "byline"], "text": ["abc", "de", "f"]})
    marks = pd.DataFrame({"mark": ["caption", "title", "caption"]})
    assert describe_cleaning(removals, marks) == ("Cleaning removed **3 spans** (6 characters) by 2 rules: `widget` (2) "
                                                  "and `byline` (1). It marked 1 title, 2 captions and 0 repeated lines.")
    sentences = pd.DataFrame({"doc_id": ["d1", "d2"], "sent_id": [0, 4], "n_tokens": [3, 9],
                              "text": ["Short one.", "*Bold* claim " + "x" * 200]})
    text = describe_sentence_lengths(pd.DataFrame({"n_tokens": [3, 9, 6]}), sentences)
    assert text.startswith("The median sentence has **6 tokens** (mean 6.0); the longest, sentence 4 of `d2`, has 9:")
    assert "\\*Bold\\*" in text and text.endswith("…”")  # corpus text escaped, cut at 160 characters


def test_stat_document_counts_by_hand():
    counts = stat_document_counts(dated_documents())
    assert counts.to_dict("list") == {"group": ["x", "y", "y", "x", "y"],
                                      "period": ["2022-01", "2022-01", "2022-02", NO_DATE, NO_DATE],
                                      "n_documents": [2, 1, 2, 1, 1], "few_documents": [True] * 5}
    pooled = stat_document_counts(dated_documents(), group=None)
    assert pooled[["group", "period", "n_documents"]].values.tolist() == [
        ["all", "2022-01", 3], ["all", "2022-02", 2], ["all", NO_DATE, 2]]
    undated = stat_document_counts(dated_documents().drop(columns="period"))
    assert undated["period"].eq(NO_DATE).all() and undated["n_documents"].tolist() == [3, 4]


def test_describe_document_counts_by_hand():
    documents = dated_documents()
    text = describe_document_counts(stat_document_counts(documents), undated_documents(documents),
                                    group_column="side")
    assert "Documents per `side`: y 4 (57%) and x 3 (43%)." in text
    assert "Dated documents fall in 2 periods, 2022-01 to 2022-02. 3 of 3 cells hold fewer than 5" in text
    assert "**2 documents** (29%) have no date or one that cannot be read" in text
    one = describe_document_counts(stat_document_counts(documents.iloc[:1]), undated_documents(documents.iloc[:1]),
                                   group_column=None)
    assert one.startswith("One document: there is nothing to compare") and "figure" in one
    flat = documents.drop(columns=["group", "period"]).assign(date=None)
    none = describe_document_counts(stat_document_counts(flat, group=None), undated_documents(flat),
                                    group_column=None)
    assert none.startswith("No group column and no dates: the 7 documents") and "listed" not in none


@pytest.mark.parametrize("name", ["seed", "russia_ukraine", "ethiopia_tigray", "israel_gaza"])
def test_commentary_on_the_seed_and_the_conflict_corpora(name):
    study = open_study(name)
    documents, corpus = study.documents, study.corpus
    counts = stat_document_counts(documents, group="group" if study.group_column else None)
    assert counts["n_documents"].sum() == len(documents)  # no document dropped, undated ones included
    text = describe_document_counts(counts, undated_documents(documents), group_column=study.group_column)
    sizes = describe_document_sizes(stat_documents(corpus.documents, corpus.sentences, corpus.tokens))
    assert f"**{len(documents)} document" in sizes
    report = corpus.report
    loaded = describe_load(report, corpus.documents)
    assert loaded.startswith(f"**{(report['status'] == 'loaded').sum()} input")
    cleaning = describe_cleaning(corpus.removals, corpus.marks)
    assert f"**{len(corpus.removals)} span" in cleaning
    assert f"{(corpus.marks['mark'] == 'caption').sum()} caption" in cleaning
    lengths = describe_sentence_lengths(stat_sentence_lengths(corpus.sentences), corpus.sentences)
    assert f"has {corpus.sentences['n_tokens'].max():,}: “" in lengths
    if name == "seed":
        assert text.startswith("One document:") and "range from" not in sizes
        return
    assert not any(phrase in text + sizes + loaded + cleaning + lengths for phrase in SEED_PHRASES)
    for side in CORPORA[name]["sides"]:
        n = int((documents["group"] == side).sum())
        assert f"{side.replace('_', chr(92) + '_')} {n} (" in text  # markdown-escaped label, its own count
    words = stat_documents(corpus.documents, corpus.sentences, corpus.tokens)["words"]
    assert f"from {words.min():,} to {words.max():,} words" in sizes


def test_document_sizes_on_a_log_axis_stacked_by_group():
    import matplotlib.pyplot as plt

    sizes = np.r_[np.full(40, 10), np.full(60, 1000)]  # two clusters two orders of magnitude apart
    lengths = pd.DataFrame({"doc_id": [f"d{i}" for i in range(100)], "sent_id": 0, "n_tokens": sizes,
                            "kind": "narrative"})
    groups = pd.Series(np.where(np.arange(100) % 2, "b", "a"), index=lengths["doc_id"])
    fig = plot_document_sizes(lengths, groups=groups, colours={"a": "#0072B2", "b": "#E69F00"})
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert ax.get_xscale() == "log" and len(heights) == 2 * 30  # SIZE_BINS per group, stacked
    assert sum(heights) == 100 and "median 1,000 tokens" in ax.get_title(loc="left")
    colours = {tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in ax.patches}
    assert len(colours) == 2
    plt.close(fig)


def test_document_counts_plot_marks_the_few_document_cells():
    import matplotlib.pyplot as plt

    counts = pd.DataFrame({"group": ["x", "y", "x", "y", "x"], "period": ["2022-01", "2022-01", "2022-02", "2022-02",
                                                                         NO_DATE],
                           "n_documents": [9, 2, 6, 7, 4], "few_documents": [False, True, False, False, True]})
    fig = plot_document_counts(counts, colours={"x": "#0072B2", "y": "#E69F00"})
    ax = fig.axes[0]
    hatched = [(p.get_height(), bool(p.get_hatch())) for p in ax.patches]
    assert sorted(hatched) == [(2, True), (6, False), (7, False), (9, False)]  # the undated 4 is not on the axis
    assert "4 undated not shown" in ax.get_title(loc="left")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2022-01", "2022-02"]
    plt.close(fig)
