"""Framing analysis with evidence: actors, frames, entity roles, contested naming, attribution, persuasion.

Every score is traceable to cue ids, matched spans (offsets into ``clean_text``)
and sentences: ``audit_table(analyse_framing(...))``. Method notes:
``docs`` of the project and each module's docstring.
"""
from .actors import (find_actors, gazetteer_from_entities, load_gazetteer, merge_candidates, stat_actors,
                     suggest_actors)
from .analyse import FramingResult, analyse_framing, audit_table
from .attribution import (find_attributions, find_stance, load_reporting_verbs, load_stance_cues, quoted_share,
                          stat_speakers)
from .discover import propose_actors
from .cues import AUDIT_COLUMNS, compile_cues, inflections, load_cue_table, match_cues
from .frames import (find_frames, frame_categories, frame_intervals, load_frame_cues, load_frame_mapping, score_frames, score_narrative_frames,
                     stat_sentence_frames)
from .html import render_documents, render_highlights
from .keys import with_sentence
from .naming import find_naming, load_naming_pairs, score_naming, stat_naming_terms
from .persuasion import find_persuasion, find_repetition, load_persuasion_cues, score_persuasion
from .plots import (plot_actor_roles, plot_event, plot_frame_coverage, plot_frame_timeline, plot_frame_timelines,
                    plot_group_estimates, plot_naming, plot_roles_by_group, plot_series, plot_speakers)
from .roles import RoleResult, assign_roles, load_role_cues, roles_for_entities, stat_actor_roles
from .validation import Validation, validate_frames, validate_roles

__all__ = [
    "AUDIT_COLUMNS", "FramingResult", "RoleResult", "Validation", "analyse_framing", "assign_roles", "audit_table",
    "compile_cues", "find_actors", "find_attributions", "find_naming", "find_persuasion", "find_repetition",
    "find_frames", "find_stance", "frame_categories", "frame_intervals", "gazetteer_from_entities", "inflections", "load_cue_table", "load_frame_cues",
    "load_frame_mapping", "load_gazetteer", "load_naming_pairs", "load_persuasion_cues", "load_reporting_verbs",
    "load_role_cues", "load_stance_cues", "match_cues", "merge_candidates", "plot_actor_roles", "plot_frame_coverage",
    "plot_event", "plot_frame_timeline", "plot_frame_timelines", "plot_group_estimates", "plot_naming",
    "plot_roles_by_group", "plot_series", "plot_speakers", "render_documents", "propose_actors", "quoted_share", "render_highlights",
    "roles_for_entities",
    "score_frames", "score_naming", "score_narrative_frames", "score_persuasion", "stat_actor_roles", "stat_actors",
    "stat_naming_terms", "stat_sentence_frames", "stat_speakers", "suggest_actors", "validate_frames",
    "validate_roles", "with_sentence",
]
