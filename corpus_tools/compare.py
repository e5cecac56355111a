"""Compare groups and periods of a corpus: periods from dates, one group column from metadata, means of a
per-unit value (sentence sentiment, frame presence per sentence, naming alignment per hit) per group, per
group x period and before/after an event, with intervals that resample documents; and the Markdown
commentary rendered from those tables (issue 14, items 2 and 3).

Every interval is a seeded percentile bootstrap (Efron & Tibshirani 1993) from ``corpus_tools.bootstrap``:
documents are resampled with replacement within each cell (group, period, before/after), the cluster
bootstrap of Davison & Hinkley (1997, section 3.8) and Field & Welsh (2007), because the units of one
document share its author and tone; a cell holding one document can only resample its units, and the
``unit`` column says so. A difference between two cells resamples each cell on its own, and a
difference-in-differences (Angrist & Pischke 2009, ch. 5) each of its four cells.

The tables are tidy: key columns first (the group, the period), then the statistics. Units: rows of
``values`` with a document id (``doc_column``) and a numeric ``value``; document attributes (``side``,
``period``, ``date``) come from ``documents``, or from ``values`` for a unit-level column (``actor``).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from corpus_tools.bootstrap import RESAMPLED, bootstrap_sums
from corpus_tools.escaping import escape_md
from corpus_tools.tables import group_labels, plain_column

#: The period of a document whose date is missing or cannot be parsed.
NO_DATE = "(no date)"
#: Period lengths ``assign_periods`` knows, finest first; ``auto`` takes the finest with at most ``MAX_BINS``.
PERIODS = ("week", "month", "quarter", "year")
MAX_BINS = 24
#: A cell with fewer documents than this is flagged ``few_documents``.
MIN_DOCUMENTS = 5
#: Coverage of every interval.
LEVEL = 0.95
#: Joins the values of several columns in one group label ("kremlin · 2022-03").
SEPARATOR = " · "
#: ``unit`` of a cell whose units were resampled because it holds one document.
ONE_DOCUMENT = " (one document)"
STAT_COLUMNS = ["mean", "ci_low", "ci_high", "n_documents", "n_units", "few_documents", "unit"]
PHASES = ("before", "after")
_PHASE = "__phase__"


# --------------------------------------------------------------------------- periods and groups


def parse_dates(dates: pd.Series) -> pd.Series:
    """``dates`` as timestamps (time zones converted to UTC and dropped); NaT where missing or unparseable.
    Values are read as text, so a bare year ``2022`` is 1 January 2022, not nanoseconds since 1970."""
    text = plain_column(dates).astype("string").str.strip()
    parsed = pd.to_datetime(text.where(text != ""), errors="coerce", utc=True, format="mixed")
    return parsed.dt.tz_localize(None)


def _bins(first: pd.Timestamp, last: pd.Timestamp, period: str) -> int:
    code = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}[period]
    return (last.to_period(code) - first.to_period(code)).n + 1


def choose_period(dates: pd.Series) -> str:
    """The finest of ``PERIODS`` whose bins from the first to the last date number at most ``MAX_BINS``
    (3 weeks: week; 8 months: month; 4 years: quarter). ``month`` when no date parses."""
    parsed = parse_dates(dates).dropna()
    if parsed.empty:
        return "month"
    first, last = parsed.min(), parsed.max()
    return next((p for p in PERIODS if _bins(first, last, p) <= MAX_BINS), PERIODS[-1])


def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """Each date's period as text: week ``2022-W08`` (ISO 8601 year and week), month ``2022-02``, quarter
    ``2022Q1``, year ``2022``; ``NO_DATE`` where the date is missing or unparseable. Labels of one
    period length sort as their periods do."""
    if period not in PERIODS:
        raise ValueError(f"period must be 'auto' or one of {', '.join(PERIODS)}; got {period!r}")
    parsed = parse_dates(dates)
    known = parsed.notna()
    labels = pd.Series(NO_DATE, index=dates.index, dtype=object)
    if known.any():
        when = parsed[known]
        if period == "week":
            iso = when.dt.isocalendar()
            text = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
        else:
            text = when.dt.to_period({"month": "M", "quarter": "Q", "year": "Y"}[period]).astype(str)
        labels[known] = text.to_numpy(dtype=object)
    return labels


def assign_periods(documents: pd.DataFrame, *, date_column: str = "date", period: str = "auto") -> pd.DataFrame:
    """``documents`` with a ``period`` column (``period_labels``); ``auto``: ``choose_period`` over the
    parseable dates. Undated documents get ``NO_DATE`` and are kept (``undated_documents`` lists them)."""
    dates = documents[date_column] if date_column in documents else pd.Series(np.nan, index=documents.index)
    chosen = choose_period(dates) if period == "auto" else period
    return documents.assign(period=period_labels(dates, chosen))


def undated_documents(documents: pd.DataFrame, *, date_column: str = "date", doc_column: str = "doc_id"
                      ) -> pd.DataFrame:
    """The documents whose date is missing or unparseable: ``doc_column`` and the date as given."""
    if date_column not in documents:
        return documents[[doc_column]].assign(**{date_column: np.nan})
    return documents.loc[parse_dates(documents[date_column]).isna().to_numpy(), [doc_column, date_column]]


def group_key(documents: pd.DataFrame, columns) -> pd.Series:
    """One group column from one metadata column or several (``["side", "period"]`` gives
    "kremlin · 2022-03"), named after them ("side · period"); blank values read "(none)"
    (``tables.group_labels``)."""
    columns = [columns] if isinstance(columns, str) else list(columns)
    parts = [plain_column(group_labels(documents[c])).astype(str) for c in columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + SEPARATOR + part
    return joined.rename(SEPARATOR.join(columns))


# --------------------------------------------------------------------------- cells and their replicates


class _Cells(NamedTuple):
    keys: pd.DataFrame  # one row per cell, the key columns
    stats: pd.DataFrame  # STAT_COLUMNS per cell
    replicates: np.ndarray  # (cells, n_boot) bootstrap means


def _units(values: pd.DataFrame, documents: pd.DataFrame, *, value: str, keys: list[str], doc_column: str,
           weight: str | None) -> pd.DataFrame:
    """Units with a value, each with its key columns (from ``documents`` by ``doc_column`` where the
    column is there, else from ``values``) labelled, and a ``__weight__`` column."""
    missing = [k for k in keys if k not in documents and k not in values]
    if missing:
        raise KeyError(f"column(s) {', '.join(missing)} neither in the documents nor in the values")
    joined = [k for k in keys if k in documents and k != doc_column]
    data = values.loc[pd.to_numeric(values[value], errors="coerce").notna().to_numpy()]
    data = data.drop(columns=joined, errors="ignore").assign(**{doc_column: plain_column(data[doc_column]).astype(str)})
    if joined:
        attributes = documents[[doc_column, *joined]].drop_duplicates(doc_column)
        attributes = attributes.assign(**{doc_column: plain_column(attributes[doc_column]).astype(str)})
        data = data.merge(attributes, on=doc_column, how="left")
    return data.assign(**{k: plain_column(group_labels(data[k])).astype(str) for k in keys},
                       __value__=pd.to_numeric(data[value]).astype(float),
                       __weight__=1.0 if weight is None else data[weight].astype(float))


def _cells(data: pd.DataFrame, keys: list[str], *, doc_column: str, n_boot: int, seed: int, min_documents: int,
           unit: str) -> _Cells:
    """Mean, percentile interval, counts and bootstrap replicates of every cell of ``keys``."""
    grouped = data.groupby(keys, sort=True, observed=True)
    codes = grouped.ngroup().to_numpy()
    n_cells = int(codes.max(initial=-1)) + 1
    values, weights = data["__value__"].to_numpy(), data["__weight__"].to_numpy()
    replicates = np.full((n_cells, n_boot), np.nan)
    resampled = np.full(n_cells, RESAMPLED["rows"], dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        for g, _, drawn, (total, count) in bootstrap_sums([values * weights, weights], codes,
                                                           clusters=data[doc_column], n_boot=n_boot, seed=seed,
                                                           n_groups=n_cells):
            replicates[g], resampled[g] = total / count, drawn
        mean = np.bincount(codes, weights=values * weights, minlength=n_cells) / \
            np.bincount(codes, weights=weights, minlength=n_cells)
    n_units = np.bincount(codes, minlength=n_cells)
    low, high = _percentiles(replicates, n_units >= 2)
    n_documents = grouped[doc_column].nunique().to_numpy()
    stats = pd.DataFrame({"mean": mean, "ci_low": low, "ci_high": high, "n_documents": n_documents,
                          "n_units": n_units, "few_documents": n_documents < min_documents,
                          "unit": np.where(resampled == RESAMPLED["clusters"], "documents", unit + ONE_DOCUMENT)})
    return _Cells(grouped.size().reset_index()[keys], stats, replicates)


def _percentiles(replicates: np.ndarray, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ``LEVEL`` percentile interval of its finite replicates; NaN where not ``usable``."""
    alpha = (1 - LEVEL) / 2
    low, high = np.full(len(replicates), np.nan), np.full(len(replicates), np.nan)
    for row in np.flatnonzero(usable):
        finite = replicates[row][np.isfinite(replicates[row])]
        if len(finite):
            low[row], high[row] = np.quantile(finite, [alpha, 1 - alpha])
    return low, high


def _group_keys(group) -> list[str]:
    return [] if group is None else [group] if isinstance(group, str) else list(group)


def stat_by_group(values: pd.DataFrame, documents: pd.DataFrame, *, value: str, group, doc_column: str = "doc_id",
                  n_boot: int = 1000, seed: int = 0, weight: str | None = None,
                  min_documents: int = MIN_DOCUMENTS, unit: str = "sentences") -> pd.DataFrame:
    """Per group (one column, or several as separate key columns): the mean of ``value`` over its units
    (weighted by ``weight`` if given: sum(w v) / sum(w)) with a seeded cluster-bootstrap 95% interval
    over documents (``unit``: "documents", or "sentences (one document)" where the group has one),
    ``n_documents``, ``n_units`` and ``few_documents`` (fewer than ``min_documents``). Sorted by group."""
    keys = _group_keys(group)
    data = _units(values, documents, value=value, keys=keys, doc_column=doc_column, weight=weight)
    cells = _cells(data, keys, doc_column=doc_column, n_boot=n_boot, seed=seed, min_documents=min_documents,
                   unit=unit)
    return pd.concat([cells.keys, cells.stats], axis=1)


def _period_order(labels: pd.Series) -> pd.Series:
    """Sort key of period labels: the periods in order, ``NO_DATE`` last."""
    return labels.map(lambda label: ("1" if label == NO_DATE else "0") + label)


def stat_over_time(values: pd.DataFrame, documents: pd.DataFrame, *, value: str, group=None,
                   period_column: str = "period", date_column: str = "date", period: str = "auto",
                   **options) -> pd.DataFrame:
    """``stat_by_group`` per group x period (``period_column`` of ``documents``; if absent, from
    ``assign_periods(documents, date_column=..., period=...)``), sorted by period (``NO_DATE`` last, so
    undated documents stay counted) then group. ``options``: those of ``stat_by_group``."""
    if period_column not in documents:
        documents = assign_periods(documents, date_column=date_column, period=period).rename(
            columns={"period": period_column})
    table = stat_by_group(values, documents, value=value, group=[period_column, *_group_keys(group)], **options)
    keys = [*_group_keys(group), period_column]
    order = table.sort_values(keys[::-1], key=lambda c: _period_order(c) if c.name == period_column else c,
                              kind="stable")
    return order[keys + STAT_COLUMNS].reset_index(drop=True)


class EventComparison(NamedTuple):
    """``stat_event``'s result: ``table`` one row per group, ``did`` one row (two groups) or none."""
    table: pd.DataFrame
    did: pd.DataFrame
    event_date: str


def stat_event(values: pd.DataFrame, documents: pd.DataFrame, *, value: str, event_date, group=None,
               date_column: str = "date", doc_column: str = "doc_id", n_boot: int = 1000, seed: int = 0,
               weight: str | None = None, min_documents: int = MIN_DOCUMENTS, unit: str = "sentences"
               ) -> EventComparison:
    """Per group: the mean of ``value`` before ``event_date`` and from it on (the event's day counts as
    after), each with its interval, and ``difference`` = after - before with a cluster-bootstrap 95%
    interval (documents resampled independently before and after); ``n_undated`` documents are left out
    and counted; ``few_documents`` when either side has fewer than ``min_documents``. For exactly two
    groups A < B (sorted), ``did`` holds the difference-in-differences (B's difference - A's) with its
    interval, each of the four cells resampled on its own. Seeded."""
    event = pd.Timestamp(event_date)
    keys = _group_keys(group)
    group_columns = keys or ["__all__"]  # one group: a constant key, so every table below has one shape
    dates = parse_dates(documents[date_column]) if date_column in documents else \
        pd.Series(pd.NaT, index=documents.index)
    phased = documents.assign(**{_PHASE: np.where(dates.isna(), NO_DATE, np.where(dates < event, *PHASES))})
    data = _units(values, phased if keys else phased.assign(__all__="all"), value=value,
                  keys=[*group_columns, _PHASE], doc_column=doc_column, weight=weight)
    dated = data[_PHASE].isin(PHASES).to_numpy()
    groups = data.groupby(group_columns, sort=True, observed=True).size()
    undated = data[~dated].groupby(group_columns, observed=True)[doc_column].nunique()
    cells = _cells(data[dated], [*group_columns, _PHASE], doc_column=doc_column, n_boot=n_boot, seed=seed,
                   min_documents=min_documents, unit=unit)
    per_cell = pd.concat([cells.keys, cells.stats.drop(columns="few_documents")], axis=1).assign(
        cell=np.arange(len(cells.keys)))
    table = groups.reset_index()[group_columns]
    for phase in PHASES:
        side = per_cell[per_cell[_PHASE] == phase].drop(columns=_PHASE)
        table = table.merge(side.rename(columns={c: f"{c}_{phase}" for c in side if c not in group_columns}),
                            on=group_columns, how="left")
        table[[f"n_documents_{phase}", f"n_units_{phase}"]] = \
            table[[f"n_documents_{phase}", f"n_units_{phase}"]].fillna(0).astype(int)
    padded = np.vstack([cells.replicates, np.full((1, n_boot), np.nan)])  # row -1: a cell without units
    before, after = (padded[table[f"cell_{p}"].fillna(-1).astype(int).to_numpy()] for p in PHASES)
    usable = ((table["n_units_before"] >= 2) & (table["n_units_after"] >= 2)).to_numpy()
    table["difference"] = table["mean_after"] - table["mean_before"]
    table["difference_low"], table["difference_high"] = _percentiles(after - before, usable)
    table["few_documents"] = (table[["n_documents_before", "n_documents_after"]] < min_documents).any(axis=1)
    table["n_undated"] = table.set_index(group_columns).index.map(undated).fillna(0).astype(int).to_numpy()
    table = table.drop(columns=["cell_before", "cell_after", "__all__"], errors="ignore")
    return EventComparison(table, _did(table, keys, after - before, usable), str(event.date()))


DID_COLUMNS = ["group_a", "group_b", "did", "did_low", "did_high"]


def _did(table: pd.DataFrame, keys: list[str], change: np.ndarray, usable: np.ndarray) -> pd.DataFrame:
    """Difference-in-differences of two groups (B - A, sorted) from the cells' replicates."""
    if len(keys) == 0 or len(table) != 2:
        return pd.DataFrame(columns=DID_COLUMNS)
    names = [SEPARATOR.join(map(str, row)) for row in table[keys].itertuples(index=False)]
    low, high = _percentiles((change[1] - change[0])[None, :], np.array([usable.all()]))
    return pd.DataFrame({"group_a": [names[0]], "group_b": [names[1]],
                         "did": [table["difference"].iloc[1] - table["difference"].iloc[0]],
                         "did_low": low, "did_high": high})


def stat_shares(units: pd.DataFrame, documents: pd.DataFrame, *, category: str, group=None, categories=None,
                **options) -> pd.DataFrame:
    """Per value of ``category`` (a column of ``units``: each unit in one category, e.g. an attribution's
    ``verb_class`` or a role link's ``role``) and group: the share of the group's units in that category
    (``mean``) with its cluster-bootstrap interval over documents, as ``stat_by_group``; ``n_in`` counts
    the units in the category. ``categories`` fixes which and in what order (default: sorted values).
    ``options``: those of ``stat_by_group``."""
    names = sorted(units[category].dropna().astype(str).unique()) if categories is None else list(categories)
    column = plain_column(units[category]).astype(str)
    long = pd.concat([units.assign(**{category: name, "__in__": (column == name).astype(float).to_numpy()})
                      for name in names], ignore_index=True) if names else units.assign(__in__=[])
    table = stat_by_group(long, documents, value="__in__", group=[category, *_group_keys(group)], **options)
    table = table.assign(n_in=(table["mean"] * table["n_units"]).round().astype(int))
    order = {name: i for i, name in enumerate(names)}
    return table.sort_values(category, key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def stat_event_by(values: pd.DataFrame, documents: pd.DataFrame, *, by: str, value: str, event_date, group=None,
                  **options) -> EventComparison:
    """``stat_event`` once per value of ``by`` (a column of ``values``, e.g. a frame category), so each has
    its own difference-in-differences for two groups; ``table`` and ``did`` carry ``by`` first."""
    tables, dids = [], []
    for name, part in values.groupby(by, sort=False, observed=True):
        event = stat_event(part, documents, value=value, event_date=event_date, group=group, **options)
        tables.append(event.table.assign(**{by: name}))
        dids.append(event.did.assign(**{by: name}))
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=[by])
    did = pd.concat(dids, ignore_index=True) if dids else pd.DataFrame(columns=[by, *DID_COLUMNS])
    first = lambda t: t[[by, *[c for c in t.columns if c != by]]]
    return EventComparison(first(table), first(did), str(pd.Timestamp(event_date).date()))


# --------------------------------------------------------------------------- commentary


def _key_columns(table: pd.DataFrame, stats=STAT_COLUMNS) -> list[str]:
    return [c for c in table.columns if c not in stats]


def _names(table: pd.DataFrame, keys: list[str]) -> list[str]:
    return [SEPARATOR.join(map(str, row)) for row in table[keys].itertuples(index=False)] if keys else \
        ["all documents"] * len(table)


def _number(x: float) -> str:
    return f"{x:+.3f}"


def _documents(n: int) -> str:
    return f"{n:,} document" + ("" if n == 1 else "s")


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def percent(x: float) -> str:
    """A share as a percentage, for the ``fmt`` of the ``describe_*`` functions: 0.425 -> "42.5%"."""
    return f"{100 * x:.1f}%"


def _estimate(mean: float, low: float, high: float, n_documents: int | None = None, fmt=_number) -> str:
    """"+0.140 (95% interval +0.050 to +0.220; 6 documents)" (``fmt`` formats the numbers)."""
    interval = f"{LEVEL:.0%} interval {fmt(low)} to {fmt(high)}" if np.isfinite(low) else "no interval"
    counted = "" if n_documents is None else f"; {_documents(int(n_documents))}"
    return f"{fmt(mean)} ({interval}{counted})"


def _inside(band: float | None, *means: float) -> bool:
    return band is not None and all(abs(m) <= band for m in means)


def _contrast(high_row, low_row, band: float | None) -> str:
    """Whether two cells' intervals overlap, and whether both means lie inside the neutral band."""
    if not (np.isfinite(high_row["ci_low"]) and np.isfinite(low_row["ci_low"])):
        overlap = "One of the two has no interval (a single unit), so the difference cannot be judged"
    elif high_row["ci_low"] <= low_row["ci_high"]:
        overlap = "Their intervals overlap, so the corpus does not show a clear difference between them"
    else:
        overlap = "Their intervals do not overlap"
    if _inside(band, high_row["mean"], low_row["mean"]):
        return (f"{overlap}; both means lie inside the neutral band (±{band:g}), so the difference is not "
                "called meaningful.")
    return overlap + "."


def _few(names: list[str], table: pd.DataFrame, cells: str) -> str:
    """The cells flagged ``few_documents``, named (all of them: said once)."""
    flagged = table["few_documents"].to_numpy(bool)
    if flagged.all() and len(flagged) > 1:
        return f" Every {cells} has few documents: read these means with caution."
    few = [f"{escape_md(name)} ({_documents(int(n))})"
           for name, n, flag in zip(names, table["n_documents"], flagged) if flag]
    return f" Few documents, read with caution: {', '.join(few)}." if few else ""


#: Cells named at most in one sentence; beyond, they are counted.
NAMED = 6


def _unit_sentence(names: list[str], units: pd.Series, cells: str) -> str:
    """What the intervals resampled: documents within each cell, or the units of a one-document cell."""
    single = [(escape_md(n), u) for n, u in zip(names, units) if u != "documents"]
    sentence = (f" Intervals are {LEVEL:.0%} percentile bootstrap intervals that resample documents within "
                f"each {cells} (cluster bootstrap)")
    if single:
        which = ", ".join(name for name, _ in single) if len(single) <= NAMED else \
            f"{len(single)} of the {len(names)} cells"
        rows = single[0][1].removesuffix(ONE_DOCUMENT)
        if rows == "documents":  # one value per document: a one-document cell has nothing to resample
            sentence += f"; {which} {'holds' if len(single) == 1 else 'hold'} one document, so no interval"
        else:
            holds = "holds one document, so its" if len(single) == 1 else "hold one document each, so their"
            sentence += f"; {which} {holds} {rows} are resampled instead"
    return sentence + "."


def _absent(table: pd.DataFrame, n_documents: int, what: str) -> str | None:
    """The one sentence saying why a comparison is absent, or None."""
    if table.empty or n_documents == 0:
        return f"No document has a value, so there is no {what}."
    if n_documents == 1:
        return f"The corpus is a single document, so there is no {what}."
    return None


def describe_group_differences(table: pd.DataFrame, *, value_label: str, neutral_band: float | None = None,
                               fmt=_number) -> str:
    """Markdown on a ``stat_by_group`` table: the groups with the highest and lowest mean with their
    intervals, whether the intervals overlap, whether both means lie inside ``neutral_band``, the groups
    with few documents and what was resampled. Groups are never pooled."""
    keys = _key_columns(table)
    label = escape_md(value_label)
    absent = _absent(table, int(table["n_documents"].sum()) if len(table) else 0, "comparison between groups")
    if absent:
        return absent
    names = _names(table, keys)
    if len(table) == 1:
        return (f"All documents are in one group ({escape_md(names[0])}), so there is no comparison between "
                f"groups of {label}.")
    ranked = table.assign(name=names).sort_values("mean", ascending=False, kind="stable")
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    by = escape_md(SEPARATOR.join(keys))
    text = (f"Across the {len(table)} groups of {by}, mean {label} is highest for **{escape_md(top['name'])}**, "
            f"{_estimate(top['mean'], top['ci_low'], top['ci_high'], top['n_documents'], fmt=fmt)}, and lowest for "
            f"**{escape_md(bottom['name'])}**, "
            f"{_estimate(bottom['mean'], bottom['ci_low'], bottom['ci_high'], bottom['n_documents'], fmt=fmt)}. "
            + _contrast(top, bottom, neutral_band))
    if len(table) > 2:
        middle = ranked.iloc[1:-1]
        text += " In between: " + "; ".join(
            f"{escape_md(r['name'])} {_estimate(r['mean'], r['ci_low'], r['ci_high'], fmt=fmt)}"
            for _, r in middle.iterrows()) + "."
    return text + _few(names, table, "group") + _unit_sentence(names, table["unit"], "group")


def describe_trend(table: pd.DataFrame, *, value_label: str, neutral_band: float | None = None,
                   period_column: str = "period", fmt=_number) -> str:
    """Markdown on a ``stat_over_time`` table: per group, the first and last period, the highest and lowest
    period with their intervals and whether those overlap or lie inside ``neutral_band``; periods with
    few documents marked; undated documents counted; what was resampled."""
    keys = [k for k in _key_columns(table) if k != period_column]
    label = escape_md(value_label)
    absent = _absent(table, int(table["n_documents"].sum()) if len(table) else 0, "trend over time")
    if absent:
        return absent
    dated = table[table[period_column] != NO_DATE]
    n_undated = int(table.loc[table[period_column] == NO_DATE, "n_documents"].sum())
    undated = f" {_documents(n_undated)} without a date {_are(n_undated)} counted apart, outside the trend." \
        if n_undated else ""
    if dated.empty:
        return f"No document has a parseable date, so there is no trend over time of {label}."
    if dated[period_column].nunique() == 1:
        return (f"All dated documents fall in one period ({escape_md(dated[period_column].iloc[0])}), so there "
                f"is no trend over time of {label}.{undated}")
    sentences = []
    for name, series in (dated.groupby(keys, sort=False) if keys else [((), dated)]):
        name = SEPARATOR.join(map(str, name if isinstance(name, tuple) else (name,)))
        lead = f"For **{escape_md(name)}**, mean" if keys else "Mean"
        if len(series) == 1:
            row = series.iloc[0]
            sentences.append(f"{lead} {label} has one period ({escape_md(row[period_column])}): "
                             f"{_estimate(row['mean'], row['ci_low'], row['ci_high'], row['n_documents'], fmt=fmt)}.")
            continue
        first, last = series.iloc[0], series.iloc[-1]
        ranked = series.sort_values("mean", ascending=False, kind="stable")
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        sentences.append(
            f"{lead} {label} goes from {fmt(first['mean'])} in {escape_md(first[period_column])} to "
            f"{fmt(last['mean'])} in {escape_md(last[period_column])} over {len(series)} periods; it is "
            f"highest in {escape_md(top[period_column])}, {_estimate(top['mean'], top['ci_low'], top['ci_high'], top['n_documents'], fmt=fmt)}, "
            f"and lowest in {escape_md(bottom[period_column])}, "
            f"{_estimate(bottom['mean'], bottom['ci_low'], bottom['ci_high'], bottom['n_documents'], fmt=fmt)}. "
            + _contrast(top, bottom, neutral_band))
    names = _names(dated, [*keys, period_column])
    return " ".join(sentences) + _few(names, dated, "group and period") + undated + _unit_sentence(names, dated["unit"], "group and period")


def describe_event(event: EventComparison, *, value_label: str, neutral_band: float | None = None,
                   fmt=_number) -> str:
    """Markdown on a ``stat_event`` result: per group, the means before and after the event and the change
    with its interval (whether it excludes zero, whether both means lie inside ``neutral_band``), groups
    with few documents on a side marked, the difference-in-differences for two groups, undated
    documents counted and what was resampled."""
    table, day = event.table, escape_md(event.event_date)
    label = escape_md(value_label)
    phase_stats = [f"{c}_{p}" for p in PHASES for c in STAT_COLUMNS if c != "few_documents"]
    keys = _key_columns(table, [*phase_stats, "difference", "difference_low", "difference_high", "few_documents",
                                "n_undated"])
    n_dated = int(table[["n_documents_before", "n_documents_after"]].to_numpy().sum()) if len(table) else 0
    n_undated = int(table["n_undated"].sum()) if len(table) else 0
    absent = _absent(table, n_dated + n_undated, f"comparison before and after {day}")
    if absent:
        return absent
    if n_dated == 0:
        return f"No document has a parseable date, so there is no comparison before and after {day}."
    names = _names(table, keys)
    sentences = []
    for name, (_, row) in zip(names, table.iterrows()):
        lead = f"For **{escape_md(name)}**," if keys else "Over all documents,"
        missing = [p for p in PHASES if row[f"n_documents_{p}"] == 0]
        if missing:
            where = "before" if missing == ["before"] else "from" if missing == ["after"] else "before or from"
            sentences.append(f"{lead} no document is dated {where} {day}, so its change cannot be computed.")
            continue
        change = row["difference"]
        if np.isfinite(row["difference_low"]):
            zero = row["difference_low"] <= 0 <= row["difference_high"]
            verdict = ("its interval includes 0, so the corpus does not show a clear change" if zero
                       else "its interval excludes 0")
        else:
            verdict = "it has no interval (a side with a single unit)"
        if _inside(neutral_band, row["mean_before"], row["mean_after"]):
            verdict += f"; both means lie inside the neutral band (±{neutral_band:g}), so the change is not called meaningful"
        few = " (few documents on a side)" if row["few_documents"] else ""
        sentences.append(
            f"{lead} mean {label} is {_estimate(row['mean_before'], row['ci_low_before'], row['ci_high_before'], row['n_documents_before'], fmt=fmt)} "
            f"before {day} and {_estimate(row['mean_after'], row['ci_low_after'], row['ci_high_after'], row['n_documents_after'], fmt=fmt)} "
            f"from {day} on{few}: a change of {_estimate(change, row['difference_low'], row['difference_high'], fmt=fmt)}; "
            f"{verdict}.")
    for _, did in event.did.iterrows():
        lead = f"Difference in differences ({escape_md(did['group_b'])} minus {escape_md(did['group_a'])}):"
        if not np.isfinite(did["did"]):
            sentences.append(f"{lead} cannot be computed, since a group has no document on one side of {day}.")
            continue
        zero = np.isfinite(did["did_low"]) and did["did_low"] <= 0 <= did["did_high"]
        sentences.append(f"{lead} {_estimate(did['did'], did['did_low'], did['did_high'], fmt=fmt)}"
                         + ("; its interval includes 0, so the two groups' changes are not clearly different."
                            if zero else "."))
    if n_undated:
        sentences.append(f"{_documents(n_undated)} without a date {_are(n_undated)} left out of this comparison.")
    sides = {"before": f"before {event.event_date}", "after": f"from {event.event_date} on"}
    cells = [(f"{n} {sides[p]}", row[f"unit_{p}"]) for n, (_, row) in zip(names, table.iterrows()) for p in PHASES
             if row[f"n_documents_{p}"] > 0]
    return " ".join(sentences) + _unit_sentence([c for c, _ in cells], pd.Series([u for _, u in cells]),
                                                "group and side of the event")


def describe_differences_by(table: pd.DataFrame, *, by: str, value_label: str, neutral_band: float | None = None,
                            fmt=_number, limit: int = NAMED) -> str:
    """Markdown on a ``stat_by_group`` (or ``stat_shares``) table keyed by ``by`` and the groups: per value of
    ``by`` (the first ``limit``, in table order), the groups with the highest and lowest mean with their
    intervals and whether those overlap (``_contrast``); then the groups with few documents and what was
    resampled, once. Groups are never pooled."""
    keys = [k for k in _key_columns(table, [*STAT_COLUMNS, "n_in"]) if k != by]
    absent = _absent(table, int(table["n_documents"].max()) if len(table) else 0, "comparison between groups")
    if absent:
        return absent
    label = escape_md(value_label)
    parts = list(table.groupby(by, sort=False, observed=True))
    first = parts[0][1]
    if len(first) == 1:
        return (f"All documents are in one group ({escape_md(_names(first, keys)[0])}), so there is no comparison "
                f"between groups of {label}.")
    sentences = []
    for name, part in parts[:limit]:
        ranked = part.sort_values("mean", ascending=False, kind="stable")
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        high, low = (escape_md(_names(ranked.iloc[[i]], keys)[0]) for i in (0, -1))
        sentences.append(
            f"*{escape_md(str(name).replace('_', ' '))}*: highest for **{high}**, "
            f"{_estimate(top['mean'], top['ci_low'], top['ci_high'], top['n_documents'], fmt=fmt)}, lowest for "
            f"**{low}**, {_estimate(bottom['mean'], bottom['ci_low'], bottom['ci_high'], bottom['n_documents'], fmt=fmt)}. "
            + _contrast(top, bottom, neutral_band))
    more = f" ({len(parts) - limit} more in the table.)" if len(parts) > limit else ""
    names = _names(first, keys)
    return (f"{label[:1].upper() + label[1:]} by {escape_md(SEPARATOR.join(keys))}: " + " ".join(sentences) + more
            + _few(names, first, "group") + _unit_sentence(names, first["unit"], "group"))


def describe_event_by(event: EventComparison, *, by: str, value_label: str, limit: int = NAMED, **options) -> str:
    """``describe_event`` for each value of ``by`` of a ``stat_event_by`` result (the first ``limit``), each
    paragraph headed by the value; ``options``: those of ``describe_event``."""
    names = list(dict.fromkeys(event.table[by])) if len(event.table) else []
    if not names:
        return describe_event(event, value_label=value_label, **options)
    paragraphs = []
    for name in names[:limit]:
        part = EventComparison(event.table[event.table[by] == name].drop(columns=by),
                               event.did[event.did[by] == name].drop(columns=by), event.event_date)
        paragraphs.append(f"*{escape_md(str(name).replace('_', ' '))}*: "
                          + describe_event(part, value_label=value_label, **options))
    return "\n\n".join(paragraphs)


def caption_unit(table: pd.DataFrame, cells: str = "group") -> str:
    """The caption sentence stating what a figure's intervals resampled, from a table's ``unit`` column
    (``unit_before``/``unit_after`` of a ``stat_event`` table)."""
    columns = [c for c in ("unit", "unit_before", "unit_after") if c in table]
    units = pd.concat([table[c] for c in columns]).dropna().astype(str) if columns else pd.Series(dtype=str)
    sentence = (f"Bars: {LEVEL:.0%} percentile bootstrap intervals, documents resampled within each {cells} "
                "(cluster bootstrap)")
    single = sorted({u.removesuffix(ONE_DOCUMENT) for u in units if u != "documents"})
    if single:
        sentence += f"; a {cells} of one document resamples its {' and '.join(single)}"
    return sentence + "."
