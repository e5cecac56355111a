"""One home for every path and house setting (after cookiecutter-data-science's config.py).

Paths can be overridden with environment variables so that a run on another
corpus never writes into the project's own ``figures/``.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = Path(os.environ.get("CORPUS_TOOLS_SEEDS", PROJECT_ROOT / "seeds"))
FIGURES_DIR = Path(os.environ.get("CORPUS_TOOLS_FIGURES", PROJECT_ROOT / "figures"))
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORT_DIR = PROJECT_ROOT / "report"

#: Figure sizes in inches, the one place to change them: "column" fits a report or A4/Letter text
#: column (6.5 in = 16.5 cm); "wide" a landscape page; "slide" a 16:9 slide (10 x 5.625 in).
#: Set CORPUS_TOOLS_FIGURE_SIZE=slide before a run to draw every default-sized figure for slides.
FIGURE_SIZES = {"column": (6.5, 4.0), "wide": (9.0, 4.8), "slide": (10.0, 5.625)}
DEFAULT_FIGURE_SIZE = os.environ.get("CORPUS_TOOLS_FIGURE_SIZE", "column")
FIGURE_DPI = 300
#: Files save_figure writes for every figure (besides the data CSV): raster, vector for the web, vector for print.
FIGURE_FORMATS = ("png", "svg", "pdf")

#: Single-document files (.txt, .md, .html) larger than this are skipped with a reason.
MAX_FILE_MB = 20.0


def is_bundled_corpus(path) -> bool:
    """True when ``path`` is the bundled ``seeds/`` folder (interpretations written for it apply)."""
    try:
        return Path(path).resolve() == (PROJECT_ROOT / "seeds").resolve()
    except (TypeError, OSError):
        return False

#: Name of the marker file the suite writes into every folder it creates for its outputs
#: (``run --out``, ``process --out``, caches). The corpus walk never reads a folder holding it, and
#: a writer replaces files only in a folder that holds it (so nothing the suite did not write is overwritten).
OUTPUT_MARKER = ".corpus_tools-output"
#: Figure bounds whatever the corpus: at most this many inches each way (3,900 px at FIGURE_DPI) and
#: this many bars/rows per figure (the rest is left out and the title says so).
MAX_FIGURE_INCHES = 13.0
MAX_FIGURE_ITEMS = 30
