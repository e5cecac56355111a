"""Learned hero / villain / victim per entity and document, on top of the clause rules (issue 15 item 2).

Interpretable features per (document, actor), all read from the suite's own layers:

* clause-rule and window evidence (``roles.assign_roles``, sentence backoff on) counted by role and
  relation: ``agent`` (clause doer), ``patient`` (clause target), ``label`` (window), ``backoff``
  (sentence), and the claimed links (``claimed_by`` set) by role;
* role-cue counts by act class (``framing_roles.csv`` ``act``) in the actor's sentences, per sentence;
* sentiment toward the actor (``targeted.score_targets``): mean score and mean p_negative;
* position of the first mention (share of the document), log mention count, share of mentions
  in quoted sentences.

A multinomial logistic regression (fitted by ``bench/fit_roles.py`` with scikit-learn on the
Frermann et al. 2023 development data, article-grouped nested CV; parameters in
``lexicons/role_model.csv`` + ``.meta.json``) is applied here with numpy. A verdict is given when
the actor is mentioned and the top probability reaches the model's stated ``threshold``;
otherwise the row abstains (``role`` blank). Every row keeps its evidence sentences and cues.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..targeted import score_targets
from .cues import match_cues
from .keys import sentence_text
from .roles import NARRATIVE_ROLE, ROLES, load_role_cues, role_cues, roles_from_hits

LABELS = tuple(NARRATIVE_ROLE[r] for r in ROLES)  # hero, villain, victim
RELATIONS = {("clause", "doer"): "agent", ("clause", "target"): "patient", ("window", "doer"): "label",
             ("window", "target"): "label", ("sentence", "doer"): "backoff", ("sentence", "target"): "backoff"}
PREDICTION_COLUMNS = ["doc_id", "actor_id", "canonical", "role", "narrative_role", "confidence",
                      *(f"p_{label}" for label in LABELS), "n_mentions", "evidence", "cues"]
#: Evidence sentences kept per verdict.
N_EVIDENCE = 3


def _acts() -> list[str]:
    return sorted(load_role_cues().table["act"].unique())


def feature_names() -> list[str]:
    """The model's features, in order."""
    relations = sorted(set(RELATIONS.values()))
    return ([f"{role}_{rel}" for role in ROLES for rel in relations] + [f"{role}_claimed" for role in ROLES]
            + [f"act_{act}" for act in _acts()]
            + ["target_score", "p_negative", "first_position", "log_mentions", "quoted_share"])


def entity_features(sentences: pd.DataFrame, tokens: pd.DataFrame, mentions: pd.DataFrame):
    """``(features, evidence)``: one feature row per (doc_id, actor_id) with mentions (index), and the
    role evidence of ``roles_from_hits`` (with backoff) behind them."""
    hits = match_cues(sentences, role_cues(load_role_cues()), tokens=tokens)
    evidence = roles_from_hits(hits, tokens, mentions, sentences, backoff=True).evidence
    keys = ["doc_id", "actor_id"]
    base = mentions.groupby(keys, sort=True).agg(n=("sent_id", "size"), first=("start", "min"))
    table = pd.DataFrame(index=base.index)
    relation = pd.Series([RELATIONS[k] for k in zip(evidence["link"], evidence["direction"])], index=evidence.index,
                         dtype=object)
    for role in ROLES:
        for rel in sorted(set(RELATIONS.values())):
            part = evidence[(evidence["role"] == role) & (relation == rel)]
            table[f"{role}_{rel}"] = np.log1p(part.groupby(keys).size().reindex(base.index, fill_value=0))
        part = evidence[(evidence["role"] == role) & (evidence["claimed_by"] != "")]
        table[f"{role}_claimed"] = np.log1p(part.groupby(keys).size().reindex(base.index, fill_value=0))
    here = mentions[[*keys, "sent_id"]].drop_duplicates()
    live = hits[~hits["negated"].astype(bool)]
    acts = here.merge(live[["doc_id", "sent_id", "act"]], on=["doc_id", "sent_id"])
    counts = acts.groupby([*keys, "act"]).size().unstack(fill_value=0)
    n_sent = here.groupby(keys).size()
    for act in _acts():
        column = counts[act] if act in counts else pd.Series(0, index=n_sent.index)
        table[f"act_{act}"] = (column.reindex(base.index, fill_value=0) / n_sent.reindex(base.index)).to_numpy()
    scored = score_targets(sentences, mentions[["doc_id", "sent_id", "start", "end"]].assign(
        actor=mentions["actor_id"].to_numpy()))
    scored = scored.assign(actor_id=scored["actor"])
    table["target_score"] = scored.groupby(keys)["target_score"].mean().reindex(base.index).fillna(0.0)
    table["p_negative"] = scored.groupby(keys)["p_negative"].mean().reindex(base.index).fillna(0.0)
    bounds = sentences.groupby("doc_id").agg(lo=("start", "min"), hi=("end", "max"))
    lo = bounds["lo"].reindex(base.index.get_level_values(0)).to_numpy()
    hi = bounds["hi"].reindex(base.index.get_level_values(0)).to_numpy()
    table["first_position"] = (base["first"].to_numpy() - lo) / np.maximum(hi - lo, 1)
    table["log_mentions"] = np.log(base["n"].to_numpy())
    quoted = mentions[[*keys, "sent_id"]].merge(sentences[["doc_id", "sent_id", "in_quote"]], on=["doc_id", "sent_id"])
    table["quoted_share"] = quoted.groupby(keys)["in_quote"].mean().reindex(base.index).fillna(0.0).astype(float)
    return table[feature_names()].astype(float), evidence


@lru_cache(maxsize=4)
def load_role_model(source: str = "role_model") -> tuple[pd.DataFrame, dict]:
    """``(parameters, meta)``: rows ``feature, mean, scale, w_hero, w_villain, w_victim`` (an
    ``(intercept)`` row last) and the provenance record with the abstention ``threshold``; ``source``
    is a bundled name or a path to a ``.csv`` beside its ``.meta.json``."""
    path = Path(source) if source.endswith(".csv") else config.PROJECT_ROOT / "corpus_tools" / "lexicons" / f"{source}.csv"
    table = pd.read_csv(path)
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    if table["feature"].iloc[:-1].tolist() != feature_names():
        raise ValueError(f"{path}: features do not match role_model.feature_names(); refit with bench/fit_roles.py")
    return table, meta


def probabilities(features: pd.DataFrame, parameters: pd.DataFrame) -> np.ndarray:
    """Softmax of the standardised features times the weights (one row per entity, LABELS order)."""
    body, intercept = parameters.iloc[:-1], parameters.iloc[-1]
    z = (features.to_numpy(float) - body["mean"].to_numpy()) / body["scale"].to_numpy()
    weights = body[[f"w_{label}" for label in LABELS]].to_numpy()
    logits = z @ weights + intercept[[f"w_{label}" for label in LABELS]].to_numpy(float)
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def predict_roles(sentences: pd.DataFrame, tokens: pd.DataFrame, mentions: pd.DataFrame, *,
                  model: str = "role_model", threshold: float | None = None) -> pd.DataFrame:
    """``PREDICTION_COLUMNS`` per (document, mentioned actor): the model's role, or blank (abstains)
    below ``threshold`` (default: the model's stated one), with evidence sentences and cue ids."""
    if mentions.empty:
        return pd.DataFrame(columns=PREDICTION_COLUMNS)
    parameters, meta = load_role_model(model)
    features, evidence = entity_features(sentences, tokens, mentions)
    p = probabilities(features, parameters)
    cut = float(meta["threshold"] if threshold is None else threshold)
    best = p.argmax(axis=1)
    confidence = p.max(axis=1)
    narrative = np.where(confidence >= cut, np.asarray(LABELS, dtype=object)[best], "")
    role = pd.Series(narrative).map({v: k for k, v in NARRATIVE_ROLE.items()}).fillna("").to_numpy()
    out = features.index.to_frame(index=False)
    names = mentions.drop_duplicates(["doc_id", "actor_id"]).set_index(["doc_id", "actor_id"])["canonical"]
    out["canonical"] = names.reindex(features.index).to_numpy()
    out["role"], out["narrative_role"], out["confidence"] = role, narrative, confidence
    for j, label in enumerate(LABELS):
        out[f"p_{label}"] = p[:, j]
    out["n_mentions"] = np.exp(features["log_mentions"].to_numpy()).round().astype(int)
    out["evidence"], out["cues"] = _evidence(out, evidence, mentions, sentences)
    return out[PREDICTION_COLUMNS]


def _evidence(out: pd.DataFrame, evidence: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame):
    """The first ``N_EVIDENCE`` sentences with role evidence for each row (else with a mention), " | "-joined,
    and the cue ids behind them."""
    keys = ["doc_id", "actor_id"]
    rows = pd.concat([evidence[[*keys, "sent_id", "cue_id"]],
                      mentions[[*keys, "sent_id"]].assign(cue_id="")], ignore_index=True)
    rows = rows.drop_duplicates([*keys, "sent_id"]).groupby(keys, sort=False).head(N_EVIDENCE)
    rows = rows.assign(text=sentence_text(rows, sentences))
    text = rows.groupby(keys)["text"].agg(" | ".join)
    cues = evidence.groupby(keys)["cue_id"].agg(lambda c: "|".join(dict.fromkeys(c)))
    index = pd.MultiIndex.from_frame(out[keys])
    return text.reindex(index).fillna("").to_numpy(), cues.reindex(index).fillna("").to_numpy()
