"""Follow output topics and print a readable line per event or alert (or the raw JSON)."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from .settings import Settings


def describe(message: dict[str, Any]) -> str:
    """One line a person can read: an event (place, governorate, actors, toll, date) or an alert."""
    if "rule" in message:
        return f"ALERT [{message['severity']}] {message['rule']}: {message['summary']}"
    if "event_type" in message:
        a2 = message.get("actor2") or {}
        toll = message.get("fatalities")
        place = message.get("location_ar", "")
        if message.get("location"):
            place += f" / {message['location']}"
        return (
            f"EVENT {message['event_date']} {message['sub_event_type']} at {place} "
            f"({message.get('admin1') or message.get('country')}, {message.get('admin1_pcode') or '-'}): "
            f"{message['actor1']['code']}"
            + (f" vs {a2['code']}" if a2 else "")
            + (f", {toll} killed" if toll is not None else "")
            + (f", {message['injured']} injured" if message.get("injured") is not None else "")
        )
    if "reason" in message:
        return f"DEAD-LETTER offset {message.get('offset')}: {message['reason']}"
    return orjson.dumps(message).decode()


async def tail_topic(
    settings: Settings,
    topics: list[str],
    from_beginning: bool,
    as_json: bool,
    limit: int | None,
    idle_timeout: float | None,
    stop_at: float | None = None,
) -> int:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False, **settings.aiokafka_security()
    )
    await consumer.start()
    seen = 0
    try:
        parts = [
            TopicPartition(t, p)
            for t in topics
            for p in (consumer.partitions_for_topic(t) or await _partitions(consumer, t))
        ]
        consumer.assign(parts)
        if from_beginning:
            await consumer.seek_to_beginning(*parts)
        else:
            await consumer.seek_to_end(*parts)
        last = time.monotonic()
        while limit is None or seen < limit:
            if stop_at is not None and time.monotonic() >= stop_at:
                break
            batch = await consumer.getmany(timeout_ms=500)
            if not batch:
                if idle_timeout is not None and time.monotonic() - last > idle_timeout:
                    break
                continue
            last = time.monotonic()
            for records in batch.values():
                for record in records:
                    value = record.value or b""
                    if as_json:
                        sys.stdout.write(value.decode("utf-8", "replace") + "\n")
                    else:
                        try:
                            sys.stdout.write(describe(orjson.loads(value)) + "\n")
                        except orjson.JSONDecodeError:
                            sys.stdout.write(repr(value[:200]) + "\n")
                    seen += 1
            sys.stdout.flush()
    finally:
        await consumer.stop()
    return seen


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(20):
        await consumer._client.force_metadata_update()  # metadata for a topic this consumer has not seen yet
        found = consumer.partitions_for_topic(topic)
        if found:
            return found
        await asyncio.sleep(0.25)
    raise RuntimeError(f"topic {topic!r} does not exist on the broker")
