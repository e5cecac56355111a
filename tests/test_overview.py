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
