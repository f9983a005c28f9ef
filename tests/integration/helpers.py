"""Helpers for integration tests: run a real `rasad worker` process, produce raw messages, collect outputs."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from workers.broker import free_port
from workers.settings import Settings


def settings_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASAD_")}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if value is not None:
            env["RASAD_" + f.name.upper()] = str(value)
    return env


@contextmanager
def running_worker(settings: Settings, log_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process in its own process group, stopped (group SIGTERM, then SIGKILL) at the end."""
    env = settings_env(settings)
    env["RASAD_WEB_PORT"] = str(free_port())
    log = (log_dir / "worker.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "workers.cli", "worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


async def produce(settings: Settings, messages: list[tuple[bytes | None, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, max_request_size=20_000_000)
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(settings.reports_topic, key=key, value=value)
    finally:
        await producer.stop()


async def collect(
    settings: Settings, topic: str, until: Callable[[list[dict]], bool], timeout: float = 180.0
) -> list[dict]:
    """Read a topic from the beginning until `until(messages)` holds; fail after `timeout` seconds."""
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    messages: list[dict] = []
    try:
        parts = None
        deadline = time.monotonic() + timeout
        while parts is None:
            await consumer._client.force_metadata_update()
            found = consumer.partitions_for_topic(topic)
            if found:
                parts = [TopicPartition(topic, p) for p in found]
            elif time.monotonic() > deadline:
                raise AssertionError(f"topic {topic} never appeared")
            else:
                await asyncio.sleep(0.2)
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        while not until(messages):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out on {topic}; got {len(messages)} messages: {messages[:5]}")
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                messages += [{"key": r.key, **orjson.loads(r.value)} for r in records]
    finally:
        await consumer.stop()
    return messages
