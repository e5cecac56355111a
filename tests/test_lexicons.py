"""Lexicon loading: a file is read once per version, and an edited file is read again."""
import os

from corpus_tools.lexicons import load_lexicon


def test_an_edited_lexicon_is_read_again_and_callers_get_their_own_copy(tmp_path):
    path = tmp_path / "cues.csv"
    path.write_text("word,value\ngood,1\n", encoding="utf-8")
    first = load_lexicon(path, required=("word", "value"))
    first.table.loc[0, "word"] = "changed by the caller"
    assert load_lexicon(path, required=("word", "value")).table["word"].tolist() == ["good"]
    path.write_text("word,value\ngood,1\nbad,-1\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even with an old timestamp: the size changed
    assert load_lexicon(path, required=("word", "value")).table["word"].tolist() == ["good", "bad"]
