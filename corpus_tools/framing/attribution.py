"""Attribution: who speaks, how they are introduced, and how sure the text sounds.

* Transcript turns: a line that starts ``Name: text`` is a quote of that speaker
  (``resolved='turn'``) when the name is an actor of the gazetteer or a name of two or
  more capitalised words; ``Question:`` and other questioner labels give a quote with
  no speaker (``'questioner'``).
* Direct quotations come from ``corpus_tools.segment.find_quotes`` (curly and
  straight quotes; a quote left open runs to the paragraph end). The speaker
  and reporting verb are read from the words right after the quote (", the
  Ministry of Foreign Affairs of Azerbaijan said in a statement"; ", statement
  read"; ", said the minister") or right before it ("He said: "). A speaker
  with no actor in it that is a generic noun ("statement", "the ministry")
  inherits the document's previous speaker (``'previous speaker'``). A quote that
  opens a sentence with no verb of its own, right after an attributed quote in
  its paragraph, continues it (``'continuation'``).
* Indirect attributions: every reporting verb outside quotes, with the actor
  named before it in its clause ("Foreign Ministry urged ..."), or after
  "according to", or a pronoun right before it ("He said ...").
* Pronoun speakers ("he said", "She told", "It said") are the last named speaker
  of their paragraph (for he/she, one that is not a state, force, group or
  organisation), else the last actor it names that is not a state, force,
  group or organisation ("Putin addressed the servicemen. '...,' he said"); with
  neither they stay unresolved, never a speaker called "he".
* Speakers are actors: every alias, title and context name of an actor is that
  actor's canonical name.
* Reporting verbs are classed neutral / assertive / directive / distancing /
  accusatory (``lexicons/framing_reporting_verbs.csv``; cf. Bergler 1992).
* Hedges and boosters after Hyland (2005) (``lexicons/framing_stance.csv``).
"""
from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
import pandas as pd

from ..lexicons import Lexicon
from ..segment import _PARAGRAPH_BREAK, find_quotes
from ..tables import plain
from .cues import CueSet, compiled, fold_form, literal_forms, load_cue_table, match_cues
from .keys import SHIFT, by_doc_and_start, doc_codes, find_rows, sentence_keys

QUOTE_COLUMNS = ["doc_id", "quote_id", "start", "end", "quote", "n_words", "speaker", "actor", "side", "verb",
                 "verb_class", "cue_id", "verb_start", "resolved"]
ATTRIBUTION_COLUMNS = ["doc_id", "sent_id", "kind", "speaker", "actor", "side", "verb", "verb_class", "cue_id",
                       "start", "end"]
#: Speakers that name no one and refer back to the previous speaker ("..., statement read").
_GENERIC_SPEAKERS = frozenset({"statement", "the statement", "a statement", "its statement", "the ministry",
                               "ministry", "the spokesperson", "the spokesman", "the spokeswoman", "spokesperson",
                               "the document", "the source"})
#: Pronoun speakers, resolved to the last named speaker of the paragraph (else its last person-like actor).
PRONOUNS = frozenset({"he", "she", "it", "they", "we"})
_PERSONAL = frozenset({"he", "she"})
_COLLECTIVE_TYPES = frozenset({"state", "military", "group", "armed_group", "international", "court", "ngo",
                               "territory", "place"})
#: Turn labels of an unnamed questioner ("Question: ...").
_QUESTIONERS = frozenset({"question", "q", "journalist", "reporter", "correspondent", "audience member"})
_TURN = re.compile(r"^[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[\w.'’-]+){0,5}):[ \t]+(\S[^\n]*)", re.MULTILINE)
_PRONOUN_BEFORE = re.compile(r"(?:^|[\s,;:\"“”])(he|she|it|they|we)\s+(?:also\s+|later\s+|then\s+)?$",
                             re.IGNORECASE)
#: A name the gazetteer does not know, right before a verb ("regional governor Pavlo Kyrylenko said").
_NAME_BEFORE = re.compile(r"(?<![\w'’-])((?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+)\s+$")
#: Words that open a clause, not a speaker ('"special military operation" and says').
_NOT_SPEAKERS = frozenset({"and", "or", "but", "which", "that", "who", "as", "while", "because", "if", "when"})
_SENTENCE_OPEN = re.compile(r"(?:^|[.!?][\"”’]?\s+)$")
_WORDS = re.compile(r"\w+(?:['’]\w+)*")
_CLAUSE_BREAK = re.compile(r"[,;:]")


def load_reporting_verbs(source=None) -> Lexicon:
    """Reporting verbs with ``category`` = class (neutral, assertive, directive, distancing, accusatory)."""
    return load_cue_table("framing_reporting_verbs" if source is None else source,
                          required=("cue_id", "category", "pattern", "match"))


def load_stance_cues(source=None) -> Lexicon:
    """Hedges and boosters (``category`` hedge | booster), after Hyland (2005)."""
    return load_cue_table("framing_stance" if source is None else source,
                          required=("cue_id", "category", "pattern", "match"))


def find_stance(sentences: pd.DataFrame, tokens: pd.DataFrame, *, lexicon=None) -> pd.DataFrame:
    """Audit table of hedges and boosters (``layer`` 'stance')."""
    return match_cues(sentences, stance_cues(lexicon), tokens=tokens)


def stance_cues(lexicon=None) -> CueSet:
    """Hedges and boosters as a compiled cue set (``layer`` 'stance')."""
    lex = load_stance_cues(lexicon)
    return compiled(lex.table.assign(layer="stance"), source=lex.path)


def verb_cues(lex: Lexicon) -> CueSet:
    """Reporting verbs as a compiled cue set (``layer`` 'attribution')."""
    return compiled(lex.table.assign(layer="attribution"), source=lex.path)


def _verb_pattern(table: pd.DataFrame) -> tuple[re.Pattern, dict]:
    """One regex of every reporting-verb form, and form -> (cue_id, class)."""
    forms = {}
    for row in table.itertuples(index=False):
        for form in literal_forms(row.pattern, row.match):
            forms.setdefault(form, (row.cue_id, row.category))
    alternation = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE), forms


def find_attributions(documents: pd.DataFrame, sentences: pd.DataFrame, mentions: pd.DataFrame, *,
                      verbs=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(quotes, attributions)``: direct quotes with speaker and verb (``QUOTE_COLUMNS``) and every
    attribution, direct and indirect (``ATTRIBUTION_COLUMNS``), offsets into ``clean_text``."""
    lex = load_reporting_verbs(verbs)
    return attributions_from_hits(documents, sentences, mentions, lex, match_cues(sentences, verb_cues(lex)))


def attributions_from_hits(documents: pd.DataFrame, sentences: pd.DataFrame, mentions: pd.DataFrame, lex: Lexicon,
                           hits: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``find_attributions`` given the reporting-verb hits (``match_cues`` with ``verb_cues(lex)``)."""
    pattern, forms = _verb_pattern(lex.table)
    d_doc, m_doc = doc_codes(documents["doc_id"], mentions["doc_id"])
    by_doc = _per_document(m_doc, mentions)
    columns = {c: [] for c in QUOTE_COLUMNS}
    breaks = {}  # document code -> offsets where its paragraphs start
    for doc_id, code, text in zip(documents["doc_id"].tolist(), d_doc.tolist(), documents["clean_text"].tolist()):
        breaks[code] = [0, *[m.end() for m in _PARAGRAPH_BREAK.finditer(text or "")]]
        _document_quotes(columns, doc_id, text or "", pattern, forms, by_doc.get(code), breaks[code])
    quotes = pd.DataFrame(columns if columns["doc_id"] else None, columns=QUOTE_COLUMNS)  # empty: all object
    direct = _direct_rows(quotes, sentences)
    indirect = _indirect_rows(sentences, mentions, quotes, hits)
    attributions = pd.concat([d for d in (direct.assign(_quote=np.arange(len(direct))), indirect.assign(_quote=-1))
                              if not d.empty] or [direct.assign(_quote=-1)], ignore_index=True)
    attributions = attributions.take(by_doc_and_start(attributions["doc_id"], attributions["start"])).reset_index(
        drop=True)
    quotes, attributions = _resolve_pronouns(quotes, attributions, (documents["doc_id"], breaks), mentions)
    return quotes, attributions.reindex(columns=ATTRIBUTION_COLUMNS)


def _per_document(code: np.ndarray, mentions: pd.DataFrame) -> dict:
    """Document code -> its mentions' (starts, ends, canonical names, sides) as lists, in row order."""
    order = np.argsort(code, kind="stable")
    bounds = np.flatnonzero(np.diff(code[order], prepend=-1))
    columns = [mentions["start"].to_numpy(np.int64)[order].tolist(), mentions["end"].to_numpy(np.int64)[order].tolist(),
               mentions["canonical"].to_numpy(dtype=object)[order].tolist(),
               mentions["side"].to_numpy(dtype=object)[order].tolist()]
    return {c: tuple(column[a:b] for column in columns)
            for c, a, b in zip(code[order][bounds].tolist(), bounds.tolist(), [*bounds[1:].tolist(), len(order)])}


def _document_quotes(columns: dict, doc_id, text, pattern, forms, mentions, breaks: list) -> None:
    """Append one document's turns and quotes to ``columns`` (``QUOTE_COLUMNS`` -> lists), in text order
    (``breaks``: where its paragraphs start)."""
    rows = _turns(text, mentions)
    turn_spans = [(r["start"], r["end"]) for r in rows]
    previous = (None, None)
    last = None  # the last attributed quote: (its end, its paragraph start, speaker, actor, side, resolved)
    for q_start, q_end in find_quotes(text):
        if any(a <= q_start < b for a, b in turn_spans):
            continue
        # every read below lies in [q_start - 320, q_end + 160): the speaker is looked for from 160
        # before the verb, itself at most 160 before the quote; fold_form maps character by character
        w0 = max(0, q_start - 320)
        probe = fold_form(text[w0:q_end + 160])
        speaker, verb, v_start = _speaker_after(probe, q_end - w0, pattern)
        if verb is None:
            speaker, verb, v_start = _speaker_before(probe, q_start - w0, pattern)
        at = _speaker_at(probe, speaker, v_start) if speaker else -1
        s_start = w0 + at if at >= 0 else -1
        v_start = v_start + w0 if verb else v_start
        actor, side = _actor_in(mentions, s_start, s_start + len(speaker)) if speaker else (None, None)
        written = text[s_start:s_start + len(speaker)] if speaker and s_start >= 0 else speaker
        resolved = "named" if actor else ""
        key_speaker = speaker.lower().strip() if speaker else ""
        if speaker and actor is None and key_speaker in _GENERIC_SPEAKERS and previous[0]:
            actor, side, resolved = previous[0], previous[1], "previous speaker"
        elif key_speaker in PRONOUNS:
            resolved = "pronoun"  # resolved with the other attributions (``_resolve_pronouns``)
        paragraph = breaks[bisect_right(breaks, q_start) - 1]
        if speaker is None and last is not None and last[1] == paragraph and _SENTENCE_OPEN.search(
                text[last[0]:q_start]):
            written, actor, side = last[2:5]
            resolved = "pronoun" if last[5] == "pronoun" else "continuation"
        if actor:
            previous = (actor, side)
        if written:
            last = (q_end, paragraph, written, actor, side, resolved)
        key = re.sub(r"\s+", " ", verb.lower()) if verb else None
        cue_id, verb_class = forms.get(key, (None, None)) if key else (None, None)
        rows.append(dict(start=q_start, end=q_end, speaker=written, actor=actor, side=side,
                         verb=text[v_start:v_start + len(verb)] if verb else None, verb_class=verb_class,
                         cue_id=cue_id, verb_start=v_start if verb else -1,
                         resolved=resolved or ("unresolved" if speaker else "no speaker")))
    for i, row in enumerate(sorted(rows, key=lambda r: r["start"])):
        quote = text[row["start"]:row["end"]]
        row.update(doc_id=doc_id, quote_id=i, quote=quote, n_words=len(_WORDS.findall(quote)))
        for name in QUOTE_COLUMNS:
            columns[name].append(row[name])


def _speaker_at(probe: str, speaker: str, v_start: int) -> int:
    """Where ``speaker`` is written: its last occurrence in the 160 characters before the verb, else the first
    after it (", said the minister")."""
    at = probe.rfind(speaker, max(0, v_start - 160), v_start)
    return at if at >= 0 else probe.find(speaker, v_start)


def _turns(text: str, mentions) -> list[dict]:
    """Transcript turns (``Name: text`` at a line start) as quote rows of that speaker."""
    rows = []
    if ":" not in text:
        return rows
    for turn in _TURN.finditer(text):
        name, n_start = turn.group(1), turn.start(1)
        actor, side = _actor_in(mentions, n_start, turn.end(1))
        label = name.lower().rstrip(".")
        if label in _QUESTIONERS:
            speaker, resolved = name, "questioner"
        elif actor or (len(name.split()) >= 2 and all(w[:1].isupper() for w in name.split())):
            speaker, resolved = name, "turn"
        else:
            continue
        rows.append(dict(start=turn.start(2), end=turn.end(2), speaker=speaker, actor=actor, side=side, verb=None,
                         verb_class=None, cue_id=None, verb_start=-1, resolved=resolved))
    return rows


def _speaker_after(probe: str, q_end: int, pattern: re.Pattern):
    """Speaker and verb in the words after a quote, up to the end of that sentence."""
    tail = probe[q_end:q_end + 160]
    stop = re.search(r"[.!?;\n\"](?:\s|$)|\n", tail)
    tail = tail[:stop.start()] if stop else tail
    lead = len(tail) - len(tail.lstrip(" ,"))
    body = tail[lead:]
    verb = pattern.search(body)
    if verb is None:
        return None, None, None
    before = body[:verb.start()].strip(" ,")
    if before and before.split()[0].lower() in _NOT_SPEAKERS:
        return None, None, None
    if before and len(before.split()) <= 10:
        return before, verb.group(), q_end + lead + verb.start()
    if not before:  # inverted: ", said the minister"
        after = re.match(r"\s*([^,;:]{1,80})", body[verb.end():])
        who = after.group(1).strip() if after else ""
        return (who or None), verb.group(), q_end + lead + verb.start()
    return None, None, None


def _speaker_before(probe: str, q_start: int, pattern: re.Pattern):
    """Speaker and verb in the words just before a quote ("He said: ...")."""
    head = probe[max(0, q_start - 160):q_start]
    start = max(head.rfind(". "), head.rfind("\n"), head.rfind('"'))
    head = head[start + 1:] if start >= 0 else head
    verb = None
    for verb in pattern.finditer(head):
        pass
    if verb is None or head[verb.end():].strip(" ,:-") != "":
        return None, None, None
    who = head[:verb.start()].strip(" ,")
    offset = q_start - len(head)
    return (who if who and len(who.split()) <= 10 else None), verb.group(), offset + verb.start()


def _actor_in(mentions, start: int, end: int):
    """Canonical name and side of the first mention inside [start, end) (``mentions``: per-document lists)."""
    if mentions is None or start < 0:
        return None, None
    starts, ends, canonical, side = mentions
    for i, (a, b) in enumerate(zip(starts, ends)):
        if a >= start and b <= end:
            return canonical[i], side[i]
    return None, None


def _direct_rows(quotes: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    if quotes.empty:
        return pd.DataFrame(columns=ATTRIBUTION_COLUMNS)
    kind = np.where(quotes["resolved"].isin(["turn", "questioner"]), "turn", "direct quote")
    return pd.DataFrame({"doc_id": quotes["doc_id"], "sent_id": _sentence_of(quotes, sentences), "kind": kind,
                         **{c: quotes[c] for c in ("speaker", "actor", "side", "verb", "verb_class", "cue_id")},
                         "start": quotes["start"].to_numpy(), "end": quotes["end"].to_numpy()})


def _sentence_of(table: pd.DataFrame, sentences: pd.DataFrame) -> np.ndarray:
    """``sent_id`` of the sentence holding each row's ``start`` (-1 when none)."""
    s_doc, t_doc = doc_codes(sentences["doc_id"], table["doc_id"])
    s_key = s_doc * SHIFT + sentences["start"].to_numpy(np.int64)
    order = np.argsort(s_key, kind="stable")
    at = np.searchsorted(s_key[order], t_doc * SHIFT + table["start"].to_numpy(np.int64), side="right") - 1
    if not len(order):
        return np.full(len(table), -1)
    row = order[np.maximum(at, 0)]
    same = (at >= 0) & (s_doc[row] == t_doc)
    return np.where(same, sentences["sent_id"].to_numpy()[row], -1)


def _indirect_rows(sentences, mentions, quotes, hits) -> pd.DataFrame:
    """Reporting verbs outside quotes and not already a quote's verb, with the actor before them in
    their clause (after them for "according to")."""
    if hits.empty:
        return pd.DataFrame(columns=ATTRIBUTION_COLUMNS)
    h_doc, s_doc, q_doc, m_doc = doc_codes(hits["doc_id"], sentences["doc_id"], quotes["doc_id"], mentions["doc_id"])
    h_key = h_doc * SHIFT + hits["start"].to_numpy(np.int64)
    keep = np.ones(len(hits), dtype=bool)
    if not quotes.empty:
        q_base = q_doc * SHIFT
        q_start = q_base + quotes["start"].to_numpy(np.int64)
        order = np.argsort(q_start, kind="stable")
        reach = np.maximum.accumulate((q_base + quotes["end"].to_numpy(np.int64))[order])  # furthest quote end so far
        at = np.searchsorted(q_start[order], h_key, side="right") - 1
        in_quote = (at >= 0) & (reach[np.maximum(at, 0)] > h_key)
        keep = ~(in_quote | np.isin(h_key, q_base + quotes["verb_start"].to_numpy(np.int64)))
    rows = np.flatnonzero(keep)
    hits = hits[["doc_id", "sent_id", "matched", "category", "cue_id", "start", "end"]].iloc[rows] \
        .reset_index(drop=True)
    keys = ["doc_id", "sent_id"]  # dtypes as a merge with the sentences on them gives (what it once was)
    hits = hits.astype(hits[keys].iloc[:0].merge(sentences[keys].iloc[:0], on=keys, how="left").dtypes.to_dict())
    sentence = find_rows(sentence_keys(s_doc, sentences["sent_id"]), sentence_keys(h_doc[rows], hits["sent_id"]))
    sent_start = sentences["start"].to_numpy(np.int64)[sentence]
    texts = sentences["text"].to_numpy(dtype=object)[sentence]
    return _speakers_of(hits, h_doc[rows], sent_start, texts, mentions, m_doc)


def _speakers_of(hits: pd.DataFrame, h_doc: np.ndarray, sent_start: np.ndarray, texts: np.ndarray,
                 mentions: pd.DataFrame, m_doc: np.ndarray) -> pd.DataFrame:
    """Vectorised speaker lookup: the last mention in the verb's clause before it, or for "according to"
    the first mention after it up to the next , ; or . (mentions do not overlap, so they sort by end too).
    ``h_doc``, ``m_doc``: document codes of the hits and mentions; ``sent_start``, ``texts``: their
    sentences' offsets and texts."""
    found = np.full(len(hits), -1, dtype=np.int64)
    if not mentions.empty:
        according = hits["cue_id"].str.endswith("according_to").to_numpy(bool)
        start, end = hits["start"].to_numpy(np.int64), hits["end"].to_numpy(np.int64)
        m_base = m_doc * SHIFT
        order = np.argsort(m_base + mentions["start"].to_numpy(np.int64), kind="stable")
        m_start = (m_base + mentions["start"].to_numpy(np.int64))[order]
        m_end = (m_base + mentions["end"].to_numpy(np.int64))[order]
        h_base = h_doc * SHIFT
        # before the verb: the last mention ending before it, with no , ; : between its start and the verb
        left = np.searchsorted(m_end, h_base + start, side="right") - 1
        local = m_start[np.maximum(left, 0)] - h_base - sent_start
        check = np.flatnonzero(~according & (left >= 0) & (local >= 0))
        ok_left = np.zeros(len(hits), dtype=bool)
        verb_at = (start - sent_start)[check].tolist()
        ok_left[check] = [_CLAUSE_BREAK.search(texts[i], a, b) is None
                          for i, a, b in zip(check.tolist(), local[check].tolist(), verb_at)]
        # after "according to": the first mention starting after it and ending before the next , ; or .
        right = np.searchsorted(m_start, h_base + end, side="left")
        safe = np.minimum(right, len(m_start) - 1)
        check = np.flatnonzero(according & (right < len(m_start)))
        limit = end[check] + np.array([_clause_end(texts[i], n) for i, n in zip(
            check.tolist(), (end - sent_start)[check].tolist())], dtype=np.int64)
        ok_right = np.zeros(len(hits), dtype=bool)
        ok_right[check] = m_end[safe[check]] <= h_base[check] + limit
        pick = np.where(according, np.where(ok_right, safe, -1), np.where(ok_left, left, -1))
        found = np.where(pick >= 0, order[np.maximum(pick, 0)], -1)
        columns = {c: _taken(mentions[c], found) for c in ("matched", "canonical", "side")}
    else:
        columns = {c: np.full(len(hits), None, dtype=object) for c in ("matched", "canonical", "side")}
    speaker = _with_pronouns(columns["matched"], found, hits, sent_start, texts)
    return pd.DataFrame({"doc_id": hits["doc_id"], "sent_id": hits["sent_id"], "kind": "indirect",
                         "speaker": speaker, "actor": columns["canonical"], "side": columns["side"],
                         "verb": hits["matched"], "verb_class": hits["category"], "cue_id": hits["cue_id"],
                         "start": hits["start"], "end": hits["end"]},
                        columns=ATTRIBUTION_COLUMNS)


def _with_pronouns(speaker, found: np.ndarray, hits: pd.DataFrame, sent_start: np.ndarray, texts: np.ndarray):
    """``speaker`` with the pronoun ("He said", "she also told") or unknown name right before the verb where
    no actor was found."""
    open_rows = np.flatnonzero(found < 0)
    if not len(open_rows):
        return speaker
    verb_at = (hits["start"].to_numpy(np.int64) - sent_start)[open_rows].tolist()
    pronouns = [_PRONOUN_BEFORE.search(texts[i][:a]) or _NAME_BEFORE.search(texts[i][:a])
                for i, a in zip(open_rows.tolist(), verb_at)]
    if not any(pronouns):
        return speaker
    speaker = np.asarray(speaker, dtype=object).copy()
    for i, m in zip(open_rows.tolist(), pronouns):
        if m:
            speaker[i] = m.group(1)
    return speaker


def _resolve_pronouns(quotes: pd.DataFrame, attributions: pd.DataFrame, paragraphs: tuple,
                      mentions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pronoun speakers take the actor (or name) of the last named speaker of their paragraph
    (``attributions`` in text order, ``_quote``: the row of ``quotes`` each direct one is; ``paragraphs``:
    the documents' ids and their paragraph starts by document code)."""
    said = attributions["speaker"].to_numpy(dtype=object)
    lower = np.array([w.lower() if isinstance(w, str) else "" for w in said], dtype=object)
    actor = attributions["actor"].to_numpy(dtype=object)
    has_actor = pd.notna(actor)
    pronoun = np.isin(lower, list(PRONOUNS)) & ~has_actor
    if not pronoun.any():
        return quotes, attributions.drop(columns="_quote")
    named = (has_actor | (pd.notna(said) & (lower != ""))) & ~np.isin(lower, [*PRONOUNS, *_GENERIC_SPEAKERS])
    if len(quotes):
        q_resolved = quotes["resolved"].to_numpy(dtype=object)
        row = attributions["_quote"].to_numpy()
        named &= ~((row >= 0) & (q_resolved[np.maximum(row, 0)] == "questioner"))
    paragraph = _paragraph_keys(attributions, paragraphs)
    attributions = attributions.copy()
    side, speaker = attributions["side"].to_numpy(dtype=object).copy(), said.copy()
    actor = actor.copy()
    kind = dict(zip(mentions["canonical"].tolist(), mentions["type"].tolist()))
    collective = np.array([h and kind.get(a) in _COLLECTIVE_TYPES for a, h in zip(actor, has_actor)], dtype=bool)
    for personal in (True, False):  # he/she: a speaker that is not a state, force, group or organisation
        usable = named & ~collective if personal else named
        last = np.maximum.accumulate(np.where(usable, np.arange(len(attributions)), -1))
        prior = np.append(-1, last[:-1])  # the last usable speaker before each row
        todo = np.flatnonzero(pronoun & (np.isin(lower, list(_PERSONAL)) == personal))
        hit = todo[(prior[todo] >= 0) & (paragraph[np.maximum(prior[todo], 0)] == paragraph[todo])]
        src = prior[hit]
        actor[hit], side[hit] = actor[src], side[src]
        speaker[hit] = np.where(pd.notna(actor[src]), speaker[hit], speaker[src])
    left = np.flatnonzero(pronoun & pd.isna(actor) & (speaker == said))
    if len(left) and not mentions.empty:  # no named speaker before: the last person-like actor named there
        src = _last_mention(attributions.iloc[left], paragraph[left], paragraphs, mentions)
        ok = src >= 0
        actor[left[ok]] = mentions["canonical"].to_numpy(dtype=object)[src[ok]]
        side[left[ok]] = mentions["side"].to_numpy(dtype=object)[src[ok]]
    attributions["actor"], attributions["side"], attributions["speaker"] = actor, side, speaker
    if len(quotes):
        direct = np.flatnonzero(pronoun & (row >= 0))
        quotes = quotes.copy()
        q = row[direct]
        for column, values in (("actor", actor), ("side", side), ("speaker", speaker)):
            quotes[column] = quotes[column].astype(object)
            quotes.iloc[q, quotes.columns.get_loc(column)] = values[direct]
        quotes.iloc[q, quotes.columns.get_loc("resolved")] = np.where(
            pd.notna(actor[direct]) | (speaker[direct] != said[direct]), "pronoun", "unresolved pronoun")
    return quotes, attributions.drop(columns="_quote")


def _last_mention(rows: pd.DataFrame, paragraph: np.ndarray, paragraphs: tuple,
                  mentions: pd.DataFrame) -> np.ndarray:
    """Per row, the mention (row of ``mentions``) of the last actor of a person-like type before it in its
    paragraph (``paragraph``: the rows' ``_paragraph_keys``), -1 when none."""
    personal = np.flatnonzero(~mentions["type"].isin(list(_COLLECTIVE_TYPES)).to_numpy())
    usable = mentions.iloc[personal]
    m_paragraph = _paragraph_keys(usable, paragraphs)
    _, m_doc, r_doc = doc_codes(paragraphs[0], usable["doc_id"], rows["doc_id"])
    key = m_doc * SHIFT + usable["start"].to_numpy(np.int64)
    order = np.argsort(key, kind="stable")
    at = np.searchsorted(key[order], r_doc * SHIFT + rows["start"].to_numpy(np.int64), side="left") - 1
    found = order[np.maximum(at, 0)] if len(order) else np.zeros(len(rows), dtype=np.int64)
    ok = (at >= 0) & (m_paragraph[found] == paragraph) if len(order) else np.zeros(len(rows), dtype=bool)
    return np.where(ok, personal[found] if len(order) else -1, -1)


def _paragraph_keys(table: pd.DataFrame, paragraphs: tuple) -> np.ndarray:
    """Per row of ``table`` (``doc_id``, ``start``), a key of its document and paragraph (``paragraphs``:
    document ids, and paragraph starts by their codes)."""
    _, t_doc = doc_codes(paragraphs[0], table["doc_id"])
    breaks = paragraphs[1]
    starts = table["start"].to_numpy(np.int64)
    return np.array([c * SHIFT + breaks.get(c, [0])[bisect_right(breaks.get(c, [0]), s) - 1]
                     for c, s in zip(t_doc.tolist(), starts.tolist())], dtype=np.int64)


def _taken(column: pd.Series, rows: np.ndarray):
    """``column`` at ``rows`` with None at -1, typed as pandas types such objects (strings with gaps:
    its "str" type; all None: object); taken in Arrow when that type is the column's."""
    named = rows >= 0
    if named.any() and column.dtype == "str":
        return column.array.take(rows, allow_fill=True)
    return np.where(named, column.to_numpy(dtype=object)[np.maximum(rows, 0)], None)


def _clause_end(text: str, start: int) -> int:
    """Characters from ``start`` to the next , ; or . of ``text`` (to its end when there is none)."""
    tail = text[start:]
    found = [i for i in (tail.find(","), tail.find(";"), tail.find(".")) if i >= 0]
    return min(found) if found else len(tail)


def quoted_share(quotes: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Per document: quotes, words quoted, words in the text and the quoted share (words)."""
    words = pd.Series([len(_WORDS.findall(t or "")) for t in documents["clean_text"]], index=documents["doc_id"])
    out = pd.DataFrame({"doc_id": documents["doc_id"].to_numpy(), "words": words.to_numpy()})
    if quotes.empty:
        return out.assign(quotes=0, quoted_words=0, quoted_share=0.0)[
            ["doc_id", "quotes", "quoted_words", "words", "quoted_share"]]
    agg = quotes.groupby("doc_id").agg(quotes=("quote_id", "size"), quoted_words=("n_words", "sum"))
    out = out.merge(agg.reset_index(), on="doc_id", how="left").fillna({"quotes": 0, "quoted_words": 0})
    out = out.astype({"quotes": int, "quoted_words": int})
    out["quoted_share"] = out["quoted_words"] / out["words"].where(out["words"] > 0)
    return out[["doc_id", "quotes", "quoted_words", "words", "quoted_share"]]


def stat_speakers(quotes: pd.DataFrame, attributions: pd.DataFrame) -> pd.DataFrame:
    """Speakers ranked by words quoted: ``speaker, side, quotes, words_quoted, attributions, verbs, classes``.

    A speaker is the actor when one was resolved, else the speaker words as written; an unresolved
    pronoun is "(unresolved pronoun)", a questioner's turn "(questioner)", no speaker "(unnamed)".
    """
    columns = ["speaker", "side", "quotes", "words_quoted", "attributions", "verbs", "classes"]
    if attributions.empty:
        return pd.DataFrame(columns=columns)
    quotes, attributions = plain(quotes), plain(attributions)  # engine tables hold Categoricals
    named = attributions.assign(who=_who(attributions))
    q = quotes.assign(who=_who(quotes)) if len(quotes) else None
    words = q.groupby("who").agg(quotes=("quote_id", "size"), words_quoted=("n_words", "sum")) if q is not None \
        else pd.DataFrame(columns=["quotes", "words_quoted"])
    verbs = named.groupby("who").agg(
        side=("side", "first"), attributions=("verb", "size"),
        verbs=("verb", lambda v: ", ".join(pd.Series(v).dropna().str.lower().value_counts().index)),
        classes=("verb_class", lambda v: ", ".join(f"{k} {n}" for k, n in pd.Series(v).dropna().value_counts().items())))
    table = verbs.join(words, how="outer").fillna({"quotes": 0, "words_quoted": 0, "attributions": 0})
    table = table.astype({"quotes": int, "words_quoted": int, "attributions": int}).rename_axis("speaker").reset_index()
    return table.sort_values(["words_quoted", "attributions"], ascending=False, kind="stable")[columns].reset_index(drop=True)


def _who(table: pd.DataFrame) -> pd.Series:
    """The speaker each row is counted under in ``stat_speakers``."""
    words = table["speaker"].astype(object)
    lower = words.str.lower().str.strip()
    words = words.mask(lower.isin(PRONOUNS), "(unresolved pronoun)").mask(lower.isin(_QUESTIONERS), "(questioner)")
    return table["actor"].astype(object).fillna(words).fillna("(unnamed)")
