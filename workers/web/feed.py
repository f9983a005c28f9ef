"""Feed the live view's store from Kafka: events, alerts and reports, from EVERY partition.

A faust agent only sees the partitions its worker was assigned, so a page served by one of several workers would
show a fraction of the stream. The feed is a plain aiokafka consumer with no group: it assigns itself all
partitions of the three topics, commits nothing, and starts each partition at most `capacity` messages from its
end, so a restart refills the store with the latest messages instead of replaying the whole topic.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from ..settings import Settings
from .store import LiveStore

log = logging.getLogger(__name__)

# How long to wait between looks for a topic that does not exist yet (topics are normally created before workers).
TOPIC_RETRY_SECONDS = 2.0


def _handlers(settings: Settings, store: LiveStore) -> dict[str, tuple[Callable[[Any], bool], int]]:
    """topic -> (what to do with a decoded message, how many of its latest messages to reload on start)."""
    return {
        settings.events_topic: (store.add_event, store.events.capacity),
        settings.alerts_topic: (store.add_alert, store.alerts.capacity),
        settings.reports_topic: (store.add_report, store.reports.capacity),
    }


def apply(store_put: Callable[[Any], bool], raw: bytes | None) -> bool:
    """Decode one message and put it in the store; bad JSON is skipped (the dead-letter path is the agents' job)."""
    if not raw:
        return False
    try:
        return store_put(orjson.loads(raw))
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return False


async def run_feed(settings: Settings, store: LiveStore, poll_ms: int = 500) -> None:
    """Consume until cancelled (the worker stopping cancels the app task that runs this)."""
    handlers = _handlers(settings, store)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        client_id=f"{settings.app_id}-live-view",
        **settings.aiokafka_security(),
    )
    await consumer.start()
    try:
        parts = await _all_partitions(consumer, list(handlers))
        consumer.assign(parts)
        await _seek_to_latest(consumer, parts, {t: n for t, (_, n) in handlers.items()})
        log.info("live view: following %d partitions of %s", len(parts), ", ".join(handlers))
        while True:
            batch = await consumer.getmany(timeout_ms=poll_ms, max_records=1000)
            for tp, records in batch.items():
                put = handlers[tp.topic][0]
                for record in records:
                    apply(put, record.value)
    finally:
        await consumer.stop()


async def _all_partitions(consumer: AIOKafkaConsumer, topics: list[str]) -> list[TopicPartition]:
    while True:
        await consumer._client.force_metadata_update()  # the public API only knows subscribed topics
        found = {t: consumer.partitions_for_topic(t) for t in topics}
        missing = [t for t, p in found.items() if not p]
        if not missing:
            return [TopicPartition(t, p) for t, ps in found.items() for p in sorted(ps or ())]
        log.warning("live view: waiting for topics %s", ", ".join(missing))
        await asyncio.sleep(TOPIC_RETRY_SECONDS)


async def _seek_to_latest(consumer: AIOKafkaConsumer, parts: list[TopicPartition], keep: dict[str, int]) -> None:
    starts = await consumer.beginning_offsets(parts)
    ends = await consumer.end_offsets(parts)
    for tp in parts:
        consumer.seek(tp, max(starts[tp], ends[tp] - keep[tp.topic]))


async def follow(settings: Settings, store: LiveStore, retry_seconds: float = 5.0) -> None:
    """run_feed for as long as the worker runs: the live view failing must never take the agents down with it."""
    while True:
        try:
            await run_feed(settings, store)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("live view feed failed; retrying in %.0f s", retry_seconds)
            await asyncio.sleep(retry_seconds)
