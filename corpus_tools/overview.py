"""Corpus overview for notebook 01: sizes per document, sentence lengths, a flagged reading view."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from . import config
from .frequency import document_codes
from .plots import PALETTE, new_figure

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


def plot_document_sizes(lengths: pd.DataFrame, *, size: str = "column", max_bars: int = 30):
    """Tokens per document split by kind of sentence (stacked bars) for up to ``max_bars``
    documents; a histogram of document length beyond that. ``lengths`` is
    ``stat_sentence_lengths`` output."""
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
    else:
        fig, ax = new_figure(size)
        ax.hist(per_doc["total"], bins=40, color=PALETTE[0], edgecolor="white", linewidth=0.5)
        ax.set_xlabel("Tokens per document (punctuation excluded)")
        ax.set_ylabel("Documents")
        ax.set_title(f"Document length across {len(per_doc):,} documents")
    return fig


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
