"""Agent: events → alerts (for now one rule: mass casualties)."""

from __future__ import annotations

from typing import Any

import orjson

from ..alerting.rules import mass_casualties
from ..records import Actor, Event, Evidence
from ..settings import Settings


def event_from_dict(data: dict[str, Any]) -> Event:
    """Rebuild an Event from its JSON form (the events topic's payload)."""
    fields = dict(data)
    fields["actor1"] = Actor(**data["actor1"])
    fields["actor2"] = Actor(**data["actor2"]) if data.get("actor2") else None
    fields["evidence"] = tuple(Evidence(**e) for e in data.get("evidence", ()))
    fields["report_ids"] = tuple(data.get("report_ids", ()))
    return Event(**fields)


def register_alerts(app: Any, topics: Any, settings: Settings) -> Any:
    @app.agent(topics.events, name="rasad.alert")
    async def alert_on_events(stream: Any) -> Any:
        async for raw in stream:
            event = event_from_dict(orjson.loads(raw))
            alert = mass_casualties(event, settings.mass_casualty_threshold)
            if alert is not None:
                await topics.alerts.send(key=alert.alert_id.encode(), value=orjson.dumps(alert.to_dict()))
            yield alert

    return alert_on_events
