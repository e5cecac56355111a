"""The fast cue engine and repetition finder against slow, independent implementations of their
specification (one regular expression per surface form, position by position), on the bundled
lexicons and the seed and multi-document corpora."""
import re
from functools import cache

import numpy as np
import pandas as pd
import pytest

from corpus_tools.clean import match_form
from corpus_tools.framing import load_persuasion_cues, load_role_cues, load_stance_cues
from corpus_tools.framing.actors import _gazetteer_table, alias_cues
from corpus_tools.framing.attribution import load_reporting_verbs
from corpus_tools.framing.cues import bundled_negators, compile_cues, longest_first, match_cues, match_sets
from corpus_tools.framing.frames import load_frame_cues
from corpus_tools.framing.naming import naming_cues
from corpus_tools.framing.persuasion import TITLE_WORDS, find_repetition
from corpus_tools.segment import content_sentences


def _cue_tables():
    frames = load_frame_cues().table
    tables = {f"frames:{layer}": t for layer, t in frames.groupby("layer", sort=False)}
    tables.update(roles=load_role_cues().table, persuasion=load_persuasion_cues().table,
                  stance=load_stance_cues().table, verbs=load_reporting_verbs().table,
                  naming=naming_cues().table, actors=alias_cues(_gazetteer_table(None))[0])
    return tables


@cache
def _form_pattern(form: str) -> re.Pattern:
    body = "".join(r"[\s\-]+" if c == " " else re.escape(c) for c in form)
    end = r"(?!\w)" if form[-1].isalnum() or form[-1] == "_" else ""
    return re.compile(r"(?<!\w)(?=(" + body + end + "))")


def _reference_hits(text: str, forms: dict, regexes: list) -> list[tuple[int, int, str]]:
    """Spec: at each start the longest literal form (case-folded unless exact), then every regex
    cue's first alternative matching there; overlaps resolved longest first, earliest at a tie."""
    folded = match_form(text, fold_diacritics=True)
    lower = folded.lower()
    candidates = []
    for exact in (False, True):
        best = {}
        for (is_exact, form), cue_id in forms.items():
            if is_exact != exact or not form:
                continue
            target = folded if exact else lower
            for m in _form_pattern(form).finditer(target):
                if m.end(1) - m.start(1) > best.get(m.start(1), (0, 0, ""))[1] - m.start(1):
                    best[m.start(1)] = (m.start(1), m.end(1), cue_id)
        candidates += [best[k] for k in sorted(best)]
    for start in range(len(folded)):
        for cue_id, pattern in regexes:
            m = pattern.match(folded, start)
            if m:
                if m.end() > start:
                    candidates.append((start, m.end(), cue_id))
                break
    order = sorted(range(len(candidates)), key=lambda i: (-(candidates[i][1] - candidates[i][0]), candidates[i][0], i))
    taken, kept = set(), []
    for i in order:
        a, b, _ = candidates[i]
        if not taken & set(range(a, b)):
            taken |= set(range(a, b))
            kept.append(candidates[i])
    return sorted(kept)


def _reference_negated(doc_tokens: pd.DataFrame, sent_id: int, start: int, window: int = 3) -> bool:
    before = doc_tokens[(doc_tokens["sent_id"] == sent_id) & (doc_tokens["start"] < start)].sort_values("start")
    return bool(before["lower"].tail(window).isin(bundled_negators()).any())


@pytest.mark.parametrize("name", list(_cue_tables()))
@pytest.mark.parametrize("which", ["seed_corpus", "multi_corpus"])
def test_match_cues_equals_the_reference(name, which, request):
    corpus = request.getfixturevalue(which)
    sentences = content_sentences(corpus.sentences)
    table = _cue_tables()[name]
    hits = match_cues(sentences, table, tokens=corpus.tokens)
    forms = compile_cues(table).forms  # surface forms of each cue (inflection is not under test)
    regexes = [(row.cue_id, re.compile(match_form(row.pattern, fold_diacritics=True), re.IGNORECASE))
               for row in table.itertuples() if row.match == "regex"]
    expected = []
    for row in sentences.itertuples():
        for a, b, cue_id in _reference_hits(row.text, forms, regexes):
            expected.append((row.doc_id, row.sent_id, cue_id, row.start + a, row.start + b, row.text[a:b]))
    got = list(zip(hits["doc_id"], hits["sent_id"], hits["cue_id"], hits["start"], hits["end"], hits["matched"]))
    assert sorted(got) == sorted(expected)
    sensitive = table.set_index("cue_id").get("negation_sensitive", pd.Series(dtype=str))
    by_doc = dict(tuple(corpus.tokens.groupby("doc_id")))
    for row in hits.itertuples():
        want = sensitive.get(row.cue_id, "yes") == "yes" and _reference_negated(by_doc[row.doc_id], row.sent_id,
                                                                                 row.start)
        assert row.negated == want, row


def test_longest_first_equals_the_plain_greedy_loop():
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(0, 30))
        starts = rng.integers(0, 60, n)
        ends = starts + rng.integers(1, 12, n)
        order = np.lexsort((starts, -(ends - starts)))
        taken, keep = np.zeros(80, bool), []
        for i in order:
            if not taken[starts[i]:ends[i]].any():
                taken[starts[i]:ends[i]] = True
                keep.append(i)
        assert longest_first(starts, ends, 80).tolist() == sorted(keep)


def _reference_repetition(sentences, tokens, min_repeats=3, sizes=(3, 2)):
    """Per document: content n-grams (no stopword at either end, words only, one sentence), longer
    first; occurrences of an n-gram seen ``min_repeats``+ times are hits and their tokens are taken."""
    keys = set(zip(sentences["doc_id"], sentences["sent_id"]))
    text = {(r.doc_id, r.sent_id): (r.start, r.text) for r in sentences.itertuples()}
    hits = []
    for doc_id, doc in tokens.groupby("doc_id", sort=False):
        toks = [t for t in doc.itertuples() if (t.doc_id, t.sent_id) in keys]
        taken = set()
        for n in sizes:
            grams = {}
            for i in range(len(toks) - n + 1):
                run = toks[i:i + n]
                if (len({t.sent_id for t in run}) == 1 and all(t.is_word and str(t.lemma) not in TITLE_WORDS
                                                               for t in run) and not run[0].is_stop
                        and not run[-1].is_stop and i not in taken and i + n - 1 not in taken):
                    grams.setdefault(" ".join(str(t.lemma) for t in run), []).append(i)
            for gram, found in grams.items():
                if len(found) >= min_repeats:
                    for i in found:
                        taken |= set(range(i, i + n))
                        first, last = toks[i], toks[i + n - 1]
                        s_start, s_text = text[(doc_id, first.sent_id)]
                        hits.append((doc_id, first.sent_id, "repetition:" + gram, first.start, last.end,
                                     s_text[first.start - s_start:last.end - s_start]))
    return sorted(hits)


@pytest.mark.parametrize("which", ["seed_corpus", "multi_corpus"])
@pytest.mark.parametrize("min_repeats", [2, 3])
def test_find_repetition_equals_the_reference(which, min_repeats, request):
    corpus = request.getfixturevalue(which)
    sentences = content_sentences(corpus.sentences)
    tokens = corpus.tokens
    spaced = tokens.assign(lemma=tokens["lemma"].replace({"azerbaijan": "azer baijan", "armenian": "azer"}))
    for toks in (tokens, spaced):  # a lemma with a space: n-grams compared by their text
        hits = find_repetition(sentences, toks, min_repeats=min_repeats)
        got = sorted(zip(hits["doc_id"], hits["sent_id"], hits["cue_id"], hits["start"], hits["end"],
                         hits["matched"]))
        assert got == _reference_repetition(sentences, toks, min_repeats=min_repeats)
    assert len(find_repetition(sentences, tokens, min_repeats=2)) > 0


@pytest.mark.parametrize("which", ["seed_corpus", "multi_corpus"])
def test_cue_sets_matched_together_equal_each_alone(which, request):
    """match_sets finds candidate starts for all sets with one union search: same hits per set."""
    corpus = request.getfixturevalue(which)
    sentences = content_sentences(corpus.sentences)
    tables = list(_cue_tables().values())
    together = match_sets(sentences, [[t] for t in tables], tokens=corpus.tokens, chunk_size=9)
    for table, hits in zip(tables, together):
        pd.testing.assert_frame_equal(hits, match_cues(sentences, table, tokens=corpus.tokens), check_exact=True)
