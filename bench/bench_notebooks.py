"""Wall time, kernel memory and figure sizes of each notebook on a two-sided dated synthetic corpus.

    .venv/bin/python bench/bench_notebooks.py                    # notebooks 01-05 on 2,000 documents
    .venv/bin/python bench/bench_notebooks.py --docs 200 --notebooks 01 03
    .venv/bin/python bench/bench_notebooks.py --keep /tmp/nb-bench  # keep the corpus and the outputs there
    .venv/bin/python bench/bench_notebooks.py --jobs 2               # and the whole run, two notebooks at once

The corpus (``bench.synthetic.two_sided_dated_corpus``: about 600 words a document, ``side`` az/am,
``date`` over a year centred on ``EVENT_DATE``) is written as one Parquet file to a temporary folder
(or ``--keep DIR``/corpus). Each notebook then runs through the suite's own runner
(``run.plan_run`` + ``run.run``, as ``python -m corpus_tools run --corpus F --out OUT --notebooks NN
--param group_column=side --param date_column=date --no-report`` does), in a fresh child process and in
order, into one output folder, so later notebooks see what earlier ones left (05's chunk cache) as in a
real run; ``event_date`` is passed to the notebooks whose ``parameters`` cell declares it.

Per notebook: wall seconds of the child (Python start, kernel start and the notebook), the runner's
own seconds, CPU seconds (user + system) of the child and every process under it that has exited (kernel,
engine workers: ``RUSAGE_CHILDREN``; on a shared machine wall seconds grow with the load, CPU seconds
much less; two cores give at most 2 CPU-seconds a wall second), the peak RSS of the kernel process (psutil, polled every 0.1 s: a peak shorter than that can
be missed) and of the kernel with its children (05's engine workers) summed at each poll, the PNGs it
wrote or rewrote and the largest of them; then the total and the largest PNG of the run (pixels each way
and bytes). The runner strips papermill's per-cell timings from the notebooks it writes (``run.normalise``),
so the child times each cell itself from the runner's cell-start and cell-executed callbacks and the
slowest cells are listed. Prints figures, asserts nothing; a notebook that fails is reported with the
runner's message (notebook, cell, error) and the next one still runs. With ``--jobs N`` the whole run
is then timed once more as a user starts it (``python -m corpus_tools run --jobs N``, into a fresh folder):
wall and CPU seconds and each notebook's own seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import EVENT_DATE, two_sided_dated_corpus

NOTEBOOKS = ["01", "02", "03", "04", "05"]
POLL_S = 0.1
SLOW_CELLS = 3  # slowest cells listed per notebook


def run_one(number: str, corpus: Path, out: Path, event_date: str) -> dict:
    """Child: one notebook through the runner, each cell timed; returns what happened (call in a fresh process)."""
    from corpus_tools import run

    cells: dict[int, float] = {}
    started: dict[int, float] = {}
    original_started, original_save = run._Watch.started, run._Watch.save

    def on_start(self, cell, cell_index, **kwargs):
        started[cell_index] = time.perf_counter()
        return original_started(self, cell, cell_index, **kwargs)

    def on_save(self, **kwargs):  # on_cell_executed (code cells only) passes cell_index; the final save does not
        index = kwargs.get("cell_index")
        if index in started:
            cells[index] = time.perf_counter() - started[index]
        return original_save(self, **kwargs)

    run._Watch.started, run._Watch.save = on_start, on_save  # this process only; the package is unchanged
    params = {"group_column": "side", "date_column": "date"}
    plan = run.plan_run(corpus, out, [number], params)
    if "event_date" in run.declared_parameters(plan.notebooks[0]):
        params["event_date"] = event_date
        plan = run.plan_run(corpus, out, [number], params)
    run.check_parameters(plan.notebooks, params)
    source = plan.notebooks[0]
    result = {"notebook": source.stem, "params": sorted(params), "error": None}
    start = time.perf_counter()
    try:
        run.run(plan, report=False, progress=False)
    except run.NotebookFailed as err:
        result["error"] = str(err)
    result["runner_s"] = time.perf_counter() - start
    import nbformat

    executed = plan.output_dir / source.name
    if not executed.is_file():
        return {**result, "cells": [], "kept_timing": False}
    nb = nbformat.read(executed, as_version=4)
    result["cells"] = [{"index": i, "seconds": s, "first_line": next(
        (line for line in nb.cells[i].source.splitlines() if line.strip() and not line.lstrip().startswith("#")),
        nb.cells[i].source.strip()[:80])[:80]} for i, s in sorted(cells.items())]
    result["kept_timing"] = any("duration" in c.metadata.get("papermill", {}) for c in nb.cells)
    return result


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    with path.open("rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return (0, 0)
    return struct.unpack(">II", head[16:24])


def snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*.png")} if folder.exists() else {}


def watch(command: list[str]) -> dict:
    """Run ``command``, polling its process tree: peak RSS of the kernel alone and of the kernel with its
    children (summed per poll), wall seconds, stdout/stderr."""
    import resource

    import psutil

    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    peak_kernel = peak_tree = 0
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [threading.Thread(target=lambda s=stream, b=buf: b.append(s.read()), daemon=True)
               for stream, buf in ((proc.stdout, out_chunks), (proc.stderr, err_chunks))]
    for reader in readers:
        reader.start()
    while proc.poll() is None:
        try:
            for child in parent.children(recursive=False):
                try:
                    if "ipykernel" not in " ".join(child.cmdline()):
                        continue
                    rss = child.memory_info().rss
                    tree = rss
                    for grandchild in child.children(recursive=True):
                        try:
                            tree += grandchild.memory_info().rss
                        except psutil.Error:
                            pass
                    peak_kernel, peak_tree = max(peak_kernel, rss), max(peak_tree, tree)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(POLL_S)
    for reader in readers:
        reader.join()
    wall = time.perf_counter() - start
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = cpu.ru_utime + cpu.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
    return {"wall_s": wall, "cpu_s": cpu_s, "rc": proc.returncode, "stdout": "".join(out_chunks),
            "stderr": "".join(err_chunks), "kernel_mb": peak_kernel / 2**20, "tree_mb": peak_tree / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="documents in the synthetic corpus (default 2,000)")
    parser.add_argument("--words", type=int, default=600, help="words a document (default 600)")
    parser.add_argument("--notebooks", nargs="+", default=NOTEBOOKS, metavar="NN", help="default: 01 02 03 04 05")
    parser.add_argument("--event-date", default=EVENT_DATE, help=f"centre of the dates (default {EVENT_DATE})")
    parser.add_argument("--keep", metavar="DIR", help="write corpus and outputs to DIR (kept) instead of a temp folder")
    parser.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="also time the whole run as a user starts it, `python -m corpus_tools run --jobs N` "
                             "(N notebooks at once), after the per-notebook timings (default: not timed)")
    parser.add_argument("--one", nargs=3, metavar=("NN", "CORPUS", "OUT"), help=argparse.SUPPRESS)  # child
    args = parser.parse_args()
    if args.one:
        number, corpus, out = args.one
        print("\n" + json.dumps(run_one(number, Path(corpus), Path(out), args.event_date)))
        return
    base = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="bench_notebooks_"))
    corpus, out = base / "corpus" / f"synthetic_{args.docs}.parquet", base / "out"
    try:
        start = time.perf_counter()
        docs = two_sided_dated_corpus(args.docs, words_per_doc=args.words, event_date=args.event_date)
        corpus.parent.mkdir(parents=True, exist_ok=True)
        docs.to_parquet(corpus, index=False)
        words = int(docs["text"].str.split().str.len().sum())
        print(f"corpus: {len(docs):,} documents, {words:,} words ({words / len(docs):,.0f} a document), sides "
              f"{', '.join(f'{k} {v:,}' for k, v in docs['side'].value_counts().items())}, dates {docs['date'].min()} "
              f"to {docs['date'].max()} ({(docs['date'] < args.event_date).mean():.0%} before {args.event_date}); "
              f"written in {time.perf_counter() - start:.1f} s to {corpus}", flush=True)
        print(f"machine: {os.cpu_count()} cores, load average at start {', '.join(f'{x:.1f}' for x in os.getloadavg())}",
              flush=True)
        rows, pngs = [], {}
        for number in args.notebooks:
            before = snapshot(out / "figures")
            w = watch([sys.executable, __file__, "--one", number, str(corpus), str(out), "--event-date",
                       args.event_date])
            after = snapshot(out / "figures")
            written = [p for p, stamp in after.items() if before.get(p) != stamp]
            sizes = {p: (*png_size(p), after[p][1]) for p in written}
            pngs.update({p: (number, *s) for p, s in sizes.items()})
            try:
                child = json.loads(w["stdout"].strip().splitlines()[-1])
            except (ValueError, IndexError):
                child = {"notebook": number, "error": f"child failed (status {w['rc']}): {w['stderr'][-1500:]}",
                         "cells": [], "runner_s": float("nan")}
            big = max(sizes.items(), key=lambda kv: (kv[1][0] * kv[1][1], kv[1][2]), default=None)
            rows.append({**child, **{k: w[k] for k in ("wall_s", "cpu_s", "kernel_mb", "tree_mb")}, "pngs": len(written),
                         "largest": big})
            status = "FAILED" if child.get("error") else "ok"
            print(f"  {child['notebook']}: {w['wall_s']:.1f} s {status}", flush=True)
        print(f"\nnotebooks on {args.docs:,} documents (load average now "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}):")
        print(f"{'notebook':<20} {'wall s':>7} {'runner s':>8} {'CPU s':>6} {'kernel MB':>9} {'+children':>9} {'PNGs':>4}  "
              f"largest PNG written")
        for r in rows:
            big = r["largest"]
            largest = f"{big[1][0]:,} x {big[1][1]:,} px, {big[1][2] / 1024:,.0f} KB  {big[0].name}" if big else "-"
            print(f"{r['notebook']:<20} {r['wall_s']:7.1f} {r['runner_s']:8.1f} {r['cpu_s']:6.1f} {r['kernel_mb']:9,.0f} "
                  f"{r['tree_mb']:9,.0f} {r['pngs']:4}  {largest}")
        print(f"{'total':<20} {sum(r['wall_s'] for r in rows):7.1f} {sum(r['runner_s'] for r in rows):8.1f} "
              f"{sum(r['cpu_s'] for r in rows):6.1f} "
              f"{max(r['kernel_mb'] for r in rows):9,.0f} {max(r['tree_mb'] for r in rows):9,.0f} "
              f"{sum(r['pngs'] for r in rows):4}  (peaks: the largest of any notebook)")
        if pngs:
            by_area = max(pngs.items(), key=lambda kv: (kv[1][1] * kv[1][2], kv[1][3]))
            by_bytes = max(pngs.items(), key=lambda kv: kv[1][3])
            for what, (path, (nb, width, height, size)) in (("pixels", by_area), ("bytes", by_bytes)):
                print(f"largest PNG by {what}: {width:,} x {height:,} px, {size:,} bytes, "
                      f"{path.relative_to(out / 'figures')} (notebook {nb})")
        print(f"\nslowest cells (seconds from the runner's cell-start to cell-executed callbacks):")
        for r in rows:
            slow = sorted(r["cells"], key=lambda c: -c["seconds"])[:SLOW_CELLS]
            timed = sum(c["seconds"] for c in r["cells"])
            print(f"  {r['notebook']} ({timed:.1f} s in {len(r['cells'])} code cells, {r['runner_s'] - timed:.1f} s "
                  f"outside them: kernel start and stop, saving): " + "; ".join(
                f"cell {c['index']} {c['seconds']:.1f} s `{c['first_line']}`" for c in slow))
        kept = [r["notebook"] for r in rows if r.get("kept_timing")]
        print(f"per-cell durations kept by the runner in the written notebooks: {', '.join(kept) or 'none'}")
        failed = [r for r in rows if r.get("error")]
        for r in failed:
            print(f"\nFAILED {r['notebook']}: {r['error']}")
        if args.jobs:
            together = base / "together"
            shutil.rmtree(together, ignore_errors=True)
            command = [sys.executable, "-m", "corpus_tools", "run", "--corpus", str(corpus), "--out", str(together),
                       "--param", "group_column=side", "--param", "date_column=date", "--param",
                       f"event_date={args.event_date}", "--no-report", "--jobs", str(args.jobs),
                       "--notebooks", *args.notebooks]
            w = watch(command)
            status = "ok" if w["rc"] == 0 else f"FAILED (status {w['rc']}): {w['stderr'][-1500:]}"
            print(f"\nthe whole run, `python -m corpus_tools run --jobs {args.jobs}` (kernels start, a fresh cache; "
                  f"load average now {', '.join(f'{x:.1f}' for x in os.getloadavg())}): {w['wall_s']:.1f} s wall, "
                  f"{w['cpu_s']:.1f} CPU s, {status}")
            for line in w["stdout"].splitlines():
                if " done in " in line:
                    print(f"  {line}")
        print(f"\noutputs: {out}" if args.keep else "")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
