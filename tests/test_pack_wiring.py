"""The pack chosen for a corpus reaches every analysis (issue 13 items 3, 4, 7): analyse_framing, the
naming index, the engine's chunks, notebooks 01-05 and ``process``; coverage is shown first; one set of
corpus parameters everywhere; a run of 0 documents fails with the load report's reasons."""
import re

import pandas as pd
import pytest

from corpus_tools import engine, run
from corpus_tools.framing.analyse import analyse_framing
from corpus_tools.framing.naming import score_naming
from corpus_tools.framing.packs import describe_coverage, focus_actors, naming_sides, pack_sides, resolve_pack
from corpus_tools.pipeline import CORPUS_PARAMETERS, EmptyCorpus, open_corpus, prepare_corpus
from tests.conflict_corpora import CORPORA, corpus_path, load_expected
from tests.helpers import SEEDS, error_outputs, markdown_of, run_notebook

RU = "russia_ukraine"


def _open(name, **kwargs):
    return open_corpus(corpus_path(name), text_column=CORPORA[name]["text_column"], show_progress=False, **kwargs)


def _seed_names(text: str, name: str = RU) -> list[str]:
    return [n for n in load_expected(name)["seed_absent"]["names"] if re.search(rf"\b{re.escape(n)}\b", text)]


def test_analyse_framing_uses_the_pack_that_covers_the_corpus():
    study = _open(RU)
    c = study.corpus
    result = analyse_framing(c.documents, c.sentences, c.tokens)
    assert result.pack.name == "russia-ukraine" and "covers 68%" in result.pack.reason
    seed_ids = set(load_expected(RU)["seed_absent"]["actor_ids"]) - {"turkey"}  # a third state of both packs
    assert not set(result.mentions["actor_id"]) & seed_ids
    assert {"ru_state", "ua_state", "ru_president", "ua_president"} <= set(result.mentions["actor_id"])
    # the index's sides are the pack's: Kremlin usage ('special military operation') counts as ru, side a
    naming = score_naming(result.naming, documents=c.documents, pack=result.pack).set_index("doc_id")
    assert naming_sides(result.pack) == ("ru", "ua")
    assert naming.loc["kr_03", "side_a_hits"] > 0 and naming.loc["kr_03", "alignment"] > 0


def test_seed_keeps_the_armenia_azerbaijan_pack():
    c = prepare_corpus(SEEDS, show_progress=False)
    result = analyse_framing(c.documents, c.sentences, c.tokens)
    assert result.pack.name == "armenia-azerbaijan"
    assert score_naming(result.naming, pack=result.pack)["alignment"].iloc[0] > 0.5  # az usage


def test_conflict_gazetteer_and_naming_pairs_are_honoured(tmp_path):
    c = _open(RU).corpus
    world = analyse_framing(c.documents, c.sentences, c.tokens, conflict="world")
    assert world.pack.name == "world" and world.naming.empty and "named by conflict=" in world.pack.reason
    gazetteer = tmp_path / "mine.csv"
    gazetteer.write_text("actor_id,canonical,aliases,type,side\nkyiv,Kyiv city,Kyiv|Kiev,place,ua\n"
                         "mar,Mariupol,Mariupol,place,ua\n", encoding="utf-8")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("concept,term,side\ncapital,Kyiv,ua\ncapital,Kiev,ru\n", encoding="utf-8")
    mine = analyse_framing(c.documents, c.sentences, c.tokens, gazetteer=str(gazetteer), naming_pairs=str(pairs))
    assert set(mine.mentions["actor_id"]) == {"kyiv", "mar"} and mine.pack.name == "mine"
    assert set(mine.naming["term"]) == {"Kyiv", "Kiev"}
    assert naming_sides(mine.pack) == ("ua", "ru")  # no meta: the party sides in the order the pairs use them
    no_sides = score_naming(world.naming, documents=c.documents, pack=world.pack)
    assert no_sides["alignment"].isna().all()


def test_coverage_warning_fires_only_below_half():
    tigray = _open("ethiopia_tigray")
    text = describe_coverage(tigray.choice, corpus_path="my corpus")
    assert tigray.choice.name == "world + corpus actors" and "No bundled conflict pack covers this corpus" in text
    assert "`world` 35%" in text  # the bundled world pack's own coverage, beside the proposal's
    assert "`python -m corpus_tools actors --corpus my corpus --out actors.csv`" in text
    ukraine = _open(RU)
    assert "Low coverage" not in describe_coverage(ukraine.choice) and "**68%**" in describe_coverage(ukraine.choice)
    assert "(`corpus_tools/lexicons/packs/russia-ukraine`)" in describe_coverage(ukraine.choice)  # not this machine's path
    alone = resolve_pack(tigray.corpus.documents, propose=False)
    text = describe_coverage(alone, corpus_path="my corpus")
    assert alone.name == "world" and "Low coverage" in text and "Tigray (20)" in text
    assert "`python -m corpus_tools actors --corpus my corpus --out actors.csv`" in text
    table = ukraine.choice.table.assign(uncovered="Evil <b>*x*</b> (3)", name_coverage=0.1)
    assert "Evil &lt;b&gt;\\*x\\*&lt;/b&gt; (3)" in describe_coverage(table)


def test_actors_follow_the_pack_and_take_names_or_ids():
    study = _open(RU)
    top = study.focus(n=2)
    assert top["actor_id"].tolist() == ["ru_state", "ua_state"] and top["term"].tolist() == ["Russia", "Ukraine"]
    assert "the Government" not in top["forms"].iloc[0]  # a context name is not one of Russia's own names
    asked = focus_actors(study.mentions, ["Kremlin", "ua_president", "Nobody"], pack=study.choice)
    assert asked["actor_id"].fillna("").tolist() == ["ru_state", "ua_president", ""] and asked["term"].iloc[2] == "Nobody"


def test_column_parameters_and_zero_documents():
    study = _open(RU, id_column="title", date_column="date")
    assert study.corpus.documents["doc_id"].str.len().min() > 10  # titles, not the id column
    assert set(study.corpus.report["doc_id"].dropna()) == set(study.corpus.documents["doc_id"])
    with pytest.raises(EmptyCorpus, match="0 documents loaded .*missing text column 'text'"):
        open_corpus(corpus_path(RU), show_progress=False)


def _rows(table, columns):
    return table[columns].astype(str).sort_values(columns, kind="stable").reset_index(drop=True)


def test_process_corpus_gives_what_notebook_03_gives():
    study = _open(RU)
    c = study.corpus
    whole = analyse_framing(c.documents, c.sentences, c.tokens)
    results = engine.process_corpus(corpus_path(RU), text_column="body", chunk_size=3, workers=2,
                                    show_progress=False)
    assert results.pack.loc[results.pack["chosen"], "pack"].tolist() == ["russia-ukraine"]
    keys = {"mentions": ["doc_id", "start", "actor_id", "resolved"], "naming": ["doc_id", "start", "cue_id"],
            "role_evidence": ["doc_id", "start", "actor_id", "role"]}
    for name, columns in keys.items():
        want = whole.roles.evidence if name == "role_evidence" else getattr(whole, name)
        pd.testing.assert_frame_equal(_rows(engine.plain(getattr(results, name)), columns), _rows(want, columns),
                                      obj=name)
    columns = ["doc_id", "actor_id", "role"]
    pd.testing.assert_frame_equal(_rows(engine.plain(results.roles), columns), _rows(whole.roles.roles, columns))
    scores = engine.plain(results.naming_scores).set_index("doc_id")["alignment"]
    expected = score_naming(whole.naming, documents=c.documents, pack=whole.pack).set_index("doc_id")["alignment"]
    pd.testing.assert_series_equal(scores.astype(float), expected.astype(float), check_names=False)


def test_a_conflict_no_pack_covers_gets_its_own_leaders_by_default():
    """ethiopia_tigray: no bundled pack covers it, so the world pack is used with the corpus's own actors
    (propose_actors), in analyse_framing and in the engine alike; titles resolve from the document."""
    study = _open("ethiopia_tigray")
    c = study.corpus
    result = analyse_framing(c.documents, c.sentences, c.tokens)
    assert result.pack.name == "world + corpus actors"
    found = set(result.mentions["canonical"])
    assert {"Abiy Ahmed", "Debretsion Gebremichael", "Getachew Reda", "Tigray", "TPLF", "Ethiopia", "Eritrea"} <= found
    assert not set(result.mentions["actor_id"]) & set(load_expected("ethiopia_tigray")["seed_absent"]["actor_ids"])
    pm = result.mentions[result.mentions["matched"].str.lower() == "the prime minister"]
    assert len(pm) >= 5 and set(pm["canonical"]) == {"Abiy Ahmed"} and set(pm["resolved"]) == {"antecedent"}
    results = engine.process_corpus(corpus_path("ethiopia_tigray"), chunk_size=3, workers=2, show_progress=False)
    assert results.pack.loc[results.pack["chosen"], "pack"].tolist() == ["world + corpus actors"]
    columns = ["doc_id", "start", "actor_id", "resolved"]
    pd.testing.assert_frame_equal(_rows(engine.plain(results.mentions), columns), _rows(result.mentions, columns))


def test_metadata_sides_name_the_packs_sides_for_context_names():
    assert pack_sides(["kremlin", "ua_presidency", "wire", None, ""], "russia-ukraine") == {
        "kremlin": "ru", "ua_presidency": "ua"}
    assert pack_sides(["az", "Armenia", "gov"], "armenia-azerbaijan") == {"az": "az", "Armenia": "am"}
    documents = pd.DataFrame({"doc_id": ["k", "u", "w"], "side": ["kremlin", "ua_presidency", "wire"],
                              "text": ["The President spoke to the Security Council on Monday."] * 3})
    corpus = prepare_corpus(documents, show_progress=False)
    result = analyse_framing(corpus.documents, corpus.sentences, corpus.tokens, conflict="russia-ukraine")
    president = result.mentions[result.mentions["matched"] == "The President"].set_index("doc_id")
    assert president.loc["k", "actor_id"] == "ru_president" and president.loc["u", "actor_id"] == "ua_president"
    assert president.loc["k", "resolved"] == "metadata side" and president.loc["w", "resolved"] == "unresolved"


def test_process_command_takes_the_corpus_options(tmp_path, capsys):
    out = tmp_path / "out"
    assert run.main(["process", "--corpus", str(corpus_path(RU)), "--out", str(out), "--text-column", "body",
                     "--conflict", "world", "--workers", "1"]) == 0
    assert pd.read_parquet(out / "pack.parquet").query("chosen")["pack"].tolist() == ["world"]
    empty = tmp_path / "empty"
    assert run.main(["process", "--corpus", str(corpus_path(RU)), "--out", str(empty), "--workers", "1"]) == 1
    assert "0 documents loaded" in capsys.readouterr().err and not (empty / "summary.json").exists()


NOTEBOOKS = ["01_corpus.ipynb", "02_term_frequency.ipynb", "03_framing.ipynb", "04_sentiment.ipynb",
             "05_whole_corpus.ipynb"]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_declares_the_corpus_parameters(notebook):
    import papermill

    from tests.helpers import ROOT

    declared = papermill.inspect_notebook(str(ROOT / "notebooks" / notebook))
    assert {name: declared[name]["default"] for name in CORPUS_PARAMETERS} == {
        name: repr(value) if not isinstance(value, str) else f'"{value}"' for name, value in CORPUS_PARAMETERS.items()}


@pytest.mark.notebook
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_runs_on_russia_ukraine_without_seed_actors(notebook, tmp_path, offline_env):
    executed = run_notebook(notebook, tmp_path, corpus_path=str(corpus_path(RU)), text_column="body", n_boot=50,
                            workers=1)
    assert not error_outputs(executed)
    text = markdown_of(executed) + "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "figures").glob("*.csv"))
    assert "12 documents" in text or "12 inputs loaded" in text
    assert _seed_names(text) == []
    if notebook == "03_framing.ipynb":
        assert "**Actors from `russia-ukraine`**" in text and "Low coverage" not in text


@pytest.mark.notebook
def test_notebook_03_warns_on_a_corpus_no_pack_covers(tmp_path, offline_env):
    executed = run_notebook("03_framing.ipynb", tmp_path, corpus_path=str(corpus_path("ethiopia_tigray")), n_boot=50)
    assert not error_outputs(executed)
    text = markdown_of(executed)
    assert "python -m corpus_tools actors --corpus" in text
    outputs = [part for part in text.split("\n") if part.strip()]
    first_actor_line = next(i for i, line in enumerate(outputs) if "Actors from" in line)
    assert outputs[first_actor_line].startswith("**Actors from `world + corpus actors`**")
    assert not any("frame" in line.lower() for line in outputs[:first_actor_line])  # coverage before the analyses
    assert "No bundled conflict pack covers this corpus" in text


@pytest.mark.notebook
def test_a_run_of_zero_documents_fails_with_reasons(tmp_path, capsys):
    code = run.main(["run", "--corpus", str(corpus_path(RU)), "--out", str(tmp_path / "out"), "--notebooks", "02",
                     "--no-report"])
    err = capsys.readouterr().err
    assert code == 1 and "EmptyCorpus" in err and "missing text column 'text'" in err
