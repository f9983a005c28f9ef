"""The lexicon matcher's shortcuts (gates, word-set lookups) must find exactly what trying every word finds."""

import json
import re
from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st

from workers import lexicon
from workers.lexicon import Entry, Gate, Matcher, _whole_word
from workers.pipeline.normalize import normalize_text

MATCHERS = {"triggers": lexicon.triggers, "actors": lexicon.actors, "victims": lexicon.victims}


def every_word(matcher: Matcher, text: str) -> list[tuple[int, int, str]]:
    """The matcher without shortcuts: every bucket its first letter selects, at every word and clitic offset."""
    found = []
    for word in lexicon._WORD.finditer(text):
        token, start = word.group(), word.start()
        tries = tuple(
            (offset, *matcher.buckets[key][:2])
            for offset in lexicon._clitic_offsets(token)
            for key in (token[offset], "")
            if key in matcher.buckets
        )
        best = Matcher.longest_at(text, start, tries)
        if best is not None:
            found.append((start, best[0], best[1].label))
    return found


def shortcut(matcher: Matcher, text: str) -> list[tuple[int, int, str]]:
    return [(start, end, entry.label) for start, end, entry in matcher.finditer(text)]


def example_texts() -> list[str]:
    lines = resources.files("workers").joinpath("data", "examples", "reports.jsonl").read_text(encoding="utf-8")
    return [normalize_text(json.loads(line)["text"]) for line in lines.splitlines() if line.strip()]


def test_example_reports_match_as_without_shortcuts():
    for text in example_texts():
        for make in MATCHERS.values():
            assert shortcut(make(), text) == every_word(make(), text)


# Words near the lexicons: their literal pieces, with clitics, glued to punctuation and to each other.
_PIECES = sorted(
    {
        piece
        for make in MATCHERS.values()
        for regex, _, _ in make().buckets.values()
        for piece in re.findall(r"[\u0621-\u064a]+", regex.pattern)
    }
)
_WORDS = st.builds(
    lambda clitic, piece, tail: clitic + piece + tail,
    st.sampled_from(["", "و", "ف", "ب", "ل", "وب", "ال", "لل", "فل"]),
    st.sampled_from(_PIECES),
    st.sampled_from(["", "ه", "ات", "ا", "ين", "_", "1"]),
)
_GLUE = st.sampled_from([" ", "  ", "، ", ".", "\n", '"', "-", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GLUE), max_size=12))
def test_generated_texts_match_as_without_shortcuts(parts):
    text = "".join(word + glue for word, glue in parts)
    for make in MATCHERS.values():
        assert shortcut(make(), text) == every_word(make(), text)


def test_gate_follows_optional_groups_classes_and_spaces():
    gate = Gate.of([r"(?:ال)?قصف(?:ا)?\s+جوي", "ب[رت]ميل"])
    assert gate.admits("قصف") and gate.admits("القصف") and gate.admits("قصفا")
    assert gate.admits("برميل") and gate.admits("بتميل")
    assert not gate.admits("قصفات") and not gate.admits("الحكومه") and not gate.admits("بسميل")
    assert not gate.admits("بر")  # «بر» can begin «برميل» but a match cannot end the word there


def test_gate_looks_no_further_than_where_a_word_ends():
    gate = Gate.of([r"ارض[\s+-/]*ارض"])  # six separators repeated: too many spellings to list, one cut
    assert gate.admits("ارض") and gate.admits("ارضارض")
    assert not gate.admits("ارضي") and not gate.admits("ار")


def test_gate_admits_everything_after_a_wildcard():
    gate = Gate.of([r"قوات\s+\w+", r"ا.ل"])
    assert gate.admits("قوات") and gate.admits("اكل") and gate.admits("اي")
    assert not gate.admits("قتل") and not gate.admits("قواتهم")


def test_whole_word_finds_only_whole_words():
    text = "قتل واقتتل قتل_ قتل1 قتلى قتل"
    assert list(_whole_word(text, "قتل")) == [0, len(text) - 3]


def test_a_lexicon_whose_words_cannot_be_listed_matches_as_without_shortcuts():
    matcher = Matcher.build([(r"قصف\w*", Entry("open", {})), ("ال.تل", Entry("any", {})), ("هجوم", Entry("word", {}))])
    assert matcher.listed is None
    text = normalize_text("وقصفوا البلدة. القتل والمقتل بالهجوم، ثم هجوم وقصف؛ الهجوم")
    for _ in range(2):  # the second time from the plans it remembers
        assert shortcut(matcher, text) == every_word(matcher, text)
    assert [label for _, _, label in shortcut(matcher, text)] == ["open", "any", "word", "open"]
