"""An HTML rendering of a document with cue spans highlighted (escaped; colour-blind-safe colours)."""
from __future__ import annotations

import pandas as pd

from ..escaping import escape_html
from ..plots import PALETTE


def render_highlights(text: str, hits: pd.DataFrame, *, label_column: str = "category",
                      title_column: str = "cue_id", colours: dict | None = None) -> str:
    """``text`` as HTML with each hit span (``start``/``end`` into ``text``) marked and a legend.

    Overlapping spans: the earlier (then longer) one is kept, so every character
    is shown once. Colours come from the Okabe-Ito palette unless ``colours``
    maps labels to CSS colours; labels are also written in each mark's tooltip,
    so colour is never the only cue.
    """
    spans = hits.sort_values(["start", "end"], ascending=[True, False], kind="stable") if len(hits) else hits
    labels = list(dict.fromkeys(spans[label_column])) if len(spans) else []
    palette = colours or {label: PALETTE[i % (len(PALETTE) - 1)] for i, label in enumerate(labels)}
    pieces, position = [], 0
    for row in spans.itertuples(index=False):
        start, end = int(row.start), int(row.end)
        if start < position or end > len(text):
            continue
        label = getattr(row, label_column)
        tip = escape_html(f"{label} ({getattr(row, title_column)})")
        pieces.append(escape_html(text[position:start]))
        pieces.append(f'<mark title="{tip}" style="background:{_tint(palette[label])};'
                      f'border-bottom:3px solid {palette[label]};padding:0 1px">{escape_html(text[start:end])}'
                      f'<sup style="font-size:0.65em;color:#333">{escape_html(_short(label))}</sup></mark>')
        position = end
    pieces.append(escape_html(text[position:]))
    body = "".join(pieces).replace("\n\n", "</p><p>").replace("\n", "<br>")
    legend = " ".join(f'<span style="background:{_tint(palette[label])};border-bottom:3px solid {palette[label]};'
                      f'padding:0 4px;margin-right:6px">{escape_html(str(label))} '
                      f'<sup>{escape_html(_short(label))}</sup></span>' for label in labels)
    return (f'<div style="font-family:Georgia,serif;line-height:1.6;max-width:46em">'
            f'<div style="font-family:sans-serif;font-size:0.85em;margin-bottom:0.8em"><b>Legend:</b> '
            f'{legend or "no cues found"}</div><p>{body}</p></div>')


def _tint(hex_colour: str, amount: float = 0.7) -> str:
    """A light tint of a colour (mixed with white) so text on it stays readable."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (r, g, b))


def _short(label) -> str:
    words = str(label).replace("_", " ").split()
    return "".join(w[0] for w in words).upper()[:3] if words else ""


def render_documents(picks: pd.DataFrame, documents: pd.DataFrame, hits: pd.DataFrame, **options) -> str:
    """The documents of ``picks`` (``groups.pick_documents``) as collapsed HTML sections, each titled with
    its id, group and why it was picked, holding ``render_highlights`` of its text and its ``hits``."""
    texts = documents.drop_duplicates("doc_id").set_index("doc_id")["clean_text"]
    sections = []
    for row in picks.itertuples():
        own = hits[hits["doc_id"].astype(str) == str(row.doc_id)] if len(hits) else hits
        summary = escape_html(f"{row.doc_id} · {row.group} · {row.pick}")
        sections.append(f"<details><summary><b>{summary}</b></summary>"
                        f"{render_highlights(str(texts.get(row.doc_id, '')), own, **options)}</details>")
    return "".join(sections)
