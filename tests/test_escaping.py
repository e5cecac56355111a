"""The escaping helpers: corpus text shown as text in HTML, Markdown and tables; CSV cells that
a spreadsheet would run as formulas neutralised (OWASP CSV injection)."""
import csv
import html
import re

import pandas as pd
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from corpus_tools.escaping import (escape_html, escape_md, md_code, neutralise_csv, sanitize_html, show_table,
                                   write_csv)
from tests.hostile import FORMULA, IMAGE, RAW, SCRIPT

HOSTILE = f"{SCRIPT} {IMAGE} <b onmouseover=alert(1)>x</b>"


def test_escape_html_escapes_content_and_quotes():
    assert escape_html(f'{SCRIPT}"\'') == "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;"


def test_escape_md_renders_markup_and_markdown_syntax_as_the_same_characters():
    """Through the renderer that passes raw HTML (nbconvert's, as a trusted notebook does)."""
    text = f"# {HOSTILE} *not bold* __x__ [a link](javascript:alert(1)) `code` | $x$ ~~y~~ & &amp;\n\n- item"
    rendered = markdown2html_mistune(escape_md(text))
    assert not any(raw in rendered for raw in RAW) and "<b " not in rendered
    assert all(tag not in rendered for tag in ("<em>", "<strong>", "<a ", "<code>", "<h1", "<li>", "<del>"))
    plain = rendered.removeprefix("<p>").removesuffix("</p>\n")
    assert plain == escape_html(text.replace("\n\n", " ")).replace("&#x27;", "'").replace("&quot;", '"')
    assert markdown2html_mistune(escape_md("1. first")) == "<p>1. first</p>\n"


def test_md_code_shows_any_text_verbatim():
    for text in (SCRIPT, "a`b", "`starts and ends`", "``x"):
        rendered = markdown2html_mistune(f"see {md_code(text)}")
        assert rendered == f"<p>see <code>{escape_html(text)}</code></p>\n".replace("&#x27;", "'")


def test_show_table_escapes_cells_index_and_column_labels_with_a_stable_id():
    frame = pd.DataFrame({IMAGE: [SCRIPT, "plain"], "n": [1.5, -2]},
                         index=pd.Index([SCRIPT, "b"], name=IMAGE))
    frame.columns.name = SCRIPT
    for styler in (show_table(frame), show_table(frame, index=True)):
        page = styler.to_html()
        assert not any(raw in page for raw in RAW)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert show_table(frame).to_html() == show_table(frame.copy()).to_html()  # same table, same ids
    assert show_table(frame).uuid != show_table(frame.head(1)).uuid


def test_sanitize_html_drops_what_runs_and_keeps_tables_styles_and_images():
    fragment = (f'<style>td {{ color: red }}</style><table onclick="alert(1)"><tr><td title="a&quot;b">'
                f"&lt;kept&gt; text</td></tr></table>{SCRIPT}{IMAGE}<iframe src=x></iframe>"
                '<a href=" jav&#x61;script:alert(1)">link</a><a href="#fig-1">ok</a>'
                '<img src="data:image/png;base64,AAAA" alt="x"><object data="data:text/html,x"></object>'
                "<svg><style><img src=x onerror=alert(1)></style></svg>")
    clean = sanitize_html(fragment)
    assert not any(raw in clean for raw in RAW) and "<img src=x" not in clean
    assert "<script" not in clean and "<iframe" not in clean and "<object" not in clean
    assert "onclick" not in clean and "javascript" not in clean.lower()
    assert '<style>td { color: red }</style><table><tr><td title="a&quot;b">&lt;kept&gt; text</td></tr></table>' in clean
    assert '<a href="#fig-1">ok</a>' in clean and '<img src="data:image/png;base64,AAAA" alt="x">' in clean
    assert '<img src="x">' in clean  # the image stays, its handler goes


def test_csv_cells_starting_a_formula_are_prefixed_numbers_are_not(tmp_path):
    frame = pd.DataFrame({
        "text": [FORMULA, "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", None],
        "n": [-1.5, -2, 3, 4, 5, 6, 7, 8],
        "group": pd.Categorical(["=1", "a", "a", "a", "a", "a", "a", "a"]),
        "=label": ["x"] * 8,
    })
    out = neutralise_csv(frame)
    assert out["text"].tolist()[:7] == [f"'{FORMULA}", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "plain"]
    assert out["n"].tolist() == frame["n"].tolist() and out["n"].dtype == frame["n"].dtype
    assert out["group"].iloc[0] == "'=1" and list(out.columns)[-1] == "'=label"
    assert frame["text"].iloc[0] == FORMULA  # the caller's table is left as it was
    path = write_csv(frame, tmp_path / "t.csv", index=False)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["text", "n", "group", "'=label"] and rows[1][:3] == [f"'{FORMULA}", "-1.5", "'=1"]


def test_escape_md_leaves_no_bare_url_or_address_for_a_renderer_to_link():
    """GFM renderers (JupyterLab's) link bare URLs, www. hosts and e-mail addresses: a group value
    like =HYPERLINK("http://...") must stay text."""
    text = '=HYPERLINK("http://example.invalid/x","y") www.example.invalid a@example.invalid'
    escaped = escape_md(text)
    assert not re.search(r"(?i)[a-z]://|\bwww\.|@", escaped)
    rendered = markdown2html_mistune(escaped)
    assert "<a " not in rendered and html.unescape(rendered) == f"<p>{text}</p>\n"
