"""The cue engine: match types, longest match, offsets, negation window, lexicon errors; the fast
literal and regex scans against the trie regexes and the reference on adversarial text."""
import re

import numpy as np
import pandas as pd
import pytest

from corpus_tools.framing import cues as cue_engine
from corpus_tools.framing.cues import (_MAX_SCOUTED_SHARE, _all_spans, _literal_spans, _regex_matches,
                                       _regex_spans, _scout, _trie_spans, compile_cues, fold_form, inflections,
                                       match_cues, match_sets)
from corpus_tools.lexicons import LexiconError
from tests.framing_helpers import prepared
from tests.test_framing_reference import _reference_hits


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


def _adversarial_texts(n: int, seed: int = 3) -> list[str]:
    """Random strings of cue words, near-misses and separators (space, hyphen and other runs,
    tabs, newlines, no-break and em spaces, punctuation, diacritics, underscores, digits, astral
    characters), so cues fall at text starts and ends, inside longer words and over each other."""
    words = """self Self defense self-defense war WAR warfare war-torn torn _war war_ war2 us US U.S. u.s
        the The peace PEACE talks said saying accused accusing ethnic cleansing İlham Aliyev café cafe
        Ermənistan ermenistan occupied “occupied” & a&b a ΣΑΣ ſelf \u212a 𝐀war war😀 terror terrorism
        UN un EU eu 𝐀un 😀un _un ùn $5 x xx xy ab abc ßk ék""".split() + ["$ 5", "5 billion", "5,000.5  trillion",
                                                                     "٣ billion"]
    seps = [" ", " ", "  ", "-", " - ", "--", "\t", "\n", " \n ", "\u00a0", "\u2003", "\u2011", "", ",", ".",
            "(", ")", "'", ";"]
    rng = np.random.default_rng(seed)
    return ["".join(str(rng.choice(words)) + str(rng.choice(seps)) for _ in range(int(rng.integers(1, 14))))
            for _ in range(n)]


def _adversarial_sets():
    """Three cue sets sharing and overlapping forms: every match type, forms ending in a non-word
    character, a nullable regex and one regex in two sets."""
    rows = [
        [("sd", "self-defense", "phrase"), ("sdf", "self defense force", "phrase"), ("war", "war", "phrase"),
         ("wt", "war torn", "phrase"), ("us", "us", "phrase"), ("usa", "U.S.", "phrase"),
         ("occ", "“occupied”", "phrase"), ("amp", "&", "phrase"), ("the", "the", "phrase"),
         ("thewar", "the war", "phrase"), ("il", "Ilham Aliyev", "phrase"), ("cafe", "café", "phrase"),
         ("acc", "accuse", "lemma"), ("say", "say", "lemma"), ("US", "US", "exact"),
         ("PEACE", "PEACE", "exact"), ("rx", r"terror\w*", "regex"),
         ("bn", r"\d[\d,.]*\s*(?:billion|trillion)\b", "regex")],
        [("war", "war", "phrase"), ("def", "defense", "phrase"), ("self", "self", "phrase"),
         ("pt", "peace talks", "phrase"), ("_war", "_war", "phrase"), ("a", "a", "phrase"),
         ("sas", "σας", "phrase"), ("erm", "Ermənistan", "phrase"), ("k", "k", "phrase"),
         ("clean", "ethnic cleansing", "lemma"),
         ("un", r"\bUN\b", "regex"), ("x", "x*", "regex"), ("rx", r"terror\w*", "regex")],
        [("eu", r"\bEU\b", "regex"), ("usd", r"\$\s?\d", "regex"), ("talks", r"(?<=\s)talks", "regex")],
    ]
    return [compile_cues(cues(*[(cue_id, "c", pattern, match, "no") for cue_id, pattern, match in table]))
            for table in rows]


def test_literal_automaton_equals_the_trie_regexes():
    """One Aho-Corasick scan for every set finds, per set, what its trie regex finds at every position."""
    sets = _adversarial_sets()
    texts = _adversarial_texts(300)
    for text in [*texts, "\x00".join(texts)]:
        lower = fold_form(text).lower()
        for cs, found in zip(sets, _literal_spans(lower, sets)):
            if cs.literal is None:
                assert found is None
                continue
            expected = _trie_spans(cs.literal, lower, cs, False)
            assert [part.tolist() for part in found] == [part.tolist() for part in expected], text


def test_regex_spans_equal_one_lookahead_alternation_per_set():
    """Each regex matched once on its own gives, per set, the first of its regexes matching at each
    position."""
    sets = _adversarial_sets()
    texts = _adversarial_texts(300)
    for text in [*texts, "\x00".join(texts)]:
        big = fold_form(text)
        for cs, found in zip(sets, _regex_spans(big, sets)):
            if not cs.regex:
                assert found is None
                continue
            union = re.compile("(?=(?:" + "|".join(f"({p.pattern})" for p in cs.regex) + "))", re.IGNORECASE)
            rows = cs.table["cue_id"].tolist()
            expected = []
            for m in union.finditer(big):
                k = next(i for i in range(len(cs.regex)) if m.span(i + 1)[0] >= 0)
                if m.end(k + 1) > m.start(k + 1):
                    expected.append((m.start(k + 1), m.end(k + 1), rows.index(cs.groups[k])))
            assert list(zip(*(part.tolist() for part in found))) == expected, text


def test_adversarial_sentences_equal_the_reference():
    sets = _adversarial_sets()
    texts = _adversarial_texts(200, seed=5)
    sentences = pd.DataFrame({"doc_id": [f"d{i // 3}" for i in range(len(texts))],
                              "sent_id": [i % 3 for i in range(len(texts))],
                              "start": [0] * len(texts), "text": texts})
    for cs, hits in zip(sets, match_sets(sentences, [[cs] for cs in sets], chunk_size=17)):
        regexes = list(zip(cs.groups, cs.regex))
        expected = sorted((row.doc_id, row.sent_id, cue_id, a, b, row.text[a:b])
                          for row in sentences.itertuples()
                          for a, b, cue_id in _reference_hits(row.text, cs.forms, regexes))
        got = sorted(zip(*(hits[c] for c in ["doc_id", "sent_id", "cue_id", "start", "end", "matched"])))
        assert got == expected
        assert len(got) > 50


@pytest.mark.parametrize("share", [_MAX_SCOUTED_SHARE, 1.0])
def test_scouted_regexes_equal_a_full_search(share, monkeypatch):
    """A regex tried only where its first character (and a leading \\b) allows finds what a search finds."""
    monkeypatch.setattr(cue_engine, "_MAX_SCOUTED_SHARE", share)
    patterns = [re.compile(p, re.IGNORECASE) for p in [
        r"\bUN\b", r"\bEU\b", r"\$\s?\d", r"\d[\d,.]*\s*(?:billion|trillion)\b", r"terror\w*",
        r"(?<=\s)talks", r"\b(?:war|peace)\w*", r"(?:a|)b", r"x*y", r"[^\w\s]", r".", r"(?s).", r"\B\w",
        r"(?a)\bk", r"\bk", r"\b(?:\w|\.)s", r"ſ", r"a{0}b", r"(?:ab)+c?", r"(?:x?)+z", r"(?i:u)n", r"^\w",
        r"\w$", r"\bus\b", r"[^a]b", r"\bσας", r"x*", r"(?=a)\w+", r"(?!e)\bu"]]
    scouts = [_scout(p) for p in patterns]
    assert sum(s is not None for s in scouts) >= 20 and sum(s is not None and s[1] for s in scouts) >= 6
    texts = _adversarial_texts(300, seed=11)
    for text in [*texts, "\x00".join(texts)]:
        found = _regex_matches(text, patterns)
        for pattern in patterns:
            assert found[pattern].tolist() == _all_spans(pattern, text).tolist(), (pattern.pattern, text)
