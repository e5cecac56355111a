"""save_figure writes PNG/SVG(/PDF), the data CSV and a manifest entry; house style applies."""
import base64
import io
import json
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from PIL import Image

from corpus_tools import config
from corpus_tools.plots import (FIGURE_METADATA_KEY, PALETTE, new_figure, read_manifest, save_figure,
                                write_figure_index)


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


def test_pdf_is_written_by_default_and_can_be_skipped(tmp_path):
    fig, _ = new_figure()
    assert save_figure(fig, "d", caption="c", alt="a", out_dir=tmp_path)["files"] == {
        "png": "d.png", "svg": "d.svg", "pdf": "d.pdf"}
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    assert "pdf" not in save_figure(fig, "e", caption="c", alt="a", out_dir=tmp_path, pdf=False)["files"]
    assert not (tmp_path / "e.pdf").exists()
    plt.close(fig)


def test_saving_the_same_figure_twice_gives_identical_files(tmp_path):
    fig, ax = new_figure()
    ax.plot([1, 3, 2])
    save_figure(fig, "same", caption="c", alt="a", out_dir=tmp_path / "one")
    save_figure(fig, "same", caption="c", alt="a", out_dir=tmp_path / "two")
    for suffix in ("png", "svg", "pdf"):
        assert (tmp_path / "one" / f"same.{suffix}").read_bytes() == (tmp_path / "two" / f"same.{suffix}").read_bytes()
    plt.close(fig)


def test_figure_index_lists_every_figure_with_thumbnail_caption_alt_and_notebook(tmp_path):
    fig, _ = new_figure()
    save_figure(fig, "02-b", caption="Second | piped.", alt='Bars "quoted".', out_dir=tmp_path, notebook="02_x",
                data=pd.DataFrame({"x": [1]}), corpus="fp1")
    save_figure(fig, "01-a", caption="First.", alt="A line.", out_dir=tmp_path, notebook="01_y", corpus="fp1")
    index = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert index.index("## 01_y") < index.index("### 01-a") < index.index("## 02_x") < index.index("### 02-b")
    assert '<a href="02-b.png"><img src="02-b.png" width="360" alt="Bars &quot;quoted&quot;."></a>' in index
    assert "| [`02-b`](#02-b) | 02_x | Second \\| piped. |" in index  # pipes escaped in the summary table
    assert "**Alt text:** A line." in index and "[data (CSV)](02-b.csv)" in index and "[PDF](01-a.pdf)" in index
    assert "`fp1` · 2 figures" in index
    (tmp_path / "01-a.png").unlink()  # a figure whose files are gone drops out when the index is rewritten
    write_figure_index(tmp_path)
    assert "01-a" not in (tmp_path / "README.md").read_text(encoding="utf-8")
    plt.close(fig)


def test_corpus_text_in_captions_is_escaped_in_the_index_and_formulas_in_the_data_csv(tmp_path):
    import csv

    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from tests.hostile import FORMULA, IMAGE, RAW, SCRIPT

    fig, _ = new_figure()
    save_figure(fig, "05-k", caption=f"Words {IMAGE} over-uses.", alt=f"Bars for {SCRIPT}; *top*: x.",
                data=pd.DataFrame({"group": [FORMULA], "log_ratio": [-1.5]}), out_dir=tmp_path, notebook="05_x")
    plt.close(fig)
    index = (tmp_path / "README.md").read_text(encoding="utf-8")
    rendered = markdown2html_mistune(index)
    assert not [raw for raw in RAW if raw in rendered] and "<em>top</em>" not in rendered
    assert "Words &lt;img src=x onerror=alert(1)&gt; over-uses." in rendered
    with (tmp_path / "05-k.csv").open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle))[1] == [f"'{FORMULA}", "-1.5"]


def test_in_ipython_displays_of_a_saved_figure_carry_its_entry(tmp_path, monkeypatch):
    from IPython.core.formatters import DisplayFormatter

    shell = SimpleNamespace(display_formatter=DisplayFormatter())
    saved, other = new_figure("column")[0], new_figure("column")[0]  # before the fake shell: pyplot asks it for events
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    save_figure(saved, "t-tag", caption="The caption.", alt="Alt.", out_dir=tmp_path, notebook="01_t")
    data, metadata = shell.display_formatter.format(saved)
    png_meta = metadata["image/png"]
    assert png_meta[FIGURE_METADATA_KEY] == {"slug": "t-tag", "caption": "The caption.", "alt": "Alt.",
                                             "notebook": "01_t", "corpus": ""}
    with Image.open(io.BytesIO(base64.b64decode(data["image/png"]))) as png:  # the saved PNG, not a new render
        assert png.tobytes() == Image.open(tmp_path / "t-tag.png").tobytes()
        scale = plt.rcParams["figure.dpi"] / config.FIGURE_DPI  # 300-dpi pixels at screen size: sharp on high-dpi
        assert (png_meta["width"], png_meta["height"]) == (round(png.width * scale), round(png.height * scale))
    saved.axes[0].set_title("changed after saving")  # a changed figure is rendered again, at 2x
    data, metadata = shell.display_formatter.format(saved)
    with Image.open(io.BytesIO(base64.b64decode(data["image/png"]))) as png:
        assert png.width // 2 == metadata["image/png"]["width"] and png.tobytes() != Image.open(
            tmp_path / "t-tag.png").tobytes()
    assert "image/png" not in shell.display_formatter.format(other)[1]  # unsaved figures are left alone
    save_figure(other, "t-other", caption="c", alt="a", out_dir=tmp_path)  # installed once, tags both
    assert shell.display_formatter.format(other)[1]["image/png"][FIGURE_METADATA_KEY]["slug"] == "t-other"
    plt.close("all")


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


def test_group_colours_are_fixed_by_the_sorted_labels_and_blank_is_grey():
    from corpus_tools.plots import OTHER_COLOUR, PALETTE, group_colours

    colours = group_colours(["ukraine", "kremlin", "(none)", "kremlin"])
    assert colours == {"kremlin": PALETTE[0], "ukraine": PALETTE[1], "(none)": OTHER_COLOUR}
    assert group_colours(["ukraine", "kremlin"])["ukraine"] == group_colours(["kremlin", "ukraine"])["ukraine"]
    many = group_colours([f"g{i:02d}" for i in range(10)])
    assert many["g07"] == PALETTE[7] and many["g08"] == OTHER_COLOUR and many["g09"] == OTHER_COLOUR


def test_saved_figure_is_laid_out_as_a_tight_savefig_would_be(tmp_path):
    """save_figure lays the figure out once for all formats; the PNG keeps what a tight savefig keeps
    (a legend outside the axes, a long title), to within a few pixels, and the layout engine stays."""
    fig, ax = new_figure("wide", layout="constrained")
    ax.barh(["a rather long category label", "b"], [3, 1], label="counts")
    fig.legend(loc="outside right upper")
    fig.suptitle("A title longer than the axes are wide, so that it sets the width")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=config.FIGURE_DPI, bbox_inches="tight")
    save_figure(fig, "t-layout", caption="c", alt="a", out_dir=tmp_path)
    with Image.open(buffer) as tight, Image.open(tmp_path / "t-layout.png") as saved:
        assert abs(saved.width - tight.width) <= 12 and abs(saved.height - tight.height) <= 12
    assert fig.get_layout_engine() is not None and not fig.stale
    plt.close(fig)
