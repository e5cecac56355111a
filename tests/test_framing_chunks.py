"""Chunk invariance: each per-document framing layer, run on parts of a corpus split by documents
and merged, equals the run on the whole corpus (the chunked engine depends on it).

Merging rule per table: concatenate the parts, then a stable sort by ``doc_id, start`` (audit
tables, mentions, attributions, role evidence) or ``doc_id`` and ``n_evidence`` descending (roles);
quotes keep the documents' order. ``suggest_actors`` counts across documents: its parts, run with
``min_count=1``, merge with ``merge_candidates``.
"""
import pandas as pd
import pytest

from bench.synthetic import synthetic_corpus
from corpus_tools.framing import analyse_framing, find_frames, merge_candidates, score_frames, suggest_actors
from corpus_tools.framing.cues import match_cues, match_layers
from corpus_tools.framing.frames import frame_cue_sets
from corpus_tools.pipeline import prepare_corpus
from corpus_tools.segment import content_sentences

AUDIT_KEYS = {"mentions": ["doc_id", "start"], "frames": ["doc_id", "start"], "naming": ["doc_id", "start"],
              "attributions": ["doc_id", "start"], "stance": ["doc_id", "start"],
              "persuasion": ["doc_id", "start"]}


@pytest.fixture(scope="module")
def corpus():
    docs = synthetic_corpus(24, words_per_doc=300, seed=5)
    return prepare_corpus(docs, show_progress=False)


def _part(corpus, doc_ids):
    keep = set(doc_ids)
    return tuple(t[t["doc_id"].isin(keep)].reset_index(drop=True)
                 for t in (corpus.documents, corpus.sentences, corpus.tokens))


def _merge(tables, keys=None, ascending=True):
    table = pd.concat([t for t in tables if not t.empty] or tables[:1], ignore_index=True)
    if keys:
        table = table.sort_values(keys, ascending=ascending, kind="stable")
    return table.reset_index(drop=True)


def _split(doc_ids, how):
    ids = list(doc_ids)
    if how == "halves":
        return [ids[:len(ids) // 2], ids[len(ids) // 2:]]
    if how == "three":
        return [ids[:5], ids[5:6], ids[6:]]
    return [ids[0::2], ids[1::2]]  # interleaved: parts are not contiguous in doc_id order


@pytest.mark.parametrize("how", ["halves", "three", "interleaved"])
def test_every_layer_is_chunk_invariant(corpus, how):
    whole = analyse_framing(corpus.documents, corpus.sentences, corpus.tokens, min_candidate_count=2)
    parts = [analyse_framing(*_part(corpus, ids), min_candidate_count=1)
             for ids in _split(corpus.documents["doc_id"], how)]
    assert len(whole.frames) > 100 and len(whole.mentions) > 50 and len(whole.roles.evidence) > 5
    for name, keys in AUDIT_KEYS.items():
        merged = _merge([getattr(p, name) for p in parts], keys)
        pd.testing.assert_frame_equal(merged, getattr(whole, name), check_exact=True, obj=name)
    evidence = _merge([p.roles.evidence for p in parts], ["doc_id", "start"])
    pd.testing.assert_frame_equal(evidence, whole.roles.evidence, check_exact=True)
    roles = _merge([p.roles.roles for p in parts], ["doc_id", "n_evidence"], ascending=[True, False])
    pd.testing.assert_frame_equal(roles, whole.roles.roles, check_exact=True)
    order = {d: i for i, d in enumerate(corpus.documents["doc_id"])}
    quotes = _merge([p.quotes for p in parts])
    quotes = quotes.iloc[quotes["doc_id"].map(order).argsort(kind="stable")].reset_index(drop=True)
    pd.testing.assert_frame_equal(quotes, whole.quotes, check_exact=True)
    # suggest_actors counts across documents: per-part tables with min_count=1, merged, then min_count
    candidates = merge_candidates([p.candidates for p in parts], min_count=2)
    pd.testing.assert_frame_equal(candidates, whole.candidates, check_exact=True)
    frames = _merge([p.frames for p in parts], ["doc_id", "start"])
    pd.testing.assert_frame_equal(score_frames(frames, whole.sentences), score_frames(whole.frames, whole.sentences),
                                  check_exact=True)


def test_suggest_actors_min_count_is_corpus_wide(corpus):
    """Why suggest_actors needs merge_candidates: a chunk sees only part of a name's mentions, so
    min_count cannot be applied per chunk."""
    content = content_sentences(corpus.sentences)
    tokens = corpus.tokens.merge(content[["doc_id", "sent_id"]], on=["doc_id", "sent_id"])
    none = pd.DataFrame(columns=["doc_id", "start", "end"])
    whole = suggest_actors(tokens, none, min_count=2)
    ids = corpus.documents["doc_id"].tolist()
    halves = [suggest_actors(tokens[tokens["doc_id"].isin(part)], none, min_count=1) for part in (ids[:12], ids[12:])]
    pd.testing.assert_frame_equal(merge_candidates(halves, min_count=2), whole, check_exact=True)
    top = whole.iloc[0]
    seen = [h.set_index("candidate")["mentions"].get(top["candidate"], 0) for h in halves]
    assert all(0 < n < top["mentions"] for n in seen) and sum(seen) == top["mentions"]
    assert merge_candidates([h.iloc[0:0] for h in halves]).empty


def test_matching_chunk_size_does_not_change_hits(corpus):
    """Sentences are matched in chunks of joined text; any chunk size gives the same hits."""
    content = content_sentences(corpus.sentences)
    reference = find_frames(content, corpus.tokens)
    for size in (1, 7, 100):
        pd.testing.assert_frame_equal(match_layers(content, frame_cue_sets(), tokens=corpus.tokens, chunk_size=size),
                                      reference, check_exact=True)


def test_regex_cue_running_into_the_next_sentence_voids_nothing():
    """A regex that would run across the sentence separator is not a hit and does not push out a hit
    of the next sentence (else the result would depend on which sentences share a chunk)."""
    corpus = prepare_corpus(pd.DataFrame({"doc_id": ["a"], "text": ["The war began. Peace talks failed."]}),
                            show_progress=False)
    sentences = content_sentences(corpus.sentences)
    cues = pd.DataFrame([{"cue_id": "span", "pattern": r"began.{0,12}talks", "match": "regex"},
                         {"cue_id": "peace", "pattern": "peace talks", "match": "phrase"}])
    for size in (1, 2):
        hits = match_cues(sentences, cues, chunk_size=size)
        assert hits["cue_id"].tolist() == ["peace"] and hits["matched"].tolist() == ["Peace talks"]
