"""Who does what to whom: clause rules on the token table (agent, patient, claimant of a role cue).

No dependency parser: none on the package registry ships its English model inside a
pip wheel with verifiable provenance (spaCy's models are there only as third-party
mirrors; stanza, UDPipe and trankit download models at run time), so agent and
patient are read from word order, voice and a few closed word classes, in the
manner of shallow semantic-role heuristics (Gildea & Jurafsky 2002 for the
role frames; Jurafsky & Martin, SLP3 ch. 21 for active/passive argument order).
Only sentences holding an actor mention and a directional role cue are read.

Per directional cue (one whose doer and target roles differ):

* **voice**: passive when a participle follows a form of *be/get* (adverbs and
  negators between), is followed by *by*, or has no object before a preposition of
  time or place ("civilians killed in the strike"); the subject is then the patient
  and the mention after *by* the agent ("Y was attacked by X", "towns destroyed by X");
* **verb or noun**: phrase cues are nouns ("aggression"); a lemma cue is a noun
  after a determiner, adjective-like modifier or preposition, before *on / against
  / of*, or beside another role cue ("bomb strike"); a noun takes its agent after
  *by/from*, from a possessor or a mention right before it ("Russian invasion") or
  from the subject of a light verb ("X launched an invasion of Y"), its patient
  after *on / against / of / at* (*to / for* for help: "aid to Y");
* **subject** (agent of an active verb, patient of a passive): the nearest mention
  to the left past auxiliaries, adverbs and negators, with its coordinated mentions
  ("X and Y attacked"); a mention inside a prepositional phrase is skipped for the
  head before it ("civilians in Donbass were attacked"); a pronoun leaves it
  unresolved ("They kill children": no agent, and the children stay the patient);
  a relative pronoun takes its antecedent; a verb right after *and / but / ,*
  shares the clause subject ("X attacked Y and destroyed Z", ", killing ..."); an
  infinitive takes the subject of the verb before *to* ("X offered to negotiate");
* **object** (patient of an active verb): mentions starting within a few tokens after
  the verb before any preposition but *of*, with their coordinated mentions;
* **accusations**: the object of a blame cue is the agent of a gerund after
  *of/for* ("X accused Y of attacking Z": Y agent, Z patient, X the claimant only);
* **negation**: a negated cue (``match_cues``) or a negator / *deny* between subject
  and verb gives no link at all from that clause ("X did not attack Y");
* **reported speech**: in a sentence with "according to S" or a reporting verb
  (``framing_reporting_verbs.csv``) whose subject is S, every link is
  ``claimed_by`` S (its canonical name; "(unresolved: he)" for a pronoun or other
  word), and S gets no role from what it reports.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .cues import inflections, literal_forms

# Closed word classes (grammar, not cue vocabulary).
_BE = frozenset("is are was were be been being get got gets getting 's 're".split())
_AUX = frozenset("""have has had having will would shall should can could may might must do does did also
    reportedly allegedly repeatedly again then still already just ever deliberately systematically indiscriminately
    now once later subsequently themselves itself""".split()) | _BE
_NEGATORS = frozenset("""not no never n't without cannot can't don't doesn't didn't won't wouldn't isn't aren't
    wasn't weren't hasn't haven't hadn't shouldn't nor neither deny denies denied denying""".split())
_DETERMINERS = frozenset("""the a an this these those its their his her our my your another any every each all both
    some several many more most much such other further new fresh renewed recent latest continued ongoing
    large-scale full-scale massive brutal deadly deadliest heavy heavier alleged possible""".split())
_PREPOSITIONS = frozenset("""of in on at for against after amid during despite from with without to into onto
    under over near across around through throughout within between among upon via since before behind toward
    towards""".split())
_PRONOUNS = frozenset("they he she it we i you them us him".split())
_RELATIVES = frozenset("who which that whom".split())
_CONJUNCTS = frozenset({"and", "but", "or", ",", "then"})
_COORDINATION = frozenset({"and", ",", "or", "&"})
_HARD_BREAKS = frozenset({";", ":", "(", ")", "—", "–", '"', "“", "”", "?", "!"})
_SUBORDINATORS = frozenset("""while whereas although though because since if when after before unless until but
    that who which whom where as""".split())
_NOUN_NEXT = frozenset({"on", "against", "of", "upon"})
_PATIENT_PREPS = frozenset({"on", "against", "of", "at", "upon", "targeting"})
_HELP_PREPS = frozenset({"to", "for"})
_AGENT_PREPS = frozenset({"by", "from"})
_REDUCED = frozenset("in during at near after when while since amid as across throughout".split())
_OBJECT_REACH = 6  # tokens between a verb and the first token of its object mention
_LIGHT_VERBS = frozenset(f for w in """launch carry conduct start wage commit stage mount begin unleash continue
    intensify resume order perpetrate provide send deliver give offer extend pledge announce""".split()
                         for f in inflections(w)) | {"carried", "out"}
#: Reporting verbs that put their speaker after them (", said X").
_INVERTED = frozenset(f for w in "say add tell write state explain reply continue".split() for f in inflections(w))
#: Blame cues: their object is the agent of an accusation's gerund, their subject its claimant.
_BLAME = "blame"
_HELP = frozenset({"protect"})


@lru_cache(maxsize=1)
def reporting_forms() -> frozenset:
    """Single-word forms of the bundled reporting verbs (``framing_reporting_verbs.csv``)."""
    from .attribution import load_reporting_verbs
    table = load_reporting_verbs().table
    forms = {f for p, m in zip(table["pattern"], table["match"]) for f in literal_forms(p, m)}
    return frozenset(f for f in forms if " " not in f)


def clause_links(lower: np.ndarray, lemma: np.ndarray, sentence: np.ndarray, cues: dict, m0: np.ndarray,
                 m1: np.ndarray, names: np.ndarray):
    """Links of directional cues to mentions by the rules in the module docstring.

    ``lower``/``lemma``/``sentence``: per global token position (as ``roles._token_stream``);
    ``cues``: arrays ``c0, c1`` (token spans), ``act``, ``noun`` (phrase cue), negated cues left out;
    ``m0, m1``: mention token spans sorted by ``m0``; ``names``: canonical name per mention.
    Returns ``(cue, mention, direction, claimed_by)`` arrays (``direction`` 'doer' or 'target')."""
    c0, c1 = cues["c0"], cues["c1"]
    out = ([], [], [], [])
    if not len(c0) or not len(m0):
        return tuple(np.asarray(o, dtype=np.int64 if i < 2 else object) for i, o in enumerate(out))
    c_sent, m_sent = sentence[c0], sentence[np.minimum(m0, len(sentence) - 1)]
    shared = np.intersect1d(c_sent, m_sent)
    c_order = np.argsort(c_sent, kind="stable")
    c_bounds = np.searchsorted(c_sent[c_order], shared), np.searchsorted(c_sent[c_order], shared, side="right")
    m_order = np.argsort(m_sent, kind="stable")
    m_bounds = np.searchsorted(m_sent[m_order], shared), np.searchsorted(m_sent[m_order], shared, side="right")
    s_first = np.searchsorted(sentence, shared)
    s_last = np.searchsorted(sentence, shared, side="right")
    for k in range(len(shared)):
        cue_rows = c_order[c_bounds[0][k]:c_bounds[1][k]]
        men_rows = m_order[m_bounds[0][k]:m_bounds[1][k]]
        start = int(s_first[k])
        clause = _Clause(lower[start:s_last[k]].tolist(), lemma[start:s_last[k]].tolist(),
                         [(int(m0[j]) - start, int(m1[j]) - start) for j in men_rows],
                         [str(names[j]) for j in men_rows])
        spans = [(int(c0[i]) - start, int(c1[i]) - start) for i in cue_rows]
        for (cue, mention, direction, claim) in clause.links(spans, [cues["act"][i] for i in cue_rows],
                                                             [bool(cues["noun"][i]) for i in cue_rows]):
            out[0].append(cue_rows[cue])
            out[1].append(men_rows[mention])
            out[2].append(direction)
            out[3].append(claim)
    return (np.asarray(out[0], dtype=np.int64), np.asarray(out[1], dtype=np.int64),
            np.asarray(out[2], dtype=object), np.asarray(out[3], dtype=object))


class _Clause:
    """One sentence: words, the mention covering each token, and the readings of the rules."""

    def __init__(self, words: list, lemmas: list, mentions: list, names: list):
        self.w, self.lemma, self.spans, self.names = words, lemmas, mentions, names
        self.owner = [-1] * len(words)
        for j, (a, b) in enumerate(mentions):
            for t in range(a, min(b, len(words))):
                self.owner[t] = j
        self.cue_at = {}

    # -- word tests -------------------------------------------------------------------------------------------
    def word(self, i: int) -> str:
        return self.w[i] if 0 <= i < len(self.w) else ""

    def participle(self, i: int) -> bool:
        w = self.w[i]
        return w != self.lemma[i] and not w.endswith(("ing", "s")) or w.endswith("ed")

    def reduced_relative(self, i: int) -> bool:
        """A past participle with no object, right before a preposition of time or place, after its
        noun: "civilians killed in the strike" (a transitive act with no object reads as passive)."""
        return (self.w[i] != self.lemma[i] and not self.w[i].endswith("ing") and self.word(i + 1) in _REDUCED
                and self.word(i + 2) != "least" and self.word(i - 1) not in _AUX)

    def base_form(self, i: int) -> bool:
        return self.w[i] == self.lemma[i]

    def boundary(self, i: int) -> bool:
        """Token ``i`` starts a new clause segment (or is a break)."""
        return self.w[i] in _HARD_BREAKS or self.w[i] == "," or (self.w[i] in _SUBORDINATORS and self.owner[i] < 0)

    # -- argument readers -------------------------------------------------------------------------------------
    def coordinated_left(self, j: int) -> list:
        """Mention ``j`` and the mentions coordinated before it ("X, Y and Z"; a bare comma only
        inside such a list, so "According to X, Y attacked" keeps Y alone)."""
        found = [j]
        a = self.spans[j][0]
        while True:
            i = a - 1
            while i >= 0 and self.w[i] in _COORDINATION:
                i -= 1
            joined = set(self.w[i + 1:a])
            if i == a - 1 or i < 0 or self.owner[i] < 0 or self.owner[i] in found \
                    or (joined == {","} and len(found) == 1):
                return found
            found.append(self.owner[i])
            a = self.spans[self.owner[i]][0]

    def coordinated_right(self, j: int, limit: int) -> list:
        """Mention ``j`` and the mentions coordinated after it, starting before ``limit`` (a bare comma
        only when the list goes on after the next mention)."""
        found = [j]
        b = self.spans[j][1]
        while True:
            i = b
            while i < limit and self.w[i] in _COORDINATION | _DETERMINERS:
                i += 1
            if i == b or i >= limit or self.owner[i] < 0 or self.owner[i] in found:
                return found
            if not set(self.w[b:i]) & {"and", "or", "&"} and self.word(self.spans[self.owner[i]][1]) not in _COORDINATION:
                return found
            found.append(self.owner[i])
            b = self.spans[self.owner[i]][1]

    def subject(self, i: int, depth: int = 0):
        """``(mentions, negated)``: the subject left of position ``i`` (a verb's first token)."""
        negated = False
        k = i - 1
        while k >= 0 and self.owner[k] < 0 and (self.w[k] in _AUX or self.w[k] in _NEGATORS or self.w[k].endswith("ly")):
            negated |= self.w[k] in _NEGATORS
            k -= 1
        if k < 0:
            return [], negated
        w = self.w[k]
        if self.owner[k] >= 0:
            group = self.coordinated_left(self.owner[k])
            first = min(self.spans[j][0] for j in group)
            p = first - 1
            while p >= 0 and self.w[p] in _DETERMINERS:
                p -= 1
            if p >= 0 and self.w[p] in _PREPOSITIONS and self.w[p] not in _SUBORDINATORS and depth < 2:
                # a PP ("civilians in Donbass"): its head is further left; "after X attacked" is a clause
                head = self.subject(p, depth + 1)[0]
                return head, negated
            return group, negated
        if w in _PRONOUNS:
            return [], negated
        if w == "," and depth < 2:  # "X, who ..., attacked": the antecedent of a relative clause
            r = k - 1
            while r >= 0 and self.w[r] not in _RELATIVES and self.w[r] not in _HARD_BREAKS and self.w[r] != ",":
                r -= 1
            if r >= 1 and self.w[r] in _RELATIVES and self.owner[r - 1 - (self.w[r - 1] == ",")] >= 0:
                return self.subject(r, depth + 1)[0], negated
        if w not in _CONJUNCTS and w not in _RELATIVES and w not in _PREPOSITIONS and w not in _HARD_BREAKS \
                and w not in _DETERMINERS and depth < 2:
            if k >= 1 and self.owner[k - 1] >= 0:  # a mention modifying the head noun ("the TPLF junta")
                return self.coordinated_left(self.owner[k - 1]), negated
            p = k - 1
            while p >= 0 and k - p <= 3 and self.owner[p] < 0 and self.w[p] not in _PREPOSITIONS \
                    and self.w[p] not in _HARD_BREAKS | _CONJUNCTS | _RELATIVES:
                p -= 1
            if p >= 1 and self.w[p] in _PREPOSITIONS and self.w[p] not in _SUBORDINATORS | {"to"}:
                return self.subject(p, depth + 1)[0], negated
            return [], negated
        if w in _RELATIVES:
            p = k - 1 if self.word(k - 1) != "," else k - 2
            return (self.coordinated_left(self.owner[p]) if p >= 0 and self.owner[p] >= 0 else []), negated
        if w in _CONJUNCTS and depth < 2:
            return self.clause_subject(k, depth + 1), negated
        if w == "to" and self.base_form(i) and depth < 2:  # infinitive: the subject of the verb before 'to'
            p = k - 1
            while p >= 0 and self.owner[p] < 0 and self.w[p] in _AUX | _NEGATORS:
                p -= 1
            sub, neg = self.subject(p, depth + 1) if p >= 0 and self.owner[p] < 0 else ([], False)
            return sub, negated or neg
        return [], negated

    def clause_subject(self, k: int, depth: int) -> list:
        """The subject at the start of the clause segment holding position ``k`` (a conjunction), or of
        the segment before when ``k`` opens its own (", killing ...")."""
        start = k
        while start > 0 and not self.boundary(start - 1):
            start -= 1
        if start == k:
            while start > 0 and self.w[start - 1] == ",":
                start -= 1
            while start > 0 and not self.boundary(start - 1):
                start -= 1
        while start < k and self.w[start] in _DETERMINERS | _CONJUNCTS:
            start += 1
        if start >= k or self.owner[start] < 0:
            return []
        j = self.owner[start]
        end = self.spans[j][1]
        group = [j]
        i = end
        while i < k and self.w[i] in _COORDINATION:
            i += 1
        if i > end and i < k and self.owner[i] >= 0:
            group.extend(self.coordinated_right(self.owner[i], k))
        return group

    def after(self, i: int, preps: frozenset, reach: int = 3) -> list:
        """Mentions right after one of ``preps`` at position ``i`` (determiners skipped)."""
        if self.word(i) not in preps:
            return []
        k = i + 1
        while k < len(self.w) and k - i <= reach and self.owner[k] < 0 and self.w[k] in _DETERMINERS:
            k += 1
        if k < len(self.w) and self.owner[k] >= 0:
            return self.coordinated_right(self.owner[k], len(self.w))
        return []

    def object(self, end: int) -> list:
        """Mentions of the object after a verb ending at ``end``."""
        k = end
        while k < len(self.w) and k - end <= _OBJECT_REACH and self.owner[k] < 0:
            w = self.w[k]
            if (w in _PREPOSITIONS and w != "of") or w in _HARD_BREAKS or w == "," or w in _RELATIVES \
                    or w in reporting_forms() or k in self.cue_at:
                return []
            k += 1
        if k < len(self.w) and k - end <= _OBJECT_REACH and self.owner[k] >= 0:
            return self.coordinated_right(self.owner[k], len(self.w))
        return []

    def is_noun(self, a: int, b: int, phrase: bool) -> bool:
        """The cue at ``a:b`` is used as a noun (phrase cues unless after a form of *be*)."""
        if phrase:
            return self.word(a - 1) not in _BE
        prev, nxt = self.word(a - 1), self.word(b)
        return (prev in _DETERMINERS or (prev in _PREPOSITIONS and prev != "to") or prev == "'s"
                or prev in _LIGHT_VERBS or nxt in _NOUN_NEXT or (nxt in _AGENT_PREPS and not self.participle(b - 1))
                or (a - 1) in self.cue_at or (b in self.cue_at and self.base_form(b - 1)))

    def light_verb_subject(self, a: int) -> list:
        """Subject of a light verb ("launched", "carried out") a few modifiers before noun cue ``a``."""
        k = a - 1
        while k >= 0 and self.owner[k] < 0 and self.w[k] in _DETERMINERS:
            k -= 1
        if self.word(k) == "of" and k >= 2 and self.owner[k - 1] < 0:  # "started a war of aggression"
            k -= 2
            while k >= 0 and self.owner[k] < 0 and self.w[k] in _DETERMINERS:
                k -= 1
        if k >= 0 and self.w[k] == "out" and self.word(k - 1) in _LIGHT_VERBS:
            k -= 1
        if k >= 0 and self.owner[k] < 0 and self.w[k] in _LIGHT_VERBS:
            sub, negated = self.subject(k)
            return [] if negated else sub
        return []

    def premodifier(self, a: int) -> list:
        """A mention right before a noun cue, or its possessor ("Russian invasion", "Russia's attack")."""
        k = a - 1 if self.word(a - 1) != "'s" else a - 2
        return [self.owner[k]] if k >= 0 and self.owner[k] >= 0 else []

    def speaker(self):
        """``(mention or None, claimant name)`` of a reporting frame in the sentence, else ``(None, "")``."""
        for i, w in enumerate(self.w):
            if w == "according" and self.word(i + 1) == "to":
                found = self.after(i + 1, frozenset({"to"}))
                return (found[0], self.names[found[0]]) if found else (None, "(unresolved: according to)")
            if w in reporting_forms() and self.owner[i] < 0:
                sub, _ = self.subject(i)
                if sub:
                    return sub[0], self.names[sub[0]]
                k = i - 1
                while k >= 0 and self.w[k] in _AUX:
                    k -= 1
                nxt = i + 1
                while nxt < len(self.w) and self.w[nxt] in _DETERMINERS:
                    nxt += 1
                if nxt < len(self.w) and self.owner[nxt] >= 0 and w in _INVERTED \
                        and (k < 0 or self.w[k] in {",", "”", '"'}):
                    return self.owner[nxt], self.names[self.owner[nxt]]  # inversion: ', said X'
                if k >= 0 and self.w[k] not in _HARD_BREAKS | {","}:
                    return None, f"(unresolved: {self.w[k]})"
        return None, ""

    # -- the rules ---------------------------------------------------------------------------------------------
    def links(self, spans: list, acts: list, phrase: list):
        """``(cue index, mention index, direction, claimed_by)`` for the cues at ``spans``."""
        self.cue_at = {t: n for n, (a, b) in enumerate(spans) for t in range(a, b)}
        speaker, claim = self.speaker()
        found, accused = [], {}
        for n in sorted(range(len(spans)), key=lambda n: acts[n] != _BLAME):  # blame first: it feeds gerunds
            a, b = spans[n]
            agents, patients, local_claim = self.arguments(a, b, acts[n], phrase[n], accused)
            if agents is None:
                continue
            if acts[n] == _BLAME:  # the accuser claims, is no party to the act
                local_claim = self.names[agents[0]] if agents else claim
                accused[a] = (patients, local_claim)
                agents = []
            for role, group in (("doer", agents), ("target", patients)):
                for j in group:
                    if j != speaker:
                        found.append((n, j, role, local_claim if local_claim is not None else claim))
        return found

    def arguments(self, a: int, b: int, act: str, phrase: bool, accused: dict):
        """``(agents, patients, claim)`` of the cue spanning ``a:b`` (agents None = negated clause)."""
        head = b - 1
        blamed = [s for s in accused if s < a]
        if self.word(a - 1) in ("of", "for") and self.w[head].endswith("ing") and blamed:
            culprits, claimant = accused[max(blamed)]
            return culprits, self.object(b), claimant
        if self.is_noun(a, b, phrase):
            agents = self.after(b, _AGENT_PREPS) or self.premodifier(a) or self.light_verb_subject(a)
            preps = _PATIENT_PREPS | _HELP_PREPS if act in _HELP else _PATIENT_PREPS
            return agents, self.after(b, preps), None
        prefix = a - 1
        while prefix >= 0 and self.owner[prefix] < 0 and (self.w[prefix] in _AUX or self.w[prefix] in _NEGATORS
                                                          or self.w[prefix].endswith("ly")):
            prefix -= 1
        passive = self.participle(head) and (self.word(b) == "by" or self.reduced_relative(head) or any(
            self.w[t] in _BE for t in range(prefix + 1, a)))
        subject, negated = self.subject(a)
        if negated:
            return None, None, None
        if passive:
            return self.after(b, frozenset({"by"})), subject, None
        return subject, self.object(b) or self.after(b, _PATIENT_PREPS - {"of"}), None
