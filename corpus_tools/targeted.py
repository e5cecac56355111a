"""Sentiment toward a target: what a sentence says about each actor mention, not the sentence's mood.

For every mention (``doc_id, sent_id, start, end, actor``; document character offsets, or
found from a list of actor names / regular expressions by :func:`find_mentions`), features
are read from the mention's surroundings:

* lexicon valences (VADER, AFINN, TextBlob's lexicon; VADER's rules applied in the whole
  sentence, so negation, 'but' and intensifiers are already in them), weighted by distance
  to the mention (exp(-d / 2) and exp(-d / 5) words), split positive / negative, the sum
  in the mention's clause (split at , ; : and but / while / whereas / although) and in the
  six words left and right;
* a cheap grammatical role: clause subject position, agent after 'by', object of
  'against', possessor ('X's'), speaker ('X said', 'according to X');
* context words within ``k`` words left and right (a learned lexicon: weights per word and side).

A multinomial logistic regression over these (weights in ``lexicons/targeted_sentiment.csv``,
fitted by ``bench/fit_targeted.py`` on NewsMTSC's train split; Hamborg & Donnay 2021) gives
``p_negative, p_neutral, p_positive``; ``target_score`` = p_positive - p_negative. The
approach follows the window/context baselines of targeted sentiment (Jiang et al. 2011;
Steinberger et al. 2011 on entity-centred news sentiment) rather than a neural model, so
every score can be traced to the words that moved it (:func:`target_evidence`).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from . import compare
from .clean import match_form
from .escaping import escape_md
from .findings import fmt_pct, listing, plural
from .lexicons import load_lexicon
from .bootstrap import RESAMPLED, bootstrap_mean
from .sentiment import (afinn_lexicon, default_band, group_keys, held_out_articles, read_ratings, score_sentences,
                        textblob_lexicon, validate_scores)
from .validate import THREE_CLASSES, classification_scores, to_three_class
from .vader import score_vader

MENTION_COLUMNS = ["doc_id", "sent_id", "start", "end", "actor"]
LEXICONS = {"vader": None, "afinn": afinn_lexicon, "textblob": textblob_lexicon}
ROLES = ("possessor", "agent", "against", "speaker", "subject", "other")
_SPEECH = r"(?:said|says|say|told|tells|added|stated|wrote|argued|claimed|according)"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_CLAUSE_WORDS = frozenset({"but", "while", "whereas", "although", "though", "however", "yet"})
TARGET_COLUMNS = ["p_negative", "p_neutral", "p_positive", "target_score", "target_label", "role"]


# --------------------------------------------------------------------------- mentions


@lru_cache(maxsize=4)
def _actor_table(source: str = "sentiment_actors") -> pd.DataFrame:
    return load_lexicon(source, required=("actor", "pattern"), unique=("actor", "pattern")).table


def default_actors() -> dict[str, str]:
    """``{actor: regex}`` from ``lexicons/sentiment_actors.csv`` (countries and sides of the
    Armenia-Azerbaijan conflict, with their capitals, adjectives and leaders)."""
    table = _actor_table()
    return {actor: "|".join(f"(?:{p})" for p in group["pattern"]) for actor, group in table.groupby("actor", sort=False)}


def find_mentions(sentences: pd.DataFrame, actors: Mapping[str, str] | Sequence[str] | None = None, *,
                  text_column: str = "text") -> pd.DataFrame:
    """Mentions of each actor in each sentence: ``doc_id, sent_id, start, end, actor, mention``
    (document offsets when ``sentences`` has ``start``, else offsets in the sentence).
    ``actors`` is ``{actor: regex}``, a list of names (an actor of the default list brings its
    patterns, e.g. 'Armenia' also finds 'Armenian' and 'Yerevan'; other names are matched as
    whole words, case-sensitive) or None for :func:`default_actors`. Where patterns overlap,
    the leftmost match wins."""
    if actors is None:
        actors = default_actors()
    elif not isinstance(actors, Mapping):
        known = default_actors()
        actors = {name: known.get(name, re.escape(name)) for name in actors}
    columns = MENTION_COLUMNS + ["mention"]
    if sentences.empty or not actors:
        return pd.DataFrame(columns=columns)
    names = list(actors)
    pattern = re.compile("|".join(f"(?P<a{i}>\\b(?:{actors[n]})\\b)" for i, n in enumerate(names)))
    texts = sentences[text_column].astype(str).map(match_form)
    offsets = sentences["start"].to_numpy() if "start" in sentences else np.zeros(len(sentences), int)
    rows = []
    for doc_id, sent_id, text, offset in zip(sentences["doc_id"], sentences["sent_id"], texts, offsets):
        for m in pattern.finditer(text):
            rows.append((doc_id, sent_id, offset + m.start(), offset + m.end(), names[int(m.lastgroup[1:])],
                         m.group()))
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- features


def _flat_spans(texts: list[str], pattern: re.Pattern):
    """Flat arrays of the matches of ``pattern`` in every text: row, start, end, text."""
    found = [[(m.start(), m.end(), m.group()) for m in pattern.finditer(t)] for t in texts]
    lengths = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
    flat = [x for f in found for x in f]
    row = np.repeat(np.arange(len(texts)), lengths)
    start = np.fromiter((x[0] for x in flat), dtype=np.int64, count=len(flat))
    end = np.fromiter((x[1] for x in flat), dtype=np.int64, count=len(flat))
    return row, start, end, [x[2] for x in flat], lengths


def _locate(row, start, end, m_row, m_start, m_end, big):
    """First and last span index of each mention (spans overlapping [m_start, m_end))."""
    key_end = row * big + end
    key_start = row * big + start
    first = np.searchsorted(key_end, m_row * big + m_start, side="right")
    last = np.searchsorted(key_start, m_row * big + m_end, side="left") - 1
    last = np.maximum(last, first)
    return first, last


def _sentence_words(texts):
    """Whitespace words (as VADER splits them) with clause ids within each sentence."""
    row, start, end, words, lengths = _flat_spans(texts, re.compile(r"\S+"))
    lower = pd.Series(words, dtype=object).str.lower()
    ends_clause = lower.str.contains(r"[,;:]$", regex=True).to_numpy() if len(lower) else np.zeros(0, bool)
    opens_clause = lower.str.strip("\"'()").isin(_CLAUSE_WORDS).to_numpy() if len(lower) else np.zeros(0, bool)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(lengths) else np.zeros(0, np.int64)
    boundary = opens_clause.astype(int) + np.concatenate([[0], ends_clause[:-1].astype(int)]) if len(row) else \
        np.zeros(0, int)
    cumulative = np.cumsum(boundary)
    clause = cumulative - (cumulative[starts] - boundary[starts])[row] if len(row) else cumulative
    return {"row": row, "start": start, "end": end, "lower": lower.to_numpy(dtype=object), "clause": clause,
            "index_in_row": np.arange(len(row)) - np.repeat(starts, lengths), "starts": starts}


def _roles(texts_lower, m_row, m_start, m_end, first_in_clause) -> np.ndarray:
    """Cheap grammatical role from the words around the mention (no parser)."""
    before = [t[max(0, s - 30):s] for t, s in zip((texts_lower[r] for r in m_row), m_start)]
    after = [t[e:e + 30] for t, e in zip((texts_lower[r] for r in m_row), m_end)]
    before, after = pd.Series(before, dtype=object), pd.Series(after, dtype=object)
    role = np.full(len(m_row), "other", dtype=object)
    rules = [  # earlier rules win
        ("possessor", after.str.match(r"^'s?\b").to_numpy()),
        ("agent", before.str.contains(r"\bby\s+(?:the\s+)?$", regex=True).to_numpy()),
        ("against", before.str.contains(r"\b(?:against|on|at|toward|towards)\s+(?:the\s+)?$", regex=True).to_numpy()),
        ("speaker", (after.str.match(rf"^,?\s+{_SPEECH}\b")
                     | before.str.contains(r"\baccording\s+to\s+(?:the\s+)?$", regex=True)).to_numpy()),
        ("subject", first_in_clause),
    ]
    for name, mask in rules[::-1]:
        role[np.asarray(mask, bool)] = name
    return role


def target_features(sentences: pd.DataFrame, mentions: pd.DataFrame, *, k: int = 8,
                    text_column: str = "text") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(dense, context, evidence)`` for each mention (rows in ``mentions`` order).

    ``dense``: numeric features and ``role``; ``context``: long table ``mention, feature, value``
    of side-marked context words (``L_word`` / ``R_word``, weight 1 / (1 + distance / 3));
    ``evidence``: lexicon words near each mention with their VADER value and distance."""
    keys = ["doc_id", "sent_id"]
    sent = sentences.drop_duplicates(keys)
    sent = sent.merge(mentions[keys].drop_duplicates(), on=keys)  # only the sentences a mention is in
    rows = mentions[keys].merge(sent[keys].reset_index(), on=keys, how="left")["index"]
    if rows.isna().any():
        missing = mentions.loc[rows.isna().to_numpy(), keys].iloc[0].tolist()
        raise ValueError(f"mention in sentence {missing} not found in the sentences table")
    m_row = rows.to_numpy(dtype=np.int64)
    offset = sent["start"].to_numpy() if "start" in sent else np.zeros(len(sent), int)
    m_start = mentions["start"].to_numpy(dtype=np.int64) - offset[m_row]
    m_end = mentions["end"].to_numpy(dtype=np.int64) - offset[m_row]
    texts = [match_form(str(t)) for t in sent[text_column]]
    big = max((len(t) for t in texts), default=0) + 2

    words = _sentence_words(texts)
    first, last = _locate(words["row"], words["start"], words["end"], m_row, m_start, m_end, big)
    in_range = first < len(words["row"])
    first_c = np.minimum(first, max(len(words["row"]) - 1, 0))
    m_clause = words["clause"][first_c] if len(words["row"]) else np.zeros(len(m_row), int)
    w0 = words["index_in_row"][first_c] if len(words["row"]) else np.zeros(len(m_row), int)
    w1 = w0 + (last - first)
    n_words = np.bincount(words["row"], minlength=len(texts))[m_row]

    dense = {"n_words_log": np.log1p(n_words), "relative_position": w0 / np.maximum(n_words, 1)}
    evidence = []
    for name, lexicon in LEXICONS.items():
        scores, ev = score_vader(texts, lexicon=None if lexicon is None else lexicon(), evidence=True)
        dense[f"{name}_sentence"] = scores["compound"].to_numpy()[m_row]
        pairs = pd.DataFrame({"mention": np.arange(len(m_row)), "row": m_row, "w0": w0, "w1": w1,
                              "clause": m_clause}).merge(ev, on="row")
        d = np.where(pairs["word_id"] < pairs["w0"], pairs["w0"] - pairs["word_id"],
                     np.where(pairs["word_id"] > pairs["w1"], pairs["word_id"] - pairs["w1"], 0))
        value = pairs["value"].to_numpy()
        word_clause = words["clause"][words["starts"][pairs["row"]] + pairs["word_id"]] if len(pairs) else []
        columns = {
            "pos_near": np.clip(value, 0, None) * np.exp(-d / 2), "neg_near": np.clip(value, None, 0) * np.exp(-d / 2),
            "pos_mid": np.clip(value, 0, None) * np.exp(-d / 5), "neg_mid": np.clip(value, None, 0) * np.exp(-d / 5),
            "clause": np.where(word_clause == pairs["clause"].to_numpy(), value, 0.0),
            "left6": np.where((pairs["word_id"] < pairs["w0"]) & (d <= 6), value, 0.0),
            "right6": np.where((pairs["word_id"] > pairs["w1"]) & (d <= 6), value, 0.0),
        }
        for column, values in columns.items():
            dense[f"{name}_{column}"] = np.bincount(pairs["mention"], weights=values, minlength=len(m_row)) \
                if len(pairs) else np.zeros(len(m_row))
        if name == "vader":
            evidence = pairs.assign(distance=d)[["mention", "word", "value", "distance", "rules"]]
    lower_texts = [t.lower() for t in texts]
    previous_clause = words["clause"][np.maximum(first_c - 1, 0)] if len(words["row"]) else m_clause
    role = _roles(lower_texts, m_row, m_start, m_end, in_range & ((w0 == 0) | (previous_clause != m_clause)))
    for name in ROLES[:-1]:
        dense[f"role_{name}"] = (role == name).astype(float)
    dense = pd.DataFrame(dense)
    dense["role"] = role
    return dense, _context(lower_texts, m_row, m_start, m_end, k, big), evidence


def _context(lower_texts, m_row, m_start, m_end, k, big) -> pd.DataFrame:
    """Side-marked context words within ``k`` words of each mention, weighted by distance."""
    row, start, end, tokens, _ = _flat_spans(lower_texts, _WORD)
    if not len(row) or not len(m_row):
        return pd.DataFrame(columns=["mention", "feature", "value"])
    tokens = np.array(tokens, dtype=object)
    row_start = np.searchsorted(row, np.arange(len(lower_texts)), side="left")
    row_end = np.searchsorted(row, np.arange(len(lower_texts)), side="right")
    key = row * big + start
    left_end = np.searchsorted(row * big + end, m_row * big + m_start, side="right")  # first token ending after start
    right_start = np.searchsorted(key, m_row * big + m_end, side="left")
    parts = []
    for side, lo, hi in (("L", np.maximum(left_end - k, row_start[m_row]), left_end),
                         ("R", right_start, np.minimum(right_start + k, row_end[m_row]))):
        counts = np.maximum(hi - lo, 0)
        mention = np.repeat(np.arange(len(m_row)), counts)
        step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        index = np.repeat(lo, counts) + step
        distance = (np.repeat(hi, counts) - 1 - index) if side == "L" else step
        parts.append(pd.DataFrame({"mention": mention, "feature": side + "_" + tokens[index].astype(str),
                                   "value": 1.0 / (1.0 + distance / 3.0)}))
    table = pd.concat(parts, ignore_index=True)
    return table.groupby(["mention", "feature"], as_index=False, sort=False)["value"].max()


# --------------------------------------------------------------------------- model


@lru_cache(maxsize=4)
def _load_target_model(source: str = "targeted_sentiment"):
    lexicon = load_lexicon(source, required=("feature", "kind"), unique=("feature",))
    table = lexicon.table.copy()
    for column in ["mean", "scale", *(f"w_{c}" for c in THREE_CLASSES)]:
        table[column] = table[column].astype(float)
    return table, lexicon.meta


def target_model(source: str = "targeted_sentiment") -> tuple[pd.DataFrame, dict]:
    """``(weights, provenance)`` of the targeted model (bundled, or a user's CSV of the same shape)."""
    return _load_target_model(str(source))


def _logits(dense, context, table) -> np.ndarray:
    weights = table[[f"w_{c}" for c in THREE_CLASSES]].to_numpy()
    kinds = table["kind"].to_numpy()
    logits = np.tile(weights[kinds == "intercept"].sum(axis=0), (len(dense), 1))
    numeric = table[kinds == "dense"]
    x = (dense[numeric["feature"]].to_numpy(dtype=float) - numeric["mean"].to_numpy()) / numeric["scale"].to_numpy()
    logits += x @ weights[kinds == "dense"]
    words = table[kinds == "context"].reset_index(drop=True)
    if len(context) and len(words):
        index = pd.Series(np.arange(len(words)), index=words["feature"])
        hit = context[context["feature"].isin(index.index)]
        w = weights[kinds == "context"][index[hit["feature"]].to_numpy()] * hit["value"].to_numpy()[:, None]
        for j in range(len(THREE_CLASSES)):
            logits[:, j] += np.bincount(hit["mention"], weights=w[:, j], minlength=len(dense))
    return logits


def score_targets(sentences: pd.DataFrame, mentions: pd.DataFrame | None = None, *, actors=None,
                  model: str | None = None, text_column: str = "text") -> pd.DataFrame:
    """Sentiment toward each mention: ``mentions`` plus ``p_negative, p_neutral, p_positive``,
    ``target_score`` (= p_positive - p_negative, -1..+1), ``target_label`` (most probable class)
    and ``role``. Mentions come from ``mentions`` or from ``find_mentions(sentences, actors)``."""
    if mentions is None:
        mentions = find_mentions(sentences, actors, text_column=text_column)
    mentions = mentions.reset_index(drop=True)
    if mentions.empty:
        return mentions.assign(**{c: pd.Series(dtype=object if c in ("target_label", "role") else float)
                                  for c in TARGET_COLUMNS})
    table, meta = target_model(str(model or "targeted_sentiment"))
    dense, context, _ = target_features(sentences, mentions, k=int(meta.get("window", 8)), text_column=text_column)
    logits = _logits(dense, context, table)
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    out = mentions.copy()
    for j, c in enumerate(THREE_CLASSES):
        out[f"p_{c}"] = probs[:, j]
    out["target_score"] = out["p_positive"] - out["p_negative"]
    out["target_label"] = np.array(THREE_CLASSES, dtype=object)[probs.argmax(axis=1)]
    out["role"] = dense["role"].to_numpy()
    return out


def target_evidence(sentences: pd.DataFrame, mentions: pd.DataFrame, *, model: str | None = None,
                    text_column: str = "text", n: int = 5) -> pd.DataFrame:
    """Why each mention got its score: the lexicon words near it (VADER value, distance, rules)
    and the context words with the largest learned contribution to p_positive - p_negative.
    One row per mention and word: ``mention`` (row of ``mentions``), ``kind``, ``word``, ``value``."""
    columns = ["mention", "kind", "word", "value", "distance", "rules"]
    mentions = mentions.reset_index(drop=True)
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    table, meta = target_model(str(model or "targeted_sentiment"))
    _, context, lexical = target_features(sentences, mentions, k=int(meta.get("window", 8)), text_column=text_column)
    words = table[table["kind"] == "context"]
    polarity = (words["w_positive"] - words["w_negative"]).to_numpy()
    learned = context.merge(pd.DataFrame({"feature": words["feature"].to_numpy(), "polarity": polarity}),
                            on="feature")
    learned = learned.assign(value=learned["value"] * learned["polarity"], kind="context word",
                             word=learned["feature"], distance=np.nan, rules="")
    learned = learned.reindex(learned["value"].abs().sort_values(ascending=False).index).groupby("mention").head(n)
    lexical = lexical.assign(kind="lexicon word (VADER)")
    lexical = lexical[lexical["distance"] <= 6]
    return pd.concat([lexical[columns], learned[columns]], ignore_index=True).sort_values(
        ["mention", "kind", "distance"], kind="stable").reset_index(drop=True)


def stat_targets(targeted: pd.DataFrame, *, by: Sequence[str] = ("actor",), cluster: str | None = "doc_id",
                 n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Sentiment toward each actor: mentions, documents, mean ``target_score`` with a seeded
    bootstrap 95% interval, and the shares of negative / neutral / positive labels.

    The interval of an actor (group) mentioned in more than one document resamples those documents
    (``cluster``; ``None`` resamples mentions everywhere), within one document its mentions: the
    ``resampled`` column says which ("documents", "mentions"). Missing or blank group values form
    the group "(none)"."""
    by = list(by)
    columns = by + ["n_mentions", "n_documents", "mean", "ci_low", "ci_high",
                    "share_negative", "share_neutral", "share_positive", "resampled"]
    if targeted.empty:
        return pd.DataFrame(columns=columns)
    targeted = group_keys(targeted, by)
    groups = targeted.groupby(by, sort=True, observed=True, dropna=False)
    codes = groups.ngroup().to_numpy()
    table = groups.agg(n_mentions=("target_score", "size"), n_documents=("doc_id", "nunique"),
                       mean=("target_score", "mean")).reset_index()
    clusters = targeted[cluster] if cluster is not None and cluster in targeted else None
    low, high, resampled = bootstrap_mean(targeted["target_score"].to_numpy(), codes, clusters=clusters,
                                          n_boot=n_boot, seed=seed)
    table["ci_low"], table["ci_high"] = low, high
    table["resampled"] = np.where(resampled == RESAMPLED["rows"], "mentions", resampled)
    for c in THREE_CLASSES:
        table[f"share_{c}"] = np.bincount(codes, weights=targeted["target_label"].eq(c).to_numpy(),
                                          minlength=len(table)) / table["n_mentions"].to_numpy()
    return table[columns]


# --------------------------------------------------------------------------- validation

POLARITY_CODES = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
VALIDATION_COLUMNS = ["data", "part", "method", "pearson", "spearman", "accuracy", "macro_f1", "band", "n",
                      "reference"]


def read_target_ratings(path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(sentences, mentions)`` from a NewsMTSC-style jsonl file (``sentence_normalized``,
    ``targets[{from, to, mention, polarity}]``; polarity 2 / 4 / 6 -> negative / neutral /
    positive in ``gold``); one sentence per line, ``doc_id`` = line number."""
    records = pd.read_json(path, lines=True)
    sentences = pd.DataFrame({"doc_id": np.arange(len(records)), "sent_id": 0, "start": 0,
                              "text": records["sentence_normalized"]})
    targets = records[["targets"]].assign(doc_id=sentences["doc_id"]).explode("targets", ignore_index=True)
    mentions = pd.DataFrame({"doc_id": targets["doc_id"], "sent_id": 0,
                             "start": targets["targets"].str["from"].astype(int),
                             "end": targets["targets"].str["to"].astype(int),
                             "actor": targets["targets"].str["mention"],
                             "gold": targets["targets"].str["polarity"].map(POLARITY_CODES)})
    return sentences, mentions


def validate_targets(sentences: pd.DataFrame, mentions: pd.DataFrame, *, model: str | None = None) -> pd.DataFrame:
    """3-class accuracy and macro-F1 against ``mentions['gold']`` of: the majority class, the
    sentence's VADER compound (band 0.05), the sentence's default score, and the targeted model."""
    gold = mentions["gold"].to_numpy()
    scored = score_sentences(sentences)
    keyed = mentions[["doc_id", "sent_id"]].merge(scored, on=["doc_id", "sent_id"], how="left")
    targeted = score_targets(sentences, mentions.drop(columns="gold"), model=model)
    majority = pd.Series(gold).mode().iloc[0]
    predictions = {
        "majority class": np.full(len(gold), majority, dtype=object),
        "sentence VADER compound": to_three_class(keyed["vader_compound"], neutral_band=0.05),
        "sentence default score": to_three_class(keyed["score"], neutral_band=default_band()),
        "targeted model": targeted["target_label"].to_numpy(),
    }
    rows = []
    for method, pred in predictions.items():
        table = classification_scores(pred, gold, labels=THREE_CLASSES).set_index("label")
        rows.append({"method": method, "accuracy": table.at["accuracy", "f1"], "macro_f1": table.at["macro", "f1"],
                     "n": len(gold)})
    return pd.DataFrame(rows)


def stat_validation(eval_dir, *, nyt: str = "nyt_editorial_sentiment_dev.tsv",
                    targets: Sequence[str] = ("newsmtsc_devtest_mt.jsonl",)) -> pd.DataFrame:
    """The validation table on a folder of human ratings (never copied into the project):
    sentence scores vs the NYT editorial human means (all sentences, and the held-out articles
    the default score was not fitted on) and targeted sentiment on NewsMTSC files. Files that
    are absent are skipped. ``reference`` gives the published / issue figures for context."""
    from pathlib import Path
    folder = Path(eval_dir)
    references = {"textblob_polarity": "TextBlob r 0.30 (issue)", "vader_compound": "VADER r 0.492 (paper), 0.50 here",
                  "score": "target r >= 0.55 held out", "human": "one human rater r 0.745 (paper)",
                  "sentence VADER compound": "about 0.50 macro-F1 (issue)", "targeted model": "target macro-F1 >= 0.60"}
    rows = []
    if (folder / nyt).is_file():
        ratings = read_ratings(folder / nyt)
        scored = score_sentences(ratings)
        held = held_out_articles(ratings)
        for part, mask in (("all sentences", np.ones(len(ratings), bool)), ("held-out articles", held)):
            table = validate_scores(scored[mask], "human_mean",
                                    columns=["textblob_polarity", "vader_compound", "afinn_compound", "score"])
            rows += [{"data": nyt, "part": part, "method": r.score, "pearson": r.pearson, "spearman": r.spearman,
                      "accuracy": r.accuracy, "macro_f1": r.macro_f1, "band": r.band, "n": r.n,
                      "reference": references.get(r.score, "")} for r in table.itertuples()]
        rows.append({"data": nyt, "part": "all sentences", "method": "one human rater (paper)", "pearson": 0.745,
                     "reference": references["human"]})
    for name in targets:
        if (folder / name).is_file():
            sentences, mentions = read_target_ratings(folder / name)
            table = validate_targets(sentences, mentions)
            rows += [{"data": name, "part": "all mentions", "method": r.method, "accuracy": r.accuracy,
                      "macro_f1": r.macro_f1, "n": r.n, "reference": references.get(r.method, "")}
                     for r in table.itertuples()]
    return pd.DataFrame(rows, columns=VALIDATION_COLUMNS)


# --------------------------------------------------------------------------- commentary

TARGET_LABEL = "sentiment toward {} (targeted score)"


def top_actors(targeted: pd.DataFrame, n: int = 6) -> list[str]:
    """The ``n`` actors with the most mentions (ties by name)."""
    counts = targeted.groupby("actor").size().reset_index(name="n").sort_values(["n", "actor"],
                                                                                ascending=[False, True])
    return counts["actor"].head(n).tolist()


def _estimate(row) -> str:
    interval = f"{row['ci_low']:+.2f} to {row['ci_high']:+.2f}" if np.isfinite(row["ci_low"]) else "no interval"
    return f"{row['mean']:+.2f} ({interval}; {plural(int(row['n_documents']), 'document')})"


def describe_actors(table: pd.DataFrame, *, group: str | None, band: float, n: int = 6) -> str:
    """Markdown on ``compare.stat_by_group(targeted, ..., group=[group, "actor"])``: within each group, the
    most and least favourably treated actor; then, per actor (the ``n`` with most mentions), how the
    groups differ (``compare.describe_group_differences``). Groups are never pooled."""
    if table.empty:
        return "None of the actors is mentioned in this corpus: list actor names or ids in `actors`."
    if group is None:
        return compare.describe_group_differences(table, value_label=TARGET_LABEL.format("each actor"),
                                                  neutral_band=band)
    lines = []
    for key, part in table.groupby(group, sort=True):
        best, worst = part.loc[part["mean"].idxmax()], part.loc[part["mean"].idxmin()]
        lines.append(f"Within **{escape_md(key)}**, the most favourable treatment goes to *{escape_md(best['actor'])}*, "
                     f"{_estimate(best)}" + ("." if len(part) == 1 else
                                              f", the least to *{escape_md(worst['actor'])}*, {_estimate(worst)}."))
    counts = table.groupby("actor")["n_units"].sum().sort_values(ascending=False, kind="stable")
    for actor in counts.index[:n]:
        part = table[table["actor"] == actor].drop(columns="actor")
        if len(part) == 1:
            row = part.iloc[0]
            text = (f"mentioned only in documents of **{escape_md(row[group])}**, {_estimate(row)}, so the groups "
                    "cannot be compared.")
        else:
            text = compare.describe_group_differences(part, value_label=TARGET_LABEL.format(actor),
                                                      neutral_band=band)
        lines.append(f"*{escape_md(actor)}*: {text}")
    return "\n".join(f"- {line}" for line in lines)


def describe_validation(validation: pd.DataFrame | None, held: dict) -> str:
    """The validation figures recomputed from ``eval_dir`` (``stat_validation``), else the bundled model's record."""
    if validation is None:
        return (f"`eval_dir` is not set, so validation is not recomputed here. The bundled model's own record: "
                f"default score r = {held['score']['pearson']:.3f} on held-out NYT articles (VADER "
                f"{held['vader_compound']['pearson']:.3f}, TextBlob {held['textblob_polarity']['pearson']:.3f}; "
                "one human rater 0.745 in Hutto & Gilbert 2014).")
    nyt = validation[validation["part"] == "held-out articles"].set_index("method")
    tgt = validation[validation["part"] == "all mentions"].set_index("method")
    parts = []
    if len(nyt):
        parts.append(f"On held-out NYT articles ({plural(int(nyt.at['score', 'n']), 'sentence')}) the default score "
                     f"correlates with the human mean at r = {nyt.at['score', 'pearson']:.3f}, against VADER "
                     f"{nyt.at['vader_compound', 'pearson']:.3f} and TextBlob {nyt.at['textblob_polarity', 'pearson']:.3f}; "
                     "one human rater reaches 0.745, so the lexicons are well short of a person.")
    if len(tgt):
        parts.append(f"Toward named people in NewsMTSC devtest_mt, the targeted model reaches macro-F1 "
                     f"{tgt.at['targeted model', 'macro_f1']:.3f} against {tgt.at['sentence VADER compound', 'macro_f1']:.3f} "
                     f"for the sentence's VADER score and {tgt.at['majority class', 'macro_f1']:.3f} for the majority class.")
    return "**What the table shows.** " + " ".join(parts) if parts else "No evaluation file found in `eval_dir`."


def describe_evidence(shown: pd.DataFrame) -> str:
    """The rated words near the most positive and most negative mentions (``target_evidence`` rows)."""
    lexical = shown[shown["kind"].str.startswith("lexicon")]
    negative = lexical[lexical["value"] < 0]["word"].str.lower().unique().tolist()
    positive = lexical[lexical["value"] > 0]["word"].str.lower().unique().tolist()
    return (f"**What the tables show.** Near these mentions, the rated words are negative "
            f"({listing([escape_md(w) for w in negative], limit=6, quote='*')}) and positive "
            f"({listing([escape_md(w) for w in positive], limit=6, quote='*')}). A word near a mention is not always about it: "
            "read the sentence before trusting a single mention's score.")


#: Words of the bundled article that carry evaluation but are not in VADER's lexicon (checked when shown).
_BUNDLED_UNRATED = ("aggression", "provocation", "occupation", "liberated", "crimes", "plundering", "martyrs")


def describe_interpretation(scored: pd.DataFrame, targeted: pd.DataFrame, voice: pd.DataFrame, *,
                            bundled: bool, by_doc: pd.DataFrame | None = None) -> str:
    """The interpretation written for the bundled article (Azerbaijan's statement of 27 September 2021),
    labelled as such, every number from the tables (``by_doc``: ``stat_sentiment`` by document, for the
    interval of its mean); for any other corpus one sentence saying it is not shown."""
    actors = set(targeted["actor"]) if len(targeted) else set()
    if not bundled or not {"Azerbaijan", "Armenia"} <= actors or scored.empty:
        return "This section interprets the bundled article; it is not shown for other corpora."
    from .vader import vader_lexicon

    a = targeted.groupby("actor")["target_score"].agg(["mean", "size"])
    near = target_evidence(scored, targeted.drop(columns=[c for c in targeted if c.startswith("p_")]))
    near = near[near["kind"].str.startswith("lexicon") & (near["distance"] <= 3)]
    near = near.assign(actor=targeted["actor"].to_numpy()[near["mention"].to_numpy(dtype=int)],
                       word=near["word"].str.lower())
    words = {(actor, sign): near[(near["actor"] == actor) & (near["value"] * sign > 0)]["word"].value_counts()
             .head(5).index.tolist() for actor in ("Azerbaijan", "Armenia") for sign in (1, -1)}
    unrated = [w for w in _BUNDLED_UNRATED if w not in vader_lexicon()]
    mean, shares = scored["score"].mean(), scored["label"].value_counts(normalize=True)
    split = a.at["Azerbaijan", "mean"] > a.at["Armenia", "mean"]
    v = voice.set_index("voice") if len(voice) else pd.DataFrame()
    quoted = {"quoted", "narrative"} <= set(v.index)
    overlap = quoted and {"ci_low", "ci_high"} <= set(v.columns) and v.at["quoted", "ci_low"] <= \
        v.at["narrative", "ci_high"] and v.at["narrative", "ci_low"] <= v.at["quoted", "ci_high"]
    interval = (f", interval {by_doc['ci_low'].iloc[0]:+.2f} to {by_doc['ci_high'].iloc[0]:+.2f}"
                if by_doc is not None and len(by_doc) == 1 else "")
    return (f"**Interpretation (bundled article).** The foreign-ministry statement is, sentence by sentence, close to "
            f"neutral on average (mean default score {mean:+.2f}{interval}) but not flat: {fmt_pct(shares.get('positive', 0))} of "
            f"sentences read positive and {fmt_pct(shares.get('negative', 0))} negative. "
            + ("The split follows the two sides. " if split else "")
            + f"Mentions of Azerbaijan score {a.at['Azerbaijan', 'mean']:+.2f} on average "
            f"({plural(int(a.at['Azerbaijan', 'size']), 'mention')}); mentions of Armenia {a.at['Armenia', 'mean']:+.2f} "
            f"({plural(int(a.at['Armenia', 'size']), 'mention')}). "
            + (f"This is the shape of a self-presentation: within three words of Azerbaijan the rated words are mostly "
               f"positive ({listing(words[('Azerbaijan', 1)], quote='*')}), within three words of Armenia negative "
               f"({listing(words[('Armenia', -1)], quote='*')}). " if split else "")
            + (f"Quoted sentences (the statement quoted by the outlet) average {v.at['quoted', 'mean']:+.2f} against "
               f"{v.at['narrative', 'mean']:+.2f} for the narrative around them"
               + (", a difference inside the intervals. " if overlap else ". ") if quoted else "")
            + "The low subjectivity of most sentences reflects the formal register, not an absence of evaluation: much "
            f"of the evaluation is carried by nouns and participles, and {listing(unrated, quote='*', limit=8)} are not "
            "in VADER's lexicon at all.")


def evidence_picks(targeted: pd.DataFrame, *, n_actors: int = 2) -> pd.DataFrame:
    """The most negative and the most positive mention of each of the ``n_actors`` most mentioned actors."""
    if targeted.empty:
        return targeted
    return pd.concat([targeted[targeted["actor"] == a].sort_values("target_score", kind="stable").iloc[[0, -1]]
                      .drop_duplicates() for a in top_actors(targeted, n_actors)])


def describe_actor_trend(table: pd.DataFrame, *, band: float, period_column: str = "period") -> str:
    """Markdown, one bullet per actor of a ``compare.stat_over_time`` table of targeted scores (keys: the
    group, ``actor``, the period): ``compare.describe_trend`` within each actor, groups never pooled, with
    the neutral ``band``."""
    from .compare import describe_trend

    if table.empty:
        return "No actor is mentioned in a dated document, so there is no trend toward actors."
    return "\n".join(f"- *{escape_md(str(actor))}*: " + describe_trend(
        rows.drop(columns="actor").reset_index(drop=True), value_label=f"targeted sentiment toward {actor}",
        neutral_band=band, period_column=period_column) for actor, rows in table.groupby("actor", sort=False))


def resampled_caption(table: pd.DataFrame, *, rows: str = "mentions") -> str:
    """What the intervals of a ``stat_targets`` table resampled (its ``resampled`` column), for a caption."""
    units = set(table["resampled"]) if len(table) else {"documents"}
    if units == {"documents"}:
        return "documents resampled"
    if units == {rows}:
        return f"{rows} resampled (one document)"
    return f"documents resampled where an actor is in several, {rows} where it is in one (the resampled column)"
