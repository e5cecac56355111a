"""Actors: gazetteer aliases, longest match, diacritics, context resolution, candidates, any entity list."""
import pandas as pd
import pytest

from corpus_tools.framing.actors import find_actors, gazetteer_from_entities, load_gazetteer, suggest_actors
from corpus_tools.lexicons import LexiconError
from tests.framing_helpers import prepared


def test_aliases_map_to_one_actor_longest_first_and_diacritics_folded():
    _, sentences = prepared("President İlham Aliyev spoke in Baku. The Armed Forces of the Republic of Azerbaijan "
                            "and the Armed Forces of the Republic of Armenia met. Yerevan and Pashinyan replied.")
    mentions = find_actors(sentences)
    assert mentions["actor_id"].tolist() == ["az_president", "az_state", "az_armed_forces", "am_armed_forces",
                                             "am_state", "am_pm"]
    assert mentions["matched"].iloc[0] == "President İlham Aliyev"


def test_context_alias_resolved_by_document_majority_and_metadata():
    text_az = "Azerbaijan and Baku agreed. The Foreign Ministry said so."
    text_am = "Yerevan said Armenia agreed. The Foreign Ministry said so."
    _, sentences = prepared(text_az, text_am)
    mentions = find_actors(sentences)
    ministry = mentions[mentions["matched"] == "Foreign Ministry"].set_index("doc_id")
    assert ministry.loc["d0", "actor_id"] == "az_mfa" and ministry.loc["d1", "actor_id"] == "am_mfa"
    assert set(ministry["resolved"]) == {"document majority"}
    # metadata side beats the mention majority
    corpus, sentences = prepared(text_az, ids=["x"], side=["am"])
    mentions = find_actors(sentences, documents=corpus.documents)
    row = mentions[mentions["matched"] == "Foreign Ministry"].iloc[0]
    assert (row["actor_id"], row["resolved"]) == ("am_mfa", "metadata side")
    # a tie with no metadata stays ambiguous
    _, sentences = prepared("Armenia and Azerbaijan met. The Foreign Ministry said so.")
    assert find_actors(sentences).query("matched == 'Foreign Ministry'")["resolved"].item() == "ambiguous"


def test_any_entity_list_with_surname_heads():
    gaz = gazetteer_from_entities(["Republican Rep. Matt Gaetz", "climate change", "Matt Gaetz"])
    assert gaz["aliases"].tolist()[0] == "Republican Rep. Matt Gaetz"  # head 'Gaetz' shared by two: left out
    _, sentences = prepared("Gaetz said climate change is real. Matt Gaetz agreed.")
    mentions = find_actors(sentences, gazetteer=["Matt Gaetz", "climate change"])
    assert mentions["canonical"].tolist() == ["Matt Gaetz", "climate change", "Matt Gaetz"]


def test_candidate_actors_recur_and_skip_known_names():
    corpus, sentences = prepared("The Lachin Corridor was closed. Azerbaijan said the Lachin Corridor is open. "
                                 "On Monday the Lachin Corridor reopened. Monday came.")
    mentions = find_actors(sentences)
    candidates = suggest_actors(corpus.tokens, mentions, min_count=2)
    assert candidates["candidate"].tolist() == ["Lachin Corridor"]
    assert candidates["mentions"].item() == 3


def test_candidates_at_positions_equal_suggest_actors_on_those_tokens():
    import numpy as np
    from corpus_tools.framing.actors import candidates_at
    corpus, sentences = prepared("The Lachin Corridor was closed. Azerbaijan said the Lachin Corridor is open. "
                                 "On Monday the Bank of Baku and Lachin Corridor reopened.",
                                 "Ministry of Defence of Armenia said. The Ministry of Defence and Lachin Corridor.")
    mentions = find_actors(sentences)
    rng = np.random.default_rng(4)
    for rows in (np.arange(len(corpus.tokens)), np.flatnonzero(rng.random(len(corpus.tokens)) < 0.8),
                 np.arange(5, 30), np.zeros(0, dtype=np.int64)):
        expected = suggest_actors(corpus.tokens.take(rows).reset_index(drop=True), mentions, min_count=1)
        assert len(rows) < 30 or len(expected) >= 2
        pd.testing.assert_frame_equal(candidates_at(corpus.tokens, rows, mentions, min_count=1), expected)


def test_gazetteer_validation_names_file_and_line(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("actor_id,canonical,aliases,type,side\na,A,Alpha,state,x\na,A2,Beta,state,y\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="line 3: duplicate actor_id 'a'"):
        load_gazetteer(path)
    path.write_text("actor_id,canonical,aliases,type\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="missing column"):
        load_gazetteer(path)


def test_empty_inputs():
    _, sentences = prepared("Nothing here.")
    assert find_actors(sentences).empty
    assert find_actors(sentences.iloc[0:0]).columns.tolist()[:3] == ["doc_id", "sent_id", "start"]
    assert find_actors(sentences, gazetteer=pd.DataFrame(columns=["actor_id", "canonical", "aliases", "type",
                                                                  "side"])).empty


def _mentions_reference(hits, candidates, documents=None, side_column="side"):
    """The merge reading of ``mentions_from_hits`` (what it computed before it picked candidates by position)."""
    import numpy as np
    from corpus_tools.framing.actors import MENTION_COLUMNS, _document_sides
    hits = hits.reset_index(drop=True).reset_index(names="hit")
    merged = hits[["hit", "doc_id", "sent_id", "start", "end", "matched", "sentence", "cue_id"]].merge(
        candidates, on="cue_id", how="left")
    n_candidates = merged.groupby("hit")["actor_id"].transform("size")
    merged["resolved"] = np.where(n_candidates == 1, "unique", "")
    merged = merged.merge(_document_sides(merged[n_candidates == 1], documents, side_column), on="doc_id", how="left")
    chosen, multi = merged[n_candidates == 1], merged[n_candidates > 1]
    if not multi.empty:
        fits = multi[multi["side"] == multi["doc_side"]].drop_duplicates("hit")
        rest = multi[~multi["hit"].isin(fits["hit"])].drop_duplicates("hit").assign(resolved="ambiguous")
        chosen = pd.concat([chosen, fits.assign(resolved=fits["side_source"]), rest])
    return chosen.sort_values("hit")[MENTION_COLUMNS].reset_index(drop=True)


def test_mentions_from_hits_equals_the_merge_reading():
    """Context aliases with three candidates (the second or third fits), sides from metadata, from the
    majority and from neither, a cue with no candidate, documents listed in another order."""
    import numpy as np
    from corpus_tools.framing.actors import mentions_from_hits
    rng = np.random.default_rng(9)
    candidates = pd.DataFrame({"cue_id": ["c0", "c1", "c1", "c1", "c2", "c3", "c3"],
                               "actor_id": ["a", "b", "c", "d", "e", "f", "g"],
                               "canonical": ["A", "B", "C", "D", "E", "F", "G"], "type": "state",
                               "side": ["az", "am", "az", "x", "am", "", "az"], "context": ""}).astype("str")
    n = 120
    hits = pd.DataFrame({"doc_id": rng.choice(["d3", "d1", "d2", "d4"], n), "sent_id": rng.integers(0, 3, n),
                         "start": np.arange(n), "end": np.arange(n) + 1, "matched": "m", "sentence": "s",
                         "cue_id": rng.choice(["c0", "c1", "c2", "c3", "c9"], n)}).astype({"doc_id": "str"})
    documents = pd.DataFrame({"doc_id": ["d4", "d2", "d1", "d3"], "side": ["am", "", None, "x"]}).astype("str")
    for docs in (None, documents, documents.drop(columns="side")):
        for part in (hits, hits.iloc[:5], hits[hits["cue_id"] != "c0"]):
            pd.testing.assert_frame_equal(mentions_from_hits(part, candidates, documents=docs),
                                          _mentions_reference(part, candidates, documents=docs), check_exact=True)
