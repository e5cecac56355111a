"""The HTML report, built from small notebooks written for the tests (no kernel needed)."""
import base64
import io
import json
import re

import matplotlib.pyplot as plt
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from corpus_tools.plots import FIGURE_METADATA_KEY
from corpus_tools.report import SCROLL_ROWS, build_report, external_references, strip_external_scripts


def tiny_png() -> str:
    fig = plt.figure(figsize=(1, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=20)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def table_html(rows: int) -> str:
    body = "".join(f"<tr><th>{i}</th><td>term{i}</td></tr>" for i in range(rows))
    return f'<table border="1" class="dataframe"><thead><tr><th></th><th>term</th></tr></thead><tbody>{body}</tbody></table>'


def write_notebook(path, corpus_path=None, fingerprint="fp-tag"):
    png = tiny_png()
    tag = {"slug": "09-bars", "caption": "Bars <by> group.", "alt": 'Bar chart "A" vs B.', "notebook": path.stem,
           **({"corpus": fingerprint} if fingerprint else {})}
    cells = [
        new_markdown_cell("# 09 · A test notebook\n\nPurpose paragraph."),
        new_code_cell('corpus_path = "../seeds"', metadata={"tags": ["parameters"]}),
        new_markdown_cell("## 1. Setting things up"),
        new_code_cell("import secret_helper  # hidden", metadata={"tags": ["remove-from-report"]}),
        new_code_cell("fig = plot_bars(table)\nsave_figure(fig, '09-bars')", outputs=[
            new_output("stream", name="stderr", text="100%|#####| progress bar noise\n"),
            new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"},
                       metadata={"image/png": {"width": 300, "height": 200, FIGURE_METADATA_KEY: tag}}),
            new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"}),
            new_output("display_data", data={"text/markdown": "The top term is **term0**.", "text/plain": "x"}),
        ]),
        new_markdown_cell("## 2. Tables"),
        new_code_cell("display(long); display(short)", outputs=[
            new_output("display_data", data={"text/html": table_html(SCROLL_ROWS + 5), "text/plain": "long"}),
            new_output("display_data", data={"text/html": table_html(3), "text/plain": "short"}),
            new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "abc"},
                                             "text/plain": "HBox(children=(...))"}),
            new_output("stream", name="stdout", text="printed line\n"),
        ]),
        new_markdown_cell("## 1. Setting things up"),  # a repeated heading gets its own anchor
    ]
    notebook = new_notebook(cells=cells)
    if corpus_path:
        notebook.metadata["papermill"] = {"parameters": {"corpus_path": corpus_path}}
    nbformat.write(notebook, path)
    return path


def build(tmp_path, **options):
    notebook = write_notebook(tmp_path / "09_test.ipynb", **options)
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "09-bars.png").write_bytes(base64.b64decode(tiny_png()))
    (figures / "manifest.json").write_text(json.dumps([
        {"slug": "09-bars", "caption": "c", "alt": "a", "notebook": "09_test", "corpus": "fp123",
         "files": {"png": "09-bars.png"}, "size_in": [6.5, 4]},
        {"slug": "07-other", "caption": "c", "alt": "a", "notebook": "07_other", "corpus": "not-this-run",
         "files": {"png": "07-other.png"}, "size_in": [6.5, 4]}]))
    path = build_report([notebook], tmp_path / "report", figures_dir=figures)
    return path.read_text(encoding="utf-8"), tmp_path


@pytest.fixture
def report(tmp_path):
    return build(tmp_path, corpus_path="/data/my_corpus")


def test_title_page_has_corpus_fingerprint_date_and_versions(report):
    page, _ = report
    front = page.split('<section class="notebook"', 1)[0]
    assert "/data/my_corpus" in front and "<code>fp-tag</code>" in front and "not-this-run" not in front
    assert re.search(r"<dt>Generated</dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC</dd>", front)
    assert "<td>pandas</td>" in front and "Python 3." in front


def test_fingerprint_falls_back_to_the_manifest_and_corpus_to_the_default(tmp_path):
    front = build(tmp_path, fingerprint=None)[0].split('<section class="notebook"', 1)[0]
    assert "<code>fp123</code>" in front and "not-this-run" not in front and "the bundled corpus" in front


def test_contents_link_every_h1_h2_with_unique_anchors(report):
    page, _ = report
    toc = re.findall(r'<li class="toc-h(\d)"><a href="#([^"]+)">([^<]+)</a>', page)
    assert toc == [("1", "09_test-09-a-test-notebook", "09 · A test notebook"),
                   ("2", "09_test-1-setting-things-up", "1. Setting things up"),
                   ("2", "09_test-2-tables", "2. Tables"),
                   ("2", "09_test-1-setting-things-up-2", "1. Setting things up")]
    for _, anchor, _ in toc:
        assert page.count(f'id="{anchor}"') == 1


def test_saved_figures_are_numbered_with_caption_and_alt_text(report):
    page, _ = report
    assert ('<img src="data:image/png;base64,' in page and 'width="300" alt="Bar chart &quot;A&quot; vs B."' in page)
    assert "<strong>Figure 1.</strong> Bars &lt;by&gt; group." in page
    assert page.count("<figcaption>") == 1  # the untagged image is shown without a number
    assert '<li><a href="#fig-09-bars">Figure 1.</a> Bars &lt;by&gt; group.</li>' in page


def test_code_is_collapsed_and_hidden_cells_and_stderr_are_left_out(report):
    page, _ = report
    assert page.count('<details class="code"><summary>Show code</summary>') == 2
    assert "<summary>Show parameters</summary>" in page and "<details open" not in page
    assert "secret_helper" not in page and "progress bar noise" not in page
    assert "printed line" in page and "HBox" not in page  # a widget without a static view shows nothing
    assert "The top term is <strong>term0</strong>." in page


def test_long_tables_scroll_with_a_note_short_ones_do_not(report):
    page, _ = report
    assert page.count('<div class="table-wrap">') == 2
    assert page.count('class="table-note"') == 1 and f"{SCROLL_ROWS + 5} rows shown" in page


def test_report_is_self_contained_and_refreshes_the_figure_index(report):
    page, tmp_path = report
    assert external_references(page) == []
    assert "<script" not in page
    assert "09-bars" in (tmp_path / "figures" / "README.md").read_text(encoding="utf-8")


def test_external_references_are_found_and_web_scripts_stripped():
    page = ('<img src="https://x.org/a.png"><link rel="stylesheet" href="//cdn.x/s.css">'
            '<style>@import "https://f.x/f.css"; b { background: url(http://x/b.png) }</style>'
            '<a href="https://doi.org/10.1/x">a reference a reader clicks</a><img src="data:image/png;base64,AA">')
    assert sorted(external_references(page)) == ["//cdn.x/s.css", "http://x/b.png", "https://f.x/f.css",
                                                 "https://x.org/a.png"]
    scripts = ('<script src="https://cdnjs.cloudflare.com/require.js"></script>'
               '<script>load("https://cdn.jsdelivr.net/mathjax")</script><script>var local = 1;</script>')
    assert strip_external_scripts(scripts) == "<script>var local = 1;</script>"


def test_corpus_markup_in_outputs_is_text_and_scripts_in_html_outputs_are_dropped(tmp_path):
    """Markdown a cell displayed quotes corpus text: its raw HTML is shown as text. HTML and SVG
    outputs are sanitised (a cell displaying raw HTML cannot put a script in the report)."""
    from tests.hostile import IMAGE, RAW, SCRIPT

    notebook = new_notebook(cells=[
        new_markdown_cell("# 09 · Markup"),
        new_code_cell("show()", outputs=[
            new_output("display_data", data={"text/markdown": f"The longest sentence: “{SCRIPT} {IMAGE}” **bold**"}),
            new_output("display_data", data={"text/html": f"<table><tr><td>{SCRIPT}</td><td>{IMAGE}</td>"
                                                          '<td><a href="javascript:alert(1)">x</a></td></tr></table>'}),
            new_output("display_data", data={"image/svg+xml": '<svg onload="alert(1)"><script>alert(1)</script></svg>'}),
        ]),
    ])
    nbformat.write(notebook, tmp_path / "09_markup.ipynb")
    page = build_report([tmp_path / "09_markup.ipynb"], tmp_path / "report").read_text(encoding="utf-8")
    assert not [raw for raw in RAW if raw in page] and "<script" not in page
    assert "onload" not in page and "javascript:" not in page
    assert "“&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;” <strong>bold</strong>" in page
    assert '<div class="table-wrap"><table><tr><td></td><td><img src="x"></td><td><a>x</a></td></tr></table>' in page
