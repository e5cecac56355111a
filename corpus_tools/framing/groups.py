"""Framing by group, over time and around an event (issue 14 items 1-5 for notebook 03): frame shares,
roles per actor, the naming alignment index, speakers, reporting-verb classes and the quoted share, per
group (``compare.stat_by_group``), group x period (``compare.stat_over_time``) and before/after an event
(``compare.stat_event``, difference-in-differences for two groups); the few documents shown close up (the
most typical and the most extreme of each group); and the notebook's commentary and caveats.

Every interval is the seeded cluster bootstrap of ``corpus_tools.compare`` (Davison & Hinkley 1997,
section 3.8): documents are resampled within each group (or period, or side of the event), since the
sentences of one document share its author and tone; a group of one document resamples its units and says
so. ``documents`` is ``Study.documents`` (``doc_id``, ``group``, ``period``, ``date``)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import compare as C
from ..escaping import escape_md, md_code
from ..findings import fmt_num, fmt_pct, listing, plural
from .attribution import quoted_share, stat_speakers
from .frames import stat_sentence_frames
from .naming import score_naming
from .roles import ROLES

#: Frame categories followed over time, around the event and by position (the largest shares).
TOP_FRAMES = 4
#: Actors shown by group (the most evidenced).
TOP_ACTORS = 6
#: Deciles of a document's length for the frame-by-position aggregate.
DECILES = 10
#: A document needs this many content sentences to be picked as typical or extreme.
MIN_PICK_SENTENCES = 3


# --------------------------------------------------------------------------- frames


def frame_presence(hits: pd.DataFrame, sentences: pd.DataFrame, *, lexicon=None) -> pd.DataFrame:
    """One row per sentence and frame category: ``doc_id, sent_id, layer, category, frame`` ("layer:
    category"), ``present`` (1.0 when a live cue of the category is in the sentence) and ``decile`` (1-10,
    the sentence's position in its document: decile k holds the sentences from (k-1)/10 to k/10)."""
    timeline = stat_sentence_frames(hits, sentences, lexicon=lexicon)
    names = [c for c in timeline.columns if c not in ("doc_id", "sent_id")]
    rank = timeline.groupby("doc_id", sort=False).cumcount().to_numpy()
    size = timeline.groupby("doc_id", sort=False)["sent_id"].transform("size").to_numpy()
    keys = timeline[["doc_id", "sent_id"]].assign(decile=rank * DECILES // np.maximum(size, 1) + 1)
    long = keys.loc[np.tile(np.arange(len(keys)), len(names))].reset_index(drop=True)
    present = (timeline[names].to_numpy(float) > 0).T.reshape(-1).astype(float) if names else np.zeros(0)
    frame = np.repeat(names, len(keys))
    layer, category = (np.array([n.split(":", 1)[i] for n in names]).repeat(len(keys)) for i in (0, 1))
    return long.assign(layer=layer, category=category, frame=frame, present=present)


def stat_frame_shares(presence: pd.DataFrame, documents: pd.DataFrame, *, group="group", **options) -> pd.DataFrame:
    """Per frame category and group: the share of sentences carrying it (``mean``) with a cluster-bootstrap
    interval over documents, ``n_documents``, ``n_units`` (sentences). ``options``: ``stat_by_group``'s."""
    table = C.stat_by_group(presence, documents, value="present", group=["frame", *_keys(group)], **options)
    return _in_frame_order(table, presence)


def _keys(group) -> list[str]:
    return [] if group is None else [group] if isinstance(group, str) else list(group)


def _in_frame_order(table: pd.DataFrame, presence: pd.DataFrame) -> pd.DataFrame:
    order = {name: i for i, name in enumerate(dict.fromkeys(presence["frame"]))}
    return table.sort_values("frame", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def top_frames(shares: pd.DataFrame, n: int = TOP_FRAMES) -> list[str]:
    """The ``n`` frame categories with the largest share, ranked by their largest group's share (so a
    frame one group uses much is followed even when the others do not; groups are not pooled)."""
    best = shares.groupby("frame", sort=False)["mean"].max()
    return best[best > 0].sort_values(ascending=False, kind="stable").index[:n].tolist()


def stat_frame_positions(presence: pd.DataFrame, documents: pd.DataFrame, *, frames: list[str], group="group",
                         **options) -> pd.DataFrame:
    """Per followed frame, position decile and group: the share of sentences carrying the frame, with a
    cluster-bootstrap interval over documents (the corpus-level version of the frame timeline)."""
    part = presence[presence["frame"].isin(frames)]
    table = C.stat_by_group(part, documents, value="present", group=["frame", "decile", *_keys(group)], **options)
    table = table.assign(decile=table["decile"].astype(int))  # group keys come back as text
    order = {name: i for i, name in enumerate(frames)}
    return table.sort_values(["frame", *_keys(group), "decile"], key=lambda c: c.map(order) if c.name == "frame" else c,
                             kind="stable").reset_index(drop=True)


def describe_frame_positions(table: pd.DataFrame, *, group="group") -> str:
    """Markdown: per frame and group, where in the documents the frame is most present (decile and share),
    against the first and last deciles."""
    if table.empty:
        return "No sentence carries a followed frame, so there is no frame-by-position profile."
    sentences = []
    for (frame, name), part in table.groupby(["frame", *_keys(group)], sort=False):
        peak = part.sort_values("mean", ascending=False, kind="stable").iloc[0]
        ends = part.set_index("decile")["mean"]
        sentences.append(f"*{_frame_label(frame)}* in **{escape_md(name)}** peaks in decile {int(peak['decile'])} "
                         f"({fmt_pct(peak['mean'])} of sentences; first decile {fmt_pct(ends.get(1, np.nan))}, "
                         f"last {fmt_pct(ends.get(DECILES, np.nan))})")
    return ("Where the followed frames sit in the documents (decile 1 = the first tenth of each document): "
            + "; ".join(sentences) + ". " + _intervals_note())


def _frame_label(frame: str) -> str:
    return escape_md(frame.split(":", 1)[-1].replace("_", " "))


def _intervals_note() -> str:
    return ("Intervals in the figure are 95% percentile bootstrap intervals that resample documents within each "
            "cell (cluster bootstrap).")


# --------------------------------------------------------------------------- documents shown close up


def pick_documents(presence: pd.DataFrame, documents: pd.DataFrame, *, group="group", show_docs=None,
                   min_sentences: int = MIN_PICK_SENTENCES) -> pd.DataFrame:
    """The documents to show close up: those of ``show_docs`` (ids), else per group the most typical (frame
    profile, the share of its sentences carrying each category, nearest the group's mean profile, Euclidean)
    and the most extreme (farthest from it), among documents with at least ``min_sentences`` sentences
    (all when none has). Columns ``doc_id, group, pick, distance, n_sentences, departure`` (the category
    it departs most from the group mean on, with the difference in share)."""
    profile = presence.pivot_table(index="doc_id", columns="frame", values="present", aggfunc="mean", sort=False)
    n = presence.groupby("doc_id", sort=False)["sent_id"].nunique()
    by = _keys(group)[0] if group is not None else None
    labels = documents.set_index("doc_id")[by].astype(str) if by else pd.Series("all documents", index=documents["doc_id"])
    rows = []
    for name, ids in labels.reindex(profile.index).groupby(labels.reindex(profile.index), sort=True).groups.items():
        members = profile.loc[list(ids)]
        mean = members.mean()
        gap = members - mean
        distance = np.sqrt((gap ** 2).sum(axis=1))
        eligible = distance[n.reindex(distance.index) >= min_sentences]
        eligible = eligible if len(eligible) else distance
        typical = eligible.idxmin()
        rest = eligible.drop(typical)
        chosen = [("typical", typical)] + ([("extreme", rest.idxmax())] if len(rest) else [])
        for pick, doc in chosen:
            if show_docs is None:
                rows.append(_pick_row(doc, name, pick, distance[doc], n[doc], gap.loc[doc]))
    if show_docs is not None:
        wanted = [str(d) for d in ([show_docs] if isinstance(show_docs, str) else show_docs)]
        known = [d for d in wanted if d in profile.index]
        for doc in known:
            name = labels[doc]
            members = profile.loc[labels.reindex(profile.index) == name]
            gap = members.loc[doc] - members.mean()
            rows.append(_pick_row(doc, name, "chosen", float(np.sqrt((gap ** 2).sum())), n[doc], gap))
    columns = ["doc_id", "group", "pick", "distance", "n_sentences", "departure"]
    return pd.DataFrame(rows, columns=columns)


def _pick_row(doc, name, pick, distance, n_sentences, gap: pd.Series) -> dict:
    frame = gap.abs().idxmax() if len(gap) and gap.abs().max() > 0 else None
    departure = "" if frame is None else f"{_frame_label(frame)} {100 * gap[frame]:+.0f} points"
    return {"doc_id": doc, "group": name, "pick": pick, "distance": float(distance),
            "n_sentences": int(n_sentences), "departure": departure}


def describe_picks(picks: pd.DataFrame, *, documents: pd.DataFrame, show_docs=None) -> str:
    """Markdown naming the documents shown close up and why each was picked."""
    missing = [] if show_docs is None else [d for d in ([show_docs] if isinstance(show_docs, str) else show_docs)
                                            if str(d) not in set(picks["doc_id"])]
    note = f" Not found (no content sentence or no such id): {listing([md_code(d) for d in missing])}." \
        if missing else ""
    if picks.empty:
        return "No document has content sentences to show." + note
    why = {"typical": "the most typical of its group: its frame profile is nearest the group's mean profile",
           "extreme": "the most extreme of its group: its frame profile is farthest from the group's mean profile",
           "chosen": "chosen with `show_docs`; its frame profile lies"}
    titles = documents.set_index("doc_id")["title"] if "title" in documents else pd.Series(dtype=object)
    items = []
    for row in picks.itertuples():
        title = titles.get(row.doc_id)
        named = md_code(row.doc_id) + (f" (*{escape_md(str(title)[:80])}*)" if isinstance(title, str) and title else "")
        departs = f"; it departs most on *{row.departure}*" if row.departure else ""
        items.append(f"- {named}, **{escape_md(row.group)}**, {plural(row.n_sentences, 'sentence')}: {why[row.pick]} "
                     f"(distance {fmt_num(row.distance, 2)} from the group mean){departs}.")
    lead = ("Documents shown close up (frame timeline and highlighted text), chosen by their frame profile "
            "(the share of their sentences carrying each category) so the figures stay the same size on any corpus:")
    return lead + "\n" + "\n".join(items) + note


# --------------------------------------------------------------------------- roles


def stat_roles_by_group(evidence: pd.DataFrame, documents: pd.DataFrame, *, group="group", actors=None,
                        top: int = TOP_ACTORS, **options) -> pd.DataFrame:
    """Per actor (``actors`` canonical names, else the ``top`` most evidenced), role and group: the share of
    the actor's role evidence in the group that gives it that role (``mean``), its interval (documents
    resampled), ``n_in`` pieces with the role and ``n_units`` pieces in all (``compare.stat_shares``)."""
    if evidence.empty:
        return pd.DataFrame(columns=["role", "canonical", *_keys(group), *C.STAT_COLUMNS, "n_in"])
    ranked = evidence["canonical"].value_counts().index.tolist()
    chosen = [a for a in (ranked[:top] if actors is None else actors) if a in set(ranked)]
    part = evidence[evidence["canonical"].isin(chosen)]
    table = C.stat_shares(part, documents, category="role", group=["canonical", *_keys(group)], categories=ROLES,
                          **options)
    order = {a: i for i, a in enumerate(chosen)}
    return table.sort_values("canonical", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def describe_roles_by_group(table: pd.DataFrame, *, group="group") -> str:
    """Markdown: per actor and group, the role it is mostly given (share, interval, pieces of evidence);
    then per actor the role whose share differs most between groups, and whether the intervals overlap."""
    if table.empty:
        return "No role cue is linked to a followed actor, so there are no roles by group."
    key = _keys(group)
    paragraphs = []
    for actor, part in table.groupby("canonical", sort=False):
        main = part.sort_values("mean", ascending=False, kind="stable").drop_duplicates(key)
        main = main.sort_values(key, kind="stable")
        cast = "; ".join(
            f"**{escape_md(row[key[0]])}** mostly as {row['role']} "
            f"({C._estimate(row['mean'], row['ci_low'], row['ci_high'], fmt=C.percent)}; "
            f"{int(row['n_in'])} of {plural(int(row['n_units']), 'piece')} in {plural(int(row['n_documents']), 'document')})"
            for _, row in main.iterrows()) if key else ""
        text = f"*{escape_md(actor)}*: {cast}."
        if key and part[key[0]].nunique() > 1:
            spread = part.groupby("role")["mean"].agg(lambda m: m.max() - m.min()).idxmax()
            cells = part[part["role"] == spread].sort_values("mean", ascending=False, kind="stable")
            top, bottom = cells.iloc[0], cells.iloc[-1]
            text += (f" The {spread} share differs most: {fmt_pct(top['mean'])} for {escape_md(top[key[0]])} against "
                     f"{fmt_pct(bottom['mean'])} for {escape_md(bottom[key[0]])}. " + C._contrast(top, bottom, None))
        paragraphs.append(text)
    return ("Roles per actor by group (share of the actor's role evidence in each group): " + " ".join(paragraphs)
            + " " + _intervals_note().replace("cell", "group"))


# --------------------------------------------------------------------------- naming


def naming_by_document(hits: pd.DataFrame, documents: pd.DataFrame, *, side_a: str, side_b: str) -> pd.DataFrame:
    """The naming alignment index of every document with a contested name: ``doc_id, hits, side_a_hits,
    side_b_hits, other_hits, alignment, terms`` ((side A hits - side B hits) / all hits, ``score_naming``)."""
    scores = score_naming(hits, documents=documents[["doc_id"]], side_a=side_a, side_b=side_b)
    return scores.dropna(subset=["alignment"]).reset_index(drop=True)


def naming_label(side_a: str, side_b: str) -> str:
    """The value label of the naming alignment index in commentary."""
    return f"naming alignment index (+1: every contested name is {side_a} usage, −1: every one is {side_b} usage)"


# --------------------------------------------------------------------------- voices


def stat_speakers_by_group(quotes: pd.DataFrame, attributions: pd.DataFrame, documents: pd.DataFrame, *,
                           group="group", top: int = 5) -> pd.DataFrame:
    """Per group, its ``top`` speakers by words quoted (``stat_speakers`` on the group's documents), with the
    group's share of quoted words each holds (``share_quoted``)."""
    by = _keys(group)[0] if group is not None else None
    labels = documents.set_index("doc_id")[by].astype(str) if by else pd.Series("all documents", index=documents["doc_id"])
    tables = []
    for name in sorted(labels.unique()):
        ids = set(labels.index[labels == name])
        table = stat_speakers(quotes[quotes["doc_id"].isin(ids)] if len(quotes) else quotes,
                              attributions[attributions["doc_id"].isin(ids)] if len(attributions) else attributions)
        total = table["words_quoted"].sum() if len(table) else 0
        tables.append(table.head(top).assign(group=name, share_quoted=table["words_quoted"].head(top) / total
                                             if total else 0.0))
    columns = ["group", "speaker", "side", "quotes", "words_quoted", "share_quoted", "attributions", "classes"]
    return pd.concat(tables, ignore_index=True)[columns] if tables else pd.DataFrame(columns=columns)


def describe_speakers_by_group(table: pd.DataFrame) -> str:
    """Markdown: per group, who is quoted most and their share of the group's quoted words."""
    if table.empty:
        return "No quotation or reporting verb was found, so there are no speakers by group."
    parts = []
    for name, part in table.groupby("group", sort=True):
        quoted = part[part["words_quoted"] > 0]
        if quoted.empty:
            parts.append(f"**{escape_md(name)}** has attributions but no direct quote")
            continue
        first = quoted.iloc[0]
        parts.append(f"**{escape_md(name)}** quotes *{escape_md(first['speaker'])}* most "
                     f"({plural(int(first['words_quoted']), 'word')}, {fmt_pct(first['share_quoted'])} of its quoted words)")
    return "Who speaks, per group: " + "; ".join(parts) + "."


def quoted_by_document(quotes: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``quoted_share`` per document (words inside direct quotes / words), for ``stat_by_group`` with
    ``weight="words"`` (the group's share of quoted words, documents resampled)."""
    return quoted_share(quotes, documents).dropna(subset=["quoted_share"])


# --------------------------------------------------------------------------- what is absent, caveats


def describe_absent(*, n_documents: int, group_column: str | None, n_groups: int, dated: bool,
                    event_date=None) -> dict[str, str | None]:
    """Per comparison (``groups``, ``time``, ``event``), the one sentence saying why it is absent, or None
    when it is shown."""
    if n_documents <= 1:
        groups = "The corpus is a single document, so there is no comparison between groups."
    elif group_column is None:
        groups = ("No group column is set and the documents have no `side` or `source` with more than one value, "
                  "so the results are for all documents together; set `group_column` to compare outlets or sides.")
    elif n_groups < 2:
        groups = f"Every document has the same {md_code(group_column)} value, so there is no comparison between groups."
    else:
        groups = None
    if n_documents <= 1:
        time = "The corpus is a single document, so there is no trend over time."
    elif not dated:
        time = ("Fewer than two documents carry a parseable date (set `date_column`), so there is no trend over "
                "time.")
    else:
        time = None
    if event_date is None:
        event = "No `event_date` is set, so there is no comparison before and after an event."
    else:
        event = time.replace("trend over time", f"comparison before and after {escape_md(str(event_date))}") \
            if time else None
    return {"groups": groups, "time": time, "event": event}


def describe_caveats(*, n_documents: int, n_tokens: int, n_groups: int, dated: bool, bundled: bool) -> str:
    """The notebook's caveats as Markdown bullets, chosen by the corpus's size and shape (one short text or
    a corpus, several groups, dates) and, for the bundled article only, its translation."""
    items = [
        "**Surface cues, not stance.** A lexicon sees words such as *aggression* or *liberated*, not who asserts "
        "them, irony, or what a text leaves out. A sentence quoting one side's accusation scores like an accusation.",
        "**Roles are heuristic.** Direction comes from word order, voice and a few prepositions, not from a full "
        "parse; pronouns and object control are missed or misread. Treat roles with confidence ≤ 0.5 as leads to "
        "read, not findings.",
    ]
    if n_documents <= 1:
        items.append("**One document is not a sample.** Its intervals resample its sentences: they show how much a "
                     "few sentences move a figure, not uncertainty about other texts.")
    else:
        items.append(f"**Documents are the sampling unit.** Intervals resample the {fmt_num(n_documents)} documents "
                     "within each group or period (cluster bootstrap); they describe these documents, not coverage "
                     "the corpus did not collect.")
    if n_tokens < 2000:
        items.append(f"**Short text.** {plural(n_tokens, 'token')}: one or two sentences move every share; read "
                     "the ranking of close categories as uncertain.")
    if n_groups >= 2:
        items.append("**Groups differ in more than framing.** Outlets or sides differ in genre, length and topic; a "
                     "difference in a frame or a name can come from what each covered. Compare like with like "
                     "(same period, same event) before reading it as a framing choice.")
    if dated:
        items.append("**Periods hold different numbers of documents.** Periods with few documents are marked and "
                     "have wide intervals; a change over time can be a change in what was collected.")
    if bundled:
        items.append("**Translation and house style.** Official English translations (like the bundled statement) "
                     "carry the source language's formulas; cue words tuned to English news may miss or over-count "
                     "them.")
    items.append("**Lexicons are choices.** The cue lists come from the cited codebooks' categories but the words "
                 "are ours; validate them on a hand-coded sample of your corpus (section 10).")
    return "\n".join(f"- {item}" for item in items)


# --------------------------------------------------------------------------- the notebook's other commentary


def describe_corpus(documents: pd.DataFrame, sentences: pd.DataFrame, *, corpus_path, group_column: str | None,
                    dated: bool) -> str:
    """Markdown: the corpus's size, its groups (documents per group) and its dates, and a small-sample
    warning under 2,000 tokens."""
    from ..findings import small_sample_note

    n_tokens = int(sentences["n_tokens"].sum()) if len(sentences) else 0
    text = (f"Corpus {md_code(corpus_path)}: {plural(len(documents), 'document')}, "
            f"{plural(len(sentences), 'content sentence')} (captions and repeated lines left out), "
            f"{plural(n_tokens, 'token')}. ")
    if group_column is not None:
        counts = documents["group"].astype(str).value_counts().sort_index()
        text += (f"Groups by {md_code(group_column)}: "
                 + listing([f"**{escape_md(g)}** ({plural(int(n), 'document')})" for g, n in counts.items()],
                           limit=8) + ". ")
    if dated:
        dates = C.parse_dates(documents["date"]).dropna()
        n_undated = int((documents["period"] == C.NO_DATE).sum())
        text += (f"Dated from {dates.min().date()} to {dates.max().date()} in {documents.loc[documents['period'] != C.NO_DATE, 'period'].nunique()} "
                 f"periods" + (f"; {plural(n_undated, 'document')} without a date, counted apart" if n_undated else "")
                 + ". ")
    return text + small_sample_note(n_tokens, len(sentences))


def describe_actors(actor_table: pd.DataFrame, mentions: pd.DataFrame, candidates: pd.DataFrame) -> str:
    """Markdown on ``stat_actors``: how many actors and mentions, the most mentioned, context-dependent
    names resolved, and candidate actors missing from the gazetteer."""
    if actor_table.empty:
        return "No gazetteer actor is named in this corpus: pass a gazetteer of your own (`gazetteer`) for other conflicts."
    top = actor_table.iloc[0]
    resolved = mentions[mentions["resolved"] != "unique"]
    text = (f"{plural(len(actor_table), 'actor')} are named {plural(int(actor_table['mentions'].sum()), 'time')}; the "
            f"most mentioned is *{escape_md(top['actor'])}* ({plural(int(top['mentions']), 'mention')} in "
            f"{plural(int(top['sentences']), 'sentence')}). ")
    if len(resolved):
        text += (f"{plural(len(resolved), 'context-dependent name')} (e.g. *{escape_md(resolved['matched'].iloc[0])}*) "
                 f"{'was' if len(resolved) == 1 else 'were'} resolved by context "
                 f"({listing(sorted(set(resolved['resolved'].astype(str))))}). ")
    return text + (f"Candidate actors not in the gazetteer: "
                   f"{listing([f'*{escape_md(c)}*' for c in candidates['candidate'].head(8)])}."
                   if len(candidates) else "No recurring capitalised name is missing from the gazetteer.")


def describe_frame_shares(shares: pd.DataFrame, *, top: int = 3) -> str:
    """Markdown: per group, its ``top`` frame categories by share of sentences, with intervals."""
    if shares.empty or not (shares["n_units"] > 0).any():
        return "The corpus has no content sentences, so there are no frame shares."
    parts = []
    for name, part in shares.groupby("group", sort=True):
        best = part[part["mean"] > 0].sort_values("mean", ascending=False, kind="stable").head(top)
        listed = listing([f"*{_frame_label(r['frame'])}* {C._estimate(r['mean'], r['ci_low'], r['ci_high'], fmt=C.percent)}"
                          for _, r in best.iterrows()])
        parts.append(f"**{escape_md(name)}** ({plural(int(part['n_documents'].max()), 'document')}): {listed}")
    return "The largest frame shares (share of sentences with the category) per group: " + "; ".join(parts) + "."


def describe_persuasion(table: pd.DataFrame, hits: pd.DataFrame) -> str:
    """Markdown on ``score_persuasion``: how many cues of how many techniques, and per group the most frequent."""
    if hits.empty:
        return "No persuasion cue was found."
    by = table.columns[0]
    parts = []
    for name, part in table.groupby(by, sort=True):
        first = part.sort_values("hits", ascending=False, kind="stable").iloc[0]
        parts.append(f"**{escape_md(name)}**: *{escape_md(str(first['category']).replace('_', ' '))}* "
                     f"({plural(int(first['hits']), 'hit')}: {escape_md(first['cues'])})")
    return (f"{plural(len(hits), 'persuasion cue')} of {plural(table['category'].nunique(), 'technique')}; the most "
            "frequent per group: " + "; ".join(parts) + ".")


def describe_audit(audit: pd.DataFrame, path_name: str) -> str:
    """Markdown: rows of the audit table per layer and cues voided by negation."""
    counts = audit["layer"].value_counts()
    return (f"**Audit:** {plural(len(audit), 'row')} written to {md_code(path_name)} "
            f"({listing([f'{k} {v}' for k, v in counts.items()], limit=8)}); "
            f"{plural(int(audit['negated'].fillna(False).astype(bool).sum()), 'cue')} voided by negation (kept, "
            "marked `negated`).")


def describe_validation(frame_scores: pd.DataFrame, role_scores: pd.DataFrame) -> str:
    """Markdown on ``validate_frames`` and ``validate_roles`` scores: macro F1 against the always-present
    baseline, Spearman r and Krippendorff's alpha for frames; coverage and accuracy against the majority
    role for roles."""
    macro = frame_scores.set_index("label").loc["macro"]
    acc = role_scores.set_index("label").loc["accuracy"]
    verdict = ("below the .667 threshold for tentative conclusions: use the module to screen and find evidence, "
               "not as a coder" if macro["alpha"] < 0.667 else "at or above the .667 threshold for tentative conclusions")
    return (f"**Validation.** Frames ({fmt_num(macro['n'])} articles): macro F1 {fmt_num(macro['f1'], 2)} against "
            f"{fmt_num(macro['baseline_f1'], 2)} for marking every frame present in every article; mean Spearman r "
            f"{fmt_num(macro['spearman'], 2)}; mean alpha {fmt_num(macro['alpha'], 2)} ({verdict}). Roles: the module "
            f"labels {fmt_pct(acc['coverage'])} of the entities; on those, accuracy {fmt_num(acc['f1_labelled'], 2)} "
            f"against {fmt_num(acc['baseline_f1'], 2)} for always predicting the majority role of those same entities.")


def describe_bundled_interpretation(result, shares: pd.DataFrame, naming: pd.DataFrame, quoted: pd.DataFrame,
                                    persuasion: pd.DataFrame) -> str:
    """The interpretation written for the bundled article (the Azerbaijani foreign ministry's statement),
    labelled as such; call it only when ``config.is_bundled_corpus``. Every number from the tables."""
    roles = result.roles.roles
    az, am = (roles[roles["actor_id"] == a] for a in ("az_state", "am_state"))
    dominant = {layer: part.sort_values("mean", ascending=False, kind="stable")["frame"].iloc[0]
                for layer, part in shares.assign(layer=shares["frame"].str.split(":").str[0]).groupby("layer")}
    hits = max(int(naming["hits"].sum()), 1)
    speakers = stat_speakers(result.quotes, result.attributions)
    classes = result.attributions["verb_class"].value_counts()
    repeated = persuasion.loc[persuasion["category"] == "repetition", "cues"].astype(str).str.cat()
    return ("**Interpretation (bundled article).** The article is an Azerbaijani foreign-ministry statement "
            "republished as news, and its framing is the state's own. "
            f"Its largest generic frame is *{_frame_label(dominant.get('generic', ''))}* and its largest policy dimension "
            f"*{_frame_label(dominant.get('policy', ''))}*: the war is told through international law, self-defence and "
            "security. "
            + (f"The Azerbaijani state is cast as **{az['role'].iloc[0]}** ({az['fine_role'].iloc[0]}) and Armenia as "
               f"**{am['role'].iloc[0]}** ({am['fine_role'].iloc[0]}), while displaced Azerbaijanis and the fallen are "
               "the innocents and martyrs. " if len(az) and len(am) else "")
            + f"{fmt_pct(naming['side_a_hits'].sum() / hits)} of its contested names are Azerbaijani usage "
            f"(alignment {fmt_num(naming['alignment'].iloc[0], 2) if len(naming) else 'n/a'}), and "
            f"{fmt_pct(quoted['quoted_share'].iloc[0] if len(quoted) else 0)} of the words are quotations of "
            f"{listing([escape_md(s) for s in speakers.loc[speakers['quotes'] > 0, 'speaker']])}, introduced by "
            f"{listing([f'{k} ({v})' for k, v in classes.items()])} reporting verbs: the outlet adds no voice from the "
            "other side. The appeals to authority and values and the repetition of a few formulas "
            f"({escape_md(repeated)}) are the statement's persuasive texture.")


#: Phrases true only of the bundled article; ``describe_*`` output for any other corpus must not hold them.
BUNDLED_PHRASES = ("bundled article", "foreign-ministry statement", "Azerbaijani", "the statement's", "One article",
                   "offered Armenia")
