"""Streaming, parallel corpus processing with exact merging (local processes or Dask).

Documents stream in chunks of ``chunk_size``; each chunk goes to a worker that runs
``process_chunk`` (clean -> segment -> per-document analyses) and sends back small
tables only, never tokens. Merging is exact: per-document and per-sentence tables
are concatenated, counts are summed with a groupby, and rates and shares are
recomputed from the merged counts (sufficient statistics), so the results equal a
run on the whole corpus at once. At most ``2 * workers`` chunks are in flight, so
memory stays bounded whatever the corpus size.

Known gap: cleaning's corpus-wide ``site_boilerplate`` detection (short lines
recurring across documents) needs every document first; the engine runs cleaning
with ``site_boilerplate=False`` (the reference comparison uses the same setting).

    results = process_corpus("corpus/", group="side", workers=2)
    results = process_corpus("corpus/", engine="dask", scheduler="tcp://host:8786")
"""
from __future__ import annotations

import os
import resource
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import cache as chunk_cache
from . import config
from .clean import clean_documents
from .concordance import word_stream
from .corpus import (
    REPORT_COLUMNS,
    _documents_table,
    _iter_frame,
    _sidecars,
    corpus_fingerprint,
    iter_corpus,
    join_metadata,
)
from .framing.frames import SCORE_COLUMNS, find_frames, score_frames
from .frequency import stat_frequency, with_group
from .overview import stat_documents
from .progress import progress
from .segment import content_sentences, segment_documents
from .sentiment import score_sentences

STAGES = ["clean", "segment", "overview", "frequency", "sentiment", "frames"]
SENTENCE_KEYS = ["doc_id", "sent_id", "n_tokens"]
#: Frame-hit columns not sent back: the sentence text and the cue's lexicon row (example, file),
#: which repeat per hit and can be joined back from the sentences and the cue lexicon by key.
HIT_TEXT_COLUMNS = ["sentence", "example", "source"]


class CorpusResults(NamedTuple):
    report: pd.DataFrame  # one row per input, as load_corpus gives it
    documents: pd.DataFrame  # stat_documents + sha256, is_duplicate, duplicate_of
    frequency: pd.DataFrame  # stat_frequency(tokens) columns
    group_frequency: pd.DataFrame  # stat_frequency(tokens, group=group) columns (empty without group)
    sentences: pd.DataFrame  # content sentences: doc_id, sent_id, n_tokens, scorer columns, score, label
    frame_hits: pd.DataFrame  # find_frames on content sentences, without HIT_TEXT_COLUMNS
    frame_scores: pd.DataFrame  # score_frames per document, recomputed from the merged hits
    timings: pd.DataFrame  # stage, seconds (summed over chunks; load measured in the main process)
    workers: pd.DataFrame  # pid, peak_rss_mb of each worker process (as of its last chunk)
    fingerprint: str


# --------------------------------------------------------------------------- one chunk (runs in a worker)


def process_chunk(documents: pd.DataFrame, settings: dict) -> dict[str, pd.DataFrame]:
    """Clean, segment and analyse one chunk of loaded documents; small tables only.

    ``settings``: ``group`` (a documents column or None), ``boilerplate``, ``stopwords``.
    Frequency tables hold raw counts (``n``, ``doc_freq``) and per-group totals
    (``words``, ``docs``) so that rates can be recomputed exactly after merging.
    """
    timings = {}
    clock = time.perf_counter()

    def lap(stage):
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    cleaned = clean_documents(documents, boilerplate=settings.get("boilerplate"), site_boilerplate=False)
    lap("clean")
    segmented = segment_documents(cleaned.documents, cleaned.marks, stopwords=settings.get("stopwords"),
                                  show_progress=False)
    sentences, tokens = segmented.sentences, segmented.tokens
    lap("segment")
    docs = stat_documents(cleaned.documents, sentences, tokens)
    docs["sha256"] = cleaned.documents["sha256"].to_numpy()
    lap("overview")
    out = {"documents": docs}
    for name, group in (("frequency", None), ("group_frequency", settings.get("group"))):
        out[name], out[f"{name}_totals"] = _raw_counts(tokens, group, cleaned.documents)
    lap("frequency")
    content = content_sentences(sentences)
    scored = score_sentences(content)
    out["sentences"] = scored.drop(columns=[c for c in sentences.columns if c not in SENTENCE_KEYS])
    lap("sentiment")
    out["frame_hits"] = find_frames(content, tokens).drop(columns=HIT_TEXT_COLUMNS, errors="ignore")
    lap("frames")
    out["timings"] = pd.DataFrame({"stage": list(timings), "seconds": list(timings.values())})
    out["workers"] = pd.DataFrame({"pid": [os.getpid()],
                                   "peak_rss_mb": [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]})
    return {name: table.reset_index(drop=True) for name, table in out.items()}


def _raw_counts(tokens, group, documents) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(term counts, totals)``: stat_frequency's n and doc_freq, and words / docs per group."""
    groups = [] if group is None else [group] if isinstance(group, str) else list(group)
    counts = stat_frequency(tokens, group=group, documents=documents)[[*groups, "term", "n", "doc_freq"]]
    words, _ = with_group(word_stream(tokens), group, documents)
    if groups:
        totals = words.groupby(groups, sort=False, dropna=False).agg(words=("doc_id", "size"),
                                                                      docs=("doc_id", "nunique")).reset_index()
    else:
        totals = pd.DataFrame({"words": [len(words)], "docs": [words["doc_id"].nunique()]})
    return counts, totals


# --------------------------------------------------------------------------- merging


def _merge_frequency(counts: pd.DataFrame, totals: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Sum counts over chunks, then ``rate_per_1000 = 1000 n / words`` and ``doc_share = doc_freq / docs``."""
    columns = [*groups, "term", "n", "rate_per_1000", "doc_freq", "doc_share"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    keys = [*groups, "term"]
    summed = counts.groupby(keys, sort=False, dropna=False)[["n", "doc_freq"]].sum().reset_index()
    if groups:
        total = totals.groupby(groups, sort=False, dropna=False)[["words", "docs"]].sum().reset_index()
        summed = summed.merge(total, on=groups, how="left")
    else:
        summed = summed.assign(words=totals["words"].sum(), docs=totals["docs"].sum())
    summed["rate_per_1000"] = 1000 * summed["n"] / summed["words"]
    summed["doc_share"] = summed["doc_freq"] / summed["docs"]
    order = summed.sort_values([*groups, "n", "term"], ascending=[*[True] * len(groups), False, True],
                               kind="stable")
    return order[columns].reset_index(drop=True)


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)] or parts[:1]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def merge_chunks(chunks: list[dict[str, pd.DataFrame]], *, group=None) -> dict[str, pd.DataFrame]:
    """Exact merge of ``process_chunk`` outputs (in document order)."""
    tables = {name: _concat([c[name] for c in chunks]) for name in chunks[0]} if chunks else {}
    groups = [] if group is None else [group] if isinstance(group, str) else list(group)
    merged = {name: tables.get(name, pd.DataFrame()) for name in ("documents", "sentences", "frame_hits")}
    merged["frequency"] = _merge_frequency(tables.get("frequency", pd.DataFrame()),
                                           tables.get("frequency_totals", pd.DataFrame()), [])
    merged["group_frequency"] = (_merge_frequency(tables["group_frequency"], tables["group_frequency_totals"], groups)
                                 if groups and chunks else pd.DataFrame(columns=[*groups, "term"]))
    timings = tables.get("timings", pd.DataFrame(columns=["stage", "seconds"]))
    merged["timings"] = timings.groupby("stage", sort=False)["seconds"].sum().reindex(STAGES, fill_value=0.0)
    workers = tables.get("workers", pd.DataFrame(columns=["pid", "peak_rss_mb"]))
    merged["workers"] = workers.groupby("pid", as_index=False)["peak_rss_mb"].max()
    return merged


# --------------------------------------------------------------------------- streaming the corpus


class _Loader:
    """Streams loaded documents in chunks (DataFrames), keeping the load report and
    globally unique doc_ids (the file stem, ``~2``, ``~3`` ... on collisions, as load_corpus)."""

    def __init__(self, source, *, text_column: str, max_file_mb: float):
        self.report: list[dict] = []
        self.seconds = 0.0  # time spent reading and decoding, summed over chunks
        self._seen: dict[str, int] = {}
        self._pending: list[dict] = []  # report rows of loaded records not yet given a doc_id
        if isinstance(source, pd.DataFrame):
            self._pairs = _iter_frame(source, text_column)
            self._sidecars: list[Path] = []
        else:
            source = source if isinstance(source, (list, tuple)) else Path(source)
            self._pairs = iter_corpus(source, text_column=text_column, max_file_mb=max_file_mb,
                                      show_progress=False)
            self._sidecars = _sidecars(source)

    def chunks(self, chunk_size: int) -> Iterator[pd.DataFrame]:
        records: list[dict] = []
        start = time.perf_counter()
        for row, record in self._pairs:
            self.report.append(row)
            if record is not None:
                records.append(record)
                self._pending.append(row)
            if len(records) == chunk_size:
                table = self._table(records)
                self.seconds += time.perf_counter() - start
                yield table
                records, start = [], time.perf_counter()
        if records:
            table = self._table(records)
            self.seconds += time.perf_counter() - start
            yield table

    def _table(self, records: list[dict]) -> pd.DataFrame:
        table = _documents_table(records)
        unique = []
        for doc_id in table["doc_id"].str.replace(r"~\d+$", "", regex=True):
            self._seen[doc_id] = self._seen.get(doc_id, 0) + 1
            unique.append(doc_id if self._seen[doc_id] == 1 else f"{doc_id}~{self._seen[doc_id]}")
        table["doc_id"] = unique
        if self._sidecars:
            table = join_metadata(table, self._sidecars)
        for row, doc_id, text in zip(self._pending, table["doc_id"], table["text"]):
            row["doc_id"], row["n_chars"] = doc_id, len(text)
        self._pending = []
        return table


def _report(rows: list[dict], documents: pd.DataFrame) -> pd.DataFrame:
    """The load report, with 'exact duplicate of ...' appended as load_corpus does."""
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    if "duplicate_of" in documents and documents["is_duplicate"].any():
        dup = documents.set_index("doc_id")["duplicate_of"].dropna()
        mask = (report["status"] == "loaded") & report["doc_id"].isin(dup.index)
        report.loc[mask, "reason"] = ["; ".join(filter(None, [r, f"exact duplicate of {dup[d]}"]))
                                      for r, d in zip(report.loc[mask, "reason"], report.loc[mask, "doc_id"])]
    return report


# --------------------------------------------------------------------------- executors


class _DaskExecutor:
    """``submit``/``shutdown`` over a distributed Client (a LocalCluster when no address is given)."""

    def __init__(self, scheduler, workers):
        from distributed import Client, LocalCluster

        self._cluster = None
        if scheduler is None:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         host="127.0.0.1", dashboard_address=None)
            scheduler = self._cluster
        self._client = Client(scheduler)

    def submit(self, fn, *args):
        return self._client.submit(fn, *args, pure=False)

    def shutdown(self):
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _executor(engine: str, workers: int, scheduler):
    if engine == "local":
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        # forkserver: workers start from a fresh interpreter, not a fork of this process, so they
        # do not inherit (and copy page by page) whatever the caller holds, e.g. a big DataFrame.
        return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver"))
    if engine == "dask":
        return _DaskExecutor(scheduler, workers)
    raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")


# --------------------------------------------------------------------------- the whole corpus


def process_corpus(source, *, chunk_size: int = 500, workers: int | None = None, engine: str = "local",
                   scheduler=None, cache_dir=None, show_progress: bool | None = None, group=None,
                   text_column: str = "text", boilerplate=None, stopwords=None,
                   max_file_mb: float = config.MAX_FILE_MB) -> CorpusResults:
    """Process a folder, paths or DataFrame chunk by chunk in parallel and merge exactly.

    ``engine='local'`` uses a process pool of ``workers`` (default: CPU count);
    ``engine='dask'`` submits the same ``process_chunk`` to ``distributed.Client(scheduler)``,
    or to a LocalCluster of ``workers`` processes when ``scheduler`` is None. With
    ``cache_dir``, chunk results are stored and reused (``corpus_tools.cache``).
    """
    workers = workers or os.cpu_count() or 1
    settings = {"group": group, "boilerplate": None if boilerplate is None else str(boilerplate),
                "stopwords": None if stopwords is None else str(stopwords)}
    loader = _Loader(source, text_column=text_column, max_file_mb=max_file_mb)
    results: list[dict] = []
    pool = _executor(engine, workers, scheduler)
    try:
        in_flight: deque = deque()

        def collect(item):
            key, value = item
            tables = value.result() if hasattr(value, "result") else value
            if cache_dir is not None and hasattr(value, "result"):
                chunk_cache.store_chunk(cache_dir, key, tables)
            results.append(tables)

        total = -(-len(source) // chunk_size) if isinstance(source, pd.DataFrame) else None
        bar = progress(loader.chunks(chunk_size), desc="chunks", unit="chunk", enabled=show_progress, total=total)
        for chunk in bar:
            key = chunk_cache.chunk_key(chunk, settings) if cache_dir is not None else None
            cached = chunk_cache.load_chunk(cache_dir, key) if key else None
            in_flight.append((key, cached if cached is not None else pool.submit(process_chunk, chunk, settings)))
            while len(in_flight) > 2 * workers:
                collect(in_flight.popleft())
        while in_flight:
            collect(in_flight.popleft())
    finally:
        pool.shutdown()
    merged = merge_chunks(results, group=group)
    documents = merged["documents"]
    if len(documents):
        first = documents.groupby("sha256", sort=False)["doc_id"].transform("first")
        documents = documents.assign(is_duplicate=documents["doc_id"] != first,
                                     duplicate_of=first.where(documents["doc_id"] != first))
    sentences = merged["sentences"]
    frame_scores = (score_frames(merged["frame_hits"], sentences) if len(sentences)
                    else pd.DataFrame(columns=["doc_id", *SCORE_COLUMNS]))
    timings = pd.concat([pd.Series({"load": loader.seconds}), merged["timings"]]).rename_axis("stage")
    return CorpusResults(
        report=_report(loader.report, documents), documents=documents, frequency=merged["frequency"],
        group_frequency=merged["group_frequency"], sentences=sentences, frame_hits=merged["frame_hits"],
        frame_scores=frame_scores, timings=timings.rename("seconds").reset_index(), workers=merged["workers"],
        fingerprint=corpus_fingerprint(documents) if len(documents) else "empty")
