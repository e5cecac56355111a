"""Entity roles with direction, on hand-labelled sentences written for the tests."""
import pytest

from corpus_tools.framing.actors import find_actors
from corpus_tools.framing.roles import assign_roles, roles_for_entities, stat_actor_roles
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
