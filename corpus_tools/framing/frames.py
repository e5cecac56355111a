"""Frames per sentence (multi-label) and per document, with bootstrap intervals.

Three layers of categories, each from its literature (see
``lexicons/framing_frames.meta.json``): the five generic news frames of Semetko
& Valkenburg (2000), Entman's (1993) four frame functions, and the Policy
Frames Codebook dimensions that apply to interstate conflict (Boydstun et al.
2014). A sentence carries every category one of whose cues it contains (not
negated). Document scores per category: hits, weighted hits, density per 1,000
tokens, coverage (share of sentences with the category) and the dominant
category of each layer (largest coverage, then weighted hits). Intervals are
percentile bootstrap intervals over sentences (Efron & Tibshirani 1993).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..bootstrap import bootstrap_sums
from ..lexicons import Lexicon, load_lexicon
from ..tables import labelled, plain_column
from .cues import compiled, load_cue_table, match_layers
from .keys import coded, doc_codes, find_rows, sentence_keys

SCORE_COLUMNS = ["layer", "category", "hits", "weighted", "sentences_with", "n_sentences", "n_tokens",
                 "density", "coverage", "dominant", "small_sample"]
NARRATIVE_FRAMES = ("RE", "HI", "CO", "MO", "EC")
#: Below this many tokens a group's scores carry a small-sample warning.
MIN_TOKENS = 2000


def load_frame_cues(source=None) -> Lexicon:
    """The bundled frame cues or a user's file with ``cue_id, layer, category, pattern, match``."""
    return load_cue_table("framing_frames" if source is None else source,
                          required=("cue_id", "layer", "category", "pattern", "match"))


def find_frames(sentences: pd.DataFrame, tokens: pd.DataFrame, *, lexicon=None, negators=None) -> pd.DataFrame:
    """Audit table of frame-cue hits, each layer matched on its own (longest match within a layer)."""
    return match_layers(sentences, frame_cue_sets(lexicon), tokens=tokens, negators=negators)


def frame_cue_sets(lexicon=None) -> list:
    """One compiled cue set per layer of a frame lexicon, in file order."""
    lex = load_frame_cues(lexicon)
    return [compiled(table, source=lex.path) for _, table in lex.table.groupby("layer", sort=False)]


def frame_categories(lexicon=None) -> pd.DataFrame:
    """``layer, category`` of every category in a frame lexicon, in file order."""
    return load_frame_cues(lexicon).table[["layer", "category"]].drop_duplicates().reset_index(drop=True)


def stat_sentence_frames(hits: pd.DataFrame, sentences: pd.DataFrame, *, lexicon=None,
                         layer: str | None = None) -> pd.DataFrame:
    """Sentence x category table of weighted hit sums (negated hits left out); one row per sentence.

    Columns ``doc_id, sent_id`` then one per category (``layer:category``, or just
    ``category`` when ``layer`` picks one layer). This is the frame timeline.
    """
    cats = frame_categories(lexicon)
    if layer is not None:
        cats = cats[cats["layer"] == layer]
    names = cats["category"].tolist() if layer is not None else (cats["layer"] + ":" + cats["category"]).tolist()
    base = sentences[["doc_id", "sent_id"]].reset_index(drop=True)
    live = _live(hits, layer)
    if live.empty:
        return base.assign(**{n: 0.0 for n in names})
    live = live.assign(name=_cue_names(live, layer))
    wide = live.pivot_table(index=["doc_id", "sent_id"], columns="name", values="weight", aggfunc="sum")
    out = base.merge(wide.reset_index(), on=["doc_id", "sent_id"], how="left")
    for name in names:
        out[name] = out[name].fillna(0.0) if name in out else 0.0
    return out[["doc_id", "sent_id", *names]]


def _cue_names(hits: pd.DataFrame, layer: str | None = None) -> pd.Series:
    """``layer:category`` of each hit (just ``category`` when one layer is picked)."""
    category = plain_column(hits["category"])
    return category if layer is not None else plain_column(hits["layer"]) + ":" + category


def _live(hits: pd.DataFrame, layer: str | None = None) -> pd.DataFrame:
    live = hits[~hits["negated"].astype(bool)] if not hits.empty else hits
    return live[live["layer"] == layer] if layer is not None else live


def score_frames(hits: pd.DataFrame, sentences: pd.DataFrame, *, by: str = "doc_id", lexicon=None,
                 min_tokens: int = MIN_TOKENS) -> pd.DataFrame:
    """Per ``by`` group and category: ``SCORE_COLUMNS`` (every category listed, zeros included).

    density = hits per 1,000 tokens; coverage = sentences with the category /
    sentences; ``dominant`` marks each layer's category with the largest
    coverage (then weighted hits) in the group, when it has any hit.
    ``by`` is ``doc_id`` or any column of ``sentences`` (e.g. a merged ``side``).
    """
    cats = frame_categories(lexicon)
    sentences = labelled(sentences, by)
    groups = sentences.groupby(by).agg(n_sentences=("sent_id", "size"), n_tokens=("n_tokens", "sum"))
    grid = groups.reset_index().merge(cats, how="cross")  # group-major: cell = group * len(cats) + category
    cell, sentence, weight = _hit_cells(hits, sentences, by, groups.index, cats)
    size = len(grid)
    grid["hits"] = np.bincount(cell, minlength=size)
    grid["weighted"] = pd.Series(weight).groupby(cell).sum().reindex(range(size), fill_value=0.0).to_numpy(float)
    distinct = np.unique(cell * max(len(sentences), 1) + sentence) // max(len(sentences), 1)
    grid["sentences_with"] = np.bincount(distinct, minlength=size)
    grid["density"] = 1000 * grid["hits"] / grid["n_tokens"].where(grid["n_tokens"] > 0)
    grid["coverage"] = grid["sentences_with"] / grid["n_sentences"].where(grid["n_sentences"] > 0)
    # dominant: per group and layer, the first hit row by coverage, then weighted hits (both descending)
    block = np.arange(size) // len(cats) * len(cats) + pd.factorize(cats["layer"])[0][np.arange(size) % len(cats)]
    live = np.flatnonzero(grid["hits"].to_numpy() > 0)
    ranked = live[np.lexsort((-grid["weighted"].to_numpy()[live], -grid["coverage"].to_numpy()[live], block[live]))]
    top = ranked[np.append(True, block[ranked][1:] != block[ranked][:-1])] if len(ranked) else ranked
    grid["dominant"] = np.isin(np.arange(size), top)
    grid["small_sample"] = grid["n_tokens"] < min_tokens
    live = np.flatnonzero(~hits["negated"].to_numpy(bool)) if not hits.empty else []
    columns = [hits[c] for c in ("doc_id", "layer", "category")] + [sentences[c] for c in {"doc_id", by}]
    if len(live) and any(isinstance(c.dtype, pd.CategoricalDtype) for c in columns):
        grid = grid.astype(_merged_key_types(hits.iloc[live[:1]], sentences, by, grid))
    return grid[[by, *SCORE_COLUMNS]].reset_index(drop=True)


def _merged_key_types(hit: pd.DataFrame, sentences: pd.DataFrame, by: str, grid: pd.DataFrame) -> dict:
    """Types of the grid's key columns once hit counts are merged onto it, as the merges that once
    did so set them (Categorical keys of different categories come out as strings; string keys
    keep the grid's type): those merges run on one live ``hit``, its sentence and one grid row."""
    keys, cells = ["doc_id", "sent_id"], [by, "layer", "category"]
    right = sentences[list(dict.fromkeys([*keys, by]))]
    same = (right["doc_id"] == hit["doc_id"].iloc[0]) & (right["sent_id"] == hit["sent_id"].iloc[0])
    located = hit[[*keys, "layer", "category"]].merge(right[same.to_numpy(bool)].iloc[:1] if same.any()
                                                      else right.iloc[:1], on=keys)
    counts = located.groupby(cells).size().rename("hits").reset_index()
    return grid[cells].iloc[:1].merge(counts, on=cells, how="left")[cells].dtypes.to_dict()


def _hit_cells(hits: pd.DataFrame, sentences: pd.DataFrame, by: str, groups: pd.Index, cats: pd.DataFrame):
    """For each live hit whose sentence is in ``sentences`` (its group in ``groups``) and whose
    category is in ``cats``: its grid cell, its sentence's row and its weight, in hit order."""
    if hits.empty:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    s_doc, h_doc = doc_codes(sentences["doc_id"], hits["doc_id"])
    row = find_rows(sentence_keys(s_doc, sentences["sent_id"]), sentence_keys(h_doc, hits["sent_id"]))
    (by_code,), values = coded(sentences[by])
    group = groups.get_indexer(values)[by_code]  # each sentence's group
    pairs = pd.MultiIndex.from_frame(cats[["layer", "category"]])
    category = pairs.get_indexer(pd.MultiIndex.from_arrays([plain_column(hits["layer"]), plain_column(hits["category"])]))
    group = np.where(row >= 0, group[np.maximum(row, 0)], -1)
    keep = np.flatnonzero(~hits["negated"].to_numpy(bool) & (group >= 0) & (category >= 0))
    return group[keep] * len(cats) + category[keep], row[keep], hits["weight"].to_numpy(float)[keep]


def frame_intervals(hits: pd.DataFrame, sentences: pd.DataFrame, *, by: str = "doc_id", lexicon=None,
                    n_boot: int = 1000, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Percentile bootstrap intervals of coverage and density, resampling sentences within each group.

    Returns ``by, layer, category, coverage, coverage_lo, coverage_hi, density, density_lo, density_hi``.
    Seeded (``seed``) so reruns give the same intervals. Sentences are resampled
    as if independent, which understates uncertainty for texts that cluster.
    """
    sentences = labelled(sentences, by)
    timeline = stat_sentence_frames(hits, sentences, lexicon=lexicon)
    names = [c for c in timeline.columns if c not in ("doc_id", "sent_id")]
    frame = sentences[["doc_id", "sent_id", "n_tokens"] + ([by] if by != "doc_id" else [])].merge(
        timeline, on=["doc_id", "sent_id"], how="left")
    present_all = (frame[names].to_numpy() > 0).astype(float)
    alpha = (1 - level) / 2
    rows = []
    hit_counts = _hit_counts(hits, frame, names)
    tokens_all = frame["n_tokens"].to_numpy(float)
    grouped = frame.groupby(by)
    keys = list(grouped.size().index)  # in ngroup order
    columns = [present_all, np.ones(len(frame)), hit_counts, tokens_all]
    for g, index, _, (s_present, s_ones, s_hits, s_tokens) in bootstrap_sums(
            columns, grouped.ngroup().to_numpy(), n_boot=n_boot, seed=seed, n_groups=len(keys)):
        key, present, n_hits, n_tok = keys[g], present_all[index], hit_counts[index], tokens_all[index]
        cover = s_present / s_ones[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            dens = np.nan_to_num(1000 * s_hits / np.where(s_tokens > 0, s_tokens, np.nan)[:, None])
        point_cover = present.mean(axis=0)
        point_dens = 1000 * n_hits.sum(axis=0) / max(n_tok.sum(), 1)
        for j, name in enumerate(names):
            layer, category = name.split(":", 1)
            rows.append({by: key, "layer": layer, "category": category,
                         "coverage": point_cover[j], "coverage_lo": np.quantile(cover[:, j], alpha),
                         "coverage_hi": np.quantile(cover[:, j], 1 - alpha),
                         "density": point_dens[j], "density_lo": np.quantile(dens[:, j], alpha),
                         "density_hi": np.quantile(dens[:, j], 1 - alpha)})
    columns = [by, "layer", "category", "coverage", "coverage_lo", "coverage_hi", "density", "density_lo",
               "density_hi"]
    return pd.DataFrame(rows, columns=columns)


def _hit_counts(hits: pd.DataFrame, frame: pd.DataFrame, names: list[str]) -> np.ndarray:
    live = _live(hits)
    if live.empty or not names:
        return np.zeros((len(frame), len(names)))
    live = live.assign(name=_cue_names(live))
    wide = live.pivot_table(index=["doc_id", "sent_id"], columns="name", values="cue_id", aggfunc="size")
    aligned = frame[["doc_id", "sent_id"]].merge(wide.reset_index(), on=["doc_id", "sent_id"], how="left")
    return aligned.reindex(columns=names).fillna(0).to_numpy(float)


def load_frame_mapping(source=None) -> Lexicon:
    """Which categories count for each narrative frame (RE HI CO MO EC; Frermann et al. 2023)."""
    return load_lexicon("framing_frame_mapping" if source is None else source,
                        required=("layer", "category", "narrative_frame"), unique=("layer", "category"))


def score_narrative_frames(hits: pd.DataFrame, sentences: pd.DataFrame, *, mapping=None,
                           min_sentences: int = 2) -> pd.DataFrame:
    """Per document and narrative frame: sentences with a mapped cue, coverage, and ``present``
    (at least ``min_sentences`` such sentences). One rule for every frame: nothing fitted per frame."""
    table = load_frame_mapping(mapping).table
    frames = list(dict.fromkeys(table["narrative_frame"]))
    docs = sentences.groupby("doc_id").agg(n_sentences=("sent_id", "size")).reset_index()
    grid = docs.merge(pd.DataFrame({"narrative_frame": frames}), how="cross")
    live = _live(hits)
    if not live.empty:
        live = live.merge(table, on=["layer", "category"])
        per = live.drop_duplicates(["doc_id", "sent_id", "narrative_frame"]).groupby(
            ["doc_id", "narrative_frame"]).size().rename("sentences_with").reset_index()
        grid = grid.merge(per, on=["doc_id", "narrative_frame"], how="left")
    grid["sentences_with"] = grid.get("sentences_with", pd.Series(0, index=grid.index)).fillna(0).astype(int)
    grid["coverage"] = grid["sentences_with"] / grid["n_sentences"].where(grid["n_sentences"] > 0)
    grid["present"] = grid["sentences_with"] >= min_sentences
    return grid
