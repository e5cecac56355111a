"""Fit the targeted-sentiment model on NewsMTSC and write it, with its provenance, to
``corpus_tools/lexicons/targeted_sentiment.csv`` (+ ``.meta.json``).

    .venv/bin/python bench/fit_targeted.py ../shared/eval/newsmtsc_train.jsonl \
        --check ../shared/eval/newsmtsc_devtest_mt.jsonl

Data: NewsMTSC (Hamborg & Donnay 2021, EACL): political-news sentences with the sentiment
toward a named person (2.0 negative, 4.0 neutral, 6.0 positive). Model: multinomial logistic
regression (class-balanced, L2) over ``corpus_tools.targeted.target_features``; the context
window ``k`` and the regularisation ``C`` are chosen by 5-fold cross-validation on the training
file, grouped by sentence; context words kept if seen in at least ``MIN_COUNT`` training
mentions. The check file is scored once, with the chosen model, and never used for choices.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from importlib import metadata
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from corpus_tools import config
from corpus_tools.targeted import read_target_ratings, score_targets, target_features
from corpus_tools.validate import THREE_CLASSES, classification_scores

WINDOWS, CS, MIN_COUNT = (4, 8, 12), (0.05, 0.2, 0.5), 3


def design(dense, context, vocabulary, mean, scale):
    x = (dense[list(mean.index)].to_numpy(float) - mean.to_numpy()) / scale.to_numpy()
    index = pd.Series(np.arange(len(vocabulary)), index=vocabulary)
    hit = context[context["feature"].isin(index.index)]
    words = sparse.csr_matrix((hit["value"], (hit["mention"], index[hit["feature"]].to_numpy())),
                              shape=(len(dense), len(vocabulary)))
    return sparse.hstack([sparse.csr_matrix(x), words]).tocsr()


def fit(dense, context, gold, rows, C):
    numeric = dense.drop(columns="role").iloc[rows]
    mean, scale = numeric.mean(), numeric.std().replace(0, 1.0)
    seen = context[context["mention"].isin(rows)].groupby("feature")["mention"].nunique()
    vocabulary = np.sort(seen.index[seen >= MIN_COUNT].to_numpy())
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(design(dense.iloc[rows].reset_index(drop=True), _subset(context, rows), vocabulary, mean, scale),
              gold.iloc[rows])
    return model, vocabulary, mean, scale


def _subset(context, rows):
    position = pd.Series(np.arange(len(rows)), index=rows)
    part = context[context["mention"].isin(rows)]
    return part.assign(mention=position[part["mention"]].to_numpy())


def macro_f1(pred, gold) -> float:
    return float(classification_scores(pred, gold, labels=THREE_CLASSES).set_index("label").at["macro", "f1"])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", help="newsmtsc_train.jsonl")
    parser.add_argument("--check", help="newsmtsc_devtest_mt.jsonl (scored once, never used for choices)")
    parser.add_argument("--out", default=str(config.PROJECT_ROOT / "corpus_tools" / "lexicons"))
    args = parser.parse_args(argv)
    sentences, mentions = read_target_ratings(args.train)
    gold = mentions["gold"]
    features = {k: target_features(sentences, mentions, k=k) for k in WINDOWS}
    folds = list(GroupKFold(5).split(mentions, groups=mentions["doc_id"]))
    search = {}
    for k, C in product(WINDOWS, CS):
        dense, context, _ = features[k]
        pred = pd.Series(index=mentions.index, dtype=object)
        for train_rows, test_rows in folds:
            model, vocabulary, mean, scale = fit(dense, context, gold, train_rows, C)
            x = design(dense.iloc[test_rows].reset_index(drop=True), _subset(context, test_rows), vocabulary,
                       mean, scale)
            pred.iloc[test_rows] = model.predict(x)
        search[(k, C)] = macro_f1(pred, gold)
        print(f"window {k:2d}  C {C:<5}  CV macro-F1 {search[(k, C)]:.3f}")
    k, C = max(search, key=search.get)
    dense, context, _ = features[k]
    model, vocabulary, mean, scale = fit(dense, context, gold, np.arange(len(mentions)), C)
    order = [list(model.classes_).index(c) for c in THREE_CLASSES]
    coef, intercept = model.coef_[order], model.intercept_[order]
    n_dense = len(mean)
    table = pd.concat([
        pd.DataFrame({"feature": ["(intercept)"], "kind": "intercept", "mean": 0.0, "scale": 1.0,
                      **{f"w_{c}": [intercept[j]] for j, c in enumerate(THREE_CLASSES)}}),
        pd.DataFrame({"feature": mean.index, "kind": "dense", "mean": mean.to_numpy(), "scale": scale.to_numpy(),
                      **{f"w_{c}": coef[j, :n_dense] for j, c in enumerate(THREE_CLASSES)}}),
        pd.DataFrame({"feature": vocabulary, "kind": "context", "mean": 0.0, "scale": 1.0,
                      **{f"w_{c}": coef[j, n_dense:] for j, c in enumerate(THREE_CLASSES)}}),
    ], ignore_index=True)
    out = Path(args.out)
    table.round(6).to_csv(out / "targeted_sentiment.csv", index=False)
    provenance = {
        "data_file": Path(args.train).name,
        "data_sha256": hashlib.sha256(Path(args.train).read_bytes()).hexdigest(),
        "split": "all of the training file; window and C chosen by 5-fold CV grouped by sentence",
        "n_train_mentions": int(len(mentions)), "n_train_sentences": int(len(sentences)),
        "model": f"sklearn LogisticRegression(C={C}, class_weight='balanced'), multinomial",
        "window": k, "C": C, "min_count": MIN_COUNT, "n_context_words": int(len(vocabulary)),
        "cv_macro_f1": {f"k={a},C={b}": round(v, 4) for (a, b), v in search.items()},
        "date": dt.date.today().isoformat(),
        "packages": {p: metadata.version(p) for p in ("vaderSentiment", "textblob", "afinn", "scikit-learn")},
    }
    meta = {
        "title": "Targeted (actor-level) sentiment model",
        "description": "Multinomial logistic regression over lexicon valences near a mention, clause sums, "
                       "a cheap grammatical role and side-marked context words; predicts negative / neutral / "
                       "positive sentiment toward the mention. Apply with corpus_tools.targeted.score_targets.",
        "source": "fitted by bench/fit_targeted.py on NewsMTSC (Hamborg & Donnay 2021, EACL; repo "
                  "fhamborg/NewsMTSC) train split",
        "license": "MIT-style (derived from NewsMTSC annotations)",
        "version": dt.date.today().isoformat(),
        "window": k,
        "provenance": provenance,
    }
    _write_meta(out, meta)
    print(f"chosen: window {k}, C {C}; {len(vocabulary)} context words; wrote {out / 'targeted_sentiment.csv'}")
    if args.check:
        check_sentences, check_mentions = read_target_ratings(args.check)
        scored = score_targets(check_sentences, check_mentions.drop(columns="gold"), model=str(out / "targeted_sentiment.csv"))
        f1 = macro_f1(scored["target_label"], check_mentions["gold"])
        accuracy = float((scored["target_label"] == check_mentions["gold"]).mean())
        print(f"check ({Path(args.check).name}, {len(check_mentions)} mentions): macro-F1 {f1:.3f}, "
              f"accuracy {accuracy:.3f}")
        meta["provenance"]["check"] = {"data_file": Path(args.check).name, "n_mentions": int(len(check_mentions)),
                                       "macro_f1": round(f1, 4), "accuracy": round(accuracy, 4)}
        _write_meta(out, meta)


def _write_meta(out: Path, meta: dict) -> None:
    (out / "targeted_sentiment.meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
