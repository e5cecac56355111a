"""Lexicons are data: CSV/TSV files with a metadata record, validated on load.

Each bundled lexicon ``lexicons/NAME.csv`` (or ``.tsv``) has a sidecar
``lexicons/NAME.meta.json`` with at least ``title``, ``description``,
``source``, ``license`` and ``version`` (after quanteda's dictionary ``meta()``).
Users pass a path of their own wherever a lexicon is used; a user file needs no
metadata record but is validated the same way.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

META_FIELDS = ("title", "description", "source", "license", "version")


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file, row and problem."""


@dataclass(frozen=True)
class Lexicon:
    table: pd.DataFrame
    meta: dict = field(default_factory=dict)
    path: str = ""


def bundled_lexicon_path(name: str) -> Path:
    """Path of a lexicon shipped in ``corpus_tools/lexicons/`` (``name`` without suffix)."""
    folder = resources.files("corpus_tools") / "lexicons"
    for suffix in (".csv", ".tsv", ".txt"):
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return Path(str(candidate))
    raise LexiconError(f"no bundled lexicon named {name!r} in {folder}")


def load_lexicon(
    source: str | Path | pd.DataFrame,
    *,
    required: tuple[str, ...],
    unique: tuple[str, ...] = (),
    lower: tuple[str, ...] = (),
) -> Lexicon:
    """Load and validate a lexicon: a bundled name, a CSV/TSV path or a DataFrame.

    ``required`` columns must exist and be non-blank in every row; ``unique``
    column combinations must not repeat; ``lower`` columns must be lower-case.
    Errors name the file, the (1-based, header = line 1) line and the problem.
    """
    if isinstance(source, pd.DataFrame):
        table = source.copy()
        _validate(table, "<DataFrame>", required, unique, lower)
        return Lexicon(table.reset_index(drop=True), {}, "<DataFrame>")
    path = Path(source) if Path(str(source)).suffix else bundled_lexicon_path(str(source))
    if not path.is_file():
        raise LexiconError(f"{path}: lexicon file not found")
    stat = path.stat()
    loaded = _load_file(str(path), stat.st_mtime_ns, stat.st_size, tuple(required), tuple(unique), tuple(lower))
    return Lexicon(loaded.table.copy(), dict(loaded.meta), loaded.path)


@lru_cache(maxsize=64)
def _load_file(path: str, mtime_ns: int, size: int, required, unique, lower) -> Lexicon:
    """Read and validate a lexicon file once per version of the file (keyed by its mtime and size);
    every stage of every chunk asks for its lexicons, and reading them is not free."""
    sep = "\t" if path.endswith(".tsv") else ","
    try:
        table = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, comment=None)
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise LexiconError(f"{path}: cannot parse as {'TSV' if sep == chr(9) else 'CSV'}: {err}") from err
    meta = read_meta(Path(path))
    _validate(table, path, required, unique, lower)
    return Lexicon(table.reset_index(drop=True), meta, path)


def read_meta(path: Path) -> dict:
    """The ``NAME.meta.json`` record beside a lexicon file, or {} when there is none."""
    meta_path = path.with_suffix(".meta.json")
    if not meta_path.is_file():
        return {}
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    missing = [f for f in META_FIELDS if not str(meta.get(f, "")).strip()]
    if missing:
        raise LexiconError(f"{meta_path}: metadata record lacks {', '.join(missing)}")
    return meta


def _validate(table, path, required, unique, lower) -> None:
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise LexiconError(f"{path}: missing column(s) {', '.join(missing)}; has {', '.join(table.columns)}")
    for column in required:
        blank = table.index[table[column].str.strip() == ""]
        if len(blank):
            raise LexiconError(f"{path}, line {blank[0] + 2}: column {column!r} is blank")
    for column in lower:
        bad = table.index[table[column] != table[column].str.lower()]
        if len(bad):
            raise LexiconError(f"{path}, line {bad[0] + 2}: {column!r} must be lower-case, "
                               f"got {table.at[bad[0], column]!r}")
    if unique:
        dup = table.index[table.duplicated(list(unique), keep="first")]
        if len(dup):
            values = ", ".join(str(table.at[dup[0], c]) for c in unique)
            raise LexiconError(f"{path}, line {dup[0] + 2}: duplicate {'/'.join(unique)} ({values})")
