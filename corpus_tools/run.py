"""Run every notebook headless on a corpus, then write the HTML report; or process a large corpus.

    python -m corpus_tools run                       # bundled corpus: refreshes notebooks/, figures/, report/
    python -m corpus_tools run --corpus DIR --out OUT  # your corpus: OUT/notebooks, OUT/figures, OUT/report
    python -m corpus_tools process --corpus DIR --out OUT [--engine dask --scheduler tcp://HOST:8786]
                                                     # every analysis, chunked and parallel: OUT/*.parquet

A run on your own corpus never touches the project's ``notebooks/`` and
``figures/``. A failing notebook stops the run with a message naming the
notebook and the cell; the partly executed copy is kept for inspection.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import config


class NotebookFailed(RuntimeError):
    """A notebook raised an error; the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class RunPlan:
    notebooks: list[Path]  # sources, in order
    output_dir: Path  # where executed notebooks go
    figures_dir: Path
    report_dir: Path
    parameters: dict  # injected into each notebook's `parameters` cell (empty for the bundled run)


def plan_run(corpus: str | Path | None = None, out: str | Path | None = None,
             only: list[str] | None = None, extra: dict | None = None) -> RunPlan:
    """Decide what runs where. Without ``corpus`` the bundled corpus is run in place."""
    notebooks = sorted(p for p in config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if only:
        notebooks = [p for p in notebooks if any(p.name.startswith(o) or p.stem == o for o in only)]
        if not notebooks:
            raise SystemExit(f"no notebook matches {only}; have: "
                             f"{', '.join(p.stem for p in config.NOTEBOOKS_DIR.glob('[0-9][0-9]_*.ipynb'))}")
    if corpus is None and out is None:
        return RunPlan(notebooks, config.NOTEBOOKS_DIR, config.FIGURES_DIR, config.REPORT_DIR, dict(extra or {}))
    corpus_path = Path(corpus).resolve() if corpus is not None else config.SEEDS_DIR
    if not corpus_path.exists():
        raise SystemExit(f"corpus not found: {corpus_path}")
    out_dir = Path(out or "corpus_tools_output").resolve()
    figures = out_dir / "figures"
    parameters = {"corpus_path": str(corpus_path), "figures_dir": str(figures), "cache_dir": str(out_dir / "cache"),
                  **(extra or {})}
    return RunPlan(notebooks, out_dir / "notebooks", figures, out_dir / "report", parameters)


def execute_notebook(source: Path, target: Path, parameters: dict, *, progress: bool = True) -> None:
    """Execute one notebook with papermill (cwd = the notebooks folder, so relative defaults work).

    Only the parameters the notebook's ``parameters`` cell declares are injected, so one
    ``--param`` (e.g. ``eval_dir``) can be given to a whole run."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    target.parent.mkdir(parents=True, exist_ok=True)
    declared = papermill.inspect_notebook(str(source))
    parameters = {k: v for k, v in parameters.items() if k in declared}  # each notebook gets only its own
    try:
        papermill.execute_notebook(str(source), str(target), parameters=parameters or None,
                                   cwd=str(source.parent), kernel_name="python3", progress_bar=progress,
                                   log_output=False, request_save_on_cell_execute=False)
    except PapermillExecutionError as err:
        raise NotebookFailed(
            f"{source.name} failed in cell {err.cell_index} (execution count {err.exec_count}): "
            f"{err.ename}: {err.evalue}\n  The partly executed notebook is at {target}; open it to see the cell."
        ) from None


def run(plan: RunPlan, *, report: bool = True, progress: bool = True) -> Path | None:
    """Execute the plan's notebooks in order, then build the report; returns the report path."""
    plan.figures_dir.mkdir(parents=True, exist_ok=True)
    executed = []
    for number, source in enumerate(plan.notebooks, start=1):
        started = time.perf_counter()
        print(f"[{number}/{len(plan.notebooks)}] {source.stem} ...", flush=True)
        target = plan.output_dir / source.name
        execute_notebook(source, target, plan.parameters, progress=progress)
        executed.append(target)
        print(f"[{number}/{len(plan.notebooks)}] {source.stem} done in {time.perf_counter() - started:.1f} s",
              flush=True)
    if not report:
        return None
    from .report import build_report

    path = build_report(executed, plan.report_dir, figures_dir=plan.figures_dir)
    print(f"report: {path}\nfigures: {plan.figures_dir}", flush=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus_tools", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="run all notebooks on a corpus and write the report")
    run_parser.add_argument("--corpus", help="folder or file of articles (default: the bundled seeds/)")
    run_parser.add_argument("--out", help="output folder for a run on your own corpus (default ./corpus_tools_output)")
    run_parser.add_argument("--notebooks", nargs="+", metavar="NN", help="only these notebooks, e.g. 01 02")
    run_parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                            help="extra notebook parameter (value parsed as Python literal when possible)")
    run_parser.add_argument("--no-report", action="store_true", help="skip the HTML report")
    _engine_arguments(run_parser)
    process_parser = commands.add_parser("process", help="process a large corpus in parallel chunks; write Parquet")
    process_parser.add_argument("--corpus", required=True, help="folder, file or export (.parquet/.csv/.jsonl)")
    process_parser.add_argument("--out", required=True, help="folder for the result tables")
    process_parser.add_argument("--chunk-size", type=int, default=500, help="documents per chunk (default 500)")
    process_parser.add_argument("--group", help="documents column to count terms by, e.g. side or source")
    _engine_arguments(process_parser)
    args = parser.parse_args(argv)
    if args.command == "process":
        return process(args)
    try:
        plan = plan_run(args.corpus, args.out, args.notebooks, {**engine_parameters(args), **_parse_params(args.param)})
        run(plan, report=not args.no_report)
    except NotebookFailed as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _engine_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=("local", "dask"), help="local worker processes (default) or Dask")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)")
    parser.add_argument("--workers", type=int, help="worker processes (default: CPU count)")
    parser.add_argument("--cache", metavar="DIR", help="per-chunk result cache (reruns reuse unchanged chunks)")


def engine_parameters(args: argparse.Namespace) -> dict:
    """The engine flags given on the command line, as notebook parameters (``cache`` -> ``cache_dir``);
    a notebook receives only those its parameters cell declares."""
    given = {"engine": args.engine, "scheduler": args.scheduler, "workers": args.workers, "cache_dir": args.cache}
    return {name: value for name, value in given.items() if value is not None}


def process(args: argparse.Namespace) -> int:
    """``process``: run ``engine.process_corpus`` with a progress bar and write every result table as
    Parquet, ``load_report.csv`` and ``summary.json`` (timings, peak RSS) to ``--out``."""
    import resource

    from .engine import process_corpus, save_results

    started = time.perf_counter()
    options = engine_parameters(args)
    results = process_corpus(args.corpus, chunk_size=args.chunk_size, group=args.group, show_progress=True,
                             **options)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = save_results(results, args.out, extra={"corpus": str(args.corpus), "wall_seconds": wall,
                                                 "peak_rss_main_mb": peak, "chunk_size": args.chunk_size,
                                                 "group": args.group, **options})
    loaded = int((results.report["status"] == "loaded").sum())
    print(f"{loaded:,} documents in {wall:.1f} s ({loaded / max(wall, 1e-9):.1f} docs/s), peak RSS {peak:,.0f} MB "
          f"(main process); tables in {out}", flush=True)
    return 0


def _parse_params(pairs: list[str]) -> dict:
    import ast

    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--param needs NAME=VALUE, got {pair!r}")
        try:
            params[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[name] = value
    return params
