"""framing.validation baselines see the same units as the module (issue 15)."""
from __future__ import annotations

import pandas as pd
import pytest

from corpus_tools.framing import validation
from corpus_tools.framing.roles import RoleResult

TEXTS = ["The ministers met in the capital on Monday.", "Prices rose and the budget was cut again.",
         "The talks ended without a statement.", "Rain fell over the northern valleys.",
         "A committee will report next year."]


def test_frames_baseline_is_always_present_and_unlabelled_articles_are_no_units():
    articles = pd.DataFrame({"ID": range(5), "text": TEXTS, "RE": ["True", "False", "False", "False", None],
                             "HI": False, "CO": True, "MO": False, "EC": ["False", "True", "False)", "False", None]})
    scores = validation.validate_frames(articles).scores.set_index("label")
    # RE: 1 of 4 coded articles -> always present F1 = 2 * 1 / (2 * 1 + 3) = 0.4, accuracy 0.25
    assert scores.at["RE", "baseline_f1"] == pytest.approx(0.4)
    assert scores.at["RE", "baseline_accuracy"] == pytest.approx(0.25)
    assert scores.at["RE", "n"] == 4 and scores.at["HI", "n"] == 5
    assert scores.at["EC", "baseline_f1"] == pytest.approx(0.4)  # the malformed 'False)' is False
    assert scores.at["CO", "baseline_f1"] == pytest.approx(1.0)
    assert scores.at["HI", "baseline_f1"] == pytest.approx(0.0)  # no gold positives: every mark is wrong


def test_roles_baseline_is_the_majority_of_the_entities_the_module_labelled(monkeypatch):
    gold = ["hero", "hero", "hero", "villain", "villain", "victim"]
    roles = pd.DataFrame({"ID": [0] * 6, "entity": list("abcdef"), "role": gold})
    labelled = pd.DataFrame({"doc_id": "0", "actor_id": list("def"), "role": ["antagonist", "innocent", "innocent"],
                             "confidence": 0.9})
    monkeypatch.setattr(validation, "roles_for_entities",
                        lambda *a, **k: RoleResult(labelled, pd.DataFrame()))
    scores = validation.validate_roles(roles, pd.DataFrame({"ID": [0], "text": [TEXTS[0]]})).scores.set_index("label")
    # covered: d villain, e villain, f victim -> majority 'villain': accuracy 2/3 (over all entities 'hero': 0)
    assert scores.at["accuracy", "baseline_f1"] == pytest.approx(2 / 3)
    assert scores.at["villain", "baseline_f1"] == pytest.approx(0.8)
    assert scores.at["accuracy", "f1_labelled"] == pytest.approx(2 / 3)  # d and f right
    assert scores["coverage"].iloc[0] == pytest.approx(0.5)
