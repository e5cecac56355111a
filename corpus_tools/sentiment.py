"""Sentence sentiment: scorers, evidence, a calibrated default score, aggregates, arcs, agreement.

Lexicon scorers run offline on the suite's own sentences:

* ``vader``: VADER (Hutto & Gilbert 2014) compound with its pos / neu / neg
  shares, from the lexicon shipped in the ``vaderSentiment`` package, scored in
  batch by :mod:`corpus_tools.vader` (identical to the package, with evidence);
* ``textblob``: TextBlob's PatternAnalyzer polarity and subjectivity (De Smedt
  & Daelemans 2012, *Pattern for Python*), which needs no NLTK data, scored in
  batch by :mod:`corpus_tools.textblob_batch` (equal to the package, with evidence);

and two more that reuse VADER's rules over other lexicons: ``afinn`` (AFINN-165,
Nielsen 2011, from the ``afinn`` package) and ``textblob_sum`` (TextBlob's word
polarities x 4, summed instead of averaged).

A scorer is a parameter: pass a registered name, a :class:`Scorer`, or build
one with :func:`vader_scorer` (VADER's rules over your own lexicon file) or
:func:`function_scorer` (any text -> number function).

The ``score`` column is the documented default: a linear model over the four
scorers' outputs and a few cheap features, fitted to the mean of ~20 human
ratings per sentence (Hutto & Gilbert's NYT editorial sentences) by
``bench/fit_default_score.py``; its weights and provenance (data file, split,
date, held-out r) are in ``lexicons/sentiment_default.csv`` + ``.meta.json``.
It is on the human scale divided by 4 (-1..+1).

Aggregates are over sentences, never a VADER compound over a whole document
(it saturates: a long text's summed valence drives s / sqrt(s^2 + 15) to ±1).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from .bootstrap import bootstrap_mean
from . import compare
from .clean import match_form
from .escaping import escape_md, md_code
from .findings import fmt_pct, listing, plural, small_sample_note
from .lexicons import load_lexicon
from .tables import labelled
from .validate import correlation, three_class, to_three_class
from .textblob_batch import lexicon as pattern_lexicon
from .textblob_batch import pattern_sentiment
from .vader import score_vader, split_words, vader_lexicon, vader_words

#: Neutral band of VADER compound (Hutto & Gilbert's own convention) and TextBlob polarity.
SCORER_BANDS = {"vader_compound": 0.05, "textblob_polarity": 0.05}
EVIDENCE_COLUMNS = ["doc_id", "sent_id", "scorer", "word_id", "word", "base", "value", "rules"]
AGGREGATE_COLUMNS = ["n_sentences", "mean", "ci_low", "ci_high", "weighted_mean",
                     "share_positive", "share_neutral", "share_negative"]


@dataclass(frozen=True)
class Scorer:
    """A sentence scorer: ``func(texts, evidence)`` returns a table with ``columns`` (and,
    with ``evidence=True``, a second table ``row, word_id, word, base, value, rules``).

    With ``prepare`` (``texts -> tokens``), ``func(texts, evidence, tokens)`` is passed its result,
    computed once for all scorers with the same ``prepare`` that score the same texts."""

    name: str
    columns: tuple[str, ...]
    main: str
    func: Callable = field(repr=False)
    description: str = ""
    prepare: Callable | None = field(default=None, repr=False)

    def __call__(self, texts, *, evidence: bool = False, prepared=None):
        texts = list(texts)
        if self.prepare is None:
            return self.func(texts, evidence)
        return self.func(texts, evidence, self.prepare(texts) if prepared is None else prepared)


def _run_scorers(scorers: Sequence[Scorer], texts: list[str], *, evidence: bool = False,
                 prepared: dict | None = None) -> list:
    """Each scorer's result on ``texts``; what scorers share (``prepare``) is computed once
    (and left in ``prepared``, keyed by the ``prepare`` function)."""
    prepared = {} if prepared is None else prepared
    results = []
    for scorer in scorers:
        if scorer.prepare is not None and scorer.prepare not in prepared:
            prepared[scorer.prepare] = scorer.prepare(texts)
        results.append(scorer(texts, evidence=evidence, prepared=prepared.get(scorer.prepare)))
    return results


def vader_scorer(*, lexicon=None, name: str = "vader") -> Scorer:
    """VADER's rules over a lexicon: the package's (default), or a user's file
    (``word<TAB>value`` like ``vader_lexicon.txt``, or CSV/TSV with ``word,value``), or a
    function returning either (called when scoring)."""
    def run(texts, evidence, words):
        return score_vader(texts, lexicon=lexicon() if callable(lexicon) else lexicon, evidence=evidence,
                           words=words)
    source = "vaderSentiment's vader_lexicon.txt" if lexicon is None else getattr(lexicon, "__name__", str(lexicon))
    return Scorer(name, ("compound", "pos", "neu", "neg"), "compound", run,
                  f"VADER rules (Hutto & Gilbert 2014) over {source}", prepare=vader_words)


def _textblob(texts, evidence, words):
    if not evidence:
        polarity, subjectivity = pattern_sentiment(texts, split=words.split)
        return pd.DataFrame({"polarity": polarity, "subjectivity": subjectivity})
    polarity, subjectivity, assessed = pattern_sentiment(texts, assessments=True, split=words.split)
    rows = [(row, word_id, " ".join(chunk), _textblob_base(chunk), p, _textblob_rules(chunk))
            for row, found in enumerate(assessed) for word_id, (chunk, p, _s) in enumerate(found)]
    return (pd.DataFrame({"polarity": polarity, "subjectivity": subjectivity}),
            pd.DataFrame(rows, columns=["row", "word_id", "word", "base", "value", "rules"]))


def _textblob_base(chunk) -> float:
    known = [w for w in chunk if w in pattern_lexicon()]
    return float(pattern_lexicon()[known[-1]][0]) if known else np.nan


def _textblob_rules(chunk) -> str:
    """Rules TextBlob applied to an assessed chunk (negation x -0.5, modifier x intensity, '!' x1.25)."""
    negations = ("no", "not", "n't", "never")
    rules = []
    if any(w in negations for w in chunk):
        rules.append(f"negated by '{next(w for w in chunk if w in negations)}' (x -0.5)")
    words = [w for w in chunk if w not in negations and w != "!"]
    if len(words) > 1:
        rules.append(f"intensifier '{words[0]}' (x intensity)")
    if "!" in chunk:
        rules.append("'!' (x1.25)")
    return "; ".join(rules)


def function_scorer(name: str, func: Callable[[str], float], *, description: str = "") -> Scorer:
    """A scorer from any function ``text -> number`` (one column, ``score``; no evidence)."""
    def run(texts, evidence):
        scores = pd.DataFrame({"score": [float(func(t)) for t in texts]})
        return (scores, pd.DataFrame(columns=["row", "word_id", "word", "base", "value", "rules"])) \
            if evidence else scores
    return Scorer(name, ("score",), "score", run, description or f"user function {name}")


def afinn_lexicon() -> dict:
    """AFINN-165 (Nielsen 2011, ODbL), as shipped in the ``afinn`` pip package: word -> -5..+5."""
    from importlib import resources
    return vader_lexicon(str(resources.files("afinn") / "data" / "AFINN-en-165.txt"))


@lru_cache(maxsize=1)
def textblob_lexicon() -> dict:
    """TextBlob's (Pattern's) word polarities x 4, averaged over senses and parts of speech,
    on VADER's -4..+4 scale: for summing under VADER's rules where TextBlob averages."""
    return {w: 4 * entry[0] for w, entry in pattern_lexicon().items() if entry[0] != 0}


SCORERS: dict[str, Scorer] = {
    "vader": vader_scorer(),
    "textblob": Scorer("textblob", ("polarity", "subjectivity"), "polarity", _textblob,
                       "TextBlob PatternAnalyzer (De Smedt & Daelemans 2012)", prepare=vader_words),
    "afinn": replace(vader_scorer(lexicon=afinn_lexicon, name="afinn"),
                     description="AFINN-165 (Nielsen 2011) under VADER's rules"),
    "textblob_sum": replace(vader_scorer(lexicon=textblob_lexicon, name="textblob_sum"),
                            description="TextBlob's word polarities x4 summed under VADER's rules"),
}
#: Scorers the default score needs.
DEFAULT_SCORERS = ("vader", "textblob", "afinn", "textblob_sum")


def register_scorer(scorer: Scorer) -> None:
    """Make ``scorer`` available by its name (e.g. in ``score_sentences(scorers=[...])``)."""
    SCORERS[scorer.name] = scorer


def get_scorer(scorer) -> Scorer:
    if isinstance(scorer, Scorer):
        return scorer
    if scorer not in SCORERS:
        raise KeyError(f"unknown scorer {scorer!r}; registered: {', '.join(SCORERS)}")
    return SCORERS[scorer]


def _texts(sentences: pd.DataFrame, text_column: str) -> list[str]:
    # Curly quotes and apostrophes made plain (same length), so that VADER's ASCII
    # punctuation stripping and negation cues ("don’t") see them.
    return [match_form(str(t)) for t in sentences[text_column]]


def score_sentences(sentences: pd.DataFrame, *, scorers: Sequence = DEFAULT_SCORERS,
                    text_column: str = "text", default: bool = True, model=None,
                    chunk_size: int = 50_000) -> pd.DataFrame:
    """``sentences`` plus one column per scorer output (``vader_compound``, ``textblob_polarity``, ...)
    and, with ``default=True`` (needs ``DEFAULT_SCORERS``), the default ``score`` and its ``label``
    (negative / neutral / positive; neutral when ``|score| <= default_band()``)."""
    out = sentences.copy()
    texts = _texts(sentences, text_column) if len(sentences) else []
    scorers = [get_scorer(s) for s in scorers]
    # In chunks, so that memory stays flat on corpora of millions of sentences.
    parts, cues = [], []
    for i in range(0, len(texts), chunk_size):
        part, prepared = texts[i:i + chunk_size], {}
        parts.append(_run_scorers(scorers, part, prepared=prepared))
        if default and text_column == "text":  # the default score's cues, from the words the scorers split
            cues.append(_text_cues(prepared[vader_words].split if vader_words in prepared else split_words(part)))
    for k, scorer in enumerate(scorers):
        table = pd.concat([p[k] for p in parts], ignore_index=True) if parts else \
            pd.DataFrame(columns=list(scorer.columns), dtype=float)
        for column in scorer.columns:
            out[f"{scorer.name}_{column}"] = table[column].to_numpy(dtype=float)
    if default:
        cues = {name: np.concatenate([c[name] for c in cues]) for name in _CUES} if cues else _cues(out, None)
        out["score"] = _default_score(out, model, cues).to_numpy()
        band = default_band(None if isinstance(model, dict) else model)
        out["label"] = pd.Series(to_three_class(out["score"], neutral_band=band), index=out.index, dtype=object)
    return out


def score_evidence(sentences: pd.DataFrame, *, scorers: Sequence = ("vader", "textblob"),
                   text_column: str = "text", keys: Sequence[str] = ("doc_id", "sent_id")) -> pd.DataFrame:
    """The words that carried each sentence's score: one row per scored word (VADER) or
    assessed chunk (TextBlob), with its lexicon value (``base``), its value after the rules
    (``value``) and the ``rules`` that changed it (negation, 'but', intensifiers, capitals).
    ``word_id`` counts words as the scorer split them."""
    keys = [k for k in keys if k in sentences.columns]
    texts = _texts(sentences, text_column) if len(sentences) else []
    tables = []
    scorers = [get_scorer(s) for s in scorers]
    for scorer, (_, table) in zip(scorers, _run_scorers(scorers, texts, evidence=True) if texts else []):
        for key in keys:
            table[key] = sentences[key].to_numpy()[table["row"].to_numpy(dtype=int)]
        tables.append(table.assign(scorer=scorer.name))
    columns = keys + [c for c in EVIDENCE_COLUMNS if c not in ("doc_id", "sent_id")]
    if not tables:
        return pd.DataFrame(columns=columns)
    return pd.concat(tables, ignore_index=True)[columns]


def evidence_words(evidence: pd.DataFrame, *, scorer: str = "vader", n: int = 4,
                   keys: Sequence[str] = ("doc_id", "sent_id")) -> pd.DataFrame:
    """Per sentence, the ``n`` words of ``scorer`` with the largest absolute value after the rules,
    as one readable string (``*war* (-2.90), *peace* (+2.50)``) in column ``words``."""
    keys = list(keys)
    part = evidence[evidence["scorer"] == scorer]
    part = part.reindex(part["value"].abs().sort_values(ascending=False, kind="stable").index).groupby(keys).head(n)
    words = part.groupby(keys, sort=False).apply(
        lambda g: ", ".join(f"*{w}* ({v:+.2f})" for w, v in zip(g["word"], g["value"])), include_groups=False)
    return words.rename("words").reset_index() if len(part) else pd.DataFrame(columns=keys + ["words"])


# --------------------------------------------------------------------------- the default score


@lru_cache(maxsize=4)
def _load_model(source: str = "sentiment_default"):
    lexicon = load_lexicon(source, required=("feature", "weight"), unique=("feature",))
    return dict(zip(lexicon.table["feature"], lexicon.table["weight"].astype(float))), lexicon.meta


def default_model(source: str = "sentiment_default") -> tuple[dict, dict]:
    """``(weights, provenance)`` of the default score (bundled file, or a user's CSV ``feature,weight``)."""
    return _load_model(str(source))


def default_band(model=None) -> float:
    """Neutral band of the default score (|score| <= band is neutral), chosen when fitting as the
    band with the best 3-class macro-F1 on the training part (gold cut at ±0.5 on -4..+4)."""
    return float(default_model(str(model or "sentiment_default"))[1].get("neutral_band", 0.1))


_NEGATION = re.compile(r"\b(?:not|no|never|without)\b|n't")
_BUT = re.compile(r"\bbut\b")
_CUES = ("has_negation", "has_but", "question", "log_words")


def _text_cues(split) -> dict[str, np.ndarray]:
    """The cues of the default score per text (negation, 'but', '?', log words), from ``split_words``
    of the texts. A cue's pattern holds no whitespace and its word boundaries fall alike at a space
    and at the end of a word, so a text has a cue iff one of its words has: each distinct word is
    lower-cased (by pandas, character by character, as the texts were) and tested once."""
    codes, words, lengths = split
    # pandas' lower-casing, as before (pyarrow's utf8_lower for the str dtype differs from str.lower on 'İ').
    lower = pd.Series(words, dtype="str").str.lower().tolist()
    found = {
        # (substring tests first: the same answers, without scanning most words with a regex)
        "has_negation": ["n't" in t or (("no" in t or "never" in t or "without" in t)
                                        and _NEGATION.search(t) is not None) for t in lower],
        "has_but": ["but" in t and _BUT.search(t) is not None for t in lower],
        "question": ["?" in t for t in lower],
    }
    row = np.repeat(np.arange(len(lengths)), lengths)
    cues = {}
    for name, flags in found.items():
        cues[name] = np.zeros(len(lengths))
        cues[name][row[np.array(flags, dtype=bool)[codes]]] = 1.0
    cues["log_words"] = np.log1p(lengths.astype(float))
    return cues


def _cues(scored: pd.DataFrame, plain: list[str] | None) -> dict[str, np.ndarray]:
    if plain is None:
        plain = _texts(scored, "text") if "text" in scored else [""] * len(scored)
    return _text_cues(split_words(plain))


def score_features(scored: pd.DataFrame, *, plain: list[str] | None = None) -> pd.DataFrame:
    """Features of the default score: the scorers' outputs (``DEFAULT_SCORERS``), two agreement
    products, cheap cues (negation, 'but', '?') and length (log words; pos / neg shares x length,
    since a share of 0.2 in a long sentence is more sentiment than in a short one).
    ``plain``: the ``text`` column through ``match_form``, when the caller has it already."""
    return _features(scored, _cues(scored, plain))


def _features(scored: pd.DataFrame, cues: dict[str, np.ndarray]) -> pd.DataFrame:
    column = scored.__getitem__
    compound, polarity = column("vader_compound").astype(float), column("textblob_polarity").astype(float)
    subjectivity = column("textblob_subjectivity").astype(float)
    log_words = cues["log_words"]
    return pd.DataFrame({
        "intercept": 1.0,
        "vader_compound": compound,
        "vader_pos": column("vader_pos").astype(float),
        "vader_neg": column("vader_neg").astype(float),
        "textblob_polarity": polarity,
        "textblob_subjectivity": subjectivity,
        "afinn_compound": column("afinn_compound").astype(float),
        "afinn_pos": column("afinn_pos").astype(float),
        "afinn_neg": column("afinn_neg").astype(float),
        "textblob_sum_compound": column("textblob_sum_compound").astype(float),
        "polarity_x_subjectivity": polarity * subjectivity,
        "compound_x_polarity": compound * polarity,
        "has_negation": cues["has_negation"],
        "has_but": cues["has_but"],
        "question": cues["question"],
        "log_words": log_words,
        "vader_neg_x_log_words": column("vader_neg").astype(float).to_numpy() * log_words,
        "vader_pos_x_log_words": column("vader_pos").astype(float).to_numpy() * log_words,
    }, index=scored.index)


def default_score(scored: pd.DataFrame, *, model=None, plain: list[str] | None = None) -> pd.Series:
    """The calibrated default score: ``features @ weights`` clipped to [-1, 1] (human scale / 4).

    The sum runs feature by feature in the model's order, so a sentence's score does not depend
    on which other sentences are scored with it (a matrix product's blocking would).
    ``model`` is a ``{feature: weight}`` dict, a path to a ``feature,weight`` CSV, or None for
    the bundled ``sentiment_default`` fitted by ``bench/fit_default_score.py``."""
    return _default_score(scored, model, _cues(scored, plain) if len(scored) else None)


def _default_score(scored: pd.DataFrame, model, cues: dict[str, np.ndarray] | None) -> pd.Series:
    if len(scored) == 0:
        return pd.Series(dtype=float, index=scored.index, name="score")
    weights = model if isinstance(model, dict) else default_model(str(model or "sentiment_default"))[0]
    features = _features(scored, cues)
    missing = [f for f in weights if f not in features]
    if missing:
        raise KeyError(f"default score model needs unknown feature(s): {', '.join(missing)}")
    values = np.zeros(len(features))
    for feature, weight in weights.items():
        values = values + features[feature].to_numpy(dtype=float) * weight
    return pd.Series(np.clip(values, -1.0, 1.0), index=scored.index, name="score")


# --------------------------------------------------------------------------- aggregates


def _labels(values: pd.Series, band: float) -> np.ndarray:
    return to_three_class(values, neutral_band=band)


def bootstrap_means(values: np.ndarray, groups: np.ndarray, *, clusters=None, n_boot: int = 1000, seed: int = 0,
                    level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval (Efron & Tibshirani 1993) of each group's mean; ``groups`` are
    integer codes 0..G-1. Sentences are resampled within the group, or, with ``clusters`` (e.g. the
    ``doc_id`` of each value), whole documents when the group holds more than one
    (``bootstrap.bootstrap_mean``, which also says which). Groups of one value get NaN."""
    low, high, _ = bootstrap_mean(values, groups, clusters=clusters, n_boot=n_boot, seed=seed, level=level)
    return low, high


def group_keys(data: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``data`` with each group column of ``by`` labelled (missing or blank values read
    ``tables.NO_GROUP``, "(none)"; ``doc_id`` left as it is), so no group is NaN or dropped."""
    for column in by:
        data = labelled(data, column)
    return data


def stat_sentiment(scored: pd.DataFrame, *, by: Sequence[str] = ("doc_id",), score: str = "score",
                   band: float | None = None, weight: str = "n_tokens", cluster: str | None = "doc_id",
                   n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Sentiment per group of sentences: mean with a seeded bootstrap 95% interval, the mean
    weighted by ``weight`` (sentence length), and the shares of positive / neutral / negative
    sentences (neutral band ``band``; ``default_band()`` for ``score``, 0.05 for VADER compound and
    TextBlob polarity). Never scores a whole document at once.

    The interval of a group with more than one document resamples its documents (``cluster``, the
    column naming each sentence's document; ``None`` resamples sentences everywhere), that of a group
    of one document its sentences: the ``resampled`` column says which ("documents", "sentences").
    Missing or blank group values form the group "(none)"."""
    by = list(by)
    band = band if band is not None else (default_band() if score == "score" else SCORER_BANDS.get(score, 0.05))
    data = scored.dropna(subset=[score])
    if data.empty:
        return pd.DataFrame(columns=by + AGGREGATE_COLUMNS + ["resampled"])
    data = group_keys(data, by)
    groups = data.groupby(by, sort=True, observed=True, dropna=False)
    codes = groups.ngroup().to_numpy()
    values = data[score].to_numpy(dtype=float)
    weights = data[weight].to_numpy(dtype=float) if weight in data else np.ones(len(data))
    labels = _labels(data[score], band)
    table = pd.DataFrame({
        "n_sentences": np.bincount(codes),
        "mean": np.bincount(codes, weights=values) / np.bincount(codes),
        "weighted_mean": np.bincount(codes, weights=values * weights) / np.maximum(np.bincount(codes, weights=weights), 1e-12),
        **{f"share_{lab}": np.bincount(codes, weights=labels == lab, minlength=codes.max() + 1) / np.bincount(codes)
           for lab in ("positive", "neutral", "negative")},
    })
    clusters = data[cluster] if cluster is not None and cluster in data else None
    table["ci_low"], table["ci_high"], table["resampled"] = bootstrap_mean(values, codes, clusters=clusters,
                                                                           n_boot=n_boot, seed=seed)
    keys = groups.size().reset_index()[by] if by else pd.DataFrame(index=[0])
    return pd.concat([keys.reset_index(drop=True), table[AGGREGATE_COLUMNS + ["resampled"]]], axis=1)


def voice_units(scored: pd.DataFrame) -> pd.DataFrame:
    """``scored`` with ``voice``: "quoted" for a sentence inside a direct quotation (``in_quote``), else
    "narrative"."""
    return scored.assign(voice=np.where(scored["in_quote"].astype(bool), "quoted", "narrative")) \
        if len(scored) else scored.assign(voice=pd.Series(dtype=object))


def stat_voice(scored: pd.DataFrame, *, by: Sequence[str] = (), **kwargs) -> pd.DataFrame:
    """``stat_sentiment`` for narrative vs quoted sentences (``voice_units``), within ``by`` groups."""
    return stat_sentiment(voice_units(scored), by=[*by, "voice"], **kwargs)


def stat_arc(scored: pd.DataFrame, *, score: str = "score", window: float = 0.25,
             doc: str = "doc_id", order: str = "sent_id") -> pd.DataFrame:
    """Sentiment through each document: ``position`` = (rank + 0.5) / n in (0, 1), so documents of
    different lengths compare, and ``rolling``, the centred mean over a window of ``window`` x n
    sentences (at least 1; truncated at the ends)."""
    columns = [doc, order, "position", score, "rolling", "n_in_window"]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    data = scored.sort_values([doc, order], kind="stable")
    codes = data.groupby(doc, sort=False, observed=True).ngroup().to_numpy()
    sizes = np.bincount(codes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    n = sizes[codes]
    rank = np.arange(len(data)) - starts[codes]
    half = np.maximum(0, np.round(window * n / 2)).astype(int)
    values = data[score].to_numpy(dtype=float)
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    low = starts[codes] + np.maximum(rank - half, 0)
    high = starts[codes] + np.minimum(rank + half, n - 1) + 1
    return pd.DataFrame({doc: data[doc].to_numpy(), order: data[order].to_numpy(),
                         "position": (rank + 0.5) / n, score: values,
                         "rolling": (cumulative[high] - cumulative[low]) / (high - low),
                         "n_in_window": high - low}, columns=columns)


def stat_arc_bins(arc: pd.DataFrame, *, score: str = "score", bins: int = 10,
                  by: Sequence[str] = ()) -> pd.DataFrame:
    """Mean of ``score`` per tenth (``bins``) of the document, across documents (within ``by``)."""
    by = list(by)
    columns = by + ["bin", "position", "mean", "n_sentences"]
    if arc.empty:
        return pd.DataFrame(columns=columns)
    data = arc.assign(bin=np.minimum((arc["position"] * bins).astype(int), bins - 1))
    table = data.groupby([*by, "bin"], observed=True)[score].agg(["mean", "size"]).reset_index()
    table["position"] = (table["bin"] + 0.5) / bins
    return table.rename(columns={"size": "n_sentences"})[columns]


# --------------------------------------------------------------------------- agreement


def stat_agreement(scored: pd.DataFrame, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Pearson and Spearman r between every pair of scores (default: each scorer's main output
    and the default score), over the sentences both score."""
    columns = list(columns or [c for c in ("vader_compound", "textblob_polarity", "score") if c in scored])
    rows = []
    for i, a in enumerate(columns):
        for b in columns[i + 1:]:
            r = correlation(scored[a], scored[b])
            rows.append({"a": a, "b": b, "pearson": r["pearson"], "spearman": r["spearman"], "n": r["n"]})
    return pd.DataFrame(rows, columns=["a", "b", "pearson", "spearman", "n"])


def disagreements(scored: pd.DataFrame, *, a: str = "vader_compound", b: str = "textblob_polarity",
                  n: int = 5) -> pd.DataFrame:
    """The ``n`` sentences on which two scores disagree most: largest gap between their percentile
    ranks (so scales need not match), with both scores and ``gap`` (signed, a minus b)."""
    if scored.empty:
        return scored.assign(gap=pd.Series(dtype=float))
    gap = scored[a].rank(pct=True) - scored[b].rank(pct=True)
    return scored.assign(gap=gap).reindex(gap.abs().sort_values(ascending=False, kind="stable").index).head(n)


def extremes(scored: pd.DataFrame, *, score: str = "score", n: int = 3) -> pd.DataFrame:
    """The ``n`` most positive and ``n`` most negative sentences, with a ``side`` column."""
    if scored.empty:
        return scored.assign(side=pd.Series(dtype=object))
    top = scored.nlargest(n, score).assign(side="most positive")
    bottom = scored.drop(top.index).nsmallest(n, score).assign(side="most negative")
    return pd.concat([top, bottom])


# --------------------------------------------------------------------------- validation


def read_ratings(path, *, text_column: str = "text", gold_column: str = "human_mean") -> pd.DataFrame:
    """A file of human ratings (TSV/CSV with a text and a numeric gold column), with ``article``
    taken from an ``id`` of the form ``article_sentence`` when there is one."""
    sep = "\t" if str(path).endswith((".tsv", ".tab")) else ","
    table = pd.read_csv(path, sep=sep, dtype={text_column: str}, keep_default_na=False)
    for column in (text_column, gold_column):
        if column not in table:
            raise ValueError(f"{path}: no column {column!r}; has {', '.join(table.columns)}")
    table[gold_column] = pd.to_numeric(table[gold_column], errors="coerce")
    if "id" in table:
        table["article"] = table["id"].astype(str).str.split("_").str[0]
    return table


def held_out_articles(ratings: pd.DataFrame, *, share: float = 0.3, seed: int = 20240927) -> np.ndarray:
    """Boolean mask of rows whose article is held out (a seeded random ``share`` of articles)."""
    articles = np.sort(ratings["article"].unique())
    rng = np.random.default_rng(seed)
    held = set(rng.choice(articles, size=int(round(share * len(articles))), replace=False))
    return ratings["article"].isin(held).to_numpy()


def validate_scores(scored: pd.DataFrame, gold: str, *, columns: Sequence[str] | None = None,
                    gold_band: float = 0.5, bands: dict | None = None) -> pd.DataFrame:
    """Pearson / Spearman r and 3-class accuracy / macro-F1 of each score column against ``gold``
    (gold cut at ±``gold_band``, each score at its stated band: ``bands``, else ``default_band()``
    for ``score`` and 0.05 for the scorers)."""
    columns = list(columns or [c for c in ("textblob_polarity", "vader_compound", "score") if c in scored])
    rows = []
    for column in columns:
        band = (bands or {}).get(column) or (default_band() if column == "score" else SCORER_BANDS.get(column, 0.05))
        r = correlation(scored[column], scored[gold])
        c = three_class(scored[column], scored[gold], neutral_band=band, gold_band=gold_band)
        rows.append({"score": column, "pearson": r["pearson"], "spearman": r["spearman"],
                     "accuracy": c["accuracy"], "macro_f1": c["macro_f1"], "band": band, "n": r["n"]})
    return pd.DataFrame(rows, columns=["score", "pearson", "spearman", "accuracy", "macro_f1", "band", "n"])


# --------------------------------------------------------------------------- groups, periods, events
# The means per group, period and side of an event come from ``compare`` (cluster bootstrap over
# documents); what follows picks what to compare on a corpus of this shape and says it in words.


class Sections(NamedTuple):
    """Why each comparison is absent (one sentence), or None where it is shown."""
    groups: str | None
    time: str | None
    event: str | None


def absent_sections(documents: pd.DataFrame, *, group_column: str | None, event_date=None,
                    period_column: str = "period") -> Sections:
    """Which of the comparisons by group, over time and around ``event_date`` a corpus supports:
    groups need a group column with two or more values, time two dated periods, the event a date
    and dated documents. ``documents``: ``Study.documents`` (with ``period`` and ``group``)."""
    from .compare import NO_DATE

    n = len(documents)
    single = "The corpus is a single document, so there is no {}." if n == 1 else None
    n_groups = documents["group"].nunique() if group_column and "group" in documents else 0
    if single:
        groups = single.format("comparison of sentiment between groups")
    elif not group_column:
        groups = ("No group column is set (`group_column`) and the documents have no `side` or `source` "
                  "with two values, so sentiment is not compared between groups.")
    elif n_groups < 2:
        groups = f"All documents have the same {md_code(group_column)}, so there is no comparison between groups."
    else:
        groups = None
    periods = documents.loc[documents[period_column] != NO_DATE, period_column].nunique()
    if single:
        time = single.format("trend over time")
    elif periods == 0:
        time = "No document has a parseable date (`date_column`), so there is no trend over time."
    elif periods == 1:
        time = "All dated documents fall in one period, so there is no trend over time."
    else:
        time = None
    if event_date is None:
        event = ("No `event_date` is set, so there is no comparison before and after an event "
                 "(set e.g. `event_date = \"2022-02-24\"`).")
    else:
        event = single.format(f"comparison before and after {escape_md(event_date)}") if single else \
            None if periods else f"No document has a parseable date, so there is no comparison around {escape_md(event_date)}."
    return Sections(groups, time, event)


def unit_caption(table: pd.DataFrame, *, units: str = "sentences", unit_column: str = "unit") -> str:
    """The resampling unit of a ``compare`` table's intervals, for a caption."""
    found = set(table[unit_column]) if unit_column in table and len(table) else {"documents"}
    if found == {"documents"}:
        return "95% cluster-bootstrap intervals (unit: documents, resampled within each cell)"
    if "documents" not in found:
        return f"95% bootstrap intervals over {units} (each cell holds one document)"
    return (f"95% cluster-bootstrap intervals (unit: documents; {units} where a cell holds one document, "
            "see the unit column)")


def voice_units(scored: pd.DataFrame) -> pd.DataFrame:
    """``scored`` with ``voice``: "quoted" inside a direct quotation (``in_quote``), else "narrative"."""
    quoted = scored["in_quote"].astype(bool) if "in_quote" in scored else pd.Series(False, index=scored.index)
    return scored.assign(voice=np.where(quoted, "quoted", "narrative"))


def arc_units(scored: pd.DataFrame, *, bins: int = 10, score: str = "score") -> pd.DataFrame:
    """One row per sentence with its document, ``score`` and ``decile`` of position in the document
    (``bins`` equal parts of ``stat_arc``'s position), for a mean arc per group with ``compare``."""
    arc = stat_arc(scored, score=score, window=0)
    return arc.assign(decile=np.minimum((arc["position"] * bins).astype(int), bins - 1) + 1)


def pick_documents(scored: pd.DataFrame, documents: pd.DataFrame, *, group: str | None = None,
                   score: str = "score", title: str = "title") -> pd.DataFrame:
    """Per group, the most typical document (mean sentence score nearest the median of its group's
    document means) and the most extreme (farthest from it), named by title; one row per pick with
    ``pick`` ("typical", "most extreme"), ``doc_id``, ``name``, ``mean``, ``n_sentences``."""
    means = scored.groupby("doc_id", sort=True)[score].agg(["mean", "size"]).reset_index()
    docs = documents.assign(doc_id=documents["doc_id"].astype(str))
    means = means.assign(doc_id=means["doc_id"].astype(str)).merge(
        docs[["doc_id", *([group] if group else []), *([title] if title in docs else [])]], on="doc_id", how="left")
    means = means.assign(__group__=labelled(means, group)[group] if group else "all documents")
    rows = []
    for key, part in means.groupby("__group__", sort=True):
        distance = (part["mean"] - part["mean"].median()).abs()
        order = part.assign(distance=distance).sort_values(["distance", "doc_id"], kind="stable")
        for pick, row in (("typical", order.iloc[0]), ("most extreme", order.iloc[-1])):
            if pick == "most extreme" and len(part) == 1:
                continue
            name = str(row[title]) if title in row and pd.notna(row[title]) and str(row[title]).strip() else row["doc_id"]
            rows.append({"group": key, "pick": pick, "doc_id": row["doc_id"], "name": name[:60],
                         "mean": row["mean"], "n_sentences": int(row["size"])})
    return pd.DataFrame(rows, columns=["group", "pick", "doc_id", "name", "mean", "n_sentences"])


# --------------------------------------------------------------------------- commentary
# Markdown built from the computed tables (issue 14 item 5): true on any corpus, groups never pooled,
# seed-only interpretation only for the bundled corpus.

SENTENCE_LABEL = "sentence sentiment (default score)"


def _band_note(means, band: float) -> str:
    """How many of the means lie inside the neutral band."""
    means = [m for m in means if np.isfinite(m)]
    inside = sum(abs(m) <= band for m in means)
    if not means:
        return ""
    if inside == len(means):
        return f" Every mean lies inside the neutral band (±{band:g}): by the default score, the tone is neutral throughout."
    return f" {inside} of {len(means)} means lie inside the neutral band (±{band:g})." if inside else ""


def describe_corpus(documents: pd.DataFrame, scored: pd.DataFrame, *, group_column: str | None, targets,
                    pack: str) -> str:
    """What is scored: documents, content sentences, the group column, the actors followed."""
    n = len(scored)
    text = (f"**Corpus.** {plural(len(documents), 'document')}, {plural(n, 'content sentence')} scored "
            "(captions and repeated lines left out)"
            + (f"; groups from {md_code(group_column)} ({plural(documents['group'].nunique(), 'group')})"
               if group_column else "")
            + f"; actors followed: {listing([md_code(t) for t in targets], limit=8)} (from {md_code(pack)}; "
            "set `actors` to choose).")
    if not n:
        return text + " **There are no sentences to score**: the sections below say so."
    note = small_sample_note(int(scored["n_tokens"].sum()), n) if "n_tokens" in scored else ""
    return text + (" " + note if note else "")


def describe_distributions(scored: pd.DataFrame, columns: Sequence[str], *, band: float) -> str:
    """Mean per scorer, the default score's label shares, and why TextBlob sits nearer zero than VADER."""
    if scored.empty:
        return "No sentences, so no distribution."
    means, spread = scored[list(columns)].mean(), scored[list(columns)].std()
    shares = scored["label"].value_counts(normalize=True).reindex(["positive", "neutral", "negative"], fill_value=0)
    text = (f"**What the chart shows.** Mean sentence scores: "
            + listing([f"{_column_label(c)} {means[c]:+.2f}" for c in columns], limit=len(columns))
            + f". By the default score (neutral band ±{band:g}), {fmt_pct(shares['positive'])} of sentences are "
            f"positive, {fmt_pct(shares['neutral'])} neutral and {fmt_pct(shares['negative'])} negative.")
    if {"vader_compound", "textblob_polarity"} <= set(columns) and len(scored) >= 2:
        narrower = spread["textblob_polarity"] < spread["vader_compound"]
        text += (f" TextBlob's scores sit {'closer to zero than' if narrower else 'as wide as'} VADER's (standard "
                 f"deviation {spread['textblob_polarity']:.2f} vs {spread['vader_compound']:.2f}): it averages the "
                 "rated words of a sentence, while VADER sums them and squashes the sum.")
    return text


def _column_label(column: str) -> str:
    from .sentiment_plots import label
    return label(column)


def describe_extremes(ends: pd.DataFrame, evidence: pd.DataFrame) -> str:
    """The words that carried the most positive and the most negative sentence, and the rules used."""
    if ends.empty:
        return "No sentences, so no extremes."
    words = evidence_words(evidence).set_index(["doc_id", "sent_id"])["words"]
    top = ends.iloc[0]
    negative = ends[ends["side"] == "most negative"]
    bottom = negative.iloc[0] if len(negative) else ends.iloc[-1]
    carried = [words.get((row["doc_id"], row["sent_id"]), "no VADER word") for row in (top, bottom)]
    ruled = evidence[evidence["rules"].astype(str).str.len() > 0]
    rules = sorted(set(ruled["rules"].str.split(" [(]").str[0]))
    return (f"**What the tables show.** The most positive sentence (default score {top['score']:+.2f}) owes its VADER "
            f"score to {carried[0]}; the most negative ({bottom['score']:+.2f}) to {carried[1]}. "
            + (f"Rules changed {plural(len(ruled), 'word score')} here ({escape_md(listing(rules, limit=4))})."
               if len(ruled) else "No negation, contrast, intensifier or capitals rule changed a word score here."))


def describe_agreement(agreement: pd.DataFrame, gaps: pd.DataFrame, evidence: pd.DataFrame) -> str:
    """How closely VADER and TextBlob agree, and the sentence they disagree on most with its words."""
    pair = agreement[(agreement["a"] == "vader_compound") & (agreement["b"] == "textblob_polarity")]
    if pair.empty or gaps.empty or not np.isfinite(pair["pearson"].iloc[0]):
        return "Fewer than three sentences: correlations between scorers are not defined."
    pair, worst = pair.iloc[0], gaps.iloc[0]
    rated = {name: evidence_words(evidence, scorer=name, n=5)["words"] for name in ("vader", "textblob")}
    return (f"**What the tables show.** VADER and TextBlob correlate at r = {pair['pearson']:.2f} (Spearman "
            f"{pair['spearman']:.2f}) over {plural(int(pair['n']), 'sentence')}. They disagree most on sentence "
            f"{worst['sent_id']} of {escape_md(worst['doc_id'])} (VADER {worst['vader_compound']:+.2f}, TextBlob "
            f"{worst['textblob_polarity']:+.2f}): *{escape_md(str(worst['text'])[:200].rstrip('.'))}*. VADER rated "
            + (rated["vader"].iloc[0] if len(rated["vader"]) else "no word") + "; TextBlob rated "
            + (rated["textblob"].iloc[0] if len(rated["textblob"]) else "no word")
            + ". Disagreements come from words one lexicon rates and the other does not, and from TextBlob "
            "averaging where VADER sums.")


def describe_documents(by_doc: pd.DataFrame) -> str:
    """The spread of document means (one document: its mean, interval and shares)."""
    if by_doc.empty:
        return "No sentences to summarise."
    if len(by_doc) == 1:
        row = by_doc.iloc[0]
        if row["n_sentences"] < 2:
            return f"**What the table shows.** A single sentence (score {row['mean']:+.2f}): no interval can be computed."
        return (f"**What the table shows.** The document's mean default score is {row['mean']:+.2f} (95% interval "
                f"{row['ci_low']:+.2f} to {row['ci_high']:+.2f}, its sentences resampled; length-weighted "
                f"{row['weighted_mean']:+.2f}); {fmt_pct(row['share_positive'])} of its sentences are positive and "
                f"{fmt_pct(row['share_negative'])} negative.")
    ranked = by_doc.sort_values("mean", kind="stable")
    low, high = ranked.iloc[0], ranked.iloc[-1]
    return (f"**What the table shows.** Document means run from {low['mean']:+.2f} (*{escape_md(low['doc_id'])}*) to "
            f"{high['mean']:+.2f} (*{escape_md(high['doc_id'])}*); the median document is at "
            f"{by_doc['mean'].median():+.2f}. Each document's interval resamples its own sentences.")


def describe_sentiment_groups(table: pd.DataFrame, *, band: float) -> str:
    """``compare.describe_group_differences`` of the default score, and how many group means are neutral."""
    return (compare.describe_group_differences(table, value_label=SENTENCE_LABEL, neutral_band=band)
            + _band_note(table["mean"], band))


def describe_sentiment_trend(table: pd.DataFrame, *, band: float) -> str:
    """``compare.describe_trend`` of the default score per group and period."""
    return compare.describe_trend(table, value_label=SENTENCE_LABEL, neutral_band=band)


def describe_sentiment_event(event, *, band: float, group_column: str | None,
                             value_label: str = SENTENCE_LABEL) -> str:
    """``compare.describe_event``, and why no difference-in-differences is given for other than two groups."""
    text = compare.describe_event(event, value_label=value_label, neutral_band=band)
    k = len(event.table)
    if group_column and k != 2:
        text += (f" A difference-in-differences needs exactly two groups; {md_code(group_column)} has {k}, so none "
                 "is computed (run on a corpus of two groups to get one).")
    return text


def describe_voice(table: pd.DataFrame, *, group: str | None, band: float) -> str:
    """Quoted against narrative sentences (``compare.stat_by_group`` by ``[group, "voice"]``), within each
    group: the two means with their intervals, whether the intervals overlap or both are neutral."""
    if table.empty:
        return "No sentences to compare."
    parts = [(None, table)] if group is None else list(table.groupby(group, sort=True))
    lines = []
    for key, part in parts:
        within = f" in {key}" if key is not None else ""  # (escaped by compare, with the label)
        if "quoted" not in set(part["voice"]):
            lines.append(f"No sentence{escape_md(within)} is inside a direct quotation, so quoted and narrative sentences "
                         "cannot be compared.")
            continue
        lines.append(compare.describe_group_differences(part.drop(columns=[group] if group else []),
                                                        value_label=f"sentence sentiment{within}",
                                                        neutral_band=band))
    return "\n".join(f"- {line}" for line in lines) if group else lines[0]


def describe_arc(picks: pd.DataFrame, deciles: pd.DataFrame, *, group: str | None, band: float) -> str:
    """The documents whose arcs are drawn (named, and why), and per group where the mean arc is lowest
    and highest (by tenth of the document) and how its start and end compare."""
    if picks.empty:
        return "No sentences, so no arc."
    named = listing([f"*{escape_md(r['name'])}* ({r['pick']}" + (f", {escape_md(r['group'])}" if group else "")
                     + f", mean {r['mean']:+.2f})" for _, r in picks.iterrows()], limit=16)
    text = (f"**What the charts show.** Arcs are drawn for {plural(len(picks), 'document')}: "
            + ("per group the most typical (mean sentence score nearest the group's median document)" if group else
               "the most typical (mean sentence score nearest the median document)")
            + f" and the most extreme (farthest from it, dashed): {named}.")
    sentences = []
    for key, part in (deciles.groupby(group, sort=True) if group else [(None, deciles)]):
        part = part.assign(decile=part["decile"].astype(int)).sort_values("decile")
        low, high = part.loc[part["mean"].idxmin()], part.loc[part["mean"].idxmax()]
        lead = f"For **{escape_md(key)}**, the mean arc" if key is not None else "The mean arc"
        start, end = part.iloc[0], part.iloc[-1]
        inside = " (all tenths inside the neutral band)" if part["mean"].abs().max() <= band else ""
        sentences.append(f"{lead} runs from {start['mean']:+.2f} in the first tenth to {end['mean']:+.2f} in the last, "
                         f"lowest in tenth {int(low['decile'])} ({low['mean']:+.2f}) and highest in tenth "
                         f"{int(high['decile'])} ({high['mean']:+.2f}){inside}.")
    return text + " " + " ".join(sentences) + " " + _units_note(deciles)


def _units_note(table: pd.DataFrame) -> str:
    one = table["unit"].ne("documents").any() if "unit" in table and len(table) else False
    return ("Bands: 95% cluster-bootstrap intervals over documents" + ("; where a cell holds one document, its "
            "sentences are resampled instead." if one else "."))


def describe_polarity(scored: pd.DataFrame) -> str:
    """Mean subjectivity, the share of subjective sentences and how |polarity| moves with subjectivity."""
    if scored.empty:
        return "No sentences, so no polarity and subjectivity."
    subjective = (scored["textblob_subjectivity"] >= 0.5).sum()
    text = (f"**What the chart shows.** Mean subjectivity is {scored['textblob_subjectivity'].mean():.2f}; "
            f"{plural(int(subjective), 'sentence')} ({fmt_pct(subjective / len(scored))}) reach 0.5 or more.")
    if len(scored) >= 3:
        r = np.corrcoef(scored["textblob_subjectivity"], scored["textblob_polarity"].abs())[0, 1]
        if np.isfinite(r):
            text += (f" The strength of polarity {'rises' if r > 0 else 'falls'} with subjectivity (r = {r:.2f} "
                     "between |polarity| and subjectivity): in the Pattern lexicon, strongly rated words are "
                     "mostly opinion words.")
    return text


def describe_caveats(documents: pd.DataFrame, *, group_column: str | None, dated: bool, bundled: bool) -> str:
    """Caveats chosen by the corpus's size and shape (one text, a corpus, groups, dates); the bundled
    article's own caveats only for it."""
    n = len(documents)
    items = [
        "**Register.** Formal prose (diplomatic, state media, press releases) carries evaluation in nouns and legal "
        "phrases more than in adjectives, and many are missing from or weakly rated in lexicons built from social "
        "media and reviews: sentence scores look more neutral than the text is.",
        "**Whose sentiment.** A negative word about the other side inside a positive self-presentation lowers the "
        "sentence score although the sentence praises the speaker: sentence scores measure tone, not stance; the "
        "targeted scores are a partial fix, trained on US political news about people, not states.",
        "**Validation data.** The default score was calibrated on NYT editorials, the targeted model on NewsMTSC; "
        "their held-out figures are upper bounds for other genres.",
    ]
    if n == 1:
        items.append("**One text.** A single document: intervals resample its sentences, describe this text only, "
                     "and nothing here generalises to its outlet or side.")
    else:
        items.append(f"**Documents are the unit.** Intervals resample the {n:,} documents within each group and "
                     "period; a cell with few documents is marked and its interval is wide.")
    if group_column:
        items.append(f"**Groups.** Differences between values of {md_code(group_column)} mix who writes with what "
                     "they write about: compare sentiment toward the same actor across groups before reading a "
                     "difference in overall tone as a difference of stance.")
    if dated:
        items.append("**Time.** Periods with few documents move a lot; a change around an event is a before/after "
                     "contrast, not a causal effect.")
    if bundled:
        items.append("**Translation (bundled article).** The statement was written in or for English by a press "
                     "service; its word choices (*responsive measures*, *liberated*) carry the source's framing "
                     "into words a lexicon rates differently.")
    return "\n".join(f"- {item}" for item in items)


def describe_next_steps(*, group_column: str | None, dated: bool, event_date) -> str:
    """Next steps chosen by what this run could not show."""
    items = ["Add words of the genre to a lexicon of your own (`word,value` CSV on VADER's -4..+4 scale) and score "
             "with `vader_scorer(lexicon=...)`; compare with the default before trusting it.",
             "Validate on a sample of your own sentences: rate 100-200 by hand and use "
             "`corpus_tools.sentiment.validate_scores`, or fill in a coding sheet (`coded`)."]
    if not group_column:
        items.append("With a corpus of several outlets or sides, set `group_column` (e.g. `side`) to compare each "
                     "actor's treatment by group: that is where a self-presentation pattern becomes a finding.")
    if dated and event_date is None:
        items.append("Set `event_date` to compare each group before and after an event.")
    return "\n".join(f"- {item}" for item in items)


def alt_means(table: pd.DataFrame, keys: Sequence[str], *, limit: int = 8) -> str:
    """Alt text of a figure of means: "kremlin -0.02, ua_presidency -0.08 and wire -0.05"."""
    names = [" · ".join(map(str, row)) for row in table[list(keys)].itertuples(index=False)]
    return listing([f"{n} {m:+.2f}" for n, m in zip(names, table["mean"])], limit=limit)
