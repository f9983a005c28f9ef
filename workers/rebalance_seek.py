"""Make faust's seek after a rebalance lose nothing: hold the stream partitions while it seeks, and rewind the
partitions whose group has no commit yet.

After a rebalance faust (0.15) resumes the worker's stream partitions, seeks them to the group's committed offsets,
and only then resumes the flow, which clears the agents' queues. Records fetched while the seek is under way go
into those queues, move faust's read offset past themselves (overwriting the one the seek just set), and are then
cleared: never processed, never acknowledged. faust commits only up to the first offset not acknowledged, so that
partition's commits stop for good; its lag stays up until the next restart, which processes everything again.
aiokafka makes it worse for a partition with no commit yet (or a commit of 0): `seek_to_committed` leaves it where
it is, so not even the fetch position goes back. A worker restarted before its group's first commit (a crash in its
first seconds: tests/faults, the kill -9 scenario) hit this about every other time.

Two small changes close it:
- while faust seeks after recovery, the stream partitions are paused (removed from the set faust fetches and
  delivers from), and they are resumed together with the flow, after the queues were cleared: no record reaches a
  queue in between;
- a stream partition without a committed offset is sought to its beginning when `auto_offset_reset` is "earliest"
  (what that setting promises), so records fetched before the seek are fetched again. Changelog partitions are
  left where table recovery put them. With "latest" it is left alone: a
  reset to the end at seek time would skip records.

At-least-once still holds as before: a record an agent finished before the seek can come again, with the same ids.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

log = logging.getLogger(__name__)

_MARK = "_rasad_rebalance_seek"
_HELD = "_rasad_held_partitions"


async def seek_to_committed_or_beginning(
    consumer: Any, rewind: Callable[[Any], bool]
) -> Mapping[Any, int | None]:
    """aiokafka's `seek_to_committed`; then the partitions it left in place (no commit, or a commit of 0) that
    `rewind(tp)` accepts go to their beginning. Returns the committed offsets, as `seek_to_committed` does."""
    committed: Mapping[Any, int | None] = await consumer.seek_to_committed()
    uncommitted = sorted(tp for tp, offset in committed.items() if not offset and rewind(tp))
    for tp in uncommitted:
        # Offset 0, not `seek_to_beginning`: that one resets through the broker later, and a worker restarted on
        # a group with state stalled behind it. A log that starts later is out of range and reset to its start.
        log.debug("no committed offset: seeking %s to offset 0", tp)
        consumer.seek(tp, 0)
    return committed


def _held(consumer: Any) -> set[Any]:
    """The partitions held on this consumer, kept on the consumer itself (made on first use)."""
    return consumer.__dict__.setdefault(_HELD, set())


def hold_stream_partitions(consumer: Any) -> set[Any]:
    """Pause the consumer's non-changelog partitions until its flow resumes (see `release_held_partitions`)."""
    held = {tp for tp in consumer.assignment() if not consumer._is_changelog_tp(tp)}
    consumer.pause_partitions(held)
    _held(consumer).update(held)
    return held


def release_held_partitions(consumer: Any) -> None:
    held = _held(consumer)
    if held:
        consumer.resume_partitions(held & set(consumer.assignment()))
        held.clear()


def install() -> bool:
    """Patch faust's consumer (process-wide, once). Returns whether the patch is in place; a faust release without
    the methods it wraps runs unpatched, with a warning, rather than fail to start."""
    try:
        from faust.transport.consumer import Consumer
        from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
    except ImportError:  # pragma: no cover - faust is a dependency
        return False
    if getattr(Consumer.perform_seek, _MARK, False):
        return True
    needed = [(Consumer, "perform_seek"), (Consumer, "resume_flow"), (AIOKafkaConsumerThread, "seek_to_committed")]
    missing = [f"{cls.__name__}.{name}" for cls, name in needed if not hasattr(cls, name)]
    if missing:
        log.warning("faust has no %s: its seek after a rebalance can skip records", ", ".join(missing))
        return False

    perform_seek, resume_flow = Consumer.perform_seek, Consumer.resume_flow
    async def held_perform_seek(self: Any) -> None:
        # Only while the flow runs (the seek after recovery): faust also seeks when a fetch returns while the flow
        # is stopped, and that seek can end after the flow resumed, with nothing left to release the partitions.
        if self.flow_active:
            hold_stream_partitions(self)  # before any await: nothing is delivered from them until the flow resumes
        await perform_seek(self)

    def resume_flow_and_release(self: Any) -> None:
        resume_flow(self)
        release_held_partitions(self)

    async def seek_to_committed(self: Any) -> Mapping[Any, int | None]:
        earliest = self.app.conf.consumer_auto_offset_reset == "earliest"
        is_changelog = self.consumer._is_changelog_tp  # table recovery places those itself

        def rewind(tp: Any) -> bool:
            return earliest and not is_changelog(tp)

        return await self.call_thread(seek_to_committed_or_beginning, self._ensure_consumer(), rewind)

    for patched in (held_perform_seek, resume_flow_and_release, seek_to_committed):
        setattr(patched, _MARK, True)
    Consumer.perform_seek = held_perform_seek
    Consumer.resume_flow = resume_flow_and_release
    AIOKafkaConsumerThread.seek_to_committed = seek_to_committed
    return True
