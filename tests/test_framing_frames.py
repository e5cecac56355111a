"""Frames: one hand-labelled sentence per category, negation, document scores, intervals, narrative mapping."""
import numpy as np
import pandas as pd
import pytest

from corpus_tools.framing.frames import (find_frames, frame_intervals, score_frames, score_narrative_frames,
                                         stat_sentence_frames)
from tests.framing_helpers import prepared

# Sentences written for the tests; each carries (at least) the labelled category of its layer.
LABELLED = [
    ("generic", "responsibility", "The government is responsible and must take measures to solve it."),
    ("generic", "human_interest", "A mother and her children lost their home and live in grief."),
    ("generic", "conflict", "The two rivals clashed and traded accusations."),
    ("generic", "morality", "It is a moral duty before God to protect human dignity."),
    ("generic", "economic", "The project will cost $5 billion and create jobs."),
    ("entman", "problem", "The crisis is a threat to the region."),
    ("entman", "cause", "The damage was caused by shelling."),
    ("entman", "moral_evaluation", "These barbaric and illegal acts were deliberate."),
    ("entman", "remedy", "Both sides should negotiate a peace agreement."),
    ("policy", "legality", "The court ruled that the annexation violates international law."),
    ("policy", "security", "Troops and armed forces reinforced the border."),
    ("policy", "external_relations", "The foreign minister met the ambassador to discuss diplomatic relations."),
    ("policy", "cultural_identity", "The ancient church is part of the cultural heritage."),
    ("policy", "capacity_resources", "Reconstruction of roads and hospitals allows the safe return of residents."),
]


@pytest.fixture(scope="module")
def labelled():
    corpus, sentences = prepared(*[s for _, _, s in LABELLED])
    return corpus, sentences, find_frames(sentences, corpus.tokens)


@pytest.mark.parametrize("index", range(len(LABELLED)), ids=[c for _, c, _ in LABELLED])
def test_each_category_found_in_its_sentence(labelled, index):
    _, _, hits = labelled
    layer, category, _ = LABELLED[index]
    mine = hits[(hits["doc_id"] == f"d{index}") & (hits["layer"] == layer) & ~hits["negated"]]
    assert category in set(mine["category"])


def test_negated_cue_does_not_count():
    corpus, sentences = prepared("There was no conflict. The conflict went on.")
    hits = find_frames(sentences, corpus.tokens)
    conflict = hits[hits["category"] == "conflict"]
    assert conflict["negated"].tolist() == [True, False]
    scores = score_frames(hits, sentences).set_index("category")
    assert scores.loc["conflict", "hits"] == 1 and scores.loc["conflict", "sentences_with"] == 1


def test_document_scores_hand_computed():
    text = "The war began. Jobs and trade suffered from the war. Nothing else."
    corpus, sentences = prepared(text)
    hits = find_frames(sentences, corpus.tokens)
    scores = score_frames(hits, sentences).set_index(["layer", "category"])
    conflict = scores.loc[("generic", "conflict")]
    n_tokens = int(sentences["n_tokens"].sum())  # 3 + 7 + 2 word tokens = 12
    assert n_tokens == 12
    assert conflict["hits"] == 2 and conflict["sentences_with"] == 2
    assert conflict["coverage"] == pytest.approx(2 / 3)
    assert conflict["density"] == pytest.approx(1000 * 2 / 12)
    economic = scores.loc[("generic", "economic")]
    assert economic["hits"] == 2 and economic["coverage"] == pytest.approx(1 / 3)  # jobs, trade
    assert scores.loc[("generic", "conflict"), "dominant"] and not scores.loc[("generic", "economic"), "dominant"]
    assert scores["small_sample"].all()
    assert scores.loc[("generic", "morality"), "hits"] == 0  # zero rows are listed


def test_bootstrap_intervals_seeded_and_bracket_the_estimate():
    corpus, sentences = prepared("The war began. Jobs and trade suffered from the war. Nothing else. Calm days.")
    hits = find_frames(sentences, corpus.tokens)
    a = frame_intervals(hits, sentences, n_boot=300, seed=1)
    b = frame_intervals(hits, sentences, n_boot=300, seed=1)
    pd.testing.assert_frame_equal(a, b)
    row = a.set_index("category").loc["conflict"]
    assert row["coverage"] == pytest.approx(0.5)
    assert row["coverage_lo"] <= 0.5 <= row["coverage_hi"] and row["coverage_hi"] <= 1
    assert row["coverage_lo"] < row["coverage_hi"]


def test_timeline_and_narrative_frames():
    corpus, sentences = prepared("The war began. The war and the conflict went on. Families lost their homes.")
    hits = find_frames(sentences, corpus.tokens)
    timeline = stat_sentence_frames(hits, sentences, layer="generic")
    assert timeline["conflict"].tolist() == [1.0, 2.0, 0.0]
    narrative = score_narrative_frames(hits, sentences, min_sentences=2).set_index("narrative_frame")
    assert narrative.loc["CO", "present"] and narrative.loc["CO", "sentences_with"] == 2
    assert not narrative.loc["HI", "present"] and narrative.loc["HI", "sentences_with"] == 1


def test_empty_corpus():
    corpus, sentences = prepared("Calm.")
    hits = find_frames(sentences.iloc[0:0], corpus.tokens)
    assert hits.empty
    assert score_frames(hits, sentences.iloc[0:0]).empty
    assert frame_intervals(hits, sentences.iloc[0:0], n_boot=10).empty
    assert np.isclose(score_frames(hits, sentences)["coverage"], 0).all()


def _score_frames_reference(hits, sentences, by="doc_id", min_tokens=2000):
    """The merge-and-groupby reading of ``score_frames`` (what it computed before it ran on cell codes)."""
    from corpus_tools.framing.frames import SCORE_COLUMNS, frame_categories
    groups = sentences.groupby(by).agg(n_sentences=("sent_id", "size"), n_tokens=("n_tokens", "sum"))
    grid = groups.reset_index().merge(frame_categories(), how="cross")
    live = hits[~hits["negated"].astype(bool)]
    if not live.empty:
        live = live.merge(sentences[["doc_id", "sent_id", by]].drop_duplicates(["doc_id", "sent_id"]) if by != "doc_id"
                          else sentences[["doc_id", "sent_id"]].drop_duplicates(), on=["doc_id", "sent_id"])
        keys = [by, "layer", "category"]
        agg = live.groupby(keys).agg(hits=("cue_id", "size"), weighted=("weight", "sum"))
        agg["sentences_with"] = live.drop_duplicates([*keys, "doc_id", "sent_id"]).groupby(keys).size()
        grid = grid.merge(agg.reset_index(), on=keys, how="left")
    for column in ("hits", "weighted", "sentences_with"):
        grid[column] = grid[column].fillna(0) if column in grid else 0
    grid = grid.astype({"hits": int, "sentences_with": int, "weighted": float})
    grid["density"] = 1000 * grid["hits"] / grid["n_tokens"].where(grid["n_tokens"] > 0)
    grid["coverage"] = grid["sentences_with"] / grid["n_sentences"].where(grid["n_sentences"] > 0)
    ranked = grid.sort_values([by, "layer", "coverage", "weighted"], ascending=[True, True, False, False], kind="stable")
    grid["dominant"] = grid.index.isin(ranked[ranked["hits"] > 0].drop_duplicates([by, "layer"]).index)
    grid["small_sample"] = grid["n_tokens"] < min_tokens
    return grid[[by, *SCORE_COLUMNS]].reset_index(drop=True)


def test_score_frames_equals_the_merge_and_groupby_reading():
    """Random hits: weights that do not add up exactly, negated hits, hits outside the sentences and
    of categories not in the lexicon, ties for the dominant category, grouping by a metadata column."""
    from corpus_tools.framing.frames import frame_categories
    rng = np.random.default_rng(2)
    cats = frame_categories()
    sentences = pd.DataFrame({"doc_id": np.repeat(["d3", "d1", "d20", "d2"], 5), "sent_id": np.tile(range(5), 4),
                              "n_tokens": rng.integers(0, 30, 20), "side": np.repeat(["am", "az", "am", "x"], 5)})
    n = 300
    pick = rng.integers(0, len(cats) + 1, n)
    hits = pd.DataFrame({"doc_id": rng.choice(["d1", "d2", "d3", "d20", "d9"], n), "sent_id": rng.integers(0, 6, n),
                         "layer": [cats["layer"].iloc[p] if p < len(cats) else "generic" for p in pick],
                         "category": [cats["category"].iloc[p] if p < len(cats) else "unknown" for p in pick],
                         "cue_id": "c", "weight": rng.choice([0.1, 0.7, 1.0, 2.0], n), "negated": rng.random(n) < 0.2})
    hits = hits.astype({"doc_id": "str", "layer": "str", "category": "str"})
    for by in ("doc_id", "side"):
        for part in (hits, hits.iloc[:4], hits.iloc[:0]):
            pd.testing.assert_frame_equal(score_frames(part, sentences, by=by),
                                          _score_frames_reference(part, sentences, by=by), check_exact=True)
