"""Notebook 04 runs headless, offline, on the bundled article, the multi-document corpus and tiny corpora."""
import pytest

from tests.helpers import MULTI, SEEDS, error_outputs, markdown_of, run_notebook

pytestmark = pytest.mark.notebook
SLUGS = ("04-score-distributions", "04-arc", "04-polarity-subjectivity", "04-quoted-vs-narrative",
         "04-actor-sentiment")


@pytest.mark.parametrize("corpus", [SEEDS, MULTI], ids=["seed", "multi"])
def test_notebook_04_runs(corpus, tmp_path, offline_env):
    executed = run_notebook("04_sentiment.ipynb", tmp_path, corpus_path=str(corpus), n_boot=200)
    assert not error_outputs(executed)
    for slug in SLUGS:
        assert (tmp_path / "figures" / f"{slug}.png").is_file() and (tmp_path / "figures" / f"{slug}.csv").is_file()
    text = markdown_of(executed)
    assert ("Interpretation (bundled article)" in text) == (corpus == SEEDS)
    if corpus == MULTI:
        assert "Across the 2 groups of side, mean sentence sentiment" in text  # the grouping column is picked up
