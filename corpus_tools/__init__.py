"""corpus_tools: load, clean and analyse news text for framing research, offline."""
from .clean import Cleaned, clean_documents, match_form
from .corpus import Corpus, corpus_fingerprint, load_corpus
from .segment import Segmented, content_sentences, segment_documents

__version__ = "0.2.0"

__all__ = ["Cleaned", "Corpus", "Segmented", "clean_documents", "content_sentences",
           "corpus_fingerprint", "load_corpus", "match_form", "segment_documents", "__version__"]
