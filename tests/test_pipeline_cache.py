"""The prepared corpus and the pack choice kept between the notebooks of a run (pipeline.kept_corpus and
Study.choice with cache_dir): what is kept equals what is computed on the seed and the conflict corpora, a
changed setting or corpus misses, a damaged entry is computed again, and run sets the folder for its
kernels only while it lasts."""
import os
import shutil
import warnings

import pandas as pd
import pytest

from corpus_tools import pipeline
from corpus_tools.pipeline import RUN_CACHE_ENV, PreparedCorpus, _same_choice, choice_key, open_corpus, prepare_corpus
from tests.conflict_corpora import CORPORA, corpus_path
from tests.helpers import SEEDS


def opened(name, cache_dir, **settings):
    if name == "seed":
        return open_corpus(SEEDS, cache_dir=cache_dir, show_progress=False, **settings)
    spec = CORPORA[name]
    return open_corpus(corpus_path(name), text_column=spec["text_column"], group_column=spec["group_column"],
                       cache_dir=cache_dir, show_progress=False, **settings)


@pytest.mark.parametrize("name", ["seed", "russia_ukraine", "ethiopia_tigray", "israel_gaza"])
def test_kept_choice_equals_the_computed_one(name, tmp_path, monkeypatch):
    computed = opened(name, None).choice  # no cache: what every notebook computed before
    first = opened(name, tmp_path).choice
    assert _same_choice(first, computed)
    calls = []
    monkeypatch.setattr("corpus_tools.framing.packs.resolve_pack", lambda *a, **k: calls.append(1))
    kept = opened(name, tmp_path).choice
    assert not calls, "the second notebook recomputed the choice"
    assert kept is not computed and _same_choice(kept, computed)
    for a, b in ((kept.table, computed.table), (kept.pack.actors, computed.pack.actors),
                 (kept.pack.naming, computed.pack.naming), (kept.pack.sides, computed.pack.sides)):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert (kept.name, kept.reason, kept.pack.meta, kept.pack.path) == \
        (computed.name, computed.reason, computed.pack.meta, computed.pack.path)


def test_a_changed_setting_or_corpus_is_another_key(tmp_path):
    study = opened("russia_ukraine", tmp_path)
    documents, parameters = study.corpus.documents, study.parameters
    key = choice_key(documents, parameters)
    assert key == choice_key(documents.copy(), dict(parameters))
    assert key != choice_key(documents, {**parameters, "conflict": "world"})
    assert key != choice_key(documents.iloc[::-1], parameters)  # the first 5,000 documents decide
    assert key != choice_key(documents.assign(sha256=documents["sha256"].str[::-1]), parameters)
    assert choice_key(documents, {**parameters, "gazetteer": pd.DataFrame({"canonical": ["X"]})}) is None
    assert opened("russia_ukraine", tmp_path, conflict="world").choice.name == "world"


def test_a_damaged_entry_is_computed_again(tmp_path):
    computed = opened("russia_ukraine", tmp_path).choice
    (entry,) = (tmp_path / "choices").iterdir()
    (entry / "actors.parquet").write_bytes(b"not parquet")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = opened("russia_ukraine", tmp_path).choice
    assert _same_choice(again, computed)
    assert any("is not used" in str(w.message) for w in caught)


def test_a_choice_that_does_not_read_back_equal_is_not_kept(tmp_path, monkeypatch):
    study = opened("russia_ukraine", tmp_path)
    monkeypatch.setattr(pipeline, "_same_choice", lambda kept, choice: False)
    study.choice
    key = choice_key(study.corpus.documents, study.parameters)
    assert pipeline.load_choice(tmp_path, key) is None


def test_open_corpus_takes_the_run_folder_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(RUN_CACHE_ENV, raising=False)
    assert opened("seed", None).cache_dir is None
    monkeypatch.setenv(RUN_CACHE_ENV, str(tmp_path))
    assert opened("seed", None).cache_dir == str(tmp_path)


def test_run_sets_the_folder_for_its_kernels_only_while_it_lasts(tmp_path, monkeypatch):
    from corpus_tools import run as run_module

    monkeypatch.delenv(RUN_CACHE_ENV, raising=False)
    seen = []
    monkeypatch.setattr(run_module, "execute_notebook", lambda *a, **k: seen.append(os.environ.get(RUN_CACHE_ENV)))
    own = run_module.plan_run(SEEDS, tmp_path / "out", ["01"])
    run_module.run(own, report=False, progress=False)
    assert seen == [str(tmp_path / "out" / "cache")] and RUN_CACHE_ENV not in os.environ
    bundled = run_module.RunPlan([SEEDS], tmp_path / "nb", tmp_path / "fig", tmp_path / "rep", {})
    run_module.run(bundled, report=False, progress=False)
    assert seen[-1] is None


def _refuse(*args, **kwargs):
    raise AssertionError("prepared again")


@pytest.mark.parametrize("name", ["seed", "russia_ukraine", "ethiopia_tigray", "israel_gaza"])
def test_kept_corpus_is_the_prepared_one(name, tmp_path, monkeypatch):
    computed = opened(name, None).corpus
    first = opened(name, tmp_path).corpus
    monkeypatch.setattr(pipeline, "prepare_corpus", _refuse)
    kept = opened(name, tmp_path).corpus  # the next notebook of the run reads it
    assert kept.fingerprint == first.fingerprint == computed.fingerprint
    for table in PreparedCorpus._fields[:-1]:  # values (None is not NaN), dtypes, index: as computed
        pd.testing.assert_frame_equal(getattr(kept, table), getattr(computed, table), check_exact=True)


def test_a_changed_file_or_option_prepares_again(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    cache = tmp_path / "cache"
    open_corpus(corpus, cache_dir=cache, show_progress=False)
    calls = []
    monkeypatch.setattr(pipeline, "prepare_corpus", lambda *a, **k: calls.append(k) or prepare_corpus(*a, **k))
    open_corpus(corpus, cache_dir=cache, show_progress=False)
    assert not calls
    (article,) = [p for p in corpus.iterdir() if p.suffix == ".txt"]
    article.write_text(article.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    changed = open_corpus(corpus, cache_dir=cache, show_progress=False)
    assert len(calls) == 1 and "A sentence added later." in changed.corpus.sentences["text"].tolist()
    open_corpus(corpus, cache_dir=cache, show_progress=False, max_file_mb=50)  # another option
    assert len(calls) == 2


def test_a_corpus_that_does_not_read_back_identical_is_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "_same_tables", lambda pairs: False)
    opened("russia_ukraine", tmp_path)
    assert not [p for p in (tmp_path / "prepared").rglob("manifest.json")]
    table = prepare_corpus(SEEDS, show_progress=False).documents[["doc_id", "text"]]
    assert pipeline.prepared_entry(table, {}) is None  # a corpus given as a table is never kept


@pytest.mark.parametrize("name", ["seed", "russia_ukraine", "ethiopia_tigray", "israel_gaza"])
def test_the_engine_shares_the_notebooks_pack_choice_and_makes_the_same_one(name, tmp_path, monkeypatch):
    """Notebook 05's engine keys its choice as the notebooks do (``kept_choice``): on its own it chooses
    what ``Study.choice`` chooses, and after a notebook of the run it reads that choice, adding no entry."""
    from corpus_tools.engine import process_corpus

    spec = CORPORA.get(name, {"text_column": "text"})
    source = SEEDS if name == "seed" else corpus_path(name)
    alone = process_corpus(source, text_column=spec["text_column"], cache_dir=tmp_path / "engine",
                           show_progress=False, workers=1)
    study = opened(name, tmp_path / "run")
    assert alone.pack.equals(study.choice.table)
    monkeypatch.setattr("corpus_tools.engine.resolve_pack", lambda *a, **k: pytest.fail("chose again"))
    shared = process_corpus(source, text_column=spec["text_column"], cache_dir=tmp_path / "run",
                            show_progress=False, workers=1)
    assert len(list((tmp_path / "run" / "choices").iterdir())) == 1
    assert shared.pack.equals(alone.pack)
