"""Every figure has a bounded size and bin/bar count whatever the corpus (10,000 sentences, 2,000
documents, 500 actors): the frame timeline was 0.22 in per sentence, the length histogram one bin
per 5 tokens up to the longest sentence."""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from corpus_tools import config
from corpus_tools.framing import plot_actor_roles, plot_frame_coverage, plot_frame_timeline, plot_naming, plot_speakers
from corpus_tools.overview import plot_sentence_lengths
from corpus_tools.sentiment_plots import plot_group_sentiment, plot_targets, plot_voice

rng = np.random.default_rng(0)
N = 500
names = [f"name {i}" for i in range(N)]
interval = {"mean": rng.uniform(-1, 1, N), "ci_low": -1.0, "ci_high": 1.0, "n_mentions": 3, "n_sentences": 5}
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
    "targets": lambda: plot_targets(pd.DataFrame({"actor": names, **interval})),
    "targets by group": lambda: plot_targets(pd.DataFrame({"actor": np.repeat(names, 20), "g": np.tile(range(20), N),
                                                           **{k: np.repeat(v, 20) if np.ndim(v) else v
                                                              for k, v in interval.items()}}), group="g"),
    "groups": lambda: plot_group_sentiment(pd.DataFrame({"g": names, **interval}), group="g"),
    "voice": lambda: plot_voice(pd.DataFrame({"g": np.repeat(names, 2), "voice": np.tile(["narrative", "quoted"], N),
                                              "mean": 0.1, "ci_low": 0.0, "ci_high": 0.2, "n_sentences": 4}), group="g"),
}


@pytest.mark.parametrize("case", CASES)
def test_figures_are_bounded(case):
    fig = CASES[case]()
    width, height = fig.get_size_inches() * config.FIGURE_DPI
    ax = fig.axes[0]
    drawn = len(ax.patches) + len(ax.collections) + len(ax.lines) + len(ax.texts)
    plt.close(fig)
    assert width <= 4000 and height <= 4000
    assert len(ax.get_yticklabels()) <= 60 and drawn <= 1000
