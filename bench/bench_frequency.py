"""Speed of counting and collocation on a synthetic corpus, beside sklearn's CountVectorizer.

    .venv/bin/python bench/bench_frequency.py              # 100,000 documents (a few minutes)
    .venv/bin/python bench/bench_frequency.py --docs 2000  # quick check

The corpus is generated deterministically (seeded numpy; nothing is written to
disk): a Zipf-distributed vocabulary of pseudo-words, 3-8 sentences of 6-20
words per document (about 70 words on average, the length of a news brief).
Prints tokens per second for each step; asserts nothing. CountVectorizer
tokenises and counts raw text in one step; corpus_tools counts a tokens table
that segmentation has already built, so both the counting-only and the
segmentation + counting ratios are printed.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd


def synthetic_texts(n_docs: int, *, vocabulary: int = 20_000, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    syllables = np.array(["ka", "ro", "mi", "ta", "ne", "su", "lo", "ba", "ri", "de", "an", "vo", "el", "zu"])
    parts = rng.integers(0, len(syllables), size=(vocabulary, 3))
    lengths = rng.integers(1, 4, size=vocabulary)
    words = np.array(["".join(syllables[p[:k]]) + str(i % 7 if k == 1 else "") for i, (p, k) in
                      enumerate(zip(parts, lengths))])
    weights = 1 / np.arange(1, vocabulary + 1) ** 1.07
    weights /= weights.sum()
    n_sentences = rng.integers(3, 9, size=n_docs)
    sentence_lengths = rng.integers(6, 21, size=int(n_sentences.sum()))
    drawn = words[rng.choice(vocabulary, size=int(sentence_lengths.sum()), p=weights)]
    sentences = np.split(drawn, np.cumsum(sentence_lengths)[:-1])
    bounds = np.cumsum(n_sentences)[:-1]
    texts = []
    for doc in np.split(np.arange(len(sentences)), bounds):
        texts.append(" ".join(" ".join(sentences[i]).capitalize() + "." for i in doc))
    return texts


def timed(label: str, fn, n_tokens: int, results: list):
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    results.append({"step": label, "seconds": seconds, "tokens_per_sec": n_tokens / seconds})
    print(f"  {label:<58} {seconds:8.2f} s  {n_tokens / seconds:>12,.0f} tokens/s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from sklearn.feature_extraction.text import CountVectorizer

    from corpus_tools.collocation import stat_collocates, stat_pair_associations
    from corpus_tools.frequency import select_tokens, stat_frequency, stat_ngrams
    from corpus_tools.segment import segment_documents

    start = time.perf_counter()
    texts = synthetic_texts(args.docs, seed=args.seed)
    documents = pd.DataFrame({"doc_id": [f"d{i:06d}" for i in range(len(texts))], "clean_text": texts})
    print(f"{args.docs:,} synthetic documents generated in {time.perf_counter() - start:.1f} s")

    results: list[dict] = []
    start = time.perf_counter()
    segmented = segment_documents(documents, show_progress=False)
    seg_seconds = time.perf_counter() - start
    words = select_tokens(segmented.tokens, segmented.sentences)
    n = len(words)
    print(f"{n:,} word tokens ({n / args.docs:.0f} per document); segmentation (foundation, not counted "
          f"below): {seg_seconds:.1f} s, {n / seg_seconds:,.0f} tokens/s\n")

    print("sklearn")
    vectorizer = CountVectorizer(token_pattern=r"(?u)\b\w+\b")
    matrix = timed("CountVectorizer.fit_transform (tokenise + doc-term counts)",
                   lambda: vectorizer.fit_transform(texts), n, results)
    print("corpus_tools (on the tokens table)")
    doc_terms = timed("stat_frequency(group='doc_id')  (doc-term counts)",
                      lambda: stat_frequency(words, group="doc_id"), n, results)
    timed("stat_frequency  (corpus list, rates, doc freq)", lambda: stat_frequency(words), n, results)
    timed("stat_frequency(by='lemma', drop_stopwords=True)",
          lambda: stat_frequency(words, by="lemma", drop_stopwords=True), n, results)
    timed("stat_ngrams(n=2, min_count=2)", lambda: stat_ngrams(words, n=2), n, results)
    timed("stat_pair_associations(window=1)  (all adjacent pairs)",
          lambda: stat_pair_associations(words, min_count=2), n, results)
    timed("stat_pair_associations(window=4, min_count=2)",
          lambda: stat_pair_associations(words, window=4, min_count=2), n, results)
    frequent = stat_frequency(words, drop_stopwords=True)["term"].head(5).tolist()
    timed("stat_collocates(5 nodes, window=(5, 5))",
          lambda: stat_collocates(words, frequent, window=(5, 5)), n, results)

    cv, ours = results[0]["seconds"], results[1]["seconds"]
    print(f"\ndoc-term counts agree with CountVectorizer: total {int(matrix.sum()):,} vs "
          f"{int(doc_terms['n'].sum()):,}; vocabulary {matrix.shape[1]:,} vs {doc_terms['term'].nunique():,}")
    print(f"ratio, counting only (CountVectorizer time / stat_frequency doc-term time): {cv / ours:.2f}x")
    print(f"ratio, segmentation + counting vs CountVectorizer: {cv / (seg_seconds + ours):.2f}x")


if __name__ == "__main__":
    main()
