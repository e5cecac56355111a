"""KWIC and matching: words, phrases, regexes, windows in tokens, sorting, CSV export."""
import pandas as pd
import pytest

from corpus_tools.concordance import KWIC_COLUMNS, find_matches, sort_kwic, stat_kwic
from corpus_tools.pipeline import prepare_corpus


@pytest.fixture
def corpus():
    return prepare_corpus(pd.DataFrame({
        "doc_id": ["d1", "d2"],
        "text": ["The cat sat on the mat. A dog, the cat ran.", "Territorial integrity matters.\n\nThe cat slept."],
    }))


def test_phrase_matches_stay_inside_sentences_and_skip_punctuation(corpus):
    matches = find_matches(corpus.tokens, "the cat")
    assert list(matches["doc_id"]) == ["d1", "d1", "d2"]
    assert find_matches(corpus.tokens, "dog the").empty  # a comma between
    assert find_matches(corpus.tokens, "matters the").empty  # a sentence boundary between
    regex = find_matches(corpus.tokens, r"territor\w* integ.*", regex=True)
    assert len(regex) == 1 and regex.loc[0, "sent_id"] == 0
    text = corpus.documents.set_index("doc_id").loc["d2", "clean_text"]
    assert text[regex.loc[0, "start"]:regex.loc[0, "end"]] == "Territorial integrity"


def test_kwic_windows_in_tokens(corpus):
    kwic = stat_kwic(corpus.tokens, corpus.documents, "the cat", window=2)
    assert list(kwic.columns) == KWIC_COLUMNS
    first, second, third = kwic.to_dict("records")
    assert (first["left"], first["node"], first["right"]) == ("", "The cat", "sat on")
    assert (second["left"], second["node"], second["right"]) == ("A dog,", "the cat", "ran")
    assert second["sent_id"] == 1 and second["doc_id"] == "d1"
    # context runs over a sentence end but never past the document; line breaks shown as " / "
    assert third["left"] == "integrity matters. /" and third["right"] == "slept"


def test_sort_and_export(corpus, tmp_path):
    kwic = stat_kwic(corpus.tokens, corpus.documents, "cat", window=3)
    by_right = sort_kwic(kwic, keys=("R1",))
    assert list(by_right["right"].str.split().str[0]) == ["ran", "sat", "slept"]
    by_left = sort_kwic(kwic, keys=("L1", "L2"))
    # L1 is 'the' on every line; L2 then sorts '' < 'dog' < 'matters'
    assert list(by_left["left"]) == ["The", "A dog, the", "integrity matters. / The"]
    path = tmp_path / "kwic.csv"
    kwic.to_csv(path, index=False)
    assert pd.read_csv(path, keep_default_na=False).shape == kwic.shape
    with pytest.raises(ValueError):
        sort_kwic(kwic, keys=("X1",))


def test_empty_inputs(corpus):
    assert stat_kwic(corpus.tokens, corpus.documents, "ceasefire").empty
    assert find_matches(corpus.tokens.iloc[:0], "cat").empty
    assert stat_kwic(corpus.tokens, corpus.documents, []).columns.tolist() == KWIC_COLUMNS
