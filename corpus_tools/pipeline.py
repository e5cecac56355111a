"""The foundation in one call: load -> clean -> segment, as every notebook starts."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

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


def prepare_corpus(source, *, text_column: str = "text", metadata=None, boilerplate=None,
                   stopwords=None, max_file_mb: float | None = None,
                   show_progress: bool | None = None) -> PreparedCorpus:
    """Load, clean and segment ``source`` (folder, paths or DataFrame); see each stage's docs."""
    kwargs = {} if max_file_mb is None else {"max_file_mb": max_file_mb}
    if not isinstance(source, pd.DataFrame):
        source = source if isinstance(source, (list, tuple)) else Path(source)
    documents, report = load_corpus(source, text_column=text_column, metadata=metadata,
                                    show_progress=show_progress, **kwargs)
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
