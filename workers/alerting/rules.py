"""Alert rules as plain functions over an event and the state of its area (no Kafka).

Each rule returns the alert its condition stands for, or None. An alert's id is the hash of its dedup key (rule +
area + window), so the same condition always has the same id; whether to send it again is `should_send`'s call
(only when its severity rises). Window state is passed in and handed back by the caller (the alert agent keeps it
in faust tables).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ..records import Alert, Event
from .config import SEVERITIES, AttacksOnCivilians, Escalation, NewActor

__all__ = [
    "ActorHistory",
    "area_code",
    "attacks_on_civilians",
    "day_timestamp",
    "escalation",
    "is_attack_on_civilians",
    "mass_casualties",
    "new_actors",
    "should_send",
    "tumbling_window",
]

EPOCH = date(1970, 1, 1)


def alert_id(dedup_key: str) -> str:
    return hashlib.sha1(dedup_key.encode()).hexdigest()[:24]


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def should_send(alert: Alert, last_sent: Mapping[str, Any] | None) -> bool:
    """Send an alert the first time, then again only when it escalates to a higher severity.

    A grown event set or toll at the same severity updates nothing a pager would act on (PagerDuty and
    Alertmanager group on the dedup key too), so it is not re-sent.
    """
    return last_sent is None or severity_rank(alert.severity) > severity_rank(str(last_sent["severity"]))


def _event_area(event: Event) -> dict[str, Any]:
    return {
        "admin1_pcode": event.admin1_pcode,
        "admin2_pcode": event.admin2_pcode,
        "location": event.location,
        "location_ar": event.location_ar,
        "country": event.country,
    }


def area_code(event: Event, level: str) -> str | None:
    """The event's p-code at `level` (admin1 governorate, admin2 district); None when not known that finely."""
    return event.admin2_pcode if level == "admin2" else event.admin1_pcode


def _area(event: Event, level: str) -> dict[str, Any]:
    area: dict[str, Any] = {"level": level, "admin1_pcode": event.admin1_pcode, "admin1": event.admin1}
    if level == "admin2":
        area.update(admin2_pcode=event.admin2_pcode, admin2=event.admin2)
    area["country"] = event.country
    return area


def _place(event: Event) -> str:
    return event.location or event.location_ar


def _sides(event: Event) -> str:
    return event.actor1.code + (f" against {event.actor2.code}" if event.actor2 else "")


def mass_casualties(event: Event, threshold: int, critical_factor: int = 5) -> Alert | None:
    """One event that killed at least `threshold` people: error, critical from `critical_factor` × threshold."""
    if event.fatalities is None or event.fatalities < threshold:
        return None
    severity = "critical" if event.fatalities >= critical_factor * threshold else "error"
    summary = (
        f"{event.fatalities} killed: {event.sub_event_type} at {_place(event)} ({event.admin1 or event.country}) "
        f"on {event.event_date}, {_sides(event)}"
    )
    dedup = f"mass_casualties|{event.event_id}"
    return Alert(
        alert_id=alert_id(dedup),
        rule="mass_casualties",
        severity=severity,
        event_ids=(event.event_id,),
        area=_event_area(event),
        window={"start": event.event_date, "end": event.event_date},
        summary=summary,
        dedup_key=dedup,
        fatalities=event.fatalities,
    )


def day_timestamp(event_date: str) -> float:
    """Midnight UTC of an ISO date: the event time windows are computed from."""
    day = date.fromisoformat(event_date)
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def _clipped(ordinal: int) -> date:
    """A day by ordinal, held within the dates Python can represent (a hostile report can be dated year 1)."""
    return date.fromordinal(min(max(ordinal, 1), date.max.toordinal()))


def tumbling_window(event_date: str, days: int) -> tuple[str, str]:
    """The epoch-aligned window of `days` days holding `event_date`, as inclusive ISO dates (faust's tumbling
    windows are aligned the same way, so this names the window the table keeps the day in)."""
    epoch = EPOCH.toordinal()
    start = (date.fromisoformat(event_date).toordinal() - epoch) // days * days + epoch
    return _clipped(start).isoformat(), _clipped(start + days - 1).isoformat()


def escalation(
    event: Event,
    rule: Escalation,
    totals: Mapping[str, int],
    baseline: Sequence[Mapping[str, int]],
) -> Alert | None:
    """Fatalities of an area over the event's window: error from `threshold`, critical from critical_factor ×
    threshold; warning when at least `min_fatalities` and baseline_factor × the mean of the previous windows.

    `totals` maps each event of the window (this one included, at its current toll) to its fatalities, so a revised
    or repeated event is counted once; `baseline` holds the same for the previous windows, newest first. Windows
    before the area's first toll are not part of its baseline (they were not watched, not quiet), and an area with
    no toll before this window has no baseline: its first window is not "k× its past".
    """
    code = area_code(event, rule.level)
    if code is None:
        return None
    total = sum(totals.values())
    past = [sum(w.values()) for w in baseline]
    while past and not past[-1]:
        past.pop()
    mean = sum(past) / len(past) if past else 0.0
    if total >= rule.threshold * rule.critical_factor:
        severity = "critical"
    elif total >= rule.threshold:
        severity = "error"
    elif past and total >= rule.min_fatalities and total >= rule.baseline_factor * mean:
        severity = "warning"
    else:
        return None
    start, end = tumbling_window(event.event_date, rule.window_days)
    name = (event.admin2 if rule.level == "admin2" else event.admin1) or code
    dedup = f"escalation|{rule.level}:{code}|{start}/{end}"
    return Alert(
        alert_id=alert_id(dedup),
        rule="escalation",
        severity=severity,
        event_ids=tuple(sorted(e for e, f in totals.items() if f)),
        area=_area(event, rule.level),
        window={"start": start, "end": end},
        summary=(
            f"{total} killed in {name} from {start} to {end} in {sum(1 for f in totals.values() if f)} event(s); "
            + (f"trailing mean {mean:.0f} over {len(past)} window(s)" if past else "no earlier toll in the area")
        ),
        dedup_key=dedup,
        fatalities=total,
    )


@dataclass(frozen=True, slots=True)
class ActorHistory:
    """What a district has seen: since when it is watched, and the last day each actor acted there."""

    since: str
    last_seen: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"since": self.since, "last_seen": dict(self.last_seen)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActorHistory:
        return cls(since=data["since"], last_seen=dict(data["last_seen"]))


def new_actors(event: Event, rule: NewActor, history: ActorHistory | None) -> tuple[list[Alert], ActorHistory | None]:
    """Alerts for each actor of the event not seen in its district within `lookback_days` before the event, once
    the district has been watched that long (else every actor of a new stream would be "new"), and the district's
    updated history. Idempotent: the same event again finds its actors seen on its day."""
    code = area_code(event, rule.level)
    if code is None:
        return [], history
    horizon = _clipped(date.fromisoformat(event.event_date).toordinal() - rule.lookback_days).isoformat()
    actors = [a.code for a in (event.actor1, event.actor2) if a is not None and a.code not in rule.ignore]
    alerts = []
    watched = history is not None and history.since <= horizon
    last_seen = dict(history.last_seen) if history else {}
    for actor in dict.fromkeys(actors):
        last = last_seen.get(actor)
        if watched and (last is None or last < horizon):
            dedup = f"new_actor|{rule.level}:{code}|{actor}|{event.event_date}"
            alerts.append(
                Alert(
                    alert_id=alert_id(dedup),
                    rule="new_actor",
                    severity=rule.severity,
                    event_ids=(event.event_id,),
                    area=_area(event, rule.level),
                    window={"start": horizon, "end": event.event_date},
                    summary=(
                        f"{actor} acts in {(event.admin2 if rule.level == 'admin2' else event.admin1) or code} for "
                        f"the first time in {rule.lookback_days} days: {event.sub_event_type} at {_place(event)} "
                        f"on {event.event_date}"
                    ),
                    dedup_key=dedup,
                    fatalities=event.fatalities,
                )
            )
        last_seen[actor] = max(last or event.event_date, event.event_date)
    since = min(history.since, event.event_date) if history else event.event_date
    return alerts, ActorHistory(since=since, last_seen=last_seen)


def is_attack_on_civilians(event: Event) -> bool:
    codes = {event.actor1.code, event.actor2.code if event.actor2 else None}
    return event.event_type == "Violence against civilians" or "CIVILIANS" in codes


def civilians_area(event: Event, rule: AttacksOnCivilians) -> tuple[str, str]:
    """(level, p-code) the rule groups an event under: its district, else its governorate, else its country."""
    code = area_code(event, rule.level)
    if code is not None:
        return rule.level, code
    if event.admin1_pcode:
        return "admin1", event.admin1_pcode
    return "country", event.country


def attacks_on_civilians(event: Event, rule: AttacksOnCivilians, day_totals: Mapping[str, int]) -> Alert | None:
    """Violence against civilians in an area on a day; severity from that day's civilian-attack toll there.

    `day_totals` maps every such event of the area and day (this one included) to its fatalities (0 if unknown).
    """
    if not is_attack_on_civilians(event):
        return None
    total = sum(day_totals.values())
    if total >= rule.critical:
        severity = "critical"
    elif total >= rule.error:
        severity = "error"
    elif total >= rule.warning:
        severity = "warning"
    else:
        return None
    level, code = civilians_area(event, rule)
    dedup = f"attacks_on_civilians|{level}:{code}|{event.event_date}"
    name = {"admin2": event.admin2, "admin1": event.admin1}.get(level) or code
    return Alert(
        alert_id=alert_id(dedup),
        rule="attacks_on_civilians",
        severity=severity,
        event_ids=tuple(sorted(day_totals)),
        area=_area(event, level) if level != "country" else {"level": "country", "country": event.country},
        window={"start": event.event_date, "end": event.event_date},
        summary=(
            f"Civilians attacked in {name} on {event.event_date}: {len(day_totals)} event(s), {total} killed; "
            f"latest {event.sub_event_type} at {_place(event)} by {event.actor1.code}"
        ),
        dedup_key=dedup,
        fatalities=total,
    )
