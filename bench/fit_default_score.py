"""Fit the default sentence score on human ratings and write it, with its provenance, to
``corpus_tools/lexicons/sentiment_default.csv`` (+ ``.meta.json``).

    .venv/bin/python bench/fit_default_score.py ../shared/eval/nyt_editorial_sentiment_dev.tsv

Data: Hutto & Gilbert (2014) NYT editorial sentences, mean of ~20 human ratings (-4..+4).
A seeded 30% of *articles* (``id`` = article_sentence) is held out; the model is a ridge
regression (alpha = 1; Hoerl & Kennard 1970) of human_mean / 4 on ``score_features``,
fitted on the other articles only, so the held-out r reported here is the shipped model's
r on sentences it was not tuned on. Article-grouped 5-fold CV on the training part is
reported too, and its predictions choose the neutral band (best 3-class macro-F1). Nothing from the data is written except the weights and the metrics.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupKFold, cross_val_predict

from corpus_tools import config
from corpus_tools.validate import three_class
from corpus_tools.sentiment import (DEFAULT_SCORERS, held_out_articles, read_ratings, score_features,
                                    score_sentences, validate_scores)

ALPHA = 1.0
GOLD_BAND = 0.5  # on the -4..+4 human scale
BANDS = (0.025, 0.05, 0.075, 0.1, 0.125, 0.15)
HELD_SHARE, SEED = 0.3, 20240927


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ratings", help="nyt_editorial_sentiment_dev.tsv (id, human_mean, text)")
    parser.add_argument("--out", default=str(config.PROJECT_ROOT / "corpus_tools" / "lexicons"),
                        help="folder for sentiment_default.csv and .meta.json")
    args = parser.parse_args(argv)
    path = Path(args.ratings)
    ratings = read_ratings(path)
    scored = score_sentences(ratings, scorers=DEFAULT_SCORERS, default=False)
    features = score_features(scored)
    target = ratings["human_mean"] / 4
    held = held_out_articles(ratings, share=HELD_SHARE, seed=SEED)
    train = ~held
    model = Ridge(alpha=ALPHA, fit_intercept=False).fit(features[train], target[train])
    weights = pd.DataFrame({"feature": features.columns, "weight": np.round(model.coef_, 6)})
    cv = cross_val_predict(Ridge(alpha=ALPHA, fit_intercept=False), features[train], target[train],
                           groups=ratings.loc[train, "article"], cv=GroupKFold(5))
    bands = {b: three_class(np.clip(cv, -1, 1), ratings.loc[train, "human_mean"], neutral_band=b,
                            gold_band=GOLD_BAND)["macro_f1"] for b in BANDS}
    band = max(bands, key=bands.get)
    scored["score"] = np.clip(features.to_numpy() @ weights["weight"].to_numpy(), -1, 1)
    table = validate_scores(scored[held], "human_mean", bands={"score": band}, gold_band=GOLD_BAND,
                            columns=["textblob_polarity", "vader_compound", "afinn_compound", "score"])
    cv_r = float(np.corrcoef(cv, target[train])[0, 1])
    print(f"held-out articles: {ratings.loc[held, 'article'].nunique()} ({held.sum()} sentences); "
          f"training: {ratings.loc[train, 'article'].nunique()} ({train.sum()} sentences)")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"article-grouped 5-fold CV r on the training part: {cv_r:.3f}; neutral band {band} "
          f"(best CV macro-F1 on the training part, {bands[band]:.3f})")

    out = Path(args.out)
    weights.to_csv(out / "sentiment_default.csv", index=False)
    meta = {
        "title": "Default sentence sentiment score (calibrated linear model)",
        "description": "Ridge regression weights over score_features(): VADER, TextBlob, AFINN and "
                       "TextBlob-lexicon-under-VADER-rules outputs plus cheap cues; predicts the human "
                       "mean rating / 4 (-1..+1). Apply with corpus_tools.sentiment.default_score.",
        "source": f"fitted by bench/fit_default_score.py on {path.name} (Hutto & Gilbert 2014, VADER, "
                  "ICWSM-14; repo cjhutto/vaderSentiment, additional_resources/hutto_ICWSM_2014.tar.gz)",
        "license": "MIT (weights derived from MIT-licensed ratings)",
        "version": dt.date.today().isoformat(),
        "neutral_band": band,
        "provenance": {
            "data_file": path.name,
            "data_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "split": f"articles (id prefix before '_'): seeded ({SEED}) random {HELD_SHARE:.0%} held out; "
                     "weights fitted on the rest only",
            "n_train_sentences": int(train.sum()), "n_held_out_sentences": int(held.sum()),
            "n_train_articles": int(ratings.loc[train, "article"].nunique()),
            "n_held_out_articles": int(ratings.loc[held, "article"].nunique()),
            "model": f"sklearn Ridge(alpha={ALPHA}, fit_intercept=False) on score_features (intercept column)",
            "target": "human_mean / 4",
            "date": dt.date.today().isoformat(),
            "packages": {p: metadata.version(p) for p in ("vaderSentiment", "textblob", "afinn", "scikit-learn")},
            "metrics_held_out": {row.score: {"pearson": round(row.pearson, 4), "spearman": round(row.spearman, 4),
                                             "accuracy_3class": round(row.accuracy, 4),
                                             "macro_f1_3class": round(row.macro_f1, 4), "band": row.band}
                                 for row in table.itertuples()},
            "gold_band": GOLD_BAND,
            "neutral_band_search": {str(b): round(f, 4) for b, f in bands.items()},
            "cv_pearson_train_grouped_5fold": round(cv_r, 4),
        },
    }
    (out / "sentiment_default.meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / 'sentiment_default.csv'} and its .meta.json")


if __name__ == "__main__":
    main()
