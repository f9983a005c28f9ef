"""A real worker on the real broker, authenticated with SASL PLAIN and logging at debug level (where aiokafka writes
every request, the SASL one included): reports still flow, its password appears in no log line, no event and no
dead letter, its logs are one JSON object per line when asked, and its web port listens on loopback only.

noida-db offers SASL PLAIN and accepts any credentials, so this proves the pass-through and the masking, not that a
wrong password is refused (that is the real cluster's job).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import time
from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from tests.faults.hostile import KILLING
from tests.integration.helpers import Worker, collect, start_worker, stop_worker
from workers.settings import Settings

# Quotes and non-ASCII letters: aiokafka's debug line shows the SASL PLAIN payload as a bytes repr, escaped.
PASSWORD = "s3cr3t-'pässwörd\"-ﺱ"
LISTEN = "0A"


def secret_forms(secret: str) -> list[str]:
    return [secret, repr(secret)[1:-1], repr(secret.encode())[2:-1], json.dumps(secret)[1:-1]]


def start_debug_worker(settings: Settings, log_dir: Path) -> Worker:
    """Like helpers.start_worker, at --loglevel debug."""
    return start_worker(settings, log_dir, loglevel="debug")


def listening_addresses(port: int) -> set[str]:
    """The local addresses something listens on at `port` (Linux /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == LISTEN and int(hex_port, 16) == port:
                # Each 32-bit word is in host (little-endian) order.
                raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, len(address), 8))
                found.add(str(ipaddress.ip_address(raw)))
    return found


async def wait_listening(worker: Worker, timeout: float = 60.0) -> set[str]:
    deadline = time.monotonic() + timeout
    while not (found := listening_addresses(worker.web_port)):
        assert worker.proc.poll() is None, worker.log_path.read_text(errors="replace")[-3000:]
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing listens on the web port {worker.web_port}")
        await asyncio.sleep(0.2)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads listening sockets from Linux /proc")
@pytest.mark.integration
@pytest.mark.parametrize("log_json", [False, True], ids=["text-logs", "json-logs"])
async def test_a_sasl_worker_works_and_never_shows_its_password(fresh_settings, tmp_path, log_json):
    settings = replace(
        fresh_settings,
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="PLAIN",
        sasl_username="rasad-worker",
        sasl_password=PASSWORD,
        log_json=log_json,
    )
    report = {"id": "sasl-1", "source": "faults", "published_at": "2018-02-11T12:00:00+03:00", "text": KILLING}
    worker = start_debug_worker(settings, tmp_path)
    try:
        addresses = await wait_listening(worker)
        # Produced over SASL with the keyword arguments every rasad client takes from the settings.
        producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, **settings.aiokafka_security())
        await producer.start()
        try:
            await producer.send_and_wait(settings.reports_topic, key=b"sasl-1", value=orjson.dumps(report))
            await producer.send_and_wait(settings.reports_topic, key=b"sasl-bad", value=b"{not json")
        finally:
            await producer.stop()
        events = await collect(settings, settings.events_topic, lambda ms: any("sasl-1" in m["report_ids"] for m in ms))
        dead = await collect(settings, settings.dead_letter_topic, lambda ms: len(ms) >= 1)
    finally:
        stop_worker(worker)

    assert addresses == {"127.0.0.1"}, "the web port must listen on loopback only unless RASAD_WEB_HOST says so"
    assert [d["key"] for d in dead] == ["sasl-bad"]
    log = worker.log_path.read_bytes().decode("utf-8", "replace")
    assert "SaslAuthenticateRequest" in log, "the debug line that carries SASL PLAIN credentials was not logged"
    published = json.dumps([{k: v for k, v in m.items() if k != "key"} for m in events + dead], ensure_ascii=False)
    for form in secret_forms(PASSWORD):
        assert form not in log, f"the password ({form!r}) is in the worker's log"
        assert form not in published, "the password reached a topic"
    auth_lines = [line for line in log.splitlines() if "SaslAuthenticateRequest_v" in line]
    assert auth_lines and all("***" in line for line in auth_lines)
    if log_json:
        records = [json.loads(line) for line in log.splitlines() if line.strip()]
        assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
        assert any(r["logger"] == "aiokafka.conn" and r["level"] == "DEBUG" for r in records)
