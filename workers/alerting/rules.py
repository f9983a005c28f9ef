"""Alert rules as plain functions over events (no Kafka)."""

from __future__ import annotations

import hashlib

from ..records import Alert, Event


def mass_casualties(event: Event, threshold: int) -> Alert | None:
    """One event that killed at least `threshold` people."""
    if event.fatalities is None or event.fatalities < threshold:
        return None
    severity = "critical" if event.fatalities >= 5 * threshold else "error"
    area = {
        "admin1_pcode": event.admin1_pcode,
        "admin2_pcode": event.admin2_pcode,
        "location": event.location,
        "location_ar": event.location_ar,
        "country": event.country,
    }
    place = event.location or event.location_ar
    summary = (
        f"{event.fatalities} killed: {event.sub_event_type} at {place} ({event.admin1 or event.country}) "
        f"on {event.event_date}, {event.actor1.code}"
        + (f" against {event.actor2.code}" if event.actor2 else "")
    )
    dedup = f"mass_casualties|{event.event_id}"
    return Alert(
        alert_id=hashlib.sha1(dedup.encode()).hexdigest()[:24],
        rule="mass_casualties",
        severity=severity,
        event_ids=(event.event_id,),
        area=area,
        window={"start": event.event_date, "end": event.event_date},
        summary=summary,
    )
