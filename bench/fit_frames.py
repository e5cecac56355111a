"""Fit the frame model (one L2 logistic regression per narrative frame) on human-coded articles and
write it, with its provenance, to ``corpus_tools/lexicons/frame_model.csv`` (+ ``.meta.json``).

    .venv/bin/python bench/fit_frames.py --eval-dir ../shared/eval

Data: narrative_frames_articles_dev.tsv (Frermann, Li, Khanehzar & Mikolajczak 2023, ACL; binary
RE/HI/CO/MO/EC per climate-change article); only that development half is used, read in place.
Features: ``corpus_tools.framing.frame_model.frame_features`` on the suite's own pipeline.

Honest figures by nested, article-grouped cross-validation (articles whose first 200 characters
match, i.e. copies of one story, share a group): outer repeated GroupKFold (``REPEATS`` x
``FOLDS``, seeded shuffles); inside each outer training part an inner GroupKFold chooses the
regularisation C and the decision threshold (best out-of-fold F1), the model is refitted on the
outer training part and scores the outer test part it never saw. Reported per frame: F1,
precision, recall, accuracy and Krippendorff's alpha (nominal, model vs the coders; Krippendorff
2004, 2011), each the mean over repeats with a 95% percentile bootstrap interval over article
groups; beside them the always-present baseline (every frame marked in every article) and the
lexicon rule of ``validate_frames``. The shipped model: C and threshold chosen by the same inner
procedure on all articles, then fitted on all of them. Nothing from the data is written except
the weights and the figures.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from corpus_tools import config
from corpus_tools.framing import analyse_framing, validate_frames
from corpus_tools.framing.frame_model import INTERCEPT, MIN_CONFIDENCE, THRESHOLD, confidence, frame_features
from corpus_tools.framing.frames import NARRATIVE_FRAMES
from corpus_tools.framing.validation import frame_labels
from corpus_tools.pipeline import prepare_corpus
from corpus_tools.validate import alpha_from_coincidences

DATA_FILE = "narrative_frames_articles_dev.tsv"
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.025), 3)
FOLDS, INNER_FOLDS, REPEATS, SEED = 5, 5, 5, 20241115
N_BOOT, LEVEL = 1000, 0.95


def story_groups(texts: pd.Series) -> np.ndarray:
    """Group ids: articles whose first 200 characters agree (case and spacing aside) are one story."""
    keys = texts.astype(str).map(lambda t: re.sub(r"\s+", " ", t).strip().lower()[:200])
    return pd.factorize(keys)[0]


def load_articles(path: Path) -> pd.DataFrame:
    """Articles with a human label for every frame (boolean columns; the one unlabelled row dropped)."""
    articles = pd.read_csv(path, sep="\t")
    labels = frame_labels(articles, NARRATIVE_FRAMES)
    keep = labels.notna().all(axis=1).to_numpy()
    return articles[keep].assign(**{f: labels.loc[keep, f].astype(bool) for f in NARRATIVE_FRAMES}).reset_index(drop=True)


def article_features(articles: pd.DataFrame):
    """``frame_features`` of the articles (rows in article order) through the suite's pipeline."""
    prepared = prepare_corpus(pd.DataFrame({"doc_id": articles["ID"].astype(str), "text": articles["text"]}),
                              show_progress=False)
    result = analyse_framing(prepared.documents, prepared.sentences, prepared.tokens)
    return frame_features(result, prepared.tokens).table.reindex(articles["ID"].astype(str)).fillna(0.0)


def _model(c: float):
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000))


def _f1(pred: np.ndarray, truth: np.ndarray) -> float:
    tp = (pred & truth).sum()
    return 2 * tp / (2 * tp + (pred != truth).sum()) if tp or (pred != truth).any() else np.nan


def choose(x: np.ndarray, y: np.ndarray, groups: np.ndarray, seed: int) -> tuple[float, float, float]:
    """(C, threshold, inner F1): the pair with the best out-of-fold F1 of a seeded GroupKFold."""
    folds = list(GroupKFold(INNER_FOLDS, shuffle=True, random_state=seed).split(x, y, groups))
    best = (-1.0, C_GRID[0], 0.5)
    for c in C_GRID:
        prob = np.zeros(len(y))
        for train, test in folds:
            prob[test] = _model(c).fit(x[train], y[train]).predict_proba(x[test])[:, 1]
        for t in THRESHOLDS:
            f1 = _f1(prob >= t, y)
            if f1 > best[0]:
                best = (f1, c, float(t))
    return best[1], best[2], best[0]


def nested_cv(features: pd.DataFrame, labels: pd.DataFrame, groups: np.ndarray) -> pd.DataFrame:
    """Outer-test predictions: one row per repeat, frame and article (probability, threshold, C)."""
    x, rows = features.to_numpy(float), []
    for frame in labels.columns:
        y = labels[frame].to_numpy(bool)
        for repeat in range(REPEATS):
            outer = GroupKFold(FOLDS, shuffle=True, random_state=SEED + repeat)
            for fold, (train, test) in enumerate(outer.split(x, y, groups)):
                c, t, _ = choose(x[train], y[train], groups[train], seed=SEED + 100 * (repeat + 1) + fold)
                prob = _model(c).fit(x[train], y[train]).predict_proba(x[test])[:, 1]
                rows.append(pd.DataFrame({"frame": frame, "repeat": repeat, "article": test, "probability": prob,
                                          "threshold": t, "C": c, "gold": y[test]}))
    return pd.concat(rows, ignore_index=True)


def _scores(pred: np.ndarray, gold: np.ndarray, weights: np.ndarray) -> dict[str, np.ndarray]:
    """F1, precision, recall, accuracy and nominal alpha of boolean predictions for each row of
    bootstrap ``weights`` (articles x replicates counts); alpha from the two coders' coincidences."""
    cells = {(a, b): weights @ ((pred == a) & (gold == b)).astype(float) for a in (0, 1) for b in (0, 1)}
    tp, fp, fn, tn = cells[1, 1], cells[1, 0], cells[0, 1], cells[0, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {"f1": 2 * tp / (2 * tp + fp + fn), "precision": tp / (tp + fp), "recall": tp / (tp + fn),
               "accuracy": (tp + tn) / (tp + fp + fn + tn)}
    coincidence = np.array([[2 * tn, fp + fn], [fp + fn, 2 * tp]]).transpose(2, 0, 1)
    out["alpha"] = np.array([alpha_from_coincidences(m, [False, True]) for m in coincidence])
    return out


def summarise(predictions: pd.DataFrame, groups: np.ndarray, *, min_confidence: float = 0.0) -> pd.DataFrame:
    """Per frame (+ macro): each measure's mean over repeats, with a percentile bootstrap interval
    over article groups (the same resampled groups for every frame, repeat and the macro mean).
    With ``min_confidence`` the measures are on the answered articles and ``answered`` is their share."""
    n_groups, rng = groups.max() + 1, np.random.default_rng(SEED)
    draws = rng.integers(0, n_groups, size=(N_BOOT, n_groups))
    group_weights = np.vstack([np.ones(n_groups), np.apply_along_axis(np.bincount, 1, draws, minlength=n_groups)])
    weights = group_weights[:, groups]  # row 0: the data as observed
    per_frame = {}
    for frame, part in predictions.groupby("frame", sort=False):
        runs = []
        for _, run in part.groupby("repeat"):
            run = run.sort_values("article")
            prob, t = run["probability"].to_numpy(), run["threshold"].to_numpy()
            answered = confidence(prob, t) >= min_confidence
            w = weights * answered
            scores = _scores(prob >= t, run["gold"].to_numpy(bool), w)
            scores["answered"] = w.sum(axis=1) / weights.sum(axis=1)
            runs.append(scores)
        per_frame[frame] = {k: np.nanmean([r[k] for r in runs], axis=0) for k in runs[0]}
    per_frame["macro"] = {k: np.mean([per_frame[f][k] for f in list(per_frame)], axis=0) for k in runs[0]}
    low, high = (1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2
    return pd.DataFrame([{"frame": f, **{f"{k}{s}": v for k, vals in m.items()
                                         for s, v in (("", vals[0]), ("_lo", np.nanquantile(vals[1:], low)),
                                                      ("_hi", np.nanquantile(vals[1:], high)))}}
                         for f, m in per_frame.items()])


def always_present(labels: pd.DataFrame) -> pd.DataFrame:
    """The always-present baseline on these articles: F1 = 2p / (1 + p), accuracy = p (p = prevalence)."""
    p = labels.mean()
    table = pd.DataFrame({"frame": labels.columns, "prevalence": p.to_numpy(), "f1": (2 * p / (1 + p)).to_numpy(),
                          "accuracy": p.to_numpy()})
    return pd.concat([table, pd.DataFrame([{"frame": "macro", **table[["prevalence", "f1", "accuracy"]].mean()}])],
                     ignore_index=True)


def fit_final(features: pd.DataFrame, labels: pd.DataFrame, groups: np.ndarray) -> tuple[pd.DataFrame, dict]:
    """Weights table of the shipped model and the chosen C / threshold / inner F1 per frame."""
    x, rows, chosen = features.to_numpy(float), [], {}
    for frame in labels.columns:
        y = labels[frame].to_numpy(bool)
        c, t, f1 = choose(x, y, groups, seed=SEED)
        fitted = _model(c).fit(x, y)
        scaler, regression = fitted[0], fitted[1]
        rows.append(pd.DataFrame({"frame": frame, "feature": features.columns, "weight": regression.coef_[0],
                                  "center": scaler.mean_, "scale": scaler.scale_}))
        rows.append(pd.DataFrame({"frame": frame, "feature": [INTERCEPT, THRESHOLD],
                                  "weight": [regression.intercept_[0], t], "center": 0.0, "scale": 1.0}))
        chosen[frame] = {"C": c, "threshold": t, "inner_cv_f1": round(float(f1), 4)}
    return pd.concat(rows, ignore_index=True).round(6), chosen


def _records(table: pd.DataFrame) -> dict:
    return {row["frame"]: {k: (None if pd.isna(v) else round(float(v), 4)) for k, v in row.items() if k != "frame"}
            for row in table.to_dict("records")}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, required=True, help=f"folder with {DATA_FILE}")
    parser.add_argument("--out", type=Path, default=config.PROJECT_ROOT / "corpus_tools" / "lexicons",
                        help="folder for frame_model.csv and .meta.json")
    args = parser.parse_args(argv)
    path = args.eval_dir / DATA_FILE
    articles = load_articles(path)
    labels = articles[list(NARRATIVE_FRAMES)]
    groups = story_groups(articles["text"])
    features = article_features(articles)
    predictions = nested_cv(features, labels, groups)
    cv = summarise(predictions, groups)
    abstaining = summarise(predictions, groups, min_confidence=MIN_CONFIDENCE)
    baseline = always_present(labels)
    rule = validate_frames(articles).scores.set_index("label")
    weights, chosen = fit_final(features, labels, groups)

    pd.set_option("display.width", 200)
    print(f"{len(articles)} articles ({groups.max() + 1} story groups), {features.shape[1]} features; "
          f"nested CV {REPEATS}x{FOLDS} outer / {INNER_FOLDS} inner folds")
    shown = cv.set_index("frame")[["f1", "f1_lo", "f1_hi", "precision", "recall", "accuracy", "alpha", "alpha_lo",
                                   "alpha_hi"]]
    shown["always_present_f1"] = baseline.set_index("frame")["f1"]
    shown["always_present_accuracy"] = baseline.set_index("frame")["accuracy"]
    shown["rule_f1"], shown["rule_alpha"] = rule["f1"], rule["alpha"]
    print(shown.round(3).to_string())
    print(f"abstaining below confidence {MIN_CONFIDENCE}:")
    print(abstaining.set_index("frame")[["answered", "f1", "accuracy", "alpha"]].round(3).to_string())
    print("chosen on all articles:", chosen)

    args.out.mkdir(parents=True, exist_ok=True)
    weights.to_csv(args.out / "frame_model.csv", index=False)
    today = dt.date.today().isoformat()
    meta = {
        "title": "Frame model: narrative frames RE/HI/CO/MO/EC per article (logistic regressions)",
        "description": "One L2 logistic regression per narrative frame over frame_features() (frame-cue "
                       "densities, position, role cues, stance/persuasion cues, sentiment, quotes, length). "
                       "Rows per frame: one per feature (weight on (x - center) / scale), '(intercept)' and "
                       "'(threshold)' (weight = the decision threshold on the probability). Apply with "
                       "corpus_tools.framing.frame_model.score_frame_model.",
        "source": f"fitted by bench/fit_frames.py on {DATA_FILE} (Frermann, Li, Khanehzar & Mikolajczak 2023, "
                  "Conflicts, Villains, Resolutions: Towards models of Narrative Media Framing, ACL; repo "
                  "phenixace/narrative-framing @197314d)",
        "license": "MIT (weights derived from MIT-licensed annotations)",
        "version": today,
        "min_confidence": MIN_CONFIDENCE,
        "provenance": {
            "data_file": DATA_FILE,
            "data_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "date": today,
            "packages": {p: metadata.version(p) for p in ("scikit-learn", "numpy")},
            "n_articles": len(articles), "n_story_groups": int(groups.max() + 1),
            "features": list(features.columns),
            "model": "sklearn StandardScaler + LogisticRegression(penalty='l2', lbfgs) per frame; C from "
                     f"{list(C_GRID)} and threshold from {THRESHOLDS[0]}..{THRESHOLDS[-1]} step 0.025 by best "
                     f"out-of-fold F1 of a seeded {INNER_FOLDS}-fold GroupKFold",
            "chosen": chosen,
            "cv": f"nested: outer GroupKFold({FOLDS}, shuffled) x {REPEATS} repeats (seeds {SEED}+repeat), inner "
                  f"GroupKFold({INNER_FOLDS}) choosing C and threshold on the outer training part only; groups = "
                  "articles with the same first 200 characters; figures = mean over repeats, intervals = "
                  f"{LEVEL:.0%} percentile bootstrap over groups ({N_BOOT} draws, seed {SEED})",
            "cv_figures": _records(cv),
            "cv_figures_abstaining": {"min_confidence": MIN_CONFIDENCE, **_records(abstaining)},
            "always_present_baseline": _records(baseline),
            "lexicon_rule_validate_frames": {f: {"f1": round(float(rule.at[f, "f1"]), 4),
                                                 "accuracy": round(float(rule.at[f, "accuracy"]), 4),
                                                 "alpha": round(float(rule.at[f, "alpha"]), 4)}
                                             for f in [*NARRATIVE_FRAMES, "macro"]},
        },
    }
    (args.out / "frame_model.meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'frame_model.csv'} ({len(weights)} rows) and its .meta.json")


if __name__ == "__main__":
    main()
