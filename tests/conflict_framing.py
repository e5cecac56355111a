"""The framing layers on the test corpora of other conflicts (tests/conflict_corpora.py), with the
gazetteer a user would pass for each, and the hand annotations mapped onto that gazetteer's actors.

russia_ukraine and israel_gaza use their bundled packs. No pack covers ethiopia_tigray, so it gets
the gazetteer its user would write: one row per annotated actor with its aliases, and the titles
the four office-holders hold (the only column the annotations do not give).
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from corpus_tools.framing.actors import alias_cues, find_actors, load_gazetteer
from corpus_tools.framing.attribution import find_attributions
from corpus_tools.framing.cues import normalise
from corpus_tools.framing.packs import load_pack
from corpus_tools.pipeline import prepare_corpus
from corpus_tools.segment import content_sentences
from tests.conflict_corpora import CORPORA, corpus_path, load_expected

PACKS = {"russia_ukraine": "russia-ukraine", "israel_gaza": "israel-palestine"}
#: What the ethiopia_tigray user writes in the ``title`` column of their gazetteer.
TIGRAY_TITLES = {"abiy": "Prime Minister", "sahlework": "President", "isaias": "President",
                 "debretsion": "President"}


def user_gazetteer(name: str) -> pd.DataFrame:
    """A user's gazetteer from the annotated actors of corpus ``name`` (aliases as the texts write them)."""
    rows = [{"actor_id": actor_id, "canonical": a["canonical"], "aliases": "|".join(a["aliases"]),
             "type": a["type"], "side": a["side"] or "other", "title": TIGRAY_TITLES.get(actor_id, "")}
            for actor_id, a in load_expected(name)["actors"].items()]
    return pd.DataFrame(rows)


@lru_cache(maxsize=None)
def gazetteer(name: str) -> pd.DataFrame:
    """The gazetteer corpus ``name`` is analysed with (its pack, else ``user_gazetteer``)."""
    return load_gazetteer(load_pack(PACKS[name]).actors if name in PACKS else user_gazetteer(name)).table


@lru_cache(maxsize=None)
def analysed(name: str):
    """``(corpus, sentences, mentions, quotes, attributions)`` of corpus ``name`` with its gazetteer."""
    corpus = prepare_corpus(corpus_path(name), text_column=CORPORA[name]["text_column"], show_progress=False)
    sentences = content_sentences(corpus.sentences)
    mentions = find_actors(sentences, gazetteer=gazetteer(name), documents=corpus.documents)
    quotes, attributions = find_attributions(corpus.documents, sentences, mentions)
    return corpus, sentences, mentions, quotes, attributions


@lru_cache(maxsize=None)
def actor_map(name: str) -> dict[str, set]:
    """Annotated actor id -> the gazetteer actor ids its aliases name (explicit aliases only)."""
    cues, candidates = alias_cues(gazetteer(name))
    plain = candidates[candidates["context"] != "document"].merge(cues[["cue_id", "pattern"]], on="cue_id")
    by_alias = plain.groupby(plain["pattern"].map(normalise))["actor_id"].agg(set).to_dict()
    return {actor_id: set().union(*(by_alias.get(normalise(a), set()) for a in a_["aliases"]))
            for actor_id, a_ in load_expected(name)["actors"].items()}


def canonical_of(name: str, actor_id: str | None) -> set:
    """The canonical names the gazetteer gives the annotated actor (empty for None)."""
    ids = actor_map(name).get(actor_id, set()) if actor_id else set()
    table = gazetteer(name)
    return set(table.loc[table["actor_id"].isin(ids), "canonical"])


def sentence_span(name: str, doc_id: str, text: str) -> tuple[int, int]:
    """Offsets of ``text`` in the clean text of ``doc_id``."""
    corpus = analysed(name)[0]
    clean = corpus.documents.set_index("doc_id").at[doc_id, "clean_text"]
    at = clean.find(text)
    assert at >= 0, (doc_id, text)
    return at, at + len(text)


def speaker_matches(name: str, actor, speaker, expected_id) -> bool:
    """Whether an attribution's ``actor`` (or, for an annotated actor the gazetteer lacks, its ``speaker``
    words) is the annotated speaker ``expected_id``."""
    known = canonical_of(name, expected_id)
    if known:
        return actor in known
    annotated = load_expected(name)["actors"][expected_id]
    return pd.isna(actor) and speaker in {annotated["canonical"], *annotated["aliases"]}
