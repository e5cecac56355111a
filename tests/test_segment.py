"""Segmentation: sentence boundaries on hard news cases, tokens, flags, offsets; no NLTK data."""
import subprocess
import sys

import pandas as pd
import pytest

from tests.helpers import OFFLINE, ROOT
from corpus_tools.segment import (content_sentences, find_quotes, segment_documents, split_sentences,
                                  tokenize)


def sentences_of(text):
    return [text[s:e] for s, e, _ in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("The U.S. envoy arrived on Nov. 10 in Baku. He met Dr. Smith at 12 o’clock.",
     ["The U.S. envoy arrived on Nov. 10 in Baku.", "He met Dr. Smith at 12 o’clock."]),
    ("Troops left the U.S. The president said so.", ["Troops left the U.S.", "The president said so."]),
    ("About 3,000 soldiers marched. Mr. Aliyev spoke at 10 a.m. on Monday.",
     ["About 3,000 soldiers marched.", "Mr. Aliyev spoke at 10 a.m. on Monday."]),
    ("“We are ready for peace.” The minister smiled.", ["“We are ready for peace.”", "The minister smiled."]),
    ("“We are ready,” he said. “Are you?” she asked.", ["“We are ready,” he said.", "“Are you?” she asked."]),
    ("“Is peace possible?” asked the envoy.", ["“Is peace possible?” asked the envoy."]),
    ("The talks (in Brussels.) ended. Gen. Ivanov and J. R. Smith left.",
     ["The talks (in Brussels.) ended.", "Gen. Ivanov and J. R. Smith left."]),
    ("Wait... what happened? Nobody knows! 2021 was hard.",
     ["Wait... what happened?", "Nobody knows!", "2021 was hard."]),
    ("It cost 1.5 billion dollars, i.e. a lot. Next year more.", ["It cost 1.5 billion dollars, i.e. a lot.", "Next year more."]),
])
def test_hard_sentence_boundaries(text, expected):
    assert sentences_of(text) == expected


def test_headlines_and_captions_without_punctuation_are_their_own_sentences():
    text = "A headline without a stop\n\nFirst paragraph sentence.\nPhoto caption line without a stop\nNext line."
    assert sentences_of(text) == ["A headline without a stop", "First paragraph sentence.",
                                  "Photo caption line without a stop", "Next line."]
    assert [p for *_, p in split_sentences(text)] == [0, 1, 1, 1]


def test_hard_wrapped_lines_are_joined():
    text = "The ministry said that the talks\nwould continue next week. Then it ended."
    assert sentences_of(text) == ["The ministry said that the talks\nwould continue next week.", "Then it ended."]


def test_seed_sentence_boundaries(seed_corpus):
    sentences = seed_corpus.sentences
    assert len(sentences) == 24
    texts = sentences["text"].tolist()
    assert texts[0] == "Azerbaijan offered Armenia to normalize relations"
    assert texts[7] == "This marked the beginning of the 44-day Patriotic War."
    assert texts[12].startswith("“The end of the occupation") and texts[12].endswith("for decades.")
    assert texts[14] == "Evidence of Armenia’s numerous war crimes was also revealed”, statement said."
    assert texts[22] == "Azerbaijan also observed a minute of silence, at 12 o’clock."
    assert texts[17].endswith("Trilateral Statement of November 10, 2020.")
    clean = seed_corpus.documents["clean_text"].iloc[0]
    assert all(clean[r.start:r.end] == r.text for r in sentences.itertuples())


def test_seed_flags(seed_corpus):
    s = seed_corpus.sentences.set_index("sent_id")
    assert s.loc[0, "is_title"] and s["is_title"].sum() == 1
    assert s.loc[8, "is_caption"] and s.loc[8, "is_repeated"] and s["is_caption"].sum() == 1
    assert s.index[s["in_quote"]].tolist() == [2, 4, 12, 13, 14, 23]  # the multi-sentence quote included
    assert len(content_sentences(seed_corpus.sentences)) == 23
    assert len(content_sentences(seed_corpus.sentences, keep_title=False)) == 22


def test_find_quotes_curly_straight_and_open_at_paragraph_end():
    text = 'He said "yes" and “no”.\n\n“A quote running on\n\n“and closed here,” she said.'
    spans = [text[s:e] for s, e in find_quotes(text)]
    assert spans == ['"yes"', "“no”", "“A quote running on", "“and closed here,”"]


def test_tokens_of_news_text():
    words = [t for *_, t in tokenize("Armenia’s 44-day war cost 3,000 lives in the U.S.-backed talks at 12 o’clock, "
                                      "see https://x.org/a?b=1 (2020).")]
    assert words == ["Armenia", "’s", "44-day", "war", "cost", "3,000", "lives", "in", "the", "U.S.", "-",
                     "backed", "talks", "at", "12", "o’clock", ",", "see", "https://x.org/a?b=1", "(", "2020",
                     ")", "."]


def test_token_table_features(seed_corpus):
    tokens = seed_corpus.tokens
    clean = seed_corpus.documents["clean_text"].iloc[0]
    assert all(clean[r.start:r.end] == r.token for r in tokens.head(200).itertuples())
    row = tokens[tokens["token"] == "İlham"].iloc[0]
    assert row["lower"] == "ilham"  # Azerbaijani dotted capital I lower-cases to i
    possessive = tokens[tokens["token"] == "’s"].iloc[0]
    assert possessive["lower"] == "'s" and possessive["is_stop"] and not possessive["is_punct"]
    by_token = tokens.drop_duplicates("token").set_index("token")
    assert by_token.loc["measures", "lemma"] == "measure" and by_token.loc["undertaken", "lemma"] == "undertake"
    assert by_token.loc["Azerbaijanis", "lemma"] == "azerbaijani"
    assert by_token.loc["3,000", "is_num"] and not by_token.loc["3,000", "is_word"]
    assert by_token.loc["the", "is_stop"] and not by_token.loc["peace", "is_stop"]
    assert by_token.loc["“", "is_punct"] and by_token.loc["44-day", "is_word"]
    assert tokens["token_id"].tolist() == list(range(len(tokens)))


def test_sentence_token_counts_exclude_punctuation(seed_corpus):
    counted = seed_corpus.tokens[~seed_corpus.tokens["is_punct"]].groupby("sent_id").size()
    assert seed_corpus.sentences.set_index("sent_id")["n_tokens"].equals(counted.rename("n_tokens"))


def test_empty_and_one_sentence_corpora():
    empty = segment_documents(pd.DataFrame({"doc_id": [], "clean_text": []}))
    assert empty.sentences.empty and empty.tokens.empty
    assert empty.sentences["is_title"].dtype == bool and "lemma" in empty.tokens.columns
    one = segment_documents(pd.DataFrame({"doc_id": ["a", "b"], "clean_text": ["Peace now", ""]}))
    assert one.sentences["text"].tolist() == ["Peace now"] and one.tokens["token"].tolist() == ["Peace", "now"]


def test_custom_stopwords(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("# mine\npeace\n", encoding="utf-8")
    tokens = segment_documents(pd.DataFrame({"doc_id": ["a"], "clean_text": ["The peace."]}), stopwords=path).tokens
    assert tokens["is_stop"].tolist() == [False, True, False]


def test_segmentation_needs_no_nltk_data(tmp_path):
    code = ("import nltk; nltk.data.path[:] = []\n"
            "from corpus_tools.pipeline import prepare_corpus\n"
            "c = prepare_corpus('seeds'); print(len(c.sentences), len(c.tokens))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={"NLTK_DATA": str(tmp_path), "HOME": str(tmp_path), "PYTHONPATH": str(OFFLINE)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "24"


TRICKY_TEXTS = [
    "Mail press@mfa.gov.az or see https://mfa.gov.az/en/news?id=1 and www.example.com/a today.",
    "Non-breaking\u00a0space, ideographic\u3000space,\ttab and\u2028line separator; U.S.-backed 3,000 troops’ 44-day war.",
    "“Quoted,” she said. Armenia’s side isn’t done… ¡Sí! 12% — done.",
    "", "   ", "x",
]


def test_tokenize_many_equals_the_token_pattern_run_text_by_text():
    from corpus_tools.segment import TOKEN_PATTERN, tokenize_many
    tokens, starts, counts = tokenize_many(TRICKY_TEXTS)
    expected = [[(m.start(), m.group()) for m in TOKEN_PATTERN.finditer(text)] for text in TRICKY_TEXTS]
    assert counts.tolist() == [len(e) for e in expected]
    assert list(zip(starts.tolist(), tokens)) == [pair for e in expected for pair in e]
    # texts without "@", "http" or "www." take the pattern without the link alternatives: same tokens
    plain = TRICKY_TEXTS[1:]
    assert tokenize_many(plain)[0] == [m.group() for t in plain for m in TOKEN_PATTERN.finditer(t)]


def test_tokenize_one_text_equals_tokenize_many():
    """The direct scan of one text gives what the vocabulary of ``tokenize_many`` gives."""
    from corpus_tools.segment import tokenize_many
    texts = TRICKY_TEXTS + sentences_of(TRICKY_TEXTS[2] + " " + TRICKY_TEXTS[1])
    for text in texts:
        tokens, starts, _ = tokenize_many([text])
        assert tokenize(text) == [(int(s), int(s) + len(t), t) for s, t in zip(starts, tokens)], text
    assert tokenize("Armenia’s 3,000 U.S.-backed") == [(0, 7, "Armenia"), (7, 9, "’s"), (10, 15, "3,000"),
                                                       (16, 20, "U.S."), (20, 21, "-"), (21, 27, "backed")]


def test_sentence_flags_and_quote_shares_match_a_direct_computation():
    from corpus_tools.pipeline import prepare_corpus
    texts = ["Headline here\n\nHe said “we will win. We will.” Then left. Photo: a caption",
             "“Open quote runs on\n\nNext para.", "No quotes at all. None."]
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": texts})
    seg = prepare_corpus(docs)
    for doc_id, text in zip(seg.documents["doc_id"], seg.documents["clean_text"]):
        quotes = find_quotes(text)
        marks = seg.marks[seg.marks["doc_id"] == doc_id]
        for row in seg.sentences[seg.sentences["doc_id"] == doc_id].itertuples():
            inside = sum(max(0, min(row.end, qe) - max(row.start, qs)) for qs, qe in quotes)
            assert row.quote_share == inside / max(1, row.end - row.start)
            for mark, column in (("title", "is_title"), ("caption", "is_caption"), ("repeated", "is_repeated")):
                hit = any(m.start < row.end and row.start < m.end for m in marks[marks["mark"] == mark].itertuples())
                assert getattr(row, column) == hit, (doc_id, row.text, column)
    assert seg.sentences["is_title"].any() and seg.sentences["in_quote"].any()


def test_token_table_equals_the_pattern_and_token_features_token_by_token(monkeypatch):
    """The remembered vocabulary (first pass, new chunks on top of known ones, every chunk known,
    started afresh past its limit, grown past its first arrays, two stopword sets) gives what the
    pattern and token_features give token by token."""
    import corpus_tools.segment as segment
    from corpus_tools.segment import TOKEN_PATTERN, token_features
    many = " ".join(f"W{i}’s w{i}, {i}.{i} (x{i % 7})" for i in range(400))  # > 1024 types
    texts = TRICKY_TEXTS + ["The U.S. war. Dr. Smith’s 44-day talks; İlham said “no”.", many]
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "clean_text": texts})
    columns = ["doc_id", "start", "end", "token", "lower", "lemma", "is_stop", "is_word", "is_punct", "is_num"]
    monkeypatch.setattr(segment, "_VOCABULARY", segment._Vocabulary())
    for stopwords in (None, frozenset({"the", "w3", "'s"})):
        words = segment.bundled_stopwords() if stopwords is None else stopwords
        for limit, n_docs in ((500_000, 3), (500_000, len(texts)), (500_000, len(texts)), (10, len(texts))):
            monkeypatch.setattr(segment, "_VOCABULARY_LIMIT", limit)
            part = docs.head(n_docs)
            expected = [(doc_id, m.start(), m.end(), m.group(), *token_features(m.group(), words))
                        for doc_id, text in zip(part["doc_id"], part["clean_text"]) for m in TOKEN_PATTERN.finditer(text)]
            tokens = segment_documents(part, stopwords=stopwords).tokens
            assert list(tokens[columns].itertuples(index=False, name=None)) == expected


def _sentences_line_by_line(text):
    """split_sentences as first written: paragraphs, then lines, then _BOUNDARY run line by line with
    _is_boundary deciding every match, each piece stripped."""
    import re

    from corpus_tools.segment import _BOUNDARY, _is_boundary
    spans, para_id, position = [], 0, 0
    for paragraph in re.split(r"(\n[ \t]*\n+)", text):
        if paragraph.startswith("\n") and not paragraph.strip():
            para_id += 1 if spans else 0
        else:
            lines, start = [], 0
            for newline in re.finditer(r"\n", paragraph):
                if not paragraph[newline.end():newline.end() + 1].islower():
                    lines.append((position + start, position + newline.start()))
                    start = newline.end()
            lines.append((position + start, position + len(paragraph)))
            for line_start, line_end in lines:
                cuts = [line_start] + [m.end() for m in _BOUNDARY.finditer(text, line_start, line_end)
                                       if _is_boundary(text, m.start(), m.end(), line_start, line_end)] + [line_end]
                for start, end in zip(cuts, cuts[1:]):
                    piece = text[start:end]
                    if piece.strip():
                        lead = len(piece) - len(piece.lstrip())
                        spans.append((start + lead, start + lead + len(piece.strip()), para_id))
        position += len(paragraph)
    return spans


def test_vectorised_sentence_boundaries_equal_the_line_by_line_splitter():
    """split_sentences (one pass per text) and segment_documents (numpy over batches of joined texts)
    against the line-by-line splitter, on random texts of abbreviations, initials, months, terminals,
    closers, openers, odd letters (ǅ, Ⅻ, ², İ) and odd whitespace."""
    import random
    pieces = ["the", "The", "war", "Peace", "U.S.", "u.s.", "Dr.", "dr.", "Nov.", "nov", "10", "J.", "j.", "o’clock",
              "Inc.", "etc.", "approx.", "i.e.", "No.", "Sept.", "É", "ǅ", "Ⅻ", "²", "İlham", "x", "A.B.C", "Zürich",
              "3,000.", "a" * 45, "B" * 39, ".", "..", "...", "!", "?", "…", "?!", ".”", ".’", ".)", ".]", '."', "”",
              "“", "‘", "«", "»", "(", "[", "'", '"', "-", "’s"]
    spaces = [" ", " ", " ", "", "  ", "\t", "\u00a0", "\u2009", "\n", "\n\n", "\n \n", "\n\t\n\n", "\u2028", "\x1c"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) + rng.choice(spaces) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    texts += ["", " ", "\n", "\n\nA. B", "End.", "End. ", "“Go.” He did.", "x.\n\nY. z"]
    expected = [_sentences_line_by_line(text) for text in texts]
    assert [split_sentences(text) for text in texts] == expected
    sentences = segment_documents(pd.DataFrame({"doc_id": range(len(texts)), "clean_text": texts})).sentences
    got = [[] for _ in texts]
    for row in sentences.itertuples():
        got[row.doc_id].append((row.start, row.end, row.para_id))
    assert got == expected


def test_a_sentence_without_boundaries_is_split_at_whitespace_and_reported():
    """100,000 characters without sentence punctuation were one sentence (and one copy per framing hit)."""
    from corpus_tools.pipeline import prepare_corpus
    from corpus_tools.segment import MAX_SENTENCE_CHARS

    unit = "Azerbaijan accused Armenia of aggression and the talks were difficult "
    text = "A normal first sentence. " + unit * (100_000 // len(unit))
    corpus = prepare_corpus(pd.DataFrame({"doc_id": ["long", "short"], "text": [text, "Two. Sentences here."]}),
                            show_progress=False)
    sentences = corpus.sentences
    clean = corpus.documents.set_index("doc_id")["clean_text"]
    assert sentences["text"].str.len().max() <= MAX_SENTENCE_CHARS
    assert all(clean[d][a:b] == t for d, a, b, t in sentences[["doc_id", "start", "end", "text"]].itertuples(index=False))
    forced = sentences.groupby("doc_id")["is_forced_split"].sum()
    assert forced["long"] == len(sentences[sentences["doc_id"] == "long"]) - 1 and forced["short"] == 0
    reason = corpus.report.set_index("doc_id")["reason"]
    assert "is_forced_split" in reason["long"] and "is_forced_split" not in reason["short"]
