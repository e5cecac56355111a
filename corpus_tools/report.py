"""The HTML report: executed notebooks merged into one self-contained page.

A title page (corpus fingerprint, corpus, date, software versions), a table
of contents and a list of figures, then every notebook's commentary, tables
and figures. Figures saved with ``save_figure`` are numbered and captioned
from their manifest entry, with their alt text. Code is hidden in collapsed
``<details>`` blocks ("Show code"), long tables scroll inside a box. Images
are embedded and the page loads nothing from the web (no scripts, fonts or
styles from elsewhere), so it can be mailed or archived.
"""
from __future__ import annotations

import html
import platform
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import nbformat

from .escaping import escape_html, sanitize_html
from .plots import FIGURE_METADATA_KEY, read_manifest, write_figure_index

VERSIONED = ("corpus_tools", "pandas", "numpy", "matplotlib", "textblob", "nltk", "vaderSentiment", "simplemma",
             "wordfreq")
#: Cells with this tag are left out of the report.
HIDE_TAG = "remove-from-report"
#: Tables with more body rows than this get a "scroll" note.
SCROLL_ROWS = 12
_WIDGET = "application/vnd.jupyter.widget-view+json"


@dataclass
class _Contents:
    """What the rendering collects for the table of contents and the list of figures."""
    headings: list = field(default_factory=list)  # (level, anchor, text)
    figures: list = field(default_factory=list)  # (number, anchor, slug, caption)
    fingerprints: set = field(default_factory=set)  # corpus fingerprints in the figures' tags
    anchors: set = field(default_factory=set)


def build_report(notebooks: list[Path], report_dir: Path, *, figures_dir: Path | None = None,
                 title: str = "Framing, term-frequency and sentiment report") -> Path:
    """Write ``report_dir/report.html`` from executed ``notebooks``; returns its path.

    The corpus fingerprint comes from the figures' tags, else from the manifest
    in ``figures_dir``, whose ``README.md`` figure index is refreshed.
    """
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    contents = _Contents()
    sections = [_render_notebook(nbformat.read(path, as_version=4), Path(path).stem, contents)
                for path in notebooks]
    fingerprints: set[str] = contents.fingerprints - {""}
    if figures_dir is not None:
        manifest = read_manifest(figures_dir)
        stems = {Path(p).stem for p in notebooks}
        if not manifest.empty and not fingerprints:
            fingerprints = set(manifest.loc[manifest["notebook"].isin(stems), "corpus"].dropna()) - {""}
        write_figure_index(figures_dir)
    corpus = _corpus_parameter(notebooks)
    page = _page(title, _front_matter(title, notebooks, fingerprints, corpus, contents), "\n".join(sections))
    target = report_dir / "report.html"
    target.write_text(strip_external_scripts(page), encoding="utf-8")
    return target


# --------------------------------------------------------------------------- cells


def _render_notebook(notebook, stem: str, contents: _Contents) -> str:
    parts = [f'<section class="notebook" id="{stem}">']
    for cell in notebook.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if HIDE_TAG in tags:
            continue
        if cell.cell_type == "markdown":
            parts.append(_markdown(cell.source, stem, contents))
        elif cell.cell_type == "code" and cell.source.strip():
            label = "parameters" if tags & {"parameters", "injected-parameters"} else "code"
            if "injected-parameters" in tags:
                label = "parameters used in this run"
            parts.append(f'<details class="code"><summary>Show {label}</summary>{_highlight(cell.source)}</details>')
            parts.extend(filter(None, (_output(o, stem, contents) for o in cell.get("outputs", []))))
    parts.append("</section>")
    return "\n".join(parts)


def _markdown(text: str, stem: str, contents: _Contents, *, escape: bool = False) -> str:
    """Markdown as HTML; ``escape=True`` (for Markdown a cell displayed, which quotes corpus text)
    shows raw HTML in it as text. Either way the result is sanitised (``sanitize_html``)."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    rendered = sanitize_html(MarkdownWithMath(renderer=IPythonRenderer(escape=escape)).render(text))
    return re.sub(r"<h([1-3])\b[^>]*>(.*?)</h\1>", lambda m: _heading(m, stem, contents), rendered, flags=re.S)


def _heading(match, stem: str, contents: _Contents) -> str:
    level, inner = int(match.group(1)), re.sub(r'<a class="anchor-link".*?</a>', "", match.group(2), flags=re.S)
    plain = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
    anchor = base = f"{stem}-" + (re.sub(r"[^\w]+", "-", plain.lower()).strip("-") or "section")
    n = 1
    while anchor in contents.anchors:
        n += 1
        anchor = f"{base}-{n}"
    contents.anchors.add(anchor)
    if level <= 2:
        contents.headings.append((level, anchor, plain))
    return f'<h{level} id="{anchor}">{inner}</h{level}>'


def _output(output, stem: str, contents: _Contents) -> str:
    kind = output.get("output_type")
    if kind == "stream":  # stderr holds warnings and progress bars, not findings
        return f'<pre class="stream">{escape_html(output.get("text", ""))}</pre>' if output.get("name") == "stdout" else ""
    if kind == "error":
        return f'<pre class="error">{escape_html(output.get("ename", ""))}: {escape_html(output.get("evalue", ""))}</pre>'
    data, meta = output.get("data", {}), output.get("metadata", {})
    if "image/png" in data:
        return _figure(data["image/png"], meta.get("image/png", {}), contents)
    if "text/html" in data:
        return _html_output(sanitize_html(data["text/html"]))
    if "text/markdown" in data:
        return f'<div class="md-output">{_markdown(data["text/markdown"], stem, contents, escape=True)}</div>'
    if "image/svg+xml" in data:
        return f'<div class="svg-output">{sanitize_html(data["image/svg+xml"])}</div>'
    if "text/plain" in data and _WIDGET not in data:  # a widget with no static view has nothing to show here
        return f'<pre class="result">{escape_html(data["text/plain"])}</pre>'
    return ""


def _figure(png: str, meta: dict, contents: _Contents) -> str:
    """An image output; one tagged by save_figure is numbered, captioned and given its alt text."""
    tag = meta.get(FIGURE_METADATA_KEY)
    width = f' width="{int(meta["width"])}"' if meta.get("width") else ""
    if not tag:
        return f'<figure class="plain"><img src="data:image/png;base64,{png.strip()}"{width} alt="Figure output"></figure>'
    number = len(contents.figures) + 1
    anchor = escape_html(f"fig-{tag['slug']}")
    contents.figures.append((number, anchor, tag["slug"], tag["caption"]))
    contents.fingerprints.add(tag.get("corpus", ""))
    return (f'<figure id="{anchor}"><img src="data:image/png;base64,{png.strip()}"{width} '
            f'alt="{escape_html(tag["alt"])}"><figcaption><strong>Figure {number}.</strong> '
            f'{escape_html(tag["caption"])} <span class="slug">{escape_html(tag["slug"])} '
            f'(PNG, SVG, PDF and data CSV in the figures folder)</span></figcaption></figure>')


def _html_output(fragment: str) -> str:
    if "<table" not in fragment:
        return f'<div class="html-output">{fragment}</div>'
    rows = len(re.findall(r"<tr\b", fragment.split("<tbody", 1)[-1]))
    note = (f'<p class="table-note">{rows} rows shown; scroll inside the box to see them all. '
            "The full tables are in the executed notebooks.</p>") if rows > SCROLL_ROWS else ""
    return f'<div class="table-wrap">{fragment}</div>{note}'


def _highlight(source: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(source, PythonLexer(), HtmlFormatter(cssclass="highlight"))


# --------------------------------------------------------------------------- page


def _corpus_parameter(notebooks: list[Path]) -> str:
    """The corpus the notebooks ran on: papermill's injected ``corpus_path``, else the default (seeds/)."""
    for path in notebooks:
        parameters = nbformat.read(path, as_version=4).metadata.get("papermill", {}).get("parameters", {})
        if parameters.get("corpus_path"):
            return str(parameters["corpus_path"])
    return "the bundled corpus (seeds/)"


def _front_matter(title: str, notebooks: list[Path], fingerprints: set[str], corpus: str,
                  contents: _Contents) -> str:
    toc = []
    for level, anchor, text in contents.headings:
        toc.append(f'<li class="toc-h{level}"><a href="#{anchor}">{escape_html(text)}</a></li>')
    figures = "".join(f'<li><a href="#{anchor}">Figure {n}.</a> {escape_html(caption)}</li>'
                      for n, anchor, _, caption in contents.figures)
    versions = "".join(f"<tr><td>{escape_html(name)}</td><td>{escape_html(_version(name))}</td></tr>"
                       for name in VERSIONED)
    return f"""
<header class="title-page">
  <h1 class="report-title">{escape_html(title)}</h1>
  <dl class="facts">
    <dt>Corpus</dt><dd>{escape_html(corpus)}</dd>
    <dt>Corpus fingerprint</dt><dd><code>{escape_html(", ".join(sorted(fingerprints)) or "n/a")}</code></dd>
    <dt>Generated</dt><dd>{datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}</dd>
    <dt>Notebooks</dt><dd>{escape_html(", ".join(Path(p).stem for p in notebooks))}</dd>
    <dt>Software</dt><dd>Python {platform.python_version()} <details class="versions"><summary>versions</summary>
      <table>{versions}</table></details></dd>
  </dl>
  <p class="how-to-read">Every number in the commentary was computed from the corpus when the notebooks ran.
  The code behind each step is hidden: click <em>Show code</em> to read it. Figures are numbered; each is also
  in the figures folder as PNG, SVG and PDF with its data as CSV (see <code>figures/README.md</code>).</p>
  <nav class="toc"><h2>Contents</h2><ol>{"".join(toc)}</ol>
  <h2>Figures</h2><ol class="lof">{figures or "<li>none</li>"}</ol></nav>
</header>"""


def _page(title: str, front: str, body: str) -> str:
    from pygments.formatters import HtmlFormatter

    code_css = HtmlFormatter(cssclass="highlight").get_style_defs(".highlight")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape_html(title)}</title>
<style>{_CSS}
{code_css}</style></head>
<body><main>{front}
{body}
</main></body></html>
"""


_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --accent: #0072B2; --paper: #fff; --shade: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 56rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1, h2, h3 { line-height: 1.25; margin: 1.6em 0 0.5em; }
h1 { font-size: 1.9rem; } h2 { font-size: 1.35rem; } h3 { font-size: 1.1rem; }
a { color: var(--accent); }
code { font: 0.88em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: var(--shade);
  padding: 0.1em 0.3em; border-radius: 3px; }
.title-page { border-bottom: 3px solid var(--ink); padding-bottom: 1.5rem; margin-bottom: 2rem; }
.report-title { font-size: 2.3rem; margin-top: 0.5rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.2rem; margin: 1rem 0; }
.facts dt { font-weight: 600; color: var(--muted); } .facts dd { margin: 0; }
.versions { display: inline-block; margin-left: 0.5em; color: var(--muted); }
.versions table { font-size: 0.85rem; margin-top: 0.3rem; } .versions td { padding: 0 1em 0 0; }
.how-to-read { background: var(--shade); border-left: 4px solid var(--accent); padding: 0.7rem 1rem; }
.toc ol { padding-left: 1.2rem; } .toc li { margin: 0.15rem 0; }
.toc .toc-h1 { font-weight: 600; margin-top: 0.6rem; list-style: none; margin-left: -1.2rem; }
.toc .toc-h2 { list-style: none; padding-left: 0.5rem; } .lof { font-size: 0.92rem; }
section.notebook { border-top: 1px solid var(--rule); margin-top: 3rem; }
section.notebook > h1:first-child, section.notebook > div:first-child h1 { margin-top: 1.5rem; }
details.code { margin: 0.4rem 0 0.8rem; }
details.code > summary, .versions > summary { cursor: pointer; color: var(--muted); font-size: 0.85rem;
  user-select: none; }
details.code > summary:hover { color: var(--accent); }
.highlight { background: var(--shade); border: 1px solid var(--rule); border-radius: 4px; overflow-x: auto;
  margin-top: 0.3rem; }
.highlight pre { margin: 0; padding: 0.7rem 0.9rem; font-size: 0.82rem; line-height: 1.45; }
pre.stream, pre.result { background: var(--shade); padding: 0.6rem 0.9rem; overflow-x: auto; font-size: 0.85rem;
  white-space: pre-wrap; }
pre.error { background: #fdecea; color: #8a1c12; padding: 0.6rem 0.9rem; white-space: pre-wrap; }
figure { margin: 1.5rem 0; page-break-inside: avoid; }
figure img { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figcaption { font-size: 0.92rem; color: var(--ink); margin-top: 0.5rem; border-left: 3px solid var(--accent);
  padding-left: 0.7rem; }
figcaption .slug { color: var(--muted); font-size: 0.8rem; display: block; }
.table-wrap { max-height: 26rem; overflow: auto; margin: 0.8rem 0 0.2rem; border: 1px solid var(--rule);
  border-radius: 4px; }
.table-wrap table { border-collapse: collapse; border: 0; font-size: 0.82rem; width: max-content;
  min-width: 100%; max-width: none; }
.table-wrap th, .table-wrap td { padding: 0.3rem 0.6rem; border: 0; border-bottom: 1px solid var(--rule);
  text-align: left; vertical-align: top; max-width: 30rem; }
.table-wrap thead tr, .table-wrap thead th { text-align: left !important; }
.table-wrap thead th { position: sticky; top: 0; background: var(--shade); z-index: 1; }
.table-wrap tbody tr:nth-child(even) { background: #fafbfc; }
.table-wrap tbody th { font-weight: 400; color: var(--muted); }
.table-note { font-size: 0.8rem; color: var(--muted); margin: 0 0 1rem; }
.md-output { margin: 0.5rem 0; }
.html-output { margin: 0.8rem 0; overflow-x: auto; }
@media print {
  details.code { display: none; } .table-wrap { max-height: none; overflow: visible; }
  main { max-width: none; } section.notebook { page-break-before: always; }
}
"""


def strip_external_scripts(page: str) -> str:
    """Drop <script> blocks that load code from the web (require.js, MathJax, mermaid), so the
    report opens offline and makes no request; our notebooks use none of them."""
    return re.sub(r"<script\b[^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>|"
                  r"<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", "", page, flags=re.S)


def external_references(page: str) -> list[str]:
    """Everything in ``page`` a browser would fetch from elsewhere (src/srcset/poster attributes,
    stylesheet links, CSS ``url()`` and ``@import``); links a reader clicks (``<a href>``) are not fetched."""
    attributes = re.findall(r"""\b(?:src|srcset|poster|data)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", page, re.I)
    links = re.findall(r"""<link\b[^>]*\bhref\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", page, re.I)
    css = re.findall(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""", page, re.I)
    return attributes + links + css


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
