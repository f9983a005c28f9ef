"""End to end on the real broker: reports in → events, alerts and dead letters out, from a real worker process."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from dataclasses import replace
from pathlib import Path

import jsonschema
import orjson

from tests.integration.helpers import collect, produce, running_worker
from workers.broker import free_port

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def read_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def is_seed_battle(e: dict) -> bool:
    return (
        e["event_date"] == "2018-02-10"
        and e["sub_event_type"] == "Armed clash"
        and e["admin1_pcode"] == "SY07"
        and "الخلاخيل" in e["location_ar"]
        and {e["actor1"]["code"], (e["actor2"] or {}).get("code")} == {"ISLAMIC_STATE", "HTS_NUSRA"}
        and e["fatalities"] == 21
    )


async def test_seed_report_becomes_the_battle_and_an_alert(fresh_settings, seed_report, tmp_path):
    web_port = free_port()
    with running_worker(fresh_settings, tmp_path, web_port=web_port):
        await produce(fresh_settings, [(seed_report["id"].encode(), orjson.dumps(seed_report))])
        events = await collect(
            fresh_settings, fresh_settings.events_topic, lambda ms: any(map(is_seed_battle, ms))
        )
        battle = next(e for e in events if is_seed_battle(e))
        alerts = await collect(
            fresh_settings,
            fresh_settings.alerts_topic,
            lambda ms: any(battle["event_id"] in a["event_ids"] for a in ms),
        )
        lag = await asyncio.to_thread(read_json, f"http://127.0.0.1:{web_port}/rasad/lag/")
    # The worker reports its consumer lag per partition it owns; the report it read is no longer waiting.
    reports_lag = {k: v for k, v in lag.items() if k.startswith(fresh_settings.reports_topic + ":")}
    assert len(reports_lag) == fresh_settings.partitions and sum(reports_lag.values()) == 0, lag
    # Keyed by the deterministic event id; every message meets the published contract.
    assert battle["key"].decode() == battle["event_id"]
    check_events = validator("event")
    for e in events:
        payload = {k: v for k, v in e.items() if k != "key"}
        check_events.validate(payload)
        for span in payload["evidence"]:
            assert seed_report["text"][span["start"] : span["end"]] == span["text"]
    alert = next(a for a in alerts if battle["event_id"] in a["event_ids"])
    validator("alert").validate({k: v for k, v in alert.items() if k != "key"})
    assert alert["rule"] == "mass_casualties" and alert["key"].decode() == alert["alert_id"]


BAD_INPUTS = {
    b"not-json": (b"{this is not json", "invalid_json"),
    b"bad-utf8": (b'{"id": "x", "text": "\xff\xfe"}', "invalid_utf8"),
    b"empty": (b"", "empty"),
    b"wrong-shape": (orjson.dumps({"id": "w", "text": 5}), "wrong_schema"),
    b"english": (
        orjson.dumps(
            {
                "id": "e",
                "source": "t",
                "published_at": "2015-07-22T10:00:00+03:00",
                "text": "Clashes continued near Aleppo",
            }
        ),
        "not_arabic",
    ),
    b"huge": (
        orjson.dumps(
            {
                "id": "h",
                "source": "t",
                "published_at": "2015-07-22T10:00:00+03:00",
                "text": "اشتباكات " * 20_000,
            }
        ),
        "too_large",
    ),
}


async def test_bad_inputs_are_dead_lettered_and_the_worker_keeps_going(fresh_settings, seed_report, tmp_path):
    # A cap below the broker's own message limit, so the oversized report reaches the worker.
    fresh_settings = replace(fresh_settings, max_report_bytes=100_000)
    messages = [(key, value) for key, (value, _) in BAD_INPUTS.items()]
    messages.append(
        (seed_report["id"].encode(), orjson.dumps(seed_report))
    )  # after the poison, a good report
    with running_worker(fresh_settings, tmp_path):
        await produce(fresh_settings, messages)
        dead = await collect(
            fresh_settings, fresh_settings.dead_letter_topic, lambda ms: len(ms) >= len(BAD_INPUTS)
        )
        events = await collect(
            fresh_settings, fresh_settings.events_topic, lambda ms: any(map(is_seed_battle, ms))
        )
    check = validator("dead-letter")
    # The payload's own "key" field (the original message key) is what collect() keeps.
    by_key = {d["key"]: d for d in dead}
    assert set(by_key) == {k.decode() for k in BAD_INPUTS}
    for key, (_, error_class) in BAD_INPUTS.items():
        record = by_key[key.decode()]
        check.validate(record)
        assert record["error_class"] == error_class, record
        assert record["reason"] and record["offset"] is not None
    assert any(map(is_seed_battle, events))
