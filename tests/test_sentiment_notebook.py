"""Notebook 04 runs headless, offline, on the bundled article, the multi-document corpus and tiny corpora."""
import nbformat
import pytest

from tests.helpers import MULTI, SEEDS, error_outputs, run_notebook

pytestmark = pytest.mark.notebook
SLUGS = ("04-score-distributions", "04-arc", "04-polarity-subjectivity", "04-quoted-vs-narrative",
         "04-actor-sentiment")


def markdown_of(path) -> str:
    return "\n".join(str(o.get("data", {}).get("text/markdown", "")) for c in nbformat.read(path, 4).cells
                     for o in c.get("outputs", []))


@pytest.mark.parametrize("corpus", [SEEDS, MULTI], ids=["seed", "multi"])
def test_notebook_04_runs(corpus, tmp_path, offline_env):
    executed = run_notebook("04_sentiment.ipynb", tmp_path, corpus_path=str(corpus), n_boot=200)
    assert not error_outputs(executed)
    for slug in SLUGS:
        assert (tmp_path / "figures" / f"{slug}.png").is_file() and (tmp_path / "figures" / f"{slug}.csv").is_file()
    text = markdown_of(executed)
    assert ("Interpretation (bundled article)" in text) == (corpus == SEEDS)
    if corpus == MULTI:
        assert "By `side`" in text  # the grouping column is picked up


def test_notebook_04_on_one_sentence_and_empty_corpora(tmp_path, offline_env):
    one = tmp_path / "one"
    one.mkdir()
    (one / "a.txt").write_text("Armenia welcomed the talks.", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    for corpus in (one, empty):
        executed = run_notebook("04_sentiment.ipynb", tmp_path / corpus.name, corpus_path=str(corpus), n_boot=50)
        assert not error_outputs(executed)
    assert "no interval" in markdown_of(tmp_path / "one" / "04_sentiment.ipynb")
