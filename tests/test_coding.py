"""The sample -> code -> compare loop (framing.coding), on the Russia/Ukraine test corpus coded by hand.

tests/data/coded/russia_ukraine_coded.csv holds two coders' labels for the 24 units the sample below draws
(see tests/data/coded/README.md); agreement values are computed by hand from its coincidence matrices.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corpus_tools.escaping import write_csv
from corpus_tools.framing.coding import (CODER_COLUMNS, SHEET_COLUMNS, UNVALIDATED, CodedFileError, allocate,
                                         coding_sample, describe_agreement, describe_validation_status,
                                         load_coded, periods, stat_agreement, suite_answers)
from corpus_tools.run import main
from tests.conflict_corpora import CORPORA, corpus_path

CODED = Path(__file__).resolve().parent / "data" / "coded" / "russia_ukraine_coded.csv"
SAMPLE = ["--text-column", "body", "--group", "side", "--date-column", "date", "--n", "24", "--seed", "0"]
#: Between the two coders, by hand (tests/data/coded/README.md): 1 - (n - 1) * D_o / sum_c!=k n_c n_k.
CODER_ALPHA = {"frame": 1 - 23 * 4 / 406, "tone": 1 - 23 * 4 / 342, "role": 1 - 23 * 6 / 286}
#: A fixed suite answer per sentence (what the suite said when the test was written), so the hand
#: computation below does not move when the frame lexicon does.
SUITE_FRAMES = {"S:ua_01:0": "none", "S:kr_01:10": "none", "S:kr_03:0": "none", "S:kr_03:2": "none",
                "S:wire_01:10": "RE", "S:ua_02:2": "CO", "S:ua_03:8": "HI", "S:kr_04:4": "RE",
                "S:wire_02:5": "none", "S:ua_04:9": "none", "S:kr_05:0": "none", "S:kr_06:0": "CO"}


@lru_cache(maxsize=1)
def _analysed():
    from corpus_tools.framing import analyse_framing
    from corpus_tools.pipeline import prepare_corpus

    prepared = prepare_corpus(corpus_path("russia_ukraine"), text_column="body", show_progress=False)
    return prepared, analyse_framing(prepared.documents, prepared.sentences, prepared.tokens)


def _draw(tmp_path: Path, *extra: str) -> tuple[int, Path]:
    out = tmp_path / "coding.csv"
    return main(["sample", "--corpus", str(corpus_path("russia_ukraine")), "--out", str(out), *SAMPLE, *extra]), out


def _fill(sheet_path: Path, target: Path) -> Path:
    """The drawn sheet with the hand labels joined by unit_id (as a researcher's coders return it)."""
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False).drop(columns=CODER_COLUMNS)
    labels = pd.read_csv(CODED, dtype=str, keep_default_na=False).drop(columns="text")
    return write_csv(sheet.merge(labels, on="unit_id", how="left").iloc[::-1], target, index=False)


def test_sample_code_compare_end_to_end(tmp_path):
    from corpus_tools.sentiment import score_sentences

    code, sheet_path = _draw(tmp_path)
    assert code == 0
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    hand = pd.read_csv(CODED, dtype=str, keep_default_na=False)
    assert set(sheet["unit_id"]) == set(hand["unit_id"])  # the hand-coded units are the ones drawn
    coded = load_coded(_fill(sheet_path, tmp_path / "coded.csv"))
    prepared, framing = _analysed()
    suite = suite_answers(framing, score_sentences(framing.sentences))
    agreement = stat_agreement(coded, suite, n_boot=200)
    alpha = agreement.alpha.set_index(["task", "pair"])
    for task, value in CODER_ALPHA.items():
        assert alpha.at[(task, "coder1 - coder2"), "alpha"] == pytest.approx(value)
        assert alpha.at[(task, "coder1 - coder2"), "n_units"] == 12
        assert {(task, "suite - coder1"), (task, "suite - coder2")} <= set(alpha.index)
    assert agreement.unmatched.empty  # every unit id drawn is found again in the recomputed answers
    gaps = agreement.disagreements.set_index(["task", "unit_id"])
    coders_differ = {(t, u) for t in CODER_ALPHA for u, a, b in zip(hand["unit_id"], hand[f"coder1_{t}"],
                                                                      hand[f"coder2_{t}"]) if a != b}
    assert coders_differ <= set(gaps.index)
    differs = gaps[["suite", "coder1", "coder2"]].nunique(axis=1, dropna=True) > 1
    assert differs.all()  # and nothing listed agrees
    text = describe_agreement(agreement)
    assert f"{CODER_ALPHA['frame']:.3f}" in text and "### Agreement on role" in text
    assert describe_validation_status(str(tmp_path / "coded.csv"), suite).startswith("### Agreement on frame")


def test_agreement_matches_hand_computation():
    coded = load_coded(CODED)
    suite = pd.DataFrame({"unit_id": list(SUITE_FRAMES), "task": "frame", "suite": list(SUITE_FRAMES.values())})
    agreement = stat_agreement(coded, suite, n_boot=300, seed=3)
    alpha = agreement.alpha.set_index("pair")
    # suite x coder1: n_c none 11, CO 7, RE 4, HI 2 (n = 24); 7 of 12 units differ -> 14 off-diagonal pairs
    assert alpha.at["suite - coder1", "alpha"] == pytest.approx(1 - 23 * 14 / (24 ** 2 - (121 + 49 + 16 + 4)))
    assert alpha.at["coder1 - coder2", "alpha"] == pytest.approx(CODER_ALPHA["frame"])
    assert set(agreement.alpha["task"]) == {"frame"}  # tone and role: no suite answers given
    row = alpha.loc["suite - coder1"]
    assert row["alpha_lo"] <= row["alpha"] <= row["alpha_hi"]
    again = stat_agreement(coded, suite, n_boot=300, seed=3).alpha.set_index("pair")
    assert again.at["suite - coder1", "alpha_lo"] == row["alpha_lo"]  # seeded
    scores = agreement.scores[agreement.scores["gold"] == "coder1"].set_index("label")
    expected = {"RE": (1 / 2, 1 / 2, 1 / 2), "CO": (1 / 2, 1 / 5, 2 / 7), "HI": (0, 0, 0), "none": (3 / 7, 3 / 4, 6 / 11)}
    for label, (precision, recall, f1) in expected.items():
        assert tuple(scores.loc[label, ["precision", "recall", "f1"]]) == pytest.approx((precision, recall, f1))
    assert np.isnan(scores.at["MO", "f1"]) and scores.at["accuracy", "f1"] == pytest.approx(5 / 12)
    assert scores.at["macro", "f1"] == pytest.approx((1 / 2 + 2 / 7 + 0 + 6 / 11) / 4)
    confusion = agreement.confusion[("frame", "coder1")]  # suite none, coder CO: kr_03:0, kr_03:2, ua_04:9
    assert confusion.loc["none", "CO"] == 3 and confusion.loc["RE", "RE"] == 1 and confusion.to_numpy().sum() == 12
    agreed = agreement.scores[agreement.scores["gold"] == "coders agree"].set_index("label")
    assert agreed.at["accuracy", "support"] == 10  # the two units the coders split on are left out


def test_sample_is_stratified_by_group_and_period(tmp_path):
    prepared, framing = _analysed()
    docs = prepared.documents.set_index("doc_id")
    stratum = docs["side"] + " / " + periods(docs["date"])
    assert stratum.nunique() == 11  # 3 sides x the months each publishes in
    sheet, allocation = coding_sample(framing, prepared.documents, n=24, group="side", date_column="date")
    for unit in ("sentence", "mention"):
        drawn = sheet.loc[sheet["unit"] == unit, "doc_id"].map(stratum)
        assert set(drawn) == set(stratum)  # every group x period stratum represented
        assert allocation.loc[allocation["unit"] == unit, "drawn"].sum() == len(drawn) == 12
    small, allocation = coding_sample(framing, prepared.documents, n=10, group="side", date_column="date")
    sentences = small.loc[small["unit"] == "sentence", "doc_id"].map(stratum)
    assert len(sentences) == 5 and sentences.nunique() == 5  # fewer units than strata: one per stratum drawn
    assert set(CORPORA["russia_ukraine"]["sides"]) == set(docs["side"])
    assert periods(pd.Series(["2020-01-05", "2022-08-01", None])).tolist() == ["2020Q1", "2022Q3", "(no date)"]


def test_allocation_is_proportional_with_one_per_stratum():
    sizes = pd.Series({"a": 10, "b": 5, "c": 1})
    # one each, then D'Hondt: a (10/2), a (10/3), a or b at 2.5 (a first), b (5/2), a (10/5 = 2 > 5/3)
    assert allocate(sizes, 8).to_dict() == {"a": 5, "b": 2, "c": 1}
    assert allocate(sizes, 100).to_dict() == sizes.to_dict()  # never more than a stratum holds
    assert allocate(sizes, 2, seed=1).sum() == 2


def test_sheet_hides_the_suites_answers(tmp_path):
    code, sheet_path = _draw(tmp_path)
    raw = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    assert list(raw.columns) == SHEET_COLUMNS
    assert (raw[CODER_COLUMNS] == "").all().all()
    meta = json.loads(sheet_path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    _, framing = _analysed()
    answers = suite_answers(framing).set_index("unit_id")["suite"]
    labelled = answers[answers != "none"].reindex(raw["unit_id"]).dropna()
    assert len(labelled)  # the suite has answers for these units, yet no cell of the sheet or its meta says so
    for unit_id in labelled.index:
        row = raw[raw["unit_id"] == unit_id].iloc[0]
        assert labelled[unit_id] not in set(row.drop(["text", "before", "after"]))
    assert "suite" not in json.dumps(meta) and "villain" not in json.dumps(meta)
    book = sheet_path.with_name("coding.codebook.md").read_text(encoding="utf-8")
    assert "### `RE` Resolution" in book and "### `victim` (innocent)" in book and "| sentence |" in book


def test_sample_cells_are_neutralised(tmp_path):
    corpus = tmp_path / "corpus.csv"
    body = ("=HYPERLINK(\"http://x\") Russian forces attacked the city. Ukraine said the strikes must stop. "
            "Civilians fled the shelling.")
    pd.DataFrame({"id": ["d1", "d2"], "body": [body, body.replace("city", "town")], "side": ["a", "b"]}).to_csv(
        corpus, index=False)
    out = tmp_path / "out" / "coding.csv"
    assert main(["sample", "--corpus", str(corpus), "--out", str(out), "--text-column", "body", "--n", "6"]) == 0
    texts = pd.read_csv(out, dtype=str, keep_default_na=False)["text"]
    assert not texts.str.startswith("=").any() and texts.str.startswith("'=").any()


def test_sample_refuses_to_overwrite(tmp_path, capsys):
    theirs = tmp_path / "coding.csv"
    theirs.write_text("my own notes\n", encoding="utf-8")
    code, _ = _draw(tmp_path)
    assert code == 1 and theirs.read_text(encoding="utf-8") == "my own notes\n"
    assert "not written by corpus_tools" in capsys.readouterr().err
    theirs.unlink()
    book = tmp_path / "coding.codebook.md"
    book.write_text("my codebook\n", encoding="utf-8")
    assert _draw(tmp_path)[0] == 1 and not theirs.exists() and book.read_text(encoding="utf-8") == "my codebook\n"
    book.unlink()
    assert _draw(tmp_path)[0] == 0 and _draw(tmp_path)[0] == 0  # its own unchanged output may be redrawn
    with theirs.open("a", encoding="utf-8") as handle:
        handle.write("S:x:1,sentence\n")  # coded in place: never overwritten
    assert _draw(tmp_path)[0] == 1 and "changed since" in capsys.readouterr().err


@pytest.mark.parametrize("rows, message", [
    ([["S:ua_01:0", "RE", "sad"]], "line 2, coder1_tone: 'sad' is not a tone label"),
    ([["S:ua_01:0", "RE", "neutral"], ["", "CO", "neutral"]], "line 3: no unit_id"),
    ([["S:ua_01:0", "RE", "neutral"], ["S:ua_01:0", "CO", "neutral"]], "line 3: unit_id 'S:ua_01:0' appears twice"),
    ([["M:ua_01:8:1078", "CO", ""]], "line 2, coder1_frame: 'CO': frame is coded for sentence units only"),
    ([["ua_01 sentence 0", "RE", "neutral"]], "line 2: unit_id 'ua_01 sentence 0' is not one the sample writes"),
])
def test_malformed_coded_files_give_clear_errors(tmp_path, rows, message):
    path = tmp_path / "coded.csv"
    pd.DataFrame(rows, columns=["unit_id", "coder1_frame", "coder1_tone"]).to_csv(path, index=False)
    with pytest.raises(CodedFileError) as err:
        load_coded(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_coded_file_without_coder_columns_is_refused(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("unit_id,label\nS:a:0,RE\n", encoding="utf-8")
    with pytest.raises(CodedFileError, match="needs a unit_id column and coder columns"):
        load_coded(path)


def test_validation_status_says_unvalidated_without_coding():
    assert describe_validation_status() == UNVALIDATED
    assert UNVALIDATED.startswith("These results are unvalidated for this corpus: draw a coding sample with "
                                  "`python -m corpus_tools sample")
    tone_only = pd.DataFrame({"unit_id": ["S:ua_01:0"], "task": "tone", "suite": "neutral"})
    coded = load_coded(CODED)[["unit_id", "coder1_frame"]]
    assert describe_validation_status(coded, tone_only).endswith(UNVALIDATED)
