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


def test_hits_keep_sentence_keys_not_copies_and_memory_stays_flat(tmp_path):
    """A hit table once held a copy of its sentence per hit: a 100,000-character line grew a process by
    2.8 GB. Hits now carry doc_id/sent_id only; the audit table joins the text for display."""
    import subprocess
    import sys

    script = tmp_path / "run.py"
    script.write_text(
        "import resource, pandas as pd\n"
        "from corpus_tools.pipeline import prepare_corpus\n"
        "from corpus_tools.framing import analyse_framing, audit_table\n"
        "unit = 'Azerbaijan accused Armenia of aggression and the president said peace talks were difficult '\n"
        "c = prepare_corpus(pd.DataFrame({'doc_id': ['d'], 'text': [unit * 1100]}), show_progress=False)\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "r = analyse_framing(c.documents, c.sentences, c.tokens)\n"
        "audit = audit_table(r)\n"
        "tables = [r.frames, r.mentions, r.roles.evidence, r.naming, r.attributions, r.stance, r.persuasion]\n"
        "assert not any('sentence' in t.columns for t in tables)\n"
        "text = c.sentences.set_index(['doc_id', 'sent_id'])['text']\n"
        "assert (audit['sentence'] == text.loc[list(zip(audit['doc_id'], audit['sent_id']))].to_numpy()).all()\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024, len(audit))\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=True)
    growth_mb, rows = out.stdout.split()
    assert int(rows) > 5000 and float(growth_mb) < 300


def test_repetition_in_the_one_call_analysis_leaves_out_actor_names():
    """analyse_framing passes the mentions to the repetition finder: on a corpus whose press releases
    repeat 'President Vladimir Putin', no repetition hit overlaps an actor mention."""
    from corpus_tools.pipeline import prepare_corpus
    from tests.conflict_corpora import CORPORA, corpus_path

    corpus = prepare_corpus(corpus_path("russia_ukraine"), text_column=CORPORA["russia_ukraine"]["text_column"],
                            show_progress=False)
    result = analyse_framing(corpus.documents, corpus.sentences, corpus.tokens)
    repeats = result.persuasion[result.persuasion["category"] == "repetition"]
    spans = result.mentions.groupby("doc_id")[["start", "end"]].apply(lambda t: list(zip(t["start"], t["end"])))
    overlapping = [r for r in repeats.itertuples()
                   if any(s < r.end and r.start < e for s, e in spans.get(r.doc_id, []))]
    assert not result.mentions.empty and overlapping == []
