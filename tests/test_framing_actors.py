"""Actors: gazetteer aliases, longest match, diacritics, context resolution, candidates, any entity list."""
import pandas as pd
import pytest

from corpus_tools.framing.actors import find_actors, gazetteer_from_entities, load_gazetteer, suggest_actors
from corpus_tools.lexicons import LexiconError
from corpus_tools.segment import content_sentences
from tests.framing_helpers import prepared


def test_aliases_map_to_one_actor_longest_first_and_diacritics_folded():
    _, sentences = prepared("President İlham Aliyev spoke in Baku. The Armed Forces of the Republic of Azerbaijan "
                            "and the Armed Forces of the Republic of Armenia met. Yerevan and Pashinyan replied.")
    mentions = find_actors(sentences)
    assert mentions["actor_id"].tolist() == ["az_president", "az_state", "az_armed_forces", "am_armed_forces",
                                             "am_state", "am_pm"]
    assert mentions["matched"].iloc[0] == "President İlham Aliyev"


GAZ = pd.DataFrame({
    "actor_id": ["ru", "ru_pres", "ua", "ua_pres", "ua_pres", "ps", "il"],
    "canonical": ["Russia", "Vladimir Putin", "Ukraine", "Volodymyr Zelenskyy", "Volodymyr Zelenskyy", "Palestine",
                  "Israel"],
    "aliases": ["Russia|Moscow|Russian government", "Vladimir Putin|Putin", "Ukraine|Kyiv",
                "Volodymyr Zelenskyy|Zelenskyy", "the Head of State", "Palestine|Palestinian government", "Israel"],
    "type": ["state", "person", "state", "person", "person", "state", "state"],
    "side": ["ru", "ru", "ua", "ua", "ua", "ps", "il"],
    "context": ["", "", "", "", "document", "", ""],
    "title": ["Government", "President", "Government", "President", "President", "Government", "Government"]})


def _resolved(text, **kwargs):
    corpus, sentences = prepared(*([text] if isinstance(text, str) else text), **kwargs)
    mentions = find_actors(sentences, gazetteer=GAZ, documents=corpus.documents)
    return mentions[mentions["resolved"] != "unique"][["doc_id", "matched", "canonical", "resolved"]].values.tolist()


def test_context_name_is_the_nearest_preceding_actor_with_that_title():
    """Titles from the ``title`` column make "the President" a context name; two presidents in one document."""
    assert _resolved("Vladimir Putin met Volodymyr Zelenskyy. The President said so. Putin left. The Head of State "
                     "stayed.") == [["d0", "The President", "Volodymyr Zelenskyy", "antecedent"],
                                    ["d0", "The Head of State", "Volodymyr Zelenskyy", "antecedent"]]


def test_context_name_unresolved_when_the_document_names_no_holder():
    """A Kremlin text with the seed gazetteer: "the President" is not Aliyev, whoever the majority favours."""
    corpus, sentences = prepared("Moscow and Baku spoke. Azerbaijan agreed. The President said so.")
    row = find_actors(sentences).query("matched == 'The President'").iloc[0]
    assert (row["actor_id"], row["canonical"], row["resolved"]) == (
        "unresolved:the President", "(unresolved: the President)", "unresolved")
    assert _resolved("The President spoke.") == [["d0", "The President", "(unresolved: the President)", "unresolved"]]


def test_context_name_from_metadata_side_only_with_one_holder_on_it():
    ids = ["a", "b"]
    assert _resolved(["The President spoke.", "The Government spoke."], ids=ids, side=["ua", "ua"]) == [
        ["a", "The President", "Volodymyr Zelenskyy", "metadata side"],
        ["b", "The Government", "Ukraine", "metadata side"]]
    assert _resolved(["The President spoke."], ids=["a"], side=["wire"])[0][3] == "unresolved"


def test_context_name_named_with_the_title_beats_a_holder_named_later():
    """The document names Palestine's government; Israel, a state too, comes nearer but without the title."""
    assert _resolved("The Palestinian government met. Israel cut the power. The Government protested.") == [
        ["d0", "The Government", "Palestine", "antecedent"]]


def test_title_right_before_a_name_is_that_actor():
    """A bare title ("President" as a context alias) right before a name is that name's title."""
    gaz = GAZ.assign(aliases=GAZ["aliases"].where(GAZ["context"] != "document", "President"))
    corpus, sentences = prepared("Volodymyr Zelenskyy spoke. President Vladimir Putin replied.")
    mentions = find_actors(sentences, gazetteer=gaz)
    assert mentions.query("matched == 'President'")[["canonical", "resolved"]].values.tolist() == [
        ["Vladimir Putin", "apposition"]]


def test_title_carried_by_a_name_of_an_actor_without_title_column():
    """A user's gazetteer without titles for this actor: "President Isaias Afwerki" names him with the title."""
    gaz = pd.concat([GAZ, pd.DataFrame({"actor_id": ["isaias"], "canonical": ["Isaias Afwerki"],
                                        "aliases": ["Isaias Afwerki|President Isaias Afwerki"], "type": ["person"],
                                        "side": ["er"], "context": [""], "title": [""]})])
    corpus, sentences = prepared("Putin called. President Isaias Afwerki met Abiy. The President said so.")
    row = find_actors(sentences, gazetteer=gaz).query("matched == 'The President'").iloc[0]
    assert (row["canonical"], row["resolved"]) == ("Isaias Afwerki", "antecedent")


def test_seed_government_is_the_one_the_seed_names(seed_corpus):
    """On the seed, "Foreign Ministry" follows "Ministry of Foreign Affairs of Azerbaijan" and "The Government"
    "The Government of Azerbaijan"; the seed has no "the President", so none is resolved to Aliyev."""
    mentions = find_actors(content_sentences(seed_corpus.sentences), documents=seed_corpus.documents)
    context = mentions[mentions["resolved"] != "unique"]
    assert context[["matched", "actor_id", "resolved"]].values.tolist() == [
        ["Foreign Ministry", "az_mfa", "antecedent"], ["Foreign ministry statement", "az_mfa", "antecedent"],
        ["The Government", "az_state", "antecedent"]]


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


def test_candidates_at_positions_equal_suggest_actors_on_those_tokens():
    import numpy as np
    from corpus_tools.framing.actors import candidates_at
    corpus, sentences = prepared("The Lachin Corridor was closed. Azerbaijan said the Lachin Corridor is open. "
                                 "On Monday the Bank of Baku and Lachin Corridor reopened.",
                                 "Ministry of Defence of Armenia said. The Ministry of Defence and Lachin Corridor.")
    mentions = find_actors(sentences)
    rng = np.random.default_rng(4)
    for rows in (np.arange(len(corpus.tokens)), np.flatnonzero(rng.random(len(corpus.tokens)) < 0.8),
                 np.arange(5, 30), np.zeros(0, dtype=np.int64)):
        expected = suggest_actors(corpus.tokens.take(rows).reset_index(drop=True), mentions, min_count=1)
        assert len(rows) < 30 or len(expected) >= 2
        pd.testing.assert_frame_equal(candidates_at(corpus.tokens, rows, mentions, min_count=1), expected)


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
