"""Notebooks 03 and 04 show agreement with a researcher's own coders (``coded``), or say the results
are unvalidated for the corpus (issue 15 item 3)."""
import pytest

from tests.conflict_corpora import CORPORA, corpus_path
from tests.helpers import ROOT, error_outputs, markdown_of, run_notebook

pytestmark = pytest.mark.notebook
CODED = ROOT / "tests" / "data" / "coded" / "russia_ukraine_coded.csv"


@pytest.mark.parametrize("notebook", ["03_framing.ipynb", "04_sentiment.ipynb"])
def test_coded_sample_gives_agreement_and_none_says_unvalidated(notebook, tmp_path, offline_env):
    corpus = dict(corpus_path=str(corpus_path("russia_ukraine")), text_column=CORPORA["russia_ukraine"]["text_column"],
                  n_boot=50)
    coded = run_notebook(notebook, tmp_path / "coded", coded=str(CODED), **corpus)
    plain = run_notebook(notebook, tmp_path / "plain", **corpus)
    assert not error_outputs(coded) and not error_outputs(plain)
    assert "Krippendorff" in markdown_of(coded) and "unvalidated for this corpus" not in markdown_of(coded)
    assert "unvalidated for this corpus" in markdown_of(plain)
