"""Framing speed at scale: every layer of corpus_tools.framing on a deterministic synthetic corpus.

Prints wall seconds, CPU milliseconds per document (process time: steadier than
wall time on a shared machine) and documents per second for each layer (actors,
frames, roles, naming, attribution, stance, persuasion, candidate actors) after
load/clean/segment, which is timed separately, then ``analyse_framing`` (every
layer, all cue sets matched in one pass). Prints figures; asserts nothing.

    .venv/bin/python bench/bench_framing.py [N_DOCS ...]      (default: 1000 10000)
    .venv/bin/python bench/bench_framing.py --engine 100000   (matching engine only, see below)

``--engine N`` times the cue-matching engine alone on N documents: the content
sentences of 10,000 segmented synthetic documents repeated under new document
ids (segmenting 100,000 documents is the foundation's cost, timed by
bench_segment.py), with frame cues (3 layers), actors and naming matched in one
pass per layer and no negation check (which needs the token table).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import cached_synthetic_corpus  # noqa: E402
from corpus_tools.framing import (analyse_framing, find_actors, find_attributions, find_frames,  # noqa: E402
                                  find_naming, find_persuasion, find_stance, score_frames, suggest_actors)
from corpus_tools.framing.cues import compiled, match_layers  # noqa: E402
from corpus_tools.framing.frames import load_frame_cues  # noqa: E402
from corpus_tools.framing.roles import assign_roles  # noqa: E402
from corpus_tools.pipeline import prepare_corpus  # noqa: E402
from corpus_tools.segment import content_sentences  # noqa: E402


def timed(label: str, n_docs: int, func):
    started, cpu = time.perf_counter(), time.process_time()
    value = func()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"  {label:<28} {seconds:8.1f} s  {1000 * cpu / n_docs:7.2f} CPU ms/doc  "
          f"{n_docs / max(seconds, 1e-9):9.0f} docs/s")
    return value


def run(n_docs: int) -> None:
    docs = cached_synthetic_corpus(n_docs)
    print(f"\n{n_docs:,} synthetic documents of ~600 words")
    corpus = timed("prepare (load/clean/segment)", n_docs, lambda: prepare_corpus(docs, show_progress=False))
    sentences = content_sentences(corpus.sentences)
    tokens = corpus.tokens
    print(f"  {len(sentences):,} sentences, {len(tokens):,} tokens")
    started = time.perf_counter()
    mentions = timed("actors", n_docs, lambda: find_actors(sentences, documents=corpus.documents))
    frames = timed("frames (3 layers)", n_docs, lambda: find_frames(sentences, tokens))
    timed("frame scores", n_docs, lambda: score_frames(frames, sentences))
    timed("roles", n_docs, lambda: assign_roles(sentences, tokens, mentions))
    timed("naming", n_docs, lambda: find_naming(sentences))
    timed("attribution (quotes, verbs)", n_docs, lambda: find_attributions(corpus.documents, sentences, mentions))
    timed("stance (hedges, boosters)", n_docs, lambda: find_stance(sentences, tokens))
    timed("persuasion + repetition", n_docs, lambda: find_persuasion(sentences, tokens))
    timed("candidate actors", n_docs, lambda: suggest_actors(
        tokens.merge(sentences[["doc_id", "sent_id"]], on=["doc_id", "sent_id"]), mentions))
    total = time.perf_counter() - started
    print(f"  {'all framing layers':<28} {total:8.1f} s  {'':20}{n_docs / total:9.0f} docs/s "
          f"({len(frames):,} frame hits, {len(mentions):,} actor mentions)")
    timed("analyse_framing (one call)", n_docs, lambda: analyse_framing(corpus.documents, corpus.sentences, tokens))


def engine(n_docs: int, base: int = 10_000) -> None:
    import pandas as pd

    corpus = prepare_corpus(cached_synthetic_corpus(base), show_progress=False)
    one = content_sentences(corpus.sentences)[["doc_id", "sent_id", "start", "text", "n_tokens"]]
    copies = -(-n_docs // base)
    sentences = pd.concat([one.assign(doc_id=one["doc_id"] + f"~{i}") for i in range(copies)], ignore_index=True)
    print(f"\nEngine only: {n_docs:,} documents ({copies} x {base:,} segmented), {len(sentences):,} sentences, "
          f"{sentences['text'].str.len().sum() / 1e6:,.0f} M characters")
    lex = load_frame_cues()
    layers = [compiled(t, source=lex.path) for _, t in lex.table.groupby("layer", sort=False)]
    hits = timed("frames (3 layers)", n_docs, lambda: match_layers(sentences, layers))
    mentions = timed("actors", n_docs, lambda: find_actors(sentences))
    timed("naming", n_docs, lambda: find_naming(sentences))
    timed("frame scores", n_docs, lambda: score_frames(hits, sentences))
    print(f"  {len(hits):,} frame hits, {len(mentions):,} actor mentions")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--engine"]:
        engine(int(argv[1]) if len(argv) > 1 else 100_000)
        return
    for n in [int(a) for a in argv] or [1000, 10_000]:
        run(n)


if __name__ == "__main__":
    main(sys.argv[1:])
