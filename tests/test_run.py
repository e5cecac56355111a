"""The run command and notebook 01, executed headless and offline as a user would run them."""
import errno
import json
import os
import pathlib
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from corpus_tools import config
from corpus_tools.outputs import OutputRefused, claim_output_dir
from corpus_tools.run import NotebookFailed, RunPlan, execute_notebook, main, plan_run, run, run_order
from tests.helpers import MULTI, ROOT, SEEDS, error_outputs, markdown_of, run_notebook

pytestmark = pytest.mark.notebook


def test_committed_notebooks_are_executed_and_clean():
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert notebooks, "no notebooks found"
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert all(c.get("execution_count") for c in code), f"{path.name} is not committed executed"
        assert not error_outputs(path), f"{path.name}: {error_outputs(path)}"
        tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
        assert 'corpus_path = "../seeds"' in tagged[0].source and "figures_dir" in tagged[0].source


@pytest.mark.parametrize("corpus", [SEEDS, MULTI], ids=["seed", "multi"])
def test_notebook_01_runs_offline(corpus, tmp_path, offline_env):
    executed = run_notebook("01_corpus.ipynb", tmp_path, corpus_path=str(corpus))
    assert not error_outputs(executed)
    figures = tmp_path / "figures"
    for slug in ("01-document-sizes", "01-sentence-lengths"):
        assert (figures / f"{slug}.png").is_file() and (figures / f"{slug}.csv").is_file()
    assert "01-sentence-lengths" in (figures / "manifest.json").read_text()


NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: What a notebook must say on a one-sentence corpus, beyond running cleanly.
ON_ONE_SENTENCE = {"04_sentiment.ipynb": "no interval"}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_on_degenerate_corpora(name, tmp_path, offline_env):
    """One sentence beside an unreadable file: no error, no bundled interpretation. An empty folder: the
    load cell stops with the load report's reasons (issue 13 item 7), not an empty report."""
    one = tmp_path / "one"
    one.mkdir()
    (one / "a.txt").write_text("Armenia welcomed the talks.", encoding="utf-8")
    (one / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    executed = run_notebook(name, tmp_path / "one-out", corpus_path=str(one), n_boot=50)
    assert not error_outputs(executed)
    assert "Interpretation (bundled article)" not in markdown_of(executed)
    assert ON_ONE_SENTENCE.get(name, "") in markdown_of(executed)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NotebookFailed, match=r"EmptyCorpus: 0 documents loaded .*no input file"):
        run_notebook(name, tmp_path / "empty-out", corpus_path=str(empty), n_boot=50)


def test_failing_notebook_names_the_notebook_and_cell(tmp_path, offline_env):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                               nbformat.v4.new_code_cell("1 / 0")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "99_broken.ipynb"
    nbformat.write(notebook, source)
    with pytest.raises(NotebookFailed, match=r"99_broken.ipynb failed in cell 1 .*ZeroDivisionError"):
        execute_notebook(source, tmp_path / "out" / "99_broken.ipynb", {}, progress=False)
    assert (tmp_path / "out" / "99_broken.ipynb").is_file()


def test_plan_for_bundled_and_own_corpus(tmp_path):
    bundled = plan_run()
    assert bundled.parameters == {} and bundled.output_dir == ROOT / "notebooks"
    own = plan_run(MULTI, tmp_path)
    assert own.figures_dir == tmp_path / "figures" and own.output_dir == tmp_path / "notebooks"
    assert own.parameters["corpus_path"] == str(MULTI)
    with pytest.raises(SystemExit, match="corpus not found"):
        plan_run(tmp_path / "missing", tmp_path)


def test_cli_run_on_own_corpus_leaves_project_untouched(tmp_path, offline_environ):
    manifest = ROOT / "figures" / "manifest.json"
    before = manifest.read_text() if manifest.exists() else None
    done = subprocess.run([sys.executable, "-m", "corpus_tools", "run", "--corpus", str(MULTI), "--out",
                           str(tmp_path), "--notebooks", "01"], capture_output=True, text=True,
                          env=offline_environ, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "[1/1] 01_corpus done" in done.stdout
    report = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "01 · The corpus" in report and "data:image/png;base64" in report
    assert 'src="http' not in report and "cdnjs" not in report  # self-contained: no web requests
    assert (tmp_path / "notebooks" / "01_corpus.ipynb").is_file()
    assert (tmp_path / "figures" / "01-sentence-lengths.png").is_file()
    assert (manifest.read_text() if manifest.exists() else None) == before


def test_only_declared_parameters_are_injected(tmp_path, offline_env):
    params = nbformat.v4.new_code_cell("a = 0")
    params.metadata["tags"] = ["parameters"]
    notebook = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell("print(a)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "98_params.ipynb"
    nbformat.write(notebook, source)
    execute_notebook(source, tmp_path / "out.ipynb", {"a": 7, "eval_dir": "x"}, progress=False)
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "a = 7" in injected[0].source and "eval_dir" not in injected[0].source
    assert executed.cells[-1].outputs[0]["text"].strip() == "7"


def test_engine_flags_become_notebook_parameters_only_when_given():
    import argparse

    from corpus_tools.run import _engine_arguments, engine_parameters

    parser = argparse.ArgumentParser()
    _engine_arguments(parser)
    given = parser.parse_args(["--engine", "dask", "--scheduler", "tcp://10.0.0.5:8786", "--cache", "c"])
    assert engine_parameters(given) == {"engine": "dask", "scheduler": "tcp://10.0.0.5:8786", "cache_dir": "c"}
    assert engine_parameters(parser.parse_args([])) == {}


def tiny_notebook(folder, name, *sources, parameters=None):
    """A notebook of code cells (the first tagged ``parameters`` when given) written to ``folder/name``."""
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    if parameters is not None:
        cells.insert(0, nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(notebook, path)
    return path


def test_output_folder_is_never_an_input_nor_holds_foreign_files(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Armenia welcomed the talks.", encoding="utf-8")
    with pytest.raises(OutputRefused, match="is the input folder"):
        claim_output_dir(corpus, inputs=[corpus])
    with pytest.raises(OutputRefused, match="is inside the input folder"):
        claim_output_dir(corpus / "out", inputs=[corpus])
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes", encoding="utf-8")
    (mine / "report").mkdir()
    with pytest.raises(OutputRefused, match=rf"{mine} holds files corpus_tools did not write \(report;"):
        claim_output_dir(mine, writes=["report", "figures"])
    with pytest.raises(OutputRefused, match=r"\(notes.txt, report;"):
        claim_output_dir(mine, writes=["figures"])
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt", "report"]
    new = claim_output_dir(tmp_path / "new" / "out")
    assert (new / config.OUTPUT_MARKER).is_file()
    (new / "report").mkdir()
    assert claim_output_dir(new, writes=["report"]) == new  # marked: the suite's own, replaced
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (claim_output_dir(empty) / config.OUTPUT_MARKER).is_file()


def test_writes_never_replace_an_input_even_in_a_marked_folder_or_through_a_link(tmp_path):
    out = claim_output_dir(tmp_path / "out")
    (out / "documents.parquet").write_bytes(b"the corpus")
    with pytest.raises(OutputRefused, match=r"documents.parquet would overwrite the input"):
        claim_output_dir(out, writes=["documents.parquet"], inputs=[out / "documents.parquet"])
    with pytest.raises(OutputRefused, match="would overwrite the input"):
        claim_output_dir(out, writes=["figures"], inputs=[out / "figures" / "a.csv"])
    link = tmp_path / "link"
    link.symlink_to(out, target_is_directory=True)
    with pytest.raises(OutputRefused, match="is the input folder"):
        claim_output_dir(out, inputs=[link])


def test_process_never_overwrites_its_input(tmp_path, capsys):
    folder = tmp_path / "export"
    folder.mkdir()
    corpus = folder / "documents.parquet"
    pd.DataFrame({"doc_id": ["a"], "text": ["Armenia welcomed the talks."]}).to_parquet(corpus)
    before = corpus.read_bytes()
    assert main(["process", "--corpus", str(corpus), "--out", str(folder), "--workers", "1"]) == 1
    assert f"{corpus} would overwrite the input {corpus}" in capsys.readouterr().err
    assert corpus.read_bytes() == before
    users = tmp_path / "users"
    users.mkdir()
    (users / "load_report.csv").write_text("mine", encoding="utf-8")
    assert main(["process", "--corpus", str(corpus), "--out", str(users), "--workers", "1"]) == 1
    assert f"{users} holds files corpus_tools did not write (load_report.csv;" in capsys.readouterr().err
    assert (users / "load_report.csv").read_text() == "mine"


def test_save_results_goes_through_the_output_check(tmp_path):
    from corpus_tools.engine import save_results

    (tmp_path / "summary.json").write_text("{}", encoding="utf-8")
    with pytest.raises(OutputRefused, match=r"summary.json"):
        save_results(None, tmp_path)  # refused before the results are touched
    assert (tmp_path / "summary.json").read_text() == "{}"


def test_run_refuses_foreign_files_and_reuses_its_own_folder(tmp_path, capsys, offline_env):
    out = tmp_path / "out"
    out.mkdir()
    (out / "figures").write_text("a user's file", encoding="utf-8")
    assert main(["run", "--corpus", str(MULTI), "--out", str(out), "--notebooks", "01", "--no-report"]) == 1
    err = capsys.readouterr().err
    assert f"{out} holds files corpus_tools did not write (figures;" in err and "--out" in err
    assert sorted(p.name for p in out.iterdir()) == ["figures"]
    source = tiny_notebook(tmp_path, "96_tiny.ipynb", "x = 1")
    mine = tmp_path / "mine"
    plan = RunPlan([source], mine / "notebooks", mine / "figures", mine / "report",
                   {"corpus_path": str(MULTI), "cache_dir": str(mine / "cache")}, mine)
    for _ in range(2):  # the second run replaces what the first wrote
        run(plan, report=False, progress=False)
    assert "outputs: " + str(mine) in capsys.readouterr().out
    for folder in (mine, mine / "notebooks", mine / "figures", mine / "report"):
        assert (folder / config.OUTPUT_MARKER).is_file()


def test_default_output_is_beside_the_corpus_never_inside(tmp_path, monkeypatch):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    monkeypatch.chdir(corpus)  # `run --corpus .` from inside the corpus
    plan = plan_run(".")
    assert plan.root == tmp_path / "articles-corpus_tools"
    assert plan.figures_dir == plan.root / "figures" and plan.parameters["corpus_path"] == str(corpus)
    with pytest.raises(OutputRefused, match="inside the input folder"):
        run(plan_run(".", "out"), report=False, progress=False)
    assert not (corpus / "out").exists()


def test_unknown_param_is_refused_by_name(tmp_path):
    with pytest.raises(SystemExit, match=r"--param nonsense: not a parameter of 01_corpus"):
        main(["run", "--out", str(tmp_path / "out"), "--notebooks", "01", "--param", "nonsense=1"])
    assert not (tmp_path / "out").exists()


def test_dead_kernel_names_the_cell_and_keeps_a_valid_partial_copy(tmp_path, offline_env):
    source = tiny_notebook(tmp_path, "97_dead.ipynb", "import os\nprint('before')", "os._exit(1)",
                           "print('never')", parameters='corpus_path = "x"')
    target = tmp_path / "out" / "97_dead.ipynb"
    with pytest.raises(NotebookFailed, match=r"(?s)97_dead.ipynb: the kernel died in cell 3 \(`os._exit\(1\)`\) "
                                             r"on /c .*out of memory.*partly executed notebook is at"):
        execute_notebook(source, target, {"corpus_path": "/c"}, progress=False)
    kept = nbformat.read(target, as_version=4)  # cells: parameters, injected, the three above
    nbformat.validate(kept)
    assert kept.cells[2].outputs[0]["text"] == "before\n"
    assert kept.cells[3].metadata["papermill"]["status"] == "failed" and not kept.cells[4].outputs


def test_a_cell_over_the_timeout_stops_the_run_naming_it_and_keeps_the_partial_copy(tmp_path, offline_env):
    source = tiny_notebook(tmp_path, "96_hung.ipynb", "print('before')", "import time\ntime.sleep(60)",
                           "print('never')", parameters='corpus_path = "x"')
    target = tmp_path / "out" / "96_hung.ipynb"
    with pytest.raises(NotebookFailed, match=r"(?s)96_hung.ipynb: cell 3 \(`import time`\) on /c ran longer than "
                                             r"the cell timeout of 3 s.*partly executed notebook is at"):
        execute_notebook(source, target, {"corpus_path": "/c"}, progress=False, cell_timeout=3)
    kept = nbformat.read(target, as_version=4)
    assert kept.cells[2].outputs[0]["text"] == "before\n" and not kept.cells[4].outputs
    assert kept.cells[3].metadata["papermill"]["status"] == "failed"


def test_cell_timeout_flag_reaches_the_run(tmp_path, monkeypatch):
    import corpus_tools.run as run_module

    given = []
    monkeypatch.setattr(run_module, "run", lambda plan, **kwargs: given.append(kwargs))
    assert main(["run", "--corpus", str(SEEDS), "--out", str(tmp_path / "o"), "--notebooks", "01", "--no-report",
                 "--cell-timeout", "90"]) == 0
    assert main(["run", "--corpus", str(SEEDS), "--out", str(tmp_path / "o"), "--notebooks", "01", "--jobs", "1"]) == 0
    jobs = min(2, os.cpu_count() or 1)  # the default: two notebooks at once where there are two cores
    assert given == [{"report": False, "cell_timeout": 90.0, "jobs": jobs},
                     {"report": True, "cell_timeout": None, "jobs": 1}]


def test_full_disk_names_the_cell_and_leaves_the_last_whole_copy(tmp_path, offline_env, monkeypatch):
    source = tiny_notebook(tmp_path, "95_full.ipynb", "x = 1", "y = 2", "z = 3")
    target = tmp_path / "out" / "95_full.ipynb"
    write_text, calls = pathlib.Path.write_text, []

    def disk_fills_after_one_notebook(path, data, *args, **kwargs):
        calls.append(path)
        if len(calls) == 1:
            return write_text(path, data, *args, **kwargs)
        write_text(path, data[: len(data) // 2], *args, **kwargs)  # half written, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pathlib.Path, "write_text", disk_fills_after_one_notebook)
    with pytest.raises(NotebookFailed, match=r"(?s)95_full.ipynb stopped in cell 1 \(`y = 2`\): .*No space left on "
                                             r"device.*holds the cells up to 0"):
        execute_notebook(source, target, {}, progress=False)
    monkeypatch.undo()
    kept = nbformat.read(target, as_version=4)
    assert [c.execution_count for c in kept.cells] == [1, None, None]
    assert sorted(p.name for p in target.parent.iterdir()) == ["95_full.ipynb"]  # no half-written file left


def test_two_runs_write_identical_notebooks(tmp_path, offline_env):
    source = tiny_notebook(tmp_path, "94_same.ipynb", "print(n * 2)", "n + 1",
                           "import ipywidgets as w\nw.VBox([w.Text('a'), w.Checkbox(), w.HTML('b')])",
                           "object()", parameters="n = 1")  # widgets get random ids; a repr names an address
    copies = []
    for run_number in (1, 2):
        target = tmp_path / f"run{run_number}" / source.name
        execute_notebook(source, target, {"n": 20}, progress=False)
        copies.append(target.read_bytes())
    assert copies[0] == copies[1]
    executed = json.loads(copies[0])
    assert executed["cells"][1]["id"] == "injected-parameters-1" and "n = 20" in "".join(executed["cells"][1]["source"])
    assert "start_time" not in copies[0].decode() and '"execution"' not in copies[0].decode()
    assert "IPY_MODEL_" in copies[0].decode() and " at 0x" not in copies[0].decode()


def test_markup_in_the_corpus_is_shown_as_text_everywhere(hostile_run):
    """Payloads in document text, a file name, a CSV id, side values and titles: escaped in the report,
    in the notebooks' HTML and Markdown outputs and in figures/README.md; CSV formulas neutralised."""
    import csv

    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from tests.hostile import FORMULA, RAW

    report = (hostile_run / "report" / "report.html").read_text(encoding="utf-8")
    assert not [raw for raw in RAW if raw in report]
    for escaped in ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;"):
        assert escaped in report
    index = markdown2html_mistune((hostile_run / "figures" / "README.md").read_text(encoding="utf-8"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in index and not [raw for raw in RAW if raw in index]
    for path in sorted((hostile_run / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                shown = data.get("text/html", "") + markdown2html_mistune(data.get("text/markdown", ""))
                assert not [raw for raw in RAW if raw in shown], f"{path.name}: {shown[:300]}"
    cells = []
    for path in sorted((hostile_run / "figures").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            cells += [(path.name, cell) for row in csv.reader(handle) for cell in row]
    assert (("01-document-sizes.csv", f"'{FORMULA}") in cells and ("02-kwic.csv", "'@SUM(1+1)") in cells)

    def number(text):
        try:
            return float(text) == float(text)
        except ValueError:
            return False
    assert [(name, cell) for name, cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            and not number(cell)] == []


def test_jobs_start_the_first_notebook_first_then_the_longest_with_the_same_outputs(tmp_path, offline_env):
    """``run(jobs=2)``: the first notebook is started first (it prepares the corpus; the others wait for
    it, ``cache.computed_once``), the rest longest first, and every notebook is written byte for byte as
    ``jobs=1`` writes it."""
    sources = [tiny_notebook(tmp_path, name, "n = 1", f"print({k} * 2)")
               for k, name in enumerate(["01_first.ipynb", "04_short.ipynb", "02_long.ipynb", "03_mid.ipynb"])]
    assert [source.name for _, source in run_order(list(enumerate(sources, start=1)))] == \
        ["01_first.ipynb", "02_long.ipynb", "03_mid.ipynb", "04_short.ipynb"]  # TYPICAL_SECONDS: 02 > 03 > 04
    written = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        run(RunPlan(sources, out / "nb", out / "fig", out / "rep", {}), report=False, progress=False, jobs=jobs)
        written[jobs] = {p.name: p.read_bytes() for p in sorted((out / "nb").iterdir())}
    assert written[1] == written[2] and len(written[2]) == 4


def test_jobs_stop_on_a_failing_notebook_and_name_it(tmp_path, offline_env):
    sources = [tiny_notebook(tmp_path, "01_ok.ipynb", "x = 1"), tiny_notebook(tmp_path, "02_ok.ipynb", "y = 2"),
               tiny_notebook(tmp_path, "03_broken.ipynb", "z = 3", "1 / 0")]
    plan = RunPlan(sources, tmp_path / "nb", tmp_path / "fig", tmp_path / "rep", {})
    with pytest.raises(NotebookFailed, match=r"03_broken.ipynb failed in cell 1 .*ZeroDivisionError"):
        run(plan, report=False, progress=False, jobs=2)
    assert (tmp_path / "nb" / "03_broken.ipynb").is_file()  # the partly executed copy is kept
