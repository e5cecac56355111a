"""Speed of sentence sentiment on the synthetic news corpus (prints figures, asserts nothing).

    .venv/bin/python bench/bench_sentiment.py --docs 1000
    .venv/bin/python bench/bench_sentiment.py --docs 1000 --eval ../shared/eval   # + exactness on eval sentences

The corpus is ``bench/synthetic.py``'s (cleaned and segmented by ``prepare_corpus``; content
sentences). Printed: sentences per second and milliseconds per document of ``score_sentences``
with the default scorers and score (first call, with cold word caches, and again), of each
scorer alone, and of the default score's model step; TextBlob's PatternAnalyzer in batch
(``corpus_tools.textblob_batch``) beside ``textblob.en.sentiment`` one sentence at a time on the
same sentences, with the number of results that differ (must be 0); the naive packages one
sentence at a time; targeted sentiment. With ``--eval DIR`` the same TextBlob comparison on the
human-rated sentences there (NYT editorial sentences, NewsMTSC), read in place.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from bench.synthetic import cached_synthetic_corpus
from corpus_tools.pipeline import prepare_corpus
from corpus_tools.segment import content_sentences
from corpus_tools.sentiment import SCORERS, _texts, default_score, score_sentences
from corpus_tools.targeted import score_targets
from corpus_tools.textblob_batch import pattern_sentiment


def timed(label: str, n: int, unit: str, func, *, docs: int | None = None):
    start = time.process_time()
    result = func()
    seconds = time.process_time() - start
    per_doc = f"  {seconds / docs * 1000:6.3f} ms/document" if docs else ""
    print(f"{label:<62} {n:>9,} {unit:<9} {seconds:7.2f} s CPU {n / max(seconds, 1e-9):>10,.0f} {unit}/s{per_doc}",
          flush=True)
    return result, seconds


def compare_textblob(label: str, texts: list[str]) -> None:
    """TextBlob in batch vs the library one sentence at a time: mismatches (exact float equality;
    scores alone, and scores with assessments, which take partly different paths) and the speed-up."""
    from textblob.en import sentiment as library
    (polarity, subjectivity), batch = timed(f"{label}: TextBlob batch", len(texts), "sentences",
                                            lambda: pattern_sentiment(texts))
    reference, one_by_one = timed(f"{label}: textblob.en.sentiment, one at a time", len(texts), "sentences",
                                  lambda: [library(t) for t in texts])
    mismatches = sum((p, s) != tuple(r) for p, s, r in zip(polarity.tolist(), subjectivity.tolist(), reference))
    with_evidence = zip(*pattern_sentiment(texts, assessments=True), reference)
    evidence_mismatches = sum(
        (p, s) != tuple(r) or [(list(c), q, u) for c, q, u in a] != [(list(c), q, u) for c, q, u, _ in r.assessments]
        for p, s, a, r in with_evidence)
    print(f"  -> {mismatches} of {len(texts):,} sentences differ from textblob ({evidence_mismatches} with "
          f"assessments); batch is {one_by_one / batch:.1f}x faster", flush=True)


def eval_sentences(eval_dir: Path) -> dict[str, list[str]]:
    """Sentences of the human-rated files in ``eval_dir`` that are present (read in place)."""
    found = {}
    nyt = eval_dir / "nyt_editorial_sentiment_dev.tsv"
    if nyt.is_file():
        found["NYT editorial"] = pd.read_csv(nyt, sep="\t", dtype={"text": str}, keep_default_na=False)["text"].tolist()
    for name in ("newsmtsc_train.jsonl", "newsmtsc_devtest_mt.jsonl"):
        path = eval_dir / name
        if path.is_file():
            with path.open(encoding="utf-8") as lines:
                found[name] = [json.loads(line)["sentence_normalized"] for line in lines if line.strip()]
    return found


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--naive-sample", type=int, default=3000, help="sentences for the one-at-a-time runs")
    parser.add_argument("--eval", type=Path, default=None, help="folder with the human-rated sentence files")
    args = parser.parse_args(argv)
    documents = cached_synthetic_corpus(args.docs)
    sentences = content_sentences(prepare_corpus(documents, show_progress=False).sentences)
    n, docs = len(sentences), args.docs
    print(f"{docs:,} synthetic documents, {n:,} content sentences ({n / docs:.1f} per document), "
          f"{int(sentences['n_tokens'].sum()):,} tokens\n")
    _, cold = timed("score_sentences, default scorers + score (cold caches)", n, "sentences",
                    lambda: score_sentences(sentences), docs=docs)
    scored, warm = timed("score_sentences, default scorers + score (again)", n, "sentences",
                         lambda: score_sentences(sentences), docs=docs)
    for name in ("vader", "afinn", "textblob_sum", "textblob"):
        timed(f"  {name} alone (score_sentences)", n, "sentences",
              lambda name=name: score_sentences(sentences, scorers=[name], default=False), docs=docs)
    timed("  model step of the default score", n, "sentences", lambda: default_score(scored), docs=docs)

    print()
    sample = sentences.sample(min(args.naive_sample, n), random_state=1)
    compare_textblob("synthetic sample", _texts(sample, "text"))
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    analyzer = SentimentIntensityAnalyzer()
    _, naive_vader = timed("naive vaderSentiment polarity_scores, one at a time", len(sample), "sentences",
                           lambda: [analyzer.polarity_scores(t) for t in sample["text"]])
    from textblob import TextBlob
    _, naive_blob = timed("naive TextBlob(text).sentiment, one at a time", len(sample), "sentences",
                          lambda: [TextBlob(t).sentiment for t in sample["text"]])
    naive = (naive_vader + naive_blob) / len(sample)
    print(f"  -> score_sentences (four scorers + score) takes {warm / n * 1e6:.1f} us per sentence; "
          f"VADER + TextBlob naively {naive * 1e6:.1f} us ({naive / (warm / n):.1f}x)")

    subset = sentences[sentences["doc_id"].isin(sentences["doc_id"].unique()[:max(1, docs // 10)])]
    targeted, _ = timed("targeted sentiment (find mentions + model), 10% of docs", len(subset), "sentences",
                        lambda: score_targets(subset))
    print(f"  -> {len(targeted):,} mentions scored")
    if args.eval is not None:
        print()
        for label, texts in eval_sentences(args.eval).items():
            compare_textblob(label, texts)
    print(f"\nscorers: {', '.join(f'{k} ({v.description})' for k, v in SCORERS.items())}")
    print(f"first call {cold:.2f} s includes filling the per-word caches (lexicon lookups, TextBlob tokens)")


if __name__ == "__main__":
    main()
