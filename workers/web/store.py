"""The live view's memory: the latest events, alerts and report links, bounded, newest change first.

Plain Python, no Kafka and no web: the feed (feed.py) puts messages in, the JSON views (views.py) read them out.
Every change gets the next sequence number, so a page can poll for "what changed since N" (`after=N`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "ALERT_CAPACITY",
    "EVENT_CAPACITY",
    "REPORT_CAPACITY",
    "Filter",
    "Latest",
    "LiveStore",
    "parse_filter",
    "report_link",
]

# Enough for a busy week of Syria-wide reporting; the page stays responsive with this many markers.
EVENT_CAPACITY = 5000
ALERT_CAPACITY = 1000
# Report links are small (id, url, source, title); keep more of them than events so every event's reports resolve.
REPORT_CAPACITY = 20000


class Latest:
    """A bounded id -> value map that remembers when each entry last changed and forgets the stalest.

    With `revision`, a value whose revision is lower than the stored one is stale and ignored (a replay, or a
    lagging duplicate); an equal or higher one replaces it. Re-putting an identical value changes nothing, so
    at-least-once redelivery does not look like news to polling pages.
    """

    def __init__(self, capacity: int, key: Callable[[dict[str, Any]], str], revision: str | None = None) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._key = key
        self._revision = revision
        self._items: OrderedDict[str, tuple[int, dict[str, Any]]] = OrderedDict()  # oldest change first
        self.seq = 0

    def put(self, value: dict[str, Any]) -> bool:
        """Store `value`; True when the store changed."""
        key = self._key(value)
        old = self._items.get(key)
        if old is not None:
            if old[1] == value:
                return False
            if self._revision and _revision(value, self._revision) < _revision(old[1], self._revision):
                return False
        self.seq += 1
        self._items[key] = (self.seq, value)
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return True

    def get(self, key: str) -> dict[str, Any] | None:
        found = self._items.get(key)
        return found[1] if found else None

    def changed_since(self, after: int = 0) -> list[dict[str, Any]]:
        """Values changed after sequence number `after`, the most recent change first."""
        out = []
        for seq, value in reversed(self._items.values()):
            if seq <= after:
                break
            out.append(value)
        return out

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items


def _revision(value: dict[str, Any], field: str) -> int:
    raw = value.get(field)
    return raw if isinstance(raw, int) else 0


class LiveStore:
    """What the live view shows: events by event_id (latest revision), alerts by alert_id, report links by id."""

    def __init__(
        self,
        event_capacity: int = EVENT_CAPACITY,
        alert_capacity: int = ALERT_CAPACITY,
        report_capacity: int = REPORT_CAPACITY,
    ) -> None:
        self.events = Latest(event_capacity, lambda e: str(e["event_id"]), revision="revision")
        self.alerts = Latest(alert_capacity, lambda a: str(a["alert_id"]))
        self.reports = Latest(report_capacity, lambda r: str(r["id"]))

    def add_event(self, event: Any) -> bool:
        """Keep an event from the events topic; anything without an event_id is ignored (False)."""
        if not isinstance(event, dict) or not event.get("event_id"):
            return False
        return self.events.put(event)

    def add_alert(self, alert: Any) -> bool:
        if not isinstance(alert, dict) or not alert.get("alert_id"):
            return False
        return self.alerts.put(alert)

    def add_report(self, report: Any) -> bool:
        """Keep only what a link needs from a report (its text can be a megabyte)."""
        link = report_link(report)
        return self.reports.put(link) if link else False

    def event_view(self, event: dict[str, Any]) -> dict[str, Any]:
        """The event as the JSON views give it: plus `reports`, one link per contributing report."""
        ids = event.get("report_ids") or [event.get("report_id")]
        return {**event, "reports": [self.reports.get(str(i)) or {"id": i, "url": None} for i in ids if i]}


def report_link(report: Any) -> dict[str, Any] | None:
    """{id, url, source, title, published_at} of a report dict; None when it has no id. Only http(s) URLs are kept,
    since they end up in links on a page."""
    if not isinstance(report, dict) or not isinstance(report.get("id"), str) or not report["id"]:
        return None
    url = report.get("url")
    if not (isinstance(url, str) and url.lower().startswith(("http://", "https://"))):
        url = None
    return {
        "id": report["id"],
        "url": url,
        "source": _str_or_none(report.get("source")),
        "title": _str_or_none(report.get("title")),
        "published_at": _str_or_none(report.get("published_at")),
    }


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Filter:
    """What the page's filters and the JSON views' query parameters select. Dates are ISO days, inclusive."""

    admin1: str | None = None  # governorate p-code, SY01..SY14
    actor: str | None = None  # actor code, either side
    type: str | None = None  # event type or sub-event type
    since: str | None = None
    until: str | None = None
    severity: str | None = None  # alerts only

    def event(self, e: dict[str, Any]) -> bool:
        if self.admin1 and e.get("admin1_pcode") != self.admin1:
            return False
        if self.actor and self.actor not in {(e.get("actor1") or {}).get("code"), (e.get("actor2") or {}).get("code")}:
            return False
        if self.type and self.type not in {e.get("event_type"), e.get("sub_event_type")}:
            return False
        day = str(e.get("event_date") or "")
        return not ((self.since and day < self.since) or (self.until and day > self.until))

    def alert(self, a: dict[str, Any]) -> bool:
        """An alert matches on its area, its window (overlapping the date range) and its severity."""
        if self.admin1 and (a.get("area") or {}).get("admin1_pcode") != self.admin1:
            return False
        if self.severity and a.get("severity") != self.severity:
            return False
        window = a.get("window") or {}
        start, end = str(window.get("start") or ""), str(window.get("end") or window.get("start") or "")
        return not ((self.since and end and end < self.since) or (self.until and start and start > self.until))


def parse_filter(query: Mapping[str, str]) -> Filter:
    """A Filter from query parameters; ValueError with a readable message on a bad date or p-code."""
    values = {name: (query.get(name) or "").strip() or None for name in ("admin1", "actor", "type", "severity")}
    if values["admin1"] and not (values["admin1"].upper().startswith("SY") and values["admin1"][2:].isdigit()):
        raise ValueError(f"admin1 must be a governorate p-code like SY07, got {values['admin1']!r}")
    if values["admin1"]:
        values["admin1"] = values["admin1"].upper()
    for name in ("since", "until"):
        raw = (query.get(name) or "").strip()
        if raw:
            try:
                values[name] = date.fromisoformat(raw[:10]).isoformat()
            except ValueError:
                raise ValueError(f"{name} must be a date like 2018-02-10, got {raw!r}") from None
    return Filter(**values)
