"""The test corpora of other conflicts (tests/data/conflicts/): paths, loading parameters, hand annotations.

Each corpus is fictional text written for the tests (see tests/data/conflicts/README.md) in a different
input format, with its text in a column that is not called ``text`` where the format has columns::

    from tests.conflict_corpora import CORPORA, corpus_path, load_conflict_corpus, load_expected

    docs, report = load_conflict_corpus("russia_ukraine")  # load_corpus(corpus_path(..), text_column="body")
    expected = load_expected("russia_ukraine")                 # expected.json as a dict
    expected["documents"]["ua_03"]["context_names"]            # "the President" ... -> actor id or None

Documents in ``expected["documents"]`` are keyed by the ``doc_id`` the suite's loader gives them
(the ``id`` column of the CSV/JSONL, the file stem of a .txt).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

CONFLICTS = Path(__file__).resolve().parent / "data" / "conflicts"

#: Loading parameters per corpus. ``source`` is relative to tests/data/conflicts/<name>/; the other keys
#: name columns of the loaded documents table (``id_column``: where the source keeps the document id,
#: which the loader turns into ``doc_id``; for .txt files the sidecar's ``filename``, whose stem is the id).
CORPORA: dict[str, dict] = {
    "russia_ukraine": {
        "source": "articles.csv", "format": "csv", "text_column": "body", "id_column": "id",
        "date_column": "date", "group_column": "side", "title_column": "title",
        "sides": ("kremlin", "ua_presidency", "wire"), "event_date": "2022-02-24", "n_documents": 12,
    },
    "ethiopia_tigray": {
        "source": "docs", "format": "txt+metadata.csv", "text_column": "text", "id_column": "filename",
        "date_column": "date", "group_column": "side", "title_column": "title",
        "sides": ("gov", "tplf", "wire"), "event_date": None, "n_documents": 8,
    },
    "israel_gaza": {
        "source": "articles.jsonl", "format": "jsonl", "text_column": "content", "id_column": "id",
        "date_column": "date", "group_column": "side", "title_column": "title",
        "sides": ("idf", "palestinian_mfa", "wire"), "event_date": "2023-10-07", "n_documents": 7,
    },
}

#: Context names whose every occurrence in a corpus is annotated in expected.json (``context_names``).
CONTEXT_NAME = re.compile(r"\b[Tt]he (?:President|Government|Prime Minister|Head of State)\b")
PRONOUNS = frozenset({"he", "she", "they", "him", "her", "it", "we", "i", "you"})


def corpus_path(name: str) -> Path:
    """What to pass to ``corpus_tools.corpus.load_corpus`` (a file, or the folder of .txt files)."""
    return CONFLICTS / name / CORPORA[name]["source"]


@lru_cache(maxsize=None)
def _expected_text(name: str) -> str:
    return (CONFLICTS / name / "expected.json").read_text(encoding="utf-8")


def load_expected(name: str) -> dict:
    """The hand annotations of corpus ``name`` (a fresh dict each call)."""
    return json.loads(_expected_text(name))


def load_params(name: str) -> dict:
    """The keyword arguments of ``load_corpus`` for corpus ``name``."""
    return {"text_column": CORPORA[name]["text_column"]}


def load_conflict_corpus(name: str, **kwargs):
    """``load_corpus(corpus_path(name), text_column=...)``: the suite's own loader, nothing else."""
    from corpus_tools.corpus import load_corpus

    return load_corpus(corpus_path(name), **{**load_params(name), "show_progress": False, **kwargs})


def open_study(name: str, **kwargs):
    """``pipeline.open_corpus`` on the bundled seed (``"seed"``) or on conflict corpus ``name`` with its text,
    date and group columns, as a user of the notebooks opens it; ``kwargs`` go to ``open_corpus``."""
    from corpus_tools.pipeline import open_corpus
    from tests.helpers import SEEDS

    if name == "seed":
        return open_corpus(SEEDS, show_progress=False, **kwargs)
    spec = CORPORA[name]
    columns = {key: spec[key] for key in ("text_column", "date_column", "group_column")}
    return open_corpus(corpus_path(name), **columns, show_progress=False, **kwargs)


def documents_by_id(name: str) -> dict[str, dict]:
    """The loaded documents of corpus ``name`` as ``{doc_id: row dict}``."""
    docs, _ = load_conflict_corpus(name)
    return {row["doc_id"]: row for row in docs.to_dict("records")}


def all_names() -> list[str]:
    return list(CORPORA)


def annotation_cases(field: str, misses: dict):
    """One pytest param ``(name, doc_id, i)`` per entry of ``documents.*.<field>`` in every corpus's
    expected.json; the entries in ``misses`` (keyed by that triple, valued by the reason) are strict xfails."""
    import pytest

    for name in all_names():
        for doc_id, doc in load_expected(name)["documents"].items():
            for i, _ in enumerate(doc[field]):
                marks = [pytest.mark.xfail(reason=misses[name, doc_id, i], strict=True)] \
                    if (name, doc_id, i) in misses else []
                yield pytest.param(name, doc_id, i, id=f"{name}-{doc_id}-{i}", marks=marks)
