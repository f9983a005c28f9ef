"""Follow output topics and print a readable line per event or alert (or the raw JSON)."""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass
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
        revision = message.get("revision") or 1
        kind = "EVENT" if revision == 1 else f"REVISED (revision {revision})"  # same event_id, told again
        return (
            f"{kind} {message['event_date']} {message['sub_event_type']} at {place} "
            f"({message.get('admin1') or message.get('country')}, {message.get('admin1_pcode') or '-'}): "
            f"{message['actor1']['code']}"
            + (f" vs {a2['code']}" if a2 else "")
            + (f", {toll} killed" if toll is not None else "")
            + (f", {message['injured']} injured" if message.get("injured") is not None else "")
        )
    if "reason" in message:
        return f"DEAD-LETTER offset {message.get('offset')}: {message['reason']}"
    return orjson.dumps(message).decode()


@dataclass(frozen=True)
class TailFilter:
    """Which messages to print. Every filter given must hold. Alerts are matched on their area, window and toll
    (they name no actors, so --actor leaves them out); dead letters and other messages pass only unfiltered."""

    admin1: str | None = None  # a governorate's pcode (SY07) or its name (Idleb), case-insensitive
    actor: str | None = None  # an actor code, on either side (ISLAMIC_STATE)
    min_fatalities: int | None = None
    since: str | None = None  # an ISO date: events on or after it (alerts whose window ends on or after it)

    @property
    def empty(self) -> bool:
        return self.admin1 is None and self.actor is None and self.min_fatalities is None and self.since is None

    def matches(self, message: dict[str, Any]) -> bool:
        if self.empty:
            return True
        if "event_type" in message:
            return self._event(message)
        if "rule" in message:
            return self._alert(message)
        return False

    def _event(self, e: dict[str, Any]) -> bool:
        if self.admin1 is not None and not _same_area(self.admin1, e.get("admin1_pcode"), e.get("admin1")):
            return False
        if self.actor is not None:
            codes = {(e.get("actor1") or {}).get("code"), (e.get("actor2") or {}).get("code")}
            if self.actor.upper() not in codes:
                return False
        if self.min_fatalities is not None and (e.get("fatalities") or 0) < self.min_fatalities:
            return False
        return self.since is None or str(e.get("event_date", "")) >= self.since

    def _alert(self, a: dict[str, Any]) -> bool:
        if self.actor is not None:
            return False
        if self.min_fatalities is not None and (a.get("fatalities") or 0) < self.min_fatalities:
            return False
        area = a.get("area") or {}
        if self.admin1 is not None and not _same_area(self.admin1, area.get("admin1_pcode"), area.get("admin1")):
            return False
        return self.since is None or str((a.get("window") or {}).get("end", "")) >= self.since


def _same_area(wanted: str, pcode: str | None, name: str | None) -> bool:
    wanted = wanted.casefold()
    return wanted in {(pcode or "").casefold(), (name or "").casefold()}


async def tail_topic(
    settings: Settings,
    topics: list[str],
    from_beginning: bool,
    as_json: bool,
    limit: int | None,
    idle_timeout: float | None,
    stop_at: float | None = None,
    only: TailFilter | None = None,
) -> int:
    """Print messages of `topics` until `limit` printed, `idle_timeout` s of silence, or `stop_at`; the count."""
    only = only or TailFilter()
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
                    if limit is not None and seen >= limit:
                        break
                    value = record.value or b""
                    try:
                        message = orjson.loads(value)
                    except orjson.JSONDecodeError:
                        message = None
                    if not only.matches(message if isinstance(message, dict) else {}):
                        continue
                    if as_json:
                        sys.stdout.write(value.decode("utf-8", "replace") + "\n")
                    elif isinstance(message, dict):
                        sys.stdout.write(describe(message) + "\n")
                    else:
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
