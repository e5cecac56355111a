"""The one-call analysis, the audit table (offsets checkable by hand) and the HTML rendering."""
import html

from corpus_tools.framing import analyse_framing, audit_table, render_highlights
from tests.framing_helpers import prepared


def test_audit_rows_point_at_their_text(seed_corpus):
    result = analyse_framing(seed_corpus.documents, seed_corpus.sentences, seed_corpus.tokens)
    audit = audit_table(result)
    assert {"actor", "generic", "entman", "policy", "role", "naming", "stance", "persuasion"} <= set(audit["layer"])
    text = seed_corpus.documents.set_index("doc_id")["clean_text"]
    for row in audit.itertuples():
        assert text[row.doc_id][row.start:row.end] == row.matched
        assert row.matched in row.sentence
    # the seed's three quotes after the first are attributed to the ministry through "statement"
    assert result.quotes["actor"].tolist() == ["Azerbaijani Foreign Ministry"] * 4
    roles = result.roles.roles.set_index("actor_id")["role"]
    assert roles["az_state"] == "protagonist" and roles["am_state"] == "antagonist"
    assert roles["az_displaced"] == "innocent"


def test_multi_document_and_one_sentence_corpora(multi_corpus):
    result = analyse_framing(multi_corpus.documents, multi_corpus.sentences, multi_corpus.tokens)
    assert set(result.naming["doc_id"]) >= {"am_01", "az_01"}
    corpus, _ = prepared("Only one sentence here.")
    small = analyse_framing(corpus.documents, corpus.sentences, corpus.tokens)
    assert audit_table(small).empty and small.roles.roles.empty


def test_html_escapes_text_and_marks_spans():
    text = "A <b>so-called</b> deal & more"
    hits = [{"start": 6, "end": 15, "category": "doubt", "cue_id": "pe.doubt.so_called"}]
    import pandas as pd
    out = render_highlights(text, pd.DataFrame(hits))
    assert "<b>so-called" not in out and html.escape("<b>") in out
    assert "title=\"doubt (pe.doubt.so_called)\"" in out and "Legend:" in out
    assert "&amp; more" in out
    assert "no cues found" in render_highlights(text, pd.DataFrame(columns=["start", "end", "category", "cue_id"]))
