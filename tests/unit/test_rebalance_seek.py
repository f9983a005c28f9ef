"""The fix to faust's seek after a rebalance (workers/rebalance_seek.py): what it seeks, what it holds, when it lets go.

The consumers here are small stand-ins with the few methods the fix calls; the scenario it exists for runs on the
real broker in tests/faults (a worker killed before its group's first commit).
"""

from __future__ import annotations

import asyncio

from faust.transport.consumer import Consumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

from workers import rebalance_seek
from workers.rebalance_seek import (
    hold_stream_partitions,
    release_held_partitions,
    seek_to_committed_or_beginning,
)


class AiokafkaConsumer:
    """Answers `seek_to_committed` with given commits and records what was sought to the beginning."""

    def __init__(self, committed: dict[str, int | None]) -> None:
        self.committed = committed
        self.to_beginning: list[str] = []

    async def seek_to_committed(self) -> dict[str, int | None]:
        return dict(self.committed)

    def seek(self, partition: str, offset: int) -> None:
        assert offset == 0
        self.to_beginning.append(partition)


async def test_partitions_without_a_commit_go_to_their_beginning() -> None:
    committed = {"reports-0": None, "reports-1": 0, "reports-2": 17, "table-changelog-0": None}
    consumer = AiokafkaConsumer(committed)
    got = await seek_to_committed_or_beginning(consumer, rewind=lambda tp: not tp.startswith("table-changelog"))
    assert got == committed  # what faust's read offsets are set from
    # A commit of 17 is aiokafka's own seek; the changelog is not the rewind's to move.
    assert consumer.to_beginning == ["reports-0", "reports-1"]


async def test_with_latest_reset_nothing_is_rewound() -> None:
    consumer = AiokafkaConsumer({"reports-0": None})
    await seek_to_committed_or_beginning(consumer, rewind=lambda tp: False)
    assert consumer.to_beginning == []


class FaustConsumer:
    """The partition bookkeeping of faust's Consumer that the hold uses."""

    def __init__(self, assigned: set[str]) -> None:
        self.assigned = assigned
        self.active = set(assigned)

    def assignment(self) -> set[str]:
        return self.assigned

    def _is_changelog_tp(self, tp: str) -> bool:
        return tp.endswith("-changelog")

    def pause_partitions(self, tps: set[str]) -> None:
        self.active -= tps

    def resume_partitions(self, tps: set[str]) -> None:
        self.active |= tps


def test_stream_partitions_are_held_and_released_changelogs_never() -> None:
    consumer = FaustConsumer({"reports-0", "extractions-1", "identity-events-changelog"})
    held = hold_stream_partitions(consumer)
    assert held == {"reports-0", "extractions-1"}
    assert consumer.active == {"identity-events-changelog"}
    release_held_partitions(consumer)
    assert consumer.active == consumer.assigned
    assert getattr(consumer, rebalance_seek._HELD) == set()


def test_a_partition_revoked_while_held_is_not_resumed() -> None:
    consumer = FaustConsumer({"reports-0", "reports-1"})
    hold_stream_partitions(consumer)
    consumer.assigned = {"reports-1"}  # a rebalance took reports-0 away meanwhile
    release_held_partitions(consumer)
    assert consumer.active == {"reports-1"}


def test_install_patches_faust_once() -> None:
    assert rebalance_seek.install()
    patched = (Consumer.perform_seek, Consumer.resume_flow, AIOKafkaConsumerThread.seek_to_committed)
    assert all(getattr(method, rebalance_seek._MARK, False) for method in patched)
    assert rebalance_seek.install()  # again: the same functions, not a second layer
    assert (Consumer.perform_seek, Consumer.resume_flow, AIOKafkaConsumerThread.seek_to_committed) == patched


class Seeking(FaustConsumer):
    """Also what faust's own `perform_seek` and `resume_flow` touch."""

    def __init__(self, assigned: set[str], flow_active: bool) -> None:
        super().__init__(assigned)
        self.flow_active = flow_active
        self._read_offset: dict[str, int | None] = {}
        self._committed_offset: dict[str, int | None] = {}
        self.can_resume_flow = asyncio.Event()
        self.suspend_flow = asyncio.Event()
        self.active_during_seek: set[str] | None = None

    async def seek_to_committed(self) -> dict[str, int | None]:
        self.active_during_seek = set(self.active)
        return {tp: None for tp in self.assigned}


async def test_the_seek_after_recovery_holds_the_partitions_until_the_flow_resumes() -> None:
    rebalance_seek.install()
    consumer = Seeking({"reports-0"}, flow_active=True)
    await Consumer.perform_seek(consumer)  # type: ignore[arg-type]
    assert consumer.active_during_seek == set()  # nothing delivered from them while it seeks
    assert consumer.active == set()  # and not until the flow resumes, after faust cleared the agents' queues
    Consumer.resume_flow(consumer)  # type: ignore[arg-type]
    assert consumer.active == {"reports-0"} and consumer.flow_active


async def test_a_seek_while_the_flow_is_stopped_holds_nothing() -> None:
    rebalance_seek.install()
    # faust's other seek, from a fetch that returned while the flow was stopped: it can end after the flow resumed,
    # and nothing would release what it held.
    consumer = Seeking({"reports-0"}, flow_active=False)
    await Consumer.perform_seek(consumer)  # type: ignore[arg-type]
    assert consumer.active_during_seek == {"reports-0"} and consumer.active == {"reports-0"}
