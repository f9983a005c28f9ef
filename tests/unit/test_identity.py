"""Event identity across reports (workers/identity.py): matching, merging, revisions, ids. No Kafka."""

from __future__ import annotations

from itertools import permutations

import pytest

from tests.factories import make_event
from workers.identity import (
    Tracked,
    actors_compatible,
    area_key,
    fingerprint,
    matches,
    nearby_days,
    place_key,
    resolve,
    sub_event_family,
)
from workers.records import Actor, Event, Evidence

REGIME = Actor("SYRIAN_REGIME", "Military Forces of Syria", "قوات النظام")
REBELS = Actor("REBELS", "Rebels", "الفصائل")
UNKNOWN = Actor("UNKNOWN", "Unidentified", None)
CIVILIANS = Actor("CIVILIANS", "Civilians", None)


def extraction(report_id: str = "r1", n: int = 0, **fields) -> Event:
    """An extractor's per-report event: a missile on a neighbourhood of Aleppo, by default."""
    own = {
        "event_id": f"x-{report_id}-{n}",
        "report_id": report_id,
        "source": f"outlet-{report_id}",
        "notes": f"notes of {report_id}",
        "evidence": (Evidence("killed", 4, 6, "18"),),
    }
    return make_event(**{**own, **fields})


def feed(*extractions: Event) -> tuple[dict[str, Tracked], list]:
    """Run extractions through resolve() as the identity agent does (candidates: every known event)."""
    known: dict[str, Tracked] = {}
    outcomes = []
    for x in extractions:
        result = resolve(known.values(), x)
        known[result.tracked.event.event_id] = result.tracked
        outcomes.append(result)
    return known, outcomes


def test_two_outlets_of_one_event_make_one_event_at_revision_2() -> None:
    known, (first, second) = feed(extraction("snn-009"), extraction("snn-010", actor1=UNKNOWN))
    assert first.created and first.changed and first.tracked.event.revision == 1
    assert not second.created and second.changed
    event = second.tracked.event
    assert len(known) == 1 and event.event_id == first.tracked.event.event_id
    assert event.revision == 2 and event.fatalities == 18
    assert event.report_ids == ("snn-009", "snn-010")
    assert event.sources == ("outlet-snn-009", "outlet-snn-010")
    assert event.actor1.code == "SYRIAN_REGIME"  # an UNKNOWN in the second report does not erase a known actor


def test_the_same_report_replayed_changes_nothing() -> None:
    x = extraction("snn-009")
    known, (_, again) = feed(x, x)
    assert not again.created and not again.changed
    assert again.tracked.event.revision == 1 and len(known) == 1


def test_a_lower_toll_after_a_higher_one_keeps_the_higher_toll() -> None:
    _, (_, low) = feed(extraction("a", fatalities=30), extraction("b", fatalities=12, notes="12 dead"))
    event = low.tracked.event
    assert event.fatalities == 30 and event.revision == 2 and event.report_ids == ("a", "b")
    # The evidence shown is still that of the report whose toll is shown.
    assert event.report_id == "a" and event.notes == "notes of a"


def test_a_higher_toll_revises_the_event_and_becomes_its_primary_report() -> None:
    _, outcomes = feed(
        extraction("a", fatalities=5, evidence=(Evidence("killed", 0, 1, "5"),)),
        extraction("b", fatalities=12, evidence=(Evidence("killed", 0, 2, "12"),)),
        extraction("c", fatalities=None),
    )
    revisions = [(o.tracked.event.revision, o.tracked.event.fatalities) for o in outcomes]
    assert revisions == [(1, 5), (2, 12), (3, 12)]
    final = outcomes[-1].tracked.event
    assert final.report_id == "b" and final.evidence == (Evidence("killed", 0, 2, "12"),)
    assert final.source == "outlet-b" and final.sources == ("outlet-a", "outlet-b", "outlet-c")


def test_injured_take_the_highest_figure_too() -> None:
    _, outcomes = feed(extraction("a", injured=None), extraction("b", injured=40), extraction("c", injured=7))
    assert outcomes[-1].tracked.event.injured == 40


def test_event_ids_are_deterministic_from_the_fingerprint() -> None:
    _, (a,) = feed(extraction("a"))
    _, (b,) = feed(extraction("a"))
    _, (c,) = feed(extraction("a", event_date="2015-07-25"))
    assert a.tracked.event.event_id == b.tracked.event.event_id != c.tracked.event.event_id
    assert len(a.tracked.event.event_id) == 24 and int(a.tracked.event.event_id, 16) >= 0


def test_two_events_of_one_report_are_never_merged() -> None:
    # The extractor splits a report's events (here one per day at one place): identity must not undo that.
    known, (_, b) = feed(
        extraction("sohr", 0, event_date="2018-02-11", fatalities=None),
        extraction("sohr", 1, event_date="2018-02-10", fatalities=21),
    )
    assert b.created and len(known) == 2
    assert {t.event.fatalities for t in known.values()} == {None, 21}


def test_same_fingerprint_in_one_report_gets_the_next_id() -> None:
    x0 = extraction("r", 0, sub_event_type="Suicide bomb", event_type="Explosions/Remote violence")
    x1 = extraction("r", 1, sub_event_type="Remote explosive/landmine/IED")
    assert fingerprint(x0) == fingerprint(x1)
    known, _ = feed(x0, x1)
    assert len(known) == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, True),
        ({"event_date": "2015-07-22"}, True),  # a day apart: «أمس» read against different publication times
        ({"event_date": "2015-07-20"}, True),
        ({"event_date": "2015-07-23"}, False),
        ({"admin1_pcode": "SY07"}, False),
        ({"location": "Nabul", "location_ar": "نبل"}, False),
        ({"admin3_pcode": "SY020404"}, False),
        ({"sub_event_type": "Air/drone strike"}, False),
        ({"actor1": REBELS}, False),
        ({"actor1": UNKNOWN}, True),
        ({"actor2": None}, True),
        ({"actor2": REBELS}, False),
    ],
)
def test_matching(change: dict, expected: bool) -> None:
    assert matches(extraction("a"), extraction("b", **change)) is expected


def test_places_agree_on_the_gazetteer_name_not_the_spelling() -> None:
    kobani = extraction("a", location="Ain Al Arab", location_ar="كوباني")
    ain_al_arab = extraction("b", location="Ain Al Arab", location_ar="عين العرب")
    assert place_key(kobani) == place_key(ain_al_arab)
    # Without a gazetteer match, the place as written, normalised (hamza and teh marbuta variants agree).
    a = extraction("a", location=None, location_ar="الرقة")
    b = extraction("b", location=None, location_ar="الرقه")
    assert place_key(a) == place_key(b)


def test_clashes_may_name_their_sides_in_either_order() -> None:
    clash = {"sub_event_type": "Armed clash", "event_type": "Battles"}
    a = extraction("a", actor1=REGIME, actor2=REBELS, **clash)
    b = extraction("b", actor1=REBELS, actor2=REGIME, **clash)
    assert actors_compatible(a, b) and matches(a, b)
    shelling_a, shelling_b = extraction("a", actor2=REBELS), extraction("b", actor1=REBELS, actor2=REGIME)
    assert not actors_compatible(shelling_a, shelling_b)


def test_a_match_fills_in_unknown_actors() -> None:
    _, (_, merged) = feed(extraction("a", actor1=UNKNOWN, actor2=None), extraction("b"))
    event = merged.tracked.event
    assert (event.actor1.code, event.actor2.code) == ("SYRIAN_REGIME", "CIVILIANS")


def test_the_best_candidate_is_the_one_naming_the_same_actors() -> None:
    known, _ = feed(
        extraction("a", actor1=UNKNOWN, fatalities=3),
        extraction("a", 1, actor1=REBELS, actor2=CIVILIANS, fatalities=4),  # same report: a second event
    )
    result = resolve(known.values(), extraction("b", actor1=REBELS, fatalities=None))
    assert result.tracked.event.fatalities == 4


def test_area_key_is_the_governorate_else_the_country() -> None:
    assert area_key(extraction()) == "SY02"
    assert area_key(extraction(admin1_pcode=None, country="Turkey")) == "country:Turkey"


def test_sub_event_families() -> None:
    assert sub_event_family("Suicide bomb") == sub_event_family("Remote explosive/landmine/IED") == "explosive"
    assert sub_event_family("Air/drone strike") != sub_event_family("Shelling/artillery/missile attack")
    assert sub_event_family("Arrests") == "Arrests"


def test_nearby_days() -> None:
    assert nearby_days("2016-03-01") == ["2016-02-29", "2016-03-01", "2016-03-02"]


def test_tracked_round_trips_through_json() -> None:
    import orjson

    known, _ = feed(extraction("a", fatalities=5), extraction("b", fatalities=None, injured=3))
    (tracked,) = known.values()
    assert Tracked.from_dict(orjson.loads(orjson.dumps(tracked.to_dict()))) == tracked


def test_the_final_event_does_not_depend_on_the_order_reports_come_in() -> None:
    # Replays read reports from several partitions in an order that varies: the outcome must not.
    reports = [
        extraction("b", actor1=UNKNOWN, fatalities=12, source="okaz"),
        extraction("a", fatalities=None, source="almadina"),
        extraction("c", actor2=None, fatalities=20, injured=4, source="SOHR"),
        extraction("d", fatalities=20, source="aawsat"),
    ]
    finals = set()
    for order in permutations(reports):
        known, _ = feed(*order)
        (tracked,) = known.values()
        finals.add(tracked.event)
    (event,) = finals
    assert event.revision == 4 and event.fatalities == 20 and event.injured == 4
    assert event.report_id == "c"  # the highest toll; of two equal, the smaller report id
    assert event.report_ids == ("a", "b", "c", "d") and event.sources == ("SOHR", "aawsat", "almadina", "okaz")
    assert (event.actor1.code, event.actor2.code) == ("SYRIAN_REGIME", "CIVILIANS")


def test_two_events_with_different_actors_at_one_place_and_day_get_distinct_ids() -> None:
    known, (regime, rebels) = feed(extraction("a"), extraction("b", actor1=REBELS, actor2=REGIME))
    assert regime.created and rebels.created and len(known) == 2


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_at_the_ends_of_the_calendar(day: str) -> None:
    # A hostile report dated year 1 («أمس» of 0001-01-01 stays there): nothing may overflow.
    assert day in nearby_days(day) and len(nearby_days(day)) == 2
    known, (_, second) = feed(extraction("a", event_date=day), extraction("b", event_date=day))
    assert second.tracked.event.revision == 2 and len(known) == 1
