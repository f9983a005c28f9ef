"""The document every pipeline stage reads and returns: raw text, normalised text, offset map, mentions."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from ..records import Event, Report
from .normalize import normalize_text, offset_map

_MARKS = frozenset(chr(c) for c in range(0x064B, 0x0653)) | {"\u0670", "\u0640"}


@dataclass(frozen=True, slots=True)
class Mention:
    """Something found in the text. start/end are offsets into the NORMALISED text."""

    start: int
    end: int
    label: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    sentence: int


@dataclass(frozen=True)
class Document:
    report: Report
    norm: str
    sentences: tuple[Segment, ...] = ()
    clauses: tuple[Segment, ...] = ()
    triggers: tuple[Mention, ...] = ()
    actors: tuple[Mention, ...] = ()
    victims: tuple[Mention, ...] = ()
    places: tuple[Mention, ...] = ()
    tolls: tuple[Mention, ...] = ()
    dates: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = field(default=())

    @classmethod
    def from_report(cls, report: Report) -> Document:
        return cls(report=report, norm=normalize_text(report.text))

    @cached_property
    def offsets(self) -> list[int]:
        """Normalised index → raw index; built only when a span is mapped back (most reports have none)."""
        return offset_map(self.report.text)

    @property
    def raw(self) -> str:
        return self.report.text

    def with_(self, **changes: Any) -> Document:
        return replace(self, **changes)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) to raw offsets, keeping diacritics that trail the last letter."""
        if end <= start:
            pos = self.offsets[start]
            return pos, pos
        raw_start, raw_end = self.offsets[start], self.offsets[end - 1] + 1
        while raw_end < len(self.raw) and self.raw[raw_end] in _MARKS:
            raw_end += 1
        return raw_start, raw_end

    def raw_text(self, start: int, end: int) -> str:
        a, b = self.raw_span(start, end)
        return self.raw[a:b]

    def clause_index(self, pos: int) -> int:
        return _segment_index(self.clauses, pos)

    def sentence_index(self, pos: int) -> int:
        return _segment_index(self.sentences, pos)

    def sentence_at(self, pos: int) -> Segment | None:
        """The sentence holding `pos`, or None before segmentation."""
        return self.sentences[self.sentence_index(pos)] if self.sentences else None


def _segment_index(segments: tuple[Segment, ...], pos: int) -> int:
    """The segment holding `pos` (segments are sorted and disjoint): a binary search, not a scan."""
    i = bisect.bisect_right(segments, pos, key=lambda seg: seg.start) - 1
    if 0 <= i < len(segments) and segments[i].start <= pos < segments[i].end:
        return i
    return len(segments) - 1


def starting_between(mentions: tuple[Mention, ...], start: int, end: int) -> list[Mention]:
    """Mentions whose start lies in [start, end) (mentions are sorted by start)."""
    lo = bisect.bisect_left(mentions, start, key=lambda m: m.start)
    hi = bisect.bisect_left(mentions, end, key=lambda m: m.start)
    return list(mentions[lo:hi])


def nearest_first_before(mentions: tuple[Mention, ...], pos: int) -> Iterator[Mention]:
    """Mentions starting before `pos`, the nearest first: a search back that stops at the first it wants costs
    what it reads, not the whole report."""
    for i in range(bisect.bisect_left(mentions, pos, key=lambda m: m.start) - 1, -1, -1):
        yield mentions[i]


def overlaps_any(mentions: tuple[Mention, ...], start: int, end: int) -> bool:
    """Does [start, end) overlap one of `mentions` (sorted and disjoint, as resolve_overlaps leaves them)?"""
    i = bisect.bisect_right(mentions, start, key=lambda m: m.start)
    return (i > 0 and mentions[i - 1].end > start) or (i < len(mentions) and mentions[i].start < end)


def within(mentions: tuple[Mention, ...], start: int, end: int) -> list[Mention]:
    """Mentions inside [start, end). Mentions are sorted by start, so only that slice is looked at."""
    lo = bisect.bisect_left(mentions, start, key=lambda m: m.start)
    hi = bisect.bisect_left(mentions, end, key=lambda m: m.start)
    return [m for m in mentions[lo:hi] if m.end <= end]


def resolve_overlaps(candidates: list[Mention]) -> tuple[Mention, ...]:
    """Keep the longest of overlapping matches (then the earliest), as spaCy's EntityRuler does.

    The kept spans never overlap, so a sorted list of their starts answers "does this one collide?"
    with a binary search (a long run of one repeated word must not cost quadratic time).
    """
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[Mention] = []
    for m in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        i = bisect.bisect_right(starts, m.start)
        if (i > 0 and ends[i - 1] > m.start) or (i < len(starts) and starts[i] < m.end):
            continue
        starts.insert(i, m.start)
        ends.insert(i, m.end)
        chosen.append(m)
    return tuple(sorted(chosen, key=lambda m: m.start))
