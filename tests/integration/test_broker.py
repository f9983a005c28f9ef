"""The embedded broker and topic creation, against a real broker (noida-db unless RASAD_BROKER is set)."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.consumer.fetcher import Fetcher

from workers.broker import (
    BrokerError,
    EmbeddedBroker,
    ensure_broker,
    free_port,
    group_members,
    is_reachable,
    stop_from_pidfile,
)
from workers.fetch_pacing import pace_empty_fetches
from workers.settings import Settings
from workers.topics import create_topics, create_topics_sync, describe_topics

ROOT = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    """Independent of workers.broker: a pid that exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def _noida_binary_pid(broker: EmbeddedBroker) -> int:
    """The Go binary the `noida-db` wrapper started; it records itself in its control file."""
    control = broker.noida_dir / "noida.control.json"
    deadline = time.monotonic() + 5
    while not control.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return int(json.loads(control.read_text())["pid"])


async def _produce(bootstrap: str, topic: str, items: list[tuple[bytes, bytes]]) -> set[int]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        sent = [await producer.send_and_wait(topic, value, key=key) for key, value in items]
    finally:
        await producer.stop()
    return {md.partition for md in sent}


async def _consume(
    bootstrap: str, topic: str, n: int, group_id: str | None = None, timeout: float = 20.0
) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group_id,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    got: list[bytes] = []
    try:
        deadline = time.monotonic() + timeout
        while len(got) < n and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            got += [m.value for msgs in batches.values() for m in msgs if m.value is not None]
        # Give stray extra messages a moment to show up, so "exactly n" is really checked.
        batches = await consumer.getmany(timeout_ms=300)
        got += [m.value for msgs in batches.values() for m in msgs if m.value is not None]
        if group_id is not None:
            await consumer.commit()
    finally:
        await consumer.stop()
    return got


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[EmbeddedBroker]:
    """A private embedded broker for tests that stop or restart it."""
    embedded = EmbeddedBroker(tmp_path / "data", port=free_port())
    yield embedded
    embedded.stop()


def test_broker_answers_metadata(broker: Settings) -> None:
    assert is_reachable(broker.broker)
    assert is_reachable(broker.bootstrap_servers, timeout=2.0, security=broker.aiokafka_security())


def test_nothing_listening_is_unreachable() -> None:
    started = time.monotonic()
    assert not is_reachable(f"127.0.0.1:{free_port()}")
    assert time.monotonic() - started < 2.0


def test_a_plain_tcp_server_is_not_a_broker() -> None:
    # An open port that does not speak Kafka must not count as a broker.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert not is_reachable(f"127.0.0.1:{server.getsockname()[1]}", timeout=0.5)


async def test_app_topics_have_requested_partitions(broker: Settings) -> None:
    assert await describe_topics(broker) == {t: broker.partitions for t in broker.all_topics}


async def test_create_topics_with_custom_counts_is_idempotent(
    fresh_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    names = {f"t-{n}-{uuid.uuid4().hex[:8]}": n for n in (1, 3, 8)}
    assert sorted(await create_topics(fresh_settings, names)) == sorted(names)
    assert await describe_topics(fresh_settings, names) == names
    assert await create_topics(fresh_settings, names) == []  # second run: nothing to do, no error

    # An existing topic is never changed, only reported.
    one = next(name for name, n in names.items() if n == 1)
    with caplog.at_level(logging.WARNING, logger="workers.topics"):
        assert await create_topics(fresh_settings, {one: 5}) == []
    assert "already exists with 1 partitions" in caplog.text
    assert await describe_topics(fresh_settings, [one]) == {one: 1}


async def test_describe_does_not_auto_create(fresh_settings: Settings) -> None:
    # A metadata request naming a missing topic auto-creates it with 1 partition on noida-db.
    missing = f"missing-{uuid.uuid4().hex[:8]}"
    assert await describe_topics(fresh_settings, [missing]) == {}
    assert await describe_topics(fresh_settings, [missing]) == {}
    assert await create_topics(fresh_settings, {missing: 6}) == [missing]
    assert await describe_topics(fresh_settings, [missing]) == {missing: 6}


async def test_sync_wrapper_works_inside_a_running_loop(fresh_settings: Settings) -> None:
    # The CLI and sync fixtures use the wrapper; it must not trip over an already running loop.
    name = f"sync-{uuid.uuid4().hex[:8]}"
    assert create_topics_sync(fresh_settings, {name: 2}) == [name]
    assert create_topics_sync(fresh_settings) == []  # the app topics already exist
    assert await describe_topics(fresh_settings, [name]) == {name: 2}


async def test_produce_consume_round_trip(fresh_settings: Settings) -> None:
    items = [(f"key-{i}".encode(), f"تقرير {i}".encode()) for i in range(20)]
    partitions = await _produce(fresh_settings.broker, fresh_settings.reports_topic, items)
    assert len(partitions) > 1, "keyed messages should spread over the topic's partitions"
    got = await _consume(
        fresh_settings.broker, fresh_settings.reports_topic, 20, group_id=fresh_settings.app_id
    )
    assert sorted(got) == sorted(v for _, v in items)


def test_ensure_broker_leaves_a_running_broker_alone(broker: Settings) -> None:
    assert ensure_broker(broker) is None


def test_ensure_broker_starts_embedded_on_loopback(tmp_path: Path) -> None:
    settings = Settings(broker=f"localhost:{free_port()}", data_dir=tmp_path)
    handle = ensure_broker(settings)
    assert handle is not None
    try:
        assert is_reachable(settings.broker)
        assert ensure_broker(settings) is None  # now something answers
        assert handle.pidfile.read_text().strip() == str(handle.pid)
    finally:
        handle.stop()
    assert not is_reachable(settings.broker)
    assert not handle.pidfile.exists()


def test_ensure_broker_refuses_remote_address(tmp_path: Path) -> None:
    # 192.0.2.0/24 is reserved for documentation: never a real host.
    with pytest.raises(BrokerError, match=r"192\.0\.2\.1:9092"):
        ensure_broker(Settings(broker="192.0.2.1:9092", data_dir=tmp_path))
    assert not (tmp_path / "broker.pid").exists()


def test_stop_kills_the_whole_process_group(own_broker: EmbeddedBroker) -> None:
    own_broker.start()
    pgid = own_broker.pid
    assert pgid is not None
    binary = _noida_binary_pid(own_broker)
    members = group_members(pgid)
    # The wrapper and the Go binary it runs, both in the broker's own group, not ours.
    assert pgid in members and binary in members
    assert pgid != os.getpgrp()

    own_broker.stop()

    assert group_members(pgid) == []
    assert not _alive(pgid)
    assert not _alive(binary)
    assert not is_reachable(own_broker.bootstrap)
    assert own_broker.pid is None
    own_broker.stop()  # a second stop is harmless


def test_stop_from_another_process_via_pidfile(own_broker: EmbeddedBroker) -> None:
    own_broker.start()
    pgid, binary = own_broker.pid, _noida_binary_pid(own_broker)
    assert pgid is not None
    # What `rasad broker stop` does from another shell: only the data dir is known.
    code = (
        "import sys; from workers.broker import stop_from_pidfile;"
        "sys.exit(0 if stop_from_pidfile(sys.argv[1]) else 3)"
    )
    subprocess.run([sys.executable, "-c", code, str(own_broker.data_dir)], cwd=ROOT, check=True, timeout=60)
    assert not _alive(binary)
    assert group_members(pgid) == []
    assert not own_broker.pidfile.exists()
    assert not stop_from_pidfile(own_broker.data_dir)  # nothing left to stop
    own_broker.stop()  # reaps the wrapper; must not fail on an already-stopped group


def test_second_broker_on_same_data_dir_is_refused(own_broker: EmbeddedBroker) -> None:
    own_broker.start()
    twin = EmbeddedBroker(own_broker.data_dir, port=free_port())
    with pytest.raises(BrokerError, match="already running"):
        twin.start()
    assert is_reachable(own_broker.bootstrap)


def test_start_failure_reports_the_log(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        embedded = EmbeddedBroker(tmp_path, port=port, startup_timeout=10)
        started = time.monotonic()
        with pytest.raises(BrokerError, match="already in use") as err:
            embedded.start()
    assert time.monotonic() - started < 5, "an early exit should be reported at once, not after the timeout"
    assert "GLIBC" not in str(err.value)
    assert embedded.pid is None and not embedded.pidfile.exists()


def test_missing_executable_is_a_clear_error(tmp_path: Path) -> None:
    embedded = EmbeddedBroker(tmp_path, port=free_port(), executable=str(tmp_path / "no-such-noida-db"))
    with pytest.raises(BrokerError, match="could not run"):
        embedded.start()
    assert embedded.pid is None and not embedded.pidfile.exists()


async def test_restart_keeps_topics_messages_and_offsets(own_broker: EmbeddedBroker) -> None:
    own_broker.start()
    settings = Settings(broker=own_broker.bootstrap, data_dir=own_broker.data_dir)
    topic, group = "kept", "kept-group"
    assert await create_topics(settings, {topic: 3}) == [topic]
    first = [(f"k{i}".encode(), f"v{i}".encode()) for i in range(6)]
    await _produce(settings.broker, topic, first)
    assert len(await _consume(settings.broker, topic, 6, group_id=group)) == 6  # commits its offsets

    own_broker.stop()
    assert not is_reachable(settings.broker)
    own_broker.start()

    assert await describe_topics(settings, [topic]) == {topic: 3}
    later = [(b"k6", b"v6"), (b"k7", b"v7")]
    await _produce(settings.broker, topic, later)
    # The committed group resumes after the first six; a group-less reader sees everything.
    assert sorted(await _consume(settings.broker, topic, 2, group_id=group)) == [b"v6", b"v7"]
    assert sorted(await _consume(settings.broker, topic, 8)) == sorted(v for _, v in first + later)


async def test_an_idle_consumer_is_paced_and_still_gets_new_messages(fresh_settings: Settings) -> None:
    """noida-db answers an empty fetch at once; paced, an idle consumer asks ~1/wait times a second, not thousands."""
    calls = 0
    pace_empty_fetches(0.05)
    paced = Fetcher._proc_fetch_request

    async def counted(self: Any, *args: Any) -> bool:
        nonlocal calls
        calls += 1
        return await paced(self, *args)

    Fetcher._proc_fetch_request = counted  # type: ignore[method-assign]
    consumer = AIOKafkaConsumer(
        fresh_settings.events_topic, bootstrap_servers=fresh_settings.bootstrap_servers, auto_offset_reset="earliest"
    )
    try:
        await consumer.start()
        assert await consumer.getmany(timeout_ms=2000) == {}
        idle_calls = calls  # two seconds with nothing to read: at most ~40 paced fetches (one node)
        await _produce(fresh_settings.broker, fresh_settings.events_topic, [(b"k", b"after the idle spell")])
        got = await consumer.getmany(timeout_ms=5000)
    finally:
        await consumer.stop()
        Fetcher._proc_fetch_request = paced  # type: ignore[method-assign]
        pace_empty_fetches(fresh_settings.empty_fetch_wait_ms / 1000, fresh_settings.empty_fetch_max_wait_ms / 1000)
    assert 1 <= idle_calls <= 80, idle_calls
    assert [r.value for records in got.values() for r in records] == [b"after the idle spell"]
