"""End-to-end speed and memory of the chunked engine, beside the naive stack a tutorial would use.

    .venv/bin/python bench/bench_pipeline.py                  # 1,000 and 10,000 documents
    .venv/bin/python bench/bench_pipeline.py 1000 10000 100000
    .venv/bin/python bench/bench_pipeline.py --profile 2500   # cProfile over process_chunk (after a warm-up chunk)

The synthetic corpus is written once to ``bench/out/`` as one Parquet file and the engine gets
its path, as a user with a big export would: the main process never holds all the texts.
Each size runs in a fresh child process, so its peak RSS (``resource.getrusage`` of the
main process, and of each worker as reported by ``process_chunk``) is its own: first for the run
(row tables left on disk, as ``process_corpus`` returns them), then after reading every row
table into memory, as a notebook using them all would. Per-stage seconds are CPU-seconds
measured inside ``process_chunk`` and summed over chunks (load, the first pass and the merge:
wall seconds of the main process). The naive stack (pysbd sentences, TextBlob and VADER one sentence at a time,
``nltk.FreqDist`` over ``str.split`` tokens) runs on a 200-document sample; the ratio is
engine documents/second over naive documents/second. Prints figures, asserts nothing; the
synthetic corpus (``bench.synthetic``) is generated deterministically and never committed.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import cached_synthetic_corpus, synthetic_corpus_path

NAIVE_SAMPLE = 200


def run_size(n_docs: int, workers: int, chunk_size: int) -> dict:
    """One engine run over ``n_docs`` synthetic documents (call in a fresh process)."""
    from corpus_tools.engine import ROW_TABLES, process_corpus

    path = synthetic_corpus_path(n_docs)  # written before the clock starts; the engine streams it
    start = time.perf_counter()
    results = process_corpus(path, workers=workers, chunk_size=chunk_size, group="side", show_progress=False)
    wall = time.perf_counter() - start
    rss_run = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    rows = {name: len(getattr(results, name)) for name in ROW_TABLES}  # every row table read into memory
    return {"docs": n_docs, "wall": wall, "stages": dict(zip(results.timings["stage"], results.timings["seconds"])),
            "rss_self_mb": rss_run, "read_s": time.perf_counter() - start,
            "rss_read_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_workers_mb": results.workers["peak_rss_mb"].tolist(),
            "sentences": rows.pop("sentences"), "terms": len(results.frequency), "hits": sum(rows.values()),
            "pairs": len(results.collocations)}


def naive_stack(texts) -> float:
    """Seconds for the tutorial stack on ``texts``: pysbd, TextBlob and VADER per sentence, FreqDist."""
    import pysbd
    from nltk import FreqDist
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    start = time.perf_counter()
    segmenter, vader = pysbd.Segmenter(language="en", clean=False), SentimentIntensityAnalyzer()
    scores, counts = [], FreqDist()
    for text in texts:
        for sentence in segmenter.segment(text):
            scores.append((TextBlob(sentence).sentiment.polarity, vader.polarity_scores(sentence)["compound"]))
        counts.update(text.lower().split())
    return time.perf_counter() - start


def profile(n_docs: int, chunk_size: int) -> None:
    """cProfile (standard library) over the work a worker does (``process_chunk``) after its first chunk,
    run in this process with the settings ``process_corpus`` would send (the pack it would choose)."""
    import cProfile
    import pstats

    from corpus_tools.engine import _choose_pack, _Loader, pack_settings, process_chunk

    corpus = cached_synthetic_corpus(n_docs)
    settings = {"group": "side", "boilerplate": None, "stopwords": None, "site_lines": None}
    loader = _Loader(corpus, text_column="text", max_file_mb=1e9)
    settings.update(pack_settings(_choose_pack(loader, settings, conflict="auto", gazetteer=None, naming_pairs=None)))
    chunks = loader.chunks(chunk_size)
    process_chunk(next(chunks), settings)  # warm-up, as a worker's first chunk: lexicons load, cues compile
    profiler = cProfile.Profile()
    start = time.process_time()
    profiler.enable()
    done = sum(len(process_chunk(chunk, settings)["documents"]) for chunk in chunks)
    profiler.disable()
    seconds = time.process_time() - start
    print(f"{done:,} documents after the warm-up chunk: {seconds:.1f} CPU-s, {1000 * seconds / max(done, 1):.2f} CPU-ms a document")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="profile process_chunk instead of timing")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child: one size, JSON out
    args = parser.parse_args()
    if args.profile:
        return profile(args.sizes[0], args.chunk_size)
    if args.one:
        print(json.dumps(run_size(args.sizes[0], args.workers, args.chunk_size)))
        return
    print(f"engine: {args.workers} workers, chunks of {args.chunk_size}", flush=True)
    best = 0.0
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--workers", str(args.workers),
                              "--chunk-size", str(args.chunk_size)], capture_output=True, text=True, cwd=ROOT, check=False)
        if out.returncode:
            print(f"{n:>8,} docs: failed\n{out.stderr[-2000:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rate = r["docs"] / r["wall"]
        best = rate
        stages = "  ".join(f"{k} {v:.1f}" for k, v in r["stages"].items())
        print(f"{n:>8,} docs  {r['wall']:7.1f} s wall  {rate:7.1f} docs/s  peak RSS main {r['rss_self_mb']:,.0f} MB, "
              f"workers {', '.join(f'{w:,.0f}' for w in r['rss_workers_mb'])} MB  ({r['sentences']:,} content sentences, "
              f"{r['terms']:,} terms, {r['hits']:,} hits, {r['pairs']:,} pairs)\n"
              f"          stage seconds (chunk stages: CPU-seconds summed over workers): {stages}\n"
              f"          then reading every row table into memory: {r['read_s']:.1f} s, "
              f"peak RSS main {r['rss_read_mb']:,.0f} MB", flush=True)
    sample = cached_synthetic_corpus(1000)["text"].iloc[:NAIVE_SAMPLE].tolist()
    seconds = naive_stack(sample)
    naive_rate = NAIVE_SAMPLE / seconds
    print(f"naive stack (pysbd + TextBlob + VADER per sentence + FreqDist, 1 process) on {NAIVE_SAMPLE} docs: "
          f"{seconds:.1f} s = {naive_rate:.1f} docs/s")
    if best:
        print(f"ratio engine / naive (last size, {args.workers} workers vs 1 process): {best / naive_rate:.2f}x")


if __name__ == "__main__":
    main()
