"""Keyness: which terms a target uses unusually often (or rarely) against a reference.

For a term with frequency ``a`` in a target of ``c`` tokens and ``b`` in a
reference of ``d`` tokens (``N = c + d``), expected counts are
``E1 = c (a + b) / N`` and ``E2 = d (a + b) / N``, and (as in the UCREL
log-likelihood and effect-size calculator, Rayson; AntConc; quanteda):

* ``g2``: log-likelihood, Rayson & Garside's (2000) two-term form
  ``G2 = 2 (a ln(a/E1) + b ln(b/E2))``, the form of the UCREL calculator and
  WordSmith; ``g2_4term``: Dunning's (1993) form over all four cells of the
  2x2 table (adds the "all other words" cells; a little larger);
* ``chi2``: Pearson's chi-square over the four cells, no Yates correction;
* ``log_ratio``: Hardie (2014), ``log2((a/c) / (b/d))``, the binary log of
  the ratio of relative frequencies (1 = twice as frequent). A zero count is
  replaced by 0.5 before the ratio is taken (as in the UCREL calculator and
  CQPweb), so the value stays finite; rows where that happened are flagged in
  ``zero_adjusted``;
* ``pct_diff``: Gabrielatos & Marchi (2012), ``100 (a/c - b/d) / (b/d)``; a
  zero reference frequency is replaced by 1e-18 (their convention), which
  gives a huge, deliberately unreadable value;
* ``bic``: Wilson (2013), ``G2 - ln N`` (one degree of freedom); above 2 is
  positive, above 6 strong, above 10 very strong evidence;
* ``p_value`` from ``g2`` (chi-square, 1 df) and ``p_adjusted`` after an
  optional correction (Benjamini-Hochberg ``'bh'`` or ``'bonferroni'``) over
  the rows of the table (per group in ``stat_keyness_groups``);
* ``direction``: ``'over'`` when ``a/c > b/d``, ``'under'`` when lower;
  ``keyness`` is ``g2`` with that sign (quanteda's convention);
* ``low_expected``: an expected count (``E1`` or ``E2``) is below 5, where
  the chi-square approximation behind the p-value is poor.

References are frequency tables (``term, n``): another document or group of
the corpus (``stat_frequency``), a user's list (``read_frequency_list``), or
general English from the ``wordfreq`` package (``reference_general_english``).
"""
from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from .association import MIN_EXPECTED, adjust_p, chi_square, expected_counts, log_likelihood, p_from_statistic
from .frequency import stat_frequency

KEYNESS_COLUMNS = ["term", "n_target", "n_reference", "rate_target", "rate_reference",
                   "expected_target", "expected_reference", "direction", "keyness", "g2", "g2_4term",
                   "chi2", "log_ratio", "pct_diff", "bic", "p_value", "p_adjusted", "low_expected",
                   "zero_adjusted"]
#: Nominal size (tokens) that turns wordfreq's proportions into reference counts.
GENERAL_ENGLISH_SIZE = 1_000_000_000
LOG_RATIO_ZERO = 0.5
PCT_DIFF_ZERO = 1e-18


def score_keyness(a, b, c, d) -> pd.DataFrame:
    """Every keyness statistic for frequencies ``a`` (target of ``c`` tokens) and
    ``b`` (reference of ``d`` tokens); arrays of equal length, element-wise."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in np.broadcast_arrays(a, b, c, d))
    e11, e12, e21, e22 = expected_counts(a, b, c - a, d - b)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_a, rate_b = a / c, b / d
        g2 = log_likelihood((a, b), (e11, e12))
        log_ratio = np.log2((np.where(a == 0, LOG_RATIO_ZERO, a) / c)
                            / (np.where(b == 0, LOG_RATIO_ZERO, b) / d))
        pct_diff = 100 * (rate_a - rate_b) / np.where(rate_b == 0, PCT_DIFF_ZERO, rate_b)
    sign = np.sign(rate_a - rate_b)
    return pd.DataFrame({
        "n_target": a, "n_reference": b,
        "rate_target": 1000 * rate_a, "rate_reference": 1000 * rate_b,
        "expected_target": e11, "expected_reference": e12,
        "direction": np.where(sign > 0, "over", np.where(sign < 0, "under", "equal")),
        "keyness": sign * g2, "g2": g2,
        "g2_4term": log_likelihood((a, b, c - a, d - b), (e11, e12, e21, e22)),
        "chi2": chi_square((a, b, c - a, d - b), (e11, e12, e21, e22)),
        "log_ratio": log_ratio, "pct_diff": pct_diff,
        "bic": g2 - np.log(c + d),
        "p_value": p_from_statistic(g2),
        "low_expected": np.minimum(e11, e12) < MIN_EXPECTED,
        "zero_adjusted": (a == 0) | (b == 0),
    })


def stat_keyness(target: pd.DataFrame, reference: pd.DataFrame, *, target_total: float | None = None,
                 reference_total: float | None = None, correction: str | None = None,
                 exclude=None, min_expected: float = 1.0) -> pd.DataFrame:
    """Keyness of every term of ``target`` against ``reference`` (both ``term, n`` tables).

    Totals default to the sum of ``n`` of each table; pass them when a table
    lists only some terms. Terms found only in the reference are kept when
    their expected target count is at least ``min_expected``: below that even
    complete absence is no evidence of under-use (G2 is then about 2E < 3.84).
    ``exclude`` (e.g. stopwords) drops terms after the totals are taken and
    before the multiple-testing correction. Sorted by ``keyness``, largest first.
    """
    a = _counts(target, "target")
    b = _counts(reference, "reference")
    c = float(a.sum()) if target_total is None else float(target_total)
    d = float(b.sum()) if reference_total is None else float(reference_total)
    if a.empty or c <= 0 or d <= 0:
        return _empty()
    joined = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="outer").fillna(0.0)
    keep = (joined["a"] > 0) | (c * joined["b"] / (c + d) >= min_expected)
    if exclude is not None:
        keep &= ~joined.index.isin(list(exclude))
    joined = joined[keep]
    table = score_keyness(joined["a"].to_numpy(), joined["b"].to_numpy(), c, d)
    table.insert(0, "term", joined.index.to_numpy())
    table["p_adjusted"] = adjust_p(table["p_value"], correction)
    return _sorted(table[KEYNESS_COLUMNS])


def stat_keyness_groups(tokens: pd.DataFrame, *, group: str, documents: pd.DataFrame | None = None,
                        by: str = "lower", correction: str | None = None, exclude=None,
                        min_expected: float = 1.0) -> pd.DataFrame:
    """Keyness of each value of ``group`` (a tokens or documents column) against the
    rest of the corpus: one ``stat_keyness`` per group, computed in one pass."""
    counts = stat_frequency(tokens, by=by, group=group, documents=documents)
    return stat_keyness_group_counts(counts, group=group, correction=correction, exclude=exclude,
                                     min_expected=min_expected)


def stat_keyness_group_counts(counts: pd.DataFrame, *, group: str, correction: str | None = None, exclude=None,
                              min_expected: float = 1.0) -> pd.DataFrame:
    """``stat_keyness_groups`` from counts already made: a ``group, term, n`` table
    (``stat_frequency(..., group=group)``, or the engine's ``group_frequency``)."""
    if not {group, "term", "n"} <= set(counts.columns):
        raise ValueError(f"counts must have columns {group!r}, 'term' and 'n'")
    if counts.empty or counts[group].nunique(dropna=False) < 2:
        return _empty([group])
    term_total = counts.groupby("term", sort=False)["n"].sum().sort_values(ascending=False)
    group_total = counts.groupby(group, sort=False, dropna=False)["n"].sum()
    n_all = float(group_total.sum())
    # Absent terms worth testing: those with an expected count >= min_expected in the group.
    needed = (min_expected * n_all / group_total.to_numpy()).astype(float)
    n_candidates = np.searchsorted(-term_total.to_numpy(dtype=float), -needed, side="right")
    absent = pd.DataFrame({
        group: np.repeat(group_total.index.to_numpy(), n_candidates),
        "term": term_total.index.to_numpy()[np.concatenate([np.arange(k) for k in n_candidates])],
    })
    long = pd.concat([counts[[group, "term", "n"]], absent], ignore_index=True)
    long = long.drop_duplicates([group, "term"], keep="first").rename(columns={"n": "a"}).fillna({"a": 0})
    if exclude is not None:
        long = long[~long["term"].isin(list(exclude))].reset_index(drop=True)
    long["total"] = long["term"].map(term_total)
    c = long[group].map(group_total).to_numpy(dtype=float)
    a = long["a"].to_numpy(dtype=float)
    table = score_keyness(a, long["total"].to_numpy(dtype=float) - a, c, n_all - c)
    table.insert(0, "term", long["term"].to_numpy())
    table.insert(0, group, long[group].to_numpy())
    table["p_adjusted"] = table.groupby(group, dropna=False)["p_value"].transform(
        lambda p: adjust_p(p.to_numpy(), correction))
    return _sorted(table[[group, *KEYNESS_COLUMNS]], first=group)


@functools.lru_cache(maxsize=2)
def _general_english(wordlist: str) -> pd.Series:
    """wordfreq's proportions re-counted with the corpus tokeniser (``segment.TOKEN_PATTERN``): an
    entry the corpus would split (``it's`` -> ``it`` + ``'s``) adds its proportion to each of its word
    tokens; index the word forms, values proportions (summing to about the tokens per wordfreq token)."""
    import wordfreq

    from .segment import TOKEN_PATTERN, tokenize_many

    listed = wordfreq.get_frequency_dict("en", wordlist)
    forms = list(listed)
    share = np.fromiter(listed.values(), float, len(forms))
    whole = np.fromiter((TOKEN_PATTERN.fullmatch(f) is not None for f in forms), bool, len(forms))
    split = [f for f, w in zip(forms, whole) if not w]
    tokens, _, per_entry = tokenize_many(split)
    counted = pd.concat([pd.Series(share[whole], index=np.asarray(forms, dtype=object)[whole]),
                         pd.Series(np.repeat(share[~whole], per_entry), index=tokens, dtype=float)])
    counted = counted[_wordlike(counted.index.to_series())]
    return counted.groupby(level=0, sort=False).sum()


def reference_general_english(*, size: float = GENERAL_ENGLISH_SIZE, wordlist: str = "best") -> pd.DataFrame:
    """General English as a ``term, n`` table, offline, from the ``wordfreq`` package, counted with the
    corpus's tokenisation.

    What it is: wordfreq's (Speer 2022, v3) English word frequencies, a blend
    of Wikipedia, subtitles (OpenSubtitles, SUBTLEX), news (NewsCrawl, GlobalVoices),
    books (Google Books), web text (OSCAR), Twitter and Reddit, up to 2021,
    lower-cased, listing words with a frequency of at least 1e-8 (``'best'`` =
    the 'large' list). wordfreq ships proportions, not counts: they become
    counts here as ``proportion x size`` with a nominal ``size`` (default one
    billion tokens; stated, not measured). The choice of ``size`` changes G2,
    p-values and BIC (a larger reference makes the test closer to a one-sample
    test against fixed proportions) but not Log Ratio or %DIFF.
    wordfreq keeps clitics on their word (``it's``, ``azerbaijan's``); the corpus tokeniser splits them
    off, so each such entry is counted as its parts (``it`` and ``'s``) and the entry itself, which the
    corpus can never contain, is no term. Word forms only (a letter, not a split-off clitic).
    """
    counted = _general_english(wordlist)
    return pd.DataFrame({"term": counted.index.to_numpy(), "n": counted.to_numpy() * size})


def comparable_forms(terms) -> pd.Series:
    """Per corpus term, the form it has in wordfreq's tokenisation (curly apostrophe made straight), or
    NA when wordfreq's tokeniser cannot produce it as one token (hyphenated compounds: ``can-do`` is
    ``can`` + ``do`` there; dotted abbreviations; numbers; split-off clitics): such terms have no
    general-English count, so they are left out of the comparison and of its totals."""
    import wordfreq

    terms = pd.Series(terms, dtype=object)
    forms = terms.astype(str).str.replace("’", "'", regex=False)
    single = [wordfreq.tokenize(f, "en") == [f] for f in forms]
    return forms.where(np.asarray(single, dtype=bool) & _wordlike(terms))


def stat_keyness_general_english(target: pd.DataFrame, *, group=None, include_stopwords: bool = False,
                                 stopwords=None, size: float = GENERAL_ENGLISH_SIZE,
                                 correction: str | None = None, exclude=None,
                                 min_expected: float = 1.0) -> pd.DataFrame:
    """Keyness of a ``term, n`` table (lower-cased word forms; with ``group``, one per value of that
    column, each against general English with its own counts and totals) against
    ``reference_general_english``.

    Compared on the forms both tokenisations produce (``comparable_forms``): terms outside them leave
    the counts and the totals on both sides, so neither ``it's`` (split by the corpus) nor ``can-do``
    (split by wordfreq) can show as a difference. Content words by default: stopwords (``stopwords``,
    else ``segment.bundled_stopwords``) are tested only with ``include_stopwords``; they stay in the
    totals either way, as do ``exclude``'s terms."""
    from .segment import bundled_stopwords

    keys = [] if group is None else [group] if isinstance(group, str) else list(group)
    reference = reference_general_english(size=size)
    dropped = set(exclude or ()) | (set() if include_stopwords else set(stopwords or bundled_stopwords()))
    forms = comparable_forms(target["term"].unique())
    form_of = pd.Series(forms.to_numpy(), index=target["term"].unique())
    counts = target.assign(term=target["term"].map(form_of)).dropna(subset=["term"])
    parts = counts.groupby(keys, sort=True, dropna=False) if keys else [((), counts)]
    tables = [stat_keyness(part[["term", "n"]], reference, correction=correction, exclude=dropped,
                           min_expected=min_expected).pipe(_with_keys, keys, key)
              for key, part in parts]
    return pd.concat(tables, ignore_index=True) if tables else _empty(keys)


def _with_keys(table: pd.DataFrame, keys: list[str], values) -> pd.DataFrame:
    """``table`` with the group columns ``keys`` set to ``values`` in front."""
    values = values if isinstance(values, tuple) else (values,)
    return pd.concat([pd.DataFrame({k: [v] * len(table) for k, v in zip(keys, values)}), table], axis=1)


def read_frequency_list(path: str | Path, *, term_column: str = "term", count_column: str = "n",
                        lower: bool = True) -> pd.DataFrame:
    """A user's frequency list (CSV, or TSV by suffix) as a ``term, n`` table.

    Counts must be non-negative numbers; repeated terms are summed (after
    lower-casing when ``lower``). Errors name the file, line and problem.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: frequency list not found")
    table = pd.read_csv(path, sep="\t" if path.suffix == ".tsv" else ",", dtype=str, keep_default_na=False)
    for column in (term_column, count_column):
        if column not in table.columns:
            raise ValueError(f"{path}: no column {column!r} (columns: {', '.join(table.columns)})")
    n = pd.to_numeric(table[count_column], errors="coerce")
    bad = n.isna() | (n < 0) | (table[term_column].str.strip() == "")
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise ValueError(f"{path}, line {line}: need a term and a non-negative count in "
                         f"{count_column!r}, got {table.iloc[line - 2].to_dict()}")
    terms = table[term_column].str.strip()
    terms = terms.str.lower() if lower else terms
    return pd.DataFrame({"term": terms, "n": n}).groupby("term", as_index=False, sort=False)["n"].sum()


def plot_keyness(table: pd.DataFrame, *, n: int = 12, value: str = "log_ratio", alpha: float = 0.05,
                 title: str = "", ax=None, colours=None, legend: bool = True):
    """Diverging bars: the ``n`` strongest over-used and under-used terms by ``keyness``,
    bar length ``value``, the term's count in the target in brackets. Solid = p_adjusted < ``alpha``;
    pale = not significant; hatched = an expected count below 5 (p-value unreliable). ``colours``:
    ``(over, under)`` bar colours (default blue and vermilion). At most ``config.MAX_FIGURE_ITEMS``
    bars (half each way; the title says how many terms were left out), at most
    ``config.MAX_FIGURE_INCHES`` high."""
    from . import config
    from .plots import PALETTE, capped, new_figure, shown_of

    n = max(0, min(n, config.MAX_FIGURE_ITEMS // 2))
    ranked = table.sort_values("g2", ascending=False)
    over = ranked[ranked["direction"] == "over"].head(n)
    under = ranked[ranked["direction"] == "under"].head(n)
    shown = pd.concat([over, under]).sort_values(value)
    if ax is None:
        fig, ax = new_figure(capped(6.5, max(2.5, 0.26 * len(shown) + 1.2)))
    else:
        fig = ax.figure
    if shown.empty:
        ax.text(0.5, 0.5, "no terms to compare", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    significant = shown["p_adjusted"].to_numpy() < alpha
    over_colour, under_colour = colours or (PALETTE[0], PALETTE[3])
    colours = np.where(shown["direction"] == "over", over_colour, under_colour)
    bars = ax.barh(range(len(shown)), shown[value], color=colours, edgecolor=colours, linewidth=0.8)
    for bar, sig, low in zip(bars, significant, shown["low_expected"]):
        bar.set_alpha(1.0 if sig else 0.35)
        if low:
            bar.set_hatch("///")
            bar.set_facecolor("white")
    labels = [f"{t}  ({int(round(k))})" for t, k in zip(shown["term"], shown["n_target"])]
    ax.set_yticks(range(len(shown)), labels)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel({"log_ratio": "Log Ratio (log2 of relative-frequency ratio)",
                   "keyness": "signed log-likelihood G2"}.get(value, value))
    ax.grid(axis="y", visible=False)
    title = title or "Keyness: over-used (right) and under-used (left) terms"
    left_out = shown_of(len(shown), len(table), "terms", how="strongest")
    ax.set_title(title + ("\n" + left_out.strip() if "\n" in title and left_out else left_out))
    if legend:
        ax.legend(handles=_legend_handles(alpha), loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
    return fig


def _legend_handles(alpha: float) -> list:
    from matplotlib.patches import Patch

    return [Patch(facecolor="0.35", edgecolor="0.35", label=f"significant (p < {alpha:g})"),
            Patch(facecolor="0.35", edgecolor="0.35", alpha=0.35, label="not significant"),
            Patch(facecolor="white", edgecolor="0.35", hatch="///", label="expected count < 5")]


def plot_keyness_groups(table: pd.DataFrame, *, group: str, colours: dict, versus: str | None = None,
                        value: str = "log_ratio", alpha: float = 0.05, title: str = ""):
    """Small multiples of ``plot_keyness``, one panel per value of ``group`` (every group, up to
    ``plots.MAX_FIGURE_PANELS``; the title says how many were left out), each with that group's own
    counts in brackets; over-use bars in the group's colour (``colours``: ``plots.group_colours``),
    under-use bars in the other group's colour when there are two and grey otherwise. ``versus`` names
    the reference in each panel title (default: the other group(s) by name up to three groups, else
    "the other N groups"); titles are wrapped to their panel. Two or four groups: two columns;
    otherwise three; fewer bars per panel beyond two rows, so 2 to 8 groups stay legible and the figure
    stays within ``config.MAX_FIGURE_INCHES``. One legend for the figure."""
    from .findings import listing
    from .plots import MAX_FIGURE_PANELS, OTHER_COLOUR, capped, new_figure, shown_of

    every = list(dict.fromkeys(table[group].astype(str)))
    shown = every[:MAX_FIGURE_PANELS]
    ncols = 2 if len(shown) in (2, 4) else max(1, min(len(shown), 3))
    nrows = -(-max(len(shown), 1) // ncols)
    n = 10 if nrows <= 2 else 6
    width, height = capped(4.4 * ncols if ncols == 3 else 6.5 * ncols, (0.26 * 2 * n + 1.4) * nrows + 0.6)
    fig, axes = new_figure((width, height), nrows=nrows, ncols=ncols, squeeze=False)
    chars = 36 if ncols == 3 else 50  # a panel title's line at most, so it stays over its own panel
    for ax, value_ in zip(axes.flat, shown):
        others = [g for g in every if g != value_]
        under = colours.get(others[0], OTHER_COLOUR) if len(every) == 2 else OTHER_COLOUR
        reference = versus or (listing(others, limit=2) if len(others) <= 2 else f"the other {len(others)} groups")
        plot_keyness(table[table[group].astype(str) == value_], n=n, value=value, alpha=alpha, ax=ax,
                     colours=(colours.get(value_, OTHER_COLOUR), under), legend=False,
                     title=textwrap.fill(f"{value_} (right)", chars) + "\n"
                     + textwrap.fill(f"vs {reference} (left)", chars))
        for loc in ("left", "center", "right"):  # the house style's titles are on the left
            if ax.get_title(loc):
                ax.set_title(ax.get_title(loc), loc=loc, fontsize=10)
    for ax in list(axes.flat)[len(shown):]:
        ax.set_axis_off()
    fig.suptitle((title or f"Keyness by {group}") + shown_of(len(shown), len(every), "groups"),
                 x=0.02, ha="left", fontweight="bold")
    fig.legend(handles=_legend_handles(alpha), loc="lower center", ncol=3, fontsize=8)
    fig.tight_layout(rect=(0, 0.6 / height, 1, 1))
    return fig


def _named(rows: pd.DataFrame, n: int) -> str:
    from .escaping import escape_md
    from .findings import fmt_num, listing

    return listing([f"*{escape_md(t)}* ({fmt_num(k)}; Log Ratio {lr:+.1f}{'; not in the reference' if b == 0 else ''})"
                    for t, k, lr, b in zip(rows["term"], rows["n_target"], rows["log_ratio"], rows["n_reference"])],
                   limit=n)


def describe_keyness(table: pd.DataFrame, *, group: str | None = None, alpha: float = 0.05, n: int = 5,
                     reference: str = "the rest of the corpus") -> str:
    """Markdown commentary of a keyness table (one line per group with ``group``): how many words are
    significantly over- and under-used (``p_adjusted < alpha``) and the ``n`` strongest of each by effect
    size (Log Ratio, Hardie 2014) among the significant ones, with the target's own counts; says so when
    nothing is significant, and how many of the named words rest on an expected count below 5."""
    from .escaping import escape_md
    from .findings import plural

    if table.empty:
        return f"No words to compare with {reference}."
    parts = table.groupby(group, sort=False) if group else [(None, table)]
    lines = []
    for name, rows in parts:
        sig = rows[rows["p_adjusted"] < alpha]
        over = sig[sig["direction"] == "over"].sort_values("log_ratio", ascending=False, kind="stable").head(n)
        under = sig[sig["direction"] == "under"].sort_values("log_ratio", kind="stable").head(n)
        who = f"**{escape_md(name)}**" if group else "The corpus"
        if sig.empty:
            lines.append(f"{who}: no word differs significantly from {reference} (of "
                         f"{plural(len(rows), 'word')} tested, p < {alpha:g}"
                         + (" after correction)." if (rows["p_adjusted"] != rows["p_value"]).any() else ")."))
            continue
        named = pd.concat([over, under])
        low = int(named["low_expected"].sum())
        them = ("It rests" if len(named) == 1 else "All of them rest" if low == len(named)
                else "One of them rests" if low == 1 else f"{low} of them rest")
        lines.append(
            f"{who} uses {plural(int((sig['direction'] == 'over').sum()), 'word')} significantly more and "
            f"{plural(int((sig['direction'] == 'under').sum()), 'word')} significantly less than {reference} "
            f"(of {plural(len(rows), 'word')} tested)."
            + (f" Strongest over-use: {_named(over, n)}." if len(over) else "")
            + (f" Strongest under-use: {_named(under, n)}." if len(under) else "")
            + (f" {them} on an expected count below 5 (p-value unreliable)." if low else ""))
    return ("\n".join(f"- {line}" for line in lines) if group else lines[0]) + (
        "\n\nWords are ranked by Log Ratio (log2 of the ratio of relative frequencies: +1 = twice as "
        "frequent) among those significant by log-likelihood G2; counts in brackets are "
        + ("each group's own." if group else "the target's own."))


def _wordlike(terms: pd.Series) -> np.ndarray:
    """Terms with a letter that are not split-off clitics ('s, 're)."""
    terms = terms.astype(str)
    return (terms.str.contains(r"[^\W\d_]", regex=True) & ~terms.str.startswith(("'", "’"))).to_numpy()


def _counts(table: pd.DataFrame, name: str) -> pd.Series:
    if not {"term", "n"} <= set(table.columns):
        raise ValueError(f"{name} must be a frequency table with columns 'term' and 'n'")
    return table.groupby("term", sort=False)["n"].sum().astype(float)


def _sorted(table: pd.DataFrame, first: str | None = None) -> pd.DataFrame:
    keys = ([first] if first else []) + ["keyness", "term"]
    ascending = ([True] if first else []) + [False, True]
    return table.sort_values(keys, ascending=ascending, kind="stable").reset_index(drop=True)


def _empty(prefix=()) -> pd.DataFrame:
    return pd.DataFrame(columns=[*prefix, *KEYNESS_COLUMNS])
