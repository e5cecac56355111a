"""Loading: files, folders and tables -> a documents table and a load report.

Every input is accounted for. ``load_corpus`` returns the documents it could
read and a report with one row per input (a file, or a row of a table file)
saying ``loaded`` or ``skipped`` and why (``sidecar`` and ``unmatched`` for metadata sidecars and
their rows), so nothing is ever dropped silently.

    >>> docs, report = load_corpus("seeds")            # doctest: +SKIP
    >>> report.status.value_counts()                    # doctest: +SKIP
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import pandas as pd

from . import config
from .progress import progress

DOCUMENT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".parquet"}
SIDECAR_NAME = "metadata.csv"
DOCUMENT_COLUMNS = ["doc_id", "title", "source", "date", "path", "sha256", "text", "encoding"]
REPORT_COLUMNS = ["input", "status", "reason", "doc_id", "encoding", "n_chars"]
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: Rows of a Parquet file read at a time, so a one-file corpus streams (CSV/TSV/JSONL: one row at a time).
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
    """Decode bytes as UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without BOM, or a
    legacy single-byte encoding (cp1252, cp1251, latin-1, see ``_decode_legacy``).

    ``Decoded.encoding`` names the codec the text was decoded with. Raises ``UnreadableInput``
    for empty, binary or undecodable data.
    """
    if not data.strip():
        raise UnreadableInput("empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _strip_nul(Decoded(data.decode(name), name))
            except UnicodeDecodeError as err:
                raise UnreadableInput(f"undecodable: has a {name} byte-order mark but {err.reason}") from err
    if data.startswith(_BINARY_MAGIC):
        raise UnreadableInput(_BINARY)
    if (order := _utf16_without_bom(data)) is not None:
        return _decode_utf16(data, order)
    if _control_share(data) > 0.10:
        raise UnreadableInput(_BINARY)
    try:
        return _strip_nul(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    return _strip_nul(_decode_legacy(data))


_BINARY = "binary file (not text); convert it to .txt or .html first"


def _control_share(data: bytes) -> float:
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head)


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when the bytes are laid out as UTF-16 text without a BOM, else None.

    In UTF-16 the high byte of each character is NUL for ASCII (spaces, digits, punctuation)
    and takes a few values at most (one per script block), while the low byte varies; text in
    a single-byte encoding has no NUL at all.
    """
    head = data[:8192]
    for name, high, low in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if len(high) < 4 or high.count(0) < 0.1 * len(high) or low.count(0) > 0.05 * len(low):
            continue
        common = sorted((high.count(value) for value in set(high)), reverse=True)[:3]
        if sum(common) >= 0.9 * len(high):
            return name
    return None


def _decode_utf16(data: bytes, name: str) -> Decoded:
    """Strict decode of BOM-less UTF-16; raises ``UnreadableInput`` when it fails or gives control codes."""
    try:
        text = data.decode(name)
    except UnicodeDecodeError as err:
        raise UnreadableInput(f"undecodable: looks like UTF-16 without BOM? ({name}: {err.reason})") from err
    if sum(1 for c in text[:4096] if not (c.isprintable() or c in "\t\n\r\f")) > 0.05 * min(len(text), 4096):
        raise UnreadableInput(f"{_BINARY} (or UTF-16 without BOM? decoded as {name} it holds control codes)")
    return Decoded(text, name, f"no byte-order mark: decoded as {name}")


_HIGH_LETTERS_TOGETHER = re.compile(rb"(?=[\xc0-\xff]{2})")
_HIGH_LETTER_BY_ASCII = re.compile(rb"(?=[A-Za-z][\xc0-\xff]|[\xc0-\xff][A-Za-z])")
_C1_BYTES = re.compile(rb"[\x80-\x9f]")


def _decode_legacy(data: bytes) -> Decoded:
    """cp1251, cp1252 or latin-1, named after the codec that decoded ``data``.

    Bytes 0xC0-0xFF are Cyrillic letters in cp1251 and accented Latin letters in cp1252/latin-1:
    in Russian or Azerbaijani Cyrillic they stand next to each other, in French or German next to
    ASCII letters, so cp1251 is tried first only when they touch each other more often. cp1252
    and latin-1 differ only at 0x80-0x9F (punctuation such as ’ “ — € in cp1252,
    control codes in latin-1): cp1252 when such bytes occur, else latin-1, the narrower name.
    """
    cyrillic = len(_HIGH_LETTERS_TOGETHER.findall(data)) > len(_HIGH_LETTER_BY_ASCII.findall(data))
    for encoding in ["cp1251"] * cyrillic + ["cp1252"] * bool(_C1_BYTES.search(data)):
        try:
            return _legacy(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    return _legacy(data.decode("latin-1"), "latin-1")  # decodes any bytes


def _legacy(text: str, encoding: str) -> Decoded:
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
    """Yield ``(input_label, record or None, reason_or_note)`` for each row of a table file, streamed
    (Parquet ``TABLE_BATCH_ROWS`` rows at a time, CSV/TSV and JSONL row by row); a table of no rows
    gets one line."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        rows = _jsonl_rows(path)
    else:
        try:
            columns, rows = _table_source(path, suffix)
        except Exception as err:  # noqa: BLE001 - any parser failure becomes a report line
            yield str(path), None, f"unreadable table: {type(err).__name__}: {err}"
            return
        if text_column not in columns:
            yield (str(path), None,
                   (f"missing text column {text_column!r} (columns: {', '.join(map(str, columns))}); "
                    "pass text_column="))
            return
    empty = True
    for label, row, problem in rows:
        empty = False
        if row is None:
            yield label, None, problem
            continue
        if text_column not in row:
            yield label, None, f"missing text column {text_column!r}; pass text_column="
            continue
        text = row.pop(text_column)
        if (problem := text_problem(text)) is not None:
            yield label, None, problem
            continue
        yield label, {**{k: v for k, v in row.items() if _present(v)}, "text": text, "encoding": "table"}, ""
    if empty:
        yield str(path), None, "no rows: the table holds only a header"


_JSON_KINDS = {bool: "true/false (bool)", int: "a number (int)", float: "a number (float)", list: "a list",
               dict: "an object (dict)"}


def text_problem(value) -> str | None:
    """Why ``value`` (a table cell or JSON value) cannot be a document's text, or None when it can."""
    if isinstance(value, str):
        return None if value.strip() else "empty text"
    kind = _JSON_KINDS.get(type(value))
    if kind is None and pd.api.types.is_scalar(value) and pd.isna(value):
        return "empty text (missing value)"
    return f"text is {kind or 'a ' + type(value).__name__}, not a string"


def _table_source(path: Path, suffix: str) -> tuple[list[str], Iterator[tuple[str, dict | None, str]]]:
    """``(column names, (label, row or None, problem) per row)`` of a .parquet/.csv/.tsv file, streamed.

    Parquet is read a record batch at a time (pyarrow ``iter_batches``, through a 1 MB buffer:
    unbuffered, a whole row group's column is read first, 370 MB for a 100,000-article export
    written as one row group). CSV/TSV go through ``_csv_rows``.
    """
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(path, buffer_size=1 << 20, pre_buffer=False)
        batches = (b.to_pandas() for b in parquet.iter_batches(TABLE_BATCH_ROWS))
        return parquet.schema_arrow.names, _parquet_rows(path, batches)
    rows = _csv_rows(path, "\t" if suffix == ".tsv" else ",")
    columns = next(rows)
    return columns, ((f"{path}#row{n}", row, problem) for n, (_, row, problem) in enumerate(rows, start=1))


def _parquet_rows(path: Path, batches: Iterator[pd.DataFrame]) -> Iterator[tuple[str, dict | None, str]]:
    """Number the rows of a batched table; a parser error part-way ends the file with one report line."""
    number = 0
    try:
        for batch in batches:
            for row in batch.to_dict("records"):
                number += 1
                yield f"{path}#row{number}", row, ""
    except Exception as err:  # noqa: BLE001 - any parser failure becomes a report line
        yield str(path), None, f"unreadable table after row {number}: {type(err).__name__}: {err}"


def _csv_rows(path: Path, sep: str) -> Iterator:
    """The header (first item), then ``(line, row dict or None, problem)`` per row of a CSV/TSV file.

    Read with the ``csv`` module, streamed straight from the file when ``streamable_encoding``
    finds a codec, else (legacy encodings, NUL characters) decoded whole by ``decode_bytes``.
    Blank lines are skipped; a row with more fields than the header (an unquoted separator
    shifts every column after it) is ``None`` with the problem and its line; missing trailing
    fields are blank. Duplicate column names get ``.1``, ``.2`` as in pandas.
    """
    encoding = streamable_encoding(path)
    handle = path.open(encoding=encoding, newline="") if encoding else StringIO(
        decode_bytes(path.read_bytes()).text, newline="")
    with handle:
        csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))  # an article is one field
        reader = csv.reader(handle, delimiter=sep)
        header = _unique_names(next((fields for fields in reader if fields), []))
        yield header
        line = reader.line_num
        try:
            for fields in reader:
                first, line = line + 1, reader.line_num
                if not fields:
                    continue
                if len(fields) > len(header):
                    yield first, None, (f"ragged row on line {first}: {len(fields)} fields, the header has "
                                        f"{len(header)} (a separator outside quotes?); skipped")
                    continue
                yield first, dict(zip(header, fields + [""] * (len(header) - len(fields)))), ""
        except csv.Error as err:
            yield line + 1, None, f"unreadable table from line {line + 1}: {err}"


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        unique.append(f"{name}.{seen[name]}" if name in seen else name)
        seen[name] = seen.get(name, 0) + 1
    return unique


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


def _sources(source: str | Path | Iterable[str | Path]) -> list[Path]:
    return [Path(source)] if isinstance(source, (str, Path)) else [Path(item) for item in source]


def _inputs(source, *, follow_links: bool = False, include_hidden: bool = False) -> list[Path | dict]:
    """What the walk finds, in order: each file to read, or the report row of a name not read
    (missing, hidden, a link not followed, an output folder of the suite, not a regular file).

    A folder is walked in name order. Names starting with ``.`` or ``_`` are skipped unless
    ``include_hidden``; links are followed when they lead to a file inside the named folder,
    to anything with ``follow_links``; a folder holding ``config.OUTPUT_MARKER`` (or laid out
    as an unmarked output of an earlier version) is not read. Names given explicitly are read.
    """
    entries: list[Path | dict] = []
    for path in _sources(source):
        if path.is_dir():
            _walk(path, entries, follow_links=follow_links, include_hidden=include_hidden)
        elif path.is_file():
            entries.append(path)
        else:
            entries.append(_skipped(path, _NOT_REGULAR if path.exists() else "path does not exist"))
    return entries


_NOT_REGULAR = "not a regular file (a pipe, socket or device)"
#: Files that together mark a folder as an unmarked output of an earlier version (before OUTPUT_MARKER).
LEGACY_OUTPUTS = (("report/report.html", "figures/manifest.json"),  # run --out
                  ("load_report.csv", "summary.json"),  # process --out
                  ("_complete",))  # an entry of the chunk cache


def _walk(top: Path, entries: list, *, follow_links: bool, include_hidden: bool) -> None:
    """Depth first, each folder in name order; a stack, not recursion, so no tree is too deep."""
    root = top.resolve()
    pending: list = [(top, frozenset())]  # a folder to list: (path, real paths above it); else an entry
    while pending:
        item = pending.pop()
        if not isinstance(item, tuple):
            entries.append(item)
            continue
        folder, ancestors = item
        real = folder.resolve()
        if real in ancestors:
            entries.append(_skipped(folder, "link loop: this folder is already being read"))
            continue
        if (reason := output_folder(folder)) is not None:
            entries.append(_skipped(folder, reason))
            continue
        try:
            with os.scandir(folder) as listing:
                children = sorted(listing, key=lambda child: child.name)
        except OSError as err:
            entries.append(_skipped(folder, f"cannot list folder: {err.strerror}"))
            continue
        found = []
        for child in children:
            path = Path(child.path)
            if (reason := _not_read(child, path, root, follow_links=follow_links,
                                    include_hidden=include_hidden)) is not None:
                found.append(_skipped(path, reason))
            else:
                found.append((path, ancestors | {real}) if child.is_dir() else path)
        pending.extend(reversed(found))


def output_folder(folder: Path) -> str | None:
    """The reason ``folder`` is one of the suite's output folders (never read as input), or None."""
    if (folder / config.OUTPUT_MARKER).exists():
        return f"output folder of corpus_tools (holds {config.OUTPUT_MARKER})"
    for names in LEGACY_OUTPUTS:
        if all((folder / name).is_file() for name in names):
            return ("output folder of corpus_tools (unmarked, from an earlier version: holds "
                    f"{' and '.join(names)})")
    return None


def _not_read(child: os.DirEntry, path: Path, root: Path, *, follow_links: bool,
              include_hidden: bool) -> str | None:
    """Why the walk does not read ``child`` of a folder under ``root``, or None."""
    if not include_hidden and child.name.startswith((".", "_")):
        return f"hidden name (starts with {child.name[0]!r}); pass include_hidden=True to read it"
    if child.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
            return f"broken link (to {os.readlink(path)})"
        if not follow_links and not target.is_relative_to(root):
            return (f"link to {target}, outside the corpus folder: not followed "
                    "(pass follow_links=True to read it)")
        if not follow_links and target.is_dir():
            return (f"link to the folder {target.relative_to(root)} inside the corpus: not followed, so its "
                    "files are not read twice (pass follow_links=True to read it)")
    if not (child.is_dir() or child.is_file()):
        return _NOT_REGULAR
    return None


def _skipped(path: Path, reason: str) -> dict:
    return _report_row(str(path), "skipped", reason)


def input_signature(source, *, follow_links: bool = False,
                    include_hidden: bool = False) -> list[tuple] | None:
    """What the walk finds in ``source``, the way build tools tell that inputs are unchanged: ``(path,
    size, modification time in ns)`` of every file read and ``(name, reason)`` of every name not read;
    None for a DataFrame or when a name given does not exist."""
    if isinstance(source, pd.DataFrame) or not all(path.exists() for path in _sources(source)):
        return None
    signature = []
    try:
        for entry in _inputs(source, follow_links=follow_links, include_hidden=include_hidden):
            if isinstance(entry, dict):
                signature.append((entry["input"], entry["reason"]))
            else:
                signature.append((str(entry.resolve()), (st := entry.stat()).st_size, st.st_mtime_ns))
    except OSError:
        return None
    return signature


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
    metadata: str | Path | pd.DataFrame | None = None,
    follow_links: bool = False,
    include_hidden: bool = False,
) -> Iterator[tuple[dict, dict | None]]:
    """Stream ``(report_row, record)`` pairs, one per input; ``record`` is None when skipped.

    The streaming form of ``load_corpus`` for corpora too large to hold at once. Records carry
    their sidecar metadata (``Sidecars``); ``metadata=`` is joined as the sidecar of the named
    folder (of the folder the named files share). See ``_inputs`` for ``follow_links`` and
    ``include_hidden``.
    """
    entries = _inputs(source, follow_links=follow_links, include_hidden=include_hidden)
    files = [entry for entry in entries if isinstance(entry, Path)]
    sidecars = Sidecars(files, None if metadata is None else (_metadata_folder(source, files), metadata))
    for row in sidecars.rows.get(None, ()):
        yield row, None
    for entry in progress(entries, desc="loading", unit="file", enabled=show_progress):
        if isinstance(entry, dict):
            yield entry, None
        elif entry.name == SIDECAR_NAME:
            for row in sidecars.rows[entry]:
                yield row, None
        else:
            for row, record in _read_file(entry, text_column, max_file_mb):
                if record is not None:
                    record.update(sidecars.values.get(entry, {}))
                yield row, record


def _read_file(path: Path, text_column: str, max_file_mb: float) -> Iterator[tuple[dict, dict | None]]:
    """``(report_row, record or None)`` for a document file, or for each row of a table file."""
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
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


#: Sidecar columns never copied onto documents: the join key, and what the loader itself sets.
_NOT_METADATA = {"filename", "text", "path", "encoding", "sha256"}


class Sidecars:
    """The ``metadata.csv`` sidecars among the input files (and ``metadata=``), each joined on its
    ``filename`` column to the files under its folder: on the path relative to that folder, or on
    a bare file name when exactly one file there has it.

    ``values[file]`` is the metadata a file's records get (a deeper sidecar wins over one above
    it, ``metadata=`` over both; a blank cell never overrides); ``rows[sidecar]`` (``rows[None]``
    for ``metadata=``) its report rows: the sidecar, then every row of it that was not joined.
    """

    def __init__(self, files: list[Path], extra: tuple[Path, str | Path | pd.DataFrame] | None = None):
        found = sorted((path for path in files if path.name == SIDECAR_NAME), key=lambda p: len(p.parts))
        tables = [(path, path.parent, path) for path in found]  # (report key, folder, sidecar)
        if extra is not None:
            tables.append((None, *extra))
        under: dict[Path, list[Path]] = {folder: [] for _, folder, _ in tables}
        for path in files:
            for parent in path.parents if path.name != SIDECAR_NAME else ():
                if parent in under:
                    under[parent].append(path)
        self.values: dict[Path, dict] = {}
        self.rows: dict[Path | None, list[dict]] = {}
        for key, folder, table in tables:
            self.rows[key] = self._join(folder, table, under[folder], "metadata" if key is None else str(key))

    def _join(self, folder: Path, table, files: list[Path], label: str) -> list[dict]:
        try:
            columns, rows = _metadata_rows(table)
        except Exception as err:  # noqa: BLE001 - any parser failure becomes a report line
            reason = f"unreadable metadata sidecar: {type(err).__name__}: {err}"
            return [_report_row(label, "skipped", reason)]
        if "filename" not in columns:
            return [_report_row(label, "skipped", f"metadata sidecar without a 'filename' column "
                                                  f"(columns: {', '.join(columns)}); not joined")]
        by_path = {path.relative_to(folder).as_posix(): path for path in files}
        by_name: dict[str, list[Path]] = {}
        for path in files:
            by_name.setdefault(path.name, []).append(path)
        joined: dict[Path, tuple[str, dict]] = {}
        problems, n_rows = [], 0
        for (unit, number), row, problem in rows:
            n_rows += 1
            where = f"{label}#{unit}{number}"
            if row is None:
                problems.append(_report_row(where, "skipped", problem))
                continue
            name = _relative_name(row["filename"])
            named = by_name.get(name, []) if "/" not in name else []
            path = by_path.get(name) or (named[0] if len(named) == 1 else None)
            if path is None:
                problems.append(_report_row(where, "unmatched", _unmatched(name, named, folder)))
                continue
            if path in joined:
                problems.append(_report_row(joined[path][0], "unmatched",
                                            f"names the same file as {unit} {number}, whose values are used"))
            joined[path] = (where, {k: v for k, v in row.items() if k not in _NOT_METADATA and _present(v)})
        for path, (_, values) in joined.items():
            self.values.setdefault(path, {}).update(values)
        summary = (f"metadata sidecar: {len(joined)} of {n_rows} rows joined to files under {folder} "
                   "(filename: the path relative to that folder)")
        return [_report_row(label, "sidecar", summary), *problems]


def _metadata_rows(table) -> tuple[list[str], Iterator[tuple[tuple[str, int], dict | None, str]]]:
    """``(columns, (where, row or None, problem) per row)`` of a sidecar file (where: ``("line", N)``)
    or DataFrame (``("row", N)``)."""
    if isinstance(table, pd.DataFrame):
        rows = enumerate(table.to_dict("records"), start=1)
        return list(map(str, table.columns)), ((("row", n), row, "") for n, row in rows)
    rows = _csv_rows(Path(table), ",")
    return next(rows), ((("line", line), row, problem) for line, row, problem in rows)


def _relative_name(value) -> str:
    """A sidecar's ``filename`` as a POSIX path (``./`` dropped, ``\\`` read as ``/``); "" when blank."""
    return PurePosixPath(str(value).strip().replace("\\", "/")).as_posix() if _present(value) else ""


def _unmatched(name: str, named: list[Path], folder: Path) -> str:
    if not name:
        return "sidecar row without a filename"
    if len(named) > 1:
        fits = ", ".join(path.relative_to(folder).as_posix() for path in named[:3])
        more = ", ..." if len(named) > 3 else ""
        return (f"the bare name {name!r} fits {len(named)} files under {folder} ({fits}{more}): "
                "give the path relative to the sidecar's folder")
    return f"no input file {name!r} under {folder}"


def _metadata_folder(source, files: list[Path]) -> Path:
    """The folder ``metadata=`` is the sidecar of: the one folder named, else the folder the files share."""
    sources = _sources(source)
    if len(sources) == 1 and sources[0].is_dir():
        return sources[0]
    try:
        return Path(os.path.commonpath([path.parent for path in files])) if files else Path()
    except ValueError as err:  # absolute and relative paths mixed
        raise CorpusLoadError(f"metadata= needs inputs in one folder tree: {err}") from err


def load_corpus(
    source: str | Path | Iterable[str | Path] | pd.DataFrame,
    *,
    text_column: str = "text",
    metadata: str | Path | pd.DataFrame | None = None,
    max_file_mb: float = config.MAX_FILE_MB,
    show_progress: bool | None = None,
    follow_links: bool = False,
    include_hidden: bool = False,
) -> Corpus:
    """Load a folder, a list of paths or a DataFrame into ``Corpus(documents, report)``.

    Formats: .txt .md .html/.htm (main text via trafilatura), .csv .tsv .jsonl
    .parquet (one document per row, ``text_column`` holds the text, other
    columns become metadata). A ``metadata.csv`` in a folder (or ``metadata=``)
    is joined to the files under it on its ``filename`` column (``Sidecars``).
    Exact duplicates are flagged in ``is_duplicate`` / ``duplicate_of``, never
    dropped. Legacy encodings are named in the report (status ``loaded``).
    Hidden names, links out of the folder and the suite's own output folders
    are listed as skipped (``_inputs``).
    """
    if isinstance(source, pd.DataFrame):
        if metadata is not None:
            raise CorpusLoadError("metadata= is joined on file paths, which a DataFrame has not: "
                                  "merge its columns into the DataFrame")
        pairs = iter_frame(source, text_column)
    else:
        pairs = iter_corpus(source, text_column=text_column, max_file_mb=max_file_mb,
                            show_progress=show_progress, metadata=metadata, follow_links=follow_links,
                            include_hidden=include_hidden)
    rows, records = ReportColumns(), []
    for row, record in pairs:
        rows.add(row)
        if record is not None:
            records.append(record)
    documents = documents_table(records)
    records.clear()  # the table holds the texts now; do not keep them twice
    documents = flag_duplicates(documents)
    report = _attach_doc_ids(rows.frame(), documents)
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
        if (problem := text_problem(text)) is not None:
            yield _report_row(label, "skipped", problem), None
        else:
            record = {**{k: v for k, v in row.items() if _present(v)}, "text": text,
                      "encoding": "table", "path": label}
            yield _report_row(label, "loaded", "", encoding="table"), record


def metadata_columns(source, *, text_column: str = "text") -> list[str]:
    """Metadata columns a corpus offers (e.g. ``side``, ``source``) without loading it: the
    headers of its ``metadata.csv`` sidecars and table files, or a DataFrame's columns.
    Lets a caller choose a grouping column before a streamed run."""
    if isinstance(source, pd.DataFrame):
        names = list(source.columns)
    else:
        names = []
        for path in (entry for entry in _inputs(source) if isinstance(entry, Path)):
            suffix = path.suffix.lower()
            if suffix == ".jsonl":
                names.extend(_first_json_keys(path))
            elif suffix in TABLE_SUFFIXES:  # metadata.csv sidecars too
                try:
                    names.extend(_table_source(path, suffix)[0])
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
