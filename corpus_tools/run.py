"""Run every notebook headless on a corpus, then write the HTML report; or process a large corpus.

    python -m corpus_tools run                       # bundled corpus: refreshes notebooks/, figures/, report/
    python -m corpus_tools run --corpus DIR --out OUT  # your corpus: OUT/notebooks, OUT/figures, OUT/report
    python -m corpus_tools process --corpus DIR --out OUT [--engine dask --scheduler tcp://HOST:8786]
                                                     # every analysis, chunked and parallel: OUT/*.parquet
    python -m corpus_tools actors --corpus DIR --out actors.csv [--text-column body] [--group side]
                                                     # a starter gazetteer: then --param gazetteer=actors.csv
    python -m corpus_tools sample --corpus DIR --out coding.csv [--n 200] [--group side]
                                                     # a coding sheet + codebook: then --param coded=coding.csv

A run on your own corpus never touches the project's ``notebooks/`` and
``figures/``; without ``--out`` it writes beside the corpus, into ``<corpus>-corpus_tools``.
An output folder must be new, empty or one the suite wrote (it holds ``config.OUTPUT_MARKER``),
and never the corpus or inside it. A failing notebook, a dead kernel or a full disk stops the run
with a message naming the notebook and the cell; the partly executed copy is kept for inspection.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import config
from .outputs import OutputRefused, claim_output_dir


class NotebookFailed(RuntimeError):
    """A notebook raised an error; the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class RunPlan:
    notebooks: list[Path]  # sources, in order
    output_dir: Path  # where executed notebooks go
    figures_dir: Path
    report_dir: Path
    parameters: dict  # injected into each notebook's `parameters` cell (empty for the bundled run)
    root: Path | None = None  # the output folder claimed for a run on your own corpus (None: bundled, in place)


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
    out_dir = Path(out).resolve() if out is not None else corpus_path.parent / f"{corpus_path.name}-corpus_tools"
    figures = out_dir / "figures"
    parameters = {"corpus_path": str(corpus_path), "figures_dir": str(figures), "cache_dir": str(out_dir / "cache"),
                  **(extra or {})}
    return RunPlan(notebooks, out_dir / "notebooks", figures, out_dir / "report", parameters, out_dir)


def declared_parameters(source: Path) -> set[str]:
    """The names the notebook's ``parameters`` cell assigns."""
    import papermill

    return set(papermill.inspect_notebook(str(source)))


def check_parameters(notebooks: list[Path], names) -> None:
    """Refuse a ``--param`` that none of ``notebooks`` declares (it would be silently ignored)."""
    declared = set().union(*map(declared_parameters, notebooks))
    unknown = sorted(set(names) - declared)
    if unknown:
        raise SystemExit(f"--param {', '.join(unknown)}: not a parameter of "
                         f"{', '.join(p.stem for p in notebooks)}; their parameters: {', '.join(sorted(declared))}")


def execute_notebook(source: Path, target: Path, parameters: dict, *, progress: bool | dict = True,
                     cell_timeout: float | None = None) -> None:
    """Execute one notebook with papermill (cwd = the notebooks folder, so relative defaults work) and
    write it to ``target`` after every code cell and at the end, without volatile metadata (``normalise``).

    Only the parameters the notebook's ``parameters`` cell declares are injected, so one
    ``--param`` (e.g. ``eval_dir``) can be given to a whole run. An error in a cell, a dead kernel, a
    cell running longer than ``cell_timeout`` seconds (None: no limit; the kernel is then interrupted)
    or an ``OSError`` (a full disk) raise ``NotebookFailed`` naming the notebook and the cell."""
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    target.parent.mkdir(parents=True, exist_ok=True)
    declared = declared_parameters(source)
    parameters = {k: v for k, v in parameters.items() if k in declared}  # each notebook gets only its own
    watch = _Watch(target)
    on = f" on {parameters['corpus_path']}" if "corpus_path" in parameters else ""
    try:
        papermill.execute_notebook(str(source), None, parameters=parameters or None, engine_name=_saving_engine(),
                                   watch=watch, cwd=str(source.parent), kernel_name="python3",
                                   progress_bar=progress, log_output=False, execution_timeout=cell_timeout)
    except PapermillExecutionError as err:
        raise NotebookFailed(f"{source.name} failed in {_cell(err.cell_index, err.source)} (execution count "
                             f"{err.exec_count}){on}: {err.ename}: {err.evalue}\n  {watch.keep()}") from None
    except CellTimeoutError:  # a TimeoutError, so an OSError: caught first
        raise NotebookFailed(f"{source.name}: {watch.describe()}{on} ran longer than the cell timeout of "
                             f"{cell_timeout:g} s and was stopped.\n  {watch.keep(failed=True)}") from None
    except DeadKernelError:
        raise NotebookFailed(f"{source.name}: the kernel died in {watch.describe()}{on} (most often it ran out "
                             f"of memory).\n  {watch.keep(failed=True)}") from None
    except OSError as err:
        raise NotebookFailed(f"{source.name} stopped in {watch.describe()}{on}: {err}\n  {watch.keep(failed=True)}"
                             ) from None
    watch.save()


#: papermill's timing and exception fields, in the notebook's and every cell's metadata.
VOLATILE_PAPERMILL = ("start_time", "end_time", "duration", "exception")
#: Tags of the cells papermill adds (with random ids): the parameters it injects, its error banner.
ADDED_CELL_TAGS = ("injected-parameters", "papermill-error-cell-tag")
#: A plain-text repr that names a memory address (``<pandas.io.formats.style.Styler at 0x7f...>``).
_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_WIDGET_REF = re.compile(r"IPY_MODEL_([0-9a-f]+)")


def normalise(notebook) -> None:
    """Remove (in place) what differs between two runs of a notebook on the same corpus: papermill's
    timings and exception flags, nbclient's execution timestamps and the random ids of the cells papermill
    adds (they become their tag and position), memory addresses in plain-text reprs and the random ids of
    widget models (numbered in the order the outputs reach them); the paths papermill records become file
    names."""
    meta = notebook.metadata.get("papermill", {})
    for key in VOLATILE_PAPERMILL:
        meta.pop(key, None)
    for key in ("input_path", "output_path"):
        if meta.get(key):
            meta[key] = Path(meta[key]).name
    for index, cell in enumerate(notebook.cells):
        cell.metadata.pop("execution", None)
        for key in VOLATILE_PAPERMILL:
            cell.metadata.get("papermill", {}).pop(key, None)
        tag = next((t for t in ADDED_CELL_TAGS if t in cell.metadata.get("tags", [])), None)
        if tag:
            cell.id = f"{tag}-{index}"
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/plain" in data:
                data["text/plain"] = _ADDRESS.sub(">", data["text/plain"])
    _number_widgets(notebook)


def _number_widgets(notebook) -> None:
    """Give the widget models (random uuids from ipywidgets) ids numbered in the order the outputs, then
    the models they reference, reach them; models no output reaches follow in the order of their state."""
    import json

    holder = notebook.metadata.get("widgets", {}).get(_WIDGET_STATE, {})
    state = holder.get("state", {})
    views = [o["data"][_WIDGET_VIEW] for c in notebook.cells for o in c.get("outputs", [])
             if _WIDGET_VIEW in o.get("data", {})]
    order = list(dict.fromkeys(v["model_id"] for v in views))
    for model in order:  # grows as references are found: a breadth-first walk
        order += [ref for ref in _WIDGET_REF.findall(json.dumps(state.get(model, {}), sort_keys=True))
                  if ref not in order]
    rest = [m for m in state if m not in order]
    order += sorted(rest, key=lambda m: _WIDGET_REF.sub("", json.dumps(state[m], sort_keys=True)))
    number = {model: f"{i + 1:032x}" for i, model in enumerate(order)}
    for view in views:
        view["model_id"] = number.get(view["model_id"], view["model_id"])
    if state:
        renamed = _WIDGET_REF.sub(lambda m: "IPY_MODEL_" + number.get(m[1], m[1]), json.dumps(state))
        holder["state"] = {number[m]: value for m, value in sorted(json.loads(renamed).items(),
                                                                  key=lambda item: number[item[0]])}


def write_notebook(notebook, path: Path) -> None:
    """Write ``notebook`` normalised, through a temporary file that replaces ``path`` in one step (a full
    disk leaves the previous copy whole, never half a JSON file)."""
    import nbformat

    normalise(notebook)
    temporary = path.with_name(f".{path.name}.partial")
    try:
        temporary.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class _Watch:
    """What the engine from ``_saving_engine`` reports: the notebook object papermill executes, the cell
    running, and the last cell saved to ``target``."""

    def __init__(self, target: Path):
        self.target, self.notebook, self.cell, self.saved = target, None, None, None

    def started(self, cell, cell_index, **_):
        self.cell = cell_index

    def save(self, **_):
        write_notebook(self.notebook, self.target)
        self.saved = self.cell

    def describe(self) -> str:
        """The running cell, as ``_cell`` names it."""
        if self.cell is None:
            return "the kernel start"
        return _cell(self.cell, self.notebook.cells[self.cell].source)

    def keep(self, *, failed: bool = False) -> str:
        """Save the partly executed notebook (marking the running cell failed) and say where it is."""
        if self.notebook is None:
            return "No partly executed notebook exists (the kernel never ran)."
        if failed and self.cell is not None:
            self.notebook.cells[self.cell].metadata.setdefault("papermill", {})["status"] = "failed"
        try:
            self.save()
        except OSError as err:
            if self.saved is None:
                return f"The partly executed notebook could not be written ({err})."
            return (f"The partly executed notebook could not be written again ({err}); the copy at {self.target} "
                    f"holds the cells up to {self.saved}.")
        return f"The partly executed notebook is at {self.target}; open it to see the cell."


def _cell(index: int, source: str) -> str:
    """``cell N (`its first line`)``."""
    first = next((line for line in source.splitlines() if line.strip()), "")
    return f"cell {index} (`{first[:80]}`)"


@functools.cache
def _saving_engine() -> str:
    """Register (once) a papermill engine that hands the executing notebook to a ``_Watch`` (``watch=``
    engine argument) and saves it after every code cell; return its name."""
    from papermill.engines import NBClientEngine, papermill_engines

    class SavingEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, *, watch: _Watch, **kwargs):
            watch.notebook = nb_man.nb
            return super().execute_managed_notebook(nb_man, kernel_name, on_cell_start=watch.started,
                                                    on_cell_executed=watch.save, **kwargs)

    papermill_engines.register("corpus_tools", SavingEngine)
    return "corpus_tools"


def run(plan: RunPlan, *, report: bool = True, progress: bool = True, cell_timeout: float | None = None,
        jobs: int = 1) -> Path | None:
    """Execute the plan's notebooks, then build the report; returns the report path.
    A run on your own corpus first claims its output folders (``outputs.claim_output_dir``), and its
    notebooks share the prepared corpus and the pack choice through its cache folder
    (``pipeline.RUN_CACHE_ENV``, set for the kernels while the run lasts). ``cell_timeout``: seconds a
    cell may run (``execute_notebook``). ``jobs``: notebooks executed at once, each in its own kernel and
    process: the first notebook starts first (it prepares the corpus that the others wait for and read,
    ``cache.computed_once``), the others follow longest first, a progress bar per kernel and a line per
    notebook done."""
    if plan.root is None:
        plan.figures_dir.mkdir(parents=True, exist_ok=True)
    else:
        parts = (plan.output_dir, plan.figures_dir, plan.report_dir)
        claim_output_dir(plan.root, writes=(*parts, plan.parameters["cache_dir"]),
                         inputs=(plan.parameters["corpus_path"], *plan.notebooks))
        for folder in parts:
            claim_output_dir(folder)
        print(f"outputs: {plan.root}", flush=True)
    numbered = list(enumerate(plan.notebooks, start=1))
    with _kernel_environment(plan):
        if jobs > 1 and len(numbered) > 1:
            _execute_together(numbered, plan, jobs=jobs, cell_timeout=cell_timeout, progress=progress)
        else:
            for number, source in numbered:
                print(f"[{number}/{len(numbered)}] {source.stem} ...", flush=True)
                seconds = _execute_timed(source, plan.output_dir / source.name, plan.parameters,
                                         progress=progress, cell_timeout=cell_timeout)
                print(f"[{number}/{len(numbered)}] {source.stem} done in {seconds:.1f} s", flush=True)
    executed = [plan.output_dir / source.name for source in plan.notebooks]
    if not report:
        return None
    from .report import build_report

    path = build_report(executed, plan.report_dir, figures_dir=plan.figures_dir)
    print(f"report: {path}\nfigures: {plan.figures_dir}", flush=True)
    return path


#: Typical seconds of each notebook on a large corpus (``bench/bench_notebooks.py``): ``run(jobs > 1)``
#: starts the longest first, so that the kernels finish close together.
TYPICAL_SECONDS = {"02": 50, "05": 43, "03": 39, "04": 32, "01": 16}


def run_order(numbered: list[tuple[int, Path]]) -> list[tuple[int, Path]]:
    """The order ``run(jobs > 1)`` starts notebooks in: the first one first, then the longest first
    (``TYPICAL_SECONDS``; a notebook not listed last)."""
    return numbered[:1] + sorted(numbered[1:], key=lambda item: -TYPICAL_SECONDS.get(item[1].name[:2], 0))


def _execute_timed(source: Path, target: Path, parameters: dict, **options) -> float:
    """``execute_notebook``; returns its seconds (the worker's own, not the wait for a free kernel)."""
    started = time.perf_counter()
    execute_notebook(source, target, parameters, **options)
    return time.perf_counter() - started


def _execute_together(numbered: list[tuple[int, Path]], plan: RunPlan, *, jobs: int,
                      cell_timeout: float | None, progress: bool = True) -> None:
    """Execute ``numbered`` notebooks ``jobs`` at a time in spawned processes (a kernel each), the first one
    first and then the longest first; the first failure cancels the notebooks not yet started and, once
    those running have finished, raises its ``NotebookFailed``."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    total = len(numbered)
    queue = run_order(numbered)
    context = multiprocessing.get_context("spawn")  # a clean interpreter: no state of this process in the kernels
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = {}
        for slot, (number, source) in enumerate(queue):
            bar = {"desc": source.stem, "position": slot % jobs} if progress else False  # a bar per kernel's line
            future = pool.submit(_execute_timed, source, plan.output_dir / source.name, plan.parameters,
                                 progress=bar, cell_timeout=cell_timeout)
            pending[future] = (number, source)
        print(f"running {', '.join(source.stem for _, source in queue)}, {jobs} at a time ...", flush=True)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                number, source = pending.pop(future)
                if future.exception() is not None:
                    pool.shutdown(cancel_futures=True)
                    raise future.exception()
                print(f"[{number}/{total}] {source.stem} done in {future.result():.1f} s", flush=True)


@contextlib.contextmanager
def _kernel_environment(plan: RunPlan):
    """While the notebooks of a run on your own corpus execute, ``pipeline.RUN_CACHE_ENV`` names its cache
    folder (kernels inherit the environment); the variable is restored afterwards. The bundled run sets nothing."""
    from .pipeline import RUN_CACHE_ENV

    folder = plan.parameters.get("cache_dir") if plan.root is not None else None
    before = os.environ.get(RUN_CACHE_ENV)
    if folder:
        os.environ[RUN_CACHE_ENV] = str(folder)
    try:
        yield
    finally:
        if folder:
            os.environ.pop(RUN_CACHE_ENV, None)
            if before is not None:
                os.environ[RUN_CACHE_ENV] = before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus_tools", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="run all notebooks on a corpus and write the report")
    run_parser.add_argument("--corpus", help="folder or file of articles (default: the bundled seeds/)")
    run_parser.add_argument("--out", help="output folder for a run on your own corpus: new, empty or written by "
                                          "an earlier run (default: <corpus>-corpus_tools beside the corpus)")
    run_parser.add_argument("--notebooks", nargs="+", metavar="NN", help="only these notebooks, e.g. 01 02")
    run_parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                            help="extra notebook parameter (value parsed as Python literal when possible)")
    run_parser.add_argument("--no-report", action="store_true", help="skip the HTML report")
    run_parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                            help="notebooks executed at once, a kernel each (default: 2 on a machine with two or "
                                 "more cores; 1: one after the other, with progress bars)")
    run_parser.add_argument("--cell-timeout", type=float, metavar="SECONDS",
                            help="stop the run when one cell runs longer than this (default: no limit)")
    _engine_arguments(run_parser)
    process_parser = commands.add_parser("process", help="process a large corpus in parallel chunks; write Parquet")
    process_parser.add_argument("--corpus", required=True, help="folder, file or export (.parquet/.csv/.jsonl)")
    process_parser.add_argument("--out", required=True, help="folder for the result tables")
    process_parser.add_argument("--chunk-size", type=int, default=500, help="documents per chunk (default 500)")
    process_parser.add_argument("--group", help="documents column to count terms by, e.g. side or source")
    _corpus_arguments(process_parser)
    _engine_arguments(process_parser)
    actors_parser = commands.add_parser("actors", help="propose the corpus's actors as a starter gazetteer CSV")
    actors_parser.add_argument("--corpus", required=True, help="folder, file or export (.parquet/.csv/.jsonl)")
    actors_parser.add_argument("--out", required=True, help="CSV to write: new, or an unchanged earlier proposal")
    actors_parser.add_argument("--text-column", default="text", help="text column of an export (default text)")
    actors_parser.add_argument("--group", help="documents column whose groups suggest each actor's side")
    actors_parser.add_argument("--min-count", type=int, default=2, help="occurrences an actor needs (default 2)")
    sample_parser = commands.add_parser("sample", help="draw a coding sheet and codebook for two human coders")
    sample_parser.add_argument("--corpus", required=True, help="folder, file or export (.parquet/.csv/.jsonl)")
    sample_parser.add_argument("--out", required=True, help="coding sheet CSV to write (codebook beside it)")
    sample_parser.add_argument("--n", type=int, default=200, help="units to draw, half sentences (default 200)")
    sample_parser.add_argument("--text-column", default="text", help="text column of an export (default text)")
    sample_parser.add_argument("--group", help="documents column to stratify by, e.g. side")
    sample_parser.add_argument("--date-column", help="documents column with the date (default: date if present)")
    sample_parser.add_argument("--period", default="auto", choices=("auto", "month", "quarter", "year"),
                               help="period strata from the dates (default auto)")
    sample_parser.add_argument("--seed", type=int, default=0, help="random seed of the draw (default 0)")
    sample_parser.add_argument("--gazetteer", help="your actors CSV (default: the bundled pack chosen)")
    args = parser.parse_args(argv)
    try:
        if args.command == "process":
            return process(args)
        if args.command == "actors":
            return actors(args)
        if args.command == "sample":
            return sample(args)
        params = _parse_params(args.param)
        plan = plan_run(args.corpus, args.out, args.notebooks, {**engine_parameters(args), **params})
        check_parameters(plan.notebooks, params)
        run(plan, report=not args.no_report, cell_timeout=args.cell_timeout, jobs=args.jobs)
    except (NotebookFailed, OutputRefused, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _engine_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=("local", "dask"), help="local worker processes (default) or Dask")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)")
    parser.add_argument("--workers", type=int, help="worker processes (default: CPU count)")
    parser.add_argument("--cache", metavar="DIR", help="per-chunk result cache (reruns reuse unchanged chunks)")


def _corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """The notebooks' corpus parameters (``pipeline.CORPUS_PARAMETERS``) as options, same names and defaults."""
    parser.add_argument("--text-column", default="text", help="text column of a .csv/.tsv/.jsonl/.parquet export")
    for name, what in (("id", "each document's id"), ("date", "the date"), ("title", "the title")):
        parser.add_argument(f"--{name}-column", help=f"metadata column holding {what}")
    parser.add_argument("--conflict", default="auto", help="actor pack: auto (the one covering the corpus best) or "
                                                           "a bundled name, e.g. russia-ukraine")
    parser.add_argument("--gazetteer", help="your actors CSV (written by the actors command), instead of a pack")
    parser.add_argument("--naming-pairs", help="your contested-names CSV, instead of the pack's")


def corpus_options(args: argparse.Namespace) -> dict:
    """The corpus options of ``process`` as ``process_corpus`` keyword arguments."""
    return {name: getattr(args, name) for name in ("text_column", "id_column", "date_column", "title_column",
                                                   "conflict", "gazetteer", "naming_pairs")}


def engine_parameters(args: argparse.Namespace) -> dict:
    """The engine flags given on the command line, as notebook parameters (``cache`` -> ``cache_dir``);
    a notebook receives only those its parameters cell declares."""
    given = {"engine": args.engine, "scheduler": args.scheduler, "workers": args.workers, "cache_dir": args.cache}
    return {name: value for name, value in given.items() if value is not None}


def process(args: argparse.Namespace) -> int:
    """``process``: run ``engine.process_corpus`` with a progress bar and write every result table as
    Parquet, ``load_report.csv`` and ``summary.json`` (timings, peak RSS) to ``--out``; with no
    document loaded, nothing is written and the load report's reasons are printed (status 1)."""
    import resource

    from .engine import RESULT_FILES, process_corpus, save_results, sigterm_exits
    from .pipeline import EmptyCorpus, require_documents

    claim_output_dir(args.out, writes=RESULT_FILES, inputs=[args.corpus])  # refuse before hours of work
    started = time.perf_counter()
    options = engine_parameters(args)
    with sigterm_exits():  # SIGTERM while the tables are written cleans up as during the run
        results = process_corpus(args.corpus, chunk_size=args.chunk_size, group=args.group, show_progress=True,
                                 **corpus_options(args), **options)
        try:
            require_documents(results.report, args.corpus)
        except EmptyCorpus as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        wall = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out = save_results(results, args.out, extra={"corpus": str(args.corpus), "wall_seconds": wall,
                                                     "peak_rss_main_mb": peak, "chunk_size": args.chunk_size,
                                                     "group": args.group, **corpus_options(args), **options},
                           inputs=[args.corpus])
    loaded = int((results.report["status"] == "loaded").sum())
    print(f"{loaded:,} documents in {wall:.1f} s ({loaded / max(wall, 1e-9):.1f} docs/s), peak RSS {peak:,.0f} MB "
          f"(main process); tables in {out}", flush=True)
    return 0


def actors(args: argparse.Namespace) -> int:
    """``actors``: write ``framing.discover.write_proposal``'s table to ``--out`` and print a summary."""
    from .framing.discover import summary, write_proposal

    try:
        table = write_proposal(args.corpus, args.out, text_column=args.text_column, group=args.group,
                               min_count=args.min_count)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{summary(table)}\nwritten: {args.out}; edit it, then run with --param gazetteer={args.out}", flush=True)
    return 0


def sample(args: argparse.Namespace) -> int:
    """``sample``: write ``framing.coding.write_sample``'s coding sheet and codebook and say what next."""
    from .framing.coding import codebook_path, write_sample

    try:
        sheet = write_sample(args.corpus, args.out, n=args.n, text_column=args.text_column, group=args.group,
                             date_column=args.date_column, period=args.period, seed=args.seed,
                             gazetteer=args.gazetteer)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    kinds = sheet["unit"].value_counts()
    print(f"{len(sheet)} units ({kinds.get('sentence', 0)} sentences, {kinds.get('mention', 0)} actor mentions) "
          f"written: {args.out}; codebook: {codebook_path(args.out)}. Have two people fill coder1_*/coder2_*, "
          f"then run with --param coded={args.out}", flush=True)
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
