"""Alert rule settings: the defaults shipped in workers/data/alert_rules.toml, overridden by a user's TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "SEVERITIES",
    "AlertRules",
    "AttacksOnCivilians",
    "Escalation",
    "MassCasualties",
    "NewActor",
    "RulesError",
    "load_rules",
]

# PagerDuty / Alertmanager levels, lowest first: an alert is sent again only when it climbs this ladder.
SEVERITIES = ("info", "warning", "error", "critical")
LEVELS = ("admin1", "admin2")


class RulesError(ValueError):
    """An alert rules file that cannot be used (bad TOML, unknown key, wrong value)."""


@dataclass(frozen=True)
class MassCasualties:
    enabled: bool = True
    threshold: int = 10
    critical_factor: int = 5


@dataclass(frozen=True)
class Escalation:
    enabled: bool = True
    level: str = "admin1"
    window_days: int = 7
    threshold: int = 100
    critical_factor: int = 3
    baseline_windows: int = 4
    baseline_factor: float = 3.0
    min_fatalities: int = 20


@dataclass(frozen=True)
class NewActor:
    enabled: bool = True
    level: str = "admin2"
    lookback_days: int = 30
    severity: str = "warning"
    ignore: tuple[str, ...] = ("UNKNOWN", "CIVILIANS")


@dataclass(frozen=True)
class AttacksOnCivilians:
    enabled: bool = True
    level: str = "admin2"
    warning: int = 0
    error: int = 10
    critical: int = 50


@dataclass(frozen=True)
class AlertRules:
    mass_casualties: MassCasualties = field(default_factory=MassCasualties)
    escalation: Escalation = field(default_factory=Escalation)
    new_actor: NewActor = field(default_factory=NewActor)
    attacks_on_civilians: AttacksOnCivilians = field(default_factory=AttacksOnCivilians)


def _defaults_text() -> str:
    return resources.files("workers").joinpath("data", "alert_rules.toml").read_text(encoding="utf-8")


def _parse(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{origin}: {exc}") from None


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    unknown = set(values) - set(known)
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(known)}")
    converted: dict[str, Any] = {}
    for name, value in values.items():
        kind = type(known[name].default)  # every field has a plain default of the type it takes
        if kind is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise RulesError(f"{where}.{name}: expected a list of strings, got {value!r}")
            value = tuple(value)
        elif kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise RulesError(f"{where}.{name}: expected {kind.__name__}, got {value!r}")
        converted[name] = value
    return cls(**converted)


def _check(rules: AlertRules) -> AlertRules:
    for name in ("escalation", "new_actor", "attacks_on_civilians"):
        level = getattr(rules, name).level
        if level not in LEVELS:
            raise RulesError(f"{name}.level: expected one of {', '.join(LEVELS)}, got {level!r}")
    if rules.new_actor.severity not in SEVERITIES:
        raise RulesError(f"new_actor.severity: expected one of {', '.join(SEVERITIES)}")
    civ = rules.attacks_on_civilians
    if not civ.warning <= civ.error <= civ.critical:
        raise RulesError("attacks_on_civilians: expected warning <= error <= critical")
    positive = {
        "mass_casualties.threshold": rules.mass_casualties.threshold,
        "escalation.window_days": rules.escalation.window_days,
        "escalation.threshold": rules.escalation.threshold,
        "new_actor.lookback_days": rules.new_actor.lookback_days,
    }
    for where, value in positive.items():
        if value < 1:
            raise RulesError(f"{where}: must be at least 1, got {value}")
    return rules


def load_rules(path: Path | str | None = None, mass_casualty_threshold: int | None = None) -> AlertRules:
    """The shipped defaults, with the tables and keys of the file at `path` (if any) laid over them."""
    merged = _parse(_defaults_text(), "workers/data/alert_rules.toml")
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise RulesError(f"cannot read alert rules {path}: {exc.strerror}") from None
        user = _parse(text, str(path))
        for name, table in user.items():
            if name not in merged:
                raise RulesError(f"{path}: unknown rule [{name}]; known: {', '.join(merged)}")
            if not isinstance(table, dict):
                raise RulesError(f"{path}: [{name}] must be a table")
            merged[name] = {**merged[name], **table}
    if mass_casualty_threshold is not None:
        merged["mass_casualties"]["threshold"] = mass_casualty_threshold
    built = {
        f.name: _build(f.default_factory, merged.get(f.name, {}), f.name)  # type: ignore[misc]
        for f in fields(AlertRules)
    }
    return _check(AlertRules(**built))
