"""Lexicons (triggers, actors, victims, numbers, calendar) loaded once from the package's data folder."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .pipeline.normalize import normalize_key, normalize_pattern

# Proclitics a word may carry: conjunction و/ف, then preposition ب/ل/ك.
PROCLITICS = r"(?:[وف])?(?:[بلك])?"


def word_regex(alternatives: list[str]) -> str:
    """A regex for whole words with optional proclitics; «ال» words also match the «لل» spelling."""
    parts = []
    for alt in alternatives:
        alt = normalize_pattern(alt).replace(" ", r"\s+")
        parts.append(f"{PROCLITICS}(?:{alt})")
        if alt.startswith("ال"):
            parts.append(f"(?:[وف])?لل(?:{alt[2:]})")
    return r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"


@dataclass(frozen=True, slots=True)
class Entry:
    label: str
    regex: re.Pattern[str]
    data: dict[str, Any]


def _read(name: str) -> str:
    return resources.files("workers").joinpath("data", name).read_text(encoding="utf-8")


def _jsonl(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in _read(name).splitlines() if line.strip()]


@cache
def triggers() -> tuple[Entry, ...]:
    return tuple(Entry(d["id"], re.compile(word_regex([d["pattern"]])), d) for d in _jsonl("triggers.jsonl"))


@cache
def actors() -> tuple[Entry, ...]:
    return tuple(Entry(d["code"], re.compile(word_regex(d["patterns"])), d) for d in _jsonl("actors.jsonl"))


@cache
def victims() -> tuple[Entry, ...]:
    return tuple(Entry(d["code"], re.compile(word_regex([d["pattern"]])), d) for d in _jsonl("victims.jsonl"))


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
    }


@cache
def calendar() -> dict[str, dict[str, int]]:
    data = json.loads(_read("calendar.json"))
    return {
        group: {normalize_key(k): v for k, v in data[group].items()}
        for group in ("months", "weekdays", "relative_days", "ordinal_days")
    }
