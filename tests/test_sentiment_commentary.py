"""Notebook 04's commentary on the scorers (sentiment.describe_corpus, describe_distributions,
describe_extremes, describe_agreement): every number is the computed table's, on the seed and on corpora
of other conflicts, and nothing said of the bundled article appears for another corpus."""
import re

import pytest

from corpus_tools.segment import content_sentences
from corpus_tools.sentiment import (describe_agreement, describe_corpus, describe_distributions, describe_extremes,
                                    disagreements, extremes, score_evidence, score_sentences, stat_agreement)
from corpus_tools.tables import with_group
from tests.conflict_corpora import open_study

SCORES = ["vader_compound", "textblob_polarity", "afinn_compound", "score"]
SEED_PHRASES = re.compile(r"the statement|one article|ministry|bundled", re.I)


def scored_corpus(name):
    study = open_study(name)
    sentences = content_sentences(study.corpus.sentences)
    if study.group_column:
        sentences = with_group(sentences, study.corpus.documents, study.group_column)
    return study, score_sentences(sentences)


@pytest.mark.parametrize("name", ["seed", "russia_ukraine", "israel_gaza"])
def test_scorer_commentary_states_the_computed_figures(name):
    study, scored = scored_corpus(name)
    corpus = describe_corpus(study.documents, scored, group_column=study.group_column, targets=["A", "B"], pack="p")
    assert f"{len(scored)} content sentences scored" in corpus
    if study.group_column:
        assert f"groups from `{study.group_column}` ({study.documents['group'].nunique()} groups)" in corpus
    else:
        assert "groups from" not in corpus
    shown = describe_distributions(scored, SCORES, band=0.05)
    assert f"VADER compound {scored['vader_compound'].mean():+.2f}" in shown
    share = (scored["label"] == "negative").mean()
    assert f"{round(100 * share)}% negative" in shown
    ends = extremes(scored, n=3)
    evidence = ends[["doc_id", "sent_id", "side"]].merge(score_evidence(ends), on=["doc_id", "sent_id"])
    told = describe_extremes(ends, evidence)
    assert f"(default score {ends.iloc[0]['score']:+.2f})" in told
    agreement = stat_agreement(scored, columns=SCORES)
    gaps = disagreements(scored, n=3)
    agreed = describe_agreement(agreement, gaps, score_evidence(gaps.head(1)))
    pair = agreement[(agreement["a"] == "vader_compound") & (agreement["b"] == "textblob_polarity")].iloc[0]
    assert f"r = {pair['pearson']:.2f}" in agreed and f"over {int(pair['n'])} sentences" in agreed
    if name != "seed":
        assert not SEED_PHRASES.search(corpus + shown + told + agreed)


def test_no_sentences_are_said_to_be_none():
    _, scored = scored_corpus("seed")
    empty = scored.iloc[:0]
    assert describe_distributions(empty, SCORES, band=0.05) == "No sentences, so no distribution."
    assert describe_extremes(empty, empty) == "No sentences, so no extremes."
    assert describe_agreement(stat_agreement(empty, columns=SCORES), empty, empty).startswith("Fewer than three")
