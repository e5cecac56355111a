"""Loading: every input accounted for, bad input named with its reason, good files still loaded."""
import json

import pandas as pd
import pytest

from corpus_tools.corpus import CorpusLoadError, corpus_fingerprint, decode_bytes, load_corpus

from tests.helpers import MULTI, SEEDS

GOOD = "Azerbaijan offered Armenia to normalize relations on the basis of international law."


def statuses(report):
    return dict(zip(report["input"].map(lambda p: p.split("/")[-1]), zip(report["status"], report["reason"])))


def test_seed_folder_loads_one_document_with_sidecar_metadata():
    docs, report = load_corpus(SEEDS)
    assert (report["status"] == "loaded").sum() == 1
    assert (report["status"] == "skipped").sum() == 0
    row = docs.iloc[0]
    assert row["doc_id"] == "000_da1c850a88a14784"
    assert row["title"] == "Azerbaijan offered Armenia to normalize relations"
    assert row["date"] == "2021-09-27" and row["language"] == "en" and row["kind"] == "official statement"
    assert row["sha256"] == __import__("hashlib").sha256(row["text"].encode()).hexdigest()
    assert row["text"] == (SEEDS / "000_da1c850a88a14784.txt").read_text(encoding="utf-8")


def test_bad_inputs_each_get_a_reason_and_good_files_still_load(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n ", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 not text")
    (tmp_path / "fake.md").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    (tmp_path / "nul.txt").write_bytes(GOOD.encode() + b"\x00\x00 More text follows here.")
    (tmp_path / "no_text_column.csv").write_text("headline,body\nA,B\n", encoding="utf-8")
    (tmp_path / "big.txt").write_bytes(b"word " * (10 * 1024 * 1024))  # 50 MB
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    docs, report = load_corpus(tmp_path)
    seen = statuses(report)
    assert seen["good.txt"][0] == "loaded"
    assert seen["empty.txt"] == ("skipped", "empty file")
    assert seen["blank.txt"] == ("skipped", "empty file")
    assert seen["binary.txt"][0] == "skipped" and "binary" in seen["binary.txt"][1]
    assert seen["fake.md"][0] == "skipped" and "binary" in seen["fake.md"][1]
    assert seen["scan.pdf"] == ("skipped", "unsupported file type '.pdf'")
    assert seen["image.png"][0] == "skipped"
    assert seen["nul.txt"][0] == "loaded" and "removed 2 NUL" in seen["nul.txt"][1]
    assert seen["no_text_column.csv"][0] == "skipped"
    assert "missing text column 'text'" in seen["no_text_column.csv"][1]
    assert "headline, body" in seen["no_text_column.csv"][1]
    assert seen["big.txt"][0] == "skipped" and "50.0 MB > 20 MB" in seen["big.txt"][1]
    assert "max_file_mb" in seen["big.txt"][1]
    assert len(report) == 10 and len(docs) == 2
    assert "\x00" not in docs.set_index("doc_id").at["nul", "text"]


def test_size_limit_can_be_raised(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"word " * (300 * 1024))  # 1.5 MB
    assert load_corpus(tmp_path, max_file_mb=1).report["status"].tolist() == ["skipped"]
    assert load_corpus(tmp_path, max_file_mb=2).report["status"].tolist() == ["loaded"]


@pytest.mark.parametrize("encoding, text, expected", [
    ("utf-8-sig", "Ərazi bütövlüyü — İlham Əliyev", "utf-8-sig"),
    ("utf-16", "Армения и Азербайджан: “мир”", "utf-16"),
    ("cp1251", "Министерство иностранных дел Азербайджана заявило, что готово к миру с Арменией.", "cp1251"),
    ("cp1252", "The ministry’s statement — “peace” — was welcomed by the café owners.", "cp1252"),
])
def test_encodings_are_detected_and_named(tmp_path, encoding, text, expected):
    (tmp_path / "doc.txt").write_bytes(text.encode(encoding))
    docs, report = load_corpus(tmp_path)
    assert docs["text"].iloc[0] == text
    assert docs["encoding"].iloc[0] == expected
    if expected in {"cp1251", "cp1252"}:
        assert f"assumed {expected}" in report["reason"].iloc[0]


def test_latin1_fallback_never_crashes():
    decoded = decode_bytes("Ça coûte 5 € à Genève".encode("latin-1", errors="replace"))
    assert decoded.encoding in {"cp1252", "latin-1"} and "assumed" in decoded.note


def test_html_main_text_extracted_without_scripts_or_navigation(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Site | Peace offer</title><script>var tracking = 'SECRET';</script>"
        "<style>body { color: red }</style></head><body><nav><a href='/'>Home</a> | <a>World</a></nav>"
        "<article><h1>Azerbaijan offers peace</h1><p>" + GOOD + " The ministry said so on Monday in Baku.</p>"
        "<p>Armenia has not yet answered the offer, officials in Yerevan told reporters.</p></article>"
        "<footer>Cookie policy</footer></body></html>", encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    text = docs["text"].iloc[0]
    assert GOOD in text and "Yerevan told reporters" in text
    assert "SECRET" not in text and "color: red" not in text and "Home" not in text
    assert docs["title"].iloc[0] == "Azerbaijan offers peace"


def test_tables_one_document_per_row_with_metadata(tmp_path):
    pd.DataFrame({"id": ["a", "b"], "text": [GOOD, "Second article text."], "side": ["az", "am"]}).to_csv(
        tmp_path / "articles.csv", index=False)
    pd.DataFrame({"body": ["Tab separated text."], "outlet": ["X"]}).to_csv(tmp_path / "t.tsv", sep="\t", index=False)
    pd.DataFrame({"text": ["Parquet text.", ""], "source": ["P", "Q"]}).to_parquet(tmp_path / "p.parquet")
    docs, report = load_corpus(tmp_path)
    assert set(docs["doc_id"]) == {"a", "b", "p-row1"}
    assert docs.set_index("doc_id").at["a", "side"] == "az"
    assert statuses(report)["t.tsv"][0] == "skipped"  # its text column is 'body'
    assert statuses(report)["p.parquet#row2"] == ("skipped", "empty text")
    docs, _ = load_corpus(tmp_path / "t.tsv", text_column="body")
    assert docs["outlet"].tolist() == ["X"]


def test_malformed_jsonl_line_is_reported_and_the_rest_loads(tmp_path):
    lines = [json.dumps({"text": GOOD, "source": "A"}), "{not json", json.dumps(["a", "list"]),
             json.dumps({"title": "no text"}), json.dumps({"text": "Last good line."})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    seen = statuses(report)
    assert len(docs) == 2
    assert seen["feed.jsonl#line2"][0] == "skipped" and "malformed JSON on line 2" in seen["feed.jsonl#line2"][1]
    assert "not a JSON object" in seen["feed.jsonl#line3"][1]
    assert "missing text column" in seen["feed.jsonl#line4"][1]


def test_empty_folder_and_missing_path_do_not_crash(tmp_path):
    with pytest.warns(UserWarning, match="empty corpus: no input files found in"):
        docs, report = load_corpus(tmp_path)
    assert docs.empty and report.empty and "doc_id" in docs.columns
    docs, report = load_corpus(tmp_path / "nope")
    assert report["reason"].tolist() == ["path does not exist"] and docs.empty


def test_duplicates_flagged_not_dropped(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    assert len(docs) == 2
    assert docs["is_duplicate"].tolist() == [False, True]
    assert docs["duplicate_of"].tolist()[1] == "a"
    assert "exact duplicate of a" in report["reason"].iloc[1]


def test_list_of_paths_and_dataframe_input():
    docs, report = load_corpus([MULTI / "az_01.txt", MULTI / "am_01.txt"])
    assert docs["doc_id"].tolist() == ["az_01", "am_01"]
    docs, report = load_corpus(pd.DataFrame({"text": [GOOD, None], "side": ["az", "am"]}))
    assert len(docs) == 1 and report["status"].tolist() == ["loaded", "skipped"]
    with pytest.raises(CorpusLoadError, match="no text column 'body'"):
        load_corpus(pd.DataFrame({"text": [GOOD]}), text_column="body")


def test_fingerprint_is_order_independent():
    docs, _ = load_corpus(MULTI)
    assert corpus_fingerprint(docs) == corpus_fingerprint(docs.iloc[::-1])
    assert corpus_fingerprint(docs) != corpus_fingerprint(docs.iloc[1:])


def test_table_files_stream_in_batches_with_the_same_result(tmp_path, monkeypatch):
    """Parquet read a few rows at a time gives exactly what one read gives, as do the row-by-row CSV/TSV
    and JSONL; a cp1252 CSV still goes through the whole-file decoder."""
    from corpus_tools import corpus

    rows = pd.DataFrame({"doc_id": [f"d{i}" for i in range(23)], "side": ["az", "am"] * 11 + [""],
                         "text": [f"{GOOD} Row {i}." if i % 7 else "  " for i in range(23)]})
    rows.to_parquet(tmp_path / "a.parquet", index=False)
    rows.to_csv(tmp_path / "b.csv", index=False)
    rows.to_csv(tmp_path / "c.tsv", index=False, sep="\t")
    rows.to_json(tmp_path / "d.jsonl", orient="records", lines=True)
    (tmp_path / "e.csv").write_bytes("text\n\"Café talks — peace\"\n".encode("cp1252"))
    whole = load_corpus(tmp_path)
    monkeypatch.setattr(corpus, "TABLE_BATCH_ROWS", 4)
    batched = load_corpus(tmp_path)
    pd.testing.assert_frame_equal(batched.documents, whole.documents, check_exact=True)
    pd.testing.assert_frame_equal(batched.report, whole.report, check_exact=True)
    assert (whole.report["reason"] == "empty text").sum() == 4 * 4  # rows 0, 7, 14, 21 of four files
    assert corpus.streamable_encoding(tmp_path / "b.csv") == "utf-8"
    assert corpus.streamable_encoding(tmp_path / "e.csv") is None
    assert whole.documents.set_index("doc_id").at["e-row1", "text"] == "Café talks — peace"


def test_empty_folder_gives_an_empty_report_of_text_columns(tmp_path):
    with pytest.warns(UserWarning, match="empty corpus"):
        report = load_corpus(tmp_path).report
    assert report.empty and list(report.columns) == ["input", "status", "reason", "doc_id", "encoding", "n_chars"]
    assert report["reason"].dtype == object  # summarise_report's .str works on it
