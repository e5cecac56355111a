"""Compare the framing module's labels with human labels (Grimmer & Stewart 2013).

Designed for the narrative-frame data of Frermann et al. (2023) (articles with
binary RE/HI/CO/MO/EC labels; entity mentions with hero/villain/victim roles)
but any table with the same columns works. Scores come from
``corpus_tools.validate``: precision/recall/F1 and accuracy beside a baseline
that sees the same units (frames: every frame marked present in every article,
since a majority baseline scores F1 0 on every frame under 50% prevalence;
roles: the majority role of the entities the module labelled), Spearman
correlation of frame coverage with the human label, and Krippendorff's alpha with the module as one more coder (>= .800 reliable,
.667-.800 tentative; Krippendorff 2004).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..pipeline import prepare_corpus
from ..segment import content_sentences
from ..validate import binary_scores, classification_scores, correlation, krippendorff_alpha, majority_baseline
from .frames import NARRATIVE_FRAMES, find_frames, score_narrative_frames
from .roles import NARRATIVE_ROLE, roles_for_entities

ROLE_LABELS = ("hero", "villain", "victim")


class Validation(NamedTuple):
    scores: pd.DataFrame  # one row per label (+ summary rows)
    predictions: pd.DataFrame  # one row per unit: gold and predicted


def frame_labels(articles: pd.DataFrame, frames=NARRATIVE_FRAMES) -> pd.DataFrame:
    """Human frame labels as booleans (true/1/yes, anything else False, e.g. a malformed 'False)'),
    missing (NA) where the coders left the cell blank: such an article is no unit for that frame."""
    out = {}
    for frame in frames:
        values = articles[frame]
        flags = values.astype(str).str.strip().str.lower().isin(["true", "1", "yes"])
        out[frame] = flags.astype("boolean").mask(values.isna())
    return pd.DataFrame(out, index=articles.index)


def _prepare(articles: pd.DataFrame, id_column: str, text_column: str):
    frame = pd.DataFrame({"doc_id": articles[id_column].astype(str), "text": articles[text_column].astype(str)})
    prepared = prepare_corpus(frame, show_progress=False)
    return prepared, content_sentences(prepared.sentences)


def validate_frames(articles: pd.DataFrame, *, frames=NARRATIVE_FRAMES, id_column: str = "ID",
                    text_column: str = "text", mapping=None, lexicon=None, min_sentences: int = 2) -> Validation:
    """Document-level frame presence vs human labels, per frame: precision, recall, F1 and accuracy,
    the always-present baseline's F1 and accuracy (``baseline_f1``, ``baseline_accuracy``: every
    article marked as having the frame), Spearman r of coverage with the label and Krippendorff's
    alpha (nominal; Krippendorff 2004). Articles without a human label for a frame are left out."""
    prepared, sentences = _prepare(articles, id_column, text_column)
    hits = find_frames(sentences, prepared.tokens, lexicon=lexicon)
    scored = score_narrative_frames(hits, sentences, mapping=mapping, min_sentences=min_sentences)
    gold = articles.assign(doc_id=articles[id_column].astype(str)).set_index("doc_id")
    labels = frame_labels(gold, frames)
    rows, predictions = [], []
    for frame in frames:
        coded = labels[frame].notna().to_numpy()
        part = scored[scored["narrative_frame"] == frame].set_index("doc_id").reindex(gold.index[coded])
        truth = labels.loc[coded, frame].astype(bool)
        pred = part["present"].fillna(False).astype(bool)
        model = binary_scores(pred, truth)
        always = binary_scores(np.ones(len(truth), bool), truth)
        rows.append({"label": frame, "precision": model["precision"], "recall": model["recall"], "f1": model["f1"],
                     "baseline_f1": always["f1"], "accuracy": float((pred == truth).mean()),
                     "baseline_accuracy": float(truth.mean()),
                     "spearman": correlation(part["coverage"].fillna(0), truth.astype(float))["spearman"],
                     "alpha": krippendorff_alpha(pd.DataFrame({"human": truth.astype(int), "module": pred.astype(int)})),
                     "support": int(truth.sum()), "n": len(truth)})
        predictions.append(pd.DataFrame({"doc_id": truth.index, "frame": frame, "gold": truth.to_numpy(),
                                         "predicted": pred.to_numpy(), "coverage": part["coverage"].to_numpy()}))
    scores = pd.DataFrame(rows)
    macro = {"label": "macro", **scores[["precision", "recall", "f1", "baseline_f1", "accuracy",
                                         "baseline_accuracy", "spearman", "alpha"]].mean().to_dict(),
             "support": int(scores["support"].sum()), "n": int(scores["n"].iloc[0]) if len(scores) else 0}
    return Validation(pd.concat([scores, pd.DataFrame([macro])], ignore_index=True),
                      pd.concat(predictions, ignore_index=True) if predictions else pd.DataFrame())


def validate_roles(roles: pd.DataFrame, articles: pd.DataFrame, *, id_column: str = "ID", text_column: str = "text",
                   entity_column: str = "entity", role_column: str = "role", lexicon=None,
                   backoff: bool = False) -> Validation:
    """Entity roles vs human hero/villain/victim labels for the listed entities of each article.

    The module abstains when it finds no linked cue; scores are given on all
    entities (an abstention counts as wrong) and on the ones it labelled, beside
    the majority baseline on those same labelled entities (``baseline_f1``; its
    accuracy in the ``accuracy`` row), with alpha (nominal).
    """
    prepared, sentences = _prepare(articles, id_column, text_column)
    wanted = roles.assign(doc_id=roles[id_column].astype(str), entity=roles[entity_column].astype(str))
    result = roles_for_entities(sentences, prepared.tokens, wanted[["doc_id", "entity"]], lexicon=lexicon,
                                backoff=backoff)
    pred = result.roles.assign(predicted=result.roles["role"].map(NARRATIVE_ROLE))[["doc_id", "actor_id", "predicted",
                                                                                     "confidence"]]
    table = wanted.merge(pred.rename(columns={"actor_id": "entity"}), on=["doc_id", "entity"], how="left")
    gold = table[role_column].astype(str)
    labelled = table["predicted"].notna()
    all_scores = classification_scores(table["predicted"].fillna("none"), gold, labels=ROLE_LABELS)
    covered = classification_scores(table.loc[labelled, "predicted"], gold[labelled], labels=ROLE_LABELS)
    baseline = majority_baseline(gold[labelled], labels=ROLE_LABELS)
    scores = all_scores.rename(columns={"f1": "f1_all", "precision": "precision", "recall": "recall_all"})
    scores["f1_labelled"] = covered["f1"].to_numpy()
    scores["baseline_f1"] = baseline["f1"].to_numpy()
    scores["coverage"] = float(labelled.mean()) if len(table) else np.nan
    scores["alpha_labelled"] = krippendorff_alpha(pd.DataFrame({"human": gold[labelled],
                                                                "module": table.loc[labelled, "predicted"]}))
    return Validation(scores, table.assign(gold=gold)[["doc_id", "entity", "gold", "predicted", "confidence"]])
