"""Create the app's topics explicitly, with their partition counts.

Brokers (noida-db included) auto-create a topic with 1 partition the first time a client touches it, and
faust's partition-keyed tables and agents silently degrade to one consumer then, so topics are created up
front and their partition counts checked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import for_code

from workers.broker import run_sync
from workers.settings import Settings

log = logging.getLogger(__name__)

TOPIC_ALREADY_EXISTS = 36
# Metadata for a just-created topic can lag behind CreateTopics on a real cluster; allow it this long.
SETTLE_SECONDS = 10.0


class TopicError(RuntimeError):
    """A topic could not be created, or exists with the wrong number of partitions."""


def wanted_topics(settings: Settings) -> dict[str, int]:
    """Every topic the app uses, mapped to settings.partitions."""
    return {name: settings.partitions for name in settings.all_topics}


def _admin(settings: Settings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=15000, **settings.aiokafka_security()
    )


async def _partition_counts(admin: AIOKafkaAdminClient, names: Iterable[str]) -> dict[str, int]:
    wanted = set(names)
    # Ask for all topics and filter: a metadata request naming a missing topic makes the broker
    # auto-create it with 1 partition (noida-db does), which would defeat create_topics.
    described = await admin.describe_topics(None)
    return {
        t["topic"]: len(t["partitions"])
        for t in described
        if t["topic"] in wanted and t["error_code"] == 0 and t["partitions"]
    }


async def describe_topics(settings: Settings, topics: Iterable[str] | None = None) -> dict[str, int]:
    """Partition count of each existing topic among `topics` (default: settings.all_topics)."""
    admin = _admin(settings)
    await admin.start()
    try:
        return await _partition_counts(admin, settings.all_topics if topics is None else topics)
    finally:
        await admin.close()


async def create_topics(settings: Settings, topics: dict[str, int] | None = None) -> list[str]:
    """Create the missing topics among `topics` (name -> partitions; default: every app topic with
    settings.partitions) and return the names created. Existing topics are left alone; one with a
    different partition count is logged, since changing it would reshuffle keys across partitions."""
    wanted = wanted_topics(settings) if topics is None else dict(topics)
    admin = _admin(settings)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        new = [
            NewTopic(name, n, settings.replication_factor)
            for name, n in wanted.items()
            if name not in existing
        ]
        created: list[str] = []
        if new:
            response = await admin.create_topics(new)
            for name, code, message in (e[:3] for e in response.topic_errors):
                if code == 0:
                    created.append(name)
                elif code != TOPIC_ALREADY_EXISTS:  # another process creating it at the same time is fine
                    raise TopicError(f"could not create topic {name!r}: {for_code(code).__name__}: {message}")
        await _check_partitions(admin, wanted, set(created))
    finally:
        await admin.close()
    if created:
        log.info("created topics %s", ", ".join(f"{n}({wanted[n]})" for n in created))
    return created


async def _check_partitions(admin: AIOKafkaAdminClient, wanted: dict[str, int], created: set[str]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_SECONDS
    while True:
        counts = await _partition_counts(admin, wanted)
        if all(n in counts for n in wanted) or loop.time() > deadline:
            break
        await asyncio.sleep(0.2)
    for name, n in wanted.items():
        have = counts.get(name)
        if have is None:
            raise TopicError(f"topic {name!r} does not show up in the broker's metadata")
        if have != n and name in created:
            raise TopicError(f"asked for {n} partitions of new topic {name!r}, the broker made {have}")
        if have != n:
            log.warning("topic %r already exists with %d partitions, not %d; left as is", name, have, n)


def create_topics_sync(settings: Settings, topics: dict[str, int] | None = None) -> list[str]:
    """create_topics for sync callers (the CLI, test fixtures)."""
    return run_sync(create_topics(settings, topics))
