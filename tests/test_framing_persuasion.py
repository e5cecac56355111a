"""Persuasion cues per technique (hand-labelled sentences) and computed repetition."""
import pytest

from corpus_tools.framing.persuasion import find_persuasion, find_repetition, score_persuasion
from tests.framing_helpers import prepared

LABELLED = [
    ("loaded_language", "The barbaric vandalism shocked everyone."),
    ("name_calling", "The separatist regime refused."),
    ("flag_waving", "Our nation and our flag will endure."),
    ("appeal_to_authority", "This is in accordance with international law."),
    ("appeal_to_values", "They fight for justice and dignity."),
    ("appeal_to_fear", "A catastrophe is coming."),
    ("exaggeration", "It is an unprecedented and massive effort."),
    ("doubt", "The so-called activists blocked the road."),
    ("appeal_to_time", "This is a historic chance."),
    ("slogan", "Karabakh is Azerbaijan!"),
]


@pytest.mark.parametrize("category,sentence", LABELLED, ids=[c for c, _ in LABELLED])
def test_each_technique(category, sentence):
    corpus, sentences = prepared(sentence)
    hits = find_persuasion(sentences, corpus.tokens)
    assert category in set(hits.loc[~hits["negated"], "category"])


def test_repetition_counts_content_ngrams_three_times():
    text = ("Territorial integrity matters. We defend territorial integrity. Territorial integrity is law. "
            "Peace matters. Peace talks.")
    corpus, sentences = prepared(text)
    rep = find_repetition(sentences, corpus.tokens, min_repeats=3)
    assert rep["matched"].tolist() == ["Territorial integrity", "territorial integrity", "Territorial integrity"]
    assert set(rep["cue_id"]) == {"repetition:territorial integrity"}
    doc = corpus.documents["clean_text"].iloc[0]
    assert all(doc[s:e].lower() == "territorial integrity" for s, e in zip(rep["start"], rep["end"]))
    assert find_repetition(sentences, corpus.tokens, min_repeats=4).empty


def test_score_and_negation():
    corpus, sentences = prepared("This was not barbaric. It was barbaric and brutal.")
    hits = find_persuasion(sentences, corpus.tokens)
    assert hits.loc[hits["matched"] == "barbaric", "negated"].tolist() == [True, False]
    scores = score_persuasion(hits, sentences).set_index("category")
    assert scores.loc["loaded_language", "hits"] == 2
    n_tokens = int(sentences["n_tokens"].sum())
    assert scores.loc["loaded_language", "density"] == pytest.approx(2000 / n_tokens)


def test_score_persuasion_cue_words_equal_value_counts_per_group():
    """The cue-word list is computed for all groups at once; it must equal value_counts per group
    (most frequent first, ties in order of first appearance), including case folding and >16 words."""
    import numpy as np
    import pandas as pd
    from corpus_tools.framing.persuasion import score_persuasion
    rng = np.random.default_rng(1)
    words = ["Peace", "peace", "War", "İlham", "ilham", "FIGHT"] + [f"w{i}" for i in range(30)]
    hits = pd.DataFrame({"doc_id": rng.choice(["a", "b", "c"], 2000), "sent_id": 0,
                         "category": rng.choice(["fear", "flag"], 2000), "cue_id": "c",
                         "matched": pd.Series(rng.choice(words, 2000), dtype="str"), "negated": rng.random(2000) < 0.1})
    sentences = pd.DataFrame({"doc_id": ["a", "b", "c"], "sent_id": [0, 0, 0], "n_tokens": [10, 0, 5]})
    table = score_persuasion(hits, sentences)
    live = hits[~hits["negated"]]
    for row in table.itertuples():
        part = live[(live["doc_id"] == row.doc_id) & (live["category"] == row.category)]["matched"]
        assert row.cues == ", ".join(pd.Series(part).str.lower().value_counts().index[:6])
        assert row.hits == len(part)


def _repetition_reference(sentences, tokens, min_repeats=3, sizes=(3, 2)):
    """Position by position: (doc_id, start, end, cue_id) of every repeated n-gram, longest first."""
    from collections import Counter
    keep = set(zip(sentences["doc_id"], sentences["sent_id"]))
    rows = [r for r in tokens.itertuples(index=False) if (r.doc_id, r.sent_id) in keep]
    taken, found = set(), []
    for n in sizes:
        grams = []
        for i in range(len(rows) - n + 1):
            span = rows[i:i + n]
            if (len({(r.doc_id, r.sent_id) for r in span}) == 1 and all(r.is_word for r in span)
                    and not span[0].is_stop and not span[-1].is_stop and i not in taken and i + n - 1 not in taken):
                grams.append((i, span[0].doc_id, " ".join(str(r.lemma) for r in span)))
        counts = Counter((doc, text) for _, doc, text in grams)
        for i, doc, text in grams:
            if counts[doc, text] >= min_repeats:
                taken.update(range(i, i + n))
                found.append((doc, rows[i].start, rows[i + n - 1].end, "repetition:" + text))
    return sorted(found, key=lambda f: (f[0], f[1]))


def test_repetition_equals_a_position_by_position_reading():
    """Random token streams: lemmas with spaces (whose joined texts collide: "a b"+"c" = "a"+"b c"),
    stopwords, punctuation, sentence breaks, documents out of order, sentences left out."""
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(11)
    vocab = [("a", False), ("b", False), ("c", False), ("a b", False), ("b c", False), ("the", True), (",", None)]
    for trial in range(20):
        n = 300
        pick = rng.integers(0, len(vocab), n)
        doc = np.sort(rng.choice(["d2", "d1", "d3"], n))[::-1] if trial % 2 else rng.choice(["d2", "d1"], n)
        sent = np.cumsum(rng.random(n) < 0.15)
        tokens = pd.DataFrame({"doc_id": doc, "sent_id": sent, "start": np.arange(n) * 4, "end": np.arange(n) * 4 + 3,
                               "lemma": [vocab[p][0] for p in pick], "is_stop": [vocab[p][1] is True for p in pick],
                               "is_word": [vocab[p][1] is not None for p in pick]})
        if trial % 4 < 2:  # no spaced lemma: codes compared, not texts
            tokens["lemma"] = tokens["lemma"].str.replace(" ", "_")
        sentences = tokens.drop_duplicates(["doc_id", "sent_id"])[["doc_id", "sent_id", "start"]]
        sentences = sentences.iloc[rng.random(len(sentences)) < 0.9]
        starts = sentences["start"].to_numpy()
        sentences = sentences.assign(text=[" " * 4 * n] * len(sentences), start=starts)
        got = find_repetition(sentences, tokens, min_repeats=3)
        expected = _repetition_reference(sentences, tokens)
        assert len(expected) > 5
        assert list(zip(got["doc_id"], got["start"], got["end"], got["cue_id"])) == expected


def test_score_persuasion_on_categorical_tables_with_one_token_count_per_document():
    """A Categorical doc_id whose token counts map one to one (one document) used to raise TypeError."""
    import pandas as pd
    corpus, sentences = prepared("The barbaric vandalism shocked everyone. A catastrophe is coming.")
    hits = find_persuasion(sentences, corpus.tokens)
    compact = [t.assign(doc_id=t["doc_id"].astype("category")) for t in (hits, sentences)]
    pd.testing.assert_frame_equal(score_persuasion(*compact).astype({"doc_id": str}), score_persuasion(hits, sentences),
                                  check_dtype=False)


def test_score_persuasion_by_source_and_a_blank_group():
    """Grouping by ``source`` collided with the lexicon's own ``source`` column of every hit (KeyError);
    a blank group value is labelled "(none)" instead of being dropped."""
    corpus, _ = prepared("They always lie. They always lie. The enemy will pay a heavy price.",
                         "A blank side. They always lie.")
    sentences = corpus.sentences.assign(source=corpus.sentences["doc_id"].map({"d0": "Wire", "d1": ""}))
    hits = find_persuasion(sentences, corpus.tokens)
    assert "source" in hits.columns
    table = score_persuasion(hits, sentences, by="source")
    assert set(table["source"]) == {"Wire", "(none)"}
    assert table["hits"].sum() == (~hits["negated"].astype(bool)).sum()


def test_repetition_leaves_out_actor_names_and_titles():
    """Names and titles recur in any press release (vladimir putin, mr president, russian federation): no technique."""
    from corpus_tools.framing.actors import find_actors
    from corpus_tools.framing.packs import load_pack
    from corpus_tools.framing.persuasion import find_repetition
    text = " ".join(["Vladimir Putin thanked Mr President of the Russian Federation for brutal aggression."] * 3)
    corpus, sentences = prepared(text)
    mentions = find_actors(sentences, gazetteer=load_pack("russia-ukraine").actors)
    unfiltered = " ".join(find_repetition(sentences, corpus.tokens)["cue_id"])
    assert "putin" in unfiltered and "federation" in unfiltered
    kept = find_repetition(sentences, corpus.tokens, mentions=mentions)
    assert set(kept["cue_id"]) == {"repetition:brutal aggression"}
