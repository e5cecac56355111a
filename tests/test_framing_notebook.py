"""Notebook 03 runs headless, offline, on the bundled article, the multi-document corpus and tiny corpora."""
import pytest

from tests.helpers import MULTI, SEEDS, error_outputs, markdown_of, run_notebook

pytestmark = pytest.mark.notebook
SLUGS = ("03-frame-coverage", "03-frame-timeline", "03-actor-roles", "03-naming", "03-speakers")


@pytest.mark.parametrize("corpus", [SEEDS, MULTI], ids=["seed", "multi"])
def test_notebook_03_runs(corpus, tmp_path, offline_env):
    executed = run_notebook("03_framing.ipynb", tmp_path, corpus_path=str(corpus), n_boot=200)
    assert not error_outputs(executed)
    figures = tmp_path / "figures"
    for slug in SLUGS:
        assert (figures / f"{slug}.png").is_file() and (figures / f"{slug}.csv").is_file()
    assert (figures / "03-framing-audit.csv").is_file()
    text = markdown_of(executed)
    assert ("Interpretation (bundled article)" in text) == (corpus == SEEDS)
