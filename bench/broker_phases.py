"""The broker phases in order, on one broker (an embedded noida-db on a free port unless told otherwise):

1. one rasad worker: a pilot run sizes the measured run to about `e2e_seconds`; then latency at half the
   measured capacity;
2. the baselines on the same messages: a plain aiokafka passthrough and a bare faust passthrough, each for
   throughput and for latency at the same offered rate as the worker's (the floor the broker and faust set);
3. two rasad workers in one group on four partitions, on the worker's measured messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from workers.broker import EmbeddedBroker, free_port, group_members
from workers.settings import Settings

from . import worker_profile
from .archive import message_key, strided
from .child import run_json
from .e2e import AIOKAFKA_PASSTHROUGH, Run, latency, started, throughput
from .figures import load_average, process_cpu_seconds
from .kafka import Message
from .procs import FAUST_PASSTHROUGH, RASAD_WORKER

log = logging.getLogger(__name__)

PILOT_REPORTS = 200
MIN_REPORTS = 200


def sample_messages(archive: Path, count: int, skip: int = 0) -> list[tuple[int, Message]]:
    """`count` archive lines in the strided order after the first `skip`, keyed like `rasad replay` keys
    them, with their line numbers."""
    lines = itertools.islice(strided(archive), skip, skip + count)
    return [(number, (message_key(raw, number), raw)) for number, raw in lines]


def repeated(messages: list[Message], at_least: int) -> list[Message]:
    """The same messages again and again until there are `at_least` (passthroughs need volume to time)."""
    return [messages[i % len(messages)] for i in range(max(at_least, len(messages)))]


async def run_all(
    archive: Path,
    e2e_seconds: float,
    max_reports: int,
    latency_seconds: float,
    passthrough_at_least: int,
    timeout: float,
    broker: str | None,
    log_dir: Path,
    announce: Callable[[str], None] = print,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rasad-bench-broker-") as data_dir:
        embedded = None if broker else EmbeddedBroker(data_dir, port=free_port()).start()
        try:
            address = broker or embedded.bootstrap  # type: ignore[union-attr]
            phases = Phases(
                # RASAD_* variables apply to every process of the run, so a setting can be compared run by run.
                Settings.from_env(broker=address, data_dir=Path(data_dir)),
                archive,
                timeout,
                log_dir,
                announce,
                embedded.pid if embedded else None,
            )
            phases.out["broker"] = f"{broker} (external)" if broker else f"embedded noida-db on {address}"
            await phases.run(e2e_seconds, max_reports, latency_seconds, passthrough_at_least)
            return phases.out
        finally:
            if embedded is not None:
                embedded.stop()


class Phases:
    def __init__(
        self,
        settings: Settings,
        archive: Path,
        timeout: float,
        log_dir: Path,
        announce: Callable[[str], None],
        broker_pgid: int | None,
    ) -> None:
        self.settings = settings
        self.archive = archive
        self.timeout = timeout
        self.log_dir = log_dir
        self.announce = announce
        self.broker_pgid = broker_pgid
        self.out: dict[str, Any] = {}

    async def attempt(self, name: str, coro: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any] | None:
        try:
            self.out[name] = await coro
        except Exception as exc:  # one failed phase must not lose the others' figures
            log.warning("phase %s failed: %s: %s", name, type(exc).__name__, exc)
            self.out[name] = {"error": f"{type(exc).__name__}: {exc}"}
            return None
        return self.out[name]

    def broker_cpu(self) -> float | None:
        """CPU seconds used so far by the embedded broker's processes (None for an external broker)."""
        if self.broker_pgid is None:
            return None
        return sum(process_cpu_seconds(pid) or 0.0 for pid in group_members(self.broker_pgid))

    async def measure(self, run: Run, messages: list[Message], profile: bool = False) -> dict[str, Any]:
        """Throughput, plus the broker's CPU per report over the same run (and a py-spy profile of the worker)."""
        cpu0 = self.broker_cpu()
        sampled: dict[str, Any] = {}
        with worker_profile.sampling(run.workers[0].proc.pid, sampled) if profile else contextlib.nullcontext():
            result = await throughput(run, messages, self.timeout)
        if profile:
            result["worker_profile"] = sampled
        result["load_average"] = round(load_average(), 2)
        cpu1 = self.broker_cpu()
        if cpu0 is not None and cpu1 is not None:
            result["broker_cpu_ms_per_report"] = round((cpu1 - cpu0) / len(messages) * 1000, 3)
        return result

    async def extraction_only(self, skip: int, count: int) -> dict[str, Any]:
        """`handle()` alone, in a process of its own, over the messages the worker was just measured on: the
        e2e / extraction-only ratio from one run, minutes apart at most (the machine's load changes by the minute)."""
        args = [str(self.archive), "--skip", str(skip), "--limit", str(count)]
        ext = await asyncio.to_thread(run_json, "bench.extraction", args, self.timeout + count)
        keep = ("reports", "seconds", "cpu_seconds", "reports_per_s", "reports_per_cpu_s", "p50_ms", "p99_ms", "max_ms")
        return {k: ext[k] for k in keep} | {
            "cpu_ms_per_report": round(ext["cpu_seconds"] / ext["reports"] * 1000, 3) if ext["reports"] else None,
            "load_average": round(load_average(), 2),
        }

    async def run(self, e2e_seconds: float, max_reports: int, latency_seconds: float, at_least: int) -> None:
        s = self.settings
        pilot = [m for _, m in sample_messages(self.archive, PILOT_REPORTS)]
        used = len(pilot)
        measured: list[Message] = []
        latency_messages: list[Message] = []
        offered = 0.0

        async def one_worker() -> dict[str, Any]:
            nonlocal used, measured, latency_messages, offered
            async with started(s, "rasad1", RASAD_WORKER, 1, self.log_dir) as run:
                self.announce(f"end to end, 1 rasad worker: pilot of {len(pilot)} reports")
                capacity = (await throughput(run, pilot, self.timeout))["reports_per_s"] or 1.0
                count = min(max(MIN_REPORTS, int(capacity * e2e_seconds)), max_reports)
                numbered = sample_messages(self.archive, count, skip=used)
                skipped, used = used, used + len(numbered)
                measured = [m for _, m in numbered]
                self.out["lines"] = [n for n, _ in numbered]
                self.announce(f"end to end, 1 rasad worker: {len(measured)} reports")
                one = await self.measure(run, measured, profile=True)
                self.announce(f"extraction only, same {len(measured)} reports, right after (the worker idle)")
                await self.attempt("extraction_same_run", self.extraction_only(skipped, len(measured)))
                offered = (one["reports_per_s"] or 1.0) / 2
                latency_messages = [
                    m for _, m in sample_messages(self.archive, max(20, int(offered * latency_seconds)), skip=used)
                ]
                used += len(latency_messages)
                self.out["e2e_1_worker"] = one
                self.announce(f"latency at {offered:.1f} reports/s (half of capacity): {len(latency_messages)} reports")
                await self.attempt("latency", latency(run, latency_messages, offered, self.timeout))
                return one

        if await self.attempt("e2e_1_worker", one_worker()) is None and not measured:
            return
        self.out["reports"] = len(measured)

        async def passthrough(command: tuple[str, ...], label: str, count: int) -> dict[str, Any]:
            async with started(s, label, command, 1, self.log_dir) as run:
                result = await self.measure(run, repeated(measured, count))
                if latency_messages:
                    result["latency"] = await latency(run, latency_messages, offered, self.timeout)
                return result

        self.announce(f"aiokafka passthrough: {max(at_least, len(measured))} messages, then latency")
        await self.attempt("aiokafka_passthrough", passthrough(AIOKAFKA_PASSTHROUGH, "aiokafka", at_least))
        self.announce(f"faust passthrough: {max(at_least // 4, len(measured))} messages, then latency")
        await self.attempt("faust_passthrough", passthrough(FAUST_PASSTHROUGH, "faust", at_least // 4))

        async def two_workers() -> dict[str, Any]:
            async with started(s, "rasad2", RASAD_WORKER, 2, self.log_dir) as run:
                self.announce(f"end to end, 2 rasad workers on {s.partitions} partitions: {len(measured)} reports")
                return await self.measure(run, measured)

        await self.attempt("e2e_2_workers", two_workers())
