"""Document codes and key lookups of the framing layers against pandas' own factorize and merge."""
import numpy as np
import pandas as pd

from corpus_tools.framing.keys import by_doc_and_start, doc_codes, find_rows, sentence_keys, sentence_rows


def test_doc_codes_equal_factorize_of_the_concatenated_columns():
    rng = np.random.default_rng(3)
    ids = np.array(["d3", "d1", "d2", None, np.nan, "d10"], dtype=object)
    runs = pd.Series(np.repeat(ids[rng.integers(0, len(ids), 40)], rng.integers(1, 5, 40)))  # runs, ids recur
    shuffled = pd.Series(ids[rng.integers(0, len(ids), 30)], dtype=object)
    for columns in ([runs], [runs, shuffled], [shuffled, pd.Series([], dtype=object), runs.astype("category")],
                    [pd.Series(["b", "a"], dtype="str"), pd.Index(["a", "c"])],
                    [runs.astype("str"), shuffled.astype("str"), pd.Series(["x"], dtype="str")]):  # Arrow strings
        expected = pd.factorize(np.concatenate([np.asarray(c, dtype=object) for c in columns]), use_na_sentinel=False)[0]
        got = doc_codes(*columns)
        assert [len(g) for g in got] == [len(c) for c in columns]
        assert np.array_equal(np.concatenate(got), expected)
    assert doc_codes(pd.Series([], dtype=object))[0].shape == (0,)


def test_find_rows_and_sentence_rows_equal_a_merge():
    rng = np.random.default_rng(4)
    sentences = pd.DataFrame({"doc_id": ["b", "b", "a", "c", "a"], "sent_id": [1, 0, 0, 0, 2]})
    tokens = pd.DataFrame({"doc_id": rng.choice(["a", "b", "c", "z"], 60), "sent_id": rng.integers(0, 3, 60)})
    tokens = pd.concat([tokens, tokens.sort_values(["doc_id", "sent_id"])], ignore_index=True)  # runs and no runs
    merged = tokens.reset_index(names="token").merge(sentences.reset_index(names="row"), on=["doc_id", "sent_id"])
    inside, row = sentence_rows(sentences, tokens)
    assert np.array_equal(inside, merged["token"]) and np.array_equal(row, merged["row"])
    s_doc, t_doc = doc_codes(sentences["doc_id"], tokens["doc_id"])
    rows = find_rows(sentence_keys(s_doc, sentences["sent_id"]), sentence_keys(t_doc, tokens["sent_id"]))
    assert np.array_equal(np.flatnonzero(rows >= 0), inside)
    assert find_rows(np.zeros(0, np.int64), np.arange(3)).tolist() == [-1, -1, -1]
    assert [len(a) for a in sentence_rows(sentences.iloc[:0], tokens)] == [0, 0]


def test_by_doc_and_start_is_the_stable_sort_of_pandas():
    rng = np.random.default_rng(5)
    ids = rng.choice(np.array(["d2", "d10", "D1", "é", "e", None], dtype=object), 80)
    table = pd.DataFrame({"doc_id": ids, "start": rng.integers(0, 6, 80), "row": np.arange(80)})
    for doc_id in (table["doc_id"], table["doc_id"].astype("str"),
                   table["doc_id"].astype(pd.CategoricalDtype(["e", "d2", "é", "D1", "d10"]))):
        t = table.assign(doc_id=doc_id)
        expected = t.sort_values(["doc_id", "start"], kind="stable")["row"].to_numpy()
        assert np.array_equal(by_doc_and_start(t["doc_id"], t["start"]), expected)
