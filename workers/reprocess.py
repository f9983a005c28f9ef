"""Rerun the pipeline over what the reports topic holds: move the worker group's committed offsets back.

The workers' consumer group is settings.app_id (faust uses the app id as the Kafka group id). As
kafka-consumer-groups does, offsets are only reset while the group has no active member: a running worker
would overwrite them with its own position at its next commit. The commit itself is made outside any
group generation, which a broker also refuses while the group has members, so a worker that joins between
the check and the commit makes the reset fail rather than half-happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import CommitFailedError, KafkaError

from .settings import Settings

# Group states in which no consumer holds the group (Kafka's names).
IDLE_STATES = frozenset({"Empty", "Dead", ""})


class ReprocessError(RuntimeError):
    """The offsets cannot be reset (the group is active, the topic is missing…); the message says why."""


@dataclass(frozen=True)
class Member:
    member_id: str
    client_id: str
    host: str


@dataclass(frozen=True)
class PartitionReset:
    partition: int
    before: int | None  # the committed offset before the reset (None: the group had none)
    after: int


def parse_timestamp(text: str) -> datetime:
    """`--from-timestamp`: an ISO 8601 date or date-time (no offset: UTC), or Unix epoch milliseconds."""
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is neither an ISO 8601 date-time nor epoch milliseconds") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def active_members(settings: Settings, group: str | None = None) -> list[Member]:
    """Members of the consumer group right now (empty when no worker of the group is running)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, **settings.aiokafka_security())
    await admin.start()
    try:
        responses = await admin.describe_consumer_groups([group or settings.app_id])
    finally:
        await admin.close()
    members: list[Member] = []
    for response in responses:
        for described in response.to_object()["groups"]:  # by field name: the layout varies with the version
            if described["error_code"]:
                raise ReprocessError(
                    f"could not describe consumer group {described['group']!r} (error {described['error_code']})"
                )
            found = described["members"]
            members += [Member(m["member_id"], m["client_id"], m["client_host"]) for m in found]
            if not found and described["state"] not in IDLE_STATES:  # rebalancing, nobody listed yet: not safe
                members.append(Member("?", f"(group state {described['state']})", "?"))
    return members


async def reset_offsets(
    settings: Settings,
    *,
    timestamp: datetime | None = None,
    dry_run: bool = False,
) -> list[PartitionReset]:
    """Point the worker group at the reports topic's first message (timestamp None) or the first at/after
    `timestamp` (Kafka message time, i.e. when it was written to the topic); partitions with nothing that late
    go to their end. Refuses while the group has active members."""
    group, topic = settings.app_id, settings.reports_topic
    members = await active_members(settings, group)
    if members:
        who = ", ".join(f"{m.client_id}@{m.host}" for m in members)
        raise ReprocessError(
            f"consumer group {group!r} has {len(members)} active member(s) ({who}); "
            "stop its workers first, then run reprocess again"
        )
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=group,
        enable_auto_commit=False,
        **settings.aiokafka_security(),
    )
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()  # a fresh client knows no topic yet
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise ReprocessError(f"topic {topic!r} does not exist on the broker")
        parts = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(parts)  # manual assignment: no group join, so no rebalance of a group we want idle
        targets = await _targets(consumer, parts, timestamp)
        before = {tp: await consumer.committed(tp) for tp in parts}
        if not dry_run:
            try:
                await consumer.commit(targets)
            except (CommitFailedError, KafkaError) as exc:
                raise ReprocessError(
                    f"the broker refused the new offsets for group {group!r} ({type(exc).__name__}): "
                    "a worker probably joined meanwhile; stop it and try again"
                ) from None
        return [PartitionReset(tp.partition, before[tp], targets[tp]) for tp in parts]
    finally:
        await consumer.stop()


async def _targets(
    consumer: AIOKafkaConsumer, parts: list[TopicPartition], timestamp: datetime | None
) -> dict[TopicPartition, int]:
    if timestamp is None:
        return dict(await consumer.beginning_offsets(parts))
    found = await consumer.offsets_for_times({tp: int(timestamp.timestamp() * 1000) for tp in parts})
    end = await consumer.end_offsets(parts)
    return {tp: found[tp].offset if found.get(tp) is not None else end[tp] for tp in parts}
