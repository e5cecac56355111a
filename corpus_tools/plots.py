"""House style and the one figure writer, ``save_figure``.

Every notebook saves figures through ``save_figure`` so that ``figures/`` (or
a run's output folder) holds, for each figure: a 300-dpi PNG, an SVG (PDF on
request), the plotted data as CSV, and an entry in ``manifest.json`` with the
caption, alt text, source notebook and corpus fingerprint. A report can be
assembled from that folder alone.
"""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from . import config

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
MANIFEST_NAME = "manifest.json"

HOUSE_STYLE = {
    "figure.figsize": config.FIGURE_SIZES[config.DEFAULT_FIGURE_SIZE],
    "figure.dpi": 110,
    "savefig.dpi": config.FIGURE_DPI,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
}


def use_house_style() -> None:
    """Apply the house style to every later matplotlib figure."""
    plt.rcParams.update(HOUSE_STYLE)


def new_figure(size: str | tuple[float, float] | None = None, **kwargs):
    """``fig, ax`` in the house style at a named size ('column', 'wide', 'slide') or inches."""
    use_house_style()
    size = size or config.DEFAULT_FIGURE_SIZE
    figsize = config.FIGURE_SIZES[size] if isinstance(size, str) else size
    return plt.subplots(figsize=figsize, **kwargs)


def save_figure(
    fig,
    slug: str,
    *,
    caption: str,
    alt: str,
    data: pd.DataFrame | None = None,
    out_dir: str | Path | None = None,
    notebook: str = "",
    corpus: str = "",
    pdf: bool = False,
) -> dict:
    """Write ``fig`` as PNG (300 dpi) + SVG (+ PDF), ``data`` as CSV, and a manifest entry.

    Returns the manifest entry. ``slug`` names the files (``slug.png`` ...);
    saving the same slug again replaces its files and entry.
    """
    if not caption.strip() or not alt.strip():
        raise ValueError(f"figure {slug!r}: caption and alt text are required (they go into the report)")
    folder = Path(out_dir) if out_dir is not None else config.FIGURES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for fmt in ("png", "svg") + (("pdf",) if pdf else ()):
        path = folder / f"{slug}.{fmt}"
        fig.savefig(path, dpi=config.FIGURE_DPI, bbox_inches="tight",
                    metadata={"Date": None} if fmt == "svg" else {"Software": None} if fmt == "png" else None)
        files[fmt] = path.name
    if data is not None:
        data.to_csv(folder / f"{slug}.csv", index=False)
        files["csv"] = f"{slug}.csv"
    width, height = fig.get_size_inches()
    entry = {
        "slug": slug, "caption": caption, "alt": alt, "notebook": notebook, "corpus": corpus,
        "files": files, "size_in": [round(float(width), 2), round(float(height), 2)],
    }
    _update_manifest(folder, entry)
    return entry


def _update_manifest(folder: Path, entry: dict) -> None:
    path = folder / MANIFEST_NAME
    entries = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    entries = [e for e in entries if e.get("slug") != entry["slug"]] + [entry]
    entries.sort(key=lambda e: (e.get("notebook", ""), e["slug"]))
    path.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_manifest(folder: str | Path | None = None) -> pd.DataFrame:
    """The manifest of a figures folder as a table (one row per figure)."""
    path = Path(folder or config.FIGURES_DIR) / MANIFEST_NAME
    return pd.DataFrame(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else pd.DataFrame()
