"""A learned, small frame model: per-article presence of the five narrative frames of Frermann et
al. (2023) (RE Resolution, HI Human interest, CO Conflict, MO Moral, EC Economic).

One L2 logistic regression per frame (fitted by ``bench/fit_frames.py`` with nested, article-grouped
cross-validation; figures in ``lexicons/frame_model.meta.json``) over interpretable document features
the suite computes anyway (``frame_features``): frame-cue densities per lexicon category, cue density
of each narrative frame's mapped categories in the first and last third of the sentences, role-cue
densities by the role a cue assigns, hedges/boosters and persuasion cues, default sentiment (mean,
negative and positive shares), quoted share and log length. Applying it needs only numpy and the
weights CSV (``frame, feature, weight, center, scale``; rows ``(intercept)`` and ``(threshold)`` per
frame): ``p = sigmoid(intercept + sum(weight * (x - center) / scale))``, present when ``p >=
threshold``. Every verdict keeps its confidence and evidence: the features that pushed it most
towards the verdict and the cue sentences behind them.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..lexicons import load_lexicon
from ..sentiment import score_sentences
from .attribution import load_stance_cues
from .cues import match_cues
from .frames import frame_categories, load_frame_mapping
from .persuasion import load_persuasion_cues
from .roles import ROLES, load_role_cues, role_cues

INTERCEPT, THRESHOLD = "(intercept)", "(threshold)"
#: Verdicts with a confidence below this are abstentions (verdict ``None``); see ``score_frame_model``.
MIN_CONFIDENCE = 0.2
FEATURE_HIT_COLUMNS = ["doc_id", "sent_id", "feature", "matched", "strength"]


class FrameFeatures(NamedTuple):
    table: pd.DataFrame  # one row per document (index doc_id), one column per feature
    hits: pd.DataFrame  # FEATURE_HIT_COLUMNS: the cues / sentences behind each feature
    sentences: pd.DataFrame  # doc_id, sent_id, text of the sentences analysed


class FrameVerdicts(NamedTuple):
    verdicts: pd.DataFrame  # doc_id, frame, probability, threshold, present, verdict, confidence
    evidence: pd.DataFrame  # doc_id, frame, rank, feature, value, contribution, sent_id, sentence, cues


def _density(hits: pd.DataFrame, docs: pd.Index, tokens: pd.Series, by: str, names: list[str]) -> pd.DataFrame:
    """log1p(hits per 1,000 tokens) per document and value of ``by`` (one column per name)."""
    counts = hits.groupby(["doc_id", by]).size().unstack(fill_value=0) if len(hits) else pd.DataFrame(index=docs)
    counts = counts.reindex(index=docs, columns=names, fill_value=0).astype(float)
    return np.log1p(1000 * counts.div(tokens.where(tokens > 0), axis=0).fillna(0.0))


def _live(hits: pd.DataFrame) -> pd.DataFrame:
    return hits[~hits["negated"].astype(bool)] if len(hits) else hits


def frame_features(result, tokens: pd.DataFrame, *, scored: pd.DataFrame | None = None) -> FrameFeatures:
    """The model's features per document of an ``analyse_framing`` result (``tokens``: the prepared
    corpus's tokens, for the negation check of role cues). ``scored``: ``score_sentences`` of
    ``result.sentences`` when the caller has it (scored here otherwise)."""
    sentences = result.sentences
    docs = pd.Index(pd.unique(sentences["doc_id"]), name="doc_id")
    n_tokens = sentences.groupby("doc_id")["n_tokens"].sum().reindex(docs).astype(float)
    position = sentences.groupby("doc_id").cumcount() / sentences.groupby("doc_id")["sent_id"].transform("size")
    third = pd.Series(np.minimum((3 * position).to_numpy() // 1, 2).astype(int), index=sentences.index)
    keyed = sentences[["doc_id", "sent_id"]].assign(third=third.to_numpy())
    parts, hits = [], []

    frames = _live(result.frames).assign(feature=lambda h: "cues:" + h["layer"].astype(str) + ":"
                                         + h["category"].astype(str))
    names = ("cues:" + frame_categories()[["layer", "category"]].agg(":".join, axis=1)).tolist()
    parts.append(_density(frames, docs, n_tokens, "feature", names))
    hits.append(frames.assign(strength=frames["weight"].astype(float)))

    mapping = load_frame_mapping().table[["layer", "category", "narrative_frame"]]
    mapped = frames.astype({"layer": str, "category": str}).merge(mapping, on=["layer", "category"]).merge(
        keyed, on=["doc_id", "sent_id"])
    narrative = list(dict.fromkeys(mapping["narrative_frame"]))
    for label, which in (("first", 0), ("last", 2)):
        part = mapped[mapped["third"] == which].assign(feature=lambda h: f"{label}:" + h["narrative_frame"])
        in_third = sentences["n_tokens"].where(third == which, 0).groupby(sentences["doc_id"]).sum().reindex(docs)
        parts.append(_density(part, docs, in_third.astype(float), "feature", [f"{label}:{f}" for f in narrative]))
        hits.append(part.assign(strength=part["weight"].astype(float)))

    roles = _live(match_cues(sentences, role_cues(load_role_cues()), tokens=tokens))
    assigned = pd.concat([roles.assign(feature="roles:" + roles[c].astype(str)) for c in ("doer_role", "target_role")])
    assigned = assigned[assigned["feature"] != "roles:"].drop_duplicates(["doc_id", "start", "feature"])
    parts.append(_density(assigned, docs, n_tokens, "feature", [f"roles:{r}" for r in ROLES]))
    hits.append(assigned.assign(strength=assigned["weight"].astype(float)))

    for layer, table, lexicon in (("stance", result.stance, load_stance_cues()),
                                  ("persuasion", result.persuasion, load_persuasion_cues())):
        live = _live(table)
        live = live.assign(feature=f"{layer}:" + live["category"].astype(str))
        categories = list(dict.fromkeys(lexicon.table["category"]))
        parts.append(_density(live, docs, n_tokens, "feature", [f"{layer}:{c}" for c in categories]))
        hits.append(live.assign(strength=live["weight"].astype(float)))

    scored = score_sentences(sentences) if scored is None else scored
    by_doc = scored.groupby("doc_id")
    parts.append(pd.DataFrame({
        "sentiment:mean": by_doc["score"].mean(),
        "sentiment:negative_share": by_doc["label"].apply(lambda s: (s == "negative").mean()),
        "sentiment:positive_share": by_doc["label"].apply(lambda s: (s == "positive").mean()),
    }).reindex(docs).fillna(0.0))
    for label in ("negative", "positive"):
        part = scored[scored["label"] == label]
        hits.append(part.assign(feature=f"sentiment:{label}_share", matched=part["score"].round(2).astype(str),
                                strength=part["score"].abs()))
    hits.append(scored.assign(feature="sentiment:mean", matched=scored["score"].round(2).astype(str),
                              strength=scored["score"].abs()))

    quoted = (sentences["quote_share"].astype(float) * sentences["n_tokens"]).groupby(sentences["doc_id"]).sum()
    parts.append(pd.DataFrame({"quotes:share": (quoted.reindex(docs) / n_tokens.where(n_tokens > 0)).fillna(0.0),
                               "length:log_tokens": np.log1p(n_tokens)}))
    quotes = sentences[sentences["quote_share"].astype(float) > 0]
    hits.append(quotes.assign(feature="quotes:share", matched="(quoted)", strength=quotes["quote_share"]))

    table = pd.concat(parts, axis=1)
    evidence = pd.concat([h.reindex(columns=FEATURE_HIT_COLUMNS) for h in hits], ignore_index=True)
    evidence = evidence[evidence["feature"].isin(table.columns)].reset_index(drop=True)
    return FrameFeatures(table, evidence, sentences[["doc_id", "sent_id", "text"]])


def load_frame_model(source=None) -> pd.DataFrame:
    """The weights table (bundled ``frame_model``, or a user's CSV with the same columns)."""
    table = load_lexicon("frame_model" if source is None else source,
                         required=("frame", "feature", "weight", "center", "scale"),
                         unique=("frame", "feature")).table
    return table.astype({"weight": float, "center": float, "scale": float})


def _apply(table: pd.DataFrame, model: pd.DataFrame) -> dict:
    """Per frame: (probability, threshold, contributions doc x feature, features) from the weights."""
    out = {}
    for frame, part in model.groupby("frame", sort=False):
        terms = part[~part["feature"].isin((INTERCEPT, THRESHOLD))]
        missing = [f for f in terms["feature"] if f not in table]
        if missing:
            raise KeyError(f"frame model needs unknown feature(s): {', '.join(missing)}")
        x = table[terms["feature"]].to_numpy(float)
        contribution = terms["weight"].to_numpy() * (x - terms["center"].to_numpy()) / terms["scale"].to_numpy()
        weight = part.set_index("feature")["weight"]
        logit = weight[INTERCEPT] + contribution.sum(axis=1)
        out[frame] = (1 / (1 + np.exp(-logit)), float(weight[THRESHOLD]), contribution, terms["feature"].tolist())
    return out


def confidence(probability, threshold: float) -> np.ndarray:
    """How far a probability is from the decision threshold, as a share of the way to 0 or 1:
    ``(p - t) / (1 - t)`` for a present verdict, ``(t - p) / t`` for an absent one (0 at the threshold)."""
    p = np.asarray(probability, dtype=float)
    return np.where(p >= threshold, (p - threshold) / (1 - threshold), (threshold - p) / threshold)


def score_frame_model(result_or_features, *, tokens: pd.DataFrame | None = None, model=None,
                      min_confidence: float = MIN_CONFIDENCE, n_features: int = 3,
                      n_sentences: int = 2) -> FrameVerdicts:
    """Frame verdicts per document: probability, verdict (``present`` / ``absent``, or None for an
    abstention below ``min_confidence``, see ``confidence``), and evidence: the ``n_features``
    features that moved the verdict most (contribution to the log-odds, relative to the training
    mean) with up to ``n_sentences`` cue sentences each.

    ``result_or_features``: a ``FrameFeatures`` or an ``analyse_framing`` result (then ``tokens``)."""
    features = result_or_features if isinstance(result_or_features, FrameFeatures) else \
        frame_features(result_or_features, tokens)
    table = features.table
    rows, evidence = [], []
    text = features.sentences.set_index(["doc_id", "sent_id"])["text"]
    hits = features.hits.sort_values("strength", ascending=False, kind="stable")
    by_feature = {key: part for key, part in hits.groupby(["doc_id", "feature"], sort=False)}
    for frame, (probability, threshold, contribution, names) in _apply(table, load_frame_model(model)).items():
        present = probability >= threshold
        conf = confidence(probability, threshold)
        verdict = np.where(conf < min_confidence, None, np.where(present, "present", "absent"))
        rows.append(pd.DataFrame({"doc_id": table.index, "frame": frame, "probability": probability,
                                  "threshold": threshold, "present": present,
                                  "verdict": pd.Series(verdict, dtype=object),
                                  "confidence": conf}))
        toward = np.where(present[:, None], contribution, -contribution)
        for i, doc in enumerate(table.index):
            for rank, j in enumerate(np.argsort(-toward[i], kind="stable")[:n_features], start=1):
                if toward[i, j] <= 0:
                    break
                cues = by_feature.get((doc, names[j]))
                sent = cues.groupby("sent_id", sort=False)["matched"].agg(
                    lambda m: ", ".join(dict.fromkeys(m.astype(str)))).head(n_sentences) if cues is not None \
                    else pd.Series(dtype=object)
                for sent_id, matched in (sent.items() if len(sent) else [(None, None)]):
                    evidence.append({"doc_id": doc, "frame": frame, "rank": rank, "feature": names[j],
                                     "value": float(table.iloc[i][names[j]]),
                                     "contribution": float(contribution[i, j]), "sent_id": sent_id,
                                     "sentence": None if sent_id is None else text.get((doc, sent_id)),
                                     "cues": matched})
    columns = ["doc_id", "frame", "rank", "feature", "value", "contribution", "sent_id", "sentence", "cues"]
    return FrameVerdicts(pd.concat(rows, ignore_index=True), pd.DataFrame(evidence, columns=columns))
