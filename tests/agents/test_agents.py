"""Agent logic with faust's test_context (no broker): what each agent publishes for a message."""

from __future__ import annotations

from unittest.mock import AsyncMock, patch

import orjson
import pytest

from workers.app import create_app
from workers.settings import Settings


@pytest.fixture
def app_and_topics():
    app, topics = create_app(Settings(store="memory://", web_port=6099))
    app.finalize()
    app.conf.store = "memory://"
    app.flow_control.resume()
    return app, topics


async def test_extract_agent_publishes_events_keyed_by_event_id(app_and_topics, seed_report):
    app, topics = app_and_topics
    agent = app.agents["rasad.extract"]
    with (
        patch.object(topics.events, "send", new=AsyncMock()) as send_event,
        patch.object(topics.dead_letter, "send", new=AsyncMock()) as send_dead,
    ):
        async with agent.test_context() as ctx:
            event = await ctx.put(orjson.dumps(seed_report))
            outcome = ctx.results[event.message.offset]
    assert outcome.kind == "events" and outcome.report_id == seed_report["id"]
    keys = [call.kwargs["key"] for call in send_event.await_args_list]
    assert keys == [e.event_id.encode() for e in outcome.events]
    sent = [orjson.loads(call.kwargs["value"]) for call in send_event.await_args_list]
    assert any(e["fatalities"] == 21 and e["admin1_pcode"] == "SY07" for e in sent)
    send_dead.assert_not_awaited()


async def test_extract_agent_dead_letters_bad_input_and_counts_no_event(app_and_topics):
    app, topics = app_and_topics
    agent = app.agents["rasad.extract"]
    quiet = {
        "id": "q",
        "source": "t",
        "published_at": "2015-07-22T10:00:00+03:00",
        "text": "افتتح معرض الكتاب اليوم في جدة",
    }
    with (
        patch.object(topics.events, "send", new=AsyncMock()) as send_event,
        patch.object(topics.dead_letter, "send", new=AsyncMock()) as send_dead,
    ):
        async with agent.test_context() as ctx:
            bad = await ctx.put(b"{broken")
            ok = await ctx.put(orjson.dumps(quiet))
            assert ctx.results[bad.message.offset].kind == "dead_letter"
            assert ctx.results[ok.message.offset].kind == "no_event"
    send_event.assert_not_awaited()
    record = orjson.loads(send_dead.await_args.kwargs["value"])
    assert record["error_class"] == "invalid_json" and record["original"] == "{broken"


async def test_alert_agent_fires_on_mass_casualties_only(app_and_topics, seed_report):
    from workers.intake import report_from_dict
    from workers.pipeline.run import extract

    app, topics = app_and_topics
    events = extract(report_from_dict(seed_report))
    agent = app.agents["rasad.alert"]
    with patch.object(topics.alerts, "send", new=AsyncMock()) as send_alert:
        async with agent.test_context() as ctx:
            for e in events:
                await ctx.put(orjson.dumps(e.to_dict()))
    alerts = [orjson.loads(c.kwargs["value"]) for c in send_alert.await_args_list]
    heavy = [e for e in events if (e.fatalities or 0) >= 10]
    assert heavy and sorted(a["event_ids"][0] for a in alerts) == sorted(e.event_id for e in heavy)
