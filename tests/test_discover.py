"""Actors found in the corpus (framing.discover) and the ``actors`` command (issue 13 items 1 and 5)."""
from __future__ import annotations

import pandas as pd
import pytest

from corpus_tools import config
from corpus_tools.framing import analyse_framing, find_actors, load_gazetteer, propose_actors
from corpus_tools.framing.cues import normalise
from corpus_tools.framing.discover import name_key
from corpus_tools.framing.packs import load_pack
from corpus_tools.pipeline import prepare_corpus
from corpus_tools.run import main
from corpus_tools.segment import content_sentences
from tests.conflict_corpora import CORPORA, corpus_path, load_expected, load_params
from tests.framing_helpers import prepared

CONFLICTS = ["russia_ukraine", "ethiopia_tigray"]
TOP = 15


@pytest.fixture(scope="module")
def corpora():
    return {name: prepare_corpus(corpus_path(name), **load_params(name), show_progress=False) for name in CONFLICTS}


@pytest.fixture(scope="module")
def proposals(corpora):
    return {name: propose_actors(content_sentences(c.sentences), c.tokens, documents=c.documents,
                                 group_column=CORPORA[name]["group_column"]) for name, c in corpora.items()}


def aliases(row) -> set[str]:
    return {normalise(a) for a in row["aliases"].split("|")}


def rows_for(table: pd.DataFrame, annotated: dict) -> pd.DataFrame:
    """The proposed rows sharing an alias with an annotated actor of expected.json."""
    wanted = {normalise(a) for a in [annotated["canonical"], *annotated["aliases"]]}
    return table[[bool(aliases(row) & wanted) for _, row in table.iterrows()]]


def row_named(table: pd.DataFrame, alias: str) -> pd.Series:
    found = table[[normalise(alias) in aliases(row) for _, row in table.iterrows()]]
    assert len(found) == 1, (alias, found)
    return found.iloc[0]


@pytest.mark.parametrize("name", CONFLICTS)
def test_main_parties_and_leaders_are_among_the_top_actors(proposals, name):
    expected = load_expected(name)
    top = proposals[name].head(TOP)
    missing = [a for a in expected["top_actors"] if rows_for(top, expected["actors"][a]).empty]
    assert not missing, top[["canonical", "aliases", "mentions"]]


@pytest.mark.parametrize("name", CONFLICTS)
def test_no_seed_actor_is_proposed(proposals, name):
    seed = load_expected(name)["seed_absent"]
    banned = {normalise(n) for n in seed["names"]}
    table = proposals[name]
    assert not set(table["actor_id"]) & set(seed["actor_ids"])
    assert not any(aliases(row) & banned or normalise(row["canonical"]) in banned for _, row in table.iterrows())


def test_spelling_variants_and_surnames_join_the_full_name(proposals):
    ru, et = proposals["russia_ukraine"], proposals["ethiopia_tigray"]
    zelenskyy = row_named(ru, "Volodymyr Zelenskyy")
    assert {"zelenskyy", "zelensky", "president volodymyr zelenskyy"} <= aliases(zelenskyy)
    assert zelenskyy["canonical"] == "Volodymyr Zelenskyy" and zelenskyy["type"] == "person"
    assert {"putin", "president putin", "president of russia vladimir putin"} <= aliases(row_named(ru, "Putin"))
    abiy = row_named(et, "Abiy Ahmed")
    assert {"abiy", "prime minister abiy ahmed"} <= aliases(abiy) and abiy["titles"] == "Prime Minister"
    assert {"getachew"} <= aliases(row_named(et, "Getachew Reda"))
    assert name_key("Zelenskyy") == name_key("Zelensky") == name_key("Zelenskiy") != name_key("Zelenko")


def test_two_people_with_one_surname_stay_apart():
    corpus, sentences = prepared(
        "Minister Anna Kovalenko met General Oleh Kovalenko in the capital. Kovalenko said the talks went well.",
        "Anna Kovalenko thanked Oleh Kovalenko. Later Kovalenko left for the front.")
    table = propose_actors(sentences, corpus.tokens, min_count=1)
    people = table[table["type"] == "person"]
    assert sorted(people["canonical"]) == ["Anna Kovalenko", "Oleh Kovalenko"]
    assert not any("kovalenko" in aliases(row) for _, row in people.iterrows())  # the bare surname is ambiguous
    assert set(people["titles"]) == {"Minister", "General"}


def test_world_pack_merges_states_capitals_and_demonym_forces(corpora, proposals):
    for name, pairs in {"russia_ukraine": {"Moscow": "rus", "Kremlin": "rus", "Russian Federation": "rus",
                                           "Kyiv": "ukr", "Kiev": "ukr", "Russian forces": "rus_military",
                                           "Ukrainian troops": "ukr_military"},
                        "ethiopia_tigray": {"Addis Ababa": "eth", "Asmara": "eri",
                                            "Eritrean troops": "eri_military"}}.items():
        table = proposals[name]
        mentions = find_actors(content_sentences(corpora[name].sentences),
                               gazetteer=table[["actor_id", "canonical", "aliases", "type", "side", "context", "match"]])
        for form, actor in pairs.items():
            found = mentions[mentions["matched"].map(normalise).str.endswith(normalise(form))]
            assert len(found) and set(found["actor_id"]) == {actor}, (name, form, found)
    ru = proposals["russia_ukraine"].set_index("actor_id")
    assert ru.at["rus_military", "type"] == "military" and ru.at["rus_military", "side"] == "rus"


def test_titles_say_who_is_a_person_and_their_country(corpora):
    corpus = corpora["russia_ukraine"]
    table = propose_actors(content_sentences(corpus.sentences), corpus.tokens, min_count=1)
    kuleba = row_named(table, "Dmytro Kuleba")
    assert (kuleba["type"], kuleba["side"]) == ("person", "ukr")
    assert kuleba["titles"] == "Minister for Foreign Affairs of Ukraine"
    putin = row_named(table, "Vladimir Putin")
    assert putin["side"] == "rus" and "President of Russia" in putin["titles"]
    assert row_named(table, "Pavlo Kyrylenko")["titles"] == "regional governor"  # a lower-case title before


def test_bodies_take_the_type_of_their_head_noun_and_acronyms_join(proposals):
    corpus, sentences = prepared(
        "Fighters of the Northern Liberation Front (NLF) crossed the river. The NLF said its units held.",
        "The Northern Liberation Front denied it. Witnesses said the Coastal Defence Forces had withdrawn and "
        "the Coastal Defence Forces left, and Zubrian forces moved in. Zubrian troops looted the port.")
    table = propose_actors(sentences, corpus.tokens).set_index("canonical")
    assert table.at["Northern Liberation Front", "type"] == "organisation"
    assert "nlf" in {normalise(a) for a in table.at["Northern Liberation Front", "aliases"].split("|")}
    assert table.at["Coastal Defence Forces", "type"] == "military"
    assert table.at["Zubrian forces", "type"] == "military"
    assert set(table.at["Zubrian forces", "aliases"].split("|")) == {"Zubrian forces", "Zubrian troops"}


def test_headline_calendar_and_sentence_opening_words_are_not_actors(proposals):
    for table in proposals.values():
        names = set(table["canonical"])
        assert not names & {"Question", "Speaking", "Statement", "The", "He", "Monday", "May"}
    assert "Statement" not in {w for a in proposals["ethiopia_tigray"]["aliases"] for w in a.split()}  # headline
    assert "unknown" in set(proposals["russia_ukraine"]["type"])  # Donbass, Mariupol: candidates, no type


def test_suggested_side_first_person_before_most_mentions(proposals):
    ru = proposals["russia_ukraine"]
    assert row_named(ru, "Vladimir Putin")["suggested_side"] == "kremlin"
    assert row_named(ru, "Volodymyr Zelenskyy")["suggested_side"] == "ua_presidency"
    assert ru["side_suggested_by"].str.len().gt(0).all()
    corpus, sentences = prepared("We stand with our Marvania.", "Marvania attacked again. Marvania lied.",
                                 "Marvania shelled the town.", side=["a", "b", "b"])
    table = propose_actors(sentences, corpus.tokens, documents=corpus.documents, group_column="side")
    marvania = row_named(table, "Marvania")
    assert marvania["suggested_side"] == "a" and marvania["side_suggested_by"].startswith("first person")
    assert propose_actors(sentences, corpus.tokens)["suggested_side"].eq("").all()  # no groups, no suggestion


def test_seed_proposal_has_azerbaijan_and_armenia():
    corpus = prepare_corpus(config.SEEDS_DIR, show_progress=False)
    table = propose_actors(content_sentences(corpus.sentences), corpus.tokens)
    assert {"aze", "arm"} <= set(table["actor_id"])


def test_actors_command_writes_a_gazetteer_the_suite_takes_back(tmp_path, capsys):
    out = tmp_path / "actors.csv"
    assert main(["actors", "--corpus", str(corpus_path("russia_ukraine")), "--out", str(out), "--text-column",
                 "body", "--group", "side"]) == 0
    printed = capsys.readouterr().out
    assert "actors:" in printed and "Vladimir Putin" in printed and "gazetteer=" in printed
    table = load_gazetteer(out).table
    assert {"mentions", "suggested_side", "evidence"} <= set(table.columns)
    assert load_pack(out).actors["actor_id"].tolist() == table["actor_id"].tolist()
    corpus = prepare_corpus(corpus_path("russia_ukraine"), **load_params("russia_ukraine"), show_progress=False)
    result = analyse_framing(corpus.documents, corpus.sentences, corpus.tokens, gazetteer=str(out))
    assert {"vladimir_putin", "volodymyr_zelenskyy", "rus", "ukr"} <= set(result.mentions["actor_id"])
    assert main(["actors", "--corpus", str(corpus_path("russia_ukraine")), "--out", str(out),
                 "--text-column", "body"]) == 0  # its own unchanged file is replaced


def test_actors_command_refuses_a_file_it_did_not_write(tmp_path, capsys):
    corpus = str(corpus_path("ethiopia_tigray"))
    foreign = tmp_path / "mine.csv"
    foreign.write_text("my own list\n", encoding="utf-8")
    assert main(["actors", "--corpus", corpus, "--out", str(foreign)]) == 1
    assert foreign.read_text(encoding="utf-8") == "my own list\n"
    assert "not written by corpus_tools" in capsys.readouterr().err
    edited = tmp_path / "actors.csv"
    assert main(["actors", "--corpus", corpus, "--out", str(edited)]) == 0
    edited.write_text(edited.read_text(encoding="utf-8") + "x,X,X,unknown,unknown,,phrase\n", encoding="utf-8")
    assert main(["actors", "--corpus", corpus, "--out", str(edited)]) == 1
    assert "changed since" in capsys.readouterr().err
    assert main(["actors", "--corpus", corpus, "--out", str(corpus_path("ethiopia_tigray") / "a.csv")]) == 1
    assert not (corpus_path("ethiopia_tigray") / "a.csv").exists()


def test_a_title_modifier_before_a_word_is_no_person():
    corpus, sentences = prepared("The Ministry of Foreign Affairs of Zubria protested. Later the Ministry of "
                                 "Foreign Affairs said so again.", "Officials at the West Bank office agreed. "
                                 "They visited the West Bank.")
    table = propose_actors(sentences, corpus.tokens)
    assert not (table["type"] == "person").any(), table
    assert table.set_index("canonical").at["West Bank", "type"] == "unknown"  # a place, not a bank
