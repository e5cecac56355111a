"""Corpus text is data, never markup: the one module that escapes it wherever it is rendered.

Document text, file names, ids and metadata values (``side``, titles) can hold anything,
``<script>`` included. Every writer of HTML, Markdown or CSV goes through these helpers:

* ``escape_html`` for text placed in HTML (element content or a quoted attribute);
* ``escape_md`` and ``md_code`` for corpus strings quoted in Markdown commentary;
* ``show_table`` for tables shown in a notebook (a pandas Styler with every cell and label escaped);
* ``sanitize_html`` as a second line of defence for HTML embedded in the report;
* ``neutralise_csv`` / ``write_csv`` against spreadsheet formula injection in CSV files.
"""
from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

#: Cells starting with these are read as formulas by spreadsheets (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Markdown punctuation with an inline meaning (emphasis, code, links, tables, strikethrough, math).
_MD_INLINE = re.compile(r"([\\`*_\[\]|~$])")
#: Markdown that only counts at the start of a line: headings, list items, block quotes.
_MD_LINE_START = re.compile(r"^(?:([#+-])|(\d+)([.)]))")
#: What GitHub-flavoured Markdown (JupyterLab's renderer) turns into a link without any markup:
#: ``scheme://``, ``www.`` and e-mail addresses (GFM 0.29, "Autolinks (extension)").
_MD_AUTOLINK = {re.compile(r"(?i)(?<=[a-z]):(?=//)"): "&#58;", re.compile(r"(?i)\b(www)\."): r"\1&#46;",
                re.compile("@"): "&#64;"}


def escape_html(value) -> str:
    """``value`` as text for HTML content or a quoted attribute (``& < > " '`` escaped)."""
    return html.escape(str(value), quote=True)


def escape_md(value) -> str:
    """``value`` as literal text inside Markdown: HTML characters as entities, Markdown
    punctuation backslash-escaped (CommonMark 0.31, section 2.4), line breaks as spaces.

    ``escape_md("<b>*x*</b>")`` renders as the characters ``<b>*x*</b>``, not as bold markup; bare
    URLs and e-mail addresses are broken with an entity so that no renderer makes them links.
    """
    text = re.sub(r"\s*[\r\n]+\s*", " ", html.escape(str(value), quote=False))
    text = _MD_INLINE.sub(r"\\\1", text)
    for pattern, entity in _MD_AUTOLINK.items():
        text = pattern.sub(entity, text)
    return _MD_LINE_START.sub(lambda m: "\\" + m[1] if m[1] else f"{m[2]}\\{m[3]}", text)


def md_code(value) -> str:
    """``value`` as a Markdown code span (shown verbatim, never rendered): the fence is one
    backtick longer than any run of backticks in it (CommonMark 0.31, section 6.1)."""
    text = re.sub(r"[\r\n]+", " ", str(value))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if text.startswith("`") or text.endswith("`") else f"{fence}{text}{fence}"


def show_table(frame: pd.DataFrame, *, index: bool = False):
    """``frame`` as a pandas Styler for a notebook: cells, index and column labels HTML-escaped,
    the index hidden unless ``index=True``, and a table id (``uuid``) derived from the table's
    contents, so a rerun on the same corpus gives the same HTML."""
    from pandas.io.formats.style import Styler

    frame = frame.rename_axis(index=_escaped_names(frame.index), columns=_escaped_names(frame.columns))
    uuid = hashlib.sha1(frame.to_csv().encode("utf-8")).hexdigest()[:10]
    styler = (Styler(frame, uuid=uuid).format(escape="html")
              .format_index(escape="html", axis=0).format_index(escape="html", axis=1))
    return styler if index else styler.hide(axis="index")


def _escaped_names(labels: pd.Index) -> list:
    return [None if name is None else escape_html(name) for name in labels.names]


# --------------------------------------------------------------------------- HTML sanitising

#: Elements dropped with everything inside them.
_DROP_WITH_CONTENT = {"script", "iframe", "object", "applet", "noscript", "frameset", "template", "xmp", "noembed",
                      "plaintext"}
#: Elements dropped alone (void or harmless content).
_DROP = {"embed", "base", "meta", "link", "frame"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset",
                   "lowsrc", "dynsrc", "ping"}
_SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|data(?!:image/(?:png|jpe?g|gif|webp)[;,])):", re.I)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


class _Sanitiser(HTMLParser):
    """Re-serialises HTML, keeping only what cannot run: every text node is escaped again, every
    kept attribute quoted and escaped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: list[str] = []  # open elements dropped with their content
        self.raw = False  # inside <style>: its text is CSS, kept but for "<" (SVG parses markup in <style>)

    def handle_starttag(self, tag, attrs, close=""):
        if self.skipping:
            if tag in _DROP_WITH_CONTENT:
                self.skipping.append(tag)
            return
        if tag in _DROP_WITH_CONTENT:
            self.skipping.append(tag)
            return
        if tag in _DROP:
            return
        kept = "".join(f' {name}="{escape_html(value)}"' if value is not None else f" {name}"
                       for name, value in attrs if _safe_attribute(name, value))
        self.out.append(f"<{tag}{kept}{close}>")
        self.raw = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, close=" /")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag not in _DROP_WITH_CONTENT | _DROP:
            self.out.append(f"</{tag}>")
        self.raw = False

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(data.replace("<", "\\3c ") if self.raw else html.escape(data, quote=False))


def _safe_attribute(name: str, value: str | None) -> bool:
    if name.startswith("on") or name in {"srcdoc", "formaction"}:
        return False
    if value is None:
        return True
    plain = _CONTROL.sub("", html.unescape(value))
    if name in _URL_ATTRIBUTES and _SCRIPT_URL.match(plain):
        return False
    return not (name == "style" and re.search(r"expression\s*\(|javascript:|behavior\s*:", plain, re.I))


def sanitize_html(fragment: str) -> str:
    """``fragment`` without anything that runs in a browser: ``<script>``, ``<iframe>``, ``<object>``
    and similar elements, ``on*=`` event handlers and ``javascript:``/``vbscript:``/non-image
    ``data:`` URLs are dropped; text is escaped again. Tables, styles and images are kept."""
    parser = _Sanitiser()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


# --------------------------------------------------------------------------- CSV


def _neutralise(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def neutralise_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` safe to open in a spreadsheet: every text cell and label that starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP, "CSV
    Injection"). Numbers stay numbers: only strings are changed."""
    out = frame.rename(index=_neutralise, columns=_neutralise)
    for position, dtype in enumerate(out.dtypes):
        if dtype == object or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype)):
            out.isetitem(position, out.iloc[:, position].astype(object).map(_neutralise))
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, **options) -> Path:
    """Write ``neutralise_csv(frame)`` to ``path`` (``options`` go to ``DataFrame.to_csv``); the one
    CSV writer of the suite."""
    neutralise_csv(frame).to_csv(path, **options)
    return Path(path)
