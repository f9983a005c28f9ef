"""Cue-word lists (data/cues.toml) and actor facts (data/actors.jsonl) for event assembly, loaded once."""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from .normalize import compile_ar

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")  # «{modal}»; regex counts («{0,6}») are digits and stay


def _read(name: str) -> str:
    return resources.files("workers").joinpath("data", name).read_text(encoding="utf-8")


@cache
def cue_lists() -> dict[str, tuple[str, ...]]:
    """Every cue list by name: its words in the order they are tried."""
    return {name: tuple(table["words"]) for name, table in tomllib.loads(_read("cues.toml")).items()}


_USED: set[str] = set()


def alternation(name: str) -> str:
    """The list `name` as one regex group; a space in a word matches any run of whitespace."""
    _USED.add(name)
    return "(?:" + "|".join(word.replace(" ", r"\s+") for word in cue_lists()[name]) + ")"


def cue_regex(template: str) -> re.Pattern[str]:
    """Compile a rule whose `{name}` slots are cue lists: «(?<!\\w)[وفل]?{modal}»."""
    return compile_ar(_PLACEHOLDER.sub(lambda m: alternation(m.group(1)), template))


def used_lists() -> frozenset[str]:
    """The lists some rule has compiled so far (a test checks that no list in the data is dead)."""
    return frozenset(_USED)


@cache
def actor_facts() -> dict[str, dict[str, Any]]:
    """Facts about each side by actor code (fields of its lines in actors.jsonl other than the patterns)."""
    facts: dict[str, dict[str, Any]] = {}
    for line in _read("actors.jsonl").splitlines():
        if line.strip():
            entry = json.loads(line)
            facts.setdefault(entry["code"], {}).update({k: v for k, v in entry.items() if k != "patterns"})
    return facts


def grounded() -> frozenset[str]:
    """Sides with no air force in this war: never the author of an air strike."""
    return frozenset(code for code, f in actor_facts().items() if f.get("has_air_force") is False)


def fights_from_the_air() -> frozenset[str]:
    """Sides whose war in Syria is fought from the air (the US-led coalition, Russia): their bombardment is a raid."""
    return frozenset(code for code, f in actor_facts().items() if f.get("fights_from_the_air"))


def camps() -> dict[str, str]:
    """Sides that fight together share a camp: named one after the other («قوات النظام وحزب الله») they are one."""
    return {code: f["camp"] for code, f in actor_facts().items() if "camp" in f}


def coalition_targets() -> frozenset[str]:
    """The groups the US-led coalition's raids are aimed at: named in a coalition raid's sentence, its target."""
    return frozenset(code for code, f in actor_facts().items() if f.get("coalition_target"))
