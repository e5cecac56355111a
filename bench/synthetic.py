"""A deterministic synthetic news corpus for benchmarks (never committed; generated on demand).

Documents of about ``words_per_doc`` words are built from sentence templates
that behave like conflict news (actors, reporting verbs, quotes, numbers,
dates, abbreviations) filled from small vocabularies, plus filler words drawn
with Zipfian frequencies from wordfreq's English list, so that vocabulary
growth and type/token ratios look like real text. Same arguments, same corpus.

    from bench.synthetic import synthetic_corpus
    docs = synthetic_corpus(10_000)          # DataFrame: doc_id, title, text, side, source, date
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ACTORS = ["Azerbaijan", "Armenia", "Baku", "Yerevan", "the Foreign Ministry", "the Defence Ministry",
          "President Ilham Aliyev", "Prime Minister Nikol Pashinyan", "the UN Security Council", "Russia",
          "the European Union", "the U.S. State Department", "Turkey", "Iran", "the OSCE Minsk Group",
          "Armenian forces", "Azerbaijani troops", "displaced families", "local residents", "the government"]
VERBS = ["accused", "urged", "warned", "welcomed", "condemned", "praised", "blamed", "called on", "rejected",
         "supported", "criticised", "thanked", "threatened", "invited", "reassured"]
OBJECTS = ["the peace process", "the ceasefire", "the border commission", "the Lachin corridor",
           "the negotiations", "international law", "territorial integrity", "the humanitarian situation",
           "the reconstruction of the region", "the return of refugees", "the prisoners of war",
           "the demining effort", "the transport links", "the Zangezur corridor", "the trilateral statement"]
REPORTING = ["said", "stated", "stressed", "noted", "claimed", "told reporters", "added", "alleged"]
SOURCES = {"az": ["Baku Daily", "Caspian Wire", "Azer News Agency"],
           "am": ["Yerevan Times", "Ararat Wire", "Armenian Herald"],
           "intl": ["Global Wire", "Euro Observer"]}
TEMPLATES = [
    "{A} {V} {B} over {O} on {D}.",
    "“We are committed to {O}, and we expect {B} to respect it”, {A} {R}.",
    "According to {A}, {n} people were affected by {O} since {M}.",
    "{A} {R} that {O} would be discussed with {B} in Brussels on Nov. 10.",
    "In a statement, {A} {V} {B}, saying that {O} was at stake.",
    "{A} and {B} met in Moscow to discuss {O}, officials said.",
    "The talks on {O} ended without agreement after {n} hours, {A} {R}.",
    "Dr. Smith of the U.N. mission said {O} had cost about {n} million dollars.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _filler_vocabulary(size: int = 20_000):
    from wordfreq import top_n_list, word_frequency

    words = [w for w in top_n_list("en", size) if w.isalpha()]
    weights = np.array([word_frequency(w, "en") for w in words])
    return np.array(words), weights / weights.sum()


def synthetic_corpus(n_docs: int, *, words_per_doc: int = 600, seed: int = 0) -> pd.DataFrame:
    """``n_docs`` synthetic articles (deterministic for a given ``seed``)."""
    rng = np.random.default_rng(seed)
    filler, weights = _filler_vocabulary()
    cdf = np.cumsum(weights)
    sides = rng.choice(["az", "am", "intl"], size=n_docs, p=[0.4, 0.4, 0.2])
    rows = []
    for i in range(n_docs):
        side = sides[i]
        sentences, n_words = [], 0
        while n_words < words_per_doc:
            if rng.random() < 0.55:
                sentence = TEMPLATES[rng.integers(len(TEMPLATES))].format(
                    A=ACTORS[rng.integers(len(ACTORS))], B=ACTORS[rng.integers(len(ACTORS))],
                    V=VERBS[rng.integers(len(VERBS))], O=OBJECTS[rng.integers(len(OBJECTS))],
                    R=REPORTING[rng.integers(len(REPORTING))], D=DAYS[rng.integers(7)],
                    M=MONTHS[rng.integers(12)], n=f"{int(rng.integers(2, 30_000)):,}")
                sentence = sentence[0].upper() + sentence[1:]
            else:
                draws = np.searchsorted(cdf, rng.random(int(rng.integers(8, 28))) * cdf[-1])
                sentence = " ".join(filler[draws]).capitalize() + "."
            sentences.append(sentence)
            n_words += sentence.count(" ") + 1
        paragraphs = [" ".join(sentences[j:j + 3]) for j in range(0, len(sentences), 3)]
        title = f"{ACTORS[rng.integers(len(ACTORS))]} {VERBS[rng.integers(len(VERBS))]} {ACTORS[rng.integers(len(ACTORS))]}"
        rows.append({
            "doc_id": f"syn{i:06d}", "title": title[0].upper() + title[1:], "text": title[0].upper() + title[1:] + "\n\n" + "\n\n".join(paragraphs),
            "side": side, "source": SOURCES[side][int(rng.integers(len(SOURCES[side])))],
            "date": f"202{int(rng.integers(0, 4))}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}",
        })
    return pd.DataFrame(rows)


def synthetic_corpus_path(n_docs: int, *, words_per_doc: int = 600, seed: int = 0) -> Path:
    """``synthetic_corpus`` written once as a Parquet file under ``bench/out/`` (gitignored): a
    one-file export, as a user with a big corpus would hand it to the engine."""
    path = Path(__file__).parent / "out" / f"synthetic_{n_docs}_{words_per_doc}_{seed}.parquet"
    if not path.is_file():
        corpus = synthetic_corpus(n_docs, words_per_doc=words_per_doc, seed=seed)
        path.parent.mkdir(parents=True, exist_ok=True)
        corpus.to_parquet(path, index=False)
    return path


def cached_synthetic_corpus(n_docs: int, *, words_per_doc: int = 600, seed: int = 0) -> pd.DataFrame:
    """``synthetic_corpus`` read from the file of ``synthetic_corpus_path``."""
    return pd.read_parquet(synthetic_corpus_path(n_docs, words_per_doc=words_per_doc, seed=seed))


#: The event of ``two_sided_dated_corpus``: the trilateral ceasefire statement of 10 Nov 2020.
EVENT_DATE = "2020-11-10"


def two_sided_dated_corpus(n_docs: int, *, words_per_doc: int = 600, seed: int = 0, event_date: str = EVENT_DATE,
                           days: int = 365) -> pd.DataFrame:
    """``synthetic_corpus`` with two sides ("az", "am", half each, and one of the side's sources) and
    dates drawn uniformly over ``days`` days centred on ``event_date``, so that about half the
    documents of each side fall before the event and half after (the texts themselves are those of
    ``synthetic_corpus``: same arguments, same corpus)."""
    corpus = synthetic_corpus(n_docs, words_per_doc=words_per_doc, seed=seed)
    rng = np.random.default_rng([seed, 1])
    corpus["side"] = rng.choice(["az", "am"], size=n_docs)
    corpus["source"] = [SOURCES[side][int(i)] for side, i in zip(corpus["side"], rng.integers(0, 3, size=n_docs))]
    offsets = rng.integers(-(days // 2), days - days // 2, size=n_docs)
    corpus["date"] = (pd.Timestamp(event_date) + pd.to_timedelta(offsets, unit="D")).strftime("%Y-%m-%d")
    return corpus
