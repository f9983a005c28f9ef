"""The commit guard: no offset is committed once a send has failed (workers/send_guard.py)."""

from __future__ import annotations

import asyncio

import faust

from workers import send_guard


class _Producer:
    def __init__(self) -> None:
        self.flushed = 0

    async def flush(self) -> None:
        self.flushed += 1


class _App:
    def __init__(self) -> None:
        self.producer = _Producer()


class _Consumer:
    def __init__(self, app: _App) -> None:
        self.app = app
        self.crashed: list[BaseException] = []

    async def crash(self, exc: BaseException) -> None:
        self.crashed.append(exc)


def _guarded_commit(failed: list[BaseException]):
    app = _App()
    sensor = send_guard.SendFailures()
    for exc in failed:
        sensor.on_send_error(None, exc, None)
    app.__dict__[send_guard._MARK] = sensor
    consumer = _Consumer(app)
    committed: list[dict] = []

    async def commit(self, offsets, start_new_transaction=True):
        committed.append(offsets)
        return True

    result = asyncio.run(send_guard.commit_unless_a_send_failed(consumer, commit, {"tp": 7}))
    return result, committed, consumer


def test_a_commit_after_sends_that_all_succeeded_goes_through_after_a_flush():
    result, committed, consumer = _guarded_commit([])
    assert result is True and committed == [{"tp": 7}] and not consumer.crashed
    assert consumer.app.producer.flushed == 1


def test_a_failed_send_stops_the_commit_and_crashes_the_consumer():
    result, committed, consumer = _guarded_commit([TimeoutError("leader gone")])
    assert result is False and committed == []
    (exc,) = consumer.crashed
    assert isinstance(exc, send_guard.SendFailed) and "leader gone" in str(exc)


def test_install_registers_the_sensor_once_and_patches_the_consumer_once():
    from faust.transport.consumer import Consumer

    app = faust.App("send-guard-test", broker="memory://", autodiscover=False)
    first = send_guard.install(app)
    patched = Consumer._commit_offsets
    assert send_guard.install(app) is first and Consumer._commit_offsets is patched
    assert first in app.sensors and getattr(patched, send_guard._MARK)
