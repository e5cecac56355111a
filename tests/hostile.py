"""A corpus full of markup and spreadsheet formulas, for the escaping tests (report, notebooks, CSVs).

Every place corpus text or metadata reaches a page holds a payload: document text, a file name,
a CSV ``id``, a ``side`` value and a title. A report built from it must show them as text and
never run them; every CSV the suite writes must neutralise the formulas (OWASP CSV injection).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
#: What must never appear in a rendered page built from the corpus.
RAW = ("<script>alert", "<img src=x onerror", "<b onmouseover", 'href="javascript:')
FORMULA = "=HYPERLINK(\"http://example.invalid\",\"x\")"

_TEXT = (f"Azerbaijan welcomed the peace talks {SCRIPT} and praised the wonderful, great progress. "
         f"Armenia condemned the brutal, terrible aggression {IMAGE} and the killing of civilians. "
         f"Azerbaijan said {SCRIPT} the talks with Armenia were a good and hopeful step toward peace {IMAGE}. "
         f"Armenia warned that the war {IMAGE} was a disaster and a catastrophe. "
         f"[a link](javascript:alert(1)) **bold** `code` and <b onmouseover=alert(1)>Armenia</b> spoke.")


def write_hostile_corpus(folder: Path) -> Path:
    """Write the markup corpus into ``folder`` (created); returns it.

    A text file named after an ``<img onerror>`` payload with a title from ``metadata.csv``, and a
    CSV whose ``id``, ``side``, ``title`` and text hold payloads, one row per side, and formulas.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{IMAGE}.txt"
    (folder / name).write_text(_TEXT + "\n\n" + SCRIPT + " ends the story.\n", encoding="utf-8")
    pd.DataFrame({"filename": [name], "title": [SCRIPT], "side": [IMAGE]}).to_csv(folder / "metadata.csv",
                                                                                  index=False)
    pd.DataFrame({
        "id": [SCRIPT, FORMULA, "@SUM(1+1)"],
        "title": [IMAGE, SCRIPT, "-2+3"],
        "side": [SCRIPT, FORMULA, IMAGE],
        "text": [_TEXT, f"{FORMULA} Armenia and Azerbaijan signed a good peace deal. {_TEXT}",
                 f"-2+3 Armenia attacked. +1 Azerbaijan said the war was terrible. {_TEXT}"],
    }).to_csv(folder / "articles.csv", index=False)
    return folder


#: Notebooks the markup run executes: all five.
HOSTILE_NOTEBOOKS = ("01", "02", "03", "04", "05")


def run_on_hostile_corpus(tmp_path: Path, env: dict) -> Path:
    """``python -m corpus_tools run`` on the markup corpus into ``tmp_path/out``; returns that folder."""
    import subprocess
    import sys

    from tests.helpers import ROOT

    corpus = write_hostile_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "corpus_tools", "run", "--corpus", str(corpus), "--out", str(out),
                           "--notebooks", *HOSTILE_NOTEBOOKS, "--param", "n_boot=50"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stdout[-1500:] + done.stderr[-2000:]
    return out
