"""The learned frame model (Frermann et al. 2023 narrative frames): file, runtime, fit reproduction."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from corpus_tools.framing import analyse_framing
from corpus_tools.framing.frame_model import (INTERCEPT, THRESHOLD, confidence, frame_features, load_frame_model,
                                              score_frame_model)
from corpus_tools.framing.frames import NARRATIVE_FRAMES
from corpus_tools.lexicons import bundled_lexicon_path
from corpus_tools.pipeline import prepare_corpus
from corpus_tools.validate import krippendorff_alpha
from tests.conflict_corpora import CORPORA, corpus_path
from tests.helpers import ROOT

EVAL = ROOT.parent / "shared" / "eval"


def _verdicts(corpus):
    result = analyse_framing(corpus.documents, corpus.sentences, corpus.tokens)
    return result, score_frame_model(frame_features(result, corpus.tokens))


def test_model_file_loads_with_every_frame_and_the_features_the_pipeline_computes(seed_corpus):
    model = load_frame_model()
    assert list(dict.fromkeys(model["frame"])) == list(NARRATIVE_FRAMES)
    result = analyse_framing(seed_corpus.documents, seed_corpus.sentences, seed_corpus.tokens)
    columns = set(frame_features(result, seed_corpus.tokens).table.columns)
    for frame, part in model.groupby("frame"):
        terms = part.set_index("feature")
        assert 0 < terms.at[THRESHOLD, "weight"] < 1
        assert set(terms.index) - {INTERCEPT, THRESHOLD} == columns
        assert (terms["scale"] > 0).all()


@pytest.mark.parametrize("name", ["seed", "russia_ukraine"])
def test_verdicts_carry_confidence_and_evidence_sentences(name, seed_corpus):
    if name == "seed":
        corpus = seed_corpus
    else:
        spec = CORPORA[name]
        corpus = prepare_corpus(corpus_path(name), text_column=spec["text_column"], show_progress=False)
    result, out = _verdicts(corpus)
    verdicts = out.verdicts
    assert len(verdicts) == len(NARRATIVE_FRAMES) * result.sentences["doc_id"].nunique()
    assert verdicts["probability"].between(0, 1).all() and verdicts["confidence"].between(0, 1).all()
    answered = verdicts["verdict"].notna()
    assert answered.any()
    assert (verdicts.loc[answered, "verdict"] == np.where(verdicts.loc[answered, "present"], "present", "absent")).all()
    assert (verdicts.loc[~answered, "confidence"] < 0.2).all()
    present = verdicts[verdicts["present"]]
    assert len(present)
    evidence = out.evidence.merge(present[["doc_id", "frame"]], on=["doc_id", "frame"])
    # every present verdict names the features that pushed it up, and cue features found in the
    # document their sentences (a cue feature can also push by its absence: value 0, no sentence)
    assert set(map(tuple, present[["doc_id", "frame"]].to_numpy())) <= set(map(tuple, evidence[["doc_id", "frame"]].to_numpy()))
    assert (evidence["contribution"] > 0).all()
    cued = evidence[evidence["feature"].str.startswith("cues:")]
    assert cued.loc[cued["value"] > 0, "sentence"].notna().all() and cued.loc[cued["value"] == 0, "sentence"].isna().all()
    cued = cued[cued["value"] > 0]
    assert len(cued)
    for row in cued.itertuples():
        text = result.sentences.set_index(["doc_id", "sent_id"]).at[(row.doc_id, row.sent_id), "text"]
        assert row.sentence == text and row.cues.split(", ")[0].lower() in text.lower()


def test_probability_is_the_logistic_of_the_weights_and_abstains_near_the_threshold(tmp_path):
    model = pd.DataFrame({"frame": "EC", "feature": ["a", "b", INTERCEPT, THRESHOLD],
                          "weight": [2.0, -1.0, 0.5, 0.4], "center": [1.0, 0.0, 0, 0], "scale": [2.0, 1.0, 1, 1]})
    path = tmp_path / "m.csv"
    model.to_csv(path, index=False)
    table = pd.DataFrame({"a": [3.0, 1.0], "b": [0.0, 1.0]}, index=pd.Index(["x", "y"], name="doc_id"))
    from corpus_tools.framing.frame_model import FrameFeatures
    features = FrameFeatures(table, pd.DataFrame(columns=["doc_id", "sent_id", "feature", "matched", "strength"]),
                             pd.DataFrame(columns=["doc_id", "sent_id", "text"]))
    out = score_frame_model(features, model=path, min_confidence=0.3).verdicts
    # x: 0.5 + 2 * (3 - 1) / 2 = 2.5; y: 0.5 - 1 = -0.5
    expected = 1 / (1 + np.exp(-np.array([2.5, -0.5])))
    assert out["probability"].to_numpy() == pytest.approx(expected)
    assert out["confidence"].to_numpy() == pytest.approx([(expected[0] - 0.4) / 0.6, (0.4 - expected[1]) / 0.4])
    assert out["verdict"].tolist() == ["present", None]  # y: p = 0.378, just under 0.4: confidence 0.055
    assert confidence([0.1, 0.4, 0.7], 0.4) == pytest.approx([0.75, 0.0, 0.5])


def test_bootstrap_scores_of_the_fit_match_the_plain_functions():
    from bench.fit_frames import _scores
    rng = np.random.default_rng(3)
    pred, gold = rng.random(60) < 0.4, rng.random(60) < 0.3
    weights = np.vstack([np.ones(60), rng.integers(0, 3, 60)])
    scores = _scores(pred, gold, weights)
    repeated = np.repeat(np.arange(60), weights[1].astype(int))
    for row, index in ((0, np.arange(60)), (1, repeated)):
        p, g = pred[index], gold[index]
        assert scores["alpha"][row] == pytest.approx(krippendorff_alpha(np.column_stack([p, g]).astype(int)))
        assert scores["f1"][row] == pytest.approx(2 * (p & g).sum() / (2 * (p & g).sum() + (p != g).sum()))
        assert scores["accuracy"][row] == pytest.approx((p == g).mean())


@pytest.mark.skipif(not (EVAL / "narrative_frames_articles_dev.tsv").is_file(), reason="../shared/eval absent")
def test_fit_script_reproduces_the_stored_model(tmp_path):
    from bench.fit_frames import main
    main(["--eval-dir", str(EVAL), "--out", str(tmp_path)])
    fitted = pd.read_csv(tmp_path / "frame_model.csv")
    stored = pd.read_csv(bundled_lexicon_path("frame_model"))
    assert fitted[["frame", "feature"]].equals(stored[["frame", "feature"]])
    assert np.allclose(fitted[["weight", "center", "scale"]], stored[["weight", "center", "scale"]], atol=2e-6)
    new = json.loads((tmp_path / "frame_model.meta.json").read_text())["provenance"]
    old = json.loads(bundled_lexicon_path("frame_model").with_suffix(".meta.json").read_text())["provenance"]
    for key in ("data_sha256", "features", "chosen", "cv_figures", "always_present_baseline"):
        assert new[key] == old[key], key
