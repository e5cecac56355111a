"""Speed of sentence sentiment on a deterministic synthetic corpus (prints figures, asserts nothing).

    .venv/bin/python bench/bench_sentiment.py --docs 2000      # while developing
    .venv/bin/python bench/bench_sentiment.py --docs 100000    # the full size

Sentences per second for each scorer in batch (``score_sentences``), for the default score (all
four scorers + the linear model), and mentions per second for targeted sentiment, beside the
``vaderSentiment`` analyzer and ``TextBlob(text).sentiment`` called naively one sentence at a
time on a sample, in the same run. The corpus is generated from a seed (news-like sentences
from lexicon words, negations, 'but', intensifiers, actor names and neutral words); nothing
is written to disk.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from corpus_tools.sentiment import SCORERS, default_score, score_sentences
from corpus_tools.targeted import score_targets
from corpus_tools.vader import vader_lexicon

NEUTRAL = ("the government said on Monday that its ministry would hold talks with officials in the region "
           "about the border and the new agreement after the meeting of the two delegations in the capital").split()
ACTORS = ["Azerbaijan", "Armenia", "Baku", "Yerevan", "Russia", "Turkey", "the EU", "the UN"]
MODIFIERS = ["not", "very", "never", "extremely", "hardly", "but", "deeply", "no"]


def synthetic_sentences(n_docs: int, *, seed: int = 7) -> pd.DataFrame:
    """``doc_id, sent_id, text, n_tokens, in_quote`` for ``n_docs`` documents of 8-40 sentences."""
    rng = np.random.default_rng(seed)
    lexicon = np.array(sorted(w for w in vader_lexicon() if w.isalpha()))
    n_sent = rng.integers(8, 41, size=n_docs)
    total = int(n_sent.sum())
    length = rng.integers(8, 31, size=total)
    n_words = int(length.sum())
    kind = rng.choice(4, size=n_words, p=[0.78, 0.1, 0.07, 0.05])
    words = np.where(kind == 0, np.array(NEUTRAL)[rng.integers(len(NEUTRAL), size=n_words)],
                     np.where(kind == 1, lexicon[rng.integers(len(lexicon), size=n_words)],
                              np.where(kind == 2, np.array(ACTORS)[rng.integers(len(ACTORS), size=n_words)],
                                       np.array(MODIFIERS)[rng.integers(len(MODIFIERS), size=n_words)])))
    bounds = np.cumsum(length)[:-1]
    texts = [" ".join(chunk) + "." for chunk in np.split(words, bounds)]
    texts = [t[0].upper() + t[1:] for t in texts]
    doc_id = np.repeat(np.arange(n_docs), n_sent)
    sent_id = np.arange(total) - np.repeat(np.cumsum(n_sent) - n_sent, n_sent)
    return pd.DataFrame({"doc_id": doc_id, "sent_id": sent_id, "start": 0, "text": texts,
                         "n_tokens": length, "in_quote": rng.random(total) < 0.2})


def timed(label: str, n: int, unit: str, func):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {n:>10,} {unit:<9} {seconds:8.1f} s  {n / seconds:>10,.0f} {unit}/s", flush=True)
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--naive-sample", type=int, default=5000, help="sentences for the one-at-a-time runs")
    args = parser.parse_args(argv)
    sentences = timed("generate synthetic corpus", args.docs, "documents", lambda: synthetic_sentences(args.docs))
    n = len(sentences)
    print(f"{args.docs:,} documents, {n:,} sentences, {int(sentences['n_tokens'].sum()):,} words\n")
    scored, seconds = sentences, 0.0
    for name in ("vader", "afinn", "textblob_sum", "textblob"):
        start = time.perf_counter()
        scored = timed(f"batch {name} (score_sentences, this scorer alone)", n, "sentences",
                       lambda name=name: score_sentences(scored, scorers=[name], default=False))
        seconds += time.perf_counter() - start
    start = time.perf_counter()
    timed("  linear model step of the default score", n, "sentences", lambda: default_score(scored))
    seconds += time.perf_counter() - start
    # score_sentences() with the default runs exactly these four scorers and the model step.
    print(f"{'default score (four scorers + linear model)':<58} {n:>10,} {'sentences':<9} {seconds:8.1f} s  "
          f"{n / seconds:>10,.0f} sentences/s")
    sample = sentences.sample(min(args.naive_sample, n), random_state=1)
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    analyzer = SentimentIntensityAnalyzer()
    timed("naive vaderSentiment polarity_scores, one at a time", len(sample), "sentences",
          lambda: [analyzer.polarity_scores(t) for t in sample["text"]])
    timed("naive TextBlob(text).sentiment, one at a time", len(sample), "sentences",
          lambda: [TextBlob(t).sentiment for t in sample["text"]])
    subset = sentences[sentences["doc_id"] < max(1, args.docs // 10)]
    targeted = timed("targeted sentiment (find mentions + model), 10% of docs", len(subset), "sentences",
                     lambda: score_targets(subset))
    print(f"  -> {len(targeted):,} mentions scored")
    print(f"\nscorers: {', '.join(f'{k} ({v.description})' for k, v in SCORERS.items())}")


if __name__ == "__main__":
    main()
