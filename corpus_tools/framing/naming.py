"""Contested naming: which side's name a text uses for a disputed referent.

``lexicons/naming_pairs.csv`` lists ``concept, term, side`` (Azerbaijani
``az``, Armenian ``am`` and ``neutral`` usage for the Armenia-Azerbaijan
conflict, from the framing method notes); each conflict pack
(``lexicons/packs/NAME/naming_pairs.csv``) has its own, and its two sides
(``packs.naming_sides``: the pack's meta ``side_a``/``side_b``). The naming
alignment index of a document (method notes, section 2) is

    (side-A hits - side-B hits) / (all naming hits)

in [-1, 1]: +1 when every contested name is side A's, -1 when all are side
B's, NaN when the text uses none. Neutral names count in the denominator.
"""
from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from ..lexicons import Lexicon, load_lexicon
from ..tables import plain_column
from .cues import CueSet, compiled, match_cues

NAMING_SCORE_COLUMNS = ["hits", "side_a_hits", "side_b_hits", "other_hits", "alignment", "terms"]


def load_naming_pairs(source=None) -> Lexicon:
    """The bundled naming pairs or a user's file with ``concept, term, side`` (+ optional ``match``)."""
    lexicon = load_lexicon("naming_pairs" if source is None else source, required=("concept", "term", "side"),
                           unique=("term",))
    table = lexicon.table.copy()
    table["match"] = table.get("match", pd.Series("phrase", index=table.index)).replace("", "phrase")
    return Lexicon(table, lexicon.meta, lexicon.path)


def find_naming(sentences: pd.DataFrame, *, pairs=None) -> pd.DataFrame:
    """Audit table of naming hits (``layer`` 'naming', ``category`` = side, plus ``concept``)."""
    return match_cues(sentences, naming_cues(pairs))


def naming_cues(pairs=None) -> CueSet:
    """The naming pairs as a compiled cue set (cue id ``nm.CONCEPT.TERM``)."""
    lex = load_naming_pairs(pairs)
    table = lex.table.assign(cue_id=lambda t: "nm." + t["concept"] + "." + t["term"], pattern=lex.table["term"],
                             layer="naming", category=lex.table["side"], weight=1.0, negation_sensitive="no")
    cues = table[["cue_id", "layer", "category", "pattern", "match", "weight", "negation_sensitive", "concept",
                  "term"]]
    return compiled(cues, source=lex.path)


def score_naming(hits: pd.DataFrame, *, documents: pd.DataFrame | None = None, by: str = "doc_id",
                 side_a: str | None = None, side_b: str | None = None, pack=None) -> pd.DataFrame:
    """Per ``by`` group: naming hits by side, the alignment index and the terms used (with counts).

    ``side_a``/``side_b`` default to those of ``pack`` (a Pack, PackChoice or name; default the pack of
    the bundled naming pairs), see ``packs.naming_sides``; a pack without two sides gives alignment NaN.
    Every document of ``documents`` gets a row (0 hits, alignment NaN) when given.
    """
    if side_a is None or side_b is None:
        from .packs import naming_sides

        default_a, default_b = naming_sides(pack)
        side_a, side_b = side_a or default_a, side_b or default_b
    groups = pd.Index(documents[by].unique() if documents is not None else hits[by].unique() if len(hits) else [],
                      name=by)
    if hits.empty:
        out = pd.DataFrame(index=groups).assign(hits=0, side_a_hits=0, side_b_hits=0, other_hits=0,
                                                alignment=np.nan, terms="")
        return out.reset_index()[[by, *NAMING_SCORE_COLUMNS]]
    side = hits["category"]
    counts = hits.assign(a=side == side_a, b=side == side_b, o=~side.isin([side_a, side_b])).groupby(by).agg(
        hits=("cue_id", "size"), side_a_hits=("a", "sum"), side_b_hits=("b", "sum"), other_hits=("o", "sum"))
    terms = _term_lists(hits.assign(term_side=plain_column(hits["term"]) + " (" + plain_column(hits["category"]) + ")")
                        .groupby([by, "term_side"]).size().rename("n").reset_index()
                        .sort_values([by, "n"], ascending=[True, False], kind="stable"), by)
    out = counts.join(terms).reindex(groups.union(counts.index, sort=False) if len(groups) else counts.index)
    out[["hits", "side_a_hits", "side_b_hits", "other_hits"]] = out[
        ["hits", "side_a_hits", "side_b_hits", "other_hits"]].fillna(0).astype(int)
    out["terms"] = out["terms"].fillna("")
    out["alignment"] = (out["side_a_hits"] - out["side_b_hits"]) / out["hits"].where(
        (out["hits"] > 0) & (side_a is not None) & (side_b is not None))
    return out.rename_axis(by).reset_index()[[by, *NAMING_SCORE_COLUMNS]]


def _term_lists(counts: pd.DataFrame, by: str) -> pd.Series:
    """``terms`` per ``by`` group of ``counts`` (sorted by group): "term (side) xN, ..." in row order."""
    labels = [f"{t} x{n}" for t, n in zip(counts["term_side"].tolist(), counts["n"].tolist())]
    code = pd.factorize(counts[by])[0]  # each group's rows are contiguous
    starts = np.flatnonzero(np.diff(code, prepend=-1) != 0)
    bounds = [*starts.tolist(), len(labels)]
    return pd.Series([", ".join(labels[a:b]) for a, b in pairwise(bounds)], name="terms",
                     index=pd.Index(counts[by].iloc[starts], name=by))


def stat_naming_terms(hits: pd.DataFrame) -> pd.DataFrame:
    """Term counts over the corpus: ``concept, term, side, hits, documents``, most used first."""
    columns = ["concept", "term", "side", "hits", "documents"]
    if hits.empty:
        return pd.DataFrame(columns=columns)
    table = hits.groupby(["concept", "term", "category"]).agg(hits=("cue_id", "size"), documents=("doc_id", "nunique"))
    table = table.reset_index().rename(columns={"category": "side"})
    return table.sort_values(["hits", "term"], ascending=[False, True], kind="stable")[columns].reset_index(drop=True)
