"""Kafka helpers for the broker phases: fresh topics per run, fast producing, end offsets."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import replace

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from workers.settings import Settings
from workers.topics import create_topics

Message = tuple[bytes, bytes]  # (key, value)

log = logging.getLogger(__name__)


async def fresh(settings: Settings, label: str) -> Settings:
    """Settings with topic names and consumer group unique to one run, its topics created."""
    suffix = f"{label}-{uuid.uuid4().hex[:8]}"
    fresh_settings = replace(
        settings,
        reports_topic=f"bench.reports.{suffix}",
        events_topic=f"bench.events.{suffix}",
        alerts_topic=f"bench.alerts.{suffix}",
        dead_letter_topic=f"bench.dead-letter.{suffix}",
        app_id=f"bench-{suffix}",
    )
    await create_topics(fresh_settings)
    return fresh_settings


async def drop_run_topics(settings: Settings) -> list[str]:
    """Delete the topics of one run (settings from `fresh`): its own, and those faust named after its app id.

    noida-db writes all the data it holds to disk every few seconds, so topics left by earlier runs made the broker
    busier and busier as the harness went on (0.12 of a core with 40 MB of reports held and no client, 0.003 once
    deleted), CPU taken from the processes measured later. A failed delete is logged, not raised: the figures of
    the run are already taken.
    """
    suffix = settings.app_id.removeprefix("bench-")
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, **settings.aiokafka_security())
    try:
        await admin.start()
        names = [name for name in await admin.list_topics() if suffix in name]
        if names:
            await admin.delete_topics(names)
        return names
    except Exception as exc:  # any broker error: the next runs are only measured less fairly
        log.warning("could not delete the topics of %s: %s: %s", settings.app_id, type(exc).__name__, exc)
        return []
    finally:
        await admin.close()


def producer(settings: Settings) -> AIOKafkaProducer:
    # The same guarantees as `rasad replay` and the worker's producer: acks from all replicas.
    return AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        max_request_size=max(settings.max_report_bytes * 2, 1_048_576),
        **settings.aiokafka_security(),
    )


async def produce_all(settings: Settings, topic: str, messages: list[Message], partition: int | None = None) -> None:
    """Send as fast as the client batches, then wait for every acknowledgement."""
    prod = producer(settings)
    await prod.start()
    try:
        futures = [await prod.send(topic, key=k, value=v, partition=partition) for k, v in messages]
        for f in futures:
            await f
    finally:
        await prod.stop()


class Offsets:
    """End offsets of one topic, polled cheaply through one long-lived consumer."""

    def __init__(self, settings: Settings, topic: str) -> None:
        self.topic = topic
        self._consumer = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers, **settings.aiokafka_security())
        self._parts: list[TopicPartition] = []

    async def start(self) -> Offsets:
        await self._consumer.start()
        await self._consumer._client.force_metadata_update()
        found = self._consumer.partitions_for_topic(self.topic) or set()
        self._parts = [TopicPartition(self.topic, p) for p in sorted(found)]
        if not self._parts:
            raise RuntimeError(f"topic {self.topic} has no partitions in the broker's metadata")
        return self

    async def stop(self) -> None:
        await self._consumer.stop()

    async def by_partition(self) -> dict[TopicPartition, int]:
        return await self._consumer.end_offsets(self._parts)

    async def total(self) -> int:
        """How many messages were ever written to the topic."""
        return sum((await self.by_partition()).values())


async def read_from(
    settings: Settings, start: dict[TopicPartition, int], end: dict[TopicPartition, int]
) -> list[ConsumerRecord]:
    """Every record between two sets of offsets (end exclusive), timestamps included."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False, **settings.aiokafka_security()
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    try:
        wanted = {tp: end[tp] for tp in end if end[tp] > start.get(tp, 0)}
        if not wanted:
            return records
        consumer.assign(list(wanted))
        for tp in wanted:
            consumer.seek(tp, start.get(tp, 0))
        deadline = Deadline(60, f"reading back {sum(wanted.values())} records")
        while [tp for tp in wanted if await consumer.position(tp) < wanted[tp]]:
            deadline.check()
            batch = await consumer.getmany(timeout_ms=500)
            for tp, rows in batch.items():
                records += [r for r in rows if r.offset < wanted[tp]]
    finally:
        await consumer.stop()
    return records


class Deadline:
    """A wall-clock limit for a wait loop: never sleep-and-hope, fail loudly when it passes."""

    def __init__(self, seconds: float, what: str) -> None:
        self.at = time.monotonic() + seconds
        self.what = what

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise TimeoutError(f"gave up waiting for {self.what}")
