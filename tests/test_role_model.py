"""The learned entity-role model (framing/role_model.py): shipped parameters, numpy application,
abstention and evidence."""
import numpy as np
import pandas as pd
import pytest

from corpus_tools.framing.actors import find_actors
from corpus_tools.framing.role_model import (LABELS, PREDICTION_COLUMNS, feature_names, load_role_model,
                                             predict_roles, probabilities)
from tests.framing_helpers import prepared

TEXT = ("Russia attacked Ukraine on Monday. Russian troops shelled Kyiv and killed civilians. "
        "The United States sent aid to Ukraine. Ukraine defended Kyiv.")


def test_shipped_model_matches_the_features_and_states_its_provenance():
    parameters, meta = load_role_model()
    assert parameters["feature"].tolist() == [*feature_names(), "(intercept)"]
    assert (parameters["scale"] > 0).all()
    assert 1 / len(LABELS) <= meta["threshold"] < 1
    cv = meta["provenance"]["cv"]
    assert {"coverage", "accuracy_covered", "macro_f1_covered", "alpha_covered",
            "majority_baseline_accuracy_same_entities"} <= set(cv)
    assert set(meta["provenance"]["data_sha256"]) == {"narrative_frames_roles_dev.tsv",
                                                      "narrative_frames_articles_dev.tsv"}


def test_probabilities_are_the_softmax_of_standardised_features():
    names = ["a", "b"]
    parameters = pd.DataFrame({"feature": [*names, "(intercept)"], "mean": [1.0, 0.0, 0.0], "scale": [2.0, 1.0, 1.0],
                               "w_hero": [1.0, 0.0, 0.5], "w_villain": [0.0, 1.0, 0.0], "w_victim": [0.0, 0.0, 0.0]})
    p = probabilities(pd.DataFrame({"a": [3.0], "b": [-1.0]}), parameters)
    logits = np.array([(3 - 1) / 2 * 1 + 0.5, -1.0, 0.0])
    assert p[0] == pytest.approx(np.exp(logits) / np.exp(logits).sum())


def test_verdicts_keep_evidence_and_abstain_below_the_threshold():
    corpus, sentences = prepared(TEXT)
    mentions = find_actors(sentences, gazetteer=["Russia", "Ukraine", "United States"])
    mentions = mentions.assign(actor_id=mentions["canonical"])
    table = predict_roles(sentences, corpus.tokens, mentions, threshold=0.0)
    assert table.columns.tolist() == PREDICTION_COLUMNS
    assert set(table["actor_id"]) == {"Russia", "Ukraine", "United States"}
    assert (table["role"] != "").all() and table["evidence"].str.len().gt(0).all()
    assert np.allclose(table[[f"p_{label}" for label in LABELS]].sum(axis=1), 1)
    russia = table.set_index("actor_id").loc["Russia"]
    assert "ro.hostile.attack" in russia["cues"] and "Russia attacked Ukraine" in russia["evidence"]
    assert (predict_roles(sentences, corpus.tokens, mentions, threshold=1.01)["role"] == "").all()
