"""Events for tests: one complete, valid event that each test adjusts with the fields it is about."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from workers.records import Actor, Event

REGIME = Actor("SYRIAN_REGIME", "Military Forces of Syria", "قوات النظام")
CIVILIANS = Actor("CIVILIANS", "Civilians", None)


def make_event(**fields: Any) -> Event:
    """A regime missile on a neighbourhood of Aleppo killing 18, the day before publication, unless told otherwise."""
    base = Event(
        event_id="e1",
        report_id="r1",
        revision=1,
        event_date="2015-07-21",
        time_precision=1,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1=REGIME,
        actor2=CIVILIANS,
        country="Syria",
        admin1="Aleppo",
        admin1_pcode="SY02",
        admin2="Jebel Saman",
        admin2_pcode="SY0200",
        admin3="Jebel Saman",
        admin3_pcode="SY020000",
        location="Al-Mghayer",
        location_ar="حي المغاير",
        latitude=36.2,
        longitude=37.16,
        geo_precision=1,
        fatalities=18,
        injured=None,
        source="SOHR",
        notes="",
        evidence=(),
        confidence=0.8,
    )
    return replace(base, **fields)
