"""Cache entries are checked before use: a changed, cut or misplaced one is computed again, with a warning."""
from __future__ import annotations

import json
import shutil
import warnings

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from corpus_tools import cache, config, engine
from tests.helpers import MULTI, SEEDS

RUN = {"chunk_size": 1000, "workers": 1, "show_progress": False}


def negate_scores(path):
    table = pd.read_parquet(path)
    table.assign(score=-table["score"]).to_parquet(path, index=False)


def count_999999(path):
    pd.read_parquet(path).assign(words=999999, n=999999).to_parquet(path, index=False)


def cut(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def remove(path):
    path.unlink()


@pytest.mark.parametrize("stored,damage,rerun", [
    ("*/sentences.parquet", negate_scores, {}),  # a row table, handed out as a file
    ("*/documents.parquet", count_999999, {"pair_min_count": 3}),  # read at once (another run: no reopening)
    ("*/documents.parquet", cut, {"pair_min_count": 3}),
    ("*/sentences.parquet", cut, {}),
    ("*/sentences.parquet", remove, {}),
    ("passes/*/frequency.parquet", count_999999, {}),  # a whole run's merged table
])
def test_a_damaged_entry_is_computed_again_with_a_warning(tmp_path, stored, damage, rerun):
    folder = tmp_path / "cache"
    first = engine.process_corpus(MULTI, cache_dir=folder, **RUN)
    path, = folder.glob(stored)
    damage(path)
    with pytest.warns(cache.CacheWarning, match="is not used"):
        again = engine.process_corpus(MULTI, cache_dir=folder, **RUN, **rerun)
    name = path.stem
    assert_frame_equal(engine.plain(getattr(again, name)), engine.plain(getattr(first, name)), check_exact=True)


def test_a_file_linked_from_outside_the_cache_is_refused(tmp_path):
    folder, outside = tmp_path / "cache", tmp_path / "elsewhere.parquet"
    first = engine.process_corpus(MULTI, cache_dir=folder, **RUN)
    path, = folder.glob("*/sentences.parquet")
    shutil.copy(path, outside)  # the same bytes: only where it lies is wrong
    path.unlink()
    path.symlink_to(outside)
    with pytest.warns(cache.CacheWarning, match="outside the cache folder"):
        again = engine.process_corpus(MULTI, cache_dir=folder, **RUN)
    assert_frame_equal(again.sentences, first.sentences, check_exact=True)
    assert not path.is_symlink()  # the entry was written again, the outside file left as it was


def test_a_run_cannot_take_its_tables_from_another_corpus(tmp_path):
    """The run's index of chunk entries names an entry of another cache (an absolute path): refused."""
    other, folder = tmp_path / "other", tmp_path / "cache"
    engine.process_corpus(SEEDS, cache_dir=other, **RUN)
    first = engine.process_corpus(MULTI, cache_dir=folder, **RUN)
    manifest, = folder.glob(f"passes/*/{cache.MANIFEST}")
    stored = cache._read_sealed(folder, manifest)
    stored["value"]["chunks"] = [str(p.parent) for p in other.glob(f"*/{cache.MANIFEST}") if p.parent.name != "passes"]
    cache._write_sealed(manifest, stored)
    with pytest.warns(cache.CacheWarning, match="outside the cache folder"):
        again = engine.process_corpus(MULTI, cache_dir=folder, **RUN)
    assert_frame_equal(again.sentences, first.sentences, check_exact=True)


@pytest.mark.parametrize("name", ["../outside", "/tmp/outside", "sub/table"])
def test_a_manifest_naming_a_file_outside_its_entry_is_refused(tmp_path, name):
    key = "0" * 64
    cache.store_chunk(tmp_path, key, {"table": pd.DataFrame({"a": [1, 2]})})
    manifest = tmp_path / key / cache.MANIFEST
    stored = cache._read_sealed(tmp_path, manifest)
    stored["tables"] = {name: stored["tables"]["table"]}
    cache._write_sealed(manifest, stored)
    with pytest.warns(cache.CacheWarning, match="not a plain name"):
        assert cache.load_chunk(tmp_path, key) is None


def test_a_cut_or_edited_pass_file_is_computed_again(tmp_path):
    folder = tmp_path / "cache"
    first = engine.process_corpus(MULTI, cache_dir=folder, **RUN)
    path, = folder.glob("passes/*.json")  # the site-boilerplate pass
    cut(path)
    with pytest.warns(cache.CacheWarning, match="not a complete cache file"):
        again = engine.process_corpus(MULTI, cache_dir=folder, **RUN, pair_min_count=3)
    assert_frame_equal(again.frequency, first.frequency, check_exact=True)
    path.write_text(path.read_text(encoding="utf-8").replace('"documents": 6', '"documents": 60'), encoding="utf-8")
    with pytest.warns(cache.CacheWarning, match="was changed after it was written"):
        engine.process_corpus(MULTI, cache_dir=folder, **RUN, pair_min_count=4)
    assert json.loads(path.read_text(encoding="utf-8"))["payload"]["documents"] == 6  # computed and stored again


def test_a_new_cache_folder_is_marked_as_output_and_an_intact_one_reused_silently(tmp_path):
    folder = tmp_path / "cache"
    first = engine.process_corpus(MULTI, cache_dir=folder, **RUN)
    assert (folder / config.OUTPUT_MARKER).is_file()  # so the corpus walk never reads the cache
    with warnings.catch_warnings():
        warnings.simplefilter("error", cache.CacheWarning)
        again = engine.process_corpus(MULTI, cache_dir=folder, **{**RUN, "pair_min_count": 3})
    assert again.chunks["cached"].all()
    assert_frame_equal(again.sentences, first.sentences, check_exact=True)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("not the suite's", encoding="utf-8")
    cache.store_chunk(mine, "0" * 64, {"table": pd.DataFrame({"a": [1]})})
    assert not (mine / config.OUTPUT_MARKER).exists()  # a folder holding other files is not claimed


def _compute_once_or_read(cache_dir: str, log: str) -> None:
    """A process of a run needing the entry ``x``: computes it (slowly) unless another process has."""
    import time
    from pathlib import Path

    with cache.computed_once(cache_dir, "prepared/x"):
        entry = Path(cache_dir) / "x.done"
        if not entry.exists():
            time.sleep(0.5)
            with open(log, "a") as handle:
                handle.write("computed\n")
            entry.write_text("ready")


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="no flock: each process computes")
def test_processes_asking_for_one_entry_at_once_compute_it_once(tmp_path):
    """``computed_once``: four processes started together; one computes, the three others wait and read."""
    import multiprocessing

    log = tmp_path / "log.txt"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_compute_once_or_read, args=(str(tmp_path / "cache"), str(log)))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0] * 4
    assert log.read_text() == "computed\n"
    assert [p.name for p in (tmp_path / "cache" / "locks").iterdir()] == ["prepared-x.lock"]
