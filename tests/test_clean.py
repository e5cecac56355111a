"""Cleaning: boilerplate cut and recorded, title/caption/repeat marked, offsets kept."""
import unicodedata

import pandas as pd
import pytest

from corpus_tools.clean import clean_documents, clean_text, load_boilerplate, match_form
from corpus_tools.lexicons import LexiconError


def test_seed_footer_removed_and_recorded(seed_corpus):
    removals = seed_corpus.removals
    assert removals["rule"].tolist() == ["comment_notify", "comment_feedbacks", "comment_view_all"]
    assert removals["text"].tolist() == ["Notify of", "Inline Feedbacks", "View all comments"]
    raw = seed_corpus.documents["text"].iloc[0]
    for row in removals.itertuples():
        assert raw[row.start:row.end] == row.text  # offsets point into the input
    clean = seed_corpus.documents["clean_text"].iloc[0]
    assert clean.endswith("statement concluded.")
    assert "Notify" not in clean


def test_seed_title_caption_and_repeat_marked(seed_corpus):
    marks = seed_corpus.marks.set_index("mark")
    clean = seed_corpus.documents["clean_text"].iloc[0]
    assert marks.loc["title", "text"] == "Azerbaijan offered Armenia to normalize relations"
    caption = "President Ilham Aliyev and First Vice President Mehriban Aliyeva, led a march of 3,000 soldiers in Baku"
    assert marks.loc["caption", "text"] == caption
    assert marks.loc["repeated", "text"] == caption  # near-copy of the later full sentence
    assert marks.loc["repeated", "rule"].startswith("near_repeat_of_line_")
    for row in seed_corpus.marks.itertuples():
        assert clean[row.start:row.end] == row.text
    assert len(seed_corpus.marks) == 3  # the title restates the lede but is not a "repeat"


def test_match_form_keeps_length_and_folds_quotes_and_diacritics():
    text = "Armenia’s “offer” — İlham Əliyev"
    plain = match_form(text)
    assert plain == "Armenia's \"offer\" - İlham Əliyev" and len(plain) == len(text)
    folded = match_form(text, fold_diacritics=True)
    assert folded == "Armenia's \"offer\" - Ilham Əliyev" and len(folded) == len(text)
    assert match_form("café", fold_diacritics=True) == "cafe"


def test_nfc_whitespace_and_invisible_characters():
    decomposed = unicodedata.normalize("NFD", "Ərazi bütövlüyü")
    clean, *_ = clean_text(f"  {decomposed}\u200b  is   here.\t\r\n\r\n\r\nNext\u00a0paragraph here today.  ")
    assert clean == "Ərazi bütövlüyü is here.\n\nNext paragraph here today."


def test_web_boilerplate_rules():
    text = "\n".join([
        "BAKU, Sept 27 (Reuters) - Azerbaijan offered Armenia talks on a peace treaty on Monday, officials said.",
        "Share Tweet Email",
        "Read more: Armenia rejects the offer",
        "We use cookies to improve your experience on our website.",
        "By Jane Smith",
        "The offer came a year after the war ended with a ceasefire brokered by Russia.",
        "Follow us on Telegram",
        "© 2021 Example News. All rights reserved.",
    ])
    clean, title, removals, marks = clean_text(text, "d")
    rules = [r["rule"] for r in removals]
    assert rules == ["dateline_wire", "share_buttons", "read_more", "cookie_notice", "byline", "follow_us",
                     "copyright"]
    assert clean.startswith("Azerbaijan offered Armenia talks")
    assert "ceasefire brokered by Russia." in clean


def test_bylines_need_a_capitalised_name():
    clean, *_ = clean_text("Title line here\n\nThe war was ended by agreement of the parties on that night.\n\nby the way")
    assert "by the way" in clean


def test_photo_credit_is_marked_not_removed():
    clean, title, removals, marks = clean_text(
        "A headline about peace\n\nThe first sentence of the article is here, and it is long enough.\n\n"
        "Photo: AFP\n\nThe second paragraph continues the story with more words.")
    assert "Photo: AFP" in clean and not removals
    assert [(m["mark"], m["rule"]) for m in marks] == [("title", "first_short_line"), ("caption", "photo_caption")]


def test_one_sentence_and_empty_documents():
    assert clean_text("Just one sentence.")[:2] == ("Just one sentence.", None)
    assert clean_text("")[0] == ""
    cleaned = clean_documents(pd.DataFrame({"doc_id": [], "text": [], "title": []}))
    assert cleaned.documents.empty and cleaned.removals.empty and list(cleaned.marks.columns)[0] == "doc_id"


def test_title_from_loader_is_kept(seed_corpus):
    docs = pd.DataFrame({"doc_id": ["x"], "text": ["Detected title\n\nBody sentence one is here today."],
                         "title": ["Given title"]})
    assert clean_documents(docs).documents["title"].tolist() == ["Given title"]
    docs["title"] = [None]
    assert clean_documents(docs).documents["title"].tolist() == ["Detected title"]
    assert "clean_text" not in docs.columns  # input not mutated


def test_user_rules_file_is_validated(tmp_path):
    bad = tmp_path / "rules.tsv"
    bad.write_text("rule_id\taction\tscope\tpattern\nx\tremove\tline\t\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"rules.tsv, line 2: column 'pattern' is blank"):
        load_boilerplate(bad)
    bad.write_text("rule_id\taction\tscope\tpattern\nx\tremove\tline\t(unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="rule 'x' has a bad pattern"):
        load_boilerplate(bad)
    good = tmp_path / "good.tsv"
    good.write_text("rule_id\taction\tscope\tpattern\nsubscribe\tremove\tline\tsubscribe now!?\n", encoding="utf-8")
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["Body text sentence goes here.\nSubscribe now!"], "title": [None]})
    assert clean_documents(docs, boilerplate=good).removals["rule"].tolist() == ["subscribe"]


def test_lines_recurring_across_documents_are_site_boilerplate():
    texts = [f"Headline {i}\n\nStory number {i} says something new about the talks.\nListen to the Caspian Hour podcast"
             for i in range(6)] + ["Headline x\n\nMany listen to the Caspian Hour podcast, it says."]
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(7)], "text": texts, "title": [None] * 7})
    cleaned = clean_documents(docs)
    assert cleaned.removals["rule"].unique().tolist() == ["repeated_across_documents"]
    assert len(cleaned.removals) == 6  # the sentence that merely contains the words stays
    assert not cleaned.documents["clean_text"].str.endswith("podcast").any()
    assert len(clean_documents(docs.head(4)).removals) == 0  # below min_docs=5
    assert len(clean_documents(docs, site_boilerplate=False).removals) == 0


def test_line_collapse_and_key_fast_paths_equal_the_regex_definitions():
    """str.split shortcuts for ASCII lines must give what the _SPACES/_INVISIBLE regexes give."""
    from corpus_tools.clean import _INVISIBLE, _SPACES, _collapse, _line_key, match_form
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()] + ["\u200b", "\u00ad", "\ufeff"]
    lines = [f"a{s}b {s} c{t}“d”`e`" for s in spaces for t in ("", " ", "\t")] + ["", "  ", "x\x1fy", "İ – x"]
    for line in lines:
        assert _collapse(line) == _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip(), repr(line)
        assert _line_key(line) == match_form(_SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()).lower(), repr(line)


def test_match_form_equals_its_translation_table():
    """match_form replaces through a regex; str.translate with the same table is the definition."""
    from corpus_tools.clean import _MATCH_CHARS
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert match_form(text) == text.translate(str.maketrans(_MATCH_CHARS))
    assert match_form("a `b` c") == "a 'b' c"


def test_line_words_from_remembered_chunks_equal_the_word_pattern():
    from corpus_tools.clean import _WORD, _words
    lines = ["a b", "a/b c", "-", "x, y. z-w", "It's U.S.-led (1,000) \"quoted\" ...", "", "  ", "İstanbul ΣΑΣ ς",
             "a\u00a0b\tc\u2028d", "__ _x_ 3.5% 'tis"]
    for line in lines * 2:  # the second time every chunk is remembered
        assert _words(line) == frozenset(_WORD.findall(line.lower())), line
