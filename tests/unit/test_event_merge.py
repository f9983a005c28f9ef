"""Merging one deed told twice: the actor pair the merge keeps."""

from __future__ import annotations

from dataclasses import replace

from workers.pipeline.event_merge import merge
from workers.records import Actor, Event, Evidence

_BASE = Event(
    event_id="e",
    report_id="r",
    revision=1,
    event_date="2015-07-30",
    time_precision=1,
    event_type="Explosions/Remote violence",
    sub_event_type="Suicide bomb",
    actor1=Actor("UNKNOWN", "Unidentified"),
    actor2=Actor("ISLAMIC_STATE", "Islamic State"),
    country="Syria",
    admin1=None,
    admin1_pcode="SY08",
    admin2=None,
    admin2_pcode=None,
    admin3=None,
    admin3_pcode=None,
    location=None,
    location_ar="الهول",
    latitude=None,
    longitude=None,
    geo_precision=1,
    fatalities=None,
    injured=None,
    source="test",
    notes="",
    evidence=(Evidence("trigger", 0, 5, "انتحاري"),),
    confidence=0.5,
)


def test_a_side_named_as_author_by_a_later_telling_is_not_also_its_target():
    later = replace(_BASE, actor1=Actor("ISLAMIC_STATE", "Islamic State"), actor2=Actor("CIVILIANS", "Civilians"))
    merged = merge(_BASE, later)
    assert (merged.actor1.code, merged.actor2.code if merged.actor2 else None) == ("ISLAMIC_STATE", "CIVILIANS")
