"""Agent: reports → per-report extractions, "no event" outcomes counted, bad input → dead-letter topic.

Extractions go to the internal extractions topic keyed by area (the repartition): the identity agent turns them
into events, one per real-world event however many reports tell of it.

`handle()` runs in a thread of its own, in the partition's order, on the reports faust hands over through
`take_events` (`extract_batch` at a time, 1 by default, or what arrived within `extract_batch_wait_ms`): the agent
awaits the outcomes and publishes them in order before it takes more, and faust acknowledges the offsets only
then. The event loop is not blocked for as long as an extraction takes: faust's consumer hands on fetched
messages, the producer sends and reads acknowledgements, and the identity agent handles extractions meanwhile, the
GIL passing between the threads every `sys.getswitchinterval()` (5 ms). That cut the produce→event latency;
taking reports through `take_events` rather than `stream.events()` cut the worker's CPU per report by 0.1–0.3 ms
(docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections import Counter
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

import orjson

from ..handling import Outcome, handle, warm_up
from ..identity import area_key
from ..settings import Settings

log = logging.getLogger(__name__)

# Outcome counters a user can read (faust web view /rasad/stats/).
COUNTS: Counter[str] = Counter()


async def publish(topics: Any, outcome: Outcome) -> None:
    """Send an outcome's messages: extractions keyed by area, dead letters keyed by the original key."""
    for event in outcome.events:
        await topics.extractions.send(key=area_key(event).encode(), value=orjson.dumps(event.to_dict()))
    if outcome.dead_letter is not None:
        dl = outcome.dead_letter
        await topics.dead_letter.send(key=(dl.key or "").encode() or None, value=orjson.dumps(dl.to_dict()))


def consumer_lag(app: Any) -> dict[str, int]:
    """Messages waiting per partition this worker owns ("topic:partition" → highwater − next offset to read)."""
    consumer = app.consumer
    lag: dict[str, int] = {}
    for tp in sorted(consumer.assignment()):
        high = consumer.highwater(tp)
        if high is None:
            continue
        read = consumer._read_offset.get(tp)  # faust offers no public accessor for the last offset read
        lag[f"{tp.topic}:{tp.partition}"] = max(0, high - (read + 1 if read is not None else 0))
    return lag


async def warm_up_and_freeze(extractor: Executor) -> None:
    """Load the lexicons and the gazetteer in the extraction thread, then freeze the heap.

    Loading now spares the first report a ~250 ms wait. Freezing moves the objects of the app, faust and the
    extractor, which live as long as the process, out of the collector's sight: a full collection, which the
    extractor's allocations set off every few thousand reports, then took 50–100 ms walking ~120,000 of them while
    the worker stood still; frozen, it takes ~3 ms (docs/benchmarks.md).
    """
    await asyncio.get_running_loop().run_in_executor(extractor, warm_up)
    gc.collect()
    gc.freeze()


Job = tuple[bytes, str, int, int, Any]  # raw value, topic, partition, offset, key


def _job(event: Any) -> Job:
    message = event.message
    raw = event.value if isinstance(event.value, bytes) else bytes(event.value or b"")
    return raw, message.topic, message.partition, message.offset, message.key


def extract_all(jobs: list[Job], max_report_bytes: int) -> list[Outcome]:
    """The extraction thread's work for one hand-off: every report of the batch, in order."""
    return [handle(raw, max_report_bytes, *where) for raw, *where in jobs]


def register_extract(app: Any, topics: Any, settings: Settings) -> Any:
    # One thread, always the same: reports are extracted one at a time, in order, off the event loop.
    extractor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rasad-extract")

    @app.task
    async def prepare_extraction() -> None:
        await warm_up_and_freeze(extractor)

    @app.agent(topics.reports, name="rasad.extract")
    async def extract_reports(stream: Any) -> Any:
        loop = asyncio.get_running_loop()
        wait_s = settings.extract_batch_wait_ms / 1000
        async for batch in stream.take_events(settings.extract_batch, within=wait_s):
            jobs = [_job(event) for event in batch]
            outcomes = await loop.run_in_executor(extractor, extract_all, jobs, settings.max_report_bytes)
            for event, outcome in zip(batch, outcomes, strict=True):
                await publish(topics, outcome)
                COUNTS["reports"] += 1
                # "events" counts the extracted events themselves; reports with some are "with_events".
                COUNTS["with_events" if outcome.kind == "events" else outcome.kind] += 1
                COUNTS["events"] += len(outcome.events)
                if outcome.dead_letter is not None:
                    log.warning(
                        "dead-lettered offset %s/%s: %s",
                        event.message.partition,
                        event.message.offset,
                        outcome.dead_letter.reason,
                    )
                yield outcome

    @app.page("/rasad/stats/")
    async def stats(web: Any, request: Any) -> Any:
        return web.json(dict(COUNTS))

    @app.page("/rasad/lag/")
    async def lag(web: Any, request: Any) -> Any:
        return web.json(consumer_lag(app))

    return extract_reports
