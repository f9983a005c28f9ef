"""The cue-word lists and actor facts that event assembly reads from workers/data."""

from __future__ import annotations

import tomllib
from importlib import resources

import workers.pipeline.run  # noqa: F401  (compiles every rule that names a cue list)
from workers.pipeline import cues


def test_every_cue_list_says_what_it_is_for_and_has_words():
    tables = tomllib.loads(resources.files("workers").joinpath("data", "cues.toml").read_text(encoding="utf-8"))
    for name, table in tables.items():
        assert set(table) == {"about", "words"}, name
        assert table["about"].strip() and table["words"], name
        assert len(set(table["words"])) == len(table["words"]), f"{name}: a word twice"


def test_every_cue_list_is_used_by_a_rule():
    assert set(cues.cue_lists()) - cues.used_lists() == set()


def test_actor_facts():
    assert cues.grounded() == {"ISLAMIC_STATE", "HTS_NUSRA", "REBELS", "KURDISH_SDF", "PRO_REGIME_MILITIA"}
    assert cues.coalition_targets() == {"ISLAMIC_STATE", "HTS_NUSRA"}
    assert cues.camps()["RUSSIA"] == cues.camps()["SYRIAN_REGIME"] != cues.camps()["REBELS"]


def test_a_space_in_a_cue_word_matches_any_whitespace():
    assert cues.cue_regex(r"(?<!\w){habit_adverbs}(?!\w)").search("يقصف بشكل  شبه\nيومي")
