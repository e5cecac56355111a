"""Segmentation speed and agreement: corpus_tools' news splitter vs pysbd (Sadvilkar & Neumann 2020).

Prints milliseconds per 600-word article for sentence splitting alone, for the
whole segment step (sentences + tokens + lemmas + flags), and pysbd's time on
the same texts; plus how often the two agree on sentence counts.

    .venv/bin/python bench/bench_segment.py [N_DOCS]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import cached_synthetic_corpus  # noqa: E402
from corpus_tools.clean import clean_documents  # noqa: E402
from corpus_tools.corpus import load_corpus  # noqa: E402
from corpus_tools.segment import segment_documents, split_sentences  # noqa: E402


def per_doc_ms(seconds: float, n: int) -> float:
    return 1000 * seconds / n


def main(n_docs: int = 2000) -> None:
    import pysbd

    docs = cached_synthetic_corpus(n_docs)
    seed = clean_documents(load_corpus(Path(__file__).resolve().parent.parent / "seeds").documents
                           ).documents["clean_text"].iloc[0]
    texts = clean_documents(docs).documents["clean_text"].tolist()

    started = time.perf_counter()
    ours = [len(split_sentences(t)) for t in texts]
    split_s = time.perf_counter() - started

    started = time.perf_counter()
    segment_documents(clean_documents(docs).documents, show_progress=False)
    segment_s = time.perf_counter() - started

    sample = texts[: min(300, n_docs)]
    segmenter = pysbd.Segmenter(language="en", clean=False)
    started = time.perf_counter()
    theirs = [len([s for p in t.split("\n") if p.strip() for s in segmenter.segment(p) if s.strip()])
              for t in sample]
    pysbd_s = time.perf_counter() - started

    agree = sum(a == b for a, b in zip(ours, theirs)) / len(sample)
    seed_ours = len(split_sentences(seed))
    seed_pysbd = sum(len(segmenter.segment(p)) for p in seed.split("\n") if p.strip())
    print(f"documents: {n_docs:,} synthetic (~600 words); pysbd on the first {len(sample)}")
    print(f"split_sentences            {per_doc_ms(split_s, n_docs):8.3f} ms/doc")
    print(f"segment_documents (all)    {per_doc_ms(segment_s, n_docs):8.3f} ms/doc")
    print(f"pysbd sentences only       {per_doc_ms(pysbd_s, len(sample)):8.3f} ms/doc")
    print(f"speed-up of our splitter   {per_doc_ms(pysbd_s, len(sample)) / per_doc_ms(split_s, n_docs):8.1f}x")
    print(f"same sentence count as pysbd: {agree:.1%} of documents")
    print(f"seed article (cleaned) sentences: ours {seed_ours}, pysbd {seed_pysbd} (pysbd run line by line)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
