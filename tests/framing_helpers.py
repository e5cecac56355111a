"""Tiny corpora written for the framing tests (hand-labelled sentences)."""
from __future__ import annotations

import pandas as pd

from corpus_tools.pipeline import prepare_corpus
from corpus_tools.segment import content_sentences


def prepared(*texts: str, ids=None, **columns):
    """``prepare_corpus`` on texts given inline (one document each), metadata columns optional."""
    frame = pd.DataFrame({"doc_id": ids or [f"d{i}" for i in range(len(texts))], "text": list(texts), **columns})
    corpus = prepare_corpus(frame, show_progress=False)
    return corpus, content_sentences(corpus.sentences)
