"""Paths and helpers shared by the tests (fixtures live in conftest.py)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MULTI = ROOT / "tests" / "data" / "multi"
OFFLINE = ROOT / "tests" / "offline"


def run_notebook(name: str, tmp_path: Path, **parameters) -> Path:
    """Execute ``notebooks/<name>`` with papermill into ``tmp_path``; figures go to tmp_path/figures."""
    from corpus_tools.run import execute_notebook

    source = ROOT / "notebooks" / name
    target = tmp_path / name
    params = {"figures_dir": str(tmp_path / "figures"), "cache_dir": str(tmp_path / "cache"), **parameters}
    execute_notebook(source, target, params, progress=False)
    return target


def error_outputs(path: Path) -> list[str]:
    """Error outputs and stderr tracebacks in an executed notebook."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    problems = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
            if output.get("name") == "stderr" and "Traceback" in output.get("text", ""):
                problems.append(f"cell {index}: traceback on stderr")
    return problems


def markdown_of(path: Path) -> str:
    """All Markdown the executed notebook displayed (its rendered commentary), joined."""
    import nbformat

    return "\n".join(str(o.get("data", {}).get("text/markdown", "")) for c in nbformat.read(path, 4).cells
                     for o in c.get("outputs", []))
