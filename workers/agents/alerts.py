"""Agent: events (each revision) → alerts, by the rules of workers/alerting with their state in faust tables.

The events topic carries every event of an area in one partition (the identity agent sees to it), so the area-keyed
window tables below are written from one partition each and restored with it. Per event revision:

1. skip it if this revision (or a later one) was handled: redelivered after a crash, it changes nothing;
2. evaluate every rule on the event and the current state (plain functions), giving alerts and the new state;
3. send each alert whose severity rose since it was last sent;
4. write the new window state, then the revision as handled.

The alerts topic is the changelog of the `alerts-sent` table: recording an alert as sent IS sending it, one
message, and a restarted worker rebuilds what it has sent from the alerts topic itself. So a crash can neither
lose an alert (its event is re-read until the commit that follows the alert's write) nor send one twice (the
re-read finds it among those sent). Alerts are therefore written like table changes: in the partition of the
event's area, keyed by alert_id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..alerting.config import AlertRules, load_rules
from ..alerting.rules import (
    ActorHistory,
    area_code,
    attacks_on_civilians,
    civilians_area,
    day_timestamp,
    escalation,
    is_attack_on_civilians,
    mass_casualties,
    new_actors,
    should_send,
)
from ..records import Alert, Event
from ..settings import Settings
from ..topics import (
    ALERTS_ACTORS_TABLE,
    ALERTS_CIVILIANS_TABLE,
    ALERTS_ESCALATION_TABLE,
    ALERTS_SEEN_TABLE,
    ALERTS_SENT_TABLE,
)
from .extract import COUNTS

log = logging.getLogger(__name__)

DAY = 86_400.0

# Kept for callers of the earlier API.
event_from_dict = Event.from_dict


@dataclass
class Evaluation:
    """The alerts one event revision raises and the state writes it implies (applied after the alerts are sent)."""

    alerts: list[Alert] = field(default_factory=list)
    writes: list[tuple[Any, Any, Any]] = field(default_factory=list)  # (table, key, value)


def register_alerts(app: Any, topics: Any, settings: Settings) -> Any:
    rules: AlertRules = load_rules(settings.alert_rules, settings.mass_casualty_threshold)
    n = settings.partitions
    handled = app.Table(ALERTS_SEEN_TABLE, default=int, partitions=n, help="event_id -> last revision handled")
    alerts_as_changelog = app.topic(
        settings.alerts_topic,
        key_type=bytes,
        key_serializer="raw",
        value_serializer="json",
        partitions=n,
        acks=False,  # read back only to restore the table, never consumed as a stream
        allow_empty=True,
    )
    sent = app.Table(
        ALERTS_SENT_TABLE,
        key_type=bytes,
        partitions=n,
        changelog_topic=alerts_as_changelog,
        help="alert_id -> the alert last sent (its changelog is the alerts topic)",
    )
    # Event-time windows (by event_date), without `expires`: faust expires windows against the wall clock, which
    # would drop every window of a replayed archive at once. Old windows are deleted below instead.
    window_size = rules.escalation.window_days * DAY
    tolls = app.Table(ALERTS_ESCALATION_TABLE, default=dict, partitions=n).tumbling(window_size)
    actors = app.Table(ALERTS_ACTORS_TABLE, partitions=n, help="district -> ActorHistory")
    civilians = app.Table(ALERTS_CIVILIANS_TABLE, default=dict, partitions=n, help="'<area>|<day>' -> tolls")

    def evaluate(event: Event) -> Evaluation:
        out = Evaluation()
        if rules.mass_casualties.enabled:
            mc = rules.mass_casualties
            alert = mass_casualties(event, mc.threshold, mc.critical_factor)
            out.alerts += [alert] if alert else []
        if rules.escalation.enabled and (area := area_code(event, rules.escalation.level)):
            ts = day_timestamp(event.event_date)
            window = tolls.relative_to(ts)
            totals = {**window[area].value(), event.event_id: event.fatalities or 0}
            previous = [
                tolls.relative_to(ts - k * window_size)[area].value()
                for k in range(1, rules.escalation.baseline_windows + 1)
            ]
            alert = escalation(event, rules.escalation, totals, previous)
            out.alerts += [alert] if alert else []
            if event.fatalities:
                out.writes.append((window, area, totals))
        if rules.new_actor.enabled and (district := area_code(event, rules.new_actor.level)):
            stored = actors.get(district)
            history = ActorHistory.from_dict(stored) if stored else None
            alerts, updated = new_actors(event, rules.new_actor, history)
            out.alerts += alerts
            if updated is not None and updated != history:
                out.writes.append((actors, district, updated.to_dict()))
        if rules.attacks_on_civilians.enabled and is_attack_on_civilians(event):
            level, code = civilians_area(event, rules.attacks_on_civilians)
            key = f"{level}:{code}|{event.event_date}"
            day = {**civilians[key], event.event_id: event.fatalities or 0}
            alert = attacks_on_civilians(event, rules.attacks_on_civilians, day)
            out.alerts += [alert] if alert else []
            out.writes.append((civilians, key, day))
        return out

    def forget_old_windows(event: Event) -> None:
        """Keep an area's current window and its baseline; drop the window before them."""
        area = area_code(event, rules.escalation.level)
        if not (rules.escalation.enabled and area and event.fatalities):
            return
        keep = (rules.escalation.baseline_windows + 1) * window_size
        stale = tolls.relative_to(day_timestamp(event.event_date) - keep)
        if area in stale:
            del stale[area]

    @app.agent(topics.events, name="rasad.alert")
    async def alert_on_events(stream: Any) -> Any:
        async for raw in stream:
            event = Event.from_dict(orjson.loads(raw))
            if event.revision <= handled[event.event_id]:
                COUNTS["alerts.repeated_revision"] += 1
                yield []
                continue
            try:
                evaluation = evaluate(event)
            except Exception:  # a rule's bug must not stop the alerts of every later event
                log.exception("alert rules failed on event %s revision %s", event.event_id, event.revision)
                COUNTS["alerts.failed"] += 1
                yield []
                continue
            raised = [a for a in evaluation.alerts if should_send(a, sent.get(a.alert_id.encode()))]
            for alert in raised:
                sent[alert.alert_id.encode()] = alert.to_dict()  # the write to the alerts topic
            for table, key, value in evaluation.writes:
                table[key] = value
            forget_old_windows(event)
            handled[event.event_id] = event.revision
            COUNTS["alerts.sent"] += len(raised)
            yield raised

    return alert_on_events
