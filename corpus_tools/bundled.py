"""The interpretations written for the bundled article (notebooks 01 and 02), each labelled as such and
each number rendered from the computed tables; call them only when ``config.is_bundled_corpus``.

The bundled corpus is one article: the Azerbaijani foreign ministry's statement on the first anniversary
of the 2020 Karabakh war. Notebooks 03 and 04 keep theirs beside their analyses
(``framing.groups.describe_bundled_interpretation``, ``targeted.describe_interpretation``).
"""
from __future__ import annotations

import pandas as pd

from .escaping import escape_md
from .findings import fmt_num, fmt_pct, listing

LABEL = "**Interpretation (bundled article).** "


def _italic(words) -> list[str]:
    return [f"*{escape_md(w)}*" for w in words]


def interpret_cleaning() -> str:
    """What cleaning did to the bundled article (its comment widget cut, its photo caption marked)."""
    return (LABEL + "The article ends with a comment widget (*Notify of / Inline Feedbacks / View all comments*): "
            "the web page's furniture, not the ministry's words, so it is cut. The line about the march of 3,000 "
            "soldiers in Baku appears twice: once as a photo caption without a full stop in the middle of the "
            "text, and once as a sentence near the end. The caption is marked and left out of later counts; the "
            "sentence stays.")


def interpret_sentence_lengths(by_kind: pd.DataFrame) -> str:
    """The bundled article's sentence lengths: its register, and its quoted against its narrative
    sentences (``by_kind``: median tokens per kind of sentence)."""
    medians = by_kind["median"]
    quoted, narrative = medians.get("direct quote", float("nan")), medians.get("narrative", float("nan"))
    return (LABEL + "Long sentences dominate: the statement is written in the formal register of diplomatic "
            "prose, with chains of legal terms (*sovereignty, territorial integrity, and inviolability of "
            f"international borders*). Quoted sentences (median {fmt_num(quoted, 1)} tokens) run "
            f"{'longer' if quoted > narrative else 'no longer'} than narrative ones (median {fmt_num(narrative, 1)}): "
            "the quotes are the ministry's written statement, not speech.")


def interpret_top_terms(word_freq: pd.DataFrame, actor_terms, *, n_words: int) -> str:
    """The two state names' counts, and the top list read as the vocabulary of a communiqué."""
    rows = word_freq[word_freq["term"].isin([a.lower() for a in actor_terms])]
    top = set(word_freq.head(15)["term"])
    official = [w for w in ("international", "republic", "statement", "law", "president", "security") if w in top]
    return (LABEL + "The statement is about two states, and names them constantly: "
            + listing([f"*{escape_md(t)}* {fmt_num(n)} times" for t, n in zip(rows["term"], rows["n"])])
            + f" in {fmt_num(n_words)} words"
            + (f", with *{escape_md(rows['term'].iloc[0])}* the speaker's own name. " if len(rows) else ". ")
            + (f"The rest of the top list is the vocabulary of a foreign-ministry communiqué: "
               f"{listing(_italic(official), limit=6)}. " if official else "")
            + "Words of violence or loss are not among the most frequent; the text frames the anniversary "
            "through law, statehood and official ceremony.")


def interpret_ngrams(bigrams: pd.DataFrame, trigrams: pd.DataFrame) -> str:
    """The repeated phrases read as set diplomatic formulas, with their counts."""
    n = pd.concat([bigrams, trigrams]).set_index("term")["n"]
    count = lambda phrase: fmt_num(n.get(phrase, 0))  # noqa: E731
    return (LABEL + "The repeated phrases are set formulas rather than description: the state's full name "
            f"(*Republic of Azerbaijan*, {count('republic of azerbaijan')} times), the name of the war (*Patriotic "
            f"War*, {count('patriotic war')}), *armed forces*, and the two legal principles the statement asks "
            f"Armenia to respect, *international law* ({count('international law')}) and *territorial integrity* "
            f"({count('territorial integrity')}), next to the offer to *normalize relations* "
            f"({count('normalize relations')}). Repetition of such formulas is typical of diplomatic statements, "
            "which reuse agreed wording.")


def interpret_collocates(collocates: pd.DataFrame) -> str:
    """Armenia's company (the offer), Azerbaijan's (the state's name and verbs of agency), and how few
    co-occurrences every pair rests on."""
    pair = collocates.set_index(["node", "collocate"])
    norm = pair.loc[("Armenia", "normalize")] if ("Armenia", "normalize") in pair.index else None
    return (LABEL + "*Armenia* keeps the company of the offer: "
            + (f"*normalize* co-occurs with it {fmt_num(norm['o11'])} times against {fmt_num(norm['e11'], 2)} "
               "expected, " if norm is not None else "")
            + "because the title and the lede both say that Azerbaijan *offered Armenia to normalize relations*. "
            "*Azerbaijan* collocates most with *republic* (the state's formal name) and with verbs of agency "
            "(*ensured*, *offered*): Azerbaijan is grammatically the actor of the statement. *Territorial "
            "integrity* sits in lists of legal principles with *sovereignty* and *international*. With nodes seen "
            f"{fmt_num(collocates['f_node'].min())} to {fmt_num(collocates['f_node'].max())} times, every pair "
            f"rests on {fmt_num(collocates['o11'].min())} to {fmt_num(collocates['o11'].max())} co-occurrences.")


def interpret_dispersion(positions: pd.DataFrame, *, n_words: int) -> str:
    """Where Armenia stops being named, and where the war's name and the legal principles fall."""
    at = positions.groupby("term")["position"].agg(lambda p: listing([fmt_num(x) for x in p]))
    last_armenia = positions.loc[positions["term"] == "Armenia", "position"].max()
    return (LABEL + "*Azerbaijan* runs through the whole statement; *Armenia* is named only in the first part "
            f"(last mention at word {fmt_num(last_armenia)} of {fmt_num(n_words)}), where the offer and the "
            "accusations are made; the rest turns to restoration, commemoration and ceremony, where Armenia is "
            "not named. "
            + (f"*Patriotic War* (at words {at['Patriotic War']}) marks the lede, the account of the war and the "
               "tribute to the army. " if "Patriotic War" in at else "")
            + (f"*International law* (words {at['international law']}) belongs to the opening offer and to the list "
               "of accusations. " if "international law" in at else "")
            + (f"*Territorial integrity* (words {at['territorial integrity']}) recurs from the offer to the closing "
               "quotation, so the legal claim frames the text from start to end." if "territorial integrity" in at
               else ""))


#: The bundled article's key content words by what they name (shown when significantly over-used).
_KEY_WORDS = {"the two states and their people": ("azerbaijan", "armenia", "azerbaijani", "azerbaijanis"),
              "the president": ("ilham", "aliyev"), "the war": ("patriotic", "war"),
              "the legal-diplomatic vocabulary": ("international", "republic", "normalize", "territorial",
                                                  "integrity", "statement", "law")}


def interpret_keyness(general: pd.DataFrame, *, alpha: float, n_words: int) -> str:
    """The significantly over-used content words against general English, read by what they name, and
    the under-used ones (or that there are none)."""
    sig = general[general["p_adjusted"] < alpha]
    over = set(sig.loc[sig["direction"] == "over", "term"])
    under = sig[sig["direction"] == "under"].sort_values("log_ratio", kind="stable")["term"].tolist()
    named = [f"{what} ({listing(_italic([w for w in words if w in over]), limit=7)})"
             for what, words in _KEY_WORDS.items() if over & set(words)]
    return (LABEL + ("Against general English the key content words name " + listing(named, limit=4)
                     + ": the statement frames the anniversary through statehood, its leader and law. " if named else "")
            + (f"Under-used: {listing(_italic(under), limit=8)}. " if under else
               f"No content word is significantly under-used: in {fmt_num(n_words)} words, "
               "a word general English uses about once in that span can be absent by chance. ")
            + (f"{fmt_pct(sig.loc[sig['direction'] == 'over', 'low_expected'].mean())} of the significant over-used "
               "words have an expected count below 5." if over else ""))
