"""Explorers: hand-checked concordance and term tables on toy texts, the widget/static bundle,
and that changing a control updates the view."""
import io

import pandas as pd
import pytest

from corpus_tools.pipeline import prepare_corpus
from corpus_tools.widgets import SLICES, kwic_explorer, kwic_html, stat_terms, term_explorer, terms_html

TOY = "The border was closed today. Armenia closed the border again, officials said."


@pytest.fixture(scope="module")
def toy():
    return prepare_corpus(pd.DataFrame({"text": [TOY]}))


@pytest.fixture(scope="module")
def two_docs():
    return prepare_corpus(pd.DataFrame({"text": ["Border talks began. The border stays shut.",
                                                 "Peace talks, and more talks."]}))


def cells(page: str) -> list[list[str]]:
    """The body rows of the concordance table, as text."""
    table = pd.read_html(io.StringIO(page))[0]
    return table[["left", "node", "right"]].fillna("").values.tolist()


def test_kwic_lines_are_centred_on_the_node_with_window_words(toy):
    page = kwic_html(toy.tokens, toy.documents, "border", window=2, sort="document order")
    assert "<strong>2 lines</strong> in 1 document" in page
    assert cells(page) == [["The", "border", "was closed"], ["closed the", "border", "again, officials"]]


def test_kwic_sorts_phrases_regex_and_says_what_is_wrong(toy):
    by_right = cells(kwic_html(toy.tokens, toy.documents, "closed", window=1))
    assert [row[2] for row in by_right] == ["the", "today"]  # R1 sort: 'the' < 'today'
    assert cells(kwic_html(toy.tokens, toy.documents, "the border", window=1, sort="document order")) == [
        ["", "The border", "was"], ["closed", "the border", "again"]]
    assert "2 lines" in kwic_html(toy.tokens, toy.documents, "clos\\w+", regex=True)
    assert "Not a valid regular expression" in kwic_html(toy.tokens, toy.documents, "clos(", regex=True)
    assert "No match for <strong>peace</strong>" in kwic_html(toy.tokens, toy.documents, "peace")
    assert "Type a word" in kwic_html(toy.tokens, toy.documents, "  ")
    assert "first 1 shown" in kwic_html(toy.tokens, toy.documents, "border", max_lines=1)


def test_explorer_carries_a_widget_view_and_the_static_table(toy):
    explorer = kwic_explorer(toy.tokens, toy.documents, query="border", window=2)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"] == explorer.static_html and "2 lines" in bundle["text/html"]
    (query_row, _, view) = explorer.widget.children
    query_row.children[0].value = "armenia"  # typing a new query updates the live view
    assert "<strong>1 line</strong>" in view.value and "2 lines" in explorer.static_html


def test_term_table_counts_rates_and_dispersion_by_hand(toy, two_docs):
    one = stat_terms(toy.tokens, ["border", "armenia", "absent"]).set_index("term")
    assert one.loc["border", "n"] == 2 and one.loc["absent", "n"] == 0
    assert one.loc["border", "rate_per_1000"] == pytest.approx(1000 * 2 / 12)  # 12 words, punctuation excluded
    assert one.loc["border", "parts"] == SLICES
    two = stat_terms(two_docs.tokens, ["talks", "border"]).set_index("term")
    # 'talks': 1 of 7 words in doc 1, 2 of 5 in doc 2; part sizes 7/12 and 5/12, hit shares 1/3 and 2/3.
    assert two.loc["talks", "parts"] == 2 and two.loc["talks", "range"] == 2
    assert two.loc["talks", "dp"] == pytest.approx(0.5 * (abs(1 / 3 - 7 / 12) + abs(2 / 3 - 5 / 12)))
    assert two.loc["border", "range"] == 1
    assert stat_terms(toy.tokens, []).empty
    assert "Pick or type" in terms_html(toy.tokens, [])


def test_explorers_on_an_empty_corpus_do_not_crash():
    empty = prepare_corpus(pd.DataFrame({"text": pd.Series([], dtype=str)}))
    assert "No match" in kwic_html(empty.tokens, empty.documents, "border")
    assert stat_terms(empty.tokens, ["border"])["n"].tolist() == [0]
    assert "application/vnd.jupyter.widget-view+json" in term_explorer(empty.tokens)._repr_mimebundle_()
