"""One call for a notebook: every framing layer on a prepared corpus, plus the audit table."""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ..segment import content_sentences
from .actors import MENTION_COLUMNS, alias_cues, candidates_at, mentions_from_hits
from .attribution import attributions_from_hits, load_reporting_verbs, stance_cues, verb_cues
from .cues import AUDIT_COLUMNS, match_sets
from .frames import frame_cue_sets
from .keys import sentence_rows, with_sentence
from .naming import naming_cues
from .packs import PackChoice, pack_sides, resolve_pack
from .persuasion import persuasion_cues, with_repetition
from .roles import RoleResult, load_role_cues, role_cues, roles_from_hits


class FramingResult(NamedTuple):
    sentences: pd.DataFrame  # the content sentences analysed (captions and repeated lines dropped)
    mentions: pd.DataFrame  # actor mentions
    candidates: pd.DataFrame  # recurring capitalised names not in the gazetteer
    frames: pd.DataFrame  # frame-cue hits (audit rows)
    roles: RoleResult  # roles per document and actor, with evidence
    naming: pd.DataFrame  # contested-naming hits
    quotes: pd.DataFrame  # direct quotations with speaker and verb
    attributions: pd.DataFrame  # direct and indirect attributions
    stance: pd.DataFrame  # hedges and boosters
    persuasion: pd.DataFrame  # persuasion cues and repetition
    pack: PackChoice  # the gazetteer and contested names used, why, and their coverage of the corpus


def analyse_framing(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame, *, conflict="auto",
                    gazetteer=None, frame_lexicon=None, role_lexicon=None, naming_pairs=None, persuasion_lexicon=None,
                    stance_lexicon=None, reporting_verbs=None, side_column: str = "side",
                    min_candidate_count: int = 2) -> FramingResult:
    """Run every framing layer on content sentences; each lexicon can be replaced by a user's.

    Actors and contested names come from the pack ``packs.resolve_pack`` gives for ``documents``: the
    ``gazetteer`` given (+ ``naming_pairs``), else the pack named by ``conflict`` (a name, Pack or
    PackChoice), else (``"auto"``) the pack that covers the corpus best (``choose_pack``); it is
    ``result.pack``.

    Same tables as calling ``find_actors``, ``find_frames``, ``assign_roles``, ``find_naming``,
    ``find_attributions``, ``find_stance`` and ``find_persuasion`` one by one, but every cue set is
    matched in one pass over the text (``match_sets``)."""
    content = content_sentences(sentences)
    choice = resolve_pack(documents, conflict=conflict, gazetteer=gazetteer, naming_pairs=naming_pairs)
    gazetteer_table, naming = choice.pack.actors, choice.pack.naming
    actors = alias_cues(gazetteer_table) if not gazetteer_table.empty else None
    verbs = load_reporting_verbs(reporting_verbs)
    roles_lexicon = load_role_cues(role_lexicon)
    groups = [[actors[0]] if actors else [], frame_cue_sets(frame_lexicon), [role_cues(roles_lexicon)],
              [naming_cues(naming)] if len(naming) else [], [verb_cues(verbs)], [stance_cues(stance_lexicon)],
              [persuasion_cues(persuasion_lexicon)]]
    actor_hits, frames, role_hits, naming, verb_hits, stance, persuasion = match_sets(
        content, groups, tokens=tokens, negate=[False, True, True, False, False, True, True])
    sided = documents.assign(**{side_column: documents[side_column].map(pack_sides(documents[side_column], choice))}) \
        if side_column in documents.columns else documents  # 'kremlin' -> the pack's 'ru', for context names
    mentions = mentions_from_hits(actor_hits, actors[1], documents=sided, side_column=side_column) \
        if actors else pd.DataFrame(columns=MENTION_COLUMNS)
    quotes, attributions = attributions_from_hits(documents, content, mentions, verbs, verb_hits)
    return FramingResult(
        sentences=content,
        mentions=mentions,
        candidates=candidates_at(tokens, sentence_rows(content, tokens)[0], mentions, min_count=min_candidate_count),
        frames=frames,
        roles=roles_from_hits(role_hits, tokens, mentions, content),
        naming=naming,
        quotes=quotes,
        attributions=attributions,
        stance=stance,
        persuasion=with_repetition(persuasion, content, tokens, mentions=mentions),
        pack=choice,
    )


def audit_table(result: FramingResult) -> pd.DataFrame:
    """Every hit behind every score, one row each: ``doc_id, sent_id, layer, category, cue_id, matched,
    start, end`` (offsets into ``clean_text``), ``weight, negated, sentence`` (joined here from
    ``result.sentences``: hits keep only the keys); roles as layer 'role' (category = role/fine role of
    the linked actor). Write it with ``.to_csv`` to check by hand."""
    evidence = result.roles.evidence
    roles = evidence.assign(layer="role", category=evidence["canonical"] + ": " + evidence["role"] + "/"
                            + evidence["fine_role"], negated=False) if not evidence.empty else evidence
    mentions = result.mentions.assign(layer="actor", category=result.mentions["canonical"],
                                      cue_id="actor:" + result.mentions["actor_id"], weight=1.0, negated=False)
    parts = [mentions, result.frames, roles, result.naming, result.stance, result.persuasion]
    parts = [p.reindex(columns=AUDIT_COLUMNS) for p in parts if not p.empty]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=AUDIT_COLUMNS)
    table = table.sort_values(["doc_id", "start", "layer"], kind="stable").reset_index(drop=True)
    return with_sentence(table, result.sentences)
