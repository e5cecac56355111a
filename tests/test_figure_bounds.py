"""Every figure has a bounded size and bin/bar count whatever the corpus (10,000 sentences, 2,000
documents, 500 actors, 5,000 terms, 40 nodes): the frame timeline was 0.22 in per sentence, the length
histogram one bin per 5 tokens up to the longest sentence, the dispersion plot 0.45 in per term and
the top-terms/collocates/keyness plots a bar (and a panel) per row asked for."""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from corpus_tools import config
from corpus_tools.framing import plot_actor_roles, plot_frame_coverage, plot_frame_timeline, plot_naming, plot_speakers
from corpus_tools.collocation import plot_collocates
from corpus_tools.frequency import plot_dispersion, plot_top_terms
from corpus_tools.keyness import plot_keyness
from corpus_tools.overview import plot_document_counts, plot_document_sizes, plot_sentence_lengths
from corpus_tools.plots import MAX_FIGURE_PANELS
from corpus_tools.sentiment_plots import (plot_arc, plot_group_sentiment, plot_score_distributions, plot_targets,
                                          plot_voice)
from tests.test_framing_by_group import CASES as FRAMING_CASES

rng = np.random.default_rng(0)
N = 500
names = [f"name {i}" for i in range(N)]
interval = {"mean": rng.uniform(-1, 1, N), "ci_low": -1.0, "ci_high": 1.0, "n_mentions": 3, "n_sentences": 5}
T = 5000
terms = [f"term {i}" for i in range(T)]
frequency = pd.DataFrame({"term": terms, "n": np.arange(T, 0, -1), "rate_per_1000": np.arange(T, 0, -1) / 10})
keyness = pd.DataFrame({"term": terms, "direction": np.tile(["over", "under"], T // 2), "g2": rng.uniform(0, 50, T),
                        "log_ratio": rng.uniform(-3, 3, T), "p_adjusted": rng.uniform(0, 0.1, T),
                        "low_expected": rng.random(T) < 0.3, "n_target": 3})
positions = pd.DataFrame({"term": np.repeat(names, 40), "doc_id": np.tile([f"doc {i}" for i in range(2000)], 10),
                          "position": 1, "relative": rng.random(N * 40), "doc_words": 100})
collocates = pd.DataFrame({"node": np.repeat([f"node {i}" for i in range(40)], 200), "collocate": np.tile(terms[:200], 40),
                           "log_dice": rng.uniform(0, 14, 8000), "o11": 3, "e11": 0.5})
sentences = pd.DataFrame({"doc_id": np.repeat([f"doc {i}" for i in range(2000)], 5), "position": np.tile(np.arange(5) / 5, 2000),
                          "rolling": rng.uniform(-1, 1, 10_000), "score": rng.uniform(-1, 1, 10_000),
                          **{f"scorer_{i}": rng.uniform(-1, 1, 10_000) for i in range(40)}})
CASES = {
    "timeline": lambda: plot_frame_timeline(pd.DataFrame({"doc_id": "d", "sent_id": range(10_000),
                                                          "generic:conflict": rng.integers(0, 3, 10_000)})),
    "coverage": lambda: plot_frame_coverage(pd.DataFrame({
        "doc_id": np.repeat([f"doc {i}" for i in range(2000)], 2), "layer": "generic",
        "category": np.tile(["conflict", "economic"], 2000), "coverage": 0.5, "coverage_lo": 0.4, "coverage_hi": 0.6})),
    "actor roles": lambda: plot_actor_roles(pd.DataFrame({"protagonist": 1, "antagonist": 2, "innocent": 0},
                                                         index=names)),
    "naming": lambda: plot_naming(pd.DataFrame({"term": names, "side": "az", "hits": 1})),
    "speakers": lambda: plot_speakers(pd.DataFrame({"speaker": names, "words_quoted": 5, "attributions": 1,
                                                    "classes": "neutral"}), top=N),
    "lengths": lambda: plot_sentence_lengths(pd.DataFrame({"n_tokens": np.append(rng.integers(1, 40, 10_000), 174_000),
                                                           "kind": "narrative"})),
    "document sizes": lambda: plot_document_sizes(
        pd.DataFrame({"doc_id": [f"doc {i}" for i in range(2000)], "n_tokens": rng.lognormal(6, 1.5, 2000).astype(int),
                      "kind": "narrative"}),
        groups=pd.Series([f"g{i % 8}" for i in range(2000)], index=[f"doc {i}" for i in range(2000)])),
    "document counts": lambda: plot_document_counts(pd.DataFrame({
        "group": np.tile([f"g{i}" for i in range(8)], 60), "period": np.repeat([f"2022-W{w:02d}" for w in range(60)], 8),
        "n_documents": rng.integers(0, 40, 480), "few_documents": False})),
    "targets": lambda: plot_targets(pd.DataFrame({"actor": names, **interval})),
    "targets by group": lambda: plot_targets(pd.DataFrame({"actor": np.repeat(names, 20), "g": np.tile(range(20), N),
                                                           **{k: np.repeat(v, 20) if np.ndim(v) else v
                                                              for k, v in interval.items()}}), group="g"),
    "groups": lambda: plot_group_sentiment(pd.DataFrame({"g": names, **interval}), group="g"),
    "top terms": lambda: plot_top_terms({f"table {i}": frequency for i in range(12)}, n=T),
    "dispersion": lambda: plot_dispersion(positions),
    "keyness": lambda: plot_keyness(keyness, n=T),
    "collocates": lambda: plot_collocates(collocates, n=200),
    "score distributions": lambda: plot_score_distributions(sentences, columns=[f"scorer_{i}" for i in range(40)]),
    "arc": lambda: plot_arc(sentences, max_docs=2000),
    "voice": lambda: plot_voice(pd.DataFrame({"g": np.repeat(names, 2), "voice": np.tile(["narrative", "quoted"], N),
                                              "mean": 0.1, "ci_low": 0.0, "ci_high": 0.2, "n_sentences": 4}), group="g"),
}
CASES.update({f"framing {name}": case for name, case in FRAMING_CASES.items()})  # notebook 03 by group and time


@pytest.mark.parametrize("case", CASES)
def test_figures_are_bounded(case):
    fig = CASES[case]()
    width, height = fig.get_size_inches() * config.FIGURE_DPI
    ax = fig.axes[0]
    drawn = len(ax.patches) + len(ax.collections) + len(ax.lines) + len(ax.texts)
    plt.close(fig)
    assert width <= 4000 and height <= 4000
    assert len(ax.get_yticklabels()) <= 60 and drawn <= 1000


#: How each large case says what it left out (in a title of the figure or of a panel).
LEFT_OUT = {"top terms": ("top 30 of 5,000", "first 8 of 12 panels"), "dispersion": ("first 30 of 500 terms",),
            "keyness": ("strongest 30 of 5,000 terms",), "collocates": ("first 8 of 40 nodes", "of 200)"),
            "score distributions": ("first 30 of 40 scorers",), "arc": ("first 30 of 2000 documents",),
            "document counts": ("first 30 of 60 periods",)}


@pytest.mark.parametrize("case", LEFT_OUT)
def test_every_panel_is_bounded_and_titles_say_what_was_left_out(case):
    fig = CASES[case]()
    titles = " ".join([fig._suptitle.get_text() if fig._suptitle else ""] + [ax.get_title(loc) for ax in fig.axes
                                                                          for loc in ("left", "center")])
    panels = [ax for ax in fig.axes if ax.axison]
    rows = [len(ax.get_yticklabels()) for ax in panels]
    plt.close(fig)
    assert len(panels) <= MAX_FIGURE_PANELS and max(rows) <= config.MAX_FIGURE_ITEMS
    assert all(note in titles for note in LEFT_OUT[case]), titles
