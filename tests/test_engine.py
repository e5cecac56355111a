"""The chunked, parallel engine gives exactly what the functions give on the whole corpus at once."""
from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from bench.synthetic import synthetic_corpus
from corpus_tools import engine
from corpus_tools.clean import clean_documents
from corpus_tools.collocation import stat_pair_associations
from corpus_tools.corpus import load_corpus
from corpus_tools.framing.analyse import analyse_framing
from corpus_tools.framing.frames import score_frames
from corpus_tools.framing.naming import score_naming
from corpus_tools.framing.persuasion import score_persuasion
from corpus_tools.frequency import stat_frequency
from corpus_tools.overview import stat_documents
from corpus_tools.segment import content_sentences, segment_documents
from corpus_tools.sentiment import score_sentences
from tests.helpers import MULTI, ROOT, SEEDS

#: The real chunk function, for the test chunk functions below (workers import them from this module).
PROCESS_CHUNK = engine.process_chunk


def whole_corpus(source, group):
    """The reference: every function called once on the whole corpus (no chunks, no workers)."""
    documents, report = load_corpus(source)
    cleaned = clean_documents(documents)
    segmented = segment_documents(cleaned.documents, cleaned.marks)
    sentences, tokens = segmented.sentences, segmented.tokens
    content = content_sentences(sentences)
    scored = score_sentences(content).drop(columns=[c for c in sentences.columns if c not in engine.SENTENCE_KEYS])
    framing = analyse_framing(cleaned.documents, sentences, tokens)
    stats = stat_documents(cleaned.documents, sentences, tokens).assign(sha256=documents["sha256"])
    metadata = [c for c in cleaned.documents if c not in stats and c not in engine.NOT_METADATA]
    stats[metadata] = cleaned.documents[metadata].to_numpy()
    stats = stats.assign(is_duplicate=documents["is_duplicate"], duplicate_of=documents["duplicate_of"])
    hits = {"frame_hits": framing.frames, "mentions": framing.mentions, "roles": framing.roles.roles,
            "role_evidence": framing.roles.evidence, "naming": framing.naming, "quotes": framing.quotes,
            "attributions": framing.attributions, "stance": framing.stance, "persuasion": framing.persuasion}
    return {"report": report, "documents": stats, "frequency": stat_frequency(tokens),
            "group_frequency": stat_frequency(tokens, group=group, documents=documents) if group else None,
            "collocations": stat_pair_associations(tokens, min_count=2), "sentences": scored,
            "frame_scores": score_frames(framing.frames, content), "candidates": framing.candidates,
            "naming_scores": score_naming(framing.naming, documents=cleaned.documents),
            "persuasion_scores": score_persuasion(framing.persuasion, content),
            **{name: table.drop(columns=engine.HIT_TEXT_COLUMNS, errors="ignore") for name, table in hits.items()}}


def canonical(table: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("doc_id", "sent_id", "side", "term", "w1", "w2", "candidate", "actor_id", "quote_id", "layer",
                        "category", "cue_id", "kind", "start", "end", "input") if c in table.columns]
    return table.sort_values(keys, kind="stable").reset_index(drop=True) if keys else table


def assert_same(results: engine.CorpusResults, reference: dict) -> None:
    """Every table identical (values exact, the default ``score`` included: it is summed feature by
    feature in a fixed order, so it does not depend on how sentences are chunked)."""
    for name, expected in reference.items():
        if expected is None:
            continue
        got, expected = canonical(engine.plain(getattr(results, name))), canonical(expected)
        assert len(got) == len(expected), name
        assert list(got.columns) == list(expected.columns), name
        assert_frame_equal(got, expected, check_exact=True, check_dtype=False, check_index_type=False,
                           check_column_type=False, obj=name)


@pytest.fixture(scope="module")
def synthetic_frame():
    """40 synthetic articles plus an exact duplicate of the first (duplicate flags cross chunks)."""
    docs = synthetic_corpus(40, words_per_doc=150, seed=3)
    duplicate = docs.iloc[[0]].assign(doc_id="syn-copy")
    return pd.concat([docs, duplicate], ignore_index=True)


@pytest.fixture(scope="module")
def synthetic_reference(synthetic_frame):
    return whole_corpus(synthetic_frame, "side")


@pytest.mark.parametrize("workers,chunk_size", [(1, 1000), (1, 7), (2, 1), (2, 13)])
def test_local_engine_equals_whole_corpus_on_synthetic(synthetic_frame, synthetic_reference, workers, chunk_size):
    results = engine.process_corpus(synthetic_frame, workers=workers, chunk_size=chunk_size, group="side",
                                    show_progress=False)
    assert_same(results, synthetic_reference)
    assert results.documents["is_duplicate"].sum() == 1
    assert results.report["reason"].str.contains("exact duplicate of syn000000").sum() == 1


def test_local_engine_on_a_folder_with_sidecar_and_an_unreadable_file(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(MULTI, folder)
    (folder / "broken.txt").write_bytes(b"%PDF-1.4 binary")
    results = engine.process_corpus(folder, workers=2, chunk_size=2, group="side", show_progress=False)
    assert_same(results, whole_corpus(folder, "side"))
    broken = results.report[results.report["input"].str.endswith("broken.txt")]
    assert broken["status"].tolist() == ["skipped"] and "binary" in broken["reason"].iloc[0]
    assert set(results.group_frequency["side"]) == {"am", "az"}
    assert results.timings["stage"].tolist() == engine.TIMING_STAGES
    assert 1 <= len(results.workers) <= 2 and (results.workers["peak_rss_mb"] > 0).all()


def test_empty_table_gives_empty_results():
    results = engine.process_corpus(pd.DataFrame({"text": []}), workers=1, show_progress=False)
    assert results.documents.empty and results.frequency.empty and results.fingerprint == "empty"


def test_row_tables_stay_on_disk_until_read_and_their_files_go_with_them(tmp_path):
    results = engine.process_corpus(MULTI, chunk_size=2, workers=1, work_dir=tmp_path, show_progress=False)
    folders = list(tmp_path.glob("corpus_tools-*"))
    assert len(folders) == 1 and not set(engine.ROW_TABLES) & set(vars(results))  # nothing read yet
    assert "not read yet: sentences" in repr(results)
    sentences = results.sentences  # read once, then kept
    assert results.sentences is sentences and len(sentences) > 0 and "sentences" in vars(results)
    again = results._replace(timings=results.timings)  # a copy shares the unread tables
    for name in engine.ROW_TABLES:
        assert_frame_equal(getattr(again, name), getattr(results, name))
    del again
    gc.collect()
    assert not folders[0].exists()  # every table read by both: the files are gone


def test_unread_row_tables_are_removed_with_the_results(tmp_path):
    results = engine.process_corpus(MULTI, chunk_size=2, workers=1, work_dir=tmp_path, show_progress=False)
    folder, = tmp_path.glob("corpus_tools-*")
    del results
    gc.collect()
    assert not folder.exists()


def test_a_failed_run_leaves_no_files(tmp_path, monkeypatch):
    def broken(chunk, settings):
        raise RuntimeError("worker failed")
    monkeypatch.setattr(engine, "process_chunk", broken)
    with pytest.raises(RuntimeError, match="worker failed"):
        engine.process_corpus(MULTI, chunk_size=6, workers=1, work_dir=tmp_path, show_progress=False)
    assert not list(tmp_path.glob("corpus_tools-*"))


def test_the_progress_bar_counts_merged_chunks_of_a_folder(monkeypatch):
    seen = {}

    def recording(items, *, total=None, **kwargs):
        seen["total"], seen["ticks"] = total, 0
        for item in items:
            seen["ticks"] += 1
            yield item
    monkeypatch.setattr(engine, "progress", recording)
    engine.process_corpus(MULTI, chunk_size=4, workers=1, show_progress=True)
    assert seen == {"total": 2, "ticks": 2}  # 6 documents found by the first pass, in chunks of 4


def test_with_a_cache_row_tables_are_read_from_its_entries(tmp_path):
    cache = tmp_path / "cache"
    first = engine.process_corpus(MULTI, chunk_size=2, workers=1, cache_dir=cache, show_progress=False)
    again = engine.process_corpus(MULTI, chunk_size=2, workers=1, cache_dir=cache, show_progress=False)
    assert again.chunks["cached"].all() and not first.chunks["cached"].any()
    assert not list(cache.rglob("part-*.parquet"))  # no second copy of any row table
    for name in engine.ROW_TABLES:
        assert_frame_equal(getattr(again, name), getattr(first, name), obj=name)


def test_the_first_pass_is_cached_until_an_input_file_changes(tmp_path, monkeypatch):
    folder, cache = tmp_path / "corpus", tmp_path / "cache"
    shutil.copytree(MULTI, folder)
    first = engine.process_corpus(folder, chunk_size=3, workers=1, cache_dir=cache, show_progress=False)
    real = engine.site_boilerplate_lines
    calls = []
    monkeypatch.setattr(engine, "site_boilerplate_lines", lambda loader: calls.append(1) or real(loader))
    again = engine.process_corpus(folder, chunk_size=3, workers=1, cache_dir=cache, show_progress=False)
    assert calls == [] and again.chunks["cached"].all()
    assert_frame_equal(again.frequency, first.frequency)
    edited = next(p for p in sorted(folder.iterdir()) if p.suffix == ".txt")
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nOne more sentence.", encoding="utf-8")
    engine.process_corpus(folder, chunk_size=3, workers=1, cache_dir=cache, show_progress=False)
    assert calls == [1]


def test_a_cached_run_of_unchanged_files_reopens_without_reading_the_corpus(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    run = {"chunk_size": 2, "workers": 1, "cache_dir": cache, "group": "side", "show_progress": False}
    first = engine.process_corpus(MULTI, **run)

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged corpus should not be read again")
    monkeypatch.setattr(engine, "_Loader", no_reading)
    again = engine.process_corpus(MULTI, **run)
    assert again.chunks["cached"].all() and again.workers.empty and again.fingerprint == first.fingerprint
    for name in engine.TABLE_FIELDS:
        if name not in ("timings", "chunks", "workers"):
            assert_frame_equal(getattr(again, name), getattr(first, name), check_exact=True, check_dtype=False,
                               obj=name)  # as load_results: all-missing object columns come back as text
    with pytest.raises(AssertionError, match="should not be read"):  # another setting is another run
        engine.process_corpus(MULTI, **{**run, "pair_min_count": 3})
    shutil.rmtree(next(p.parent for p in cache.glob("*/sentences.parquet")))  # a chunk entry has gone
    with pytest.raises(AssertionError, match="should not be read"):
        engine.process_corpus(MULTI, **run)


def test_dask_local_cluster_equals_local_engine(synthetic_frame, synthetic_reference):
    pytest.importorskip("distributed")
    results = engine.process_corpus(synthetic_frame, engine="dask", workers=2, chunk_size=11, group="side",
                                    show_progress=False)
    assert_same(results, synthetic_reference)


class CountingExecutor(ThreadPoolExecutor):
    """Runs chunks in threads of this process, counting ``process_chunk`` calls."""

    calls = 0

    def submit(self, fn, *args):
        type(self).calls += 1
        return super().submit(fn, *args)


def test_cache_reuses_chunks_and_recomputes_only_what_changed(tmp_path, monkeypatch, synthetic_frame):
    monkeypatch.setattr(engine, "_executor", lambda engine_, workers, scheduler: CountingExecutor(1))
    frame = synthetic_frame.iloc[:20]
    run = {"chunk_size": 5, "cache_dir": tmp_path, "group": "side", "show_progress": False}

    CountingExecutor.calls = 0
    first = engine.process_corpus(frame, **run)
    assert CountingExecutor.calls == 4

    assert first.chunks["documents"].tolist() == [5, 5, 5, 5] and not first.chunks["cached"].any()
    CountingExecutor.calls = 0
    again = engine.process_corpus(frame, **run)
    assert CountingExecutor.calls == 0
    assert again.chunks["cached"].all() and again.workers.empty  # no worker ran
    assert (again.timings.set_index("stage").loc[engine.STAGES, "seconds"] == 0).all()  # nothing computed
    for name in ("documents", "frequency", "group_frequency", "sentences", "frame_hits", "frame_scores"):
        assert_frame_equal(getattr(again, name), getattr(first, name), check_exact=True, check_dtype=False,
                           obj=name)

    CountingExecutor.calls = 0
    edited = frame.copy()
    edited.loc[7, "text"] = edited.loc[7, "text"] + " The ceasefire collapsed."
    engine.process_corpus(edited, **run)
    assert CountingExecutor.calls == 1  # only the chunk holding document 7

    CountingExecutor.calls = 0
    engine.process_corpus(frame, **{**run, "group": "source"})
    assert CountingExecutor.calls == 4  # a changed setting touches every chunk


def test_seed_article_equals_whole_corpus():
    results = engine.process_corpus(SEEDS, workers=1, chunk_size=1, show_progress=False)
    assert_same(results, whole_corpus(SEEDS, None))
    assert len(results.mentions) and len(results.quotes) and len(results.roles)  # the layers found something


FURNITURE = "Follow Caucasus Watch on Telegram for updates"


@pytest.fixture(scope="module")
def furnished_folder(tmp_path_factory):
    """The multi corpus with a site's furniture line in five of six articles (boilerplate) and
    another line in two (not boilerplate: fewer than five documents)."""
    folder = tmp_path_factory.mktemp("furnished") / "corpus"
    shutil.copytree(MULTI, folder)
    for i, path in enumerate(sorted(folder.glob("*.txt"))):
        first, rest = path.read_text(encoding="utf-8").split("\n", 1)
        extra = ([FURNITURE] if i < 5 else []) + (["Photo gallery: the border today"] if i < 2 else [])
        path.write_text("\n".join([first, *extra, rest]), encoding="utf-8")
    return folder


@pytest.mark.parametrize("chunk_size", [1, 2, 1000])
def test_two_pass_site_boilerplate_equals_clean_documents(furnished_folder, chunk_size):
    """No chunk of 1 or 2 documents sees the line five times: only the first pass can find it."""
    results = engine.process_corpus(furnished_folder, workers=2, chunk_size=chunk_size, group="side",
                                    show_progress=False)
    assert_same(results, whole_corpus(furnished_folder, "side"))
    terms = set(results.frequency["term"])
    assert "telegram" not in terms and "gallery" in terms


def test_without_the_first_pass_the_furniture_stays(furnished_folder):
    results = engine.process_corpus(furnished_folder, workers=1, chunk_size=1000, site_boilerplate=False,
                                    show_progress=False)
    assert results.frequency.set_index("term").at["telegram", "n"] == 5


def test_process_command_writes_tables_equal_to_process_corpus(tmp_path, capsys):
    from corpus_tools.run import main

    out = tmp_path / "out"
    assert main(["process", "--corpus", str(MULTI), "--out", str(out), "--chunk-size", "2", "--group", "side",
                 "--workers", "1", "--cache", str(tmp_path / "cache")]) == 0
    assert "documents in" in capsys.readouterr().out
    written = engine.load_results(out)
    direct = engine.process_corpus(MULTI, chunk_size=2, group="side", workers=1, show_progress=False)
    for name in engine.CorpusResults._fields:
        if name in ("timings", "workers", "fingerprint"):
            continue
        assert_frame_equal(engine.plain(getattr(written, name)), engine.plain(getattr(direct, name)),
                           check_exact=True, check_dtype=False, check_index_type=False, obj=name)
    assert written.fingerprint == direct.fingerprint
    summary = json.loads((out / "summary.json").read_text())
    assert summary["peak_rss_main_mb"] > 0 and summary["workers"] == 1 and summary["group"] == "side"
    assert summary["tables"]["documents"] == 6 and set(summary["timings"]) == set(engine.TIMING_STAGES)
    assert pd.read_csv(out / "load_report.csv")["status"].tolist().count("loaded") == 6
    assert any((tmp_path / "cache").iterdir())


def test_a_single_chunk_runs_in_this_process_and_keeps_the_metadata(monkeypatch):
    def no_pool(*args):
        raise AssertionError("a one-chunk local corpus should not start workers")
    monkeypatch.setattr(engine, "_executor", no_pool)
    results = engine.process_corpus(MULTI, group="side", show_progress=False)
    assert results.chunks.to_dict("records") == [{"chunk": 0, "documents": 6, "cached": False}]
    assert {"side", "source", "language", "path"} <= set(results.documents.columns)
    assert set(results.documents["side"]) == {"am", "az"}


def test_metadata_columns_are_read_without_loading_the_corpus(tmp_path):
    from corpus_tools.corpus import metadata_columns
    assert {"side", "source"} <= set(metadata_columns(MULTI))
    pd.DataFrame({"text": ["a b."], "outlet": ["x"]}).to_parquet(tmp_path / "one.parquet")
    (tmp_path / "two.jsonl").write_text('{"text": "c d.", "side": "y"}\n', encoding="utf-8")
    assert metadata_columns(tmp_path) == ["outlet", "side"]


def test_the_suites_functions_give_the_same_results_on_the_engines_compact_tables():
    """Row tables come back with Categorical strings (sorted categories); every downstream
    statistic must equal its result on plain-string tables (no error, no reordering)."""
    from corpus_tools.framing.actors import stat_actors
    from corpus_tools.framing.attribution import stat_speakers
    from corpus_tools.framing.frames import frame_intervals, score_frames, stat_sentence_frames
    from corpus_tools.framing.naming import score_naming, stat_naming_terms
    from corpus_tools.framing.persuasion import score_persuasion
    from corpus_tools.framing.roles import stat_actor_roles
    from corpus_tools.sentiment import stat_sentiment
    from corpus_tools.tables import plain

    r = engine.process_corpus(MULTI, group="side", chunk_size=2, workers=1, show_progress=False)
    assert any(isinstance(r.frame_hits[c].dtype, pd.CategoricalDtype) for c in r.frame_hits)
    sides = r.sentences.merge(r.documents[["doc_id", "side"]], on="doc_id")
    calls = {
        "stat_sentence_frames": lambda t: stat_sentence_frames(t(r.frame_hits), t(r.sentences)),
        "frame_intervals": lambda t: frame_intervals(t(r.frame_hits), t(sides), by="side", n_boot=20),
        "score_frames": lambda t: score_frames(t(r.frame_hits), t(sides), by="side"),
        "score_naming": lambda t: score_naming(t(r.naming), documents=r.documents),
        "stat_naming_terms": lambda t: stat_naming_terms(t(r.naming)),
        "stat_speakers": lambda t: stat_speakers(t(r.quotes), t(r.attributions)),
        "score_persuasion": lambda t: score_persuasion(t(r.persuasion), t(r.sentences)),
        "stat_actors": lambda t: stat_actors(t(r.mentions)),
        "stat_actor_roles": lambda t: stat_actor_roles(t(r.role_evidence)).reset_index(),
        "stat_sentiment": lambda t: stat_sentiment(t(sides), by=["side"], n_boot=20),
    }
    for name, call in calls.items():
        compact, expected = call(lambda t: t), call(plain)
        assert len(expected), name
        assert_frame_equal(plain(compact), expected, check_dtype=False, check_categorical=False,
                           check_index_type=False, check_column_type=False, obj=name)


def test_every_table_has_one_row_order_whatever_the_chunking(synthetic_frame):
    """doc_ids out of sorted order: a chunk's tables used to come out sorted by doc_id, not document."""
    shuffled = synthetic_frame.sample(frac=1, random_state=1, ignore_index=True)
    runs = {size: engine.process_corpus(shuffled, workers=1, chunk_size=size, group="side", show_progress=False)
            for size in (1, 3, 7, 500)}
    for name in engine.TABLE_FIELDS:
        if name in ("timings", "chunks", "workers"):
            continue
        for size in (1, 3, 7):
            assert_frame_equal(getattr(runs[size], name), getattr(runs[500], name), check_exact=True,
                               obj=f"{name} at chunk size {size}")
    assert runs[500].frame_hits["doc_id"].drop_duplicates().tolist() == [
        d for d in shuffled["doc_id"] if d in set(runs[500].frame_hits["doc_id"])]


def dying_chunk(documents, settings):
    """``process_chunk``, except that the worker dies at once (as if killed) on the chunk holding am_03."""
    if "am_03" in set(documents["doc_id"]):
        os._exit(1)
    return PROCESS_CHUNK(documents, settings)


def test_a_worker_killed_mid_chunk_is_reported_with_the_chunks_first_and_last_documents(monkeypatch):
    monkeypatch.setattr(engine, "process_chunk", dying_chunk)
    with pytest.raises(engine.WorkerDied, match=r"'am_03' \(.*am_03\.txt\) to 'az_01' \(.*az_01\.txt\)$"):
        engine.process_corpus(MULTI, chunk_size=2, workers=1, show_progress=False)


def slow_chunk(documents, settings):
    """``process_chunk``, except that the chunk holding am_03 writes the file $SLOW_CHUNK_STARTED, then sleeps."""
    if "am_03" in set(documents["doc_id"]):
        open(os.environ["SLOW_CHUNK_STARTED"], "w").close()
        time.sleep(600)
    return PROCESS_CHUNK(documents, settings)


def test_sigterm_stops_the_workers_and_removes_the_scratch_folder(tmp_path):
    psutil = pytest.importorskip("psutil")
    started, scratch = tmp_path / "started", tmp_path / "tmp"
    scratch.mkdir()
    code = ("import sys; from tests import test_engine; from corpus_tools import engine, run; "
            "engine.process_chunk = test_engine.slow_chunk; sys.exit(run.main(sys.argv[1:]))")
    process = subprocess.Popen([sys.executable, "-c", code, "process", "--corpus", str(MULTI), "--out",
                                str(tmp_path / "out"), "--chunk-size", "2", "--workers", "2"], cwd=ROOT,
                               env={**os.environ, "TMPDIR": str(scratch), "SLOW_CHUNK_STARTED": str(started)})
    children = []
    try:
        deadline = time.monotonic() + 120
        while not started.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert started.exists(), "the slow chunk never started"
        children = psutil.Process(process.pid).children(recursive=True)  # the forkserver and two workers
        assert len(children) >= 3
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        _, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
        assert not list(scratch.glob("corpus_tools-*"))
        assert process.returncode == 128 + signal.SIGTERM
    finally:
        for child in children:
            if child.is_running():
                child.kill()
        if process.poll() is None:
            process.kill()
