"""Helpers for integration tests: run a real `rasad worker` process, produce raw messages, collect outputs."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

from workers.broker import free_port
from workers.settings import Settings
from workers.topics import create_topics_sync


def settings_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASAD_")}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if value is not None:
            env["RASAD_" + f.name.upper()] = str(value)
    return env


@contextmanager
def running_worker(
    settings: Settings, log_dir: Path, web_port: int | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process in its own process group, stopped (group SIGTERM, then SIGKILL) at the end.
    Its web server listens on `web_port` (default: any free port)."""
    env = settings_env(settings)
    env["RASAD_WEB_PORT"] = str(web_port or free_port())
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
                # Time to leave the group cleanly even on a loaded machine: a member killed before it leaves is
                # never evicted by the embedded broker, and the next worker of the group would wait for it.
                proc.wait(timeout=90)
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


# ---------------------------------------------------------------- stateful workers: restart, kill, share a group


@dataclass
class Worker:
    """A `rasad worker` process started by start_worker (its own process group) and its web port."""

    proc: subprocess.Popen[bytes]
    web_port: int
    log_path: Path


def start_worker(
    settings: Settings,
    log_dir: Path,
    name: str = "worker",
    instance_id: str | None = None,
    loglevel: str = os.environ.get("RASAD_TEST_WORKER_LOGLEVEL", "info"),  # "debug" to read a failure's broker talk
) -> Worker:
    """Start a real worker process; `instance_id` gives it static group membership (RASAD_GROUP_INSTANCE_ID), so
    the same id restarted after a kill takes its partitions back at once. It runs in `log_dir`, where faust keeps
    its data directory, and logs to `<log_dir>/<name>.log` (appended to across restarts)."""
    env = settings_env(settings)
    web_port = free_port()
    env["RASAD_WEB_PORT"] = str(web_port)
    if instance_id is not None:
        env["RASAD_GROUP_INSTANCE_ID"] = instance_id
    log_path = log_dir / f"{name}.log"
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "worker", "--loglevel", loglevel],
            env=env,
            cwd=log_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Worker(proc, web_port, log_path)


def kill_worker(worker: Worker) -> None:
    """SIGKILL the worker's whole process group (a crash: no commit, no flush, no goodbye to the group)."""
    if worker.proc.poll() is None:
        os.killpg(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait()


def stop_worker(worker: Worker) -> None:
    """Stop a worker as running_worker does: group SIGTERM, then SIGKILL after 90 s."""
    if worker.proc.poll() is None:
        os.killpg(worker.proc.pid, signal.SIGTERM)
        try:
            worker.proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            kill_worker(worker)


async def produce_in_order(settings: Settings, messages: list[tuple[bytes | None, bytes]], partition: int = 0) -> None:
    """Produce reports to ONE partition of the reports topic, so the worker reads them in exactly this order."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, max_request_size=20_000_000)
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(settings.reports_topic, key=key, value=value, partition=partition)
    finally:
        await producer.stop()


async def read_topic(settings: Settings, topic: str) -> list[dict]:
    """Every message a topic holds right now (up to its end offsets), as collect() gives them."""
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    messages: list[dict] = []
    try:
        await consumer._client.force_metadata_update()
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not parts:
            return []
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        end = await consumer.end_offsets(parts)
        for tp in parts:
            while await consumer.position(tp) < end[tp]:
                batch = await consumer.getmany(tp, timeout_ms=500)
                for records in batch.values():
                    messages += [{"key": r.key, **orjson.loads(r.value)} for r in records if r.offset < end[tp]]
    finally:
        await consumer.stop()
    return messages


async def group_lag(settings: Settings, topics: list[str]) -> dict[str, int]:
    """Messages of each topic the app's consumer group has not committed yet."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(settings.app_id)
        await consumer._client.force_metadata_update()
        parts = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
        end = await consumer.end_offsets(parts)
        lag = dict.fromkeys(topics, 0)
        for tp in parts:
            done = committed[tp].offset if tp in committed and committed[tp].offset >= 0 else 0
            lag[tp.topic] += end[tp] - done
        return lag
    finally:
        await consumer.stop()
        await admin.close()


async def wait_caught_up(settings: Settings, timeout: float = 120.0) -> None:
    """Wait until the worker group has processed and committed everything in the reports, extractions and events
    topics. Offsets are committed only after the outputs they led to are flushed, so when nothing is left
    uncommitted in the three topics, in that order, every event and alert the input leads to is on its topic."""
    topics = [settings.reports_topic, settings.extractions_topic_name, settings.events_topic]
    deadline = time.monotonic() + timeout
    while True:
        lag = await group_lag(settings, topics)
        if not any(lag.values()):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"group {settings.app_id} still behind after {timeout:.0f} s: {lag}")
        await asyncio.sleep(0.3)


async def group_assignment(settings: Settings) -> dict[str, set[tuple[str, int]]]:
    """The app's consumer group: each member's assigned (topic, partition)s, empty while it is rebalancing."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        (response,) = await admin.describe_consumer_groups([settings.app_id])
    finally:
        await admin.close()
    _, _, state, _, _, members = response.groups[0][:6]
    if state != "Stable":
        return {}
    out = {}
    for member in members:  # (member_id, [group_instance_id,] client_id, client_host, metadata, assignment)
        member_id, assignment = member[0], member[-1]
        decoded = ConsumerProtocolMemberAssignment.decode(assignment) if assignment else None
        out[member_id] = {(t, p) for t, ps in (decoded.assignment if decoded else []) for p in ps}
    return out


def new_topic_set(broker: Settings) -> Settings:
    """`broker`'s settings with topic names and app id unique to one pipeline (topics created).

    Keeps tests from seeing each other's messages or consumer-group offsets on the shared broker.
    """
    suffix = uuid.uuid4().hex[:10]
    settings = replace(
        broker,
        reports_topic=f"{broker.reports_topic}-{suffix}",
        events_topic=f"{broker.events_topic}-{suffix}",
        alerts_topic=f"{broker.alerts_topic}-{suffix}",
        dead_letter_topic=f"{broker.dead_letter_topic}-{suffix}",
        app_id=f"{broker.app_id}-{suffix}",
    )
    create_topics_sync(settings)
    return settings


def worker_stats(worker: Worker) -> Counter[str] | None:
    """The worker's outcome counters (/rasad/stats/: reports, events, no_event, dead_letter), None while its web
    server is not up. Counters live in the process: a restarted worker counts from zero."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{worker.web_port}/rasad/stats/", timeout=5) as response:
            return Counter(json.loads(response.read()))
    except OSError:
        return None


async def wait_counted(worker: Worker, reports: int, timeout: float = 120.0) -> Counter[str]:
    """The worker's counters once it has counted at least `reports` reports (mid-stream markers for fault tests)."""
    deadline = time.monotonic() + timeout
    while True:
        counts = await asyncio.to_thread(worker_stats, worker)
        if counts is not None and counts["reports"] >= reports:
            return counts
        if worker.proc.poll() is not None:
            raise AssertionError(f"the worker exited with {worker.proc.returncode}; log {worker.log_path}")
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker counted {counts and counts['reports']} of {reports} reports")
        await asyncio.sleep(0.1)
