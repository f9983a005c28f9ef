"""Agent logic with faust's test_context (no broker): what each agent publishes for a message."""

from __future__ import annotations

import asyncio
from unittest.mock import AsyncMock, patch

import orjson

from workers.agents.extract import COUNTS
from workers.identity import area_key


async def test_extract_agent_publishes_extractions_keyed_by_area(app_and_topics, seed_report):
    app, topics = app_and_topics
    agent = app.agents["rasad.extract"]
    with (
        patch.object(topics.extractions, "send", new=AsyncMock()) as send_extraction,
        patch.object(topics.events, "send", new=AsyncMock()) as send_event,
        patch.object(topics.dead_letter, "send", new=AsyncMock()) as send_dead,
    ):
        before = dict(COUNTS)
        async with agent.test_context() as ctx:
            event = await ctx.put(orjson.dumps(seed_report))
            outcome = ctx.results[event.message.offset]
    assert outcome.kind == "events" and outcome.report_id == seed_report["id"]
    # The counters a user reads: one more report with events, and exactly as many more events as were sent.
    grew = {k: COUNTS[k] - before.get(k, 0) for k in ("reports", "with_events", "events")}
    assert grew == {"reports": 1, "with_events": 1, "events": len(outcome.events)}
    # Keyed by area (the repartition): every event of a governorate reaches the worker that owns its state.
    keys = [call.kwargs["key"] for call in send_extraction.await_args_list]
    assert keys == [area_key(e).encode() for e in outcome.events] and b"SY07" in keys
    sent = [orjson.loads(call.kwargs["value"]) for call in send_extraction.await_args_list]
    assert any(e["fatalities"] == 21 and e["admin1_pcode"] == "SY07" for e in sent)
    send_event.assert_not_awaited()  # events are the identity agent's to publish
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
        patch.object(topics.extractions, "send", new=AsyncMock()) as send_event,
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

    app, _ = app_and_topics
    events = extract(report_from_dict(seed_report))
    agent = app.agents["rasad.alert"]
    async with agent.test_context() as ctx:
        for e in events:
            await ctx.put(orjson.dumps(e.to_dict()))
        alerts = [a for result in ctx.results.values() for a in result]
    heavy = [e for e in events if (e.fatalities or 0) >= 10]
    mass = [a for a in alerts if a.rule == "mass_casualties"]
    assert heavy and sorted(a.event_ids[0] for a in mass) == sorted(e.event_id for e in heavy)


async def test_the_extractor_is_loaded_and_the_heap_frozen_before_the_first_report(app_and_topics):
    import gc
    from concurrent.futures import ThreadPoolExecutor

    from workers.agents.extract import warm_up_and_freeze
    from workers.gazetteer import load_gazetteer

    app, _ = app_and_topics
    # The worker runs it as a startup task, beside its agents.
    assert any(getattr(task, "__name__", "") == "prepare_extraction" for task in app._app_tasks)
    load_gazetteer.cache_clear()
    gc.unfreeze()
    extractor = ThreadPoolExecutor(max_workers=1)
    try:
        await warm_up_and_freeze(extractor)
        assert load_gazetteer.cache_info().currsize == 1  # loaded before any report asked for it
        assert gc.get_freeze_count() > 10_000  # modules, lexicons, gazetteer: out of the collector's walk
    finally:
        gc.unfreeze()
        extractor.shutdown()


async def test_extract_agent_hands_a_batch_over_in_order_and_counts_each_report(seed_report):
    """With `extract_batch` above 1 the reports faust has buffered go to the extraction thread together; each
    still gets its own outcome, in order, and its own count."""
    from tests.agents.conftest import make_app
    from workers.agents import extract as extract_module
    from workers.settings import Settings

    app, topics = make_app(Settings(store="memory://", web_port=6098, extract_batch=3, extract_batch_wait_ms=5))
    quiet = {"id": "q", "source": "t", "published_at": "2015-07-22T10:00:00+03:00", "text": "افتتح معرض الكتاب في جدة"}
    with (
        patch.object(topics.extractions, "send", new=AsyncMock()),
        patch.object(topics.dead_letter, "send", new=AsyncMock()),
        patch.object(extract_module, "extract_all", wraps=extract_module.extract_all) as handed,
    ):
        before = COUNTS["reports"]
        async with app.agents["rasad.extract"].test_context() as ctx:
            for value in (b"{broken", orjson.dumps(quiet), orjson.dumps(seed_report), orjson.dumps(quiet)):
                await ctx.put(value, wait=False)
            async with asyncio.timeout(10):
                while len(ctx.results) < 4:
                    await asyncio.sleep(0.01)
            kinds = [ctx.results[i].kind for i in range(4)]
    assert kinds == ["dead_letter", "no_event", "events", "no_event"]
    assert COUNTS["reports"] - before == 4
    assert handed.call_count < 4  # some reports went over together
