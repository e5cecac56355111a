"""Attribution: quotes, speakers, reporting-verb classes, quoted share, hedges and boosters."""
import pytest

from corpus_tools.framing.actors import find_actors
from corpus_tools.framing.attribution import find_attributions, find_stance, quoted_share, stat_speakers
from tests.framing_helpers import prepared

SEED_LIKE = ("“Azerbaijan is ready to normalize relations”, Ministry of Foreign Affairs of Azerbaijan said in a "
             "statement.\n\n“One year ago today the war began”, statement read.\n\n"
             "Foreign Ministry urged the Armenian government to respect the principles.\n\n"
             "“We commemorate the memory of all our Martyrs”, statement concluded.")


def run(*texts):
    corpus, sentences = prepared(*texts)
    mentions = find_actors(sentences, documents=corpus.documents)
    quotes, attributions = find_attributions(corpus.documents, sentences, mentions)
    return corpus, sentences, quotes, attributions


def test_seed_style_quotes_speakers_and_inheritance():
    corpus, _, quotes, attributions = run(SEED_LIKE)
    assert quotes["verb"].tolist() == ["said", "read", "concluded"]
    assert quotes["speaker"].tolist() == ["Ministry of Foreign Affairs of Azerbaijan", "statement", "statement"]
    assert quotes["actor"].tolist() == ["Azerbaijani Foreign Ministry"] * 3
    assert quotes["resolved"].tolist() == ["named", "previous speaker", "previous speaker"]
    assert set(quotes["verb_class"]) == {"neutral"}
    indirect = attributions[attributions["kind"] == "indirect"]
    assert indirect[["verb", "verb_class", "actor"]].values.tolist() == [
        ["urged", "directive", "Azerbaijani Foreign Ministry"]]
    text = corpus.documents["clean_text"].iloc[0]
    first = quotes.iloc[0]
    assert text[first["start"]:first["end"]] == "“Azerbaijan is ready to normalize relations”"


@pytest.mark.parametrize("text,speaker,verb,verb_class", [
    ('"We will respond," said Prime Minister Nikol Pashinyan.', "Prime Minister Nikol Pashinyan", "said", "neutral"),
    ("He stressed: “The border is closed.”", "He", "stressed", "assertive"),
    ("“It was a provocation”, the ministry claimed.", "the ministry", "claimed", "distancing"),
    ("“They shelled us”, Baku accused.", "Baku", "accused", "accusatory"),
])
def test_speaker_before_or_after_and_verb_classes(text, speaker, verb, verb_class):
    _, _, quotes, _ = run(text)
    assert quotes[["speaker", "verb", "verb_class"]].values.tolist() == [[speaker, verb, verb_class]]


def test_quoted_share_and_speaker_ranking_hand_computed():
    text = "“One two three four”, Baku said. Yerevan said nothing. “Five six”, Yerevan said."
    corpus, _, quotes, attributions = run(text)
    share = quoted_share(quotes, corpus.documents).iloc[0]
    assert (share["quotes"], share["quoted_words"], share["words"]) == (2, 6, 13)
    assert share["quoted_share"] == pytest.approx(6 / 13)
    speakers = stat_speakers(quotes, attributions)
    assert speakers["speaker"].tolist()[:2] == ["Azerbaijani state", "Armenian state"]
    assert speakers.set_index("speaker").loc["Armenian state", "attributions"] == 2


def test_according_to_takes_the_speaker_after_it():
    _, _, _, attributions = run("According to the Armenian Foreign Ministry, Azerbaijani units opened fire.")
    row = attributions.iloc[0]
    assert (row["verb"], row["actor"]) == ("According to", "Armenian Foreign Ministry")


def test_hedges_and_boosters():
    corpus, sentences = prepared("The figure may be reportedly nearly right. It is clearly and undeniably true.")
    stance = find_stance(sentences, corpus.tokens)
    assert stance.groupby("category")["matched"].apply(list).to_dict() == {
        "booster": ["clearly", "undeniably"], "hedge": ["may", "reportedly", "nearly"]}


def test_no_quotes():
    corpus, sentences, quotes, attributions = run("Calm day in the city.")
    assert quotes.empty and attributions.empty
    assert quoted_share(quotes, corpus.documents)["quoted_share"].tolist() == [0.0]
    assert stat_speakers(quotes, attributions).empty


def test_taken_speaker_columns_type_as_the_objects_would():
    """Arrow take (str columns with a named row) and the object route give the same column."""
    import numpy as np
    import pandas as pd
    from corpus_tools.framing.attribution import _taken
    for column in (pd.Series(["a", "b", None], dtype="str"), pd.Series(["a", "b", None], dtype=object)):
        for rows in (np.array([1, -1, 0, 2]), np.array([-1, -1]), np.zeros(0, dtype=np.int64)):
            expected = pd.DataFrame({"x": np.where(rows >= 0, column.to_numpy(dtype=object)[np.maximum(rows, 0)], None)})
            pd.testing.assert_frame_equal(pd.DataFrame({"x": _taken(column, rows)}), expected)


def test_quotes_deep_in_a_text_with_folded_speakers():
    """Only a window around each quote is folded: speakers far into the text, with diacritics, before
    and after the quote, keep their offsets."""
    filler = "Çox söz deyildi, və hamı gözlədi. " * 20
    text = (filler + "İlham Aliyev stated: “Qarabağ is Azerbaijan.” " + filler
            + "“We will not attack”, Nikol Pashinyan said. " + "x" * 400 + " “Short”, he said.")
    corpus, _, quotes, _ = run(text)
    clean = corpus.documents["clean_text"].iloc[0]
    assert quotes["speaker"].tolist() == ["İlham Aliyev", "Nikol Pashinyan", "he"]
    assert quotes["actor"].tolist() == ["President Ilham Aliyev", "Prime Minister Nikol Pashinyan",
                                        "Prime Minister Nikol Pashinyan"]
    assert [clean[v:v + len(w)] for v, w in zip(quotes["verb_start"], quotes["verb"])] == ["stated", "said", "said"]
