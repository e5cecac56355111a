"""Streaming, parallel corpus processing with exact merging (local processes or Dask).

Documents stream in chunks of ``chunk_size``; each chunk goes to a worker that runs
``process_chunk`` (clean -> segment -> every per-document analysis) and sends back
small tables only, never tokens. Merging is exact and runs as chunks arrive:

* counts (terms, collocation pairs, actor candidates) are summed: term counts into a
  running table every few chunks, pair counts spilled to Parquet partitions on disk
  and summed one partition at a time; corpus-wide filters (``min_count``) and rates,
  shares and association measures are computed once, from the merged counts;
* per-sentence and per-hit tables are spilled to Parquet parts as they arrive and read
  back when first used (``CorpusResults``) with their strings dictionary-encoded (pandas
  Categoricals), so the run itself holds only documents and merged counts;
* per-document scores (frames, naming, persuasion) are computed in the worker from its
  chunk's hits (a document is never split between chunks) and concatenated.

So the results equal a run of the whole-corpus functions at once (tests check it).
At most ``2 * workers`` chunks are in flight and the corpus is never held whole.
Cleaning's corpus-wide site boilerplate (short lines recurring across documents)
takes a first streaming pass over the texts (``SiteLineCounter``), so the engine
cleans exactly as ``clean_documents(site_boilerplate=True)``.

    results = process_corpus("corpus/", group="side", workers=2)
    results = process_corpus("corpus/", engine="dask", scheduler="tcp://host:8786")
    save_results(results, "out/"); results = load_results("out/")
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import tempfile
import threading
import time
import weakref
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from itertools import chain, islice
from collections.abc import Iterator
from typing import NamedTuple
from pathlib import Path

import numpy as np
import pandas as pd

from . import cache as chunk_cache
from . import config
from .clean import SiteLineCounter, clean_documents
from .collocation import count_pairs, score_pair_counts
from .corpus import (
    ReportColumns,
    corpus_fingerprint,
    documents_table,
    input_signature,
    iter_corpus,
    iter_frame,
)
from .escaping import write_csv
from .framing.actors import merge_candidates
from .framing.analyse import analyse_framing
from .framing.frames import score_frames
from .framing.naming import score_naming
from .framing.packs import PackChoice, pack_for, resolve_pack
from .framing.persuasion import score_persuasion
from .frequency import count_terms
from .outputs import claim_output_dir
from .pipeline import apply_column_roles
from .overview import stat_documents
from .progress import progress
from .segment import content_sentences, segment_documents
from .tables import plain  # noqa: F401  (re-exported: engine.plain)
from .sentiment import score_sentences

STAGES = ["clean", "segment", "overview", "frequency", "collocation", "sentiment", "framing"]
#: Rows of ``CorpusResults.timings``: the chunk stages (CPU-seconds summed over chunks) between
#: the main process' reading, first (site boilerplate) pass and final merge (wall seconds).
TIMING_STAGES = ["load", "boilerplate pass", *STAGES, "merge"]
SENTENCE_KEYS = ["doc_id", "sent_id", "n_tokens"]
#: Columns not sent back from hit tables: the sentence text, a cue's lexicon row (example, file) and
#: the evidence sentences of a role, which repeat per hit and can be joined back by key.
HIT_TEXT_COLUMNS = ["sentence", "example", "source", "evidence"]
ROW_TABLES = ["sentences", "frame_hits", "mentions", "roles", "role_evidence", "naming", "quotes", "attributions",
              "stance", "persuasion", "frame_scores", "naming_scores", "persuasion_scores"]
#: Columns ordering a row table within a document (those it has), before its other columns break ties.
ORDER_COLUMNS = ["sent_id", "start", "end", "quote_id"]
#: Pair-count partitions on disk (by the lengths of the two words), summed one at a time.
PAIR_PARTITIONS = 16
#: Documents-table columns not copied into the results' documents (texts; duplicates are flagged after the merge).
NOT_METADATA = {"text", "clean_text", "is_duplicate", "duplicate_of"}
#: Running count tables are folded (concatenated and summed) after this many chunks.
FOLD_EVERY = 8


#: ``CorpusResults`` attributes, in order. ``ROW_TABLES`` among them are read from disk when first used.
RESULT_FIELDS = {
    "report": "one row per input, as load_corpus gives it",
    "documents": "stat_documents + sha256, is_duplicate, duplicate_of and the metadata columns",
    "frequency": "stat_frequency(tokens)",
    "group_frequency": "stat_frequency(tokens, group=group) (empty without group)",
    "collocations": "stat_pair_associations(tokens, min_count=pair_min_count)",
    "sentences": "content sentences: doc_id, sent_id, n_tokens, scorer columns, score, label",
    "frame_hits": "analyse_framing(...).frames, without HIT_TEXT_COLUMNS (so for every hit table)",
    "frame_scores": "score_frames per document",
    "mentions": "actor mentions",
    "candidates": "suggest_actors with min_count over the whole corpus",
    "roles": "roles per document and actor",
    "role_evidence": "one row per (mention, cue) link",
    "naming": "contested-naming hits",
    "naming_scores": "score_naming per document",
    "quotes": "direct quotes with speaker and verb",
    "attributions": "direct and indirect attributions",
    "stance": "hedges and boosters",
    "persuasion": "persuasion cues and repetition",
    "persuasion_scores": "score_persuasion per document",
    "timings": "stage, seconds (chunk stages: CPU-seconds summed over the chunks computed in this run; "
               "load and merge: the main process)",
    "chunks": "chunk, documents, cached (read back from the cache rather than computed)",
    "workers": "pid, peak_rss_mb of each worker process of this run (as of its last chunk)",
    "pack": "resolve_pack's table: the gazetteer and naming pairs used (chosen), why (reason), every pack's coverage",
    "fingerprint": "corpus_fingerprint of the documents",
}
TABLE_FIELDS = [name for name in RESULT_FIELDS if name != "fingerprint"]


class CorpusResults:
    """Every merged table of a run as an attribute (``RESULT_FIELDS``).

    The per-sentence and per-hit tables (``ROW_TABLES``) are read from disk (Parquet) the first
    time they are used and kept from then on: a run holds in memory only the documents and the
    merged counts, whatever the size of the corpus, and a notebook pays for the tables it reads
    (about 15 kB per 600-word document for all of them). Their files are removed once every
    table has been read or the results are garbage-collected.
    """

    _fields = tuple(RESULT_FIELDS)

    def __init__(self, *, lazy: dict | None = None, **values):
        lazy = dict(lazy or {})
        given, fields = set(values) | set(lazy), set(self._fields)
        if given != fields:
            raise TypeError(f"CorpusResults: unknown {sorted(given - fields)}, missing {sorted(fields - given)}")
        self.__dict__.update(values)
        self._lazy = lazy  # name -> function reading the table

    def __getattr__(self, name):  # called only for attributes not set yet: the unread row tables
        lazy = self.__dict__.get("_lazy", {})
        if name not in lazy:
            raise AttributeError(name)
        value = lazy[name]()
        setattr(self, name, value)
        del lazy[name]  # drops the reader: the files go with the last one
        return value

    def _peek(self, name: str):
        """The table ``name`` without keeping it (read again if it is not in memory)."""
        return self.__dict__[name] if name in self.__dict__ else self._lazy[name]()

    def _asdict(self) -> dict:
        return {name: getattr(self, name) for name in self._fields}

    def _replace(self, **changes) -> "CorpusResults":
        values = {name: self.__dict__[name] for name in self._fields if name in self.__dict__}
        return CorpusResults(lazy={n: f for n, f in self._lazy.items() if n not in changes}, **{**values, **changes})

    def __repr__(self) -> str:
        return (f"CorpusResults({len(self.documents):,} documents, fingerprint {self.fingerprint[:12]}; "
                f"not read yet: {', '.join(self._lazy) or 'none'})")


# --------------------------------------------------------------------------- one chunk (runs in a worker)


def process_chunk(documents: pd.DataFrame, settings: dict) -> dict[str, pd.DataFrame]:
    """Clean, segment and analyse one chunk of loaded documents; small tables only.

    ``settings``: ``group`` (a documents column or None), ``boilerplate``, ``stopwords``,
    ``site_lines`` (site boilerplate keys, or None for none), ``conflict``/``gazetteer``/``naming_pairs``
    (the pack the main process resolved for the whole corpus). ``term_counts`` holds raw counts
    (``n``, ``doc_freq``) per group and ``term_totals`` the words and documents per group, so
    rates can be recomputed exactly after merging; ``pair_counts`` holds ``count_pairs``.
    """
    timings = {}
    clock = time.process_time()  # CPU time: stage costs that do not depend on what else runs

    def lap(stage):
        nonlocal clock
        now = time.process_time()
        timings[stage] = now - clock
        clock = now

    site_lines = settings.get("site_lines")
    cleaned = clean_documents(documents, boilerplate=settings.get("boilerplate"), site_boilerplate=False,
                              site_lines=None if site_lines is None else frozenset(site_lines))
    lap("clean")
    segmented = segment_documents(cleaned.documents, cleaned.marks, stopwords=settings.get("stopwords"),
                                  show_progress=False)
    sentences, tokens = segmented.sentences, segmented.tokens
    lap("segment")
    docs = stat_documents(cleaned.documents, sentences, tokens)
    metadata = [c for c in cleaned.documents.columns if c not in docs.columns and c not in NOT_METADATA]
    docs[["sha256", *metadata]] = cleaned.documents[["sha256", *metadata]].to_numpy()
    lap("overview")
    out = {"documents": docs}
    out["term_counts"], out["term_totals"] = count_terms(tokens, group=settings.get("group"),
                                                         documents=cleaned.documents)
    lap("frequency")
    out["pair_counts"] = count_pairs(tokens)
    lap("collocation")
    content = content_sentences(sentences)
    scored = score_sentences(content)
    out["sentences"] = scored.drop(columns=[c for c in sentences.columns if c not in SENTENCE_KEYS])
    lap("sentiment")
    pack = pack_for(conflict=settings.get("conflict"), gazetteer=settings.get("gazetteer"),
                    naming_pairs=settings.get("naming_pairs"))
    framing = analyse_framing(cleaned.documents, sentences, tokens, conflict=PackChoice(pack.name, pack, "",
                                                                                        pd.DataFrame()),
                              min_candidate_count=1)
    hits = {"frame_hits": framing.frames, "mentions": framing.mentions, "roles": framing.roles.roles,
            "role_evidence": framing.roles.evidence, "naming": framing.naming, "quotes": framing.quotes,
            "attributions": framing.attributions, "stance": framing.stance, "persuasion": framing.persuasion}
    out.update({name: table.drop(columns=HIT_TEXT_COLUMNS, errors="ignore") for name, table in hits.items()})
    out["candidates"] = framing.candidates
    # Per-document scores, from this chunk's hits: every document is whole in one chunk.
    out["frame_scores"] = score_frames(framing.frames, framing.sentences)
    out["naming_scores"] = score_naming(framing.naming, documents=cleaned.documents, pack=pack)
    out["persuasion_scores"] = score_persuasion(framing.persuasion, framing.sentences)
    out.update({name: in_document_order(out[name], cleaned.documents["doc_id"]) for name in ROW_TABLES})
    lap("framing")
    out["timings"] = pd.DataFrame({"stage": list(timings), "seconds": list(timings.values())})
    out["workers"] = pd.DataFrame({"pid": [os.getpid()], "peak_rss_mb": [_peak_rss_mb()]})
    return {name: table.reset_index(drop=True) for name, table in out.items()}


def in_document_order(table: pd.DataFrame, doc_ids: pd.Series) -> pd.DataFrame:
    """``table`` sorted by document (in the order of ``doc_ids``), then ``ORDER_COLUMNS``, then every
    other column as a tie-breaker: one order that does not depend on how the corpus was chunked."""
    if table.empty:
        return table
    keys = [c for c in ORDER_COLUMNS if c in table] + [c for c in table if c not in ORDER_COLUMNS and c != "doc_id"]
    position = table["doc_id"].map(pd.Series(np.arange(len(doc_ids)), index=doc_ids.to_numpy()))
    return table.assign(_position=position).sort_values(["_position", *keys], kind="stable").drop(
        columns="_position")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _group_list(group) -> list[str]:
    return [] if group is None else [group] if isinstance(group, str) else list(group)


# --------------------------------------------------------------------------- merging as chunks arrive


class RunningSum:
    """Sum of count tables keyed by ``keys``: tables wait in a list and are folded into the
    running total (concatenate, group, sum) every ``every`` additions, so memory holds the
    distinct keys rather than every chunk's rows. Integer sums: exact in any order."""

    def __init__(self, keys: list[str], values: list[str], *, every: int = FOLD_EVERY):
        self.keys, self.values, self.every = keys, values, every
        self._pending: list[pd.DataFrame] = []
        self._total: pd.DataFrame | None = None

    def add(self, table: pd.DataFrame) -> None:
        if len(table):
            self._pending.append(table[[*self.keys, *self.values]])
        if len(self._pending) >= self.every:
            self._fold()

    def _fold(self) -> None:
        parts = ([] if self._total is None else [self._total]) + self._pending
        if parts:
            together = pd.concat(parts, ignore_index=True)
            self._total = (together.groupby(self.keys, sort=False, dropna=False)[self.values].sum().reset_index()
                           if self.keys else together[self.values].sum().to_frame().T)
        self._pending = []

    def total(self) -> pd.DataFrame:
        """The summed table (empty, with the key and value columns, when nothing was added)."""
        self._fold()
        return self._total if self._total is not None else pd.DataFrame(columns=[*self.keys, *self.values])


class ScratchFolder:
    """A temporary folder, removed when the last object holding it is garbage-collected (or at exit)."""

    def __init__(self, base=None):
        self.path = Path(tempfile.mkdtemp(prefix="corpus_tools-", dir=base))
        self.remove = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)


class RowParts:
    """Per-chunk row tables written as Parquet parts to ``folder`` (nothing held in memory) and
    read back on demand, compact: every string column dictionary-encoded (a pandas Categorical),
    so a doc_id or cue id repeated on a million rows is stored once. Values are unchanged.
    ``owner`` (a ``ScratchFolder``) is kept alive as long as the parts may be read; ``files``:
    parts already on disk (a cached run's)."""

    def __init__(self, folder: Path, owner=None, files=()):
        self.folder, self.owner = folder, owner
        self._parts: list[Path] = list(files)

    @property
    def files(self) -> list[Path]:
        return list(self._parts)

    def add(self, table: pd.DataFrame | Path) -> None:
        """Add a chunk's table, or the Parquet file already holding it (a cache entry)."""
        if isinstance(table, Path):
            self._parts.append(table)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"part-{len(self._parts):06d}.parquet"
        _write_arrow(table, path)
        self._parts.append(path)

    def frame(self) -> pd.DataFrame:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        if not self._parts:
            return pd.DataFrame()
        types: dict[str, pa.DataType] = {}  # column -> first non-null type, in order of appearance
        for path in self._parts:
            for field in pq.read_schema(path):
                if field.name not in types or pa.types.is_null(types[field.name]):
                    types[field.name] = field.type
        tables = []
        for path in self._parts:  # one part at a time: plain strings are never all in memory
            part = pq.read_table(path)
            columns = []
            for name, kind in types.items():
                column = part[name] if name in part.column_names else pa.nulls(len(part), kind)
                if pa.types.is_large_string(kind) or pa.types.is_string(kind):
                    column = pc.dictionary_encode(column.cast(pa.string()))
                elif column.type != kind:
                    column = column.cast(kind)
                if pa.types.is_int64(column.type) and _fits_int32(column):
                    column = column.cast(pa.int32())  # ids, offsets and counts: same values, half the memory
                columns.append(column)
            tables.append(pa.table(columns, names=list(types)))
        table = pa.concat_tables(tables, promote_options="permissive").unify_dictionaries()
        del tables  # so that the conversion below can free each Arrow column once it is copied
        frame = table.to_pandas(self_destruct=True, split_blocks=True)
        del table
        # Categories in sorted order, so that grouping and sorting on them order rows as on strings.
        categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
        frame = frame.assign(**{c: frame[c].cat.reorder_categories(sorted(frame[c].cat.categories))
                                for c in categorical})
        release_memory()
        return frame


def _write_arrow(table: pd.DataFrame, path: Path) -> None:
    """``table.to_parquet(path, index=False)`` converted in this thread (pyarrow's default starts a
    thread pool for every conversion, which costs more than converting a chunk's table)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(table, preserve_index=False, nthreads=1), path)


def release_memory() -> None:
    """Hand memory freed by large temporaries back to the system: Arrow's pool keeps freed blocks
    and glibc keeps freed heap, so without this the process' footprint after a merge or a table
    read stays at its peak (about 300 MB more after merging 100,000 articles)."""
    import ctypes
    import ctypes.util

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    libc = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if trim is not None:  # glibc only
        trim(0)


def _fits_int32(column) -> bool:
    import pyarrow.compute as pc

    bounds = pc.min_max(column).as_py()
    return bounds["min"] is None or (-2**31 <= bounds["min"] and bounds["max"] < 2**31)


class PairSpill:
    """``count_pairs`` tables of every chunk, appended to ``PAIR_PARTITIONS`` Parquet files by
    ``_pair_partition``; ``merged(min_count)`` sums each partition on its own (Arrow group_by) and
    keeps pairs seen at least ``min_count`` times, so memory holds one partition at a time."""

    def __init__(self, folder: Path, partitions: int = PAIR_PARTITIONS):
        import pyarrow as pa

        self.folder, self.partitions = folder, partitions
        self.schema = pa.schema([("w1", pa.string()), ("w2", pa.string()), ("o11", pa.int64())])
        self._writers: dict[int, object] = {}

    def add(self, pairs: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if pairs.empty:
            return
        table = pa.Table.from_pandas(pairs[["w1", "w2", "o11"]], preserve_index=False, nthreads=1).cast(self.schema)
        part = _pair_partition(table, self.partitions)
        order = np.argsort(part, kind="stable")
        table = table.take(order)
        bounds = np.searchsorted(part[order], np.arange(self.partitions + 1))
        for p in range(self.partitions):
            if bounds[p] == bounds[p + 1]:
                continue
            writer = self._writers.get(p)
            if writer is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                writer = self._writers[p] = pq.ParquetWriter(self.folder / f"pairs-{p:02d}.parquet", self.schema)
            writer.write_table(table.slice(bounds[p], bounds[p + 1] - bounds[p]))

    def merged(self, min_count: int) -> Iterator[pd.DataFrame]:
        """The summed pairs seen ``min_count``+ times, one table per partition (disjoint pairs),
        each read and summed when the consumer asks for it."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        for writer in self._writers.values():
            writer.close()
        written, self._writers = sorted(self._writers), {}
        for p in written:
            path = self.folder / f"pairs-{p:02d}.parquet"
            summed = pq.read_table(path).group_by(["w1", "w2"]).aggregate(
                [("o11", "sum")]).rename_columns(["w1", "w2", "o11"])
            path.unlink()
            yield summed.filter(pc.greater_equal(summed["o11"], max(min_count, 1))).to_pandas()


def _pair_partition(pairs, partitions: int) -> np.ndarray:
    """The partition of each (w1, w2) pair: a function of the two words' lengths in characters,
    computed in Arrow (a string hash per pair cost more than the spill's writing)."""
    import pyarrow.compute as pc

    lengths = [pc.utf8_length(pairs[column]).to_numpy(zero_copy_only=False).astype(np.int64)
               for column in ("w1", "w2")]
    return (lengths[0] * 7 + lengths[1]) % partitions


class Merger:
    """Exact merge of ``process_chunk`` outputs, fed one chunk at a time in document order."""

    def __init__(self, *, group, work_dir: Path, owner=None):
        self.groups = _group_list(group)
        self.documents: list[pd.DataFrame] = []
        self.terms = RunningSum([*self.groups, "term"], ["n", "doc_freq"])
        self.totals = RunningSum(self.groups, ["words", "docs"])
        self.candidates = RunningSum(["candidate"], ["mentions", "documents"])
        self.timings = RunningSum(["stage"], ["seconds"])
        self.workers: dict = {}
        self.chunks: list[tuple[int, bool]] = []  # (documents, cached) per chunk, in order
        self.pairs = PairSpill(work_dir / "pairs")
        self.rows = {name: RowParts(work_dir / name, owner) for name in ROW_TABLES}

    def add(self, tables: dict[str, pd.DataFrame], *, cached: bool = False) -> None:
        self.chunks.append((len(tables["documents"]), cached))
        self.documents.append(tables["documents"])
        self.terms.add(tables["term_counts"])
        self.totals.add(tables["term_totals"])
        self.candidates.add(tables["candidates"])
        self.pairs.add(tables["pair_counts"])
        for name, parts in self.rows.items():
            parts.add(tables[name])
        if cached:  # the stored timings and memory are those of the run that computed the chunk
            return
        self.timings.add(tables["timings"])
        for pid, rss in zip(tables["workers"]["pid"], tables["workers"]["peak_rss_mb"]):
            self.workers[pid] = max(rss, self.workers.get(pid, 0.0))

    def frequency_tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(frequency, group_frequency)``. With a group, the ungrouped counts are the grouped ones
        summed over groups: every document is in exactly one group, so n, doc_freq, words and docs add up."""
        counts, totals = self.terms.total(), self.totals.total()
        if not self.groups:
            return _frequency_table(counts, totals, []), pd.DataFrame(columns=["term"])
        overall = counts.groupby("term", sort=False)[["n", "doc_freq"]].sum().reset_index()
        return (_frequency_table(overall, totals[["words", "docs"]].sum().to_frame().T, []),
                _frequency_table(counts, totals, self.groups))

    def candidate_table(self, min_count: int) -> pd.DataFrame:
        """``suggest_actors`` over the corpus: the running sums, filtered and ordered by ``merge_candidates``."""
        return merge_candidates([self.candidates.total()], min_count=min_count)


def _frequency_table(counts: pd.DataFrame, totals: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Summed counts with ``rate_per_1000 = 1000 n / words`` and ``doc_share = doc_freq / docs``,
    in stat_frequency's order (group, n descending, term)."""
    columns = [*groups, "term", "n", "rate_per_1000", "doc_freq", "doc_share"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    counts = counts.astype({"n": np.int64, "doc_freq": np.int64})
    if groups:
        counts = counts.merge(totals, on=groups, how="left")
    else:
        counts = counts.assign(words=int(totals["words"].sum()), docs=int(totals["docs"].sum()))
    counts["rate_per_1000"] = 1000 * counts["n"] / counts["words"]
    counts["doc_share"] = counts["doc_freq"] / counts["docs"]
    order = counts.sort_values([*groups, "n", "term"], ascending=[*[True] * len(groups), False, True],
                               kind="stable")
    return order[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- streaming the corpus


class _Loader:
    """Streams loaded documents in chunks (DataFrames), keeping the load report (column lists)
    and globally unique doc_ids (the file stem, ``~2``, ``~3`` ... on collisions, as load_corpus)."""

    def __init__(self, source, *, text_column: str, max_file_mb: float, columns: dict | None = None):
        self.report = ReportColumns()
        self.seconds = 0.0  # time spent reading and decoding, summed over chunks
        self._seen: dict[str, int] = {}
        self._pending: list[int] = []  # report positions of loaded records not yet given a doc_id
        self._source, self._text_column, self._max_file_mb = source, text_column, max_file_mb
        self._columns = columns or {}  # id_column, date_column, title_column (apply_column_roles)

    def pairs(self) -> Iterator[tuple[dict, dict | None]]:
        """``(report_row, record or None)`` per input, freshly streamed (a pass over the corpus)."""
        if isinstance(self._source, pd.DataFrame):
            return iter_frame(self._source, self._text_column)
        return iter_corpus(self._source, text_column=self._text_column, max_file_mb=self._max_file_mb,
                           show_progress=False)

    def chunks(self, chunk_size: int) -> Iterator[pd.DataFrame]:
        records: list[dict] = []
        start = time.perf_counter()
        for row, record in self.pairs():
            position = self.report.add(row)
            if record is not None:
                records.append(record)
                self._pending.append(position)
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
        table = apply_column_roles(documents_table(records), **self._columns)
        records.clear()
        unique = []
        for doc_id in table["doc_id"].str.replace(r"~\d+$", "", regex=True):
            self._seen[doc_id] = self._seen.get(doc_id, 0) + 1
            unique.append(doc_id if self._seen[doc_id] == 1 else f"{doc_id}~{self._seen[doc_id]}")
        table["doc_id"] = unique
        for position, doc_id, text in zip(self._pending, table["doc_id"], table["text"]):
            self.report.set(position, doc_id=doc_id, n_chars=len(text))
        self._pending = []
        return table


def _report(rows: ReportColumns, documents: pd.DataFrame) -> pd.DataFrame:
    """The load report, with 'exact duplicate of ...' appended as load_corpus does."""
    report = rows.frame()
    if "duplicate_of" in documents and documents["is_duplicate"].any():
        dup = documents.set_index("doc_id")["duplicate_of"].dropna()
        mask = (report["status"] == "loaded") & report["doc_id"].isin(dup.index)
        report.loc[mask, "reason"] = ["; ".join(filter(None, [r, f"exact duplicate of {dup[d]}"]))
                                      for r, d in zip(report.loc[mask, "reason"], report.loc[mask, "doc_id"])]
    return report


def site_boilerplate_lines(loader: _Loader) -> tuple[frozenset, int]:
    """First pass: the site-boilerplate line keys of the whole corpus (``find_site_boilerplate``
    over the loaded texts), streamed with bounded memory (``SiteLineCounter``), and the number
    of documents loaded (which gives the progress bar its total)."""
    counter, documents = SiteLineCounter(), 0
    for _, record in loader.pairs():
        if record is not None:
            counter.add(record["text"])
            documents += 1
    return counter.lines(), documents


def _first_pass(loader: _Loader, signature, cache_dir, text_column: str, max_file_mb: float):
    """``site_boilerplate_lines``, read from the cache when the input files (``signature``) are unchanged."""
    settings = {"pass": "site_boilerplate", "text_column": text_column, "max_file_mb": max_file_mb}
    stored = chunk_cache.load_pass(cache_dir, signature, settings)  # None without a signature
    if stored is not None:
        return frozenset(stored["lines"]), stored["documents"]
    lines, documents = site_boilerplate_lines(loader)
    chunk_cache.store_pass(cache_dir, signature, settings, {"lines": sorted(lines), "documents": documents})
    return lines, documents


# --------------------------------------------------------------------------- executors


class _DaskExecutor:
    """``submit``/``shutdown`` over a distributed Client (a LocalCluster when no address is given).
    ``deaths``: the errors meaning that a worker died running the chunk (as for every executor)."""

    def __init__(self, scheduler, workers):
        from distributed import Client, KilledWorker, LocalCluster

        self.deaths = (KilledWorker,)
        self._cluster = None
        if scheduler is None:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         host="127.0.0.1", dashboard_address=None)
            scheduler = self._cluster
        self._client = Client(scheduler)

    def submit(self, fn, *args):
        return self._client.submit(fn, *args, pure=False)

    def shutdown(self, cancel: bool = False):  # closing the client cancels its tasks either way
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


class _ProcessExecutor(ProcessPoolExecutor):
    """A process pool whose ``shutdown(cancel=True)`` also ends the chunks running in its workers (a
    plain pool waits for them: after SIGTERM or an error, minutes of work nobody will read)."""

    deaths = (BrokenProcessPool,)

    def shutdown(self, cancel: bool = False):
        if cancel:
            for process in list((self._processes or {}).values()):
                process.terminate()
        super().shutdown(wait=True, cancel_futures=cancel)


def _executor(engine: str, workers: int, scheduler):
    if engine == "local":
        from multiprocessing import get_context

        # forkserver: workers start from a fresh interpreter, not a fork of this process, so they
        # do not inherit (and copy page by page) whatever the caller holds, e.g. a big DataFrame.
        # The forkserver imports the engine (pandas, the lexicons' libraries) once; each worker forked
        # from it starts with them loaded instead of importing them again.
        context = get_context("forkserver")
        context.set_forkserver_preload(["corpus_tools.engine"])
        return _ProcessExecutor(max_workers=workers, mp_context=context)
    if engine == "dask":
        return _DaskExecutor(scheduler, workers)
    raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")


# --------------------------------------------------------------------------- the whole corpus


def process_corpus(source, *, chunk_size: int = 500, workers: int | None = None, engine: str = "local",
                   scheduler=None, cache_dir=None, work_dir=None, show_progress: bool | None = None, group=None,
                   text_column: str = "text", boilerplate=None, stopwords=None, site_boilerplate: bool = True,
                   pair_min_count: int = 2, candidate_min_count: int = 2,
                   max_file_mb: float = config.MAX_FILE_MB, id_column: str | None = None,
                   date_column: str | None = None, title_column: str | None = None, conflict="auto",
                   gazetteer=None, naming_pairs=None) -> CorpusResults:
    """Process a folder, paths or DataFrame chunk by chunk in parallel and merge exactly.

    ``engine='local'`` uses a process pool of ``workers`` (default: CPU count);
    ``engine='dask'`` submits the same ``process_chunk`` to ``distributed.Client(scheduler)``,
    or to a LocalCluster of ``workers`` processes when ``scheduler`` is None. With
    ``cache_dir``, chunk results are stored and reused (``corpus_tools.cache``).
    ``site_boilerplate`` makes a first pass to find site furniture, as ``clean_documents``.
    Collocations are adjacent pairs seen ``pair_min_count``+ times (all pairs of a large corpus
    would not fit in memory); actor candidates need ``candidate_min_count`` mentions (as
    ``analyse_framing``). Pair counts and the per-sentence and per-hit tables are spilled to a
    temporary folder under ``work_dir`` (default: ``cache_dir``, else the system's); the row
    tables are read from there when first used (``CorpusResults``), with their strings as
    Categoricals (``plain`` undoes it), and the folder is removed when they have all been read.
    With ``cache_dir`` they are read from the cache entries instead (no second copy), so keep the
    cache until the results have been read or saved. ``text_column`` ... ``naming_pairs``: the corpus
    parameters of the notebooks (``pipeline.open_corpus``); the pack is resolved once, on the first
    5,000 documents cleaned as the chunks clean them, and every chunk uses it (``results.pack``).
    """
    workers = workers or os.cpu_count() or 1
    columns = {"id_column": id_column, "date_column": date_column, "title_column": title_column}
    signature = input_signature(source) if cache_dir is not None else None
    run = {"pass": "results", "group": group, "boilerplate": _stamp(boilerplate), "stopwords": _stamp(stopwords),
           "site_boilerplate": site_boilerplate, "pair_min_count": pair_min_count, "chunk_size": chunk_size,
           "candidate_min_count": candidate_min_count, "text_column": text_column, "max_file_mb": max_file_mb,
           "columns": columns, "conflict": _lexicon_key(conflict), "gazetteer": _lexicon_key(gazetteer),
           "naming_pairs": _lexicon_key(naming_pairs)}
    if signature is not None and (reopened := _reopen(cache_dir, signature, run)) is not None:
        return reopened
    loader = _Loader(source, text_column=text_column, max_file_mb=max_file_mb, columns=columns)
    seconds = {}
    start = time.perf_counter()
    site_lines, n_documents = _first_pass(loader, signature, cache_dir, text_column, max_file_mb) if site_boilerplate \
        else (None, None)
    if n_documents is None and isinstance(source, pd.DataFrame):
        n_documents = len(source)
    seconds["boilerplate pass"] = time.perf_counter() - start
    settings = {"group": group, "boilerplate": None if boilerplate is None else str(boilerplate),
                "stopwords": None if stopwords is None else str(stopwords),
                "site_lines": None if site_lines is None else sorted(site_lines)}
    start = time.perf_counter()
    choice = _choose_pack(loader, settings, conflict=conflict, gazetteer=gazetteer, naming_pairs=naming_pairs,
                          cache_dir=cache_dir)
    seconds["boilerplate pass"] += time.perf_counter() - start
    settings.update(pack_settings(choice, gazetteer=gazetteer, naming_pairs=naming_pairs))
    if cache_dir is not None:
        chunk_cache.cache_folder(cache_dir)  # marked before the scratch folder goes into it
    if work_dir is not None:
        Path(work_dir).mkdir(parents=True, exist_ok=True)
    scratch = ScratchFolder(work_dir or cache_dir)  # kept alive by the row tables not read yet
    try:
        with sigterm_exits():
            merger = Merger(group=group, work_dir=scratch.path, owner=scratch)
            keys = _run_chunks(loader, merger, settings, chunk_size=chunk_size, workers=workers, engine=engine,
                               scheduler=scheduler, cache_dir=cache_dir, show_progress=show_progress,
                               total=None if n_documents is None else -(-n_documents // chunk_size))
            start = time.perf_counter()
            results = _finish(merger, loader, pair_min_count=pair_min_count, candidate_min_count=candidate_min_count)
    except BaseException:
        scratch.remove()
        raise
    seconds["merge"] = time.perf_counter() - start
    chunk_stages = merger.timings.total().set_index("stage")["seconds"].reindex(STAGES, fill_value=0.0)
    timings = pd.concat([pd.Series({"load": loader.seconds, "boilerplate pass": seconds["boilerplate pass"]}),
                         chunk_stages.astype(float), pd.Series({"merge": seconds["merge"]})])
    results = results._replace(timings=timings.rename_axis("stage").rename("seconds").reset_index(),
                               pack=choice.table)
    if signature is not None:
        _keep_run(cache_dir, signature, run, results, keys)
    return results


@contextmanager
def sigterm_exits():
    """While a run lasts, SIGTERM raises SystemExit (status 143) in the main thread, as Ctrl-C raises
    KeyboardInterrupt, so the workers are stopped and the scratch folder removed rather than left
    behind; the previous handler comes back afterwards. (Only the main thread can handle signals.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def _choose_pack(loader: _Loader, settings: dict, *, conflict, gazetteer, naming_pairs, cache_dir=None,
                 sample: int = 5000) -> PackChoice:
    """``resolve_pack`` on the first ``sample`` documents, cleaned as ``process_chunk`` cleans them, so the
    choice equals ``analyse_framing``'s on the whole corpus (``choose_pack`` reads its first 5,000); with
    ``cache_dir``, shared with the notebooks of the run that chose for the same documents
    (``pipeline.kept_choice``)."""
    from .pipeline import kept_choice

    documents = next(_Loader(loader._source, text_column=loader._text_column, max_file_mb=loader._max_file_mb,
                             columns=loader._columns).chunks(sample), None)
    site_lines = settings.get("site_lines")
    if documents is None:
        return resolve_pack([], conflict=conflict, gazetteer=gazetteer, naming_pairs=naming_pairs)
    cleaned = clean_documents(documents, boilerplate=settings.get("boilerplate"), site_boilerplate=False,
                              site_lines=None if site_lines is None else frozenset(site_lines)).documents
    parameters = {"conflict": conflict, "gazetteer": gazetteer, "naming_pairs": naming_pairs}
    shared = settings.get("boilerplate") is None and site_lines is not None  # cleaned as the notebooks clean
    return kept_choice(cache_dir if shared else None, cleaned, parameters,
                       lambda: resolve_pack(cleaned["clean_text"], **parameters))


def pack_settings(choice: PackChoice, *, gazetteer=None, naming_pairs=None) -> dict:
    """The worker settings that name the pack ``choice`` (``resolve_pack``'s answer): its path or name, or,
    for the world pack plus the corpus's own actors (no file behind it), the proposed gazetteer as a table;
    ``lexicons`` keys the chunk cache by their content."""
    proposed = gazetteer is None and not choice.pack.path
    return {"conflict": None if gazetteer is not None or proposed else choice.pack.path or choice.name,
            "gazetteer": choice.pack.actors if proposed else gazetteer, "naming_pairs": naming_pairs,
            "lexicons": [_lexicon_key(choice.pack.actors if proposed else gazetteer), _lexicon_key(naming_pairs)]}


def _lexicon_key(value):
    """A pack, gazetteer or naming setting for a cache key: a file by ``_stamp``, a table by its content."""
    if isinstance(value, pd.DataFrame):
        return value.to_csv(index=False)
    return list(map(str, value)) if isinstance(value, (list, tuple, set, pd.Series)) else _stamp(value)


def _stamp(path_or_value):
    """A lexicon setting for a cache key: a file as (path, size, modification time), else its text."""
    if path_or_value is None:
        return None
    path = Path(str(path_or_value))
    return (input_signature(path) or [str(path_or_value)]) if path.is_file() else str(path_or_value)


def _keep_run(cache_dir, signature, run: dict, results: CorpusResults, keys: list[str]) -> None:
    """Store a run's merged tables and the keys of the chunk entries holding its row tables, so that
    the same files with the same settings reopen in seconds (``_reopen``)."""
    tables = {name: getattr(results, name) for name in TABLE_FIELDS if name not in ROW_TABLES}
    chunk_cache.store_run(cache_dir, signature, run, tables, {"fingerprint": results.fingerprint, "chunks": keys},
                          write=_write_parquet)


def _reopen(cache_dir, signature, run: dict) -> CorpusResults | None:
    """The stored run for these files and settings (chunk stages at 0: nothing is computed), or
    None when there is none or an entry it needs has gone or fails its check (``cache.load_chunk``)."""
    start = time.perf_counter()
    stored = chunk_cache.load_run(cache_dir, signature, run)
    if stored is None:
        return None
    tables, value = stored
    entries = [chunk_cache.load_chunk(cache_dir, key, as_files=ROW_TABLES, names=ROW_TABLES) for key in value["chunks"]]
    if any(entry is None for entry in entries):
        return None
    timings = pd.DataFrame({"stage": TIMING_STAGES, "seconds": 0.0})
    timings.loc[0, "seconds"] = time.perf_counter() - start  # reading and checking
    rows = {name: RowParts(Path(cache_dir), files=[entry[name] for entry in entries]) for name in ROW_TABLES}
    return CorpusResults(**{**tables, "timings": timings, "chunks": tables["chunks"].assign(cached=True),
                            "workers": tables["workers"].iloc[:0]}, fingerprint=value["fingerprint"],
                         lazy={name: parts.frame for name, parts in rows.items()})


class WorkerDied(RuntimeError):
    """A worker process died (killed, out of memory) running a chunk; the message names its documents."""


class _Chunk(NamedTuple):
    key: str | None  # the cache key, None without a cache
    value: object  # the stored tables (cached) or the pool's future
    cached: bool
    span: str  # the chunk's first and last documents, for messages


def _run_chunks(loader: _Loader, merger: Merger, settings: dict, *, chunk_size, workers, engine, scheduler,
                cache_dir, show_progress, total) -> list:
    """Merge every chunk's tables in document order, the progress bar moving as chunks are merged;
    returns the chunks' cache keys. A local corpus of a single chunk runs in this process: starting
    workers would cost more. On any error or interruption the workers are stopped at once."""
    chunks = loader.chunks(chunk_size)
    first = list(islice(chunks, 2))
    several = len(first) == 2  # a single chunk gets neither workers nor a progress bar
    pool = _executor(engine, workers, scheduler) if several or engine != "local" else _InlineExecutor()
    keys = []
    try:
        done = _chunk_results(chain(first, chunks), pool, settings, workers=workers, cache_dir=cache_dir)
        if several:
            done = progress(done, desc="chunks", unit="chunk", enabled=show_progress, total=total)
        for key, tables, cached in done:
            merger.add(tables, cached=cached)
            keys.append(key)
    except BaseException:
        pool.shutdown(cancel=True)
        raise
    pool.shutdown()
    return keys


def _chunk_results(chunks: Iterator[pd.DataFrame], pool, settings: dict, *, workers: int,
                   cache_dir) -> Iterator[tuple[str | None, dict, bool]]:
    """``(key, tables, cached)`` per chunk in order: read from the cache, or computed by the pool (at
    most ``2 * workers`` chunks in flight) and then stored in the cache. With a cache, the row
    tables are given as the cache entry's Parquet files, read only when the results are used.
    A worker's death raises ``WorkerDied`` naming the chunk's first and last documents."""
    in_flight: deque[_Chunk] = deque()

    def collect(item: _Chunk):
        try:
            tables = item.value if item.cached else item.value.result()
        except pool.deaths as err:
            raise WorkerDied(f"a worker process died (killed, or out of memory?) while processing "
                             f"{_suspects(item, in_flight, workers, pool.deaths)}") from err
        if cache_dir is not None and not item.cached:  # row tables then read from the cache's files
            files = chunk_cache.store_chunk(cache_dir, item.key, tables)
            tables = {**tables, **{name: files[name] for name in ROW_TABLES}}
        return item.key, tables, item.cached

    for chunk in chunks:
        key = chunk_cache.chunk_key(chunk, settings) if cache_dir is not None else None
        stored = chunk_cache.load_chunk(cache_dir, key, as_files=ROW_TABLES) if key else None
        in_flight.append(_Chunk(key, stored, True, _span(chunk)) if stored is not None
                         else _Chunk(key, pool.submit(process_chunk, chunk, settings), False, _span(chunk)))
        del chunk
        while len(in_flight) > 2 * workers:
            yield collect(in_flight.popleft())
    while in_flight:
        yield collect(in_flight.popleft())


def _span(documents: pd.DataFrame) -> str:
    """``documents 'a' (a.txt) to 'f' (f.txt)``: a chunk's first and last documents and inputs."""
    first, last = (f"{doc_id!r} ({path})" for doc_id, path in documents[["doc_id", "path"]].iloc[[0, -1]].to_numpy())
    return f"documents {first} to {last}"


def _suspects(item: _Chunk, in_flight, workers: int, deaths) -> str:
    """The chunks a dead worker may have been running: ``item``, and, as a local pool fails every
    chunk in flight when one worker dies, the other chunks among the first ``workers`` not done
    that failed so too (workers take chunks in order, so the chunk that killed one is among them)."""
    computed = [other for other in in_flight if not other.cached][:workers - 1]
    others = [other for other in computed if other.value.done() and not other.value.cancelled()
              and isinstance(other.value.exception(), deaths)]
    return " or ".join(chunk.span for chunk in [item, *others])


class _InlineExecutor:
    """``submit``/``shutdown`` running in this process."""

    deaths = ()

    @staticmethod
    def submit(fn, *args) -> Future:
        future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, cancel: bool = False):
        pass


def _finish(merger: Merger, loader: _Loader, *, pair_min_count: int, candidate_min_count: int) -> CorpusResults:
    """The merged tables, with the corpus-wide filters applied."""
    documents = pd.concat(merger.documents, ignore_index=True) if merger.documents else pd.DataFrame(
        columns=["doc_id", "sha256"])
    merger.documents = []
    if len(documents):
        first = documents.groupby("sha256", sort=False)["doc_id"].transform("first")
        documents = documents.assign(is_duplicate=documents["doc_id"] != first,
                                     duplicate_of=first.where(documents["doc_id"] != first))
    frequency, group_frequency = merger.frequency_tables()
    words = frequency.set_index("term")["n"] if len(frequency) else pd.Series(dtype=np.int64)
    collocations = score_pair_counts(merger.pairs.merged(pair_min_count), words, int(words.sum()))
    workers = pd.DataFrame({"pid": list(merger.workers), "peak_rss_mb": list(merger.workers.values())})
    results = CorpusResults(
        report=_report(loader.report, documents), documents=documents, frequency=frequency,
        group_frequency=group_frequency, collocations=collocations,
        candidates=merger.candidate_table(candidate_min_count), timings=pd.DataFrame(columns=["stage", "seconds"]),
        pack=pd.DataFrame(),
        chunks=pd.DataFrame(merger.chunks, columns=["documents", "cached"]).rename_axis("chunk").reset_index(),
        workers=workers.sort_values("pid", ignore_index=True),
        fingerprint=corpus_fingerprint(documents) if len(documents) else "empty",
        lazy={name: parts.frame for name, parts in merger.rows.items()})
    release_memory()
    return results


# --------------------------------------------------------------------------- results on disk

SUMMARY_NAME = "summary.json"
#: The files save_results writes (it replaces them only in a folder the suite marked as its own).
RESULT_FILES = (*(f"{name}.parquet" for name in TABLE_FIELDS), "load_report.csv", SUMMARY_NAME)


def save_results(results: CorpusResults, out_dir, *, extra: dict | None = None, inputs=()) -> Path:
    """Write every table of ``results`` as ``NAME.parquet`` in ``out_dir``, the load report also as
    ``load_report.csv``, and ``summary.json`` (fingerprint, sizes, timings, ``extra``). ``out_dir`` goes through
    ``outputs.claim_output_dir``: nothing of ``inputs`` (the corpus) nor of others is overwritten."""
    out = claim_output_dir(out_dir, writes=RESULT_FILES, inputs=inputs)
    sizes = {}
    for name in TABLE_FIELDS:  # one table in memory at a time: row tables not read are not kept
        table = results._peek(name)
        _write_parquet(table, out / f"{name}.parquet")
        sizes[name] = len(table)
        del table
    write_csv(results.report, out / "load_report.csv", index=False)
    summary = {"fingerprint": results.fingerprint, "tables": sizes,
               "timings": dict(zip(results.timings["stage"], map(float, results.timings["seconds"]))),
               "worker_peak_rss_mb": [float(v) for v in results.workers["peak_rss_mb"]], **(extra or {})}
    (out / SUMMARY_NAME).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return out


def _write_parquet(table: pd.DataFrame, path: Path) -> None:
    """Parquet; object columns mixing types (e.g. metadata read as numbers and text) are written as text."""
    try:
        table.to_parquet(path, index=False)
    except (TypeError, ValueError):  # pyarrow's ArrowTypeError / ArrowInvalid
        mixed = {c: table[c].map(lambda v: v if v is None or pd.isna(v) else str(v))
                 for c in table.columns if table[c].dtype == object}
        table.assign(**mixed).to_parquet(path, index=False)


def load_results(out_dir) -> CorpusResults:
    """Read what ``save_results`` (or ``python -m corpus_tools process``) wrote back as ``CorpusResults``
    (the row tables when first used, as from ``process_corpus``)."""
    folder = Path(out_dir)
    summary = json.loads((folder / SUMMARY_NAME).read_text(encoding="utf-8"))
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLE_FIELDS
              if name not in ROW_TABLES}
    lazy = {name: partial(pd.read_parquet, folder / f"{name}.parquet") for name in ROW_TABLES}
    return CorpusResults(fingerprint=summary["fingerprint"], lazy=lazy, **tables)
