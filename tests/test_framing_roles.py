"""Entity roles with direction, on hand-labelled sentences written for the tests."""
import numpy as np
import pandas as pd
import pytest

from corpus_tools.framing.actors import find_actors
from corpus_tools.framing.roles import (_BREAKS, ROLE_COLUMNS, ROLES, _decide, _no_break, assign_roles, roles_for_entities,
                                        stat_actor_roles)
from tests.framing_helpers import prepared

# (sentence, entity, expected main role, expected fine role)
LABELLED = [
    ("Armenia attacked the village.", "Armenia", "antagonist", "aggressor"),            # doer of a hostile act
    ("The village was attacked by Armenia.", "Armenia", "antagonist", "aggressor"),     # passive, agent after 'by'
    ("Another provocation from Armenia followed.", "Armenia", "antagonist", "instigator"),  # agent after 'from'
    ("Armenia was attacked.", "Armenia", "innocent", "victim"),                         # passive subject = target
    ("Artillery shelled Armenia again.", "Armenia", "innocent", "victim"),               # object of a hostile act
    ("Azerbaijan protected the civilians.", "Azerbaijan", "protagonist", "guardian"),   # protecting
    ("Azerbaijan offered to negotiate a peace treaty.", "Azerbaijan", "protagonist", "peacemaker"),
    ("Nearly one million displaced Azerbaijanis waited.", "displaced Azerbaijanis", "innocent", "victim"),
    ("The soldiers killed during the war were remembered.", "soldiers", "innocent", "victim"),  # reduced passive
    ("Our Martyrs died for the homeland.", "Martyrs", "protagonist", "martyr"),
    ("The brave Azerbaijani Army advanced.", "Azerbaijani Army", "protagonist", "virtuous"),
    ("Baku blamed Yerevan for the escalation.", "Yerevan", "antagonist", "aggressor"),   # the one blamed
    ("The regime of Pashinyan ruled the city.", "Pashinyan", "antagonist", "tyrant"),
    ("Pashinyan is an aggressor.", "Pashinyan", "antagonist", "aggressor"),
    ("The refugees were forgotten by the world.", "refugees", "innocent", "forgotten"),
]


@pytest.mark.parametrize("sentence,entity,role,fine", LABELLED, ids=[s[:30] for s, *_ in LABELLED])
def test_role_and_fine_role(sentence, entity, role, fine):
    corpus, sentences = prepared(sentence)
    result = roles_for_entities(sentences, corpus.tokens, [entity])
    assert len(result.roles) == 1, result.evidence
    row = result.roles.iloc[0]
    assert (row["role"], row["fine_role"]) == (role, fine)
    assert row["evidence"] == sentences["text"].iloc[0]


def test_negated_cue_gives_no_role():
    corpus, sentences = prepared("Armenia did not attack the village.")
    assert roles_for_entities(sentences, corpus.tokens, ["Armenia"]).roles.empty


def test_locative_and_far_mentions_are_not_linked():
    corpus, sentences = prepared("Prisoners of war are still held in Baku. Armenia, after long talks in a distant city "
                                 "with many delegates from abroad and observers, attacked.")
    result = roles_for_entities(sentences, corpus.tokens, ["Baku", "Armenia"])
    assert result.roles.empty


def test_confidence_and_matrix_hand_computed():
    text = ("Armenia attacked the town. Armenia shelled the city. Armenia protected the bridge. "
            "Azerbaijan protected the civilians.")
    corpus, sentences = prepared(text)
    mentions = find_actors(sentences)
    result = assign_roles(sentences, corpus.tokens, mentions)
    armenia = result.roles.set_index("actor_id").loc["am_state"]
    # 2 antagonist + 1 protagonist pieces: share 2/3 x n/(n+1) = 3/4 -> 0.5
    assert armenia["role"] == "antagonist" and armenia["n_evidence"] == 3
    assert armenia["confidence"] == pytest.approx(2 / 3 * 3 / 4)
    matrix = stat_actor_roles(result.evidence)
    assert matrix.loc["Armenian state"].tolist() == [1, 2, 0]
    assert matrix.loc["Azerbaijani state"].tolist() == [1, 0, 0]


def test_entity_table_limits_names_to_their_document():
    import pandas as pd
    corpus, sentences = prepared("Armenia attacked.", "Armenia attacked.")
    wanted = pd.DataFrame({"doc_id": ["d1"], "entity": ["Armenia"]})
    result = roles_for_entities(sentences, corpus.tokens, wanted)
    assert result.roles["doc_id"].tolist() == ["d1"]


def test_empty_inputs():
    corpus, sentences = prepared("Calm day.")
    assert assign_roles(sentences, corpus.tokens, find_actors(sentences)).roles.empty
    assert roles_for_entities(sentences.iloc[0:0], corpus.tokens, ["Armenia"]).evidence.empty


def test_sentence_backoff_links_far_mentions_at_half_weight():
    corpus, sentences = prepared("Armenia, after long talks in a distant city with many delegates from abroad and "
                                 "observers, attacked.")
    assert roles_for_entities(sentences, corpus.tokens, ["Armenia"]).roles.empty
    result = roles_for_entities(sentences, corpus.tokens, ["Armenia"], backoff=True)
    row = result.evidence.iloc[0]
    assert (row["link"], row["direction"], row["role"], row["weight"]) == ("sentence", "doer", "antagonist", 0.5)
    assert result.roles["confidence"].item() == pytest.approx(1.0 * 0.5 / 1.5)


def _decide_reference(evidence, sentences):
    """The pivot-table reading of ``_decide`` (what it computed before it ran on integer codes)."""
    keys = ["doc_id", "actor_id"]
    evidence = evidence.merge(sentences.rename(columns={"text": "sentence"}), on=["doc_id", "sent_id"], how="left")
    weights = evidence.pivot_table(index=keys, columns="role", values="weight", aggfunc="sum", fill_value=0.0)
    weights = weights.reindex(columns=list(ROLES), fill_value=0.0)
    total = weights.sum(axis=1)
    table = weights.assign(role=weights.idxmax(axis=1), n_evidence=evidence.groupby(keys).size(),
                           confidence=weights.max(axis=1) / total * total / (total + 1))
    fine = (evidence.groupby([*keys, "role", "fine_role"])["weight"].sum().reset_index()
            .sort_values("weight", ascending=False, kind="stable").drop_duplicates([*keys, "role"]))
    sentences = (evidence.drop_duplicates([*keys, "role", "sentence"]).groupby([*keys, "role"])["sentence"]
                 .agg(" | ".join).rename("evidence").reset_index())
    names = evidence.drop_duplicates(keys)[[*keys, "canonical", "side"]]
    table = (table.reset_index().merge(fine.drop(columns="weight"), on=[*keys, "role"], how="left")
             .merge(sentences, on=[*keys, "role"], how="left").merge(names, on=keys, how="left"))
    return table[ROLE_COLUMNS].sort_values(["doc_id", "n_evidence"], ascending=[True, False]).reset_index(drop=True)


def test_decide_equals_the_pivot_table_reading_bit_for_bit():
    """Weights that do not add up exactly (0.1, 1e16), ties between roles and fine roles, a zero-weight
    actor whose winning role has no evidence, documents and actors out of order, repeated sentences."""
    rng = np.random.default_rng(7)
    n = 400
    role = rng.choice(list(ROLES), n)
    evidence = pd.DataFrame({
        "doc_id": rng.choice(["d2", "d10", "d1", "é"], n), "actor_id": rng.choice(["b", "a", "c", "Z"], n),
        "role": role, "fine_role": [f"{r[:3]}{rng.integers(0, 3)}" for r in role],
        "weight": rng.choice([0.1, 0.2, 0.3, 1.0, 1e16, 0.5], n), "sent_id": rng.choice(4, n)})
    evidence["canonical"] = evidence["actor_id"].str.upper()
    evidence["side"] = evidence["actor_id"].map({"a": "az", "b": "am", "c": "", "Z": "am"})
    evidence.loc[len(evidence)] = {"doc_id": "d0", "actor_id": "a", "role": "innocent", "fine_role": "victim",
                                   "weight": 0.0, "sent_id": 0, "canonical": "A", "side": "az"}
    sentences = pd.DataFrame([(d, k, f"{d}: s{k}") for d in ["d2", "d10", "d1", "é", "d0"] for k in range(4)],
                             columns=["doc_id", "sent_id", "text"])  # evidence text joined by key
    for part in (evidence, evidence.iloc[::-1], evidence.iloc[:7], evidence.iloc[[-1]]):
        part = part.reset_index(drop=True)
        pd.testing.assert_frame_equal(_decide(part, sentences), _decide_reference(part, sentences), check_exact=True)


def test_no_break_equals_a_scan_of_each_range():
    lower = np.array(["a", ",", "b", "(", "c", "d", "—", "e", ""], dtype=object)
    rng = np.random.default_rng(1)
    first = rng.integers(0, len(lower), 200)
    stop = first + rng.integers(-2, 6, 200)
    expected = [not any(w in _BREAKS for w in lower[a:max(a, b)]) for a, b in zip(first, np.minimum(stop, len(lower)))]
    assert _no_break(first, np.minimum(stop, len(lower)), lower).tolist() == expected
