"""Collocation: which words keep company with a node word, or with each other.

Co-occurrence is counted within a window of word tokens (punctuation not
counted) that never crosses a sentence boundary, as surface co-occurrence
(Evert 2008, *Corpora and collocations*, §3.1): a collocate token inside the
windows of several node occurrences (close nodes, overlapping windows) is
counted once, so ``O11 <= f(y)``. For a pair (node or first word ``x``,
collocate ``y``) the 2x2 table has ``O11`` = co-occurrences, ``R1`` = the
node's window positions, ``C1 = f(y)``, ``N`` = word tokens in the corpus.
``R1`` is ``f(x) x span`` (``expected='span'``: Evert's §4.1 ``E = k f1 f2 / N``
with span size ``k``, as in AntConc) or the tokens actually inside the union of
the node's windows, which sentence ends and overlaps shorten (``expected='window'``,
Evert's §5.1 table). ``E11 = R1 * C1 / N``. Every cell of the table is >= 0 with
``'window'``; with ``'span'`` the last one (and so chi2 and G2, then NaN) only goes
negative if ``k f(x) > N - f(y) + O11``, a node filling a tiny corpus. Measures:

* ``pmi``: pointwise mutual information ``log2(O11 / E11)`` (Church & Hanks 1990);
* ``t_score``: ``(O11 - E11) / sqrt(O11)`` (Church et al. 1991);
* ``chi2``: Pearson's chi-square over the 2x2 table (no Yates correction);
* ``g2``: Dunning's (1993) log-likelihood over the 2x2 table, with ``p_value``;
* ``log_dice``: Rychly (2008), ``14 + log2(2 O11 / (f(x) + f(y)))``: at most 14
  for adjacent pairs; with a span of ``k`` positions ``O11`` can reach
  ``min(f(y), k f(x))``, so up to ``14 + log2(2k / (k + 1))`` (14.68 at k = 4,
  below 15 always); independent of corpus size.

``low_expected`` flags tables with an expected count below 5. With adjacent
pairs (``stat_pair_associations``, ``window=1``) the values equal NLTK's
``BigramAssocMeasures`` (pmi, student_t, chi_sq, likelihood_ratio; logDice
from dice) on the same sentences (tested). With a span of ``k > 1`` positions
they do not: NLTK's ``BigramCollocationFinder`` divides the pair count by ``k``
and keeps ``f(x)`` as the row total, where this module keeps ``O11`` and uses
Evert's span-adjusted ``R1 = k f(x)``; where no collocate token is counted
twice by NLTK, PMI is the same, the t-score is ``sqrt(k)`` times NLTK's
``student_t`` and logDice is ``14 + log2(k x NLTK's dice)`` (tested); chi2
and G2 come from different tables.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .association import MIN_EXPECTED, chi_square, expected_counts, log_likelihood, p_from_statistic
from .concordance import find_matches, word_stream
from .frequency import document_codes, take_column

MEASURES = ["pmi", "t_score", "chi2", "g2", "log_dice"]
COLLOCATE_COLUMNS = ["node", "collocate", "o11", "e11", "f_node", "f_collocate", "r1", "n",
                     *MEASURES, "p_value", "low_expected"]
_MEASURE_LABELS = {"log_dice": "logDice", "pmi": "PMI (log2 O/E)", "t_score": "t-score", "g2": "G2"}
PAIR_COLUMNS = ["w1", "w2", "o11", "e11", "f_w1", "f_w2", "r1", "n", *MEASURES, "p_value", "low_expected"]


def score_association(o11, r1, c1, n, f1, f2) -> pd.DataFrame:
    """Every association measure for co-occurrence ``o11`` given ``r1`` (window positions
    of x), ``c1 = f(y)``, ``n`` (tokens), and ``f1``/``f2`` (frequencies of x and y, for logDice)."""
    o11, r1, c1, n, f1, f2 = (np.asarray(v, dtype=float) for v in np.broadcast_arrays(o11, r1, c1, n, f1, f2))
    cells = (o11, r1 - o11, c1 - o11, n - r1 - c1 + o11)
    expected = expected_counts(*cells)
    valid = np.all([c >= 0 for c in cells], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = np.where(valid, log_likelihood(cells, expected), np.nan)
        return pd.DataFrame({
            "o11": o11, "e11": expected[0], "r1": r1, "n": n,
            "pmi": np.log2(o11 / expected[0]),
            "t_score": (o11 - expected[0]) / np.sqrt(o11),
            "chi2": np.where(valid, chi_square(cells, expected), np.nan),
            "g2": g2,
            "log_dice": 14 + np.log2(2 * o11 / (f1 + f2)),
            "p_value": p_from_statistic(g2),
            "low_expected": np.min(expected, axis=0) < MIN_EXPECTED,
        })


def stat_collocates(tokens: pd.DataFrame, node, *, window=(5, 5), by: str = "lower", regex: bool = False,
                    min_count: int = 1, drop_stopwords: bool = True, expected: str = "span") -> pd.DataFrame:
    """Collocates of ``node`` (a word or phrase, or a list; see ``concordance.find_matches``)
    within ``window = (left, right)`` word tokens of it, in the same sentence.

    Words inside a phrase node are not its collocates. ``drop_stopwords``
    removes stopword collocates from the result (they still count in ``N``).
    Columns ``node, collocate, o11, e11, f_node, f_collocate, r1, n``, the
    measures, ``p_value``, ``low_expected``; sorted by node, then log_dice.
    """
    left, right = window
    if expected not in {"span", "window"} or left < 0 or right < 0 or left + right == 0:
        raise ValueError("window needs non-negative (left, right), not both 0; expected is 'span' or 'window'")
    words = word_stream(tokens)
    matches = find_matches(words, node, by=by, regex=regex)
    if matches.empty:
        return pd.DataFrame(columns=COLLOCATE_COLUMNS)
    codes, vocabulary = pd.factorize(words[by])
    freq = np.bincount(codes)
    sentence = _sentence_ids(words)
    stop = words["is_stop"].to_numpy()
    tables = []
    for query, hits in matches.groupby("query", sort=False):
        first, last = hits["first"].to_numpy(), hits["last"].to_numpy()
        positions = [_shifted(first, -off, sentence)[0] for off in range(1, left + 1)]
        positions += [_shifted(last, off, sentence)[0] for off in range(1, right + 1)]
        inside = np.unique(np.concatenate(positions))  # each token once, however many windows hold it
        o11 = np.bincount(codes[inside], minlength=len(vocabulary))
        y = np.flatnonzero(o11 >= max(min_count, 1))
        if drop_stopwords:
            y = y[~_type_stop(codes, stop, len(vocabulary))[y]]
        f_node = len(hits)
        r1 = f_node * (left + right) if expected == "span" else len(inside)
        scored = score_association(o11[y], r1, freq[y], len(words), f_node, freq[y])
        scored.insert(0, "collocate", vocabulary.to_numpy()[y])
        scored.insert(0, "node", query)
        scored["f_node"], scored["f_collocate"] = f_node, freq[y]
        tables.append(scored[COLLOCATE_COLUMNS])
    out = pd.concat(tables, ignore_index=True)
    return out.sort_values(["node", "log_dice", "o11", "collocate"], ascending=[True, False, False, True],
                           kind="stable").reset_index(drop=True)


def stat_pair_associations(tokens: pd.DataFrame, *, window: int = 1, by: str = "lower", min_count: int = 1,
                           drop_stopwords: bool = False) -> pd.DataFrame:
    """Association of every ordered word pair ``(w1, w2)`` with ``w2`` within ``window``
    tokens right of ``w1`` in the same sentence (``window=1``: adjacent pairs).

    A ``w2`` token counts once however many ``w1`` tokens precede it in the window.
    Marginals are the words' corpus frequencies and ``R1 = f(w1) x window``,
    so for ``window=1`` the values equal NLTK's ``BigramCollocationFinder`` over
    the sentences (for wider windows see the module notes). ``drop_stopwords``
    removes pairs with a stopword from the result only. Sorted by g2.
    """
    words = word_stream(tokens)
    if window < 1 or len(words) < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    counted, codes, vocabulary = _pair_codes(words, window, by)
    size = len(vocabulary)
    counted = counted[counted >= max(min_count, 1)]
    w1, w2 = counted.index.to_numpy() // size, counted.index.to_numpy() % size
    if drop_stopwords:
        stop = _type_stop(codes, words["is_stop"].to_numpy(), size)
        keep = ~(stop[w1] | stop[w2])
        counted, w1, w2 = counted[keep], w1[keep], w2[keep]
    freq, names = np.bincount(codes), vocabulary.to_numpy()
    return _pair_table(names[w1], names[w2], counted.to_numpy(), freq[w1], freq[w2], len(words), window)


def count_pairs(tokens: pd.DataFrame, *, window: int = 1, by: str = "lower") -> pd.DataFrame:
    """Raw co-occurrence counts ``w1, w2, o11`` of ``stat_pair_associations`` (every pair, no filter).

    Pairs never cross a sentence, so counts of disjoint sets of documents add up
    exactly; with the word frequencies and the word total they are the sufficient
    statistics of ``score_pair_counts``.
    """
    words = word_stream(tokens[[c for c in dict.fromkeys(["doc_id", "sent_id", by, "is_punct"]) if c in tokens]])
    if window < 1 or len(words) < 2:
        return pd.DataFrame({"w1": pd.Series(dtype=object), "w2": pd.Series(dtype=object),
                             "o11": pd.Series(dtype=np.int64)})
    counted, _, vocabulary = _pair_codes(words, window, by)
    size, names = len(vocabulary), vocabulary.to_numpy()
    keys = counted.index.to_numpy()
    return pd.DataFrame({"w1": take_column(names, keys // size), "w2": take_column(names, keys % size),
                         "o11": counted.to_numpy()})


def score_pair_counts(pairs, frequencies: pd.Series, n_words: int, *, window: int = 1,
                      min_count: int = 1) -> pd.DataFrame:
    """``stat_pair_associations`` from summed ``count_pairs`` tables: ``frequencies`` maps each
    word to its corpus frequency, ``n_words`` is the corpus' word-token count. ``pairs`` may be an
    iterable of tables holding disjoint pairs (partitions): each is scored on its own, so temporaries
    stay the size of one, and the rows are sorted once."""
    scored = []
    for part in [pairs] if isinstance(pairs, pd.DataFrame) else pairs:  # a generator's parts are freed in turn
        part = part[part["o11"] >= max(min_count, 1)]
        if len(part) and window >= 1:
            scored.append(_scored_pairs(part["w1"].to_numpy(), part["w2"].to_numpy(), part["o11"].to_numpy(),
                                        frequencies.reindex(part["w1"]).to_numpy(),
                                        frequencies.reindex(part["w2"]).to_numpy(), n_words, window))
    if not scored:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    table = pd.concat(scored, ignore_index=True) if len(scored) > 1 else scored[0]
    del scored
    return _in_pair_order(table)


def _pair_codes(words: pd.DataFrame, window: int, by: str):
    """``(counts indexed by w1_code * size + w2_code, word codes, vocabulary)`` for pairs within ``window``."""
    codes, vocabulary = pd.factorize(words[by])
    size = len(vocabulary)
    sentence = _sentence_ids(words)
    everywhere = np.arange(len(codes))
    keys = []
    for off in range(1, window + 1):
        j, i = _shifted(everywhere, off, sentence)
        nearest = np.ones(len(j), dtype=bool)
        for closer in range(1, off):  # w2 at j counts once for w1: at its nearest w1 on the left
            nearest &= codes[j - closer] != codes[i]
        keys.append(codes[i[nearest]].astype(np.int64) * size + codes[j[nearest]])
    return pd.Series(np.concatenate(keys)).value_counts(sort=False), codes, vocabulary


def _pair_table(w1, w2, o11, f1, f2, n_words: int, window: int) -> pd.DataFrame:
    """``PAIR_COLUMNS`` for pairs with their counts and marginals, sorted by g2 (then w1, w2)."""
    return _in_pair_order(_scored_pairs(w1, w2, o11, f1, f2, n_words, window))


def _scored_pairs(w1, w2, o11, f1, f2, n_words: int, window: int) -> pd.DataFrame:
    scored = score_association(o11, f1 * window, f2, n_words, f1, f2)
    scored.insert(0, "w2", w2)
    scored.insert(0, "w1", w1)
    scored["f_w1"], scored["f_w2"] = f1, f2
    return scored[PAIR_COLUMNS]


def _in_pair_order(scored: pd.DataFrame) -> pd.DataFrame:
    return scored.sort_values(["g2", "w1", "w2"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


def _sentence_ids(words: pd.DataFrame) -> np.ndarray:
    """One integer per sentence of the corpus, for each word position."""
    docs = document_codes(words["doc_id"])[0]
    changes = (np.diff(docs) != 0) | (np.diff(words["sent_id"].to_numpy()) != 0)
    return np.cumsum(np.r_[0, changes])


def _shifted(anchor: np.ndarray, off: int, sentence: np.ndarray):
    """``(anchor + off, anchor)`` for the anchors whose shifted position is in their sentence."""
    target = anchor + off
    ok = (target >= 0) & (target < len(sentence))
    ok[ok] = sentence[target[ok]] == sentence[anchor[ok]]
    return target[ok], anchor[ok]


def _type_stop(codes: np.ndarray, stop: np.ndarray, size: int) -> np.ndarray:
    flags = np.zeros(size, dtype=bool)
    flags[codes[stop]] = True
    return flags


def plot_collocates(table: pd.DataFrame, *, nodes=None, measure: str = "log_dice", n: int = 8,
                    title: str = ""):
    """One panel per node (``nodes``, default those in ``table``): its top ``n`` collocates
    by ``measure``, labelled with observed / expected co-occurrences (O11 / E11). Bounded whatever
    the input: at most ``plots.MAX_FIGURE_PANELS`` panels (the first nodes) and
    ``config.MAX_FIGURE_ITEMS`` bars a panel, as many as fit ``config.MAX_FIGURE_INCHES`` down the figure;
    titles say how many nodes and collocates were left out."""
    from . import config
    from .plots import MAX_FIGURE_PANELS, PALETTE, capped, new_figure, shown_of

    every = list(dict.fromkeys(table["node"] if nodes is None else nodes)) or ["(no node given)"]
    nodes = every[:MAX_FIGURE_PANELS]
    cols = min(2, len(nodes))
    n_rows = -(-len(nodes) // cols)
    n = max(0, min(n, config.MAX_FIGURE_ITEMS, int(((config.MAX_FIGURE_INCHES - 0.3) / n_rows - 1.0) / 0.26)))
    per_node = table["node"].value_counts()
    rows_per = max([min(n, int(per_node.get(v, 0))) for v in nodes] + [1])
    fig, axes = new_figure(capped(3.6 * cols + 0.6, n_rows * (0.26 * rows_per + 1.0) + 0.3), nrows=n_rows,
                           ncols=cols, squeeze=False)
    for ax in axes.flat[len(nodes):]:
        ax.set_axis_off()
    for i, (ax, node) in enumerate(zip(axes.flat, nodes)):
        top = table[table["node"] == node].sort_values(measure, ascending=False).head(n).iloc[::-1]
        y = np.arange(len(top)) + rows_per - len(top)  # bars from the top of the panel
        ax.barh(y, top[measure], color=PALETTE[i % len(PALETTE)])
        ax.set_yticks(y, top["collocate"])
        for at, v, o, e in zip(y, top[measure], top["o11"], top["e11"]):
            ax.text(v, at, f" {int(o)}/{e:.2f}", va="center", fontsize=7.5)
        ax.set_title(f"“{node}”" + shown_of(len(top), int(per_node.get(node, 0)), how="top"), fontsize=10)
        ax.set_xlabel(_MEASURE_LABELS.get(measure, measure))
        ax.set_ylim(-0.6, rows_per - 0.4)
        ax.grid(axis="y", visible=False)
        if measure == "log_dice":
            ax.set_xlim(0, 17)
        else:
            ax.margins(x=0.28)
        if top.empty:
            ax.text(0.5, 0.5, "no collocate listed", ha="center", va="center", transform=ax.transAxes,
                    color="0.4")
            ax.set_yticks([])
    fig.suptitle((title or "Collocates (labels: observed / expected co-occurrences)")
                 + shown_of(len(nodes), len(every), "nodes"), x=0.02, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def stat_collocates_by_group(tokens: pd.DataFrame, node, documents: pd.DataFrame, *, group: str = "group",
                             **options) -> pd.DataFrame:
    """``stat_collocates`` within each group's documents (``group``: a column of ``documents``, e.g.
    ``Study.documents``' ``group``), so each group's measures come from its own counts; ``group`` first.
    ``options``: those of ``stat_collocates``."""
    labels = tokens["doc_id"].map(documents.set_index("doc_id")[group])
    tables = [stat_collocates(part, node, **options).assign(**{group: name})
              for name, part in tokens.groupby(labels, sort=True)]
    tables = [t for t in tables if len(t)]
    if not tables:
        return pd.DataFrame(columns=[group, *COLLOCATE_COLUMNS])
    table = pd.concat(tables, ignore_index=True)
    return table[[group, *[c for c in table.columns if c != group]]]


def describe_collocates_by_group(table: pd.DataFrame, nodes, *, group: str = "group", n: int = 3) -> str:
    """Markdown, one bullet per node: each group's ``n`` strongest collocates by logDice with their
    observed co-occurrences, and the groups where the node has none, so the groups are never pooled."""
    from .escaping import escape_md
    from .findings import fmt_num, listing

    groups = sorted(set(table[group].astype(str))) if len(table) else []
    lines = []
    for node in nodes:
        rows = table[table["node"] == node]
        parts = []
        for name in groups:
            top = rows[rows[group].astype(str) == name].sort_values("log_dice", ascending=False, kind="stable").head(n)
            parts.append(f"**{escape_md(name)}** " + (listing([f"*{escape_md(c)}* ({fmt_num(o)})" for c, o in
                                                                zip(top["collocate"], top["o11"])]) if len(top) else "none"))
        lines.append(f"- *{escape_md(node)}*: " + ("; ".join(parts) if len(rows) else "no collocate in any group") + ".")
    return ("**Collocates within each group** (strongest by logDice, observed co-occurrences in brackets):\n\n"
            + "\n".join(lines))


def describe_collocates(collocates: pd.DataFrame, nodes, *, min_count: int) -> str:
    """Markdown on a ``stat_collocates`` table: per node its occurrences and four strongest collocates
    (observed, expected, logDice), the nodes without one, and the share of pairs whose expected count is
    under 5 (where G²'s p-value is unreliable)."""
    from .escaping import escape_md
    from .findings import fmt_num, fmt_pct, listing, plural

    lines = []
    for node in nodes:
        rows = collocates[collocates["node"] == node]
        if rows.empty:
            lines.append(f"- *{escape_md(node)}*: no collocate co-occurs {min_count} or more times.")
            continue
        top = rows.head(4)
        lines.append(f"- *{escape_md(node)}* ({plural(int(rows['f_node'].iloc[0]), 'occurrence')}): "
                     + listing([f"*{escape_md(c)}* (O = {fmt_num(o)}, E = {fmt_num(e, 2)}, logDice {fmt_num(d, 1)})"
                                for c, o, e, d in zip(top["collocate"], top["o11"], top["e11"], top["log_dice"])])
                     + ".")
    low = collocates["low_expected"].mean() if len(collocates) else float("nan")
    return ("**What the chart shows.**\n\n" + "\n".join(lines)
            + (f"\n\n{fmt_pct(low)} of the listed pairs have an expected count below 5, where the p-value of G² "
               "is unreliable; treat them as descriptions of this corpus, not as tested associations."
               if len(collocates) else ""))
