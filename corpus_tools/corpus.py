"""Loading: files, folders and tables -> a documents table and a load report.

Every input is accounted for. ``load_corpus`` returns the documents it could
read and a report with one row per input (a file, or a row of a table file)
saying ``loaded`` or ``skipped`` and why, so nothing is ever dropped silently.

    >>> docs, report = load_corpus("seeds")            # doctest: +SKIP
    >>> report.status.value_counts()                    # doctest: +SKIP
"""
from __future__ import annotations

import codecs
import hashlib
import json
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import config
from .progress import progress

DOCUMENT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".parquet"}
SIDECAR_NAME = "metadata.csv"
DOCUMENT_COLUMNS = ["doc_id", "title", "source", "date", "path", "sha256", "text", "encoding"]
REPORT_COLUMNS = ["input", "status", "reason", "doc_id", "encoding", "n_chars"]
LEGACY_ENCODINGS = ("cp1252", "cp1251", "latin-1")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: Rows of a table file (.csv .tsv .parquet) read at a time, so a one-file corpus streams.
TABLE_BATCH_ROWS = 1000
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf")


class CorpusLoadError(ValueError):
    """Raised when nothing at all can be loaded from what the user named."""


class Corpus(NamedTuple):
    """What ``load_corpus`` returns: unpack it as ``docs, report = load_corpus(...)``."""

    documents: pd.DataFrame
    report: pd.DataFrame


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str = ""


class UnreadableInput(Exception):
    """An input that cannot become a document; its message is the load-report reason."""


# --------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes) -> Decoded:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16/32 with BOM, or a legacy
    single-byte encoding (cp1252, cp1251, latin-1) chosen by charset-normalizer.

    Raises ``UnreadableInput`` for empty, binary or undecodable data.
    """
    if not data.strip():
        raise UnreadableInput("empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _strip_nul(Decoded(data.decode(name), name))
            except UnicodeDecodeError as err:
                raise UnreadableInput(f"undecodable: has a {name} byte-order mark but {err.reason}") from err
    if data.startswith(_BINARY_MAGIC) or _control_share(data) > 0.10:
        raise UnreadableInput("binary file (not text); convert it to .txt or .html first")
    try:
        return _strip_nul(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    return _strip_nul(_decode_legacy(data))


def _control_share(data: bytes) -> float:
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head)


def _decode_legacy(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS[:2])).best()
    encoding = best.encoding if best is not None else "latin_1"
    encoding = {"latin_1": "latin-1", "windows_1252": "cp1252", "cp1252": "cp1252",
                "windows_1251": "cp1251", "cp1251": "cp1251"}.get(encoding, encoding)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "latin-1", data.decode("latin-1")
    return Decoded(text, encoding, f"not UTF-8: assumed {encoding}; check accented letters")


def _strip_nul(decoded: Decoded) -> Decoded:
    n_nul = decoded.text.count("\x00")
    if not n_nul:
        return decoded
    note = "; ".join(filter(None, [decoded.note, f"removed {n_nul} NUL character(s)"]))
    return Decoded(decoded.text.replace("\x00", ""), decoded.encoding, note)


# --------------------------------------------------------------------------- readers


def _read_document_file(path: Path, max_file_mb: float) -> tuple[dict, str]:
    size_mb = path.stat().st_size / 1_048_576
    if size_mb > max_file_mb:
        raise UnreadableInput(
            f"over the size limit: {size_mb:.1f} MB > {max_file_mb:g} MB (raise it with max_file_mb=)"
        )
    decoded = decode_bytes(path.read_bytes())
    record = {"text": decoded.text, "encoding": decoded.encoding}
    if path.suffix.lower() in {".html", ".htm"}:
        record.update(extract_html(decoded.text))
    if not record["text"].strip():
        raise UnreadableInput("no text after extraction")
    return record, decoded.note


def extract_html(html: str) -> dict:
    """Main text and metadata of a web page, via trafilatura (Barbaresi 2021).

    Scripts, styles, navigation and comment sections are dropped; falls back to
    trafilatura's baseline extractor for pages too small for the main one.
    """
    import trafilatura

    result = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True, favor_recall=True
    )
    fields = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    text = fields.get("text") or ""
    if not text.strip():
        _, text, _ = trafilatura.baseline(html)
    record = {"text": (text or "").replace("\n", "\n\n")}  # trafilatura: one line per block
    for key in ("title", "date", "author", "sitename"):
        if fields.get(key):
            record[key if key != "sitename" else "source"] = fields[key]
    return record


def _read_table(path: Path, text_column: str) -> Iterator[tuple[str, dict | None, str]]:
    """Yield ``(input_label, record or None, reason_or_note)`` for each row of a table file,
    reading ``TABLE_BATCH_ROWS`` rows at a time (JSONL line by line)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        rows = _jsonl_rows(path)
    else:
        try:
            columns, batches = _table_batches(path, suffix)
        except Exception as err:  # noqa: BLE001 - any parser failure becomes a report line
            yield str(path), None, f"unreadable table: {type(err).__name__}: {err}"
            return
        if text_column not in columns:
            yield (str(path), None,
                   (f"missing text column {text_column!r} (columns: {', '.join(map(str, columns))}); "
                    "pass text_column="))
            return
        rows = _table_rows(path, batches)
    for label, row, problem in rows:
        if row is None:
            yield label, None, problem
            continue
        if text_column not in row:
            yield label, None, f"missing text column {text_column!r}; pass text_column="
            continue
        text = row.pop(text_column)
        if not isinstance(text, str) or not text.strip():
            yield label, None, "empty text"
            continue
        yield label, {**{k: v for k, v in row.items() if _present(v)}, "text": text, "encoding": "table"}, ""


def _table_rows(path: Path, batches: Iterator[pd.DataFrame]) -> Iterator[tuple[str, dict | None, str]]:
    """Number the rows of a batched table; a parser error part-way ends the file with one report line."""
    number = 0
    try:
        for batch in batches:
            for row in batch.to_dict("records"):
                number += 1
                yield f"{path}#row{number}", row, ""
    except Exception as err:  # noqa: BLE001 - any parser failure becomes a report line
        yield str(path), None, f"unreadable table after row {number}: {type(err).__name__}: {err}"


def _table_batches(path: Path, suffix: str) -> tuple[list[str], Iterator[pd.DataFrame]]:
    """``(column names, DataFrames of at most TABLE_BATCH_ROWS rows)`` of a .parquet/.csv/.tsv file.

    Parquet is read a record batch at a time (pyarrow ``iter_batches``, through a 1 MB buffer:
    unbuffered, a whole row group's column is read first, 370 MB for a 100,000-article export
    written as one row group); CSV/TSV with
    pandas' ``chunksize`` straight from the file when ``streamable_encoding`` finds a codec,
    else (legacy encodings, NUL characters) decoded whole by ``decode_bytes`` as before.
    """
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(path, buffer_size=1 << 20, pre_buffer=False)
        return parquet.schema_arrow.names, (b.to_pandas() for b in parquet.iter_batches(TABLE_BATCH_ROWS))
    from io import StringIO

    encoding = streamable_encoding(path)
    source = path if encoding else StringIO(decode_bytes(path.read_bytes()).text)
    options = {"sep": "\t" if suffix == ".tsv" else ",", "dtype": str, "keep_default_na": False,
               "encoding": encoding}
    columns = pd.read_csv(source, nrows=0, **options).columns.tolist()
    if not encoding:
        source.seek(0)
    return columns, iter(pd.read_csv(source, chunksize=TABLE_BATCH_ROWS, **options))


def streamable_encoding(path: Path, *, block: int = 1 << 20) -> str | None:
    """The codec a text file can be streamed with, or None when it must go through ``decode_bytes``
    whole (empty, binary, not valid UTF-8 or BOM-marked Unicode, or holding NUL characters).

    One pass in ``block``-byte pieces with an incremental decoder: memory stays bounded,
    and every file it accepts decodes to exactly what ``decode_bytes`` gives.
    """
    with path.open("rb") as handle:
        head = handle.read(8192)
        codec = next((name for bom, name in _BOMS if head.startswith(bom)), None)
        if codec is None and (not head or head.startswith(_BINARY_MAGIC) or _control_share(head) > 0.10):
            return None
        codec = codec or "utf-8"
        decoder, blank = codecs.getincrementaldecoder(codec)(), True
        handle.seek(0)
        try:
            for data in iter(lambda: handle.read(block), b""):
                if "\x00" in decoder.decode(data):
                    return None
                blank = blank and not data.strip()
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return None if blank else codec


def _jsonl_rows(path: Path) -> Iterator[tuple[str, dict | None, str]]:
    """One row per line (``str.splitlines`` semantics), streamed when the encoding allows."""
    encoding = streamable_encoding(path)
    if encoding:
        handle = path.open(encoding=encoding, newline="")
        lines = (line for physical in handle for line in physical.splitlines())
    else:
        try:
            lines = iter(decode_bytes(path.read_bytes()).text.splitlines())
        except UnreadableInput as err:
            yield str(path), None, str(err)
            return
        handle = None
    try:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            label = f"{path}#line{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                yield label, None, f"malformed JSON on line {number}: {err.msg} (column {err.colno})"
                continue
            if not isinstance(row, dict):
                yield label, None, f"line {number} is not a JSON object"
                continue
            yield label, row, ""
    finally:
        if handle is not None:
            handle.close()


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


# --------------------------------------------------------------------------- walking inputs


def _expand(source: str | Path | Iterable[str | Path]) -> tuple[list[Path], list[dict]]:
    """Files to read, plus report rows for names that do not exist."""
    sources = [source] if isinstance(source, (str, Path)) else list(source)
    files, missing = [], []
    for item in sources:
        path = Path(item)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(_report_row(str(path), "skipped", "path does not exist"))
    return files, missing


def input_signature(source) -> list[tuple[str, int, int]] | None:
    """``(path, size, modification time in ns)`` of every input file of ``source``, the way build
    tools tell that files are unchanged; None for a DataFrame or when a name does not exist."""
    if isinstance(source, pd.DataFrame):
        return None
    files, missing = _expand(source)
    if missing:
        return None
    try:
        return [(str(path.resolve()), (st := path.stat()).st_size, st.st_mtime_ns) for path in files]
    except OSError:
        return None


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith((".", "_")) for part in path.relative_to(root).parts)


class ReportColumns:
    """The load report built column by column: six lists, not one dict per input, so a
    report of a million inputs stays small. ``add`` returns the row's position."""

    def __init__(self):
        self.columns: dict[str, list] = {column: [] for column in REPORT_COLUMNS}

    def __len__(self) -> int:
        return len(self.columns["input"])

    def add(self, row: dict) -> int:
        for column, values in self.columns.items():
            values.append(row[column])
        return len(self) - 1

    def set(self, position: int, **values) -> None:
        for column, value in values.items():
            self.columns[column][position] = value

    def frame(self) -> pd.DataFrame:
        if not len(self):
            return pd.DataFrame(columns=REPORT_COLUMNS)  # object columns, as a table of no rows
        return pd.DataFrame(self.columns, columns=REPORT_COLUMNS)


def _report_row(label: str, status: str, reason: str, doc_id=None, encoding=None, n_chars=None) -> dict:
    return dict(zip(REPORT_COLUMNS, (label, status, reason, doc_id, encoding, n_chars)))


def iter_corpus(
    source: str | Path | Iterable[str | Path],
    *,
    text_column: str = "text",
    max_file_mb: float = config.MAX_FILE_MB,
    show_progress: bool | None = None,
) -> Iterator[tuple[dict, dict | None]]:
    """Stream ``(report_row, record)`` pairs, one per input; ``record`` is None when skipped.

    The streaming form of ``load_corpus`` for corpora too large to hold at once.
    """
    files, missing = _expand(source)
    for row in missing:
        yield row, None
    for path in progress(files, desc="loading", unit="file", enabled=show_progress):
        suffix = path.suffix.lower()
        if path.name == SIDECAR_NAME:
            yield _report_row(str(path), "sidecar", "metadata sidecar, joined by file name"), None
        elif suffix in DOCUMENT_SUFFIXES:
            try:
                record, note = _read_document_file(path, max_file_mb)
            except UnreadableInput as err:
                yield _report_row(str(path), "skipped", str(err)), None
            except OSError as err:
                yield _report_row(str(path), "skipped", f"cannot read: {err.strerror}"), None
            else:
                record["path"] = str(path)
                yield _report_row(str(path), "loaded", note, encoding=record["encoding"]), record
        elif suffix in TABLE_SUFFIXES:
            for label, record, reason in _read_table(path, text_column):
                if record is None:
                    yield _report_row(label, "skipped", reason), None
                else:
                    record["path"] = label
                    yield _report_row(label, "loaded", reason, encoding="table"), record
        else:
            yield _report_row(str(path), "skipped", f"unsupported file type {suffix or '(none)'!r}"), None


def load_corpus(
    source: str | Path | Iterable[str | Path] | pd.DataFrame,
    *,
    text_column: str = "text",
    metadata: str | Path | pd.DataFrame | None = None,
    max_file_mb: float = config.MAX_FILE_MB,
    show_progress: bool | None = None,
) -> Corpus:
    """Load a folder, a list of paths or a DataFrame into ``Corpus(documents, report)``.

    Formats: .txt .md .html/.htm (main text via trafilatura), .csv .tsv .jsonl
    .parquet (one document per row, ``text_column`` holds the text, other
    columns become metadata). A ``metadata.csv`` in a folder (or ``metadata=``)
    is joined on its ``filename`` column. Exact duplicates are flagged in
    ``is_duplicate`` / ``duplicate_of``, never dropped. Legacy encodings are
    noted in the report's ``reason`` column (with status ``loaded``).
    """
    if isinstance(source, pd.DataFrame):
        pairs = iter_frame(source, text_column)
        sidecars: list[Path] = []
    else:
        pairs = iter_corpus(source, text_column=text_column, max_file_mb=max_file_mb,
                            show_progress=show_progress)
        sidecars = find_sidecars(source)
    rows, records = ReportColumns(), []
    for row, record in pairs:
        rows.add(row)
        if record is not None:
            records.append(record)
    documents = documents_table(records)
    records.clear()  # the table holds the texts now; do not keep them twice
    report = rows.frame()
    if metadata is not None or sidecars:
        documents = join_metadata(documents, metadata if metadata is not None else sidecars)
    documents = flag_duplicates(documents)
    report = _attach_doc_ids(report, documents)
    if report.empty:
        where = "the table has no rows" if isinstance(source, pd.DataFrame) else f"no input files found in {source}"
        warnings.warn(f"empty corpus: {where}", stacklevel=2)
    return Corpus(documents, report)


def iter_frame(frame: pd.DataFrame, text_column: str) -> Iterator[tuple[dict, dict | None]]:
    """``iter_corpus`` for a DataFrame: ``(report_row, record or None)`` per row, labelled ``table#rowN``."""
    if text_column not in frame.columns:
        raise CorpusLoadError(f"the table has no text column {text_column!r}; columns: {list(frame.columns)}")
    for i, row in enumerate(frame.to_dict("records")):
        label = f"table#row{i + 1}"
        text = row.pop(text_column)
        if not isinstance(text, str) or not text.strip():
            yield _report_row(label, "skipped", "empty text"), None
        else:
            record = {**{k: v for k, v in row.items() if _present(v)}, "text": text,
                      "encoding": "table", "path": label}
            yield _report_row(label, "loaded", "", encoding="table"), record


def find_sidecars(source) -> list[Path]:
    """The ``metadata.csv`` sidecar of each folder named in ``source`` (a path or a list of paths)."""
    sources = [source] if isinstance(source, (str, Path)) else list(source)
    return [Path(s) / SIDECAR_NAME for s in sources if (Path(s) / SIDECAR_NAME).is_file()]


def metadata_columns(source, *, text_column: str = "text") -> list[str]:
    """Metadata columns a corpus offers (e.g. ``side``, ``source``) without loading it: the
    headers of its ``metadata.csv`` sidecars and table files, or a DataFrame's columns.
    Lets a caller choose a grouping column before a streamed run."""
    if isinstance(source, pd.DataFrame):
        names = list(source.columns)
    else:
        files, _ = _expand(source)
        names = []
        for path in files:
            suffix = path.suffix.lower()
            if path.name == SIDECAR_NAME:
                names.extend(pd.read_csv(path, nrows=0, dtype=str).columns)
            elif suffix == ".jsonl":
                names.extend(_first_json_keys(path))
            elif suffix in TABLE_SUFFIXES:
                try:
                    names.extend(_table_batches(path, suffix)[0])
                except Exception:  # an unreadable table is reported by the load, not here
                    continue
    internal = {text_column, "filename", "text", "doc_id", "path", "sha256", "encoding"}
    return [name for name in dict.fromkeys(map(str, names)) if name not in internal]


def _first_json_keys(path: Path) -> list[str]:
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = json.loads(line)
                except ValueError:
                    return []
                return list(record) if isinstance(record, dict) else []
    return []


def documents_table(records: list[dict]) -> pd.DataFrame:
    """The documents table (``DOCUMENT_COLUMNS`` first, then any metadata) of loaded records,
    with each text's sha256 and a doc_id unique within ``records`` (``~2``, ``~3`` on collisions)."""
    frame = pd.DataFrame.from_records(records)
    for column in DOCUMENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(dtype=object)
    if frame.empty:
        return frame[DOCUMENT_COLUMNS].astype(object)
    frame["sha256"] = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in frame["text"]]
    frame["doc_id"] = _doc_ids(frame)
    extra = [c for c in frame.columns if c not in DOCUMENT_COLUMNS]
    return frame[DOCUMENT_COLUMNS + extra].reset_index(drop=True)


def _doc_ids(frame: pd.DataFrame) -> list[str]:
    """Use an ``doc_id``/``id`` column when present, else the file stem (+row), made unique."""
    given = frame["doc_id"] if frame["doc_id"].notna().any() else frame.get("id")
    given = [None] * len(frame) if given is None else given.tolist()
    ids = []
    for path, value in zip(frame["path"], given):
        if value is not None and pd.notna(value):
            ids.append(str(value))
            continue
        name, _, row = str(path).partition("#")
        ids.append(Path(name).stem + (f"-{row}" if row else ""))
    seen: dict[str, int] = {}
    unique = []
    for doc_id in ids:
        seen[doc_id] = seen.get(doc_id, 0) + 1
        unique.append(doc_id if seen[doc_id] == 1 else f"{doc_id}~{seen[doc_id]}")
    return unique


def join_metadata(documents: pd.DataFrame, metadata) -> pd.DataFrame:
    """Join sidecar metadata on file name (column ``filename``); sidecar values win over
    values extracted from the files, except where the sidecar cell is blank."""
    tables = metadata if isinstance(metadata, list) else [metadata]
    frames = [m if isinstance(m, pd.DataFrame) else pd.read_csv(m, dtype=str, keep_default_na=False)
              for m in tables]
    sidecar = pd.concat(frames, ignore_index=True)
    if "filename" not in sidecar.columns:
        raise CorpusLoadError(f"metadata sidecar needs a 'filename' column; it has {list(sidecar.columns)}")
    sidecar = sidecar.drop_duplicates("filename", keep="last").set_index("filename")
    out = documents.copy()
    names = out["path"].map(lambda p: Path(str(p).partition("#")[0]).name)
    for column in sidecar.columns:
        values = names.map(sidecar[column]).replace("", pd.NA)
        out[column] = values.combine_first(out[column]) if column in out.columns else values
    return out


def flag_duplicates(documents: pd.DataFrame) -> pd.DataFrame:
    """Add ``is_duplicate`` and ``duplicate_of`` (the first doc_id with the same sha256)."""
    out = documents.copy()
    first = out.groupby("sha256", sort=False)["doc_id"].transform("first")
    out["is_duplicate"] = out["doc_id"] != first
    out["duplicate_of"] = first.where(out["is_duplicate"])
    return out


def _attach_doc_ids(report: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    out = report.copy()
    loaded = out["status"] == "loaded"
    out.loc[loaded, "doc_id"] = documents["doc_id"].to_numpy()
    out.loc[loaded, "n_chars"] = documents["text"].str.len().to_numpy()
    if "is_duplicate" in documents and documents["is_duplicate"].any():
        dup = documents.set_index("doc_id")["duplicate_of"].dropna()
        mask = loaded & out["doc_id"].isin(dup.index)
        out.loc[mask, "reason"] = [
            "; ".join(filter(None, [r, f"exact duplicate of {dup[d]}"]))
            for r, d in zip(out.loc[mask, "reason"], out.loc[mask, "doc_id"])
        ]
    return out


def corpus_fingerprint(documents: pd.DataFrame) -> str:
    """A short hash of the documents' contents (order-independent): names the corpus in manifests."""
    digest = hashlib.sha256("\n".join(sorted(documents["sha256"])).encode()).hexdigest()
    return digest[:12]


def summarise_report(report: pd.DataFrame) -> pd.DataFrame:
    """Counts of inputs by status and reason, for display."""
    reasons = report["reason"].fillna("").str.split(";").str[0].str.split(":").str[0].str.strip()
    return (report.assign(reason=reasons.replace("", "-"))
            .groupby(["status", "reason"]).size().rename("inputs").reset_index())
