"""tail's filters and its readable line, on messages built in code."""

from __future__ import annotations

from workers.tail import TailFilter, describe

EVENT = {
    "event_id": "a" * 24,
    "event_date": "2018-02-10",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": {"code": "ISLAMIC_STATE", "name": "Islamic State"},
    "actor2": {"code": "HTS_NUSRA", "name": "Hayat Tahrir al-Sham"},
    "country": "Syria",
    "admin1": "Idleb",
    "admin1_pcode": "SY07",
    "location": "Um Elkhalakhil",
    "location_ar": "أم الخلاخيل",
    "fatalities": 21,
    "injured": None,
}
ALERT = {
    "alert_id": "b" * 24,
    "rule": "mass_casualties",
    "severity": "error",
    "event_ids": ["a" * 24],
    "area": {"admin1_pcode": "SY07", "admin1": "Idleb"},
    "window": {"start": "2018-02-10", "end": "2018-02-10"},
    "summary": "21 killed",
    "fatalities": 21,
}


def test_no_filter_passes_everything():
    assert all(TailFilter().matches(m) for m in (EVENT, ALERT, {"reason": "empty message"}, {}))


def test_event_filters():
    assert TailFilter(admin1="SY07").matches(EVENT) and TailFilter(admin1="idleb").matches(EVENT)
    assert not TailFilter(admin1="SY02").matches(EVENT)
    assert TailFilter(actor="HTS_NUSRA").matches(EVENT) and TailFilter(actor="islamic_state").matches(EVENT)
    assert not TailFilter(actor="SYRIAN_REGIME").matches(EVENT)
    assert TailFilter(min_fatalities=21).matches(EVENT) and not TailFilter(min_fatalities=22).matches(EVENT)
    assert not TailFilter(min_fatalities=1).matches(EVENT | {"fatalities": None})  # no number is not a toll
    assert TailFilter(since="2018-02-10").matches(EVENT) and not TailFilter(since="2018-02-11").matches(EVENT)
    assert not TailFilter(admin1="SY07", actor="REBELS").matches(EVENT)  # every filter must hold


def test_alert_filters_and_dead_letters():
    assert TailFilter(admin1="SY07", since="2018-02-01", min_fatalities=10).matches(ALERT)
    assert not TailFilter(actor="ISLAMIC_STATE").matches(ALERT)  # alerts name no actors
    assert not TailFilter(admin1="SY07").matches({"reason": "not JSON", "offset": 3})


def test_readable_line_has_place_governorate_actors_toll_and_date():
    line = describe(EVENT)
    assert line.startswith("EVENT 2018-02-10 Armed clash at أم الخلاخيل / Um Elkhalakhil (Idleb, SY07)")
    assert "ISLAMIC_STATE vs HTS_NUSRA, 21 killed" in line
    assert describe(ALERT) == "ALERT [error] mass_casualties: 21 killed"


def test_a_revision_reads_as_a_revision_of_the_same_event():
    line = describe({**EVENT, "revision": 2, "fatalities": 23})
    assert line.startswith("REVISED (revision 2) 2018-02-10 Armed clash") and "23 killed" in line
