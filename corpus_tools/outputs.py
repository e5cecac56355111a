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
