"""Interactive explorers for JupyterLab (ipywidgets), each with a static view.

* ``kwic_explorer``: type a word, a phrase or a regular expression, pick the
  window and the sort, read the concordance (``concordance.stat_kwic``).
* ``term_explorer``: pick terms from the most frequent words (or type any),
  see where they occur (``frequency.plot_dispersion``) and how evenly they
  spread (``frequency.stat_dispersion``: Gries's DP, Juilland's D).

Each returns an ``Explorer``. In JupyterLab with a live kernel it shows the
controls. Everywhere else (an export, the HTML report, a notebook opened
before its cells are rerun, GitHub) the same output shows a plain HTML table
for the starting values, because the output carries both a widget view and
``text/html``; front ends without the widget view, or not trusting it, fall
back to the table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .concordance import sort_kwic, stat_kwic, word_stream
from .escaping import escape_html
from .findings import fmt_num, plural
from .frequency import plot_dispersion, stat_dispersion, stat_frequency, stat_positions

SORTS = {"first word right (R1, R2)": ("R1", "R2"), "last word left (L1, L2)": ("L1", "L2"),
         "document order": ()}
#: One-document corpora are cut into this many equal slices for dispersion.
SLICES = 10


@dataclass
class Explorer:
    """A widget plus the HTML shown where no widget front end is available."""
    widget: object
    static_html: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        return {**data, "text/html": self.static_html}


# --------------------------------------------------------------------------- KWIC


def kwic_explorer(tokens: pd.DataFrame, documents: pd.DataFrame, *, query: str = "", window: int = 6,
                  regex: bool = False, sort: str = "first word right (R1, R2)", max_lines: int = 100,
                  text_column: str = "clean_text") -> Explorer:
    """A concordance (keyword in context) explorer over the tokens table.

    ``query`` is a word, a phrase, or with ``regex=True`` one regular
    expression per word (see ``concordance.find_matches``); ``window`` counts
    words each side. At most ``max_lines`` lines are shown (the count says how
    many there are); export all with ``concordance.stat_kwic(...).to_csv``.
    """
    import ipywidgets as w

    box = w.Text(value=query, description="Query", placeholder="word, phrase or regex (e.g. territor\\w*)",
                 continuous_update=False, layout=w.Layout(width="24em"))
    span = w.IntSlider(value=window, min=1, max=20, description="Window", continuous_update=False)
    is_regex = w.Checkbox(value=regex, description="regular expression", indent=False,
                          layout=w.Layout(width="auto"))
    order = w.Dropdown(options=list(SORTS), value=sort, description="Sort by", layout=w.Layout(width="22em"))
    view = w.HTML()

    def update(_=None):
        view.value = kwic_html(tokens, documents, box.value, window=span.value, regex=is_regex.value,
                               sort=order.value, max_lines=max_lines, text_column=text_column)

    for control in (box, span, is_regex, order):
        control.observe(update, names="value")
    update()
    controls = w.VBox([w.HBox([box, is_regex]), w.HBox([span, order]), view])
    return Explorer(controls, view.value)


def kwic_html(tokens: pd.DataFrame, documents: pd.DataFrame, query: str, *, window: int = 6,
              regex: bool = False, sort: str = "first word right (R1, R2)", max_lines: int = 100,
              text_column: str = "clean_text") -> str:
    """The concordance of ``query`` as an HTML table (node centred, as in AntConc), with a count line."""
    query = query.strip()
    if not query:
        return _note("Type a word, a phrase or (ticking <em>regular expression</em>) a pattern.")
    try:
        lines = stat_kwic(tokens, documents, query, window=window, regex=regex, text_column=text_column)
    except re.error as err:
        return _note(f"Not a valid regular expression: {escape_html(str(err))}.")
    if lines.empty:
        return _note(f"No match for <strong>{escape_html(query)}</strong>"
                     f"{' (as a regular expression)' if regex else ''}.")
    if SORTS[sort]:
        lines = sort_kwic(lines, keys=SORTS[sort])
    shown = lines.head(max_lines)
    count = (f"<strong>{plural(len(lines), 'line')}</strong> in {plural(lines['doc_id'].nunique(), 'document')}"
             + (f"; the first {fmt_num(max_lines)} shown" if len(lines) > max_lines else ""))
    rows = "".join(
        f'<tr><td style="color:#59636e;padding-right:1.5em;white-space:nowrap">{escape_html(str(r.doc_id))}:{r.sent_id}</td>'
        f'<td style="text-align:right;white-space:nowrap">{escape_html(r.left)}</td>'
        f'<td style="text-align:center;font-weight:bold;white-space:nowrap">{escape_html(r.node)}</td>'
        f'<td style="text-align:left;white-space:nowrap">{escape_html(r.right)}</td></tr>'
        for r in shown.itertuples())
    return (f"<p>{count}</p><div style='overflow-x:auto'><table class='ct-kwic'><thead><tr><th>doc:sentence</th>"
            f"<th style='text-align:right'>left</th><th style='text-align:center'>node</th>"
            f"<th style='text-align:left'>right</th></tr></thead><tbody>{rows}</tbody></table></div>")


# --------------------------------------------------------------------------- terms


def term_explorer(tokens: pd.DataFrame, *, terms=(), by: str = "lower", choices: int = 40) -> Explorer:
    """Pick terms (from the ``choices`` most frequent non-stopwords, or typed, comma-separated
    words or phrases); see a dispersion plot and the terms' counts and dispersion."""
    import ipywidgets as w

    top = stat_frequency(tokens, by=by, drop_stopwords=True, drop_numbers=True).head(choices)
    options = list(dict.fromkeys([*[t for t in terms if " " not in t], *top["term"]]))
    picked = w.SelectMultiple(options=options, value=[t for t in terms if t in options], rows=8,
                              description="Frequent", layout=w.Layout(width="18em"))
    typed = w.Text(value=", ".join(t for t in terms if t not in options), description="Or type",
                   placeholder="phrase, another phrase", continuous_update=False, layout=w.Layout(width="24em"))
    table = w.HTML()
    plot = w.Output()

    def chosen() -> list[str]:
        return list(dict.fromkeys([*picked.value, *(t.strip() for t in typed.value.split(",") if t.strip())]))

    def update(_=None):
        table.value = terms_html(tokens, chosen(), by=by)
        plot.clear_output(wait=True)
        with plot:
            _show_dispersion(tokens, chosen(), by=by)

    picked.observe(update, names="value")
    typed.observe(update, names="value")
    update()
    hint = w.HTML("<small>Ctrl/Cmd-click to pick several.</small>")
    return Explorer(w.VBox([w.HBox([w.VBox([picked, hint]), w.VBox([typed, table])]), plot]), table.value)


def stat_terms(tokens: pd.DataFrame, terms, *, by: str = "lower") -> pd.DataFrame:
    """``term, n, rate_per_1000, parts, range, dp, juilland_d`` for ``terms`` (words or phrases), every
    term listed even when absent; several documents are the parts, one document is cut into ``SLICES``."""
    columns = ["term", "n", "rate_per_1000", "parts", "range", "dp", "juilland_d"]
    terms = list(dict.fromkeys(terms))
    words = word_stream(tokens)
    if not terms:
        return pd.DataFrame(columns=columns)
    parts = "document" if words["doc_id"].nunique() > 1 else SLICES
    table = (stat_dispersion(words, terms, by=by, parts=parts) if len(words)
             else pd.DataFrame(columns=["term", "n", "parts", "range", "dp", "dp_norm", "juilland_d"]))
    table = table.set_index("term").reindex(terms).rename_axis("term").reset_index()
    table["n"] = table["n"].fillna(0).astype(int)
    table["range"] = table["range"].fillna(0).astype(int)
    table["rate_per_1000"] = 1000 * table["n"] / max(len(words), 1)
    return table[columns]


def terms_html(tokens: pd.DataFrame, terms, *, by: str = "lower") -> str:
    """``stat_terms`` as an HTML table with a line saying what the columns mean."""
    table = stat_terms(tokens, terms, by=by)
    if table.empty:
        return _note("Pick or type some terms.")
    unit = "documents" if word_stream(tokens)["doc_id"].nunique() > 1 else f"{SLICES} equal slices of the text"
    shown = table.assign(rate_per_1000=table["rate_per_1000"].round(2), dp=table["dp"].round(3),
                         juilland_d=table["juilland_d"].round(3)).drop(columns="parts")
    return (shown.to_html(index=False, na_rep="–", classes="ct-terms", border=0)
            + _note(f"Count, rate per 1,000 words, <em>range</em> = parts containing the term (parts: {unit}), "
                    "Gries's DP (0 = even, towards 1 = concentrated) and Juilland's D (1 = even)."))


def _show_dispersion(tokens: pd.DataFrame, terms: list[str], *, by: str) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import display

    positions = stat_positions(tokens, terms, by=by) if terms else pd.DataFrame()
    if positions.empty:
        return
    fig = plot_dispersion(positions, terms=terms)
    display(fig)
    plt.close(fig)


def _note(text: str) -> str:
    return f"<p style='color:#59636e;font-size:0.9em'>{text}</p>"

