"""Per-chunk result cache: each chunk's small tables stored as Parquet under ``cache_dir``.

A chunk's key is the sha256 of its documents' sha256s and identities (doc_id and
metadata, since renaming a file or regrouping it changes the results), the
corpus_tools version and the settings as canonical JSON. A rerun loads the stored
tables; a changed document or setting changes only the keys of the chunks it
touches, so only those are recomputed.
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
