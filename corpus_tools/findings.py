"""Sentences for the commentary, rendered from computed tables (never typed in).

Notebooks build prose with these formatters so that a rerun on another corpus
keeps every quoted number true.
"""
from __future__ import annotations

import math


def fmt_num(value, digits: int = 0) -> str:
    """1234.5 -> '1,234' (digits=0) or '1,234.5' (digits=1); NaN -> 'n/a'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def fmt_pct(share, digits: int = 0) -> str:
    """0.256 -> '26%'."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "n/a"
    return f"{100 * share:.{digits}f}%"


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """plural(1, 'document') -> '1 document'; plural(3, 'document') -> '3 documents'."""
    return f"{fmt_num(n)} {word if n == 1 else (plural_form or word + 's')}"


def listing(items, *, limit: int = 5, quote: str = "") -> str:
    """['a', 'b', 'c'] -> 'a, b and c' (at most ``limit`` items, then 'and N more')."""
    items = [f"{quote}{i}{quote}" for i in items]
    if len(items) > limit:
        items = items[:limit] + [f"{len(items) - limit} more"]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def md(text: str):
    """Display ``text`` as Markdown in a notebook (plain print elsewhere)."""
    try:
        from IPython.display import Markdown, display
    except ImportError:  # pragma: no cover - IPython is always installed with the suite
        print(text)
        return
    display(Markdown(text))


def small_sample_note(n_tokens: int, n_sentences: int, *, min_tokens: int = 2000) -> str:
    """A warning sentence when a corpus is too small for stable statistics, else ''."""
    if n_tokens >= min_tokens:
        return ""
    return (f"**Small sample:** {plural(n_tokens, 'token')} in {plural(n_sentences, 'sentence')} "
            f"(below {fmt_num(min_tokens)} tokens). Counts of a few occurrences move rates, "
            "keyness and scores a lot; read the figures as a description of this text, not as "
            "estimates for a wider population.")
