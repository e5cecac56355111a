"""Notebook 05 (the whole corpus through the chunked engine) as a user runs it: seed, two sides, cache."""
import pytest

from tests.helpers import MULTI, SEEDS, error_outputs, markdown_of, run_notebook

pytestmark = pytest.mark.notebook
NAME = "05_whole_corpus.ipynb"


def test_on_the_seed_article(tmp_path, offline_env):
    executed = run_notebook(NAME, tmp_path, corpus_path=str(SEEDS), n_boot=100)
    assert not error_outputs(executed)
    text = markdown_of(executed)
    assert "Processed 1 document" in text and "equal the in-memory computation" in text
    for slug in ("05-top-terms", "05-frame-coverage", "05-actor-roles", "05-sentiment"):
        assert (tmp_path / "figures" / f"{slug}.png").is_file(), slug


def test_two_sides_compared_and_reopened_from_the_cache(tmp_path, offline_env):
    first = run_notebook(NAME, tmp_path / "first", corpus_path=str(MULTI), cache_dir=str(tmp_path / "cache"),
                         n_boot=100)
    assert not error_outputs(first)
    text = markdown_of(first)
    assert "Groups compared (`side`): am and az" in text and "1 chunk computed and 0 chunks read back" in text
    assert (tmp_path / "first" / "figures" / "05-keyness.png").is_file()
    again = run_notebook(NAME, tmp_path / "again", corpus_path=str(MULTI), cache_dir=str(tmp_path / "cache"),
                         n_boot=100)
    assert "0 chunks computed and 1 chunk read back from the cache" in markdown_of(again)
    assert "equal the in-memory computation" in markdown_of(again)


def test_group_intervals_resample_documents(tmp_path, offline_env):
    """Frame shares and tone per side come with cluster-bootstrap intervals over documents (as in 03 and 04),
    and their CSVs say so per row; the text names the side column, never a placeholder."""
    import pandas as pd

    executed = run_notebook(NAME, tmp_path, corpus_path=str(MULTI), n_boot=100)
    text = markdown_of(executed)
    assert "Across the 2 groups of side" in text and "resample documents within each group" in text
    assert "of group," not in text and "**am**" in text and "**az**" in text
    for slug in ("05-frame-coverage", "05-sentiment"):
        table = pd.read_csv(tmp_path / "figures" / f"{slug}.csv")
        assert set(table["unit"]) <= {"documents", "sentences (one document)"} and "n_documents" in table, slug
