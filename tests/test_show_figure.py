"""plots.show_figure: a notebook's figure saved, shown once and closed in one call."""
import matplotlib.pyplot as plt

from corpus_tools import plots


def test_show_figure_saves_shows_in_ipython_and_closes(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(plots, "_shell", lambda: object())
    monkeypatch.setattr(plots, "_tag_for_notebook", lambda fig, entry: None)  # needs a real shell
    monkeypatch.setattr("IPython.display.display", shown.append)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    entry = plots.show_figure(fig, "t-line", caption="A line.", alt="One falling line.", out_dir=tmp_path)
    assert entry["slug"] == "t-line" and (tmp_path / "t-line.png").is_file() and (tmp_path / "t-line.pdf").is_file()
    assert shown == [fig] and not plt.fignum_exists(fig.number)


def test_show_figure_outside_ipython_saves_and_closes_without_printing(tmp_path, capsys):
    fig, ax = plt.subplots()
    plots.show_figure(fig, "t-bar", caption="Bars.", alt="Two bars.", out_dir=tmp_path)
    assert (tmp_path / "t-bar.svg").is_file() and not plt.fignum_exists(fig.number)
    assert capsys.readouterr().out == ""
