"""The one check every writer of outputs goes through (``run``, ``process``, ``engine.save_results``).

A folder the suite writes into holds the marker file ``config.OUTPUT_MARKER``. Files are replaced
only in a folder that holds it or that is new or empty; a folder holding anything else is refused,
and so is an output folder that is, or lies inside, an input folder, or one whose files would
replace an input.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import config


class OutputRefused(RuntimeError):
    """The output folder cannot be used; the message names it, the conflict and what to do."""


def claim_output_dir(folder, *, writes=(), inputs=()) -> Path:
    """Create ``folder`` (or accept it when it is empty or holds the marker), mark it as the suite's
    and return it resolved. ``writes`` are the names the caller will replace in it, ``inputs`` the
    files and folders it reads; raise ``OutputRefused`` rather than overwrite an input or a file
    the suite did not write."""
    out = Path(folder).resolve()
    for given in inputs:
        source = Path(given).resolve()
        if source.is_dir() and out.is_relative_to(source):
            raise OutputRefused(f"the output folder {out} is {'' if out == source else 'inside '}the input "
                                f"folder {source}; its outputs would be read back as input. "
                                f"Choose an output folder outside it (--out).")
        for name in writes:
            target = (out / name).resolve()
            if source.is_relative_to(target):
                raise OutputRefused(f"writing {target} would overwrite the input {source}. "
                                    f"Choose another output folder (--out).")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"the output folder {out} is a file. Choose a folder (--out).")
    if out.is_dir() and not (out / config.OUTPUT_MARKER).exists():
        present = sorted(p.name for p in out.iterdir())
        if present:
            written = {Path(os.path.relpath(out / name, out)).parts[0] for name in writes}
            clashing = [name for name in present if name in written] or present
            shown = ", ".join(clashing[:5]) + (f" and {len(clashing) - 5} more" if len(clashing) > 5 else "")
            raise OutputRefused(f"the output folder {out} holds files corpus_tools did not write ({shown}; "
                                f"no {config.OUTPUT_MARKER} marker), and they are not replaced. "
                                f"Choose a new or empty folder (--out), or move those files away.")
    out.mkdir(parents=True, exist_ok=True)
    marker = out / config.OUTPUT_MARKER
    if not marker.exists():
        marker.write_text("Written by corpus_tools: its files may be replaced by the next run.\n",
                          encoding="utf-8")
    return out


def _sidecar(path: Path) -> Path:
    return path.with_suffix(".meta.json")


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def claim_output_file(path, *, inputs=()) -> Path:
    """Accept ``path`` for one output file and return it resolved: it must be new, or a file the suite
    wrote and nobody changed since (its ``.meta.json`` sidecar, from ``write_output_file``, holds its
    sha256). Raise ``OutputRefused`` for an input, a file inside an input folder, a folder, or any
    other existing file (one edited by hand included)."""
    out = Path(path).resolve()
    for given in inputs:
        source = Path(given).resolve()
        if out == source or source.is_dir() and out.is_relative_to(source):
            raise OutputRefused(f"{out} is {'an input' if out == source else f'inside the input folder {source}'}; "
                                f"it would be read back as input. Write it elsewhere (--out).")
    if out.is_dir():
        raise OutputRefused(f"{out} is a folder. Give a file name (--out).")
    if out.exists() or _sidecar(out).exists():
        written = _written_sha(out)
        if written is None or out.exists() and written != _sha256(out):
            why = "was changed since corpus_tools wrote it" if written else "was not written by corpus_tools"
            raise OutputRefused(f"{out if out.exists() else _sidecar(out)} {why}, and it is not replaced. "
                                f"Choose another file (--out), or move it away.")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _written_sha(path: Path) -> str | None:
    import json

    try:
        return json.loads(_sidecar(path).read_text(encoding="utf-8"))["written_by"]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_output_file(path, text: str, meta: dict) -> Path:
    """Write ``text`` to ``path`` (claimed with ``claim_output_file``) and its ``.meta.json`` sidecar:
    ``meta`` plus ``written_by`` (the tool and the file's sha256, so the next run may replace it)."""
    import json

    out = Path(path)
    out.write_text(text, encoding="utf-8")
    record = {**meta, "written_by": {"tool": "corpus_tools", "sha256": _sha256(out)}}
    _sidecar(out).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out
