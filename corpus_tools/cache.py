"""Per-chunk result cache: each chunk's small tables stored as Parquet under ``cache_dir``.

A chunk's key is the sha256 of its documents' sha256s and identities (doc_id and
metadata, since renaming a file or regrouping it changes the results), the
corpus_tools version and the settings as canonical JSON. A rerun loads the stored
tables; a changed document or setting changes only the keys of the chunks it
touches, so only those are recomputed. A pass over the whole corpus (site boilerplate)
and a whole run's merged tables are stored under the input files' paths, sizes and
modification times.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from . import __version__


def chunk_key(documents: pd.DataFrame, settings: dict) -> str:
    """sha256 of (documents minus their text, corpus_tools version, settings JSON)."""
    identity = documents.drop(columns=["text"], errors="ignore")
    payload = json.dumps({
        "documents": identity.astype(str).to_dict("split"),
        "version": __version__,
        "settings": settings,
    }, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def load_chunk(cache_dir, key: str, *, as_files=()) -> dict[str, pd.DataFrame | Path] | None:
    """The stored tables of ``key`` (the Parquet file's path for names in ``as_files``, to be read
    later), or None when the chunk is not (completely) cached."""
    folder = Path(cache_dir) / key
    if not (folder / "_complete").is_file():
        return None
    names = (folder / "_complete").read_text(encoding="utf-8").split()
    return {name: folder / f"{name}.parquet" if name in as_files else pd.read_parquet(folder / f"{name}.parquet")
            for name in names}


def store_chunk(cache_dir, key: str, tables: dict[str, pd.DataFrame]) -> dict[str, Path]:
    """Write every table as Parquet, then a ``_complete`` marker (so a crash leaves no half entry);
    returns each table's file."""
    folder = Path(cache_dir) / key
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, table in tables.items():
        tmp = folder / f".{name}.{os.getpid()}.parquet"
        table.to_parquet(tmp, index=False)
        files[name] = tmp.replace(folder / f"{name}.parquet")
    (folder / "_complete").write_text("\n".join(tables), encoding="utf-8")
    return files


def load_pass(cache_dir, signature, settings: dict):
    """The stored result of a pass over the whole corpus (JSON) for these input files
    (``corpus.input_signature``), this version and ``settings``, or None."""
    path = _pass_path(cache_dir, signature, settings)
    return None if path is None or not path.is_file() else json.loads(path.read_text(encoding="utf-8"))


def store_pass(cache_dir, signature, settings: dict, value) -> None:
    path = _pass_path(cache_dir, signature, settings)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value), encoding="utf-8")
        tmp.replace(path)


def run_folder(cache_dir, signature, settings: dict) -> Path | None:
    """Where a whole run's tables are kept for these input files and ``settings`` (None without a signature)."""
    path = _pass_path(cache_dir, signature, settings)
    return None if path is None else path.with_suffix("")


def _pass_path(cache_dir, signature, settings: dict) -> Path | None:
    if signature is None:
        return None
    payload = json.dumps({"inputs": signature, "version": __version__, "settings": settings}, sort_keys=True)
    return Path(cache_dir) / "passes" / f"{hashlib.sha256(payload.encode('utf-8')).hexdigest()}.json"
