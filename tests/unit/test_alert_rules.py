"""Alert rules (workers/alerting): each rule as a plain function, the re-send policy, the rules file. No Kafka."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import make_event
from workers.alerting.config import AlertRules, Escalation, NewActor, RulesError, load_rules
from workers.alerting.rules import (
    ActorHistory,
    attacks_on_civilians,
    escalation,
    mass_casualties,
    new_actors,
    should_send,
    tumbling_window,
)
from workers.records import Actor, Event

RULES = AlertRules()
REGIME = Actor("SYRIAN_REGIME", "Military Forces of Syria", None)
IS = Actor("ISLAMIC_STATE", "Islamic State", None)
CIVILIANS = Actor("CIVILIANS", "Civilians", None)


def event(event_id: str = "e1", **fields) -> Event:
    battle = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor2": IS,
        "admin2": "Al Bab",
        "admin2_pcode": "SY0202",
        "admin3": None,
        "admin3_pcode": None,
        "location": "Al Bab",
        "location_ar": "الباب",
        "latitude": 36.37,
        "longitude": 37.52,
        "geo_precision": 2,
        "fatalities": None,
    }
    return make_event(**{"event_id": event_id, "actor1": REGIME, **battle, **fields})


# --------------------------------------------------------------------------- mass casualties


def test_mass_casualties_fires_from_the_threshold_and_turns_critical() -> None:
    assert mass_casualties(event(fatalities=9), 10) is None
    assert mass_casualties(event(fatalities=None), 10) is None
    error = mass_casualties(event(fatalities=10), 10)
    critical = mass_casualties(event(fatalities=50), 10)
    assert error is not None and error.severity == "error" and error.event_ids == ("e1",)
    assert critical is not None and critical.severity == "critical"
    # One event, one condition: the same id whatever the toll, so a revision re-sends it, never a new alert.
    assert error.alert_id == critical.alert_id and error.dedup_key == "mass_casualties|e1"
    assert error.fatalities == 10 and "10 killed" in error.summary


def test_should_send_only_when_the_severity_rises() -> None:
    error = mass_casualties(event(fatalities=12), 10)
    assert error is not None
    assert should_send(error, None)
    assert not should_send(error, {"severity": "error"})
    assert not should_send(error, {"severity": "critical"})
    assert should_send(error, {"severity": "warning"})


# --------------------------------------------------------------------------- escalation


def test_tumbling_windows_are_epoch_aligned() -> None:
    assert tumbling_window("2015-07-21", 7) == ("2015-07-16", "2015-07-22")
    assert tumbling_window("2015-07-23", 7) == ("2015-07-23", "2015-07-29")
    assert tumbling_window("1970-01-01", 1) == ("1970-01-01", "1970-01-01")


def test_escalation_from_the_absolute_threshold() -> None:
    rule = RULES.escalation
    e = event(fatalities=40)
    assert escalation(e, rule, {"a": 50, "e1": 40}, []) is None
    alert = escalation(e, rule, {"a": 60, "b": 0, "e1": 40}, [])
    assert alert is not None and alert.severity == "error" and alert.fatalities == 100
    assert alert.event_ids == ("a", "e1")  # the events that make the toll
    assert alert.window == {"start": "2015-07-16", "end": "2015-07-22"}
    assert alert.area["admin1_pcode"] == "SY02" and alert.area["level"] == "admin1"
    critical = escalation(e, rule, {"a": 260, "e1": 40}, [])
    assert critical is not None and critical.severity == "critical" and critical.alert_id == alert.alert_id


def test_escalation_against_the_trailing_baseline() -> None:
    rule = RULES.escalation  # 3× the baseline, from 20 killed
    quiet = [{"x": 5}, {"y": 6}, {"z": 4}, {"w": 5}]
    assert escalation(event(fatalities=14), rule, {"e1": 14}, quiet) is None  # under min_fatalities
    warning = escalation(event(fatalities=30), rule, {"e1": 30}, quiet)
    assert warning is not None and warning.severity == "warning"
    busy = [{"x": 15}, {"y": 12}, {"z": 9}, {"w": 10}]
    assert escalation(event(fatalities=30), rule, {"e1": 30}, busy) is None


def test_escalation_baseline_starts_with_the_areas_first_toll() -> None:
    rule = RULES.escalation
    # Never seen before: no baseline to be k× of.
    assert escalation(event(fatalities=30), rule, {"e1": 30}, [{}, {}, {}, {}]) is None
    # Watched for one window only: the windows before it were not quiet, just not watched.
    assert escalation(event(fatalities=30), rule, {"e1": 30}, [{"x": 12}, {}, {}, {}]) is None
    assert escalation(event(fatalities=40), rule, {"e1": 40}, [{"x": 12}, {}, {}, {}]) is not None


def test_escalation_by_district_needs_a_district() -> None:
    rule = Escalation(level="admin2", threshold=10)
    assert escalation(event(admin2_pcode=None), rule, {"e1": 20}, []) is None
    alert = escalation(event(), rule, {"e1": 20}, [])
    assert alert is not None and alert.area["admin2_pcode"] == "SY0202"
    assert "admin2:SY0202" in (alert.dedup_key or "")


# --------------------------------------------------------------------------- new actor


def test_new_actor_needs_a_district_watched_for_the_lookback() -> None:
    rule = NewActor(lookback_days=30)
    alerts, history = new_actors(event(event_date="2015-06-01"), rule, None)
    seen = {"SYRIAN_REGIME": "2015-06-01", "ISLAMIC_STATE": "2015-06-01"}
    assert alerts == [] and history == ActorHistory("2015-06-01", seen)
    # Twenty days later IS is not "new": the district has not been watched for thirty days.
    alerts, history = new_actors(event(event_date="2015-06-21", actor2=None, actor1=IS), rule, history)
    assert alerts == []
    # Forty days after the district was first seen, an actor never seen there is new; IS (seen 20 days ago) is not.
    newcomer = Actor("TURKEY", "Turkey", None)
    alerts, history = new_actors(event("e9", event_date="2015-07-11", actor1=IS, actor2=newcomer), rule, history)
    assert [a.rule for a in alerts] == ["new_actor"] and "TURKEY" in alerts[0].summary
    assert alerts[0].event_ids == ("e9",) and alerts[0].window == {"start": "2015-06-11", "end": "2015-07-11"}
    assert history is not None and history.last_seen["TURKEY"] == "2015-07-11"


def test_an_actor_back_after_the_lookback_is_new_again_and_replays_are_not() -> None:
    rule = NewActor(lookback_days=30)
    history = ActorHistory("2015-01-01", {"ISLAMIC_STATE": "2015-03-01"})
    back = event(event_date="2015-05-01", actor1=IS, actor2=None)
    alerts, updated = new_actors(back, rule, history)
    assert len(alerts) == 1
    again, _ = new_actors(back, rule, updated)  # the same event (a revision, a redelivery)
    assert again == []


def test_new_actor_ignores_unknown_and_civilians() -> None:
    rule = NewActor()
    history = ActorHistory("2014-01-01", {})
    alerts, _ = new_actors(event(actor1=Actor("UNKNOWN", "Unidentified", None), actor2=CIVILIANS), rule, history)
    assert alerts == []


# --------------------------------------------------------------------------- attacks on civilians


def test_attacks_on_civilians_grouped_per_district_and_day() -> None:
    rule = RULES.attacks_on_civilians
    assert attacks_on_civilians(event(fatalities=30), rule, {"e1": 30}) is None  # a battle, not civilians
    strike = event("e2", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", actor2=CIVILIANS)
    warning = attacks_on_civilians(strike, rule, {"e2": 0})
    assert warning is not None and warning.severity == "warning"
    error = attacks_on_civilians(strike, rule, {"e0": 4, "e2": 8})
    assert error is not None and error.severity == "error" and error.event_ids == ("e0", "e2")
    assert error.alert_id == warning.alert_id and error.area["admin2_pcode"] == "SY0202"
    vac = event("e3", event_type="Violence against civilians", sub_event_type="Attack", actor2=None)
    critical = attacks_on_civilians(vac, rule, {"e3": 50})
    assert critical is not None and critical.severity == "critical"


def test_attacks_on_civilians_fall_back_to_the_governorate() -> None:
    strike = event(actor2=CIVILIANS, admin2=None, admin2_pcode=None)
    alert = attacks_on_civilians(strike, RULES.attacks_on_civilians, {"e1": 1})
    assert alert is not None and alert.area["level"] == "admin1" and "admin1:SY02" in (alert.dedup_key or "")


# --------------------------------------------------------------------------- the rules file


def test_defaults_are_shipped_in_the_package() -> None:
    assert load_rules() == AlertRules()


def test_a_user_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[escalation]\nlevel = 'admin2'\nbaseline_factor = 2\n[new_actor]\nenabled = false\n")
    rules = load_rules(path)
    assert rules.escalation.level == "admin2" and rules.escalation.baseline_factor == 2.0
    assert rules.escalation.threshold == 100 and not rules.new_actor.enabled
    assert rules.mass_casualties == AlertRules().mass_casualties


def test_the_threshold_setting_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[mass_casualties]\nthreshold = 20\n")
    assert load_rules(path).mass_casualties.threshold == 20
    assert load_rules(path, mass_casualty_threshold=5).mass_casualties.threshold == 5


@pytest.mark.parametrize(
    "text",
    [
        "[mass_casualty]\nthreshold = 3\n",  # unknown rule
        "[escalation]\nthreshhold = 3\n",  # unknown key
        "[escalation]\nlevel = 'admin3'\n",
        "[escalation]\nwindow_days = 'seven'\n",
        "[escalation]\nwindow_days = 0\n",
        "[attacks_on_civilians]\nerror = 100\n",  # above critical
        "[new_actor]\nseverity = 'urgent'\n",
        "not toml",
    ],
)
def test_bad_rules_files_are_refused_with_the_reason(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    with pytest.raises(RulesError):
        load_rules(path)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_rules_at_the_ends_of_the_calendar(day: str) -> None:
    e = event(event_date=day, fatalities=500, actor2=CIVILIANS)
    start, end = tumbling_window(day, 7)
    assert start <= day <= end
    alert = escalation(e, RULES.escalation, {"e1": 500}, [{"x": 1}])
    assert alert is not None and alert.window == {"start": start, "end": end}
    alerts, _ = new_actors(e, RULES.new_actor, ActorHistory("0001-01-01", {}))
    assert [a.summary.split()[0] for a in alerts] == ["SYRIAN_REGIME"]
    assert attacks_on_civilians(e, RULES.attacks_on_civilians, {"e1": 500}) is not None
