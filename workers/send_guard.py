"""Never commit past a message whose output could not be sent.

faust (0.15) sends an agent's output in the background. A send that still fails after aiokafka's retries (the
topic's leader gone for longer than the request timeout, a record the broker refuses) is only logged as a warning
(`Topic._on_published`), and the consumer's next commit moves past the message it came from: an event or a dead
letter lost without a trace. faust guards its own "attached" messages against this (`_handle_attached` crashes the
consumer), not what agents send.

The guard: a faust sensor (`on_send_error`, faust's public hook) records every failed send, and the consumer's
commit first flushes the producer, so every send made so far has an outcome, then refuses to commit if one failed:
the consumer crashes, as faust's own guard does, and the worker stops with the error logged. Whatever restarts it
(docker compose's restart policy, a supervisor) reads again from the last good commit; at-least-once, with the same
ids, as after any crash.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from faust.sensors import Sensor

log = logging.getLogger(__name__)

_MARK = "_rasad_send_guard"


class SendFailed(RuntimeError):
    """Output of a message already read could not be sent: committing would lose it."""


class SendFailures(Sensor):
    """Failed sends since the worker started (a worker that had one stops at its next commit)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failed: list[BaseException] = []

    def on_send_error(self, producer: Any, exc: BaseException, state: Any) -> None:
        log.error("a send failed after the producer's retries (%r): the worker will not commit past it", exc)
        self.failed.append(exc)


def sensor_of(app: Any) -> SendFailures | None:
    return app.__dict__.get(_MARK)


async def commit_unless_a_send_failed(consumer: Any, commit: Any, *args: Any, **kwargs: Any) -> bool:
    """`commit(*args)` (faust's `_commit_offsets`) once every send so far succeeded; else crash the consumer."""
    failures = sensor_of(consumer.app)
    if failures is not None:
        await consumer.app.producer.flush()
        await asyncio.sleep(0)  # the done-callbacks of the sends the flush waited for (faust's sensors among them)
        if failures.failed:
            exc = SendFailed(f"{len(failures.failed)} send(s) failed, first: {failures.failed[0]!r}")
            log.critical("not committing: %s; stopping so that a restart reads those messages again", exc)
            await consumer.crash(exc)
            return False
    result: bool = await commit(consumer, *args, **kwargs)
    return result


def install(app: Any) -> SendFailures:
    """Watch `app`'s sends and guard its consumer's commits (the patch is process-wide and made once)."""
    from faust.transport.consumer import Consumer

    if not getattr(Consumer._commit_offsets, _MARK, False):
        original = Consumer._commit_offsets

        async def guarded(self: Any, *args: Any, **kwargs: Any) -> bool:
            return await commit_unless_a_send_failed(self, original, *args, **kwargs)

        setattr(guarded, _MARK, True)
        Consumer._commit_offsets = guarded
    failures = sensor_of(app)
    if failures is None:
        failures = SendFailures()
        app.sensors.add(failures)
        app.__dict__[_MARK] = failures
    return failures
