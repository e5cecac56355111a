"""Fit the hero/villain/victim entity model and write it, with its provenance, to
``corpus_tools/lexicons/role_model.csv`` (+ ``.meta.json``).

    .venv/bin/python bench/fit_roles.py --eval-dir ../shared/eval

Data: the development half of Frermann, Li, Khanehzar & Mikolajczak (2023), *Conflicts, Villains,
Resolutions*, ACL (narrative_frames_roles_dev.tsv: entity, role per article; article texts from
narrative_frames_articles_dev.tsv). Entities are free-text names, found in their own article with
``gazetteer_from_entities`` (surname heads on). Features: ``framing.role_model.entity_features``.
Model: multinomial logistic regression (scikit-learn, standardised features, L2), applied at run
time with numpy. Nested CV, grouped by article and seeded: the inner folds choose C and the
abstention threshold (the highest whose inner coverage of all labelled entities is at least
TARGET_COVERAGE); the outer folds report coverage, accuracy / macro-F1 / Krippendorff's alpha on
the covered entities and the majority baseline (training folds' majority) on the same entities.
The shipped model is refitted on all development articles with C and threshold chosen by the same
grouped CV. Nothing from the data is written except the weights and the metrics.
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
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.preprocessing import StandardScaler

from corpus_tools import config
from corpus_tools.framing.actors import find_actors
from corpus_tools.framing.role_model import LABELS, entity_features, feature_names
from corpus_tools.pipeline import prepare_corpus
from corpus_tools.segment import content_sentences
from corpus_tools.validate import classification_scores, krippendorff_alpha

SEED = 20250115
OUTER, INNER = 5, 4
CS = (0.03, 0.1, 0.3, 1.0)
THRESHOLDS = tuple(np.round(np.arange(0.34, 0.80, 0.02), 2))
TARGET_COVERAGE = 0.60


def entity_table(eval_dir: Path) -> pd.DataFrame:
    """One row per labelled (article, entity) with its features (NaN when not found in the text)."""
    roles = pd.read_csv(eval_dir / "narrative_frames_roles_dev.tsv", sep="\t")
    articles = pd.read_csv(eval_dir / "narrative_frames_articles_dev.tsv", sep="\t")
    corpus = prepare_corpus(pd.DataFrame({"doc_id": articles["ID"].astype(str), "text": articles["text"].astype(str)}),
                            show_progress=False)
    sentences = content_sentences(corpus.sentences)
    mentions = find_actors(sentences, gazetteer=roles["entity"].astype(str).tolist())  # gazetteer_from_entities
    mentions = mentions.assign(actor_id=mentions["canonical"])
    wanted = roles.assign(doc_id=roles["ID"].astype(str), actor_id=roles["entity"].astype(str).str.strip())
    mentions = mentions.merge(wanted[["doc_id", "actor_id"]].drop_duplicates(), on=["doc_id", "actor_id"])
    features, _ = entity_features(sentences, corpus.tokens, mentions)
    table = wanted.drop_duplicates(["doc_id", "actor_id"]).set_index(["doc_id", "actor_id"])
    return table[["role"]].join(features, how="left").reset_index()


def fit(x: np.ndarray, y: np.ndarray, c: float):
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=c, max_iter=2000).fit((x - scaler.mean_) / scale, y)
    return scaler.mean_, scale, model


def predict(params, x: np.ndarray) -> np.ndarray:
    mean, scale, model = params
    return model.predict_proba((x - mean) / scale)


def choose(x, y, groups, found, seed):
    """C (best grouped inner log-likelihood) and threshold (highest with inner coverage of all
    entities >= TARGET_COVERAGE) from grouped inner folds on the mentioned entities."""
    folds = list(StratifiedGroupKFold(INNER, shuffle=True, random_state=seed).split(x, y, groups))
    best = None
    for c in CS:
        p = np.zeros((len(y), len(LABELS)))
        for tr, te in folds:
            tr = tr[found[tr]]
            p[te] = predict(fit(x[tr], y[tr], c), np.nan_to_num(x[te]))
        loglik = np.mean(np.log(np.maximum(p[found, y[found]], 1e-9)))
        if best is None or loglik > best[0]:
            best = (loglik, c, p)
    _, c, p = best
    confidence = np.where(found, p.max(axis=1), 0.0)
    ok = [t for t in THRESHOLDS if (confidence >= t).mean() >= TARGET_COVERAGE]
    return c, (max(ok) if ok else THRESHOLDS[0])


def nested_cv(table: pd.DataFrame) -> dict:
    x = table[feature_names()].to_numpy(float)
    found = ~np.isnan(x).any(axis=1)
    y = pd.Index(LABELS).get_indexer(table["role"])
    groups = table["doc_id"].to_numpy()
    predicted = np.full(len(y), -1)
    baseline = np.full(len(y), -1)
    chosen = []
    for k, (tr, te) in enumerate(StratifiedGroupKFold(OUTER, shuffle=True, random_state=SEED).split(x, y, groups)):
        c, threshold = choose(x[tr], y[tr], groups[tr], found[tr], SEED + k + 1)
        chosen.append({"C": c, "threshold": threshold})
        fit_rows = tr[found[tr]]
        p = predict(fit(x[fit_rows], y[fit_rows], c), np.nan_to_num(x[te]))
        give = found[te] & (p.max(axis=1) >= threshold)
        predicted[te[give]] = p[give].argmax(axis=1)
        baseline[te] = np.bincount(y[tr], minlength=len(LABELS)).argmax()
    covered = predicted >= 0
    gold = np.asarray(LABELS, dtype=object)[y[covered]]
    model = np.asarray(LABELS, dtype=object)[predicted[covered]]
    base = np.asarray(LABELS, dtype=object)[baseline[covered]]
    scores = classification_scores(pd.Series(model), pd.Series(gold), labels=list(LABELS)).set_index("label")
    base_scores = classification_scores(pd.Series(base), pd.Series(gold), labels=list(LABELS)).set_index("label")
    return {"n_entities": int(len(y)), "n_articles": int(len(set(groups))), "found_in_text": round(float(found.mean()), 4),
            "coverage": round(float(covered.mean()), 4), "n_covered": int(covered.sum()),
            "accuracy_covered": round(float((model == gold).mean()), 4),
            "macro_f1_covered": round(float(scores.loc["macro", "f1"]), 4),
            "alpha_covered": round(float(krippendorff_alpha(pd.DataFrame({"human": gold, "model": model}))), 4),
            "majority_baseline_accuracy_same_entities": round(float((base == gold).mean()), 4),
            "majority_baseline_macro_f1_same_entities": round(float(base_scores.loc["macro", "f1"]), 4),
            "per_label_f1": {label: round(float(scores.loc[label, "f1"]), 4) for label in LABELS},
            "outer_folds": chosen}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, required=True, help="folder with narrative_frames_*_dev.tsv")
    parser.add_argument("--out", type=Path, default=config.PROJECT_ROOT / "corpus_tools" / "lexicons")
    args = parser.parse_args(argv)
    table = entity_table(args.eval_dir)
    cv = nested_cv(table)
    print(json.dumps({k: v for k, v in cv.items() if k != "outer_folds"}, indent=1))
    x = table[feature_names()].to_numpy(float)
    found = ~np.isnan(x).any(axis=1)
    y = pd.Index(LABELS).get_indexer(table["role"])
    c, threshold = choose(x, y, table["doc_id"].to_numpy(), found, SEED)
    mean, scale, model = fit(x[found], y[found], c)
    rows = pd.DataFrame({"feature": feature_names(), "mean": mean, "scale": scale,
                         **{f"w_{label}": model.coef_[j] for j, label in enumerate(LABELS)}})
    rows.loc[len(rows)] = {"feature": "(intercept)", "mean": 0.0, "scale": 1.0,
                           **{f"w_{label}": model.intercept_[j] for j, label in enumerate(LABELS)}}
    rows.round(6).to_csv(args.out / "role_model.csv", index=False)
    files = {name: hashlib.sha256((args.eval_dir / name).read_bytes()).hexdigest()
             for name in ("narrative_frames_roles_dev.tsv", "narrative_frames_articles_dev.tsv")}
    meta = {
        "title": "Entity role model (hero / villain / victim)",
        "description": "Multinomial logistic regression over corpus_tools.framing.role_model.feature_names() "
                       "(clause-rule evidence by role and relation, cue counts by act, targeted sentiment, "
                       "position, mentions, quotes); standardise with mean/scale, logits = z @ w + intercept. "
                       "Apply with corpus_tools.framing.role_model.predict_roles; abstain below 'threshold'.",
        "source": "fitted by bench/fit_roles.py on the development split of Frermann, Li, Khanehzar & "
                  "Mikolajczak (2023), Conflicts, Villains, Resolutions, ACL; repo phenixace/narrative-framing",
        "license": "MIT (weights derived from MIT-licensed annotations)",
        "version": dt.date.today().isoformat(),
        "threshold": float(threshold),
        "provenance": {
            "data_sha256": files, "date": dt.date.today().isoformat(),
            "model": f"sklearn LogisticRegression(C={c}, lbfgs, multinomial) on StandardScaler features; "
                     f"fitted on the {int(found.sum())} of {len(found)} entities found in their article",
            "selection": f"C from {list(CS)} by article-grouped {INNER}-fold log-likelihood; threshold = highest "
                         f"in {THRESHOLDS[0]}..{THRESHOLDS[-1]} with grouped-CV coverage >= {TARGET_COVERAGE}",
            "packages": {p: metadata.version(p) for p in ("scikit-learn", "numpy", "pandas")},
            "cv": {"scheme": f"nested, article-grouped StratifiedGroupKFold outer {OUTER} x inner {INNER}, "
                             f"seed {SEED}", **cv},
        },
    }
    (args.out / "role_model.meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'role_model.csv'} and its .meta.json (C={c}, threshold={threshold})")


if __name__ == "__main__":
    main()
