"""Corpus overview for notebook 01: sizes per document, documents per group and period, sentence
lengths, a flagged reading view; ``describe_*`` give the commentary from the computed tables."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from . import config
from .compare import MIN_DOCUMENTS, NO_DATE
from .escaping import escape_md, md_code
from .findings import fmt_num, fmt_pct, listing, plural
from .frequency import document_codes
from .plots import OTHER_COLOUR, PALETTE, new_figure, shown_of

FLAG_COLOURS = {"is_title": PALETTE[0], "is_caption": PALETTE[1], "is_repeated": PALETTE[3],
                "in_quote": PALETTE[2]}
FLAG_LABELS = {"is_title": "title", "is_caption": "caption", "is_repeated": "repeated line",
               "in_quote": "direct quote"}


def stat_documents(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """One row per document: sentences, content sentences (no captions/repeats), tokens, words."""
    base = documents[["doc_id", "title", "date", "source"]].copy()
    per_sentence = _per_document(sentences, "sentences", {"captions": "is_caption", "repeated": "is_repeated",
                                                          "quoted_sentences": "in_quote"})
    per_token = _per_document(tokens, "tokens", {"words": "is_word"})
    table = base.join(per_sentence, on="doc_id").join(per_token, on="doc_id")
    counts = ["sentences", "captions", "repeated", "quoted_sentences", "tokens", "words"]
    table[counts] = table[counts].fillna(0).astype(int)
    return table


def _per_document(table: pd.DataFrame, size: str, sums: dict[str, str]) -> pd.DataFrame:
    """Rows (``size``) and the sums of the boolean ``sums`` columns of ``table`` per doc_id, indexed by
    doc_id (a missing one left out), as ``groupby("doc_id").agg`` counts them."""
    codes, keys = document_codes(table["doc_id"])
    known = codes >= 0
    codes = codes[known]
    counts = {size: np.bincount(codes, minlength=len(keys))}
    for name, column in sums.items():
        weights = table[column].to_numpy(dtype=bool)[known]
        counts[name] = np.bincount(codes, weights=weights, minlength=len(keys)).astype(np.int64)
    return pd.DataFrame(counts, index=keys.infer_objects())  # the index dtype groupby gives


#: Most bins of the sentence-length histogram.
MAX_LENGTH_BINS = 50
SENTENCE_KINDS = ["narrative", "direct quote", "title", "caption / repeated"]
KIND_COLOURS = dict(zip(SENTENCE_KINDS, PALETTE[:4]))


def stat_sentence_lengths(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentence length in tokens (words and numbers, no punctuation) with a ``kind`` label."""
    kind = np.select(
        [sentences["is_title"], sentences["is_caption"] | sentences["is_repeated"], sentences["in_quote"]],
        ["title", "caption / repeated", "direct quote"], default="narrative",
    )
    return sentences[["doc_id", "sent_id", "n_tokens"]].assign(kind=kind)


def plot_sentence_lengths(lengths: pd.DataFrame, *, size: str = "column"):
    """Histogram of sentence lengths, stacked by kind (narrative, quote, title, caption): bins of 5
    tokens (wider past ``MAX_LENGTH_BINS``) up to the 99th percentile; longer sentences fall in the
    last bin, and the axis label says so."""
    fig, ax = new_figure(size)
    kinds = SENTENCE_KINDS
    n_tokens = lengths["n_tokens"].to_numpy(float)
    top = max(int(np.ceil(np.quantile(n_tokens, 0.99))) if len(n_tokens) else 1, 1)
    width = 5 * max(1, int(np.ceil(top / 5 / MAX_LENGTH_BINS)))
    bins = np.arange(0, top + width + 1, width)
    clipped = n_tokens.max() >= bins[-1] if len(n_tokens) else False
    data = [np.minimum(n_tokens[(lengths["kind"] == k).to_numpy()], bins[-1] - 0.5) for k in kinds]
    ax.hist(data, bins=bins, stacked=True, label=kinds, color=PALETTE[:4], edgecolor="white", linewidth=0.5)
    ax.set_xlabel("Sentence length (tokens, punctuation excluded)"
                  + (f"; last bin: ≥ {bins[-2]:.0f} (99th percentile), up to {n_tokens.max():,.0f}" if clipped else ""))
    ax.set_ylabel("Sentences")
    ax.set_title("How long are the sentences?")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(title=None, loc="upper right")
    return fig


#: Bins of the document-size histogram (log-spaced: sizes are skewed, a few long documents).
SIZE_BINS = 30


def plot_document_sizes(lengths: pd.DataFrame, *, groups: pd.Series | None = None, colours: dict | None = None,
                        size: str = "column", max_bars: int = 30):
    """Tokens per document split by kind of sentence (stacked bars) for up to ``max_bars``
    documents; beyond that a histogram of document length on a log axis (``SIZE_BINS``
    log-spaced bins, median marked), stacked by group when ``groups`` (doc_id -> group label)
    is given, in ``colours`` (``plots.group_colours``). ``lengths`` is ``stat_sentence_lengths`` output."""
    per_doc = lengths.pivot_table(index="doc_id", columns="kind", values="n_tokens", aggfunc="sum", fill_value=0)
    kinds = [k for k in SENTENCE_KINDS if k in per_doc.columns]
    per_doc = per_doc[kinds].assign(total=per_doc[kinds].sum(axis=1)).sort_values("total")
    if len(per_doc) <= max_bars:
        width, _ = config.FIGURE_SIZES[size]
        fig, ax = new_figure((width, 1.8 + 0.32 * len(per_doc)), layout="constrained")
        left = np.zeros(len(per_doc))
        labels = [str(d)[:30] for d in per_doc.index]
        for kind in kinds:
            ax.barh(labels, per_doc[kind], left=left, color=KIND_COLOURS[kind], label=kind, height=0.6)
            left += per_doc[kind].to_numpy()
        ax.set_xlabel("Tokens (punctuation excluded)")
        ax.grid(axis="y", visible=False)
        ax.set_title("What each document is made of")
        fig.legend(ncols=len(kinds), loc="outside lower center")
        return fig
    fig, ax = new_figure(size, layout="constrained")
    totals = per_doc["total"].to_numpy(float)
    shown = np.maximum(totals, 1)  # an empty document sits in the first bin
    edges = np.geomspace(shown.min(), shown.max() * 1.0001, SIZE_BINS + 1) if shown.max() > shown.min() \
        else np.array([shown.min() / 1.5, shown.min() * 1.5])
    if groups is None:
        ax.hist(shown, bins=edges, color=PALETTE[0], edgecolor="white", linewidth=0.5)
    else:
        label = groups.reindex(per_doc.index).fillna("(none)").astype(str).to_numpy()
        names = sorted(set(label))
        colours = colours or {}
        ax.hist([shown[label == g] for g in names], bins=edges, stacked=True, label=names,
                color=[colours.get(g, OTHER_COLOUR) for g in names], edgecolor="white", linewidth=0.5)
        fig.legend(ncols=min(len(names), 4), loc="outside lower center", fontsize=8)
    median = float(np.median(totals))
    ax.axvline(max(median, 1), color="#333333", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("Tokens per document (punctuation excluded; log scale)")
    ax.set_ylabel("Documents")
    ax.set_title(f"Length of {len(per_doc):,} documents (median {median:,.0f} tokens, dashed)")
    return fig


def describe_load(report: pd.DataFrame, documents: pd.DataFrame) -> str:
    """Markdown: inputs loaded and skipped (the load report), the skipped files named, and the exact
    duplicates flagged (``is_duplicate``), which are kept."""
    status = report["status"].value_counts()
    n_loaded, n_skipped = int(status.get("loaded", 0)), int(status.get("skipped", 0))
    skipped = report.loc[report["status"] == "skipped", "input"]
    n_duplicates = int(documents["is_duplicate"].sum()) if "is_duplicate" in documents else 0
    return (f"**{plural(n_loaded, 'input')} loaded, {n_skipped} skipped** ({plural(len(report), 'input')} in all). "
            + (f"Skipped: {listing(skipped.map(lambda p: md_code(str(p).split('/')[-1])), limit=8)}. "
               if n_skipped else "")
            + (f"{plural(n_duplicates, 'document')} {'is an exact duplicate' if n_duplicates == 1 else 'are exact duplicates'}"
               " of another and flagged (`is_duplicate`), not dropped. " if n_duplicates
               else "No document is an exact duplicate of another.")
            + ("" if n_loaded else " **Nothing was loaded**: check `corpus_path` and the reasons above; "
                                   "the rest of this notebook shows empty tables."))


def describe_cleaning(removals: pd.DataFrame, marks: pd.DataFrame) -> str:
    """Markdown: the spans cleaning removed (how many, characters, by rule) and the sentences it marked
    (titles, captions, repeated lines), from ``PreparedCorpus.removals`` and ``.marks``."""
    rules, kinds = removals["rule"].value_counts(), marks["mark"].value_counts()
    text = f"Cleaning removed **{plural(len(removals), 'span')}** ({fmt_num(removals['text'].str.len().sum())} characters)"
    if len(removals):
        text += (f" by {plural(len(rules), 'rule')}: "
                 + listing([f"{md_code(rule)} ({n})" for rule, n in rules.items()], limit=8) + ". ")
    else:
        text += ". "
    return (text + f"It marked {plural(int(kinds.get('title', 0)), 'title')}, "
            f"{plural(int(kinds.get('caption', 0)), 'caption')} and "
            f"{plural(int(kinds.get('repeated', 0)), 'repeated line')}.")


def describe_sentence_lengths(lengths: pd.DataFrame, sentences: pd.DataFrame) -> str:
    """Markdown: median and mean sentence length in tokens (``stat_sentence_lengths``) and the longest
    sentence, named and quoted (160 characters at most, escaped)."""
    longest = sentences.loc[sentences["n_tokens"].idxmax()]
    text = str(longest["text"])
    return (f"The median sentence has **{fmt_num(lengths['n_tokens'].median())} tokens** "
            f"(mean {fmt_num(lengths['n_tokens'].mean(), 1)}); the longest, sentence {longest['sent_id']} "
            f"of {md_code(longest['doc_id'])}, has {fmt_num(longest['n_tokens'])}: “{escape_md(text[:160])}"
            f"{'…' if len(text) > 160 else ''}”")


def describe_document_sizes(doc_table: pd.DataFrame) -> str:
    """Markdown: documents, sentences and words (``stat_documents``), the range, median and middle
    half of words per document, and the quoted share; true of any corpus size."""
    totals = doc_table[["sentences", "quoted_sentences", "tokens", "words"]].sum()
    words = doc_table["words"]
    text = (f"The corpus has **{plural(len(doc_table), 'document')}** with {plural(int(totals['sentences']), 'sentence')}"
            f" and {plural(int(totals['words']), 'word')} ({fmt_num(totals['tokens'])} tokens with punctuation). ")
    if len(doc_table) > 1:
        q1, median, q3 = words.quantile([0.25, 0.5, 0.75])
        text += (f"Documents range from {fmt_num(words.min())} to {fmt_num(words.max())} words (median "
                 f"{fmt_num(median)}, middle half {fmt_num(q1)} to {fmt_num(q3)}). ")
    return text + (f"{plural(int(totals['quoted_sentences']), 'sentence')} "
                   f"({fmt_pct(totals['quoted_sentences'] / max(1, totals['sentences']))}) sit mostly inside "
                   "direct quotation marks.")


# --------------------------------------------------------------------------- documents per group and period


def stat_document_counts(documents: pd.DataFrame, *, group: str | None = "group",
                         period: str = "period") -> pd.DataFrame:
    """Documents per group and period (``Study.documents``: ``period`` from ``compare.assign_periods``,
    ``group`` the group labels): one row per cell with ``n_documents`` and ``few_documents`` (fewer
    than ``compare.MIN_DOCUMENTS``), periods in order and ``NO_DATE`` last. Without the group column
    every document is in group "all"; without the period column every one is ``NO_DATE``."""
    keys = pd.DataFrame({"group": documents[group].astype(str) if group and group in documents else "all",
                         "period": documents[period].astype(str) if period in documents else NO_DATE},
                        index=documents.index)
    counts = keys.value_counts().rename("n_documents").reset_index()
    counts["_undated"] = counts["period"] == NO_DATE
    counts = counts.sort_values(["_undated", "period", "group"], kind="stable").drop(columns="_undated")
    return counts.assign(few_documents=counts["n_documents"] < MIN_DOCUMENTS).reset_index(drop=True)


def plot_document_counts(counts: pd.DataFrame, *, colours: dict | None = None, size: str = "wide"):
    """Documents per period (x, the first ``config.MAX_FIGURE_ITEMS`` periods) with one bar per group
    side by side, in ``colours`` (``plots.group_colours``); a cell with fewer than
    ``compare.MIN_DOCUMENTS`` documents is hatched and labelled with its count. Undated documents
    are not on the axis (the title counts them). Without dates: one bar per group.
    ``counts``: ``stat_document_counts``."""
    colours = colours or {}
    dated = counts[counts["period"] != NO_DATE]
    undated = int(counts.loc[counts["period"] == NO_DATE, "n_documents"].sum())
    table = dated if len(dated) else counts.assign(period="all documents")
    wide = table.pivot_table(index="period", columns="group", values="n_documents", aggfunc="sum", fill_value=0)
    n_periods = len(wide)
    wide = wide.iloc[:config.MAX_FIGURE_ITEMS]
    groups = list(wide.columns)
    fig, ax = new_figure(size, layout="constrained")
    width = 0.8 / len(groups)
    x = np.arange(len(wide))
    for i, g in enumerate(groups):
        values = wide[g].to_numpy()
        few = (values > 0) & (values < MIN_DOCUMENTS)
        bars = ax.bar(x + (i - (len(groups) - 1) / 2) * width, values, width=width * 0.95, label=str(g),
                      color=colours.get(str(g), PALETTE[i % len(PALETTE)] if g == "all" else OTHER_COLOUR))
        for bar, is_few, n in zip(bars, few, values):
            if is_few:
                bar.set_hatch("////")
                bar.set_alpha(0.6)
                ax.annotate(f"{n}", (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center",
                            va="bottom", fontsize=7, xytext=(0, 1), textcoords="offset points")
    ax.set_xticks(x, [str(p) for p in wide.index], rotation=45 if len(wide) > 6 else 0,
                  ha="right" if len(wide) > 6 else "center")
    ax.set_ylabel("Documents")
    ax.grid(axis="x", visible=False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    what = "per period" if len(dated) else "per group"
    ax.set_title(f"Documents {what}{shown_of(len(wide), n_periods, 'periods')}"
                 + (f"; {undated:,} undated not shown" if undated and len(dated) else ""), loc="left")
    if len(groups) > 1:  # plain patches: a hatched first bar must not hatch its group's legend entry
        handles = [Patch(color=colours.get(str(g), OTHER_COLOUR), label=str(g)) for g in groups]
        fig.legend(handles=handles, ncols=min(len(groups), 4), loc="outside lower center", fontsize=8)
    ax.text(1, 1.01, f"hatched: fewer than {MIN_DOCUMENTS} documents", transform=ax.transAxes, ha="right",
            va="bottom", fontsize=7, color="#555555")
    return fig


def describe_document_counts(counts: pd.DataFrame, undated: pd.DataFrame, *, group_column: str | None,
                             date_column: str = "date") -> str:
    """Markdown on ``stat_document_counts``: documents per group (with shares), the periods the dated
    documents span and the cells with few documents, and the undated documents (``undated``:
    ``compare.undated_documents``; counted in the group totals, left out of time series). With one
    document, or no group column and no dates, one sentence says why there is no comparison."""
    n = int(counts["n_documents"].sum())
    dated = counts[counts["period"] != NO_DATE]
    if n <= 1:
        return ("One document: there is nothing to compare between groups or periods, so this section has no "
                "figure; the later notebooks describe the one text.")
    if group_column is None and dated.empty:
        return (f"No group column and no dates: the {plural(n, 'document')} are analysed as one set. Set "
                "`group_column` (e.g. `side`) to compare outlets or sides, and `date_column` to follow time.")
    parts = []
    if group_column is not None:
        per_group = counts.groupby("group")["n_documents"].sum().sort_values(ascending=False, kind="stable")
        parts.append(f"Documents per {md_code(group_column)}: " + listing(
            [f"{escape_md(g)} {fmt_num(k)} ({fmt_pct(k / n)})" for g, k in per_group.items()], limit=8) + ".")
        if len(per_group) == 1:
            parts.append("Only one group: there is nothing to compare between groups.")
    if dated.empty:
        parts.append(f"No document has a date ({md_code(date_column)}), so there is no time series.")
    else:
        periods = sorted(dated["period"].unique())
        few = dated[dated["few_documents"]]
        cells = "cell" if group_column is not None else "period"
        parts.append(f"Dated documents fall in {plural(len(periods), 'period')}, {escape_md(periods[0])} to "
                     f"{escape_md(periods[-1])}. " + (
                         f"{fmt_num(len(few))} of {plural(len(dated), cells)} {'holds' if len(few) == 1 else 'hold'} "
                         f"fewer than {MIN_DOCUMENTS} "
                         "documents (hatched): their estimates rest on a handful of texts." if len(few) else
                         f"Every {cells} holds at least {MIN_DOCUMENTS} documents."))
    if len(undated):
        parts.append(f"**{plural(len(undated), 'document')}** ({fmt_pct(len(undated) / n)}) "
                     f"{'has' if len(undated) == 1 else 'have'} no date or one that cannot be read: "
                     "counted in the group totals, left out of every time series, and listed below.")
    elif not dated.empty:
        parts.append("Every document has a date.")
    return " ".join(parts)


def render_document_html(document: pd.Series, sentences: pd.DataFrame) -> str:
    """The cleaned text as HTML, one numbered sentence per line, flagged sentences coloured.

    Text is escaped; colours follow ``FLAG_COLOURS`` and a legend heads the view.
    """
    legend = " ".join(
        f'<span style="border-left:6px solid {c};padding:0 6px;margin-right:8px">{FLAG_LABELS[f]}</span>'
        for f, c in FLAG_COLOURS.items()
    )
    rows = []
    for row in sentences.itertuples(index=False):
        flags = [f for f in FLAG_COLOURS if getattr(row, f)]
        colour = FLAG_COLOURS[flags[0]] if flags else "transparent"
        badges = ", ".join(FLAG_LABELS[f] for f in flags)
        rows.append(
            f'<tr><td style="color:#666;text-align:right;vertical-align:top;padding-right:8px">'
            f"{row.sent_id}</td><td style=\"border-left:6px solid {colour};padding-left:8px\">"
            f"{html.escape(row.text)}"
            + (f' <em style="color:#555">[{badges}]</em>' if badges else "")
            + "</td></tr>"
        )
    title = html.escape(str(document.get("title") or document["doc_id"]))
    return (f"<div><p><strong>{title}</strong> ({html.escape(str(document['doc_id']))})</p>"
            f"<p>{legend}</p><table style=\"border-collapse:collapse\">{''.join(rows)}</table></div>")
