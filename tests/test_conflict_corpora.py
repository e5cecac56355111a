"""The test corpora of other conflicts load with the suite's loader, and their hand annotations
(expected.json) point at text that exists. No analysis is tested here (see tests/data/conflicts/README.md)."""
import json
import re
import warnings

import pandas as pd
import pytest

from corpus_tools.corpus import load_corpus
from corpus_tools.segment import split_sentences

from tests.conflict_corpora import (CONFLICTS, CONTEXT_NAME, CORPORA, PRONOUNS, corpus_path, documents_by_id,
                                    load_conflict_corpus, load_expected)

NAMES = list(CORPORA)
WORDS = re.compile(r"\b[\w'-]+\b")
SEED_LEXICON = CONFLICTS.parent.parent.parent / "corpus_tools" / "lexicons" / "framing_actors.csv"


def references(doc: dict):
    """``(section, entry)`` of every annotation in a document's block that names a sentence."""
    for section in ("context_names", "speakers", "roles"):
        for entry in doc[section]:
            yield section, entry


def sentences_of(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in split_sentences(text)]


def paragraphs_of(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


@pytest.fixture(scope="module", params=NAMES)
def corpus(request):
    name = request.param
    docs, report = load_conflict_corpus(name)
    return name, docs, report, load_expected(name)


def test_every_document_loads_with_the_suites_loader(corpus):
    name, docs, report, expected = corpus
    assert len(docs) == CORPORA[name]["n_documents"] == len(expected["documents"])
    assert (report["status"] == "loaded").sum() == len(docs)
    others = report[report["status"] != "loaded"]
    assert others["input"].map(lambda p: p.endswith("metadata.csv")).all(), others  # only the sidecar
    assert not docs["is_duplicate"].any()
    assert sorted(docs["doc_id"]) == sorted(expected["documents"])
    for doc_id, block in expected["documents"].items():
        assert docs.set_index("doc_id").loc[doc_id, "title"] == block["title"]


def test_the_text_is_in_the_named_column_not_text(corpus):
    name, docs, _, expected = corpus
    params = CORPORA[name]
    assert expected["load"]["text_column"] == params["text_column"]
    assert docs["text"].str.len().gt(0).all()
    path = corpus_path(name)
    if params["format"] == "csv":
        header = pd.read_csv(path, nrows=0).columns.tolist()
        assert header == ["id", "date", "side", "title", "body"]
    elif params["format"] == "jsonl":
        first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        assert list(first) == ["id", "date", "side", "title", "content"]
    else:  # .txt files: the text is the file, metadata in the sidecar
        assert (path / "metadata.csv").is_file()
        sidecar = pd.read_csv(path / "metadata.csv", dtype=str)
        assert sidecar.columns.tolist() == ["filename", "date", "side", "title"]
        assert sorted(sidecar["filename"]) == sorted(p.name for p in path.glob("*.txt"))
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        default_docs, default_report = load_corpus(path, show_progress=False)
    assert default_docs.empty, "the corpus must need text_column= (its text column is not called 'text')"
    assert default_report["reason"].str.contains("missing text column").any()


def test_dates_parse_and_lie_in_range_spanning_the_event(corpus):
    name, docs, _, expected = corpus
    dates = pd.to_datetime(docs[CORPORA[name]["date_column"]], format="%Y-%m-%d")
    low, high = (pd.Timestamp(d) for d in expected["date_range"])
    assert dates.between(low, high).all()
    event = CORPORA[name]["event_date"]
    assert event == expected["event_date"]
    if event:
        assert (dates < pd.Timestamp(event)).any() and (dates >= pd.Timestamp(event)).any()


def test_sides_present(corpus):
    name, docs, _, expected = corpus
    counts = docs[CORPORA[name]["group_column"]].value_counts()
    assert set(counts.index) == set(CORPORA[name]["sides"]) == set(expected["sides"])
    assert counts.min() >= 2


def test_documents_are_short_news_texts(corpus):
    name, docs, _, _ = corpus
    low = 120 if name == "russia_ukraine" else 90
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        assert low <= len(WORDS.findall(text)) <= 350, doc_id


def test_every_referenced_sentence_exists(corpus):
    _, docs, _, expected = corpus
    texts = dict(zip(docs["doc_id"], docs["text"]))
    for doc_id, block in expected["documents"].items():
        text = texts[doc_id]
        sentences, paragraphs = sentences_of(text), paragraphs_of(text)
        for section, entry in references(block):
            sentence = entry["sentence"]
            assert sentence in text, (doc_id, section, sentence)
            assert any(sentence in p for p in paragraphs), (doc_id, "crosses a paragraph", sentence)
            if section != "speakers":  # resolution and roles are per sentence: one sentence of the segmenter
                assert any(sentence in s for s in sentences), (doc_id, section, "not one sentence", sentence)


def test_context_names_cover_every_occurrence_and_name_the_antecedent(corpus):
    _, docs, _, expected = corpus
    texts = dict(zip(docs["doc_id"], docs["text"]))
    actors = expected["actors"]
    for doc_id, text in texts.items():
        block = expected["documents"][doc_id]
        for sentence in sentences_of(text):
            found = len(CONTEXT_NAME.findall(sentence))
            annotated = [e for e in block["context_names"]
                         if e["sentence"] in sentence and CONTEXT_NAME.match(e["phrase"])]
            assert found == len(annotated), (doc_id, sentence)
        for entry in block["context_names"]:
            assert entry["phrase"] in entry["sentence"]
            target = entry["resolves_to"]
            position = text.index(entry["sentence"])
            if target is None:
                titled = [a for a in actors.values()
                          if any(alias.startswith("President ") for alias in a["aliases"])]
                for person in titled:
                    assert not any(re.search(rf"\b{re.escape(alias)}\b", text) for alias in person["aliases"]
                                   if not alias.startswith("the ")), (doc_id, person["canonical"])
                continue
            assert target in actors, target
            explicit = [alias for alias in actors[target]["aliases"] if not CONTEXT_NAME.fullmatch(alias)]
            head = text[:position + len(entry["sentence"])]
            assert any(alias in head for alias in explicit), (doc_id, entry["phrase"], "no antecedent")


def test_the_president_means_different_people_in_different_documents(corpus):
    name, _, _, expected = corpus
    targets = [e["resolves_to"] for block in expected["documents"].values() for e in block["context_names"]
               if e["phrase"].lower() == "the president"]
    assert len({t for t in targets if t}) >= 2
    if name == "russia_ukraine":
        assert None in targets


def test_speakers_are_actors_never_pronouns(corpus):
    _, docs, _, expected = corpus
    texts = dict(zip(docs["doc_id"], docs["text"]))
    actors = expected["actors"]
    kinds = set()
    for doc_id, block in expected["documents"].items():
        for entry in block["speakers"]:
            kinds.add(entry["kind"])
            speaker = entry["speaker"]
            assert speaker is None or speaker in actors, speaker
            assert speaker is None or speaker.lower() not in PRONOUNS
            if entry["kind"] == "pronoun":
                assert speaker is not None
                assert entry["surface"].split()[0].lower() in PRONOUNS
            if entry["kind"] == "turn":
                label = entry["sentence"].split(":", 1)[0]
                assert re.search(rf"(?m)^{re.escape(entry['sentence'])}", texts[doc_id]), "not a line start"
                if speaker is None:
                    assert label == "Question"
                else:
                    assert label in actors[speaker]["aliases"]
    assert {"said", "pronoun"} <= kinds


def test_roles_and_actors_are_consistent(corpus):
    _, docs, _, expected = corpus
    texts = dict(zip(docs["doc_id"], docs["text"]))
    actors, vocabulary = expected["actors"], set(expected["roles_vocabulary"])
    for key, spec in actors.items():
        assert spec["parent"] is None or spec["parent"] in actors, key
    for doc_id, block in expected["documents"].items():
        for entry in block["roles"]:
            for field in ("expected", "must_not", "if_pronoun_resolved"):
                for actor, role in entry.get(field, {}).items():
                    assert actor in actors and role in vocabulary, (doc_id, actor, role)
            for actor, role in entry["expected"].items():
                assert entry["must_not"].get(actor) != role, (doc_id, actor)
        for item in block["actors"]:
            aliases = {a.lower() for a in actors[item["actor"]]["aliases"]}
            for form in item["forms"]:
                assert form in texts[doc_id], (doc_id, form)
                assert form.lower() in aliases, (doc_id, item["actor"], form)
        for naming in block["naming"]:
            assert naming["term"] in texts[doc_id], (doc_id, naming["term"])
    present = {item["actor"] for block in expected["documents"].values() for item in block["actors"]}
    assert set(expected["top_actors"]) <= present


def test_no_seed_actor_is_named_and_the_traps_are_there(corpus):
    _, docs, _, expected = corpus
    corpus_text = "\n".join(docs["text"]) + "\n" + "\n".join(docs["title"])
    for name in expected["seed_absent"]["names"]:
        assert not re.search(rf"\b{re.escape(name)}\b", corpus_text), name
    for term in expected["seed_absent"]["seed_terms_present"]:
        assert term in corpus_text, term
    seed_ids = set(pd.read_csv(SEED_LEXICON)["actor_id"])
    assert set(expected["seed_absent"]["actor_ids"]) <= seed_ids
    assert not set(expected["seed_absent"]["actor_ids"]) & set(expected["actors"])


def test_russia_ukraine_has_what_issue_13_asks_for():
    docs = documents_by_id("russia_ukraine")
    text = "\n".join(d["text"] for d in docs.values())
    for turn in ("Vladimir Putin: ", "Volodymyr Zelenskyy: ", "Question: "):
        assert re.search(rf"(?m)^{turn}", text), turn
    for phrase in ("They kill children and destroy maternity hospitals",
                   "bring the President of the Russian Federation to the negotiating table",
                   "Kyiv withstood another missile strike", "The Kremlin said", "were attacked by",
                   "did not attack", "accused Russia of attacking", "Russian forces", "Ukrainian troops",
                   "Kyiv", "Kiev", "Donbas", "Donbass", "Kharkiv", "Kharkov", "Zelensky", "Zelenskyy",
                   "special military operation", "invasion", "war", "liberated", "occupied",
                   "UN", "NATO", "ICRC", "OSCE", "civilians", "refugees", "children", "Moscow"):
        assert re.search(rf"\b{re.escape(phrase)}\b", text), phrase
    for doc_id, doc in docs.items():
        first = re.search(r"\b[Tt]he President\b", doc["text"])
        if doc["side"] in ("kremlin", "ua_presidency") and first:
            president = "Putin" if doc["side"] == "kremlin" else "Zelenskyy"
            assert president in doc["text"][:first.start()], doc_id


def test_ethiopia_has_two_presidents_metonyms_and_contested_names():
    docs = documents_by_id("ethiopia_tigray")
    text = "\n".join(d["text"] for d in docs.values())
    for phrase in ("Addis Ababa", "Mekelle said", "Prime Minister Abiy Ahmed", "the Prime Minister",
                   "Abiy said",
                   "Debretsion Gebremichael", "President Isaias Afwerki", "President Sahle-Work Zewde",
                   "Eritrean troops", "federal forces", "Tigrayan forces", "law enforcement operation",
                   "genocidal war", "TPLF junta", "Tigray Defence Forces"):
        assert phrase in text, phrase
    assert re.search(r"(?m)^Abiy Ahmed: ", text) and re.search(r"(?m)^Question: ", text)
