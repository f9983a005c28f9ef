"""Typed records: the in-code contract for reports, events, alerts and dead letters (mirrors schemas/)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

EXTRACTOR_VERSION = "0.1.0"


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    source: str
    published_at: datetime
    text: str
    language: str = "ar"
    url: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    code: str
    name: str
    mention: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A character span into the report's raw text, with its role (trigger, actor1, actor2, place, fatalities…)."""

    role: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Event:
    event_id: str
    report_id: str
    revision: int
    event_date: str
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: Actor
    actor2: Actor | None
    country: str
    admin1: str | None
    admin1_pcode: str | None
    admin2: str | None
    admin2_pcode: str | None
    admin3: str | None
    admin3_pcode: str | None
    location: str | None
    location_ar: str
    latitude: float | None
    longitude: float | None
    geo_precision: int
    fatalities: int | None
    injured: int | None
    source: str
    notes: str
    evidence: tuple[Evidence, ...]
    confidence: float
    extractor_version: str = EXTRACTOR_VERSION
    report_ids: tuple[str, ...] = field(default=())
    # Every outlet that reported the event, sorted (`source` is the one whose figures are shown).
    sources: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence"] = [asdict(e) for e in self.evidence]
        data["report_ids"] = list(self.report_ids or (self.report_id,))
        data["sources"] = list(self.sources or (self.source,))
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        """Rebuild an event from its JSON form (a topic's payload); fields this version does not know are dropped."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["actor1"] = Actor(**data["actor1"])
        values["actor2"] = Actor(**data["actor2"]) if data.get("actor2") else None
        values["evidence"] = tuple(Evidence(**e) for e in data.get("evidence", ()))
        values["report_ids"] = tuple(data.get("report_ids", ()))
        values["sources"] = tuple(data.get("sources", ()))
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Alert:
    alert_id: str
    rule: str
    severity: str  # critical | error | warning | info
    event_ids: tuple[str, ...]
    area: dict[str, Any]
    window: dict[str, Any]
    summary: str
    # The condition the alert stands for (rule, area, window); alert_id is its hash.
    dedup_key: str | None = None
    # The toll behind the alert: the event's, or the sum over the window.
    fatalities: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["event_ids"] = list(self.event_ids)
        return data


@dataclass(frozen=True, slots=True)
class DeadLetter:
    reason: str
    error_class: str
    topic: str
    partition: int | None
    offset: int | None
    original: str
    original_encoding: str  # "utf-8" when the bytes decoded, else "base64"
    original_size: int
    truncated: bool
    key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
