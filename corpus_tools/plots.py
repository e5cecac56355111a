"""House style and the one figure writer, ``save_figure``.

Every notebook saves figures through ``save_figure`` so that ``figures/`` (or
a run's output folder) holds, for each figure: a 300-dpi PNG, an SVG and a PDF
(``config.FIGURE_FORMATS``), the plotted data as CSV, an entry in
``manifest.json`` with the caption, alt text, source notebook and corpus
fingerprint, and ``README.md``, an index a report writer can pick from without
opening a notebook. In a notebook, the figure's display output is tagged with
its manifest entry, so the HTML report can number and caption it.
"""
from __future__ import annotations

import base64
import contextlib
import functools
import io
import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from PIL import Image

from . import config
from .escaping import escape_html, escape_md, write_csv

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Colour of the "(none)" group (blank metadata) and of groups past the palette's length.
OTHER_COLOUR = "#999999"
MANIFEST_NAME = "manifest.json"
INDEX_NAME = "README.md"
#: Output metadata key that marks a figure displayed by save_figure (read by corpus_tools.report).
FIGURE_METADATA_KEY = "corpus_tools_figure"

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
    "svg.hashsalt": "corpus_tools",  # stable SVG ids: an unchanged figure gives an unchanged file
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


def group_colours(labels, *, none_label: str = "(none)") -> dict[str, str]:
    """One colour per group label, the same in every figure of a run: the labels sorted (as text) take
    ``PALETTE`` in order, the blank-value label ``none_label`` and labels past the palette's length
    ``OTHER_COLOUR``. Pass every group of the corpus (not only those a table holds), so a figure with a
    group missing keeps the others' colours."""
    named = sorted({str(label) for label in labels if label is not None and str(label) != none_label})
    colours = {label: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, label in enumerate(named)}
    return {**colours, none_label: OTHER_COLOUR}


#: Panels of one figure at most (small multiples: one per table, node or group); the rest left out.
MAX_FIGURE_PANELS = 8


def capped(width: float, height: float) -> tuple[float, float]:
    """A figure size with each side at most ``config.MAX_FIGURE_INCHES``."""
    return min(width, config.MAX_FIGURE_INCHES), min(height, config.MAX_FIGURE_INCHES)


def shown_of(shown: int, total: int, what: str = "", *, how: str = "first") -> str:
    """Title suffix when only ``shown`` of ``total`` items are drawn, e.g. " (first 30 of 5,000 terms)";
    empty when nothing was left out."""
    return f" ({how} {shown:,} of {total:,}{' ' + what if what else ''})" if total > shown else ""


def plot_panels(table: pd.DataFrame, *, panel: str, group: str, colours: dict, period_column: str | None = None,
                value_label: str, band: float | None = None, floor_zero: bool = False, title: str = ""):
    """Small multiples of a ``compare.stat_by_group`` / ``stat_over_time`` table with a ``panel`` column
    (a term, an actor): one panel per value (at most ``MAX_FIGURE_PANELS``, the title says how many were
    left out), per group a dot with its 95% interval or, with ``period_column``, a line per group over the
    periods with its band (undated documents left out of the axis); hollow markers where a cell has fewer
    than ``compare.MIN_DOCUMENTS`` documents; ``band``: the neutral band shaded around 0. Bounded size."""
    from .compare import NO_DATE

    if period_column is not None:
        table = table[table[period_column] != NO_DATE]
        periods = sorted(set(table[period_column]))
    every = list(dict.fromkeys(table[panel]))
    names = every[:MAX_FIGURE_PANELS]
    ncols = min(max(len(names), 1), 2)
    nrows = -(-max(len(names), 1) // ncols)
    groups = sorted(set(table[group].astype(str)))
    panel_h = 0.3 * len(groups) + 1.4 if period_column is None else 2.6
    fig, axes = new_figure(capped((6.5 if period_column else 4.5) * ncols, panel_h * nrows + 0.9),
                           nrows=nrows, ncols=ncols, squeeze=False, layout="constrained")
    for ax, name in zip(axes.flat, names):
        rows = table[table[panel] == name]
        if band is not None:
            (ax.axvspan if period_column is None else ax.axhspan)(-band, band, color="0.92", zorder=0, linewidth=0)
        for i, label in enumerate(groups):
            cell = rows[rows[group].astype(str) == label]
            colour = colours.get(label, OTHER_COLOUR)
            few = cell["few_documents"].to_numpy(bool)
            mean, low, high = (pd.to_numeric(cell[c], errors="coerce").to_numpy(float) for c in ("mean", "ci_low", "ci_high"))
            if period_column is None:
                y = np.full(len(cell), len(groups) - 1 - i)
                ax.errorbar(mean, y, xerr=[np.nan_to_num(mean - low), np.nan_to_num(high - mean)], fmt="none",
                            ecolor=colour, capsize=3)  # no interval (one unit): no bar
                ax.scatter(mean, y, color=colour, zorder=3, facecolors=np.where(few, "white", colour))
            else:
                x = cell[period_column].map({p: k for k, p in enumerate(periods)}).to_numpy(float)
                ax.plot(x, mean, color=colour, marker="o", markersize=3, label=label)
                ax.fill_between(x, low, high, color=colour, alpha=0.15, linewidth=0)
                ax.scatter(x[few], mean[few], facecolors="white", edgecolors=colour, zorder=3)
        if period_column is None:
            ax.set_yticks(range(len(groups)), groups[::-1])
            ax.set_ylim(-0.6, len(groups) - 0.4)
            ax.set_xlabel(f"{value_label} (95% interval over documents)")
            if floor_zero:
                ax.set_xlim(left=0)
        else:
            step = max(1, len(periods) // 8)
            ax.set_xticks(range(0, len(periods), step), periods[::step], rotation=30, ha="right", fontsize=8)
            ax.set_ylabel(value_label)
            if floor_zero:
                ax.set_ylim(bottom=0)
        ax.set_title(str(name)[:40], fontsize=10)
    for ax in list(axes.flat)[len(names):]:
        ax.set_axis_off()
    if period_column is not None and names:
        fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="outside lower center", ncols=min(len(groups), 4),
                   fontsize=8, frameon=False)
    fig.suptitle(title + shown_of(len(names), len(every), f"{panel}s"), x=0.02, ha="left", fontweight="bold")
    return fig


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
    pdf: bool = True,
) -> dict:
    """Write ``fig`` as PNG (300 dpi), SVG and PDF, ``data`` as CSV, a manifest entry,
    and refresh the folder's ``README.md`` index.

    Returns the manifest entry. ``slug`` names the files (``slug.png`` ...);
    saving the same slug again replaces its files and entry. ``pdf=False``
    skips the PDF. In a notebook, the figure's displays are tagged with the
    entry afterwards (see ``_tag_for_notebook``); showing it stays the caller's job.
    """
    if not caption.strip() or not alt.strip():
        raise ValueError(f"figure {slug!r}: caption and alt text are required (they go into the report)")
    folder = Path(out_dir) if out_dir is not None else config.FIGURES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    with laid_out(fig, config.FIGURE_DPI) as bbox:
        for fmt in config.FIGURE_FORMATS:
            if fmt == "pdf" and not pdf:
                continue
            path = folder / f"{slug}.{fmt}"
            fig.savefig(path, dpi=config.FIGURE_DPI, bbox_inches=bbox, metadata=_FIXED_METADATA.get(fmt))
            files[fmt] = path.name
    if "png" in files:
        fig._corpus_tools_png = (folder / files["png"]).read_bytes()  # shown in the notebook, downsized
    if data is not None:
        write_csv(data, folder / f"{slug}.csv", index=False)
        files["csv"] = f"{slug}.csv"
    width, height = fig.get_size_inches()
    entry = {
        "slug": slug, "caption": caption, "alt": alt, "notebook": notebook, "corpus": corpus,
        "files": files, "size_in": [round(float(width), 2), round(float(height), 2)],
    }
    _update_manifest(folder, entry)
    write_figure_index(folder)
    _tag_for_notebook(fig, entry)
    return entry


def show_figure(fig, slug: str, **save) -> dict:
    """A notebook's figure in one call: ``save_figure(fig, slug, **save)``, then the figure shown (in
    IPython; its saved PNG) and closed. Returns the manifest entry."""
    entry = save_figure(fig, slug, **save)
    if _shell() is not None:
        from IPython.display import display

        display(fig)
    plt.close(fig)
    return entry


def _shell():
    """The running IPython shell, else None."""
    import IPython

    return IPython.get_ipython()


@contextlib.contextmanager
def laid_out(fig, dpi: float):
    """Lay ``fig`` out once at ``dpi`` (its layout engine, e.g. constrained, runs in a pass that renders
    nothing) and yield its tight bounding box (inches, padded by ``savefig.pad_inches``). Inside the
    block the figure has no layout engine, so each format saved reuses that layout instead of laying
    the figure out again (twice with ``bbox_inches="tight"``); the engine is restored afterwards."""
    engine = fig.get_layout_engine()
    original_dpi = fig.dpi
    try:
        fig.dpi = dpi
        fig.draw_without_rendering()
        bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
    finally:
        fig.dpi = original_dpi
    automatic = {key: plt.rcParams[key] for key in ("figure.autolayout", "figure.constrained_layout.use")}
    plt.rcParams.update(dict.fromkeys(automatic, False))  # so that None means no engine (rc_context would
    fig.set_layout_engine(None)  # reset the backend); None, not "none": a placeholder still triggers a layout pass
    plt.rcParams.update(automatic)
    try:
        yield bbox
    finally:
        fig.set_layout_engine(engine)
        fig.stale = False  # what was drawn is what was saved: a display may reuse the PNG


# Metadata that would change on every save (dates, versions) is left out, so unchanged figures give unchanged files.
_FIXED_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def _tag_for_notebook(fig, entry: dict) -> None:
    """In IPython, make every later display of ``fig`` carry its manifest entry in the output's
    ``image/png`` metadata (the HTML report numbers and captions figures from it) and show it sharp
    on high-dpi screens: the 300-dpi PNG just saved while the figure is unchanged, else a 2x render."""
    shell = _shell()
    if shell is None:
        return
    fig._corpus_tools_figure = {k: entry[k] for k in ("slug", "caption", "alt", "notebook", "corpus")}
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        current = formatter.lookup_by_type(Figure)
    except KeyError:
        current = None
    if not getattr(current, "_corpus_tools", False):  # install once (again after `%matplotlib inline`)
        formatter.for_type(Figure, functools.partial(_tagged_png, fallback=current))
        formatter.lookup_by_type(Figure)._corpus_tools = True


def _tagged_png(fig, *, fallback=None):
    tag = getattr(fig, "_corpus_tools_figure", None)
    if tag is None:
        return fallback(fig) if fallback is not None else None
    saved = getattr(fig, "_corpus_tools_png", None)
    if saved is not None and not fig.stale:  # unchanged since save_figure: its 300-dpi PNG, shown at screen size
        png, scale = saved, plt.rcParams["figure.dpi"] / config.FIGURE_DPI
    else:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=2 * plt.rcParams["figure.dpi"], bbox_inches="tight",
                    metadata={"Software": None})
        png, scale = buffer.getvalue(), 0.5
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    return (base64.b64encode(png).decode("ascii"),
            {"width": round(width * scale), "height": round(height * scale), FIGURE_METADATA_KEY: tag})


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


def write_figure_index(folder: str | Path | None = None) -> Path | None:
    """Write ``README.md`` in a figures folder from its manifest: per notebook, every
    figure (whose PNG exists) with a thumbnail linking the full PNG, its caption,
    alt text, files and size. Deterministic (no dates), so it diffs cleanly."""
    folder = Path(folder or config.FIGURES_DIR)
    manifest = read_manifest(folder)
    if manifest.empty:
        return None
    manifest = manifest[[(folder / f"{slug}.png").is_file() for slug in manifest["slug"]]]
    fingerprints = sorted(set(manifest["corpus"].dropna()) - {""}) if "corpus" in manifest else []
    lines = ["# Figures", "",
             "Generated from `manifest.json` by `corpus_tools.plots.write_figure_index` every time a figure is "
             "saved; do not edit by hand. Each figure comes as PNG (300 dpi, for documents), SVG (web), "
             "PDF (print, LaTeX) and CSV (the plotted data). Click a thumbnail for the full PNG.", "",
             f"Corpus fingerprint: {', '.join(f'`{f}`' for f in fingerprints) or 'n/a'} · "
             f"{len(manifest)} figures", "", "| Figure | Notebook | Caption |", "|---|---|---|"]
    lines += [f"| [`{row.slug}`](#{row.slug}) | {row.notebook or '?'} | {escape_md(row.caption)} |"
              for row in manifest.itertuples()]
    for notebook, group in manifest.groupby("notebook", sort=True):
        lines += ["", f"## {notebook or 'Unknown notebook'}"]
        for row in group.itertuples():
            files = " · ".join(f"[{fmt.upper() if fmt != 'csv' else 'data (CSV)'}]({name})"
                               for fmt, name in row.files.items())
            width, height = row.size_in
            lines += ["", f"### {row.slug}", "",
                      f'<a href="{escape_html(row.slug)}.png"><img src="{escape_html(row.slug)}.png" width="360" '
                      f'alt="{escape_html(row.alt)}"></a>', "",
                      f"**Caption:** {escape_md(row.caption)}  ", f"**Alt text:** {escape_md(row.alt)}  ",
                      f"**Files:** {files} · {width:g} × {height:g} in"]
    path = folder / INDEX_NAME
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path

