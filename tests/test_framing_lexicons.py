"""Bundled framing lexicons: metadata, validation on load, duplicates, casing; user lexicons accepted."""
import pandas as pd
import pytest

from corpus_tools.framing import (find_frames, find_persuasion, load_frame_cues, load_frame_mapping, load_gazetteer,
                                  load_naming_pairs, load_persuasion_cues, load_reporting_verbs, load_role_cues,
                                  load_stance_cues)
from corpus_tools.framing.cues import compile_cues, normalise
from corpus_tools.lexicons import META_FIELDS, LexiconError
from tests.framing_helpers import prepared

CUE_LOADERS = [load_frame_cues, load_persuasion_cues, load_reporting_verbs, load_stance_cues, load_role_cues]
ALL_LOADERS = CUE_LOADERS + [load_gazetteer, load_naming_pairs, load_frame_mapping]


@pytest.mark.parametrize("loader", ALL_LOADERS, ids=lambda f: f.__name__)
def test_bundled_lexicon_has_complete_metadata(loader):
    lexicon = loader()
    assert all(str(lexicon.meta.get(f, "")).strip() for f in META_FIELDS)
    assert len(lexicon.table) > 0


@pytest.mark.parametrize("loader", CUE_LOADERS, ids=lambda f: f.__name__)
def test_cue_lexicons_compile_without_duplicates_and_lower_case_categories(loader):
    table = loader().table
    assert not table["cue_id"].duplicated().any()
    assert (table["category"].fillna("") == table["category"].fillna("").str.lower()).all()
    for _, layer in table.groupby(table["layer"] if "layer" in table else table["act"]):
        compile_cues(layer)  # raises on duplicate surface forms within a layer
        assert not layer["pattern"].map(normalise).duplicated().any()


def test_frame_layers_and_mapping_refer_to_existing_categories():
    cats = load_frame_cues().table.groupby("layer")["category"].unique().map(set).to_dict()
    assert cats["generic"] == {"responsibility", "human_interest", "conflict", "morality", "economic"}
    assert cats["entman"] == {"problem", "cause", "moral_evaluation", "remedy"}
    assert cats["policy"] == {"legality", "security", "external_relations", "cultural_identity", "capacity_resources"}
    mapping = load_frame_mapping().table
    for layer, category in zip(mapping["layer"], mapping["category"]):
        assert category in cats[layer]
    assert set(mapping["narrative_frame"]) == {"RE", "HI", "CO", "MO", "EC"}


def test_gazetteer_holds_the_required_actors():
    table = load_gazetteer().table
    aliases = "|".join(table["aliases"])
    for name in ("Republic of Azerbaijan", "Azerbaijani government", "Baku", "Ilham Aliyev",
                 "Armed Forces of the Republic of Azerbaijan", "Armenian government", "Armenian Armed Forces",
                 "Yerevan", "Pashinyan", "UN Security Council", "ECHR", "International Court of Justice",
                 "displaced Azerbaijanis", "Martyrs"):
        assert name in aliases, name


def test_user_lexicons_replace_the_bundled_ones(tmp_path):
    path = tmp_path / "frames.csv"
    pd.DataFrame({"cue_id": ["x1"], "layer": ["mine"], "category": ["weather"], "pattern": ["rain"],
                  "match": ["lemma"]}).to_csv(path, index=False)
    corpus, sentences = prepared("It rained and the war went on.")
    hits = find_frames(sentences, corpus.tokens, lexicon=path)
    assert hits[["category", "matched"]].values.tolist() == [["weather", "rained"]]
    persuasion = pd.DataFrame({"cue_id": ["p"], "category": ["doubt"], "pattern": ["war"], "match": ["phrase"]})
    assert find_persuasion(sentences, corpus.tokens, lexicon=persuasion)["cue_id"].tolist() == ["p"]


def test_bad_user_lexicon_names_file_and_line(tmp_path):
    path = tmp_path / "frames.csv"
    path.write_text("cue_id,layer,category,pattern,match,weight\na,l,c,war,phrase,1\nb,l,c,peace,phrase,heavy\n",
                    encoding="utf-8")
    with pytest.raises(LexiconError, match=r"frames.csv, line 3: weight must be a number"):
        load_frame_cues(path)
    path.write_text("cue_id,layer,category,pattern,match\na,l,c,war,phrase\na,l,c,peace,phrase\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"line 3: duplicate cue_id"):
        load_frame_cues(path)
