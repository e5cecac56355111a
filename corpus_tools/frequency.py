"""Frequency lists, n-grams, TF-IDF and dispersion from the tokens table.

Every function takes the tokens table of ``segment_documents`` (document
order) and returns a tidy table. Only word tokens count: punctuation is never
a term and never in a denominator. Rates are per 1,000 word tokens of the
document group, stopwords included in the denominator even when they are left
out of the list, so rates stay comparable. ``select_tokens`` drops caption and
repeated lines first (see ``segment.content_sentences``).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .concordance import find_matches, word_stream
from .tables import group_labels, labelled, runs

TERM_FORMS = ("token", "lower", "lemma")
FREQUENCY_COLUMNS = ["term", "n", "rate_per_1000", "doc_freq", "doc_share"]


def select_tokens(tokens: pd.DataFrame, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Word tokens (punctuation dropped) of content sentences: with ``sentences``,
    tokens of captions and repeated lines are dropped, as ``content_sentences`` does."""
    words = word_stream(tokens)
    if sentences is None or sentences.empty or words.empty:
        return words
    dropped = sentences.loc[sentences["is_caption"] | sentences["is_repeated"], ["doc_id", "sent_id"]]
    if dropped.empty:
        return words
    key = pd.MultiIndex.from_frame(words[["doc_id", "sent_id"]])
    return words[~key.isin(pd.MultiIndex.from_frame(dropped))].reset_index(drop=True)


def with_group(tokens: pd.DataFrame, group, documents: pd.DataFrame | None = None):
    """``(tokens, group_columns)``: group columns looked up in ``documents`` by doc_id
    when the tokens table lacks them."""
    if group is None:
        return tokens, []
    groups, missing = _group_columns(tokens, group, documents)
    if not missing:
        return tokens, groups
    _, keyed, keys = _document_codes(tokens["doc_id"])
    return _looked_up(tokens, _document_values(keys, missing, documents), keyed), groups


def _group_columns(tokens: pd.DataFrame, group, documents) -> tuple[list[str], list[str]]:
    """``(group columns, those the tokens table lacks)``; these must be documents columns."""
    if group is None:
        return [], []
    groups = [group] if isinstance(group, str) else list(group)
    missing = [g for g in groups if g not in tokens.columns]
    if missing and (documents is None or any(g not in documents.columns for g in missing)):
        raise ValueError(f"group column(s) {missing} are in neither the tokens nor the documents table")
    return groups, missing


def document_codes(doc_id: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(doc_id)`` (codes in order of first appearance, -1 for a missing doc_id), faster
    on an object column whose documents come in runs, as in a tokens table: only the first doc_id
    of each run (``tables.runs``) is hashed (a doc_id that comes back later gets the first run's code)."""
    if doc_id.dtype != object or not len(doc_id):
        return pd.factorize(doc_id)
    starts, _ = runs(doc_id)
    run_codes, keys = pd.factorize(doc_id.iloc[starts])
    return np.repeat(run_codes, np.diff(np.r_[starts, len(doc_id)])), keys


def _document_codes(doc_id: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """``(codes, keyed, keys)``: ``document_codes(doc_id)``'s codes, and codes ``keyed`` into ``keys``,
    the distinct doc_ids with a missing one kept as a key too (for lookups)."""
    codes, keys = document_codes(doc_id)
    if codes.min(initial=0) >= 0:
        return codes, codes, keys
    return codes, np.where(codes < 0, len(keys), codes), keys.insert(len(keys), np.nan)


def _document_values(keys: pd.Index, columns: list[str], documents: pd.DataFrame) -> pd.DataFrame:
    """``columns`` of ``documents`` for each doc_id of ``keys`` (``Series.map`` by doc_id)."""
    lookup = documents.drop_duplicates("doc_id").set_index("doc_id")
    ids = pd.Series(keys, name="doc_id")
    return pd.DataFrame({g: ids.map(lookup[g]) for g in columns})


def _looked_up(tokens: pd.DataFrame, values: pd.DataFrame, keyed: np.ndarray) -> pd.DataFrame:
    """``tokens`` with the columns of ``values`` (one row per document key) spread by ``keyed``:
    as mapping every token's doc_id, with one lookup per document."""
    return tokens.assign(**{g: values[g].iloc[keyed].set_axis(tokens.index) for g in values.columns})


class _Cells(NamedTuple):
    """Word counts per (group, term) cell, cells in stat_frequency's order (group, n descending, term)."""

    groups: pd.DataFrame | None  # group values, one row per group code (None without groups)
    group: np.ndarray  # per word: its group code
    doc: np.ndarray  # per word: its document code (pd.factorize's: -1 for a missing doc_id)
    vocabulary: np.ndarray  # the distinct terms
    g: np.ndarray  # per cell: group code
    t: np.ndarray  # per cell: term code into vocabulary
    n: np.ndarray  # per cell: occurrences
    doc_freq: np.ndarray  # per cell: documents with the term


def _term_cells(tokens: pd.DataFrame, by: str, group, documents, drop: list[str]) -> tuple[list[str], _Cells]:
    """``(group columns, cells)`` of the word tokens, words flagged by a ``drop`` column not counted.
    Group columns looked up by doc_id are grouped once per document, not per word."""
    _check_form(by)
    groups, missing = _group_columns(tokens, group, documents)
    words = word_stream(tokens[[c for c in dict.fromkeys(["doc_id", by, *groups, *drop, "is_punct"])
                                if c in tokens.columns]])
    doc, keyed, keys = _document_codes(words["doc_id"])
    values = _document_values(keys, missing, documents) if missing else None
    if len(missing) == len(groups):  # per document (or no group): group the documents, spread to the words
        per_doc, group_values = _group_codes(values, groups, len(keys))
        group_codes = per_doc[keyed]
    else:
        words = words if values is None else _looked_up(words, values, keyed)
        group_codes, group_values = _group_codes(words, groups, len(words))
    counted = np.ones(len(words), dtype=bool)
    for flag in drop:
        counted &= ~words[flag].to_numpy()
    term_codes, vocabulary = pd.factorize(words[by])
    cell_keys = group_codes[counted].astype(np.int64) * len(vocabulary) + term_codes[counted]
    cells, n, doc_freq = _count_cells(cell_keys, doc[counted])
    g, t = cells // len(vocabulary), cells % len(vocabulary)
    order = _order(g, n, t, vocabulary)
    return groups, _Cells(group_values, group_codes, doc, vocabulary.to_numpy(), g[order], t[order], n[order],
                          doc_freq[order])


def _cell_table(cells: _Cells, rows: np.ndarray, columns: dict) -> pd.DataFrame:
    """The group values and term of the cells at ``rows``, then ``columns``."""
    g = cells.g[rows]
    out = cells.groups.iloc[g].reset_index(drop=True) if cells.groups is not None else pd.DataFrame(
        index=range(len(rows)))
    out["term"] = take_column(cells.vocabulary, cells.t[rows])
    for name, values in columns.items():
        out[name] = values
    return out


def take_column(values: np.ndarray, codes: np.ndarray):
    """``values[codes]`` as a DataFrame column holds it (an object array of strings becomes a ``str``
    column), its dtype inferred from, and strings converted once for, the distinct values used."""
    used = np.bincount(codes, minlength=len(values)) > 0
    return pd.Series(values[used]).array.take(np.cumsum(used)[codes] - 1)


def stat_frequency(tokens: pd.DataFrame, *, by: str = "lower", group=None, documents=None,
                   drop_stopwords: bool = False, drop_numbers: bool = False,
                   min_count: int = 1) -> pd.DataFrame:
    """Frequency list of word forms (``by='lower'`` or ``'token'``) or lemmas (``'lemma'``).

    Columns: ``[group...,] term, n, rate_per_1000, doc_freq, doc_share`` where
    ``doc_freq`` counts documents containing the term and ``doc_share`` divides
    it by the documents in the group. ``group`` names tokens or documents
    columns (``'side'``, ``'source'``, ``'date'``, ``'doc_id'``).
    Sorted by group, then by ``n`` (largest first), then term.
    """
    drop = [flag for flag, dropped in (("is_stop", drop_stopwords), ("is_num", drop_numbers)) if dropped]
    groups, cells = _term_cells(tokens, by, group, documents, drop)
    if not len(cells.group):
        return pd.DataFrame(columns=[*groups, *FREQUENCY_COLUMNS])
    totals = np.bincount(cells.group)
    docs_in_group = _docs_per_group(cells, len(totals))
    keep = np.flatnonzero(cells.n >= min_count)
    g, n, doc_freq = cells.g[keep], cells.n[keep], cells.doc_freq[keep]
    return _cell_table(cells, keep, {"n": n, "rate_per_1000": 1000 * n / totals[g], "doc_freq": doc_freq,
                                     "doc_share": doc_freq / docs_in_group[g]})


def count_terms(tokens: pd.DataFrame, *, by: str = "lower", group=None,
                documents=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(counts, totals)`` in one pass: what ``stat_frequency`` is computed from, summable over
    disjoint sets of documents. ``counts``: ``[group...,] term, n, doc_freq`` (stat_frequency's rows
    and order); ``totals``: ``[group...,] words, docs``, the word tokens and distinct doc_ids of each
    group in order of first appearance (one row without a group)."""
    groups, cells = _term_cells(tokens, by, group, documents, [])
    counts = (_cell_table(cells, np.arange(len(cells.n)), {"n": cells.n, "doc_freq": cells.doc_freq})
              if len(cells.group) else pd.DataFrame(columns=[*groups, "term", "n", "doc_freq"]))
    n_words = np.bincount(cells.group, minlength=0 if cells.groups is None else len(cells.groups))
    n_docs = _docs_per_group(cells, len(n_words))
    if not groups:
        return counts, pd.DataFrame({"words": [len(cells.group)], "docs": [int(n_docs.sum())]})
    seen = pd.unique(cells.group)
    return counts, cells.groups.iloc[seen].reset_index(drop=True).assign(words=n_words[seen], docs=n_docs[seen])


def _docs_per_group(cells, n_groups: int) -> np.ndarray:
    """Distinct documents with a word in each group (a document counts in every group it has words
    in, as when grouping by a token column such as ``is_stop``; missing doc_ids are left out)."""
    known = cells.doc >= 0
    size = int(cells.doc.max(initial=0)) + 1
    in_groups = pd.unique(cells.group[known].astype(np.int64) * size + cells.doc[known])
    return np.bincount(in_groups // size, minlength=n_groups)


def _count_cells(keys: np.ndarray, doc_codes: np.ndarray):
    """``(distinct keys, count of each, number of documents with each)``, by hashing int64 codes."""
    codes, cells = pd.factorize(keys)
    n = np.bincount(codes, minlength=len(cells))
    in_docs = pd.unique(codes.astype(np.int64) * (int(doc_codes.max(initial=0)) + 1) + doc_codes)
    doc_freq = np.bincount(in_docs // (int(doc_codes.max(initial=0)) + 1), minlength=len(cells))
    return np.asarray(cells, dtype=np.int64), n, doc_freq


def _order(group: np.ndarray, n: np.ndarray, term: np.ndarray, vocabulary) -> np.ndarray:
    """Row order: by group, then count (largest first), then term alphabetically."""
    alphabetical = np.empty(len(vocabulary), dtype=np.int64)
    alphabetical[np.argsort(vocabulary.to_numpy().astype(str), kind="stable")] = np.arange(len(vocabulary))
    return np.lexsort((alphabetical[term], -n, group))


def _group_codes(table: pd.DataFrame | None, groups: list[str], rows: int):
    """``(code of each row's group, group values per code)``, groups sorted; zeros and None without groups.
    Missing and blank group values are one group, ``tables.NO_GROUP`` ("(none)"; ``doc_id`` as it is)."""
    if not groups:
        return np.zeros(rows, dtype=np.int64), None
    if len(groups) == 1:
        codes, values = pd.factorize(table[groups[0]], sort=True, use_na_sentinel=False)
        if groups[0] != "doc_id":  # label the distinct values only, then merge those that read the same
            distinct = pd.Series(values)
            labels = group_labels(distinct)
            if labels is not distinct:
                relabel, values = pd.factorize(labels, sort=True)
                codes = relabel[codes]
        return codes, pd.DataFrame({groups[0]: values})
    for column in groups:
        table = labelled(table, column)
    grouped = table.groupby(groups, sort=True, dropna=False)
    return grouped.ngroup().to_numpy(), grouped.size().index.to_frame(index=False)


def stat_ngrams(tokens: pd.DataFrame, *, n: int = 2, by: str = "lower", min_count: int = 2,
                drop_stopwords: str = "edge") -> pd.DataFrame:
    """N-grams of ``n`` adjacent word tokens that cross neither a sentence boundary
    nor punctuation (so "sovereignty, territorial" is not a bigram).

    ``drop_stopwords``: ``'edge'`` drops n-grams that start or end with a
    stopword (keeps "end of the occupation"-style phrases out of bigrams but
    keeps "territorial integrity"), ``'any'`` drops those with any stopword,
    ``'none'`` keeps all. Columns ``term, n, rate_per_1000, doc_freq,
    doc_share`` (rate per 1,000 word tokens), n >= ``min_count``.
    """
    _check_form(by)
    if not 2 <= n <= 4 or drop_stopwords not in {"edge", "any", "none"}:
        raise ValueError("n must be 2, 3 or 4 and drop_stopwords 'edge', 'any' or 'none'")
    words = word_stream(tokens)
    length = len(words) - n + 1
    if length <= 0:
        return pd.DataFrame(columns=FREQUENCY_COLUMNS)
    codes, vocabulary = pd.factorize(words[by])
    docs = pd.factorize(words["doc_id"])[0]
    sents, token_ids = words["sent_id"].to_numpy(), words["token_id"].to_numpy()
    stop = words["is_stop"].to_numpy()
    ok = np.ones(length, dtype=bool)
    for k in range(1, n):
        ok &= ((docs[k:k + length] == docs[:length]) & (sents[k:k + length] == sents[:length])
               & (token_ids[k:k + length] == token_ids[:length] + k))
    if drop_stopwords == "edge":
        ok &= ~(stop[:length] | stop[n - 1:n - 1 + length])
    elif drop_stopwords == "any":
        ok &= ~np.any([stop[k:k + length] for k in range(n)], axis=0)
    start = np.flatnonzero(ok)
    key = codes[start].astype(np.int64)
    for k in range(1, n):  # re-code after each word so that keys stay below N * vocabulary
        key = pd.factorize(key * len(vocabulary) + codes[start + k])[0].astype(np.int64)
    cells, counts, doc_freq = _count_cells(key, docs[start])
    keep = counts >= min_count
    first = start[np.flatnonzero(~pd.Series(key).duplicated().to_numpy())[cells[keep]]]
    names = vocabulary.to_numpy().astype(object)
    term = pd.Series(names[codes[first]], dtype=object)
    for k in range(1, n):
        term = term + " " + names[codes[first + k]]
    out = pd.DataFrame({"term": term.to_numpy(), "n": counts[keep],
                        "rate_per_1000": 1000 * counts[keep] / len(words), "doc_freq": doc_freq[keep],
                        "doc_share": doc_freq[keep] / (docs.max() + 1)})
    return out.sort_values(["n", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def stat_tfidf(tokens: pd.DataFrame, *, by: str = "lower", drop_stopwords: bool = False,
               drop_numbers: bool = False) -> pd.DataFrame:
    """TF-IDF per document and term, as tidytext's ``bind_tf_idf``:
    ``tf = n / (terms counted in the document)``, ``idf = ln(N_docs / doc_freq)``
    (natural log, no smoothing; a term in every document gets 0),
    ``tf_idf = tf * idf``. Columns ``doc_id, term, n, tf, idf, tf_idf``; sorted by
    document, then tf_idf. With one document every idf is 0."""
    counts = stat_frequency(tokens, by=by, group="doc_id", drop_stopwords=drop_stopwords,
                            drop_numbers=drop_numbers)
    columns = ["doc_id", "term", "n", "tf", "idf", "tf_idf"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    n_docs = counts["doc_id"].nunique()
    doc_freq = counts.groupby("term", sort=False)["doc_id"].transform("size")
    out = counts[["doc_id", "term", "n"]].assign(
        tf=counts["n"] / counts.groupby("doc_id", sort=False)["n"].transform("sum"),
        idf=np.log(n_docs / doc_freq))
    out["tf_idf"] = out["tf"] * out["idf"]
    return out.sort_values(["doc_id", "tf_idf", "term"], ascending=[True, False, True],
                           kind="stable").reset_index(drop=True)


def stat_positions(tokens: pd.DataFrame, terms, *, by: str = "lower", regex: bool = False) -> pd.DataFrame:
    """Where each of ``terms`` (words or phrases, see ``concordance.find_matches``)
    occurs: ``term, doc_id, sent_id, token_id, position, doc_words, relative``,
    with ``position`` the word index of the match in its document (0-based) and
    ``relative = position / doc_words`` (0 = start, 1 = end), for dispersion plots."""
    words = word_stream(tokens)
    matches = find_matches(words, terms, by=by, regex=regex)
    columns = ["term", "doc_id", "sent_id", "token_id", "position", "doc_words", "relative"]
    if matches.empty:
        return pd.DataFrame(columns=columns)
    docs = pd.factorize(words["doc_id"])[0]
    doc_start = np.r_[0, np.flatnonzero(np.diff(docs)) + 1]
    doc_words = np.diff(np.r_[doc_start, len(docs)])
    first = matches["first"].to_numpy()
    position = first - doc_start[docs[first]]
    out = matches.rename(columns={"query": "term"})[["term", "doc_id", "sent_id", "token_id"]].assign(
        position=position, doc_words=doc_words[docs[first]])
    out["relative"] = out["position"] / out["doc_words"]
    return out[columns]


def stat_dispersion(tokens: pd.DataFrame, terms=None, *, by: str = "lower", parts="document",
                    regex: bool = False) -> pd.DataFrame:
    """How evenly terms spread over the corpus parts.

    ``parts='document'`` uses the documents; an integer ``k`` cuts the word
    stream (documents in order) into ``k`` equal slices, the choice for a single
    document. With part sizes ``s_i`` (shares of all words) and a term's
    occurrences ``v_i`` (shares of its frequency):

    * ``dp``: Gries's (2008) deviation of proportions, ``0.5 * sum |v_i - s_i|``
      (0 = spread exactly like the corpus, towards 1 = concentrated);
      ``dp_norm`` divides by ``1 - min(s_i)`` (Lijffijt & Gries 2012);
    * ``juilland_d``: Juilland's D, ``1 - V / sqrt(k - 1)`` with ``V`` the
      coefficient of variation (population SD / mean) of the term's relative
      frequencies per part ``f_i / size_i`` (the classic form when parts are
      equal; Gries 2008). 1 = perfectly even; NaN with one part.

    ``terms=None`` scores every word form; otherwise words or phrases.
    Columns ``term, n, parts, range, dp, dp_norm, juilland_d``.
    """
    words = word_stream(tokens)
    columns = ["term", "n", "parts", "range", "dp", "dp_norm", "juilland_d"]
    if words.empty:
        return pd.DataFrame(columns=columns)
    if parts == "document":
        part_of = pd.factorize(words["doc_id"])[0]
    elif isinstance(parts, (int, np.integer)) and parts >= 1:
        part_of = np.arange(len(words)) * int(parts) // len(words)
    else:
        raise ValueError("parts must be 'document' or a positive number of equal slices")
    size = np.bincount(part_of).astype(float)
    k = len(size)
    share = size / size.sum()
    if terms is None:
        term_codes, vocabulary = pd.factorize(words[by])
        hits = pd.DataFrame({"term": vocabulary.to_numpy()[term_codes], "part": part_of})
    else:
        matches = find_matches(words, terms, by=by, regex=regex)
        hits = pd.DataFrame({"term": matches["query"].to_numpy(), "part": part_of[matches["first"].to_numpy()]})
    if hits.empty:
        return pd.DataFrame(columns=columns)
    cells = hits.groupby(["term", "part"], sort=False).size().rename("f").reset_index()
    f = cells["f"].to_numpy(dtype=float)
    p = cells["part"].to_numpy()
    cells["total"] = cells.groupby("term", sort=False)["f"].transform("sum")
    rel = f / size[p]
    cells = cells.assign(abs_dev=np.abs(f / cells["total"] - share[p]), share=share[p], rel=rel, rel2=rel ** 2)
    g = cells.groupby("term", sort=False).agg(n=("f", "sum"), range=("f", "size"), abs_dev=("abs_dev", "sum"),
                                              share=("share", "sum"), rel=("rel", "sum"), rel2=("rel2", "sum"))
    dp = 0.5 * (g["abs_dev"] + (1 - g["share"]))
    mean = g["rel"] / k
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(np.maximum(g["rel2"] / k - mean ** 2, 0))
        juilland = 1 - (sd / mean) / np.sqrt(k - 1) if k > 1 else np.full(len(g), np.nan)
        dp_norm = dp / (1 - share.min()) if k > 1 else np.zeros(len(g))
    out = pd.DataFrame({"term": g.index.to_numpy(), "n": g["n"].to_numpy().astype(int), "parts": k,
                        "range": g["range"].to_numpy(), "dp": dp.to_numpy(), "dp_norm": np.asarray(dp_norm),
                        "juilland_d": np.asarray(juilland)})
    return out.sort_values(["n", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def plot_top_terms(tables: dict[str, pd.DataFrame], *, value: str = "rate_per_1000", n: int = 15,
                   title: str = "", xlabel: str = "rate per 1,000 word tokens"):
    """Horizontal bars of the top ``n`` terms of each table, one panel per table
    (``{"Word forms": table1, "Lemmas": table2}``), count printed at each bar. Bounded whatever the
    input: at most ``config.MAX_FIGURE_ITEMS`` bars a panel and ``plots.MAX_FIGURE_PANELS`` panels
    (titles say how many were left out), each side at most ``config.MAX_FIGURE_INCHES``."""
    from . import config
    from .plots import MAX_FIGURE_PANELS, PALETTE, capped, new_figure, shown_of

    every = list(tables.items())
    shown = every[:MAX_FIGURE_PANELS]
    n = max(0, min(n, config.MAX_FIGURE_ITEMS))
    rows = max([min(n, len(t)) for _, t in shown] + [1])
    fig, axes = new_figure(capped(3.4 * max(len(shown), 1) + 0.4, 0.25 * rows + 1.3), ncols=max(len(shown), 1),
                           squeeze=False)
    for i, (ax, (name, table)) in enumerate(zip(axes[0], shown)):
        top = table.head(n).iloc[::-1]
        y = np.arange(len(top)) + rows - len(top)  # bars from the top of the panel
        ax.barh(y, top[value], color=PALETTE[i % len(PALETTE)])
        ax.set_yticks(y, top["term"])
        for at, v, count in zip(y, top[value], top["n"]):
            ax.text(v, at, f" {int(count)}", va="center", fontsize=8)
        ax.set_title(name + shown_of(len(top), len(table), how="top"), fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylim(-0.6, rows - 0.4)
        ax.grid(axis="y", visible=False)
        ax.margins(x=0.15)
        if top.empty:
            ax.text(0.5, 0.5, "none", ha="center", va="center", transform=ax.transAxes)
    title = (title or "") + shown_of(len(shown), len(every), "panels")
    if title:
        fig.suptitle(title, x=0.02, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def plot_dispersion(positions: pd.DataFrame, *, terms=None, title: str = ""):
    """Dispersion plot: one row per term, a tick per occurrence. One document: x is the
    word position; several: x is the relative position in each document (0 = start).
    At most ``config.MAX_FIGURE_ITEMS`` rows (the first terms; the title says how many were left
    out) and ``config.MAX_FIGURE_INCHES`` high; a term's ticks are one collection however many."""
    from . import config
    from .plots import PALETTE, capped, new_figure, shown_of

    every = list(dict.fromkeys(terms if terms is not None else positions["term"]))
    terms = every[:config.MAX_FIGURE_ITEMS]
    single = positions["doc_id"].nunique() <= 1
    counts = positions["term"].value_counts()
    fig, ax = new_figure(capped(6.5, 0.45 * max(len(terms), 1) + 1.4))
    for i, term in enumerate(terms):
        hits = positions[positions["term"] == term]
        x = hits["position"] if single else hits["relative"]
        ax.scatter(x, np.full(len(hits), i), marker="|", s=260 if len(terms) <= 12 else 80, linewidths=1.6,
                   color=PALETTE[i % len(PALETTE)], alpha=1.0 if single else 0.6,
                   rasterized=len(hits) > 5000)
    ax.set_yticks(range(len(terms)), [f"{t} ({int(counts.get(t, 0)):,})" for t in terms])
    ax.set_ylim(-0.6, len(terms) - 0.4)
    ax.invert_yaxis()
    if single and len(positions):
        ax.set_xlim(0, int(positions["doc_words"].iloc[0]))
        ax.set_xlabel("word position in the document")
    else:
        ax.set_xlim(0, 1)
        ax.set_xlabel("relative position in each document (0 = start, 1 = end)")
    ax.grid(axis="y", visible=False)
    ax.set_title((title or "Where the terms occur") + shown_of(len(terms), len(every), "terms"))
    return fig


def _check_form(by: str) -> None:
    if by not in TERM_FORMS:
        raise ValueError(f"by must be one of {TERM_FORMS}, not {by!r}")


# --------------------------------------------------------------------------- terms of interest by group and time


def fmt_rate(rate_per_1000: float) -> str:
    """A rate readable at any corpus size: '12.3 per 1,000' down to 0.1 per 1,000, below that per million
    ('2.7 per million' for 3 in 1.1 M words, which per 1,000 would read 0.0)."""
    from .findings import fmt_num

    if rate_per_1000 != rate_per_1000:  # NaN
        return "n/a"
    if rate_per_1000 == 0:
        return "0 per 1,000"
    if rate_per_1000 >= 0.1:
        return f"{fmt_num(rate_per_1000, 1 if rate_per_1000 >= 1 else 2)} per 1,000"
    return f"{fmt_num(1000 * rate_per_1000, 1 if rate_per_1000 >= 1e-3 else 3)} per million"


def stat_term_counts(tokens: pd.DataFrame, documents: pd.DataFrame, terms, *, by: str = "lower") -> pd.DataFrame:
    """Per document of ``documents`` and term of ``terms`` (words or phrases, ``concordance.find_matches``):
    ``doc_id, term, n, words, rate_per_1000``, ``words`` the document's word tokens in ``tokens``; a row for
    every document and term (n = 0 where absent), so a group's rate is over all its documents."""
    words = word_stream(tokens)
    terms = list(dict.fromkeys(terms))
    matches = find_matches(words, terms, by=by)
    size = words.groupby(words["doc_id"].astype(str), sort=False).size()
    grid = pd.MultiIndex.from_product([documents["doc_id"].astype(str), terms], names=["doc_id", "term"])
    hits = matches.groupby([matches["doc_id"].astype(str), "query"]).size() if len(matches) else pd.Series(dtype=int)
    out = grid.to_frame(index=False).assign(n=hits.reindex(grid, fill_value=0).to_numpy(int))
    out["words"] = out["doc_id"].map(size).fillna(0).to_numpy(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["rate_per_1000"] = 1000 * out["n"] / out["words"]
    return out


def stat_term_rates(counts: pd.DataFrame, documents: pd.DataFrame, *, group=None, over_time: bool = False,
                    n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Rate per 1,000 words of each term of ``stat_term_counts`` per ``group``, or per period and group with
    ``over_time`` (``documents`` carry ``period``, as ``Study.documents`` does): the word-weighted mean of
    the documents' rates, i.e. the group's pooled rate, with a seeded cluster-bootstrap 95% interval over
    documents (``compare.stat_by_group`` / ``stat_over_time``). Columns: ``term``, the keys, the stats."""
    from .compare import stat_by_group, stat_over_time

    stat = stat_over_time if over_time else stat_by_group
    tables = [stat(part[part["words"] > 0], documents, value="rate_per_1000", weight="words", group=group,
                   n_boot=n_boot, seed=seed, unit="documents").assign(term=term)
              for term, part in counts.groupby("term", sort=False)]
    if not tables:
        return pd.DataFrame(columns=["term"])
    table = pd.concat(tables, ignore_index=True)
    return table[["term", *[c for c in table.columns if c != "term"]]]


def _found_terms(table: pd.DataFrame) -> list:
    """The terms of a ``stat_term_rates`` table with a rate above 0 in some cell, in table order."""
    peak = table.groupby("term", sort=False)["mean"].max().fillna(0)
    return peak.index[peak > 0].tolist()


def plot_term_rates(table: pd.DataFrame, *, group: str, colours: dict, period_column: str | None = None,
                    title: str = ""):
    """``plots.plot_panels`` of ``stat_term_rates``: one panel per term found (terms found in no document
    get none), per group a dot with its interval or, with ``period_column``, a line over the periods."""
    from .plots import plot_panels

    return plot_panels(table[table["term"].isin(_found_terms(table))], panel="term", group=group, colours=colours,
                       period_column=period_column, value_label="per 1,000 words", floor_zero=True,
                       title=title or "Rates of the terms of interest")


def describe_term_rates(table: pd.DataFrame, *, period_column: str | None = None) -> str:
    """Markdown, one bullet per term of ``stat_term_rates``: ``compare.describe_group_differences`` (by
    group) or ``compare.describe_trend`` (with ``period_column``), rates written by ``fmt_rate``; the
    terms found in no document listed once."""
    from .compare import describe_group_differences, describe_trend
    from .escaping import escape_md

    if table.empty:
        return "None of the terms of interest can be counted in this corpus."
    fmt = lambda rate: fmt_rate(rate).removesuffix(" per 1,000")  # noqa: E731 - the label names the unit
    found = _found_terms(table)
    lines = []
    for term, rows in table[table["term"].isin(found)].groupby("term", sort=False):
        rows = rows.drop(columns="term").reset_index(drop=True)
        label = f"rate of '{term}' per 1,000 words"
        text = (describe_trend(rows, value_label=label, period_column=period_column, fmt=fmt) if period_column
                else describe_group_differences(rows, value_label=label, fmt=fmt))
        lines.append(f"- *{escape_md(term)}*: {text}")
    absent = [t for t in dict.fromkeys(table["term"]) if t not in set(found)]
    if absent:
        lines.append(f"- Found in no document: {', '.join(f'*{escape_md(t)}*' for t in absent)}.")
    return "\n".join(lines)


#: The threshold under which a corpus is a short text for the caveats (word tokens).
SHORT_TEXT_WORDS = 20_000


def describe_term_caveats(n_words: int, *, n_documents: int, n_groups: int, bundled: bool = False) -> str:
    """The term-statistics caveats as Markdown bullets, chosen by the corpus's size and shape: small counts
    (their numbers from ``n_words``), keyness on a short text or on a corpus, the reference, form not
    meaning (the bundled article's own examples only for it), multiple testing, and groups."""
    from .findings import fmt_pct, plural

    if not n_words:
        return "- **No words.** The corpus has no word tokens, so there is nothing to qualify."
    short = n_words < SHORT_TEXT_WORDS
    lines = [f"- **Small counts.** This corpus has {plural(n_words, 'word token')} in "
             f"{plural(n_documents, 'document')}" + (" (the bundled corpus is one official statement)" if bundled else "")
             + f". A word seen 3 times has a rate of {fmt_rate(3000 / n_words)}"
             + (", and one occurrence more or less moves it by a third: collocations resting on 2 co-occurrences, "
                "n-grams seen twice and the DP of terms seen a few times describe this text and estimate nothing "
                "beyond it." if short else
                f" ({fmt_pct(3 / n_words, 4)} of the words): rare terms stay rare, so read their rates, collocations "
                "and keyness as descriptions.")]
    lines.append("- **Keyness on a short text.** Against a reference of a billion tokens, a name or technical word "
                 "seen two or three times has an expected count near zero and a very large G²; read the ranking "
                 "and the Log Ratio (an effect size) rather than the p-values (`low_expected` marks expected counts "
                 "under 5)." if short else
                 "- **Keyness on a corpus.** With this many words, G² makes even small differences significant; "
                 "the Log Ratio (an effect size: 1 = twice as frequent) says whether a difference is large enough "
                 "to matter, and the words are ranked by it.")
    lines.append("- **General English is not news English.** wordfreq blends subtitles, social media and encyclopaedic "
                 "text, so a word can be key because news prose uses it more than conversation does. For claims about "
                 "framing compare like with like: groups of this corpus (section 7) or a reference list of your own "
                 "(`read_frequency_list`).")
    lines.append("- **Form, not meaning.** Counts do not see negation, quotation (whose word it is; see notebook 03) "
                 "or synonyms"
                 + (" (*Karabakh*, *the region*, *the liberated territories* are counted apart)" if bundled else
                    " (a place, its capital and its adjective are counted apart)")
                 + "; possessive *'s* is split off and hyphenated words are one token.")
    lines.append("- **Multiple testing.** Thousands of words are tested at once; the `correction` parameter "
                 "(Benjamini-Hochberg by default) controls false discoveries"
                 + (", and on a short text it also hides real differences." if short else "."))
    if n_groups >= 2:
        lines.append(f"- **Groups.** The {n_groups} groups are compared on their own counts; rates of the terms of "
                     "interest have intervals that resample documents, so a group of a few long documents gets a "
                     "wide interval, and a group with fewer than 5 documents is marked.")
    return "\n".join(lines)


def describe_term_next_steps(*, group_column: str | None, n_groups: int, dated: bool) -> str:
    """Next steps as Markdown bullets, those that apply to this corpus (a group column, dates)."""
    lines = []
    if n_groups < 2:
        lines.append("- Set `group_column` (or give the documents a `side` or `source` column) to compare the "
                     "vocabularies of outlets or sides (sections 5 and 7).")
    if not dated:
        lines.append("- Give the documents a date (`date_column`) to follow the terms of interest over time.")
    lines += ["- Choose the actors and phrases to follow: `actors`, `key_phrases` and `dispersion_terms`; the naming "
              "and framing analysis is in notebook 03.",
              "- Use your own reference corpus: `read_frequency_list(\"my_reference.csv\")` (columns `term`, `n`) and "
              "`stat_keyness(...)` from `corpus_tools.keyness`.",
              "- Export the KWIC lines (`02-kwic.csv`) and code a sample by hand to check what the frequent words do "
              "in context."]
    return "\n".join(lines)


def describe_dispersion(dispersion: pd.DataFrame, terms) -> str:
    """Markdown on a ``stat_dispersion`` table: the most even and the most concentrated of ``terms`` by
    Gries's DP, those not found, and the caution that few occurrences bound DP."""
    from .escaping import escape_md
    from .findings import fmt_num, listing

    if dispersion.empty:
        return "None of the dispersion terms occurs in this corpus."
    ranked = dispersion.sort_values("dp", kind="stable")
    even, lumpy = ranked.iloc[0], ranked.iloc[-1]
    missing = [escape_md(t) for t in terms if t not in set(dispersion["term"])]
    return (f"**What the plot shows.** Of the chosen terms, *{escape_md(even['term'])}* is spread most evenly "
            f"(DP {fmt_num(even['dp'], 2)}, in {even['range']} of {even['parts']} parts) and "
            f"*{escape_md(lumpy['term'])}* is the most concentrated (DP {fmt_num(lumpy['dp'], 2)}, in "
            f"{lumpy['range']} of {lumpy['parts']} parts). "
            + (f"Not found: {listing(missing, quote='*')}. " if missing else "")
            + "With fewer than about ten occurrences DP mostly reflects how few there are: a term seen three "
            "times cannot be in more than three parts.")


def describe_term_event(event) -> str:
    """Markdown on ``compare.stat_event_by(counts, ..., by="term", value="rate_per_1000", weight="words")``:
    per term, each group's rate before and after the event and the change, with intervals; rates to one
    decimal (a change of a fraction of a word per 1,000 shows as 0.0)."""
    from .compare import describe_event_by

    return describe_event_by(event, by="term", value_label="rate per 1,000 words",
                             fmt=lambda x: f"{round(x, 1) + 0.0:,.1f}")  # + 0.0: no "-0.0"


def describe_top_terms(word_freq: pd.DataFrame, lemma_freq: pd.DataFrame, *, n_docs: int, top_n: int = 15) -> str:
    """Markdown on ``stat_frequency`` lists of word forms and lemmas: the three most frequent content words
    with count and rate, the share used once, the lemmas whose count exceeds their base form's (forms
    merged), and with several documents the share of documents holding the top word."""
    from .escaping import escape_md
    from .findings import fmt_num, fmt_pct, listing, plural

    if word_freq.empty:
        return "No content words to count."
    top3 = word_freq.head(3)
    merged = lemma_freq.head(top_n).merge(word_freq[["term", "n"]], on="term", how="left", suffixes=("", "_form"))
    gained = merged[merged["n"] > merged["n_form"].fillna(0)]
    text = ("**What the chart shows.** The most frequent content words are "
            + listing([f"*{escape_md(t)}* ({fmt_num(n)}; {fmt_rate(r)})"
                       for t, n, r in zip(top3["term"], top3["n"], top3["rate_per_1000"])])
            + f". The list has {plural(len(word_freq), 'distinct content word')}, "
            f"{fmt_pct((word_freq['n'] == 1).mean())} of them used once only. "
            + (f"Lemmatising merges forms for {listing([f'*{escape_md(t)}*' for t in gained['term']], limit=6)} "
               "(their lemma count exceeds the count of the base form)." if len(gained)
               else "Lemmatising changes no count in the top list."))
    if n_docs > 1:
        text += (f"\n\nAcross {plural(n_docs, 'document')}, the top word *{escape_md(top3['term'].iloc[0])}* "
                 f"appears in {fmt_pct(top3['doc_share'].iloc[0])} of them; `doc_freq` in the table below shows "
                 "whether a frequent word is common to the corpus or the habit of a few documents.")
    return text


def describe_ngrams(bigrams: pd.DataFrame, trigrams: pd.DataFrame) -> str:
    """Markdown on ``stat_ngrams`` tables: how many repeat, and the most frequent of each length."""
    from .escaping import escape_md
    from .findings import fmt_num, plural

    if bigrams.empty and trigrams.empty:
        return "No bigram or trigram occurs twice in this corpus: nothing to chart."
    return (f"**What the chart shows.** {plural(len(bigrams), 'bigram')} and {plural(len(trigrams), 'trigram')} "
            "occur at least twice. "
            + (f"The most frequent bigram is *{escape_md(bigrams['term'].iloc[0])}* "
               f"({fmt_num(bigrams['n'].iloc[0])} times)" if len(bigrams) else "No bigram repeats")
            + (f"; the most frequent trigram is *{escape_md(trigrams['term'].iloc[0])}* "
               f"({fmt_num(trigrams['n'].iloc[0])})." if len(trigrams) else "; no trigram repeats."))
