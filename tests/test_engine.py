"""The chunked, parallel engine gives exactly what the functions give on the whole corpus at once."""
from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from bench.synthetic import synthetic_corpus
from corpus_tools import engine
from corpus_tools.clean import clean_documents
from corpus_tools.corpus import load_corpus
from corpus_tools.framing.frames import find_frames, score_frames
from corpus_tools.frequency import stat_frequency
from corpus_tools.overview import stat_documents
from corpus_tools.segment import content_sentences, segment_documents
from corpus_tools.sentiment import score_sentences
from tests.helpers import MULTI


def whole_corpus(source, group):
    """The reference: every function called once on the whole corpus (no chunks, no workers)."""
    documents, report = load_corpus(source)
    cleaned = clean_documents(documents, site_boilerplate=False)
    segmented = segment_documents(cleaned.documents, cleaned.marks)
    sentences, tokens = segmented.sentences, segmented.tokens
    content = content_sentences(sentences)
    scored = score_sentences(content).drop(columns=[c for c in sentences.columns if c not in engine.SENTENCE_KEYS])
    hits = find_frames(content, tokens)
    slim_hits = hits.drop(columns=engine.HIT_TEXT_COLUMNS)
    stats = stat_documents(cleaned.documents, sentences, tokens).assign(
        sha256=documents["sha256"], is_duplicate=documents["is_duplicate"], duplicate_of=documents["duplicate_of"])
    return {"report": report, "documents": stats, "frequency": stat_frequency(tokens),
            "group_frequency": stat_frequency(tokens, group=group, documents=documents),
            "sentences": scored, "frame_hits": slim_hits, "frame_scores": score_frames(hits, content)}


def canonical(table: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("doc_id", "sent_id", "side", "term", "layer", "category", "cue_id", "start", "input")
            if c in table.columns]
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


def assert_same(results: engine.CorpusResults, reference: dict) -> None:
    """Every table identical, except the default sentiment ``score``: it is ``features @ weights``,
    and BLAS sums a matrix product in an order that depends on the number of rows, so a chunk
    may differ from the whole by one unit in the last place (5.6e-17); labels stay identical."""
    for name, expected in reference.items():
        got, expected = canonical(getattr(results, name)), canonical(expected)
        assert len(got) == len(expected), name
        inexact = [c for c in ("score",) if c in expected]
        assert_frame_equal(got.drop(columns=inexact), expected.drop(columns=inexact), check_exact=True,
                           check_dtype=False, obj=name)
        for column in inexact:
            assert_frame_equal(got[[column]], expected[[column]], check_exact=False, rtol=0, atol=1e-15)


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
    assert results.timings["stage"].tolist() == ["load", *engine.STAGES]
    assert 1 <= len(results.workers) <= 2 and (results.workers["peak_rss_mb"] > 0).all()


def test_empty_table_gives_empty_results():
    results = engine.process_corpus(pd.DataFrame({"text": []}), workers=1, show_progress=False)
    assert results.documents.empty and results.frequency.empty and results.fingerprint == "empty"


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

    CountingExecutor.calls = 0
    again = engine.process_corpus(frame, **run)
    assert CountingExecutor.calls == 0
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
