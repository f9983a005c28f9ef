"""The stateful agents with faust's test_context and memory tables: identity (extractions → revised events) and
alerts (event revisions → alerts once, re-sent only when they escalate)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from unittest.mock import AsyncMock, MagicMock, patch

import orjson

from tests.factories import make_event
from workers.records import Actor, Event
from workers.topics import ALERTS_SENT_TABLE

REGIME = Actor("SYRIAN_REGIME", "Military Forces of Syria", None)
CIVILIANS = Actor("CIVILIANS", "Civilians", None)


def extraction(report_id: str, **fields) -> Event:
    aleppo_city = {
        "admin3": None,
        "admin3_pcode": None,
        "location": "Aleppo",
        "location_ar": "حلب",
        "geo_precision": 3,
    }
    own = {"event_id": f"x-{report_id}", "report_id": report_id, "source": report_id, "actor1": REGIME}
    return make_event(**{**own, **aleppo_city, **fields})


def payloads(send) -> list[dict]:
    return [orjson.loads(call.kwargs["value"]) for call in send.await_args_list]


async def test_identity_agent_revises_one_event_and_ignores_a_replay(app_and_topics, acked_send):
    app, topics = app_and_topics
    agent = app.agents["rasad.identity"]
    first, second = extraction("snn-009"), extraction("snn-010", actor1=Actor("UNKNOWN", "Unidentified", None))
    with patch.object(topics.events, "send", new=acked_send()) as send_event:
        async with agent.test_context() as ctx:
            for x in (first, second, second, first):
                await ctx.put(orjson.dumps(x.to_dict()), key=b"SY02", partition=2)
    sent = payloads(send_event)
    assert [(e["revision"], e["fatalities"], e["report_ids"]) for e in sent] == [
        (1, 18, ["snn-009"]),
        (2, 18, ["snn-009", "snn-010"]),
    ]
    assert len({e["event_id"] for e in sent}) == 1
    # Keyed by event id, in the partition of the area the extraction came from.
    calls = send_event.await_args_list
    assert all(c.kwargs["key"] == sent[0]["event_id"].encode() and c.kwargs["partition"] == 2 for c in calls)


async def test_identity_agent_keeps_the_highest_toll(app_and_topics, acked_send):
    app, topics = app_and_topics
    agent = app.agents["rasad.identity"]
    with patch.object(topics.events, "send", new=acked_send()) as send_event:
        async with agent.test_context() as ctx:
            for report, toll in (("a", 30), ("b", 12), ("c", None)):
                await ctx.put(orjson.dumps(extraction(report, fatalities=toll).to_dict()), key=b"SY02")
    assert [(e["revision"], e["fatalities"]) for e in payloads(send_event)] == [(1, 30), (2, 30), (3, 30)]


async def run_alert_agent(app, events: list[Event], partition: int = 0) -> tuple[list[dict], list]:
    """Events through the alert agent; the alerts it raised (what it yields) and what it wrote to the alerts topic,
    which is the changelog of its alerts-sent table."""
    changelog = app.tables[ALERTS_SENT_TABLE].changelog_topic
    with patch.object(changelog, "send_soon", new=MagicMock()) as written:
        async with app.agents["rasad.alert"].test_context() as ctx:
            for event in events:
                await ctx.put(orjson.dumps(event.to_dict()), key=event.event_id.encode(), partition=partition)
            raised = [a.to_dict() for offset in sorted(ctx.results) for a in ctx.results[offset]]
    return raised, written.call_args_list


async def test_alert_agent_raises_a_threshold_crossing_once_and_again_only_when_critical(app_and_topics):
    app, _ = app_and_topics
    battle = extraction("r", event_id="e" * 24, event_type="Battles", sub_event_type="Armed clash", actor2=None)
    revisions = [(1, 5), (2, 12), (2, 12), (3, 14), (4, 60), (3, 14)]  # a redelivered revision and a stale one
    events = [replace(battle, revision=revision, fatalities=toll) for revision, toll in revisions]
    raised, written = await run_alert_agent(app, events, partition=3)
    mass = [a for a in raised if a["rule"] == "mass_casualties"]
    assert [(a["severity"], a["fatalities"]) for a in mass] == [("error", 12), ("critical", 60)]
    assert len({a["alert_id"] for a in mass}) == 1
    # Sent = written to the alerts topic keyed by alert_id, in the partition of the event (its area).
    assert [(c.kwargs["key"], c.kwargs["value"], c.kwargs["partition"]) for c in written] == [
        (a["alert_id"].encode(), a, 3) for a in raised
    ]


async def test_alert_agent_sums_an_area_window_in_a_windowed_table(app_and_topics):
    app, _ = app_and_topics
    # Four shellings in Aleppo within one week (2015-07-16 .. 07-22); the third revision of one raises its toll.
    events = [
        extraction("a", event_id="a" * 24, fatalities=30, event_date="2015-07-16"),
        extraction("b", event_id="b" * 24, fatalities=30, event_date="2015-07-18"),
        extraction("c", event_id="c" * 24, fatalities=30, event_date="2015-07-22"),
        extraction("c", event_id="c" * 24, fatalities=45, event_date="2015-07-22", revision=2),
        extraction("d", event_id="d" * 24, fatalities=30, event_date="2015-07-23"),  # the next window
    ]
    raised, _ = await run_alert_agent(app, events)
    escalations = [a for a in raised if a["rule"] == "escalation"]
    # 90 killed stays under the threshold (100); the revision to 45 makes 105 — counted once, not 30 + 45.
    assert [(a["severity"], a["fatalities"], a["window"]["start"]) for a in escalations] == [
        ("error", 105, "2015-07-16"),
    ]
    assert escalations[0]["event_ids"] == ["a" * 24, "b" * 24, "c" * 24]


async def test_identity_agent_publishes_an_extraction_it_fails_on_rather_than_drop_it(app_and_topics, acked_send):
    app, topics = app_and_topics
    x = extraction("r")
    with (
        patch("workers.agents.identity.resolve", side_effect=RuntimeError("a bug")),
        patch.object(topics.events, "send", new=acked_send()) as send_event,
    ):
        async with app.agents["rasad.identity"].test_context() as ctx:
            await ctx.put(orjson.dumps(x.to_dict()), key=b"SY02")
    assert payloads(send_event) == [x.to_dict()]


async def test_alert_agent_windows_survive_a_year_1_date(app_and_topics):
    app, _ = app_and_topics
    ancient = extraction("r", event_id="f" * 24, event_date="0001-01-01", fatalities=150)
    raised, _ = await run_alert_agent(app, [ancient])
    assert {a["rule"] for a in raised} == {"mass_casualties", "escalation", "attacks_on_civilians"}


async def test_identity_agent_retries_a_failed_send_instead_of_losing_the_event(app_and_topics, monkeypatch):
    """A send the broker refuses is retried until acknowledged: raising would let faust commit past the input."""
    from aiokafka.errors import KafkaTimeoutError

    from workers.agents import output

    monkeypatch.setattr(output, "FIRST_RETRY_S", 0.01)
    app, topics = app_and_topics
    loop = asyncio.get_running_loop()
    refused, acked = loop.create_future(), loop.create_future()
    refused.set_exception(KafkaTimeoutError("broker unavailable"))
    acked.set_result(None)
    send = AsyncMock(side_effect=[refused, acked])
    with patch.object(topics.events, "send", new=send):
        async with app.agents["rasad.identity"].test_context() as ctx:
            await ctx.put(orjson.dumps(extraction("r").to_dict()), key=b"SY02")
    assert send.await_count == 2
    assert payloads(send)[0] == payloads(send)[1]
