"""The run command and notebook 01, executed headless and offline as a user would run them."""
import subprocess
import sys

import nbformat
import pytest

from corpus_tools.run import NotebookFailed, execute_notebook, plan_run
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
    """One sentence beside an unreadable file, then an empty folder: no error, no bundled interpretation."""
    one = tmp_path / "one"
    one.mkdir()
    (one / "a.txt").write_text("Armenia welcomed the talks.", encoding="utf-8")
    (one / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    empty = tmp_path / "empty"
    empty.mkdir()
    for corpus in (one, empty):
        executed = run_notebook(name, tmp_path / corpus.name, corpus_path=str(corpus), n_boot=50)
        assert not error_outputs(executed)
        assert "Interpretation (bundled article)" not in markdown_of(executed)
    assert ON_ONE_SENTENCE.get(name, "") in markdown_of(tmp_path / "one" / name)


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
