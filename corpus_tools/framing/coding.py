"""Validation built into every run: a coding sample for two human coders, and the suite's agreement with them.

``python -m corpus_tools sample`` draws sentence units (coded for the narrative frame and the tone of the
sentence) and actor-mention units (coded for the role the sentence gives the actor), stratified by group
and period, and writes a coding sheet with empty ``coder1_*`` / ``coder2_*`` columns and a codebook beside
it. The sheet holds no answer of the suite: they are recomputed at comparison time from the unit ids
(``suite_answers``), so coders stay blind to them (Krippendorff 2004, ch. 11: coders work independently).

Agreement (``stat_agreement``) follows Krippendorff (2004, 2011): alpha (nominal) of the suite with each
coder and between coders, with a percentile bootstrap interval that resamples documents, since sentences
of one document are not independent (cluster bootstrap; Field & Welsh 2007); precision/recall/F1 of the
suite against each coder (and the units both coders agree on); confusion matrices; the disagreements.
Read alpha >= .800 as reliable, .667-.800 as tentative (Krippendorff 2004, p. 241).
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..escaping import escape_md, md_code, neutralise_csv
from ..validate import alpha_from_coincidences, classification_scores, coincidence_matrix
from .frames import NARRATIVE_FRAMES, load_frame_cues, load_frame_mapping
from .roles import NARRATIVE_ROLE, ROLES, load_role_cues

#: The label set of each task; "none" = no frame / no role in this unit.
LABELS: dict[str, tuple[str, ...]] = {
    "frame": (*NARRATIVE_FRAMES, "none"),
    "tone": ("negative", "neutral", "positive"),
    "role": (*NARRATIVE_ROLE.values(), "none"),
}
#: Which unit carries which task.
UNIT_TASKS = {"sentence": ("frame", "tone"), "mention": ("role",)}
CODERS = ("coder1", "coder2")
CODER_COLUMNS = [f"{coder}_{task}" for coder in CODERS for task in LABELS]
SHEET_COLUMNS = ["unit_id", "unit", "doc_id", "sent_id", "before", "text", "after", "mention", "actor",
                 *CODER_COLUMNS]
#: Characters of the document shown before and after the unit's sentence.
CONTEXT_CHARS = 120
MENTION_MARKS = ("[[", "]]")
UNVALIDATED = ("These results are unvalidated for this corpus: draw a coding sample with "
               "`python -m corpus_tools sample --corpus DIR --out coding.csv`, have two people code it "
               "(coding.codebook.md), then rerun with `--param coded=coding.csv`.")
_TASK_UNIT = {task: unit for unit, tasks in UNIT_TASKS.items() for task in tasks}


# --- units and the suite's answers ----------------------------------------------------------------

def sentence_units(sentences: pd.DataFrame) -> pd.DataFrame:
    """One unit per content sentence: ``unit_id`` = ``S:doc_id:sent_id``."""
    units = sentences[["doc_id", "sent_id", "start", "end", "text"]].copy()
    units["doc_id"] = units["doc_id"].astype(str)
    units.insert(0, "unit_id", "S:" + units["doc_id"] + ":" + units["sent_id"].astype(str))
    return units.assign(unit="sentence").reset_index(drop=True)


def mention_units(mentions: pd.DataFrame) -> pd.DataFrame:
    """One unit per actor and sentence (its first mention there; resolved actors only):
    ``unit_id`` = ``M:doc_id:sent_id:start`` (start = the mention's offset in ``clean_text``)."""
    known = mentions[(mentions["resolved"].astype(str) != "unresolved")
                     & ~mentions["actor_id"].astype(str).str.startswith("unresolved")]
    first = known.sort_values(["doc_id", "sent_id", "start"], kind="stable").drop_duplicates(
        ["doc_id", "sent_id", "actor_id"])
    units = first[["doc_id", "sent_id", "start", "end", "matched", "actor_id", "canonical"]].copy()
    units["doc_id"] = units["doc_id"].astype(str)
    units.insert(0, "unit_id", "M:" + units["doc_id"] + ":" + units["sent_id"].astype(str) + ":"
                 + units["start"].astype(str))
    return units.rename(columns={"start": "mention_start", "end": "mention_end"}).assign(
        unit="mention").reset_index(drop=True)


def suite_answers(framing=None, scored: pd.DataFrame | None = None, *, band: float | None = None,
                  mapping=None) -> pd.DataFrame:
    """The suite's label per unit, recomputed from this run: ``unit_id, task, suite``.

    ``framing`` (an ``analyse_framing`` result) gives ``frame`` per sentence (the narrative frame with the
    largest weight of live cues mapped to it by ``framing_frame_mapping``, ties to the mapping's order;
    ``none`` without a cue) and ``role`` per actor mention (the role with the largest weight of the actor's
    evidence in that sentence, ties in protagonist/antagonist/innocent order, as hero/villain/victim;
    ``none`` without evidence). ``scored`` (``sentiment.score_sentences``) gives ``tone``: the default
    score cut at ``±band`` (``sentiment.default_band()`` when None)."""
    parts = []
    if framing is not None:
        parts += [_frame_answers(framing.frames, framing.sentences, mapping),
                  _role_answers(framing.roles.evidence, framing.mentions)]
    if scored is not None:
        parts.append(_tone_answers(scored, band))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["unit_id", "task", "suite"])


def _frame_answers(hits: pd.DataFrame, sentences: pd.DataFrame, mapping=None) -> pd.DataFrame:
    units = sentence_units(sentences)
    table = load_frame_mapping(mapping).table
    order = {frame: i for i, frame in enumerate(dict.fromkeys(table["narrative_frame"]))}
    live = hits[~hits["negated"].astype(bool)] if len(hits) else hits
    answer = pd.Series("none", index=units["unit_id"])
    if len(live):
        live = live.assign(layer=live["layer"].astype(str), category=live["category"].astype(str)).merge(
            table[["layer", "category", "narrative_frame"]], on=["layer", "category"])
        sums = live.assign(doc_id=live["doc_id"].astype(str)).groupby(
            ["doc_id", "sent_id", "narrative_frame"], observed=True)["weight"].sum().reset_index()
        sums["rank"] = sums["narrative_frame"].map(order)
        best = sums.sort_values(["doc_id", "sent_id", "weight", "rank"], ascending=[True, True, False, True]
                                ).drop_duplicates(["doc_id", "sent_id"])
        ids = "S:" + best["doc_id"] + ":" + best["sent_id"].astype(str)
        answer.loc[ids[ids.isin(answer.index)]] = best["narrative_frame"].to_numpy()[ids.isin(answer.index)]
    return pd.DataFrame({"unit_id": answer.index, "task": "frame", "suite": answer.to_numpy()})


def _role_answers(evidence: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    units = mention_units(mentions)
    key = ["doc_id", "sent_id", "actor_id"]
    answer = units[["unit_id", *key]].assign(suite="none")
    if len(evidence) and len(units):
        ev = evidence.assign(doc_id=evidence["doc_id"].astype(str), rank=evidence["role"].map(
            {role: i for i, role in enumerate(ROLES)}))
        sums = ev.groupby([*key, "role", "rank"], observed=True)["weight"].sum().reset_index()
        best = sums.sort_values([*key, "weight", "rank"], ascending=[True, True, True, False, True]
                                ).drop_duplicates(key)
        merged = answer.merge(best[[*key, "role"]], on=key, how="left")
        answer["suite"] = merged["role"].map(NARRATIVE_ROLE).fillna("none").to_numpy()
    return answer[["unit_id"]].assign(task="role", suite=answer["suite"].to_numpy())


def _tone_answers(scored: pd.DataFrame, band: float | None) -> pd.DataFrame:
    from ..sentiment import default_band
    from ..validate import to_three_class

    units = sentence_units(scored)
    tone = to_three_class(scored["score"], neutral_band=default_band() if band is None else band)
    return pd.DataFrame({"unit_id": units["unit_id"], "task": "tone", "suite": tone})


# --- the sample ----------------------------------------------------------------------------------

def periods(dates: pd.Series, how: str = "auto") -> pd.Series:
    """Each date's period label: ``month`` (2022-03), ``quarter`` (2022Q1) or ``year``; ``auto`` = month
    when the dates span at most 12 months, quarter up to 5 years, else year. No date: ``(no date)``."""
    parsed = pd.to_datetime(dates, errors="coerce", format="mixed")
    if how == "auto":
        valid = parsed.dropna()
        span = (valid.max().year - valid.min().year) * 12 + valid.max().month - valid.min().month if len(valid) else 0
        how = "month" if span <= 12 else "quarter" if span <= 60 else "year"
    freq = {"month": "M", "quarter": "Q", "year": "Y"}.get(how)
    if freq is None:
        raise ValueError(f"period must be auto, month, quarter or year, not {how!r}")
    labels = parsed.dt.to_period(freq).astype(str)
    return labels.where(parsed.notna(), "(no date)")


def allocate(sizes: pd.Series, n: int, *, seed: int = 0) -> pd.Series:
    """Units to draw per stratum: one per stratum when ``n`` allows (else ``n`` strata drawn with
    probability proportional to size), the rest proportional to size by highest averages (D'Hondt),
    never more than a stratum holds (proportional allocation, Cochran 1977, section 5.5)."""
    sizes = sizes[sizes > 0]
    take = pd.Series(0, index=sizes.index)
    n = min(n, int(sizes.sum()))
    if n < len(sizes):
        rng = np.random.default_rng(seed)
        chosen = rng.choice(len(sizes), size=n, replace=False, p=(sizes / sizes.sum()).to_numpy())
        take.iloc[chosen] = 1
        return take
    take[:] = 1
    for _ in range(n - len(sizes)):
        room = take < sizes
        take[(sizes / (take + 1)).where(room).idxmax()] += 1
    return take


def draw_units(units: pd.DataFrame, strata: pd.Series, n: int, *, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stratified random sample of ``units`` (``strata``: one label per unit) and its allocation table
    (``stratum, units, drawn``): simple random sampling without replacement within strata, seeded."""
    sizes = strata.value_counts().sort_index()
    take = allocate(sizes, n, seed=seed)
    rng = np.random.default_rng(seed)
    picked = [rng.choice(np.flatnonzero(strata.to_numpy() == stratum), size=k, replace=False)
              for stratum, k in take.items() if k]
    rows = np.sort(np.concatenate(picked)) if picked else np.zeros(0, int)
    allocation = pd.DataFrame({"stratum": sizes.index, "units": sizes.to_numpy(),
                               "drawn": take.reindex(sizes.index, fill_value=0).to_numpy()})
    return units.iloc[rows].assign(stratum=strata.iloc[rows].to_numpy()), allocation


def coding_sample(framing, documents: pd.DataFrame, *, n: int = 200, group: str | None = None,
                  date_column: str | None = "date", period: str = "auto", seed: int = 0):
    """The coding sheet (``SHEET_COLUMNS``, rows in seeded random order) and the allocation table
    (``unit, stratum, units, drawn``): ceil(n/2) sentence units and the rest actor-mention units (either
    kind's shortfall goes to the other), stratified by ``group`` x period of ``date_column``."""
    docs = documents.assign(doc_id=documents["doc_id"].astype(str)).set_index("doc_id")
    stratum = _strata(docs, group, date_column, period)
    sentences = sentence_units(framing.sentences)
    mentions = mention_units(framing.mentions).merge(sentences[["doc_id", "sent_id", "start", "end"]],
                                                     on=["doc_id", "sent_id"])
    kinds = {"sentence": sentences, "mention": mentions}
    want = {"sentence": min(-(-n // 2), len(kinds["sentence"]))}
    want["mention"] = min(n - want["sentence"], len(kinds["mention"]))
    want["sentence"] = min(n - want["mention"], len(kinds["sentence"]))
    drawn, allocations = [], []
    for offset, (kind, units) in enumerate(kinds.items()):
        sample, allocation = draw_units(units, units["doc_id"].map(stratum), want[kind], seed=seed + offset)
        drawn.append(sample)
        allocations.append(allocation.assign(unit=kind))
    sheet = _sheet(pd.concat(drawn, ignore_index=True), docs)
    order = np.random.default_rng(seed).permutation(len(sheet))
    allocation = pd.concat(allocations, ignore_index=True)[["unit", "stratum", "units", "drawn"]]
    return sheet.iloc[order].reset_index(drop=True), allocation


def _strata(docs: pd.DataFrame, group: str | None, date_column: str | None, period: str) -> pd.Series:
    """``group / period`` per document (``(all)`` without a group, ``(no date)`` without dates)."""
    for column in (group, date_column):
        if column is not None and column != "date" and column not in docs.columns:
            raise ValueError(f"column {column!r} not in the corpus; its columns: {', '.join(map(str, docs.columns))}")
    labels = docs[group].fillna("").astype(str).replace("", "(none)") if group else pd.Series("(all)", docs.index)
    dates = docs[date_column] if date_column in docs.columns else pd.Series(pd.NaT, index=docs.index)
    return labels + " / " + periods(dates, period)


def _sheet(units: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    text = docs["clean_text"].astype(str)
    rows = []
    for unit in units.itertuples(index=False):
        body = text[unit.doc_id]
        sentence = body[unit.start:unit.end]
        mention = actor = ""
        if unit.unit == "mention":
            a, b = int(unit.mention_start) - unit.start, int(unit.mention_end) - unit.start
            sentence = f"{sentence[:a]}{MENTION_MARKS[0]}{sentence[a:b]}{MENTION_MARKS[1]}{sentence[b:]}"
            mention, actor = unit.matched, unit.canonical
        rows.append({"unit_id": unit.unit_id, "unit": unit.unit, "doc_id": unit.doc_id, "sent_id": unit.sent_id,
                     "before": _context(body[:unit.start], before=True), "text": _flat(sentence),
                     "after": _context(body[unit.end:], before=False), "mention": mention, "actor": actor})
    return pd.DataFrame(rows, columns=SHEET_COLUMNS[:9]).assign(**{c: "" for c in CODER_COLUMNS})


def _flat(text: str) -> str:
    return " ".join(text.split())


def _context(text: str, *, before: bool) -> str:
    """Up to ``CONTEXT_CHARS`` characters next to the sentence, cut at a word boundary, with an ellipsis."""
    text = _flat(text)
    if len(text) <= CONTEXT_CHARS:
        return text
    part = text[-CONTEXT_CHARS:] if before else text[:CONTEXT_CHARS]
    part = part.split(" ", 1)[-1] if before else part.rsplit(" ", 1)[0]
    return f"… {part}" if before else f"{part} …"


def write_sample(corpus, out, *, n: int = 200, text_column: str = "text", group: str | None = None,
                 date_column: str | None = None, period: str = "auto", seed: int = 0,
                 gazetteer=None) -> pd.DataFrame:
    """``python -m corpus_tools sample``: draw ``coding_sample`` from ``corpus`` and write the sheet to
    ``out`` and the codebook to ``<out stem>.codebook.md`` (each with a ``.meta.json`` sidecar; both must be
    new or unchanged earlier outputs, ``outputs.claim_output_file``). Returns the sheet."""
    from datetime import date

    from ..outputs import claim_output_file, write_output_file
    from ..pipeline import prepare_corpus
    from .analyse import analyse_framing

    sheet_path = claim_output_file(out, inputs=[corpus])  # refuse before reading the corpus
    book_path = claim_output_file(codebook_path(sheet_path), inputs=[corpus])
    prepared = prepare_corpus(corpus, text_column=text_column, show_progress=False)
    if prepared.documents.empty:
        raise ValueError(f"{corpus}: 0 documents loaded (text column {text_column!r})")
    documents = prepared.documents
    if date_column is not None and date_column not in documents.columns:
        raise ValueError(f"date column {date_column!r} not in the corpus; its columns: "
                         f"{', '.join(map(str, documents.columns))}")
    date_column = date_column or ("date" if "date" in documents.columns else None)
    options = {} if gazetteer is None else {"gazetteer": gazetteer}
    framing = analyse_framing(documents, prepared.sentences, prepared.tokens, **options)
    sheet, allocation = coding_sample(framing, documents, n=n, group=group, date_column=date_column,
                                      period=period, seed=seed)
    parameters = {"n": n, "text_column": text_column, "group": group, "date_column": date_column,
                  "period": period, "seed": seed, "gazetteer": None if gazetteer is None else str(gazetteer)}
    meta = {"version": "1", "date": date.today().isoformat(), "license": "as the corpus", "kind": "user",
            "source": f"corpus {corpus} ({len(documents)} documents)", "parameters": parameters}
    write_output_file(sheet_path, neutralise_csv(sheet).to_csv(index=False), {
        **meta, "title": f"Coding sheet for {corpus}",
        "description": f"Written by `python -m corpus_tools sample`: {len(sheet)} units for two coders; "
                       f"instructions in {book_path.name}. Then run with --param coded=THIS_FILE.",
        "allocation": allocation.to_dict("records")})
    write_output_file(book_path, codebook(allocation, group=group, date_column=date_column, sheet=sheet_path.name),
                      {**meta, "title": f"Codebook for {sheet_path.name}",
                       "description": "Instructions and codebook written by `python -m corpus_tools sample`."})
    return sheet


def codebook_path(sheet) -> Path:
    """``coding.csv`` -> ``coding.codebook.md``."""
    sheet = Path(sheet)
    return sheet.with_name(f"{sheet.stem}.codebook.md")


# --- the codebook --------------------------------------------------------------------------------

#: Narrative frames of Frermann, Li, Khanehzar & Mikolajczak (2023), with an example sentence each.
FRAME_DEFINITIONS = {
    "RE": ("Resolution", "a solution to the issue, an action that would resolve it, or who is responsible "
           "for resolving it (talks, ceasefires, aid, sanctions proposed as a remedy)",
           "The ministers agreed to reopen talks on a ceasefire next week."),
    "HI": ("Human interest", "a human face: individuals or groups affected, personal stories, emotions, "
           "suffering or courage told through people",
           "Olena, 34, waited at the border for two days with her children and one bag."),
    "CO": ("Conflict", "disagreement, fighting or competition between parties, countries, groups or people; "
           "winners and losers, attack and counter-attack",
           "The two sides traded artillery fire along the line of contact overnight."),
    "MO": ("Moral", "a moral message: right and wrong, religious or ethical tenets, what people ought to do "
           "or must not do",
           "Killing civilians is a crime that no cause can justify."),
    "EC": ("Economic", "costs, losses or gains, prices, trade, budgets, jobs, the economy",
           "The fighting has cut grain exports and sent fuel prices up by a third."),
}
ROLE_DEFINITIONS = {
    "hero": ("protagonist", "the sentence shows the actor acting to help, protect, defend, rescue, negotiate "
             "or restore, or praises them",
             "[[The rescue teams]] pulled twelve people from the rubble."),
    "villain": ("antagonist", "the sentence shows the actor doing harm (attacking, invading, shelling, "
                "provoking) or blames, accuses or condemns them",
                "[[The occupiers]] shelled the maternity hospital on Wednesday."),
    "victim": ("innocent", "the sentence shows the actor suffering harm or loss, attacked, displaced, "
               "killed, ignored or wrongly blamed",
               "Thousands of [[civilians]] fled the city as the strikes continued."),
}
TONE_DEFINITIONS = {
    "negative": "the sentence as a whole expresses or reports something bad, hostile or critical",
    "neutral": "factual or mixed with no clear lean",
    "positive": "the sentence as a whole expresses or reports something good, hopeful or approving",
}


def codebook(allocation: pd.DataFrame | None = None, *, group: str | None = None, date_column: str | None = None,
             sheet: str = "coding.csv", frame_lexicon=None, mapping=None, role_lexicon=None,
             examples: int = 6) -> str:
    """The coders' instructions and codebook (Markdown): label sets, frame definitions (Frermann et al.
    2023) with the frame lexicon's categories and cue words behind each, role definitions (Frermann et al.
    2023; SemEval-2025 Task 10) with the role lexicon's cues, tone, and the sample's strata."""
    cues = load_frame_cues(frame_lexicon).table
    table = load_frame_mapping(mapping).table
    roles = load_role_cues(role_lexicon).table
    lines = [f"# Codebook for {md_code(sheet)}", "",
             "## How to code", "",
             "Two people code the sheet **independently**: do not discuss units until both are done. Each fills "
             "only their own columns (`coder1_*` or `coder2_*`); leave the other coder's columns empty. Code "
             "every row from its `text` (with `before` and `after` as context only); do not look up the rest of "
             "the article or what corpus_tools says. Write one label per cell, exactly as listed below (case "
             "does not matter). Rows may be sorted or filtered; keep `unit_id` unchanged, it joins your labels "
             "back to the corpus.", "",
             "* `unit` = **sentence**: fill `*_frame` (the one narrative frame the sentence mainly expresses, "
             "or `none`) and `*_tone`. Leave `*_role` empty.",
             f"* `unit` = **mention**: fill `*_role`, the role **this sentence** gives the actor marked "
             f"{md_code(MENTION_MARKS[0] + '...' + MENTION_MARKS[1])} (its canonical name is in `actor`), or "
             f"`none`. Leave `*_frame` and `*_tone` empty.", "",
             "Then run the notebooks with `--param coded=" + sheet + "` (one or two coders' columns filled): "
             "they report Krippendorff's alpha of the suite with each coder and between coders, precision, "
             "recall and F1, confusion matrices and the disagreements.", "",
             "## Frames (`*_frame`)", "",
             "The narrative frames of Frermann, Li, Khanehzar & Mikolajczak (2023). Choose the frame the "
             "sentence **mainly** expresses; `none` when it expresses none of them (e.g. a date, a list of "
             "participants). The categories and cue words are those the suite counts for the frame "
             "(`lexicons/framing_frames.csv`, mapped by `lexicons/framing_frame_mapping.csv`): a help for "
             "reading, not a rule: code the meaning, not the words.", ""]
    for frame, (name, definition, example) in FRAME_DEFINITIONS.items():
        mapped = table[table["narrative_frame"] == frame]
        sources = []
        for row in mapped.itertuples(index=False):
            words = cues[(cues["layer"] == row.layer) & (cues["category"] == row.category)]["pattern"]
            sources.append(f"{row.layer} *{row.category.replace('_', ' ')}* ("
                           + ", ".join(escape_md(w) for w in words.head(examples)) + ")")
        lines += [f"### `{frame}` {name}", "", f"The sentence gives {definition}.", "",
                  f"Example: \"{escape_md(example)}\"", "",
                  "Suite categories: " + ("; ".join(sources) if sources else "none mapped") + ".", ""]
    lines += ["### `none`", "", "No frame: the sentence only reports who, where or when.", "",
              "## Roles (`*_role`)", "",
              "Narrative roles of Frermann et al. (2023) (hero, villain, victim), the protagonist / antagonist / "
              "innocent of SemEval-2025 Task 10 (Piskorski et al. 2025). Code the role **this sentence** gives "
              "the marked actor, whoever is speaking: in \"X accused Y of attacking Z\", Y is the villain the "
              "sentence presents (as X's accusation), Z the victim. `none`: the actor is only mentioned.", ""]
    for label, (role, definition, example) in ROLE_DEFINITIONS.items():
        doer = roles[roles["doer_role"] == role]["pattern"].head(examples)
        target = roles[roles["target_role"] == role]["pattern"].head(examples)
        lines += [f"### `{label}` ({role})", "", f"{definition[0].upper()}{definition[1:]}.", "",
                  f"Example: \"{escape_md(example)}\"", "",
                  "Suite cues: as the doer " + (", ".join(map(escape_md, doer)) or "none")
                  + "; as the target " + (", ".join(map(escape_md, target)) or "none") + ".", ""]
    lines += ["## Tone (`*_tone`)", ""] + [f"* `{label}`: {text}." for label, text in TONE_DEFINITIONS.items()]
    if allocation is not None:
        by = f"{md_code(group)} x period of {md_code(date_column)}" if group and date_column else \
            md_code(group) if group else f"period of {md_code(date_column)}" if date_column else "nothing"
        lines += ["", "## The sample", "",
                  f"Units were drawn at random within strata ({by}): one per stratum when the sample size "
                  f"allows, the rest in proportion to the stratum's size. To weight results to the corpus, "
                  f"weight each unit by units / drawn of its stratum.", "",
                  _md_table(allocation)]
    return "\n".join(lines) + "\n"


def _md_table(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown table, every cell escaped (``escape_md``); floats to 3 decimals."""
    def cell(value) -> str:
        if isinstance(value, float):
            return "" if np.isnan(value) else f"{value:.3f}"
        return escape_md(value)

    head = "| " + " | ".join(escape_md(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


# --- reading a coded sheet -----------------------------------------------------------------------

class CodedFileError(ValueError):
    """A coded sheet that cannot be used; the message names the file, the line and the problem."""


def load_coded(path) -> pd.DataFrame:
    """Read a coded sheet and check it: a ``unit_id`` on every line (unique, as ``sample`` writes them),
    at least one coder column, labels from ``LABELS`` only and only in the columns of the unit's tasks.
    Labels are lower-cased (frames upper-cased); blank = not coded (NaN). Errors name the file and line."""
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise CodedFileError(f"{path}: not a readable CSV coding sheet ({err})") from None
    coders = [c for c in table.columns if c in CODER_COLUMNS]
    if "unit_id" not in table.columns or not coders:
        raise CodedFileError(f"{path}: needs a unit_id column and coder columns ({', '.join(CODER_COLUMNS)}); "
                             f"it has {', '.join(table.columns) or 'none'}")
    ids = table["unit_id"].str.strip().str.lstrip("'")
    for line, unit_id in zip(range(2, len(table) + 2), ids):
        if not unit_id:
            raise CodedFileError(f"{path}, line {line}: no unit_id (keep the column as the sample wrote it)")
        if unit_id[:2] not in ("S:", "M:"):
            raise CodedFileError(f"{path}, line {line}: unit_id {unit_id!r} is not one the sample writes "
                                 f"(S:doc:sentence or M:doc:sentence:offset)")
    repeated = ids[ids.duplicated(keep="first")]
    if len(repeated):
        raise CodedFileError(f"{path}, line {repeated.index[0] + 2}: unit_id {repeated.iloc[0]!r} appears twice")
    out = table.assign(unit_id=ids, unit=np.where(ids.str.startswith("S:"), "sentence", "mention"))
    for column in coders:
        task = column.split("_", 1)[1]
        labels = out[column].str.strip().str.lower()
        labels = labels.str.upper().where(labels.str.upper().isin(NARRATIVE_FRAMES), labels) \
            if task == "frame" else labels
        given = labels != ""
        bad = given & ~labels.isin(LABELS[task])
        wrong_unit = given & (out["unit"] != _TASK_UNIT[task])
        for mask, why in ((bad, lambda v: f"{v!r} is not a {task} label (use {', '.join(LABELS[task])})"),
                          (wrong_unit, lambda v: f"{v!r}: {task} is coded for {_TASK_UNIT[task]} units only, "
                                                 f"this row is a {'sentence' if _TASK_UNIT[task] == 'mention' else 'mention'}")):
            if mask.any():
                row = int(np.flatnonzero(mask.to_numpy())[0])
                raise CodedFileError(f"{path}, line {row + 2}, {column}: {why(out[column].iloc[row])}")
        out[column] = labels.where(given)
    return out


# --- agreement -----------------------------------------------------------------------------------

class Agreement(NamedTuple):
    alpha: pd.DataFrame  # task, pair, n_units, alpha, alpha_lo, alpha_hi
    scores: pd.DataFrame  # task, gold, label, precision, recall, f1, support (suite against each gold)
    confusion: dict  # (task, coder) -> suite x coder counts
    disagreements: pd.DataFrame  # task, unit_id, doc_id, text, actor, suite, coder1, coder2
    unmatched: pd.DataFrame  # coded units this run has no answer for: task, unit_id


def stat_agreement(coded: pd.DataFrame, suite: pd.DataFrame, *, n_boot: int = 1000, level: float = 0.95,
                   seed: int = 0) -> Agreement:
    """Agreement of the suite (``suite_answers``) with the coders of ``coded`` (``load_coded``), per task
    both hold: Krippendorff's alpha (nominal) for suite-coder and coder-coder pairs with a percentile
    bootstrap interval resampling documents (``n_boot``, ``seed``); ``classification_scores`` of the suite
    against each coder and, with two coders, against the units they agree on; confusion matrices; the
    units where any two labels differ."""
    answers = suite.drop_duplicates(["unit_id", "task"]).pivot(index="unit_id", columns="task", values="suite")
    alpha_rows, score_parts, confusion, gaps, unmatched = [], [], {}, [], []
    for task, labels in LABELS.items():
        coders = [c for c in CODERS if f"{c}_{task}" in coded and coded[f"{c}_{task}"].notna().any()]
        if not coders or task not in answers:
            continue
        units = coded[coded[[f"{c}_{task}" for c in coders]].notna().any(axis=1)]
        table = pd.DataFrame({"doc_id": _doc_of(units["unit_id"]).to_numpy(),
                              "suite": answers[task].reindex(units["unit_id"]).to_numpy(),
                              **{c: units[f"{c}_{task}"].to_numpy() for c in coders}}, index=units["unit_id"])
        unmatched.append(pd.DataFrame({"task": task, "unit_id": table.index[table["suite"].isna()]}))
        pairs = [("suite", c) for c in coders] + ([tuple(coders)] if len(coders) == 2 else [])
        for a, b in pairs:
            both = table.dropna(subset=[a, b])
            point, lo, hi = _alpha_interval(both[[a, b]], both["doc_id"], labels, n_boot, level, seed)
            alpha_rows.append({"task": task, "pair": f"{a} - {b}", "n_units": len(both), "alpha": point,
                               "alpha_lo": lo, "alpha_hi": hi})
        golds = {c: table[c] for c in coders}
        if len(coders) == 2:
            golds["coders agree"] = table[coders[0]].where(table[coders[0]] == table[coders[1]])
        for gold, values in golds.items():
            keep = values.notna() & table["suite"].notna()
            score_parts.append(classification_scores(table.loc[keep, "suite"], values[keep], labels)
                               .assign(task=task, gold=gold))
            confusion[(task, gold)] = pd.crosstab(pd.Categorical(table.loc[keep, "suite"], labels),
                                                  pd.Categorical(values[keep], labels), dropna=False,
                                                  rownames=["suite"], colnames=[gold])
        differ = table[["suite", *coders]].apply(lambda row: row.dropna().nunique() > 1, axis=1)
        shown = units.set_index("unit_id").loc[table.index[differ]]
        gaps.append(pd.DataFrame({"task": task, "unit_id": shown.index, "doc_id": table.loc[differ, "doc_id"],
                                  "text": shown.get("text", pd.Series("", index=shown.index)),
                                  "actor": shown.get("actor", pd.Series("", index=shown.index)),
                                  **{c: table.loc[differ, c] for c in ("suite", *coders)}}).reset_index(drop=True))
    scores = pd.concat(score_parts, ignore_index=True) if score_parts else pd.DataFrame(
        columns=["label", "precision", "recall", "f1", "support", "task", "gold"])
    return Agreement(pd.DataFrame(alpha_rows, columns=["task", "pair", "n_units", "alpha", "alpha_lo", "alpha_hi"]),
                     scores[["task", "gold", "label", "precision", "recall", "f1", "support"]], confusion,
                     pd.concat(gaps, ignore_index=True) if gaps else pd.DataFrame(),
                     pd.concat(unmatched, ignore_index=True) if unmatched else pd.DataFrame(columns=["task", "unit_id"]))


def _doc_of(unit_ids: pd.Series) -> pd.Series:
    """The document of each unit id (``S:doc:sent`` / ``M:doc:sent:start``; a doc id may hold ':')."""
    parts = unit_ids.str[2:]
    return parts.str.rsplit(":", n=1).str[0].where(unit_ids.str.startswith("S:"),
                                                   parts.str.rsplit(":", n=2).str[0])


def _alpha_interval(pair: pd.DataFrame, docs: pd.Series, labels, n_boot: int, level: float, seed: int):
    """alpha and its percentile bootstrap interval, documents resampled with replacement: each replicate
    adds the per-document coincidence matrices of the documents drawn (cluster bootstrap)."""
    values = list(labels)
    codes, names = pd.factorize(docs.to_numpy())
    per_doc = np.stack([coincidence_matrix(pair[codes == d], values)[1] for d in range(len(names))]) \
        if len(names) else np.zeros((0, len(values), len(values)))
    point = alpha_from_coincidences(per_doc.sum(axis=0), values)
    if len(names) < 2:
        return point, np.nan, np.nan
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(names), size=(n_boot, len(names)))
    counts = np.stack([np.bincount(row, minlength=len(names)) for row in draws])
    replicates = np.array([alpha_from_coincidences(m, values) for m in np.einsum("bd,dij->bij", counts, per_doc)])
    replicates = replicates[~np.isnan(replicates)]
    if not len(replicates):
        return point, np.nan, np.nan
    tail = (1 - level) / 2
    return point, float(np.quantile(replicates, tail)), float(np.quantile(replicates, 1 - tail))


def describe_agreement(agreement: Agreement, *, max_disagreements: int = 10) -> str:
    """The agreement table as Markdown: per task, alpha with its interval and how to read it, the suite's
    precision/recall/F1 per label, the confusion matrix against each coder, and the first disagreements."""
    lines = []
    for task in dict.fromkeys(agreement.alpha["task"]):
        alpha = agreement.alpha[agreement.alpha["task"] == task]
        shown = alpha.assign(interval=[f"{lo:.3f} to {hi:.3f}" if not np.isnan(lo) else "(one document)"
                                       for lo, hi in zip(alpha["alpha_lo"], alpha["alpha_hi"])])
        lines += [f"### Agreement on {task}", "", _md_table(shown[["pair", "n_units", "alpha", "interval"]]), "",
                  "Krippendorff's alpha (nominal); 95% interval from resampling documents. Read >= .800 as "
                  "reliable, .667-.800 as tentative, below as not reliable (Krippendorff 2004)."
                  + _reading(alpha), ""]
        scores = agreement.scores[agreement.scores["task"] == task]
        lines += [f"Precision, recall and F1 of the suite's {task} (gold = the coder):", "",
                  _md_table(scores.drop(columns="task")), ""]
        for (t, gold), matrix in agreement.confusion.items():
            if t == task:
                lines += [f"Confusion, suite (rows) x {gold} (columns):", "",
                          _md_table(matrix.reset_index().rename(columns={"suite": "suite \\ " + gold})), ""]
        gaps = agreement.disagreements
        gaps = gaps[gaps["task"] == task] if len(gaps) else gaps
        unmatched = agreement.unmatched[agreement.unmatched["task"] == task]
        if len(unmatched):
            lines += [f"{len(unmatched)} coded unit(s) have no answer in this run (another corpus, gazetteer or "
                      f"version?), e.g. {md_code(unmatched['unit_id'].iloc[0])}; left out of suite pairs.", ""]
        lines += [f"{len(gaps)} unit(s) with differing labels" + (f"; the first {max_disagreements}:" if
                                                                  len(gaps) > max_disagreements else ":"), ""]
        if len(gaps):
            lines += [_md_table(gaps.drop(columns="task").head(max_disagreements).fillna("")), ""]
    return "\n".join(lines).strip() + "\n" if lines else UNVALIDATED


def _reading(alpha: pd.DataFrame) -> str:
    between = alpha[~alpha["pair"].str.startswith("suite")]
    if between.empty or np.isnan(between["alpha"].iloc[0]):
        return ""
    value = between["alpha"].iloc[0]
    return (f" The coders agree at {value:.3f}: " + ("the codebook is reliable enough to judge the suite by."
                                                     if value >= 0.667 else
                                                     "revise the codebook and recode before judging the suite "
                                                     "by them."))


def describe_validation_status(coded=None, suite: pd.DataFrame | None = None, **options) -> str:
    """For a notebook: the agreement Markdown of ``coded`` (a path or a ``load_coded`` table) with
    ``suite`` (``suite_answers``), or ``UNVALIDATED`` when nothing is coded."""
    if coded is None or isinstance(coded, str) and not coded.strip():
        return UNVALIDATED
    table = coded if isinstance(coded, pd.DataFrame) else load_coded(coded)
    agreement = stat_agreement(table, suite if suite is not None else suite_answers(), **options)
    if agreement.alpha.empty:
        tasks = sorted(set(suite["task"])) if suite is not None and len(suite) else []
        return (f"The coded file holds no labels for what this notebook computes ({', '.join(tasks) or 'nothing'}). "
                + UNVALIDATED)
    return describe_agreement(agreement)


__all__ = ["Agreement", "CodedFileError", "LABELS", "UNVALIDATED", "codebook", "coding_sample",
           "describe_agreement", "describe_validation_status", "load_coded", "mention_units", "sentence_units",
           "stat_agreement", "suite_answers", "write_sample"]
