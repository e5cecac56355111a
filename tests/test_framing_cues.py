"""The cue engine: match types, longest match, offsets, negation window, lexicon errors."""
import pandas as pd
import pytest

from corpus_tools.framing.cues import compile_cues, inflections, match_cues
from corpus_tools.lexicons import LexiconError
from tests.framing_helpers import prepared


def cues(*rows):
    return pd.DataFrame([dict(cue_id=c, layer="t", category=cat, pattern=p, match=m, weight=1.0,
                              negation_sensitive=n) for c, cat, p, m, n in rows])


def test_inflections_regular_and_irregular():
    assert set(inflections("accuse")) == {"accuse", "accuses", "accused", "accusing"}
    assert {"said", "says", "saying"} <= set(inflections("say"))
    assert {"occupies", "occupied"} <= set(inflections("occupy"))
    assert inflections("of") == ["of"]


def test_longest_match_wins_and_offsets_point_into_clean_text():
    corpus, sentences = prepared("The Armed Forces of the Republic of Azerbaijan met the Republic of Azerbaijan team.")
    table = cues(("long", "a", "Armed Forces of the Republic of Azerbaijan", "phrase", "no"),
                 ("short", "b", "Republic of Azerbaijan", "phrase", "no"))
    hits = match_cues(sentences, table)
    assert hits["cue_id"].tolist() == ["long", "short"]
    text = corpus.documents["clean_text"].iloc[0]
    for row in hits.itertuples():
        assert text[row.start:row.end] == row.matched


def test_longest_beats_leftmost():
    _, sentences = prepared("The Government of Azerbaijan acted.")
    table = cues(("ctx", "a", "the Government", "phrase", "no"), ("full", "b", "Government of Azerbaijan", "phrase", "no"))
    assert match_cues(sentences, table)["cue_id"].tolist() == ["full"]


def test_match_types_phrase_lemma_exact_regex_and_diacritics():
    _, sentences = prepared("President İlham Aliyev accused them of self defense; costs reached $5 billion. US and us.")
    table = cues(("ilham", "p", "Ilham Aliyev", "phrase", "no"), ("acc", "v", "accuse", "lemma", "no"),
                 ("selfdef", "s", "self-defense", "phrase", "no"), ("money", "e", r"\$\s?\d", "regex", "no"),
                 ("us", "x", "US", "exact", "no"))
    hits = match_cues(sentences, table)
    assert dict(zip(hits["cue_id"], hits["matched"])) == {
        "ilham": "İlham Aliyev", "acc": "accused", "selfdef": "self defense", "money": "$5", "us": "US"}


def test_word_boundaries_no_partial_words():
    _, sentences = prepared("Warfare and awards are not war.")
    hits = match_cues(sentences, cues(("war", "c", "war", "phrase", "no")))
    assert hits["matched"].tolist() == ["war"]


def test_negation_window_voids_sensitive_cues_only():
    corpus, sentences = prepared("Armenia did not attack. Armenia attacked. There was no sign of any attack here.")
    table = cues(("atk", "c", "attack", "lemma", "yes"))
    hits = match_cues(sentences, table, tokens=corpus.tokens)
    # "not attack": negator 1 token before; "attacked": none; "no sign of any attack": 'no' is 4 tokens before
    assert hits["negated"].tolist() == [True, False, False]
    insensitive = match_cues(sentences, cues(("atk", "c", "attack", "lemma", "no")), tokens=corpus.tokens)
    assert not insensitive["negated"].any()


def test_bad_lexicons_name_the_line():
    with pytest.raises(LexiconError, match="line 3: match must be one of"):
        compile_cues(cues(("a", "c", "x", "phrase", "no"), ("b", "c", "y", "fuzzy", "no")))
    with pytest.raises(LexiconError, match="line 2: bad regex"):
        compile_cues(cues(("a", "c", "(unclosed", "regex", "no")))
    with pytest.raises(LexiconError, match="capturing groups"):
        compile_cues(cues(("a", "c", "(war)", "regex", "no")))
    with pytest.raises(LexiconError, match="line 3: 'so called' duplicates the cue on line 2"):
        compile_cues(cues(("a", "c", "so-called", "phrase", "no"), ("b", "c", "so called", "phrase", "no")))


def test_empty_inputs_give_empty_tables_with_columns():
    corpus, sentences = prepared("Nothing to see.")
    empty = match_cues(sentences.iloc[0:0], cues(("a", "c", "war", "phrase", "no")))
    assert empty.empty and "cue_id" in empty.columns
    assert match_cues(sentences, cues(("a", "c", "war", "phrase", "no"))).empty
