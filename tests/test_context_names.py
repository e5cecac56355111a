"""Context names ("the President", "the Government", "the Prime Minister", "the Head of State") on the
corpora of other conflicts: every annotated occurrence resolves to the annotated actor, or is shown
unresolved where the annotation is null (tests/conflict_corpora.py, tests/conflict_framing.py)."""
import pytest

from tests.conflict_corpora import annotation_cases, load_expected
from tests.conflict_framing import analysed, canonical_of, sentence_span

#: Known misses, with why.
MISSES = {("ethiopia_tigray", "wire_01", 0): "the name before it is 'The government of Prime Minister Abiy Ahmed', "
                                              "one alias of Ethiopia: Abiy is never mentioned on his own"}




def _mention(name, doc_id, entry, nth):
    """The mention of ``entry['phrase']`` in its sentence (the ``nth`` when the sentence holds it twice)."""
    mentions = analysed(name)[2]
    lo, hi = sentence_span(name, doc_id, entry["sentence"])
    phrase = entry["phrase"].lower()
    inside = mentions[(mentions["doc_id"] == doc_id) & (mentions["start"] >= lo) & (mentions["end"] <= hi)]
    found = inside[[phrase.endswith(m.lower()) for m in inside["matched"]]]
    assert len(found) > nth, (entry["phrase"], inside["matched"].tolist())
    return found.iloc[nth]


@pytest.mark.parametrize("name,doc_id,i", annotation_cases("context_names", MISSES))
def test_context_name_resolves_as_annotated(name, doc_id, i):
    entries = load_expected(name)["documents"][doc_id]["context_names"]
    entry = entries[i]
    nth = sum(e["sentence"] == entry["sentence"] and e["phrase"].lower() == entry["phrase"].lower()
              for e in entries[:i])
    row = _mention(name, doc_id, entry, nth)
    if entry["resolves_to"] is None:
        assert (row["resolved"], row["canonical"]) == ("unresolved", f"(unresolved: the {entry['phrase'][4:]})")
    else:
        assert row["canonical"] in canonical_of(name, entry["resolves_to"]), (row["canonical"], row["resolved"])
