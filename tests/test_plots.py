"""save_figure writes PNG/SVG(/PDF), the data CSV and a manifest entry; house style applies."""
import json

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from PIL import Image

from corpus_tools import config
from corpus_tools.plots import PALETTE, new_figure, read_manifest, save_figure


def test_save_figure_writes_every_file_and_manifest(tmp_path):
    fig, ax = new_figure("column")
    ax.plot([1, 2, 3])
    data = pd.DataFrame({"x": [1, 2, 3]})
    entry = save_figure(fig, "t-line", caption="A line.", alt="A rising line.", data=data, out_dir=tmp_path,
                        notebook="00_test", corpus="abc", pdf=True)
    for suffix in ("png", "svg", "pdf", "csv"):
        assert (tmp_path / f"t-line.{suffix}").is_file()
    assert pd.read_csv(tmp_path / "t-line.csv").equals(data)
    with Image.open(tmp_path / "t-line.png") as png:
        assert png.info["dpi"][0] == pytest.approx(config.FIGURE_DPI, abs=1)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest == [entry] and entry["caption"] == "A line." and entry["corpus"] == "abc"
    plt.close(fig)


def test_saving_again_replaces_the_entry(tmp_path):
    fig, _ = new_figure()
    save_figure(fig, "b", caption="first", alt="x", out_dir=tmp_path)
    save_figure(fig, "a", caption="other", alt="x", out_dir=tmp_path)
    save_figure(fig, "b", caption="second", alt="x", out_dir=tmp_path)
    manifest = read_manifest(tmp_path)
    assert manifest["slug"].tolist() == ["a", "b"] and manifest["caption"].tolist() == ["other", "second"]
    plt.close(fig)


def test_caption_and_alt_are_required(tmp_path):
    fig, _ = new_figure()
    with pytest.raises(ValueError, match="caption and alt text are required"):
        save_figure(fig, "x", caption="", alt="something", out_dir=tmp_path)
    plt.close(fig)


def test_house_style_sizes_and_palette():
    fig, ax = new_figure("slide")
    assert tuple(fig.get_size_inches()) == pytest.approx(config.FIGURE_SIZES["slide"])
    assert ax.spines["top"].get_visible() is False
    assert plt.rcParams["axes.prop_cycle"].by_key()["color"][:3] == PALETTE[:3]
    plt.close(fig)
