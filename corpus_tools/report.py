"""The HTML report: executed notebooks merged into one self-contained page.

Title page (corpus fingerprint, date, versions), a table of contents, then
every notebook's commentary, tables and figures. Code is left out of the
report (the executed notebooks beside it hold it). Images are embedded, so the
page can be mailed or archived.
"""
from __future__ import annotations

import html
import json
import platform
import re
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import nbformat

from .plots import read_manifest

VERSIONED = ("corpus_tools", "pandas", "matplotlib", "textblob", "nltk", "vaderSentiment", "simplemma")


def build_report(notebooks: list[Path], report_dir: Path, *, figures_dir: Path | None = None,
                 title: str = "Framing, term-frequency and sentiment report") -> Path:
    """Write ``report_dir/report.html`` from executed ``notebooks``; returns its path."""
    from nbconvert import HTMLExporter

    report_dir.mkdir(parents=True, exist_ok=True)
    merged = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"},
                                                "language_info": {"name": "python"}})
    fingerprints = set()
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        merged.cells.extend(_report_cells(notebook, path.stem))
    if figures_dir is not None:
        manifest = read_manifest(figures_dir)
        if not manifest.empty:
            fingerprints = set(manifest["corpus"].dropna()) - {""}
    exporter = HTMLExporter(template_name="lab", embed_images=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.exclude_input = True
    body, _ = exporter.from_notebook_node(merged, resources={"metadata": {"name": title}})
    page = _add_front_matter(strip_external_scripts(body), title, notebooks, fingerprints)
    target = report_dir / "report.html"
    target.write_text(page, encoding="utf-8")
    return target


def _report_cells(notebook, stem: str) -> list:
    """The notebook's cells minus the parameters cell and papermill's injected-parameters cell."""
    cells = []
    for cell in notebook.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"parameters", "injected-parameters", "remove-from-report"}:
            continue
        cell = nbformat.from_dict(json.loads(json.dumps(cell)))
        cell.metadata["source_notebook"] = stem
        cells.append(cell)
    return cells


def _add_front_matter(body: str, title: str, notebooks: list[Path], fingerprints: set[str]) -> str:
    headings = re.findall(r'<h([12]) id="([^"]+)"[^>]*>(.*?)<a class="anchor-link"', body, flags=re.S)
    toc = "\n".join(
        f'<li class="toc-h{level}"><a href="#{anchor}">{re.sub(r"<[^>]+>", "", text).strip()}</a></li>'
        for level, anchor, text in headings
    )
    versions = ", ".join(f"{name} {_version(name)}" for name in VERSIONED)
    front = f"""
<section class="ct-title-page">
  <h1 class="ct-title">{html.escape(title)}</h1>
  <p><strong>Corpus fingerprint:</strong> {html.escape(", ".join(sorted(fingerprints)) or "n/a")}<br>
  <strong>Generated:</strong> {datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}<br>
  <strong>Notebooks:</strong> {html.escape(", ".join(p.stem for p in notebooks))}<br>
  <strong>Software:</strong> Python {platform.python_version()}, {html.escape(versions)}</p>
  <nav class="ct-toc"><h2>Contents</h2><ul>{toc}</ul></nav>
</section>
"""
    style = """<style>
.ct-title-page { max-width: 60em; margin: 2em auto; padding: 0 1em 1em; border-bottom: 1px solid #ccc; }
.ct-toc ul { list-style: none; padding-left: 0; } .ct-toc .toc-h2 { padding-left: 1.5em; }
body { max-width: 75em; margin: 0 auto; }
</style>"""
    body = body.replace("</head>", style + "</head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + front, body, count=1)


def strip_external_scripts(page: str) -> str:
    """Drop <script> blocks that load code from the web (require.js, MathJax, mermaid), so the
    report opens offline and makes no request; our notebooks use none of them."""
    return re.sub(r"<script\b[^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>|"
                  r"<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", "", page, flags=re.S)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
