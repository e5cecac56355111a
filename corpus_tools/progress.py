"""Progress bars for long runs (tqdm: a text bar in a terminal, a widget in JupyterLab)."""
from __future__ import annotations

from collections.abc import Iterable, Sized

#: Below this many items a bar is more noise than help.
PROGRESS_THRESHOLD = 200


def progress(items: Iterable, *, desc: str, unit: str = "it", enabled: bool | None = None,
             total: int | None = None) -> Iterable:
    """Wrap ``items`` in a tqdm bar; ``enabled=None`` shows it only for long inputs."""
    if total is None and isinstance(items, Sized):
        total = len(items)
    if enabled is None:
        enabled = total is None or total >= PROGRESS_THRESHOLD
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit=unit, total=total)
