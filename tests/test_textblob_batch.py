"""Batch PatternAnalyzer: bit-identical to textblob.en.sentiment (scores and assessments) on real,
synthetic, hand-written and randomly assembled sentences; the fast path is the one that runs."""
from pathlib import Path

import numpy as np
import pytest
from textblob import TextBlob
from textblob.en import sentiment as library

from bench.synthetic import synthetic_corpus
from corpus_tools import textblob_batch as B
from corpus_tools.clean import match_form
from corpus_tools.pipeline import prepare_corpus

ROOT = Path(__file__).resolve().parents[1]

EDGE_CASES = [
    "", " ", "   \t ", "\n", "\n\n", "Good.\n\nBad.", "Good\n\nnews", "Good \r\n\r\n bad", "good\u00a0day", "good\u2028bad",
    "The talks were not good.", "The talks were not a good idea.", "It was never really good.",
    "It was really not good.", "It is very very good.", "Very good!", "Good!!!", "Good !", "! good", "(!)",
    "What a plan (!)", "What a plan ( ! )", "What a plan (! )", "Great ! ) yes", "Happy :-)", "Sad :(", "Sad : (",
    "Fine :)", "Fine : )", "Fine :) indeed", "Wow :D", "wow xD", "wow XD", "wow X D", "box Dog", "o.O", "O_o",
    "<3", "I ♥ peace", ":'(", ":'''(", "so ;-) nice", "8)", "page 8)", "(see page 8)", "(also)", "°O° fine", "°o°",
    "It isn't good.", "I don't like it.", "We won't accept; they can't.", "He'd say it's great, you're right.",
    "We'll see, we've won, I'm happy.", "It isn’t good.", "“Good”, he said.", "‘Bad’ news.", '"Excellent" work.',
    "'Terrible' war", "The U.S. and the E.U. agreed, e.g. on trade.", "Mr. Smith met Dr. Jones at 5 p.m. etc.",
    "Hmm. Good.", "A. B. Smith is good.", "Wait... good...", "Good....", "..", "...", ".", "!!!", "?!", "Good?!",
    "A well-known, long-term, state-of-the-art plan.", "In 2021, 30 people - 3.5% - were hurt.",
    "1,988 troops; 27,066 refugees.", "Terribly sad, incredibly happy, horribly bad.", "not", "not not good",
    "no good", "never good", "not n't good", "really really not bad", "extremely not good at all",
    "GOOD BAD UGLY", "END-OF-SENTENCE good", "good END-OF-SENTENCE.", "It was (very) good.", "[good] {bad}",
    "good, bad; ugly: fine", "*good*", "#good @bad", "$100 is a good price", "good_bad", "good-bad", "~good~",
    "Ilham Aliyev’s “great” victory", "İstanbul is great", "ﬁne and good", "well... not so great :-/ really",
]


def assert_same(texts):
    texts = list(texts)
    polarity, subjectivity, assessments = B.pattern_sentiment(texts, assessments=True)
    # without assessments, sentences of plain lexicon words and modifiers take an array path
    assert [list(a) for a in B.pattern_sentiment(texts)] == [polarity.tolist(), subjectivity.tolist()]
    assert np.array_equal(np.signbit(B.pattern_sentiment(texts)[0]), np.signbit(polarity))
    for text, p, s, found in zip(texts, polarity, subjectivity, assessments):
        reference = library(text)
        assert (p, s) == tuple(reference), text
        assert (np.signbit(p), np.signbit(s)) == (np.signbit(reference[0]), np.signbit(reference[1])), text
        assert [(list(c), q, t) for c, q, t in found] == \
            [(list(c), q, t) for c, q, t, _label in reference.assessments], text
    return len(texts)


def test_edge_cases_equal_the_library():
    assert_same(EDGE_CASES)


def test_hand_computed_values():
    polarity, subjectivity, assessments = B.pattern_sentiment(["It is very good.", "It is not good.", "Good!"],
                                                              assessments=True)
    good, very = B.lexicon()["good"], B.lexicon()["very"]
    assert polarity[0] == good[0] * very[2] and assessments[0][0][0] == ["very", "good"]
    assert polarity[1] == good[0] * -0.5 and assessments[1][0][0] == ["not", "good"]
    assert polarity[2] == good[0] * 1.25 and subjectivity[2] == good[1]


def test_bundled_and_test_corpora_equal_the_library():
    n = 0
    for source in (ROOT / "seeds", ROOT / "tests" / "data" / "multi"):
        texts = prepare_corpus(source, show_progress=False).sentences["text"].astype(str).tolist()
        n += assert_same(texts + [match_form(t) for t in texts])
    assert n > 100


def test_synthetic_sentences_equal_the_library():
    corpus = prepare_corpus(synthetic_corpus(40, seed=11), show_progress=False)
    assert assert_same(corpus.sentences["text"].astype(str)) > 1000


WORDS = ["good", "bad", "very", "really", "not", "no", "never", "n't", "a", "of", "the", "is", "!", "(", ")", ":",
         "-", "'", '"', "“", "”", "’", ".", "...", ",", "U.S.", "e.g.", "Mr.", "isn't", "don't", "terribly", "happily",
         "\n\n", " ", "  ", "great", "sad", "absolutely", "too", "also", "?", ";", "[", "]", "*", "#", "$", "%", "2021"]
FACES = ["(!)", "8", "D", "x", "o", "O", "°", "<3", ":)", ":-)", ":(", ";)", "END-OF-SENTENCE", "xD", ">:(", "=)"]


def assemblies(pieces, n, seed):
    rng = np.random.default_rng(seed)
    texts = []
    for _ in range(n):
        chosen = rng.choice(pieces, size=rng.integers(1, 14))
        glue = rng.choice(["", " "], size=len(chosen), p=[0.3, 0.7])
        texts.append("".join(g + c for g, c in zip(glue, chosen)))
    return texts


def test_random_assemblies_of_tricky_pieces_equal_the_library(monkeypatch):
    calls, real = [], B._library_score
    monkeypatch.setattr(B, "_library_score", lambda text: calls.append(text) or real(text))
    assert_same(assemblies(WORDS, 3000, seed=5))
    assert len(calls) < 300  # mostly the fast path: ')' or '-' next to ':' or ';' may form a face
    assert_same(assemblies(WORDS + FACES, 2000, seed=6))


def test_the_fast_path_runs_and_rare_constructs_go_to_the_library(monkeypatch):
    calls, real = [], B._library_score
    monkeypatch.setattr(B, "_library_score", lambda text: calls.append(text) or real(text))
    B.pattern_sentiment(["The talks were not good.", "It is very good!", "It isn't (very) good, e.g. U.S. plans."])
    assert calls == []
    B.pattern_sentiment(["Fine : ) indeed", "Great (!) plan", "So END-OF-SENTENCE here", "Happy :-) day"])
    assert calls == ["Fine : ) indeed", "Great (!) plan", "So END-OF-SENTENCE here", "Happy :-) day"]


def test_duplicates_empty_input_and_textblob_itself():
    polarity, subjectivity = B.pattern_sentiment(["Good.", "Bad.", "Good."])
    assert polarity[0] == polarity[2] == TextBlob("Good.").sentiment.polarity
    assert subjectivity[1] == TextBlob("Bad.").sentiment.subjectivity
    empty = B.pattern_sentiment([], assessments=True)
    assert len(empty[0]) == len(empty[1]) == len(empty[2]) == 0


@pytest.mark.parametrize("text", ["good", "Good.", "not good", ":-)"])
def test_word_cache_does_not_change_results(text):
    first = B.pattern_sentiment([text])
    B._WORDS.clear()
    assert [list(a) for a in first] == [list(b) for b in B.pattern_sentiment([text])]


def test_spaced_faces_trie_matches_where_the_plain_alternation_does():
    import re

    faces = sorted({v for e in B._REJOINED[:-1] for v in B._spaced(e)}, key=len, reverse=True)
    plain = re.compile("(?:{})(?=\\s|$)|{}".format("|".join(map(re.escape, faces)),
                                                   "|".join(map(re.escape, B._spaced("(!)")))))
    rng = np.random.default_rng(2)
    chars = sorted(set("".join(B._REJOINED))) + [" ", " ", "a", "\n"]
    texts = ["".join(rng.choice(chars, size=rng.integers(0, 12))) for _ in range(50_000)]
    texts += [" ".join(face) + tail for face in B._REJOINED for tail in ("", " ", "x")]
    assert [B._SPACED.search(t) is not None for t in texts] == [plain.search(t) is not None for t in texts]
