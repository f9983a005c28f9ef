"""Lexicons (triggers, actors, victims, numbers, calendar) loaded once from the package's data folder."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from re import _constants as sre_constants
from re import _parser as sre_parser
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
_OPTIONAL_AL = "(?:ال)?"

# A plan: where in a word to try which bucket (offset, alternation, the entry of each alternative).
Plan = tuple[tuple[int, re.Pattern[str], tuple[tuple[Entry, bool], ...]], ...]
_NO_PLAN: Plan = ()
# Word forms whose plan is remembered, per lexicon: news vocabulary repeats, and this bounds memory.
_PLAN_CACHE_SIZE = 60_000


@dataclass(frozen=True, slots=True)
class Matcher:
    """A lexicon's patterns bucketed by first letter, tried only at word starts (after any proclitics).

    One big alternation tried at every character is slow in Python's regex engine; a handful of small
    alternations tried at a few positions per word is not. Within a bucket longer alternatives come first,
    and the longest match at a word wins. A bucket is tried on a word only if the word can begin one of
    its matches (see Gate), and a text is scanned only at the words that can: most words can begin none.
    """

    # first letter → (alternation, the entry of each alternative, which word endings can begin a match)
    buckets: dict[str, tuple[re.Pattern[str], tuple[tuple[Entry, bool], ...], Gate]]
    # Every word form that can begin a match, with its plan, when the gates can list them (see vocabulary()).
    listed: dict[str, Plan] | None = None
    listed_words: frozenset[str] = frozenset()
    # Otherwise: word form → its plan as met, and the forms whose plan is not empty
    _plans: dict[str, Plan] = field(default_factory=dict, compare=False, repr=False)
    _planned: set[str] = field(default_factory=set, compare=False, repr=False)

    @classmethod
    def build(cls, items: list[tuple[str, Entry]]) -> Matcher:
        grouped: dict[str, list[tuple[str, Entry, bool]]] = {}
        for alt, entry in items:
            alt = normalize_pattern(alt).replace(" ", r"\s+")
            variants = [(alt, False)]
            if alt.startswith("ال"):
                variants.append(("ل" + alt[2:], True))  # «للطيران»: ل + «لطيران», only after a clitic ل
            elif alt.startswith(_OPTIONAL_AL):
                variants.append(("ل" + alt[len(_OPTIONAL_AL) :], True))  # «للطائرات الروسية» too
            for form, needs_lam in variants:
                key = form[0] if form[0] not in "(\\[.\"'" else ""
                grouped.setdefault(key, []).append((form, entry, needs_lam))
        buckets = {}
        for key, alts in grouped.items():
            alts.sort(key=lambda a: -len(a[0]))
            regex = re.compile("(?:" + "|".join(f"({a})" for a, _, _ in alts) + r")(?!\w)")
            buckets[key] = (regex, tuple((e, lam) for _, e, lam in alts), Gate.of([a for a, _, _ in alts]))
        listed = cls(buckets).vocabulary()
        return cls(buckets, listed, frozenset(listed or ()))

    def vocabulary(self) -> dict[str, Plan] | None:
        """Every word form with a plan, or None when a gate lets through words it cannot list.

        When every gate is a finite set of word endings, a word has a plan only if it is one of those
        endings behind proclitics; so the list is complete and a text's words need only meet it.
        """
        gates = [gate for _, _, gate in self.buckets.values()]
        if any(gate.admits_all or gate.open_by_length for gate in gates):
            return None
        endings = frozenset().union(*(gate.word_ends for gate in gates))
        forms = {clitics + ending for clitics in _PROCLITIC_FORMS for ending in endings}
        return {form: plan for form in sorted(forms) if (plan := self._plan(form))}

    def finditer(self, text: str) -> Iterator[tuple[int, int, Entry]]:
        for start, tries in self._candidate_words(text):
            best = self.longest_at(text, start, tries)
            if best is not None:
                yield start, best[0], best[1]

    @staticmethod
    def longest_at(text: str, start: int, tries: Plan) -> tuple[int, Entry] | None:
        """The longest match among a word's tries (clitic offset, bucket regex, its entries): (end, entry)."""
        best: tuple[int, Entry] | None = None
        for offset, regex, entries in tries:
            pos = start + offset
            m = regex.match(text, pos)
            if m is None:
                continue
            entry, needs_lam = entries[m.lastindex - 1]
            if needs_lam and not (offset and text[pos - 1] == "ل"):
                continue  # the «لـ» variant of an «ال» word needs a clitic «ل» before it
            if best is None or m.end() > best[0]:
                best = (m.end(), entry)
        return best

    def _candidate_words(self, text: str) -> list[tuple[int, Plan]]:
        """(start, plan) of every word that can begin a match, in text order.

        The text's distinct words meet the listed (or remembered) ones in C set operations, and only words
        with a plan are looked up in the text.
        """
        words = words_of(text)
        if self.listed is not None:
            plans, planned = self.listed, self.listed_words.intersection(words)
        else:
            plans, planned = self._plans_as_met(words)
        found = [(start, plans.get(word) or self._plan(word)) for word in planned for start in _whole_word(text, word)]
        found.sort(key=lambda f: f[0])
        return found

    def _plans_as_met(self, words: frozenset[str]) -> tuple[dict[str, Plan], set[str]]:
        """Plans remembered for words met before, computed for new ones; and which of `words` have one."""
        plans = self._plans
        planned = self._planned.intersection(words)
        for word in words.difference(plans):
            plan = self._plan(word)
            if len(plans) < _PLAN_CACHE_SIZE:  # the frequent words fill it first
                plans[word] = plan
                if plan:
                    self._planned.add(word)
            if plan:
                planned.add(word)
        return plans, planned

    def _plan(self, token: str) -> Plan:
        """Which buckets to try where in a word."""
        tries = []
        for offset in _clitic_offsets(token):
            rest = token[offset:]
            for key in (token[offset], ""):
                bucket = self.buckets.get(key)
                if bucket is not None and bucket[2].admits(rest):
                    tries.append((offset, bucket[0], bucket[1]))
        return tuple(tries) or _NO_PLAN


_last_words: tuple[str, frozenset[str]] = ("", frozenset())


def words_of(text: str) -> frozenset[str]:
    """The distinct words of a text; the last text's are kept, as each lexicon in turn asks for them."""
    global _last_words
    last = _last_words
    if last[0] is text:
        return last[1]
    words = frozenset(_WORD.findall(text))
    _last_words = (text, words)
    return words


def _is_word_char(ch: str) -> bool:
    """The regex \\w (for str patterns: alphanumeric or underscore)."""
    return ch.isalnum() or ch == "_"


def _whole_word(text: str, word: str) -> Iterator[int]:
    """Starts of `word` in `text` as a whole \\w+ run (as _WORD.finditer would find it)."""
    size = len(word)
    pos = text.find(word)
    while pos >= 0:
        end = pos + size
        if (pos == 0 or not _is_word_char(text[pos - 1])) and (end == len(text) or not _is_word_char(text[end])):
            yield pos
        pos = text.find(word, pos + 1)


# The proclitics _clitic_offsets looks behind: a conjunction, then a preposition, each optional.
_PROCLITIC_FORMS = ("", *"وف", *"بلك", *(c + p for c in "وف" for p in "بلك"))


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


# How many leading characters of a pattern Gate works out (longer: a finer gate, bigger sets).
_GATE_DEPTH = 16
# A pattern whose beginnings number more than this gets no gate (it admits every word).
_GATE_MAX_PREFIXES = 4000


@dataclass(frozen=True, slots=True)
class Gate:
    """Which word endings can begin a match of some alternative: a necessary condition, never a sufficient one.

    A match tried at a position inside a word covers the rest of that word (the alternation ends in (?!\\w)),
    so the rest of the word is a beginning of the match that ends where the match leaves the word: at its
    end, or before a character that is not a word character. The beginnings are worked out from the parsed
    patterns; after some of them (`open_by_length`) the pattern can go on with anything (\\w, ., ...).
    """

    word_ends: frozenset[str]  # the beginnings of matches, cut where a word can end
    open_by_length: dict[int, frozenset[str]]  # beginnings after which anything may follow, by length
    admits_all: bool = False

    @classmethod
    def of(cls, alternatives: list[str]) -> Gate:
        word_ends: set[str] = set()
        open_: dict[int, set[str]] = {}
        for alt in alternatives:
            beginnings = _beginnings(alt)
            if beginnings is None:
                return cls(frozenset(), {}, admits_all=True)
            for text, goes_on in beginnings:
                word_ends.update(text[:i] for i in range(len(text) + 1) if i == len(text) or not _is_word_char(text[i]))
                if goes_on and all(map(_is_word_char, text)):  # one with a non-word character ends the word
                    open_.setdefault(len(text), set()).add(text)
        return cls(frozenset(word_ends), {n: frozenset(s) for n, s in open_.items()})

    def admits(self, rest: str) -> bool:
        """Can a match begin with the word ending `rest` (the match covers all of it)?"""
        if self.admits_all or rest in self.word_ends:
            return True
        return any(rest[:n] in texts for n, texts in self.open_by_length.items() if n < len(rest))


# A set of pattern beginnings: (text, goes_on) where goes_on means the match may continue with anything.
Beginnings = set[tuple[str, bool]]
_ANYTHING: Beginnings = {("", True)}
_NOTHING: Beginnings = {("", False)}


def _beginnings(pattern: str) -> Beginnings | None:
    """The ways a match of `pattern` can begin (up to _GATE_DEPTH characters), or None if not worked out."""
    try:
        parsed = sre_parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.LOCALE):
        return None
    try:
        return _sequence(list(parsed))
    except _TooMany:
        return None


class _TooMany(Exception):
    pass


def _sequence(items: list) -> Beginnings:
    result = _NOTHING
    for op, arg in items:
        result = _then(result, _item(op, arg))
        if all(goes_on for _, goes_on in result):
            break  # nothing after this changes what the beginnings are
    return result


def _then(first: Beginnings, second: Beginnings) -> Beginnings:
    out: Beginnings = set()
    for text, goes_on in first:
        if goes_on:
            out.add((text, True))
            continue
        for more, more_goes_on in second:
            out.add(_cut(text + more, more_goes_on))
    if len(out) > _GATE_MAX_PREFIXES:
        raise _TooMany
    return out


def _cut(text: str, goes_on: bool) -> tuple[str, bool]:
    """A beginning cut after its first non-word character (a gate looks no further) or at _GATE_DEPTH."""
    for i, ch in enumerate(text[:_GATE_DEPTH]):
        if not _is_word_char(ch):
            return text[: i + 1], True
    return (text[:_GATE_DEPTH], True) if len(text) >= _GATE_DEPTH else (text, goes_on)


def _item(op, arg) -> Beginnings:
    c = sre_constants
    if op is c.LITERAL:
        return {(chr(arg), False)}
    if op is c.IN:
        chars = _class_chars(arg)
        return _ANYTHING if chars is None else {(ch, False) for ch in chars}
    if op is c.BRANCH:
        return set().union(*(_sequence(list(branch)) for branch in arg[1]))
    if op is c.SUBPATTERN:
        _, add_flags, del_flags, sub = arg
        return _sequence(list(sub)) if not (add_flags or del_flags) else _ANYTHING
    if op is c.ATOMIC_GROUP:
        return _sequence(list(arg))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return _repeat(*arg)
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
        return _NOTHING  # consumes nothing
    return _ANYTHING  # ., \\w, back-references, ...: any character may come


def _repeat(least: int, most: int, sub) -> Beginnings:
    one = _sequence(list(sub))
    result: Beginnings = set()
    current = _NOTHING
    count = 0
    while True:
        if count >= least:
            result |= current
        if count == most or all(goes_on for _, goes_on in current):
            return result
        following = _then(current, one)
        if following == current:
            return result | current
        current, count = following, count + 1


def _class_chars(items: list) -> list[str] | None:
    """The characters of a [...] class made of literals, small ranges and \\s or \\W, or None."""
    c = sre_constants
    chars: list[str] = []
    for op, arg in items:
        if op is c.LITERAL:
            chars.append(chr(arg))
        elif op is c.RANGE and arg[1] - arg[0] < 64:
            chars.extend(chr(code) for code in range(arg[0], arg[1] + 1))
        elif op is c.CATEGORY and arg in (c.CATEGORY_SPACE, c.CATEGORY_NOT_WORD):
            # One stand-in: a word never holds one, so all a gate needs is that the word ends there.
            chars.append(_NOT_IN_A_WORD)
        else:
            return None
    return chars


_NOT_IN_A_WORD = " "


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
        "titles": [normalize_key(v) for v in data["titles"]],
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
