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


# The app's faust tables. With topic_allow_declare=False faust creates none of their changelog topics, so they are
# created here, compacted (a table's changelog only needs each key's latest value), with settings.partitions
# partitions: faust writes a change to the partition of the message being processed, so a changelog must have as many
# partitions as the topic feeding its table (it raises PartitionsMismatch otherwise).
IDENTITY_EVENTS_TABLE = "identity-events"
IDENTITY_DAYS_TABLE = "identity-days"
ALERTS_SEEN_TABLE = "alerts-seen"
ALERTS_SENT_TABLE = "alerts-sent"
ALERTS_ESCALATION_TABLE = "alerts-escalation"
ALERTS_ACTORS_TABLE = "alerts-actors"
ALERTS_CIVILIANS_TABLE = "alerts-civilians"
# The tables with a changelog of their own. (alerts-sent has the alerts topic as its changelog: recording an alert
# as sent and sending it are one write.)
TABLES = (
    IDENTITY_EVENTS_TABLE,
    IDENTITY_DAYS_TABLE,
    ALERTS_SEEN_TABLE,
    ALERTS_ESCALATION_TABLE,
    ALERTS_ACTORS_TABLE,
    ALERTS_CIVILIANS_TABLE,
)
COMPACTED = {"cleanup.policy": "compact"}


def changelog_topic(settings: Settings, table: str) -> str:
    """The changelog topic faust uses for a table (faust's own naming: "<app id>-<table>-changelog")."""
    return f"{settings.app_id}-{table}-changelog"


def changelog_topics(settings: Settings) -> tuple[str, ...]:
    return tuple(changelog_topic(settings, t) for t in TABLES)


def wanted_topics(settings: Settings) -> dict[str, int]:
    """Every topic the app uses (table changelogs included), mapped to settings.partitions."""
    return {name: settings.partitions for name in (*settings.all_topics, *changelog_topics(settings))}


def topic_configs(settings: Settings) -> dict[str, dict[str, str]]:
    """Topic-level configs of the topics that need one: the changelogs, and the alerts topic, which is the changelog
    of the alert agent's record of what it sent (deleted by age, a worker would forget it had sent an alert)."""
    return {name: COMPACTED for name in (*changelog_topics(settings), settings.alerts_topic)}


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
    """Create the missing topics among `topics` (name -> partitions; default: every app topic and table changelog
    with settings.partitions) and return the names created. Existing topics are left alone; one with a
    different partition count is logged, since changing it would reshuffle keys across partitions."""
    wanted = wanted_topics(settings) if topics is None else dict(topics)
    admin = _admin(settings)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        configs = topic_configs(settings)
        new = [
            NewTopic(name, n, settings.replication_factor, topic_configs=configs.get(name, {}))
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
