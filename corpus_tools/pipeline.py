"""The foundation in one call: load -> clean -> segment, as every notebook starts.

Every notebook declares the same corpus parameters (``CORPUS_PARAMETERS``) and hands them to
``open_corpus`` (notebook 05 to ``engine.process_corpus``, which takes the same names)::

    study = open_corpus(corpus_path, text_column="body", conflict="auto")
    study.corpus.sentences; study.choice.reason; study.focus(n=4); study.framing()

Within one ``run`` the notebooks share the pack choice, the costliest step every one of them repeats
(9 CPU-s of 20 on 2,000 articles), and the prepared corpus: the first to need one computes it while the
others wait (``cache.computed_once``), then they read it from the run's cache folder (``RUN_CACHE_ENV``,
set by ``run``); an entry is kept only when it reads back exactly as computed.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .clean import clean_documents
from .corpus import corpus_fingerprint, load_corpus
from .segment import segment_documents, segmentation_notes


class PreparedCorpus(NamedTuple):
    documents: pd.DataFrame  # one row per document, with clean_text
    report: pd.DataFrame  # one row per input: loaded / skipped / sidecar, with the reason (and forced splits)
    removals: pd.DataFrame  # what cleaning cut, where and by which rule
    marks: pd.DataFrame  # title / caption / repeated spans in clean_text
    sentences: pd.DataFrame
    tokens: pd.DataFrame
    fingerprint: str  # short content hash naming the corpus in figure manifests


#: The corpus parameters of every notebook's ``parameters`` cell, with their defaults (same names and
#: types everywhere; ``process`` takes them as ``--text-column`` ... ``--actors``).
CORPUS_PARAMETERS = {
    "corpus_path": "../seeds", "text_column": "text", "id_column": None, "date_column": None,
    "title_column": None, "group_column": None, "gazetteer": None, "naming_pairs": None, "conflict": "auto",
    "actors": None, "period": "auto", "event_date": None,
}


#: Environment variable naming the folder where ``Study.choice`` is kept for the other notebooks of a
#: run (``run`` sets it to the output folder's ``cache``); unset: every notebook computes its own.
RUN_CACHE_ENV = "CORPUS_TOOLS_RUN_CACHE"


class EmptyCorpus(ValueError):
    """No document was loaded; the message gives the load report's reasons."""


def require_documents(report: pd.DataFrame, source) -> None:
    """Raise ``EmptyCorpus`` when ``report`` (a load report) has no loaded input, with its reasons."""
    if len(report) and (report["status"] == "loaded").any():
        return
    skipped = report[report["status"] == "skipped"] if len(report) else report
    reasons = skipped.groupby("reason", sort=False)["input"].agg(["size", "first"]) if len(skipped) else None
    why = ("; ".join(f"{n} skipped: {reason} (e.g. {first})" for reason, (n, first) in reasons.iterrows())
           if reasons is not None else "no input file of a supported type was found")
    raise EmptyCorpus(f"0 documents loaded from {source}: {why}")


def apply_column_roles(documents: pd.DataFrame, *, id_column: str | None = None, date_column: str | None = None,
                       title_column: str | None = None) -> pd.DataFrame:
    """``documents`` with ``doc_id``, ``date`` and ``title`` taken from the named metadata columns (None:
    kept as loaded); doc_ids made unique (``~2`` ...) as the loader does. A column not in the table raises."""
    roles = {"doc_id": id_column, "date": date_column, "title": title_column}
    missing = [c for c in roles.values() if c is not None and c not in documents.columns]
    if missing and len(documents):
        raise EmptyCorpus(f"column(s) {', '.join(missing)} not in the corpus; its columns: "
                          f"{', '.join(map(str, documents.columns))}")
    out = documents.copy()
    for target, column in roles.items():
        if column is not None and column != target and column in out:
            given = out[column].where(out[column].notna() & (out[column].astype(str) != ""))
            out[target] = given.astype(str).where(given.notna(), out[target]) if target == "doc_id" else \
                given.where(given.notna(), out[target])
    if id_column is not None:
        seen: dict[str, int] = {}
        unique = []
        for doc_id in out["doc_id"]:
            seen[doc_id] = seen.get(doc_id, 0) + 1
            unique.append(doc_id if seen[doc_id] == 1 else f"{doc_id}~{seen[doc_id]}")
        out["doc_id"] = unique
    return out


def prepare_corpus(source, *, text_column: str = "text", id_column: str | None = None, date_column: str | None = None,
                   title_column: str | None = None, metadata=None, boilerplate=None, stopwords=None,
                   max_file_mb: float | None = None, show_progress: bool | None = None) -> PreparedCorpus:
    """Load, clean and segment ``source`` (folder, paths or DataFrame); see each stage's docs.
    ``id_column``/``date_column``/``title_column``: metadata columns to use as ``doc_id``/``date``/``title``."""
    kwargs = {} if max_file_mb is None else {"max_file_mb": max_file_mb}
    if not isinstance(source, pd.DataFrame):
        source = source if isinstance(source, (list, tuple)) else Path(source)
    documents, report = load_corpus(source, text_column=text_column, metadata=metadata,
                                    show_progress=show_progress, **kwargs)
    if id_column is not None or date_column is not None or title_column is not None:
        renamed = apply_column_roles(documents, id_column=id_column, date_column=date_column,
                                     title_column=title_column)
        report = report.assign(doc_id=report["doc_id"].map(dict(zip(documents["doc_id"], renamed["doc_id"]))))
        documents = renamed
    cleaned = clean_documents(documents, boilerplate=boilerplate)
    segmented = segment_documents(cleaned.documents, cleaned.marks, stopwords=stopwords,
                                  show_progress=show_progress)
    fingerprint = corpus_fingerprint(documents) if len(documents) else "empty"
    report = with_segmentation_notes(report, segmented.sentences)
    return PreparedCorpus(cleaned.documents, report, cleaned.removals, cleaned.marks,
                          segmented.sentences, segmented.tokens, fingerprint)


def with_segmentation_notes(report: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """``report`` with each loaded document's forced sentence splits (``segmentation_notes``) added to
    its ``reason``, so the load report says where segmentation failed."""
    notes = segmentation_notes(sentences)
    if notes.empty or "doc_id" not in report:
        return report
    note = report["doc_id"].map(notes.set_index("doc_id")["note"])
    has = note.notna() & (report["status"] == "loaded")
    reason = report["reason"].fillna("").astype(str)
    joined = reason.where(reason == "", reason + "; ") + note.fillna("")
    return report.assign(reason=reason.where(~has, joined))


def default_group(documents: pd.DataFrame, group_column: str | None = None) -> str | None:
    """``group_column``, or (None) 'side' or 'source' when the documents have one with more than one value."""
    if group_column is not None:
        return group_column
    return next((c for c in ("side", "source") if c in documents.columns and documents[c].nunique() > 1), None)


@dataclass(eq=False)
class Study:
    """A notebook's corpus, loaded with the shared corpus parameters: the ``corpus``, its resolved
    ``group_column``, the actor ``choice`` (``packs.resolve_pack``) and the actors to follow (``focus``)."""
    corpus: PreparedCorpus
    parameters: dict = field(default_factory=dict)
    group_column: str | None = None
    cache_dir: str | None = None  # where the pack choice is kept between the notebooks of a run (None: not kept)

    @cached_property
    def choice(self):
        """The pack used (``PackChoice``): the user's gazetteer, the ``conflict`` named, or chosen by coverage;
        read from ``cache_dir`` when a notebook of the same run computed it for the same corpus and settings."""
        from .framing.packs import resolve_pack

        p = self.parameters
        return kept_choice(self.cache_dir, self.corpus.documents, p, lambda: resolve_pack(
            self.corpus.documents, conflict=p.get("conflict", "auto"), gazetteer=p.get("gazetteer"),
            naming_pairs=p.get("naming_pairs")))

    @cached_property
    def mentions(self) -> pd.DataFrame:
        """Actor mentions of the chosen pack in the content sentences."""
        from .framing.actors import find_actors
        from .segment import content_sentences

        return find_actors(content_sentences(self.corpus.sentences), gazetteer=self.choice.pack.actors,
                           documents=self.corpus.documents)

    def focus(self, n: int = 5) -> pd.DataFrame:
        """The ``actors`` parameter resolved (``packs.focus_actors``): those named, or the ``n`` most mentioned."""
        from .framing.packs import focus_actors

        return focus_actors(self.mentions, self.parameters.get("actors"), n=n, pack=self.choice)

    @cached_property
    def documents(self) -> pd.DataFrame:
        """The corpus's documents with ``period`` (``compare.assign_periods`` by the ``period`` parameter;
        "(no date)" where the date is missing or unparseable) and, with a group column, ``group`` (its
        labels, blank values "(none)"): the document attributes every comparison by group and time uses."""
        from .compare import assign_periods
        from .tables import group_labels

        docs = assign_periods(self.corpus.documents, period=self.parameters.get("period") or "auto")
        return docs.assign(group=group_labels(docs[self.group_column])) if self.group_column else docs

    @property
    def dated(self) -> bool:
        """Whether at least two documents carry a date (a time series needs two)."""
        from .compare import NO_DATE

        return int((self.documents["period"] != NO_DATE).sum()) >= 2

    def framing(self, **kwargs):
        """``analyse_framing`` on the corpus with the chosen pack (``kwargs``: its other lexicons)."""
        from .framing.analyse import analyse_framing

        c = self.corpus
        return analyse_framing(c.documents, c.sentences, c.tokens, conflict=self.choice, **kwargs)


def kept_choice(cache_dir, documents: pd.DataFrame, parameters: dict, choose):
    """``choose()`` (a ``PackChoice``), read from ``cache_dir`` when a process of the same run chose for the
    same documents and pack settings (``choice_key``: the notebooks and notebook 05's engine share it),
    else computed once while the others wait (``cache.computed_once``) and kept. ``cache_dir`` None, or
    settings given as tables: always computed."""
    from . import cache

    key = choice_key(documents, parameters) if cache_dir else None
    if key is None:
        return choose()
    with cache.computed_once(cache_dir, f"choices/{key}"):
        kept = load_choice(cache_dir, key)
        if kept is not None:
            return kept
        choice = choose()
        store_choice(cache_dir, key, choice)
        return choice


def choice_key(documents: pd.DataFrame, parameters: dict) -> str | None:
    """The cache key of a pack choice: sha256 of the documents' ids and text hashes in order (the
    choice reads the first 5,000), the pack settings (files by path, size and modification time),
    the suite's version and the bundled packs' files; None for settings given as tables or objects."""
    from . import __version__
    from .corpus import input_signature
    from .engine import _lexicon_key
    from .framing.packs import packs_folder

    settings = {name: parameters.get(name) for name in ("conflict", "gazetteer", "naming_pairs")}
    if not all(v is None or isinstance(v, (str, Path)) for v in settings.values()):
        return None
    payload = {"documents": [documents["doc_id"].astype(str).tolist(), documents["sha256"].tolist()],
               "settings": {k: _lexicon_key(v) for k, v in settings.items()}, "version": __version__,
               "packs": input_signature(packs_folder())}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def store_choice(cache_dir, key: str, choice) -> None:
    """Keep ``choice`` (``PackChoice``) under ``cache_dir/choices/key`` (``keep_entry``)."""
    from . import cache

    pack = choice.pack
    value = {"name": choice.name, "reason": choice.reason,
             "pack": {"name": pack.name, "meta": pack.meta, "path": pack.path}}
    tables = {"table": choice.table, "actors": pack.actors, "naming": pack.naming, "sides": pack.sides}
    keep_entry(cache.cache_folder(cache_dir) / "choices" / key, tables, value,
               read_back=lambda: load_choice(cache_dir, key), same=lambda kept: _same_choice(kept, choice))


def keep_entry(folder: Path, tables: dict[str, pd.DataFrame], value, *, read_back, same) -> None:
    """Store ``tables`` and ``value`` as the cache entry ``folder`` (``cache.store_entry``: Parquet with the
    index, a sealed manifest), and keep it only when ``same(read_back())``: what another notebook reads is
    exactly what was computed. An entry that cannot be written or reads back different is dropped."""
    from . import cache

    try:
        json.dumps(value)
        cache.store_entry(folder, tables, value, write=lambda table, path: table.to_parquet(path))  # index kept
        if same(read_back()):
            return
    except (TypeError, ValueError, OSError, ImportError):  # pyarrow refuses a mixed-type column: a ValueError
        pass
    (folder / cache.MANIFEST).unlink(missing_ok=True)  # an entry without its manifest is never read


def _same_tables(pairs) -> bool:
    """Whether each pair of tables is identical: values (None is not NaN), dtypes, columns and index."""
    try:
        for a, b in pairs:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
    except AssertionError:
        return False
    return True


def _missing_marker(column: pd.Series) -> str:
    """How an object column marks its missing values, for ``_with_objects``: "nan" or "none" (only the
    missing values are looked at, so a column of a million strings is not walked value by value)."""
    missing = column[column.isna()]
    return "nan" if missing.map(lambda v: isinstance(v, float)).any() else "none"


def _with_objects(table: pd.DataFrame, missing: dict[str, str]) -> pd.DataFrame:
    """``table`` read from Parquet with its object columns restored: ``missing`` maps each to the marker
    its missing values had ("none" or "nan"; Parquet gives str columns and None)."""
    out = table.astype(dict.fromkeys(missing, object))
    for column, marker in missing.items():
        out[column] = out[column].where(out[column].notna(), np.nan if marker == "nan" else None)
    return out


def load_choice(cache_dir, key: str):
    """The ``PackChoice`` kept under ``key`` by ``store_choice``, or None (also when its entry fails
    the cache's checks)."""
    from . import cache
    from .framing.packs import Pack, PackChoice

    entry = cache.load_entry(Path(cache_dir), f"choices/{key}")
    if entry is None:
        return None
    tables, value = entry
    pack = Pack(value["pack"]["name"], tables["actors"], tables["naming"], tables["sides"], value["pack"]["meta"],
                value["pack"]["path"])
    return PackChoice(value["name"], pack, value["reason"], tables["table"])


def _same_choice(kept, choice) -> bool:
    """Whether two ``PackChoice`` are equal: names, reason, meta, path and every table (values and dtypes)."""
    if kept is None:
        return False
    pairs = [(kept.table, choice.table), (kept.pack.actors, choice.pack.actors),
             (kept.pack.naming, choice.pack.naming), (kept.pack.sides, choice.pack.sides)]
    return _same_tables(pairs) and (kept.name, kept.reason, kept.pack.name, kept.pack.meta, kept.pack.path) == \
        (choice.name, choice.reason, choice.pack.name, choice.pack.meta, choice.pack.path)


def prepared_entry(corpus_path, options: dict) -> str | None:
    """The cache entry (``prepared/<sha256>``) of the prepared corpus of these input files (paths, sizes,
    modification times), ``options`` (``prepare_corpus``'s), bundled lexicons and suite version; None
    for a corpus given as a table."""
    from . import cache
    from .corpus import input_signature

    signature = None if isinstance(corpus_path, pd.DataFrame) else input_signature(corpus_path)
    if signature is None:
        return None
    settings = {"prepared corpus": options, "lexicons": input_signature(Path(__file__).parent / "lexicons")}
    return f"prepared/{cache.entry_name(signature, settings)}"


def kept_corpus(cache_dir, corpus_path, **options) -> PreparedCorpus:
    """``prepare_corpus(corpus_path, **options)``, read from ``cache_dir`` when a notebook of the same run
    prepared the same files with the same options (``prepared_entry``), else computed and kept there
    (``keep_entry``); notebooks asking at the same time prepare it once (``cache.computed_once``).
    ``cache_dir`` None: always computed."""
    from . import cache

    entry = prepared_entry(corpus_path, {k: v for k, v in options.items() if k != "show_progress"}) \
        if cache_dir else None

    def read():
        kept = cache.load_entry(cache.cache_folder(cache_dir), entry)
        if kept is None:
            return None
        tables, value = kept
        return PreparedCorpus(**{name: _with_objects(table, value["object_columns"][name])
                                 for name, table in tables.items()}, fingerprint=value["fingerprint"])

    if not entry:
        return prepare_corpus(corpus_path, **options)
    with cache.computed_once(cache_dir, entry):
        kept = read()
        if kept is not None:
            return kept
        corpus = prepare_corpus(corpus_path, **options)
        tables = {name: getattr(corpus, name) for name in PreparedCorpus._fields if name != "fingerprint"}
        objects = {name: {str(c): _missing_marker(table[c]) for c in table.columns[table.dtypes == object]}
                   for name, table in tables.items()}
        keep_entry(Path(cache_dir) / entry, tables, {"fingerprint": corpus.fingerprint, "object_columns": objects},
                   read_back=read, same=lambda back: back is not None and back.fingerprint == corpus.fingerprint
                   and _same_tables((getattr(back, name), table) for name, table in tables.items()))
        return corpus


def open_corpus(corpus_path, *, text_column: str = "text", id_column: str | None = None,
                date_column: str | None = None, title_column: str | None = None, group_column: str | None = None,
                gazetteer=None, naming_pairs=None, conflict="auto", actors=None, period: str = "auto",
                event_date=None, max_file_mb: float | None = None, show_progress: bool | None = None,
                cache_dir=None) -> Study:
    """``prepare_corpus`` with the notebooks' corpus parameters (``CORPUS_PARAMETERS``); raises
    ``EmptyCorpus`` with the load report's reasons when no document loads. ``cache_dir``: where the
    prepared corpus and the pack choice are kept for the other notebooks of a run (``kept_corpus``,
    ``Study.choice``; default: the ``RUN_CACHE_ENV`` folder, else not kept)."""
    if isinstance(actors, str):
        actors = [actors]
    cache_dir = cache_dir or os.environ.get(RUN_CACHE_ENV) or None
    corpus = kept_corpus(cache_dir, corpus_path, text_column=text_column, id_column=id_column, date_column=date_column,
                         title_column=title_column, max_file_mb=max_file_mb, show_progress=show_progress)
    require_documents(corpus.report, corpus_path)
    parameters = {"corpus_path": corpus_path, "text_column": text_column, "id_column": id_column,
                  "date_column": date_column, "title_column": title_column, "gazetteer": gazetteer,
                  "naming_pairs": naming_pairs, "conflict": conflict, "actors": actors, "period": period,
                  "event_date": event_date}
    return Study(corpus, parameters, default_group(corpus.documents, group_column),
                 None if cache_dir is None else str(cache_dir))
