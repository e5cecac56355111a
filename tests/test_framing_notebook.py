"""Notebook 03 runs headless, offline, on the bundled article, the multi-document corpus and tiny corpora."""
import pytest

from tests.helpers import MULTI, SEEDS, error_outputs, markdown_of, run_notebook

pytestmark = pytest.mark.notebook
SLUGS = ("03-frame-coverage", "03-frame-timeline", "03-frame-positions", "03-actor-roles", "03-naming", "03-speakers",
         "03-quoted-share")


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


def test_notebooks_03_and_04_group_by_source_with_a_blank_value(tmp_path, offline_env):
    """03 failed with KeyError: 'source' (the hits' own lexicon column); 04 with 'cannot convert float
    NaN to integer' when a document had no side. The blank value shows as "(none)"."""
    import shutil

    from tests.helpers import run_notebook as run

    corpus = tmp_path / "corpus"
    shutil.copytree(MULTI, corpus)
    meta = corpus / "metadata.csv"
    meta.write_text(meta.read_text().replace(",2023-03-02,am,", ",2023-03-02,,"))
    framing = run("03_framing.ipynb", tmp_path / "03", corpus_path=str(corpus), group_column="source", n_boot=50)
    sentiment = run("04_sentiment.ipynb", tmp_path / "04", corpus_path=str(corpus), n_boot=50)
    assert not error_outputs(framing) and not error_outputs(sentiment)
    assert "(none)" in (tmp_path / "04" / "figures" / "04-actor-sentiment.csv").read_text()
