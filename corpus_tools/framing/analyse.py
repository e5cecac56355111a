"""One call for a notebook: every framing layer on a prepared corpus, plus the audit table."""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ..segment import content_sentences
from .actors import find_actors, suggest_actors
from .attribution import find_attributions, find_stance
from .cues import AUDIT_COLUMNS
from .frames import find_frames
from .naming import find_naming
from .persuasion import find_persuasion
from .roles import RoleResult, assign_roles


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


def analyse_framing(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame, *, gazetteer=None,
                    frame_lexicon=None, role_lexicon=None, naming_pairs=None, persuasion_lexicon=None,
                    stance_lexicon=None, reporting_verbs=None, side_column: str = "side",
                    min_candidate_count: int = 2) -> FramingResult:
    """Run every framing layer on content sentences; each lexicon can be replaced by a user's."""
    content = content_sentences(sentences)
    mentions = find_actors(content, gazetteer=gazetteer, documents=documents, side_column=side_column)
    quotes, attributions = find_attributions(documents, content, mentions, verbs=reporting_verbs)
    return FramingResult(
        sentences=content,
        mentions=mentions,
        candidates=suggest_actors(tokens.merge(content[["doc_id", "sent_id"]], on=["doc_id", "sent_id"]), mentions,
                                  min_count=min_candidate_count),
        frames=find_frames(content, tokens, lexicon=frame_lexicon),
        roles=assign_roles(content, tokens, mentions, lexicon=role_lexicon),
        naming=find_naming(content, pairs=naming_pairs),
        quotes=quotes,
        attributions=attributions,
        stance=find_stance(content, tokens, lexicon=stance_lexicon),
        persuasion=find_persuasion(content, tokens, lexicon=persuasion_lexicon),
    )


def audit_table(result: FramingResult) -> pd.DataFrame:
    """Every hit behind every score, one row each: ``doc_id, sent_id, layer, category, cue_id, matched,
    start, end`` (offsets into ``clean_text``), ``weight, negated, sentence``; roles as layer 'role'
    (category = role/fine role of the linked actor). Write it with ``.to_csv`` to check by hand."""
    evidence = result.roles.evidence
    roles = evidence.assign(layer="role", category=evidence["canonical"] + ": " + evidence["role"] + "/"
                            + evidence["fine_role"], negated=False) if not evidence.empty else evidence
    mentions = result.mentions.assign(layer="actor", category=result.mentions["canonical"],
                                      cue_id="actor:" + result.mentions["actor_id"], weight=1.0, negated=False)
    parts = [mentions, result.frames, roles, result.naming, result.stance, result.persuasion]
    parts = [p.reindex(columns=AUDIT_COLUMNS) for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    return pd.concat(parts, ignore_index=True).sort_values(["doc_id", "start", "layer"], kind="stable").reset_index(
        drop=True)
