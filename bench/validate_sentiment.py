"""Validate the sentiment scores against human ratings in an evaluation folder (path as argument).

    .venv/bin/python bench/validate_sentiment.py ../shared/eval

1. The batch VADER (corpus_tools.vader) against the vaderSentiment package, sentence by
   sentence, on every NYT editorial sentence and every NewsMTSC sentence: compound, pos, neu
   and neg must agree to 1e-9.
2. ``corpus_tools.targeted.stat_validation``: Pearson / Spearman r and 3-class accuracy /
   macro-F1 on the NYT editorial sentences (Hutto & Gilbert 2014; all, and the held-out
   articles the default score was not fitted on), and macro-F1 of targeted sentiment on
   NewsMTSC devtest_mt (Hamborg & Donnay 2021). Prints figures; asserts nothing; copies nothing.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from corpus_tools.sentiment import read_ratings
from corpus_tools.targeted import read_target_ratings, stat_validation
from corpus_tools.vader import score_vader, vader_reference


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", help="folder with nyt_editorial_sentiment_dev.tsv and newsmtsc_*.jsonl")
    folder = Path(parser.parse_args(argv).eval_dir)
    texts = {"nyt_editorial_sentiment_dev.tsv": read_ratings(folder / "nyt_editorial_sentiment_dev.tsv")["text"]}
    for name in ("newsmtsc_train.jsonl", "newsmtsc_devtest_mt.jsonl"):
        if (folder / name).is_file():
            texts[name] = read_target_ratings(folder / name)[0]["text"]
    print("1. Batch VADER vs the vaderSentiment package (max |difference| over sentences)")
    for name, series in texts.items():
        ours, reference = score_vader(series), vader_reference(series)
        diff = (ours - reference).abs()
        print(f"   {name}: {len(series):,} sentences; max |diff| " +
              ", ".join(f"{c} {diff[c].max():.1e}" for c in diff) +
              f"; sentences differing by > 1e-9: {int((diff.max(axis=1) > 1e-9).sum())}")
    print("\n2. Validity against human ratings")
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        print(stat_validation(folder).to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep=""))


if __name__ == "__main__":
    main()
