"""Loading odd and hostile inputs (issue 12, items 3, 8-11): every input has a load-report row, nothing
is read from the suite's own outputs or from outside the corpus, and nothing is silently wrong."""
import json
import os

import pandas as pd
import pytest

from corpus_tools import config, engine
from corpus_tools.corpus import decode_bytes, input_signature, load_corpus

GOOD = "Azerbaijan offered Armenia to normalize relations on the basis of international law."


def by_input(report, root):
    """``{input relative to root: (status, reason)}`` of a load report."""
    return {os.path.relpath(label, root): (status, reason)
            for label, status, reason in zip(report["input"], report["status"], report["reason"])}


def test_output_folders_in_the_corpus_are_listed_and_never_read(tmp_path):
    """Item 3: a marked output folder, and the unmarked ones earlier versions wrote (run --out,
    process --out, a cache entry), are one skipped row each; none of their files is read."""
    (tmp_path / "article.txt").write_text(GOOD, encoding="utf-8")
    marked = tmp_path / "corpus_tools_output"
    (marked / "figures").mkdir(parents=True)
    (marked / config.OUTPUT_MARKER).write_text("", encoding="utf-8")
    (marked / "figures" / "02-kwic.csv").write_text("text\nleft context of peace\n", encoding="utf-8")
    old_run = tmp_path / "old_run"
    for name in ("report/report.html", "figures/manifest.json", "figures/README.md"):
        (old_run / name).parent.mkdir(parents=True, exist_ok=True)
        (old_run / name).write_text("<p>Report of the corpus: peace, war, talks.</p>", encoding="utf-8")
    results = tmp_path / "results"
    results.mkdir()
    pd.DataFrame({"text": ["A sentence of the corpus itself."]}).to_parquet(results / "sentences.parquet")
    (results / "load_report.csv").write_text("input,status\n", encoding="utf-8")
    (results / "summary.json").write_text("{}", encoding="utf-8")
    entry = tmp_path / "cache" / "0f3a"
    entry.mkdir(parents=True)
    (entry / "_complete").write_text("sentences", encoding="utf-8")
    pd.DataFrame({"text": ["Cached sentence."]}).to_parquet(entry / "sentences.parquet")
    docs, report = load_corpus(tmp_path)
    seen = by_input(report, tmp_path)
    assert docs["doc_id"].tolist() == ["article"]
    assert set(seen) == {"article.txt", "corpus_tools_output", "old_run", "results", "cache/0f3a"}
    for folder in ("corpus_tools_output", "old_run", "results", "cache/0f3a"):
        assert seen[folder][0] == "skipped" and seen[folder][1].startswith("output folder of corpus_tools")
    assert "unmarked" in seen["old_run"][1] and "unmarked" not in seen["corpus_tools_output"][1]
    read = [entry[0] for entry in input_signature(tmp_path) if len(entry) == 3]
    assert read == [str((tmp_path / "article.txt").resolve())]  # the engine's cache key: the same walk


def test_hidden_names_folder_links_and_header_only_tables_each_get_a_row(tmp_path):
    """Item 8: names starting with '.' or '_', a link to a folder and a table with only a header are
    listed (skipped with the reason); hidden names are read when asked."""
    (tmp_path / "article.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("A hidden draft.", encoding="utf-8")
    (tmp_path / "_notes.txt").write_text("Underscore notes.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.txt").write_text("Inner article text.", encoding="utf-8")
    (tmp_path / "sub_link").symlink_to(tmp_path / "sub", target_is_directory=True)
    (tmp_path / "header.csv").write_text("id,text,side\n", encoding="utf-8")
    pd.DataFrame({"text": pd.Series([], dtype=str)}).to_parquet(tmp_path / "none.parquet")
    docs, report = load_corpus(tmp_path)
    seen = by_input(report, tmp_path)
    assert sorted(docs["doc_id"]) == ["article", "inner"]
    assert seen[".draft.txt"][0] == seen["_notes.txt"][0] == seen[".git"][0] == "skipped"
    assert "hidden name (starts with '.')" in seen[".draft.txt"][1]
    assert "include_hidden" in seen["_notes.txt"][1]
    assert seen["sub_link"][0] == "skipped"
    assert "link to the folder sub inside the corpus" in seen["sub_link"][1]
    assert seen["header.csv"] == seen["none.parquet"] == ("skipped", "no rows: the table holds only a header")
    assert len(report) == 8  # every name at the top, and sub/inner.txt
    docs, report = load_corpus(tmp_path, include_hidden=True)
    assert {"_notes", ".draft"} <= set(docs["doc_id"])
    assert by_input(report, tmp_path)[".git/HEAD"] == ("skipped", "unsupported file type '(none)'")


def test_ragged_csv_rows_are_skipped_with_their_line_and_do_not_shift_the_others(tmp_path):
    """Item 9: a row with more fields than the header (an unquoted comma in the text) is skipped with
    its line; the rows around it keep their columns (pandas took the first one as an index column)."""
    (tmp_path / "feed.csv").write_text(
        "id,text,date\n"
        "a,Talks resumed, officials said,2021-01-01\n"
        'b,"A quoted text\nover two lines",2021-01-02\n'
        "\n"
        "c,Peace offer made,2021-01-03,extra\n"
        "d,Last article,2021-01-04\n", encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    seen = by_input(report, tmp_path)
    assert seen["feed.csv#row1"][0] == "skipped" and "ragged row on line 2: 4 fields, the header has 3" in \
        seen["feed.csv#row1"][1]
    assert "ragged row on line 6" in seen["feed.csv#row3"][1]
    indexed = docs.set_index("doc_id")
    assert indexed.loc["b", ["text", "date"]].tolist() == ["A quoted text\nover two lines", "2021-01-02"]
    assert indexed.loc["d", ["text", "date"]].tolist() == ["Last article", "2021-01-04"]
    assert len(docs) == 2 and len(report) == 4


def test_links_out_of_the_corpus_are_listed_not_followed_unless_asked(tmp_path):
    """Item 9: a link to a file outside the corpus folder is not read (unless follow_links=True);
    a broken link is listed; a link to a file inside the corpus is read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("A system file that is not part of the corpus.", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "article.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "elsewhere").symlink_to(outside, target_is_directory=True)
    (corpus / "gone.txt").symlink_to(tmp_path / "nothing.txt")
    (corpus / "alias.txt").symlink_to(corpus / "article.txt")
    docs, report = load_corpus(corpus)
    seen = by_input(report, corpus)
    assert sorted(docs["doc_id"]) == ["alias", "article"]
    for name in ("passwd.txt", "elsewhere"):
        assert seen[name][0] == "skipped" and "outside the corpus folder: not followed" in seen[name][1]
        assert "follow_links=True" in seen[name][1]
    assert seen["gone.txt"][0] == "skipped" and seen["gone.txt"][1].startswith("broken link")
    assert len(report) == 5
    docs, _ = load_corpus(corpus, follow_links=True)
    assert sorted(docs["doc_id"]) == ["alias", "article", "passwd", "secret"]


def test_a_text_that_is_not_a_string_is_named(tmp_path):
    """Item 9: a JSON text that is a number, a list, an object or true is not 'empty text'."""
    values = [42, 1.5, ["a", "list"], {"an": "object"}, True, None, "  ", GOOD]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps({"text": v}) for v in values), encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    assert report["reason"].tolist() == [
        "text is a number (int), not a string", "text is a number (float), not a string",
        "text is a list, not a string", "text is an object (dict), not a string",
        "text is true/false (bool), not a string", "empty text (missing value)", "empty text", ""]
    assert docs["text"].tolist() == [GOOD]


def sidecar_corpus(folder):
    """az/001.txt, am/001.txt and am/002.txt, a metadata.csv above them (6 rows: 3 joined, one naming
    a file a later row names again, one bare name fitting two files, one naming no file) and one in am/."""
    for side in ("az", "am"):
        (folder / side).mkdir()
        (folder / side / "001.txt").write_text(f"Article of the {side} side.", encoding="utf-8")
    (folder / "am" / "002.txt").write_text("Second am article.", encoding="utf-8")
    (folder / "metadata.csv").write_text(
        "filename,side,outlet\n"
        "az/001.txt,??,stale\n"
        "az/001.txt,az,Azertac\n"
        "am/001.txt,am,Armenpress\n"
        "002.txt,am,Armenpress\n"
        "001.txt,??,ambiguous\n"
        "az/009.txt,az,missing\n", encoding="utf-8")
    (folder / "am" / "metadata.csv").write_text("filename,outlet\n001.txt,News.am\n", encoding="utf-8")


def test_sidecar_joins_on_the_path_relative_to_its_folder_and_lists_rows_it_cannot_join(tmp_path):
    """Item 10: same-named files in two subfolders get their own rows; a bare name is joined when it is
    unambiguous; a sidecar in a subfolder is joined to the files under it (and wins over the one above);
    rows matching no file, ambiguous or overridden by a later row are listed as unmatched with their line."""
    sidecar_corpus(tmp_path)
    docs, report = load_corpus(tmp_path)
    meta = docs.set_index("path")[["side", "outlet"]]
    assert meta.loc[str(tmp_path / "az" / "001.txt")].tolist() == ["az", "Azertac"]
    assert meta.loc[str(tmp_path / "am" / "001.txt")].tolist() == ["am", "News.am"]  # the deeper sidecar wins
    assert meta.loc[str(tmp_path / "am" / "002.txt")].tolist() == ["am", "Armenpress"]  # bare, unambiguous
    seen = by_input(report, tmp_path)
    assert seen["metadata.csv"] == ("sidecar", f"metadata sidecar: 3 of 6 rows joined to files under "
                                               f"{tmp_path} (filename: the path relative to that folder)")
    assert seen["am/metadata.csv"][0] == "sidecar" and "1 of 1 rows joined" in seen["am/metadata.csv"][1]
    assert seen["metadata.csv#line2"] == ("unmatched", "names the same file as line 3, whose values are used")
    assert seen["metadata.csv#line6"][0] == "unmatched" and "fits 2 files" in seen["metadata.csv#line6"][1]
    assert seen["metadata.csv#line7"] == ("unmatched", f"no input file 'az/009.txt' under {tmp_path}")
    assert (report["status"] == "loaded").sum() == 3 and len(report) == 8
    assert "filename" not in docs.columns


@pytest.mark.parametrize("text, encoding, label", [
    ("The “peace” talks resumed.", "cp1252", "cp1252"),  # the same text in cp1251: name the codec used
    ("Straße und Café in Zürich", "latin-1", "latin-1"),  # no byte 0x80-0x9F: the narrower name
    ("Café", "cp1252", "latin-1"),  # é next to an ASCII letter: not the Cyrillic й
    ("Мир", "cp1251", "cp1251"),  # letters from 0xC0 next to each other: Cyrillic
    ("Министерство иностранных дел", "cp1251", "cp1251"),
    ("Peace talks resumed in Geneva.", "utf-16-le", "utf-16-le"),
    ("Армения и Азербайджан: мир", "utf-16-be", "utf-16-be"),
])
def test_encoding_label_names_the_codec_the_text_was_decoded_with(text, encoding, label):
    """Item 11: cp1252/latin-1/cp1251 labels follow the distinguishing bytes; UTF-16 without BOM is read."""
    decoded = decode_bytes(text.encode(encoding))
    assert (decoded.encoding, decoded.text) == (label, text)


def test_broken_utf16_without_bom_is_named_in_the_reason(tmp_path):
    """Item 11: BOM-less UTF-16 that does not decode is not called a binary file without a hint."""
    (tmp_path / "cut.txt").write_bytes("Peace talks resumed in Geneva.".encode("utf-16-le")[:-1])
    _, report = load_corpus(tmp_path)
    assert report["status"].tolist() == ["skipped"] and "UTF-16 without BOM?" in report["reason"].iloc[0]


def test_the_engine_streams_the_same_walk_and_sidecar_joins(tmp_path):
    """The engine reads the corpus in chunks through the same walk and joins (one document a chunk)."""
    sidecar_corpus(tmp_path)
    (tmp_path / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / config.OUTPUT_MARKER).write_text("", encoding="utf-8")
    (tmp_path / "out" / "report.html").write_text(f"<p>{GOOD}</p>", encoding="utf-8")
    results = engine.process_corpus(tmp_path, workers=1, chunk_size=1, group="side", show_progress=False)
    _, report = load_corpus(tmp_path)
    columns = ["input", "status", "reason", "doc_id"]
    pd.testing.assert_frame_equal(results.report[columns].fillna(""), report[columns].fillna(""),
                                  check_dtype=False)
    assert set(results.group_frequency["side"]) == {"az", "am"}
