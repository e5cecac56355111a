"""Actors: gazetteer aliases, longest match, diacritics, context resolution, candidates, any entity list."""
import pandas as pd
import pytest

from corpus_tools.framing.actors import find_actors, gazetteer_from_entities, load_gazetteer, suggest_actors
from corpus_tools.lexicons import LexiconError
from tests.framing_helpers import prepared


def test_aliases_map_to_one_actor_longest_first_and_diacritics_folded():
    _, sentences = prepared("President İlham Aliyev spoke in Baku. The Armed Forces of the Republic of Azerbaijan "
                            "and the Armed Forces of the Republic of Armenia met. Yerevan and Pashinyan replied.")
    mentions = find_actors(sentences)
    assert mentions["actor_id"].tolist() == ["az_president", "az_state", "az_armed_forces", "am_armed_forces",
                                             "am_state", "am_pm"]
    assert mentions["matched"].iloc[0] == "President İlham Aliyev"


def test_context_alias_resolved_by_document_majority_and_metadata():
    text_az = "Azerbaijan and Baku agreed. The Foreign Ministry said so."
    text_am = "Yerevan said Armenia agreed. The Foreign Ministry said so."
    _, sentences = prepared(text_az, text_am)
    mentions = find_actors(sentences)
    ministry = mentions[mentions["matched"] == "Foreign Ministry"].set_index("doc_id")
    assert ministry.loc["d0", "actor_id"] == "az_mfa" and ministry.loc["d1", "actor_id"] == "am_mfa"
    assert set(ministry["resolved"]) == {"document majority"}
    # metadata side beats the mention majority
    corpus, sentences = prepared(text_az, ids=["x"], side=["am"])
    mentions = find_actors(sentences, documents=corpus.documents)
    row = mentions[mentions["matched"] == "Foreign Ministry"].iloc[0]
    assert (row["actor_id"], row["resolved"]) == ("am_mfa", "metadata side")
    # a tie with no metadata stays ambiguous
    _, sentences = prepared("Armenia and Azerbaijan met. The Foreign Ministry said so.")
    assert find_actors(sentences).query("matched == 'Foreign Ministry'")["resolved"].item() == "ambiguous"


def test_any_entity_list_with_surname_heads():
    gaz = gazetteer_from_entities(["Republican Rep. Matt Gaetz", "climate change", "Matt Gaetz"])
    assert gaz["aliases"].tolist()[0] == "Republican Rep. Matt Gaetz"  # head 'Gaetz' shared by two: left out
    _, sentences = prepared("Gaetz said climate change is real. Matt Gaetz agreed.")
    mentions = find_actors(sentences, gazetteer=["Matt Gaetz", "climate change"])
    assert mentions["canonical"].tolist() == ["Matt Gaetz", "climate change", "Matt Gaetz"]


def test_candidate_actors_recur_and_skip_known_names():
    corpus, sentences = prepared("The Lachin Corridor was closed. Azerbaijan said the Lachin Corridor is open. "
                                 "On Monday the Lachin Corridor reopened. Monday came.")
    mentions = find_actors(sentences)
    candidates = suggest_actors(corpus.tokens, mentions, min_count=2)
    assert candidates["candidate"].tolist() == ["Lachin Corridor"]
    assert candidates["mentions"].item() == 3


def test_gazetteer_validation_names_file_and_line(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("actor_id,canonical,aliases,type,side\na,A,Alpha,state,x\na,A2,Beta,state,y\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="line 3: duplicate actor_id 'a'"):
        load_gazetteer(path)
    path.write_text("actor_id,canonical,aliases,type\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="missing column"):
        load_gazetteer(path)


def test_empty_inputs():
    _, sentences = prepared("Nothing here.")
    assert find_actors(sentences).empty
    assert find_actors(sentences.iloc[0:0]).columns.tolist()[:3] == ["doc_id", "sent_id", "start"]
    assert find_actors(sentences, gazetteer=pd.DataFrame(columns=["actor_id", "canonical", "aliases", "type",
                                                                  "side"])).empty
