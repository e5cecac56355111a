"""Per-chunk result cache: each chunk's small tables stored as Parquet under ``cache_dir``.

A chunk's key is the sha256 of its documents' sha256s and identities (doc_id and
metadata, since renaming a file or regrouping it changes the results), the
corpus_tools version and the settings as canonical JSON. A rerun loads the stored
tables; a changed document or setting changes only the keys of the chunks it
touches, so only those are recomputed. A pass over the whole corpus (site boilerplate)
and a whole run's merged tables are stored under the input files' paths, sizes and
modification times.

Nothing is trusted as it is on disk. An entry (a folder of ``NAME.parquet`` files) is complete
when its ``manifest.json`` is written, last; the manifest lists each file's size and sha256 and
is sealed with the sha256 of its own content, as is a pass file. A read checks the seal, refuses
a name or file that resolves outside the cache folder (``..``, absolute paths, symlinks) and
checks every file's size and hash before it is read or handed out; an entry that fails is
reported with a ``CacheWarning`` and treated as absent, so it is computed again.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import warnings
from pathlib import Path

import pandas as pd

from . import __version__, config

#: Layout of the entries, part of every key: entries of another layout are never read.
FORMAT = 2
MANIFEST = "manifest.json"
_NAME = re.compile(r"[A-Za-z0-9_]+")


class CacheWarning(UserWarning):
    """A cache entry or pass file was corrupt, incomplete or pointed outside the cache: it is computed again."""


class _Unusable(Exception):
    """Why a stored entry cannot be used."""


def cache_folder(cache_dir) -> Path:
    """``cache_dir``, created when missing; a new or empty one gets ``config.OUTPUT_MARKER``, so that
    the corpus walk never reads the cache as documents."""
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.iterdir()):
        (folder / config.OUTPUT_MARKER).write_text("Written by corpus_tools: a result cache.\n", encoding="utf-8")
    return folder


@contextlib.contextmanager
def computed_once(cache_dir, entry: str):
    """Hold the lock of ``entry`` (an exclusive ``flock`` on its file in ``cache_dir/locks``) while the
    block looks the entry up and, when it is missing, computes and stores it: the processes of a run that
    need the same entry at the same time compute it once, the others wait and read it. Where ``fcntl`` is
    missing (Windows) the block runs unlocked, so each process may compute the entry itself."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    lock = cache_folder(cache_dir) / "locks" / f"{entry.replace('/', '-')}.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def chunk_key(documents: pd.DataFrame, settings: dict) -> str:
    """sha256 of (documents minus their text, corpus_tools version, cache format, settings JSON)."""
    identity = documents.drop(columns=["text"], errors="ignore")
    payload = json.dumps({
        "documents": identity.astype(str).to_dict("split"),
        "version": __version__,
        "format": FORMAT,
        "settings": settings,
    }, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def load_chunk(cache_dir, key: str, *, as_files=(), names=None) -> dict[str, pd.DataFrame | Path] | None:
    """The stored tables of ``key`` (only ``names`` when given; the verified Parquet file's path for
    names in ``as_files``, to be read later), or None when the chunk is not cached or its entry is
    unusable (with a ``CacheWarning``)."""
    entry = load_entry(Path(cache_dir), key, as_files=as_files, names=names)
    return None if entry is None else entry[0]


def store_chunk(cache_dir, key: str, tables: dict[str, pd.DataFrame]) -> dict[str, Path]:
    """Store a chunk's tables (``store_entry``); returns each table's file."""
    return store_entry(cache_folder(cache_dir) / key, tables)


def store_entry(folder: Path, tables: dict[str, pd.DataFrame], value=None, *, write=None) -> dict[str, Path]:
    """Write every table as ``NAME.parquet`` (with ``write(table, path)``, default ``to_parquet``), then
    the sealed manifest (sizes, sha256s, ``value``), so a crash leaves no entry; returns each table's file."""
    (folder / MANIFEST).unlink(missing_ok=True)  # an entry being rewritten is absent until it is whole
    folder.mkdir(parents=True, exist_ok=True)
    files, listed = {}, {}
    for name, table in tables.items():
        tmp = folder / f".{name}.{os.getpid()}.parquet"
        (write or _to_parquet)(table, tmp)
        listed[name] = {"bytes": tmp.stat().st_size, "sha256": _file_sha256(tmp)}
        files[name] = tmp.replace(folder / f"{name}.parquet")
    _write_sealed(folder / MANIFEST, {"tables": listed, "value": value})
    return files


def load_entry(cache_dir: Path, entry: str, *, as_files=(), names=None) -> tuple[dict, object] | None:
    """``(tables, value)`` of the entry ``cache_dir/entry`` (see ``load_chunk``), or None."""
    folder = cache_dir / entry
    if not (folder / MANIFEST).is_file():
        return None
    try:
        manifest = _read_sealed(cache_dir, folder / MANIFEST)
        listed = manifest["tables"]
        tables = {name: _verified(cache_dir, folder, name, listed[name], lazy=name in as_files)
                  for name in (listed if names is None else names)}
    except (_Unusable, OSError, ValueError, KeyError, TypeError) as err:  # pyarrow's errors are ValueErrors
        warnings.warn(f"cache entry {folder} is not used ({err}); it is computed again", CacheWarning, stacklevel=3)
        return None
    return tables, manifest["value"]


def load_pass(cache_dir, signature, settings: dict):
    """The stored result of a pass over the whole corpus (JSON) for these input files
    (``corpus.input_signature``), this version and ``settings``, or None (also, with a
    ``CacheWarning``, when the file is corrupt)."""
    path = _pass_path(cache_dir, signature, settings)
    if path is None or not path.is_file():
        return None
    try:
        return _read_sealed(Path(cache_dir), path)
    except (_Unusable, OSError, ValueError) as err:
        warnings.warn(f"cache file {path} is not used ({err}); it is computed again", CacheWarning, stacklevel=2)
        return None


def store_pass(cache_dir, signature, settings: dict, value) -> None:
    path = _pass_path(cache_dir, signature, settings)
    if path is not None:
        cache_folder(cache_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_sealed(path, value)


def store_run(cache_dir, signature, settings: dict, tables: dict[str, pd.DataFrame], value, *, write=None) -> None:
    """Store a whole run's merged tables and ``value`` as an entry beside the pass files."""
    store_entry(cache_folder(cache_dir) / _run_entry(signature, settings), tables, value, write=write)


def load_run(cache_dir, signature, settings: dict) -> tuple[dict[str, pd.DataFrame], object] | None:
    """``(tables, value)`` of the run stored by ``store_run``, or None."""
    return load_entry(Path(cache_dir), _run_entry(signature, settings))


def _run_entry(signature, settings: dict) -> str:
    return f"passes/{entry_name(signature, settings)}"


def _pass_path(cache_dir, signature, settings: dict) -> Path | None:
    return None if signature is None else Path(cache_dir) / "passes" / f"{entry_name(signature, settings)}.json"


def entry_name(signature, settings: dict) -> str:
    """sha256 of the input files' signature (``corpus.input_signature``), version, format and ``settings``."""
    payload = json.dumps({"inputs": signature, "version": __version__, "format": FORMAT, "settings": settings},
                         sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- checks


def _verified(cache_dir: Path, folder: Path, name: str, listed: dict, *, lazy: bool):
    """The table ``name`` of an entry (its path when ``lazy``) once its size and sha256 match ``listed``."""
    if not _NAME.fullmatch(name):
        raise _Unusable(f"table name {name!r} is not a plain name")
    path = _inside(cache_dir, folder / f"{name}.parquet")
    data = None if lazy else path.read_bytes()  # read once: hashed, then parsed
    size = path.stat().st_size if lazy else len(data)
    if size != listed["bytes"]:
        raise _Unusable(f"{path.name} has {size:,} bytes, {listed['bytes']:,} were stored")
    if (_file_sha256(path) if lazy else hashlib.sha256(data).hexdigest()) != listed["sha256"]:
        raise _Unusable(f"{path.name} does not hold what was stored (sha256 differs)")
    return path if lazy else pd.read_parquet(io.BytesIO(data))


def _inside(cache_dir: Path, path: Path) -> Path:
    """``path`` resolved (symlinks followed), refused unless it lies inside ``cache_dir``."""
    resolved = path.resolve()
    if not resolved.is_relative_to(cache_dir.resolve()):
        raise _Unusable(f"{path} resolves to {resolved}, outside the cache folder")
    return resolved


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _seal(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def _write_sealed(path: Path, payload) -> None:
    """``payload`` as JSON with the sha256 of its canonical form, written atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"sha256": _seal(payload), "payload": payload}), encoding="utf-8")
    tmp.replace(path)


def _read_sealed(cache_dir: Path, path: Path):
    """The payload of a sealed file inside ``cache_dir``; ``_Unusable`` when it was changed or cut."""
    try:
        stored = json.loads(_inside(cache_dir, path).read_text(encoding="utf-8"))
        payload, seal = stored["payload"], stored["sha256"]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as err:
        raise _Unusable(f"{path.name} is not a complete cache file: {err}") from None
    if _seal(payload) != seal:
        raise _Unusable(f"{path.name} was changed after it was written (sha256 differs)")
    return payload


def _to_parquet(table: pd.DataFrame, path: Path) -> None:
    table.to_parquet(path, index=False)
