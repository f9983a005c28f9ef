"""The live view's store, filters and JSON answers: plain Python, no Kafka, no web server."""

from __future__ import annotations

import orjson
import pytest

from workers.web.feed import apply
from workers.web.store import Filter, Latest, LiveStore, parse_filter, report_link
from workers.web.views import alerts_payload, events_payload


def event(event_id: str = "e1", revision: int = 1, **fields) -> dict:
    base = {
        "event_id": event_id,
        "report_id": "r1",
        "report_ids": ["r1"],
        "revision": revision,
        "event_date": "2018-02-10",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": {"code": "ISLAMIC_STATE", "name": "Islamic State"},
        "actor2": {"code": "HTS_NUSRA", "name": "HTS"},
        "admin1_pcode": "SY07",
        "location_ar": "أم الخلاخيل",
        "latitude": 35.4,
        "longitude": 36.7,
        "fatalities": 21,
    }
    return {**base, **fields}


def alert(alert_id: str = "a1", **fields) -> dict:
    base = {
        "alert_id": alert_id,
        "rule": "mass_casualties",
        "severity": "error",
        "event_ids": ["e1"],
        "area": {"admin1_pcode": "SY07"},
        "window": {"start": "2018-02-10", "end": "2018-02-10"},
        "summary": "21 killed",
    }
    return {**base, **fields}


def test_a_higher_revision_replaces_the_event_and_a_stale_one_is_ignored():
    store = LiveStore()
    assert store.add_event(event(revision=2, fatalities=21))
    assert not store.add_event(event(revision=1, fatalities=5))  # late duplicate of an older revision
    assert store.events.get("e1")["fatalities"] == 21
    assert store.add_event(event(revision=3, fatalities=23))
    assert len(store.events) == 1 and store.events.get("e1")["revision"] == 3


def test_redelivery_of_the_same_message_is_not_news():
    store = LiveStore()
    store.add_event(event())
    seq = store.events.seq
    assert not store.add_event(event())
    assert store.events.seq == seq and store.events.changed_since(seq) == []


def test_the_store_is_bounded_and_forgets_the_stalest_change_first():
    latest = Latest(3, key=lambda v: v["id"])
    for i in range(5):
        latest.put({"id": f"k{i}", "v": i})
    assert len(latest) == 3 and "k0" not in latest and "k1" not in latest
    latest.put({"id": "k2", "v": "changed"})  # a change makes k2 the freshest again
    latest.put({"id": "k5", "v": 5})
    assert "k3" not in latest and "k2" in latest
    assert [v["id"] for v in latest.changed_since(0)] == ["k5", "k2", "k4"]


def test_changed_since_gives_only_what_changed_after_a_sequence_number():
    store = LiveStore()
    store.add_event(event("e1"))
    store.add_event(event("e2"))
    seq = store.events.seq
    store.add_event(event("e3"))
    store.add_event(event("e1", revision=2))
    assert [e["event_id"] for e in store.events.changed_since(seq)] == ["e1", "e3"]


def test_messages_without_an_id_are_ignored():
    store = LiveStore()
    assert not store.add_event({"foo": 1})
    assert not store.add_event(["not", "a", "dict"])
    assert not store.add_alert({"rule": "x"})
    assert not store.add_report({"url": "https://example.org"})
    assert (len(store.events), len(store.alerts), len(store.reports)) == (0, 0, 0)


def test_reports_keep_only_their_link_and_only_http_urls():
    link = report_link({"id": "r1", "url": "javascript:alert(1)", "source": "SOHR", "text": "نص طويل" * 1000})
    assert link == {"id": "r1", "url": None, "source": "SOHR", "title": None, "published_at": None}
    assert report_link({"id": "r2", "url": "HTTPS://example.org/a"})["url"] == "HTTPS://example.org/a"


def test_an_event_view_links_every_contributing_report():
    store = LiveStore()
    store.add_report({"id": "r1", "url": "https://example.org/r1", "source": "SOHR"})
    view = store.event_view(event(report_ids=["r1", "r2"]))
    assert view["reports"] == [
        {"id": "r1", "url": "https://example.org/r1", "source": "SOHR", "title": None, "published_at": None},
        {"id": "r2", "url": None},  # not seen (yet): listed, without a link
    ]


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({}, {"e1", "e2", "e3"}),
        ({"admin1": "SY07"}, {"e1", "e3"}),
        ({"admin1": "sy02"}, {"e2"}),
        ({"actor": "HTS_NUSRA"}, {"e1"}),  # either side
        ({"actor": "SYRIAN_REGIME"}, {"e2", "e3"}),
        ({"type": "Explosions/Remote violence"}, {"e2", "e3"}),
        ({"type": "Air/drone strike"}, {"e2"}),  # a sub-event type works too
        ({"since": "2018-02-10"}, {"e1", "e3"}),
        ({"until": "2018-02-10"}, {"e1", "e2"}),
        ({"since": "2018-02-10", "until": "2018-02-10"}, {"e1"}),
        ({"admin1": "SY07", "type": "Battles", "since": "2018-02-01"}, {"e1"}),
    ],
)
def test_event_filters(query, shown):
    store = LiveStore()
    store.add_event(event("e1"))
    store.add_event(
        event(
            "e2",
            event_date="2015-07-21",
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            admin1_pcode="SY02",
            actor1={"code": "SYRIAN_REGIME", "name": "Syrian regime"},
            actor2=None,
        )
    )
    store.add_event(
        event(
            "e3",
            event_date="2018-02-12",
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            actor1={"code": "SYRIAN_REGIME", "name": "Syrian regime"},
            actor2=None,
        )
    )
    assert {e["event_id"] for e in events_payload(store, query)["events"]} == shown


def test_alert_filters_use_area_window_and_severity():
    store = LiveStore()
    store.add_alert(alert("a1"))
    store.add_alert(alert("a2", severity="critical", area={"admin1_pcode": "SY02"}, window={"start": "2015-07-21"}))
    assert {a["alert_id"] for a in alerts_payload(store, {"admin1": "SY02"})["alerts"]} == {"a2"}
    assert {a["alert_id"] for a in alerts_payload(store, {"severity": "error"})["alerts"]} == {"a1"}
    assert {a["alert_id"] for a in alerts_payload(store, {"since": "2016-01-01"})["alerts"]} == {"a1"}
    assert {a["alert_id"] for a in alerts_payload(store, {"until": "2016-01-01"})["alerts"]} == {"a2"}


def test_events_payload_polls_by_sequence_number_and_limits():
    store = LiveStore()
    for i in range(5):
        store.add_event(event(f"e{i}"))
    first = events_payload(store, {"limit": "2"})
    assert first["count"] == 2 and [e["event_id"] for e in first["events"]] == ["e4", "e3"]
    assert first["seq"] == 5
    store.add_event(event("e0", revision=2))
    later = events_payload(store, {"after": str(first["seq"])})
    assert [(e["event_id"], e["revision"]) for e in later["events"]] == [("e0", 2)] and later["seq"] == 6


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "yesterday"}, "since must be a date"),
        ({"until": "2018-13-01"}, "until must be a date"),
        ({"admin1": "Idlib"}, "admin1 must be a governorate p-code"),
        ({"after": "x"}, "after must be an integer"),
        ({"limit": "lots"}, "limit must be an integer"),
    ],
)
def test_bad_query_parameters_say_what_is_wrong(query, message):
    with pytest.raises(ValueError, match=message):
        events_payload(LiveStore(), query)


def test_parse_filter_normalises():
    assert parse_filter({"admin1": " sy07 ", "since": "2018-02-01T10:00:00", "actor": ""}) == Filter(
        admin1="SY07", since="2018-02-01"
    )


def test_the_feed_skips_what_it_cannot_read():
    store = LiveStore()
    assert apply(store.add_event, orjson.dumps(event()))
    assert not apply(store.add_event, b"{broken")
    assert not apply(store.add_event, None)
    assert not apply(store.add_report, orjson.dumps({"id": 5}))
    assert len(store.events) == 1
