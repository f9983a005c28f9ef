"""Lexicons (triggers, actors, victims, numbers, calendar) loaded once from the package's data folder."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .pipeline.normalize import normalize_key, normalize_pattern

# Proclitics a word may carry: conjunction و/ف, then preposition ب/ل/ك.
PROCLITICS = r"(?:[وف])?(?:[بلك])?"


def word_regex(alternatives: list[str]) -> str:
    """A regex for whole words with optional proclitics; «ال» words also match the «لل» spelling."""
    return r"(?<!\w)(?:" + "|".join(_with_clitics(a) for a in alternatives) + r")(?!\w)"


def _with_clitics(alt: str) -> str:
    alt = normalize_pattern(alt).replace(" ", r"\s+")
    if alt.startswith("ال"):
        return f"{PROCLITICS}(?:{alt})|(?:[وف])?لل(?:{alt[2:]})"
    return f"{PROCLITICS}(?:{alt})"


def split_alternatives(pattern: str) -> list[str]:
    """Split a regex at its top-level «|» (not inside groups or character classes)."""
    parts, depth, in_class, current, escaped = [], 0, False, [], False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p for p in parts if p]


@dataclass(frozen=True, slots=True)
class Entry:
    label: str
    data: dict[str, Any]


_WORD = re.compile(r"\w+")
_STEM = re.compile(r"[\u0621-\u064a]+(?![?*{])")


@dataclass(frozen=True, slots=True)
class Matcher:
    """A lexicon's patterns bucketed by first letter, tried only at word starts (after any proclitics).

    One big alternation tried at every character is slow in Python's regex engine; a handful of small
    alternations tried at a few positions per word is not. Within a bucket longer alternatives come first,
    and the longest match at a word wins.
    """

    # first letter → (alternation, the entry of each alternative, the two-letter starts it can match or None)
    buckets: dict[str, tuple[re.Pattern[str], tuple[tuple[Entry, bool], ...], frozenset[str] | None]]
    # Literal beginnings of every pattern: a text holding none of them cannot match (a cheap gate).
    stems: frozenset[str] | None = None

    def may_match(self, text: str) -> bool:
        return self.stems is None or any(stem in text for stem in self.stems)

    @classmethod
    def build(cls, items: list[tuple[str, Entry]]) -> Matcher:
        grouped: dict[str, list[tuple[str, Entry, bool]]] = {}
        for alt, entry in items:
            alt = normalize_pattern(alt).replace(" ", r"\s+")
            variants = [(alt, False)]
            if alt.startswith("ال"):
                variants.append(("ل" + alt[2:], True))  # «للطيران»: ل + «لطيران», only after a clitic ل
            for form, needs_lam in variants:
                key = form[0] if form[0] not in "(\\[.\"'" else ""
                grouped.setdefault(key, []).append((form, entry, needs_lam))
        stems: set[str] | None = set()
        for alts in grouped.values():
            for form, _, _ in alts:
                stem = _STEM.match(form)
                if stems is not None and stem and len(stem.group()) >= 2:
                    stems.add(stem.group())
                else:
                    stems = None  # a pattern with no literal start: no gate
        buckets = {}
        for key, alts in grouped.items():
            alts.sort(key=lambda a: -len(a[0]))
            regex = re.compile("(?:" + "|".join(f"({a})" for a, _, _ in alts) + r")(?!\w)")
            buckets[key] = (regex, tuple((e, lam) for _, e, lam in alts), _two_letter_starts([a for a, _, _ in alts]))
        return cls(buckets, frozenset(stems) if stems is not None else None)

    def finditer(self, text: str) -> Iterator[tuple[int, int, Entry]]:
        if not self.may_match(text):
            return
        plan = self._plan
        for word in _WORD.finditer(text):
            tries = plan(word.group())
            if not tries:
                continue
            start = word.start()
            best: tuple[int, Entry] | None = None
            for offset, regex, entries in tries:
                pos = start + offset
                m = regex.match(text, pos)
                if m is None:
                    continue
                entry, needs_lam = entries[m.lastindex - 1]
                if needs_lam and not (offset and text[pos - 1] == "ل"):
                    continue
                if best is None or m.end() > best[0]:
                    best = (m.end(), entry)
            if best is not None:
                yield start, best[0], best[1]

    def _plan(self, token: str) -> tuple[tuple[int, re.Pattern[str], tuple[tuple[Entry, bool], ...]], ...]:
        """Which buckets to try where in a word (cached per word form: news vocabulary repeats)."""
        cached = _PLANS.get((id(self), token))
        if cached is not None:
            return cached
        tries = []
        for offset in _clitic_offsets(token):
            for key in (token[offset], ""):
                bucket = self.buckets.get(key)
                if bucket is not None and (bucket[2] is None or token[offset : offset + 2] in bucket[2]):
                    tries.append((offset, bucket[0], bucket[1]))
        result = tuple(tries)
        if len(_PLANS) < 60_000:  # news vocabulary: the frequent words fill it first; bounded memory
            _PLANS[(id(self), token)] = result
        return result


_PLANS: dict[tuple[int, str], tuple] = {}


def _clitic_offsets(token: str) -> list[int]:
    """Where a lexicon word may begin inside a token: after و/ف, then after ب/ل/ك (at most two letters)."""
    offsets = [0]
    pos = 0
    if len(token) - pos > 2 and token[pos] in "وف":
        pos += 1
        offsets.append(pos)
    if len(token) - pos > 2 and token[pos] in "بلك":
        offsets.append(pos + 1)
    return offsets


def _two_letter_starts(alternatives: list[str]) -> frozenset[str] | None:
    starts = set()
    for alt in alternatives:
        if len(alt) < 2 or not all("\u0621" <= ch <= "\u064a" for ch in alt[:2]) or alt[2:3] in ("?", "*", "{"):
            return None
        starts.add(alt[:2])
    return frozenset(starts)


def _read(name: str) -> str:
    return resources.files("workers").joinpath("data", name).read_text(encoding="utf-8")


def _jsonl(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in _read(name).splitlines() if line.strip()]


def _matcher(name: str, label: str, patterns: str) -> Matcher:
    items = []
    for d in _jsonl(name):
        entry = Entry(d[label], d)
        raw = d[patterns] if isinstance(d[patterns], list) else [d[patterns]]
        items += [(alt, entry) for p in raw for alt in split_alternatives(p)]
    return Matcher.build(items)


@cache
def triggers() -> Matcher:
    return _matcher("triggers.jsonl", "id", "pattern")


@cache
def actors() -> Matcher:
    return _matcher("actors.jsonl", "code", "patterns")


@cache
def victims() -> Matcher:
    return _matcher("victims.jsonl", "code", "pattern")


@cache
def numbers() -> dict[str, Any]:
    data = json.loads(_read("numbers.json"))
    words: dict[str, int] = {}
    for group in ("units", "teens", "tens", "hundreds"):
        words.update({normalize_key(k): v for k, v in data[group].items()})
    return {
        "words": words,
        "vague": [normalize_key(v) for v in data["vague"]],
        "dual": [normalize_key(v) for v in data["dual_nouns"]],
        "singular": [normalize_key(v) for v in data["singular_nouns"]],
        "kin": [normalize_key(v) for v in data["kin_nouns"]],
        "plural": [normalize_key(v) for v in data["plural_nouns"]],
    }


@cache
def calendar() -> dict[str, dict[str, int]]:
    data = json.loads(_read("calendar.json"))
    return {
        group: {normalize_key(k): v for k, v in data[group].items()}
        for group in ("months", "weekdays", "relative_days", "ordinal_days")
    }
