"""End to end on the broker: reports in, every report accounted for, throughput, latency, scaling.

Every run gets fresh topics and a fresh consumer group, starts its processes (real `rasad worker`s or a
passthrough), warms them up with one report per partition, then produces the measured messages as fast
as the client allows. A run is complete when every report is accounted for: the workers' outcome counters
(/rasad/stats/: events, no event, dead letter) have counted all of them, event identity has handled every
extraction on the internal topic, and every event it published is on the events topic. Passthroughs have
no "no event" outcome, so for them the events topic's end offsets say it. Worker CPU is read from /proc,
so the CPU cost per report survives a busy machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from workers.settings import Settings

from .archive import REPO
from .figures import percentile, rate
from .kafka import Deadline, Message, Offsets, drop_run_topics, fresh, produce_all, producer, read_from
from .procs import RASAD_APPS, Worker, running, total_stats

AIOKAFKA_PASSTHROUGH = ("bench.passthrough",)
STARTUP_SECONDS = 180.0
POLL = 0.05
IDLE_SECONDS = 3.0
WARMUP = (REPO / "workers" / "data" / "examples" / "reports.jsonl").read_bytes().splitlines()[0]


@dataclass(frozen=True)
class Progress:
    reports: int  # reports the workers have handled (any outcome); for passthroughs, messages forwarded
    published: int  # messages the workers say they sent to the events topic
    settled: bool  # every extraction on the internal topic has been through event identity (or no such stage)
    landed: int  # messages on the events topic

    def accounted(self, expected_reports: int) -> bool:
        return self.reports >= expected_reports and self.settled and self.landed >= self.published


@dataclass
class Run:
    settings: Settings
    workers: list[Worker]
    events: Offsets
    extractions: Offsets | None  # the internal extractions topic, when the app has an event identity stage
    counted: bool  # True when the processes serve /rasad/stats/ (rasad and faust workers)
    idle_cpu_share: float | None = None  # CPU the processes burn with nothing to do (cores, summed)

    async def progress(self) -> Progress:
        for w in self.workers:
            w.check_alive()
        landed = await self.events.total()
        if not self.counted:
            return Progress(landed, landed, True, landed)
        stats = await total_stats(self.workers)
        if stats is None:
            return Progress(-1, 0, False, landed)
        identity = {k: v for k, v in stats.items() if k.startswith("identity.")}
        if self.extractions is None or not identity:
            # No identity stage (the faust passthrough): `events` counts what went to the events topic.
            return Progress(stats.get("reports", 0), stats.get("events", 0), True, landed)
        # Identity folds per-report extractions into events; it publishes only created or revised ones. It is
        # settled when it has handled every extraction on the internal topic. (Not compared with the stats'
        # `events` counter: that one also counts each report that had events, workers/agents/extract.py.)
        extracted = await self.extractions.total()
        published = identity.get("identity.created", 0) + identity.get("identity.revised", 0)
        return Progress(stats.get("reports", 0), published, sum(identity.values()) >= extracted, landed)

    def cpu_seconds(self) -> float:
        return sum(w.cpu_seconds() or 0.0 for w in self.workers)


@contextlib.asynccontextmanager
async def started(
    base: Settings, label: str, command: tuple[str, ...], processes: int, log_dir: Path
) -> AsyncIterator[Run]:
    settings = await fresh(base, label)
    events = await Offsets(settings, settings.events_topic).start()
    internal = getattr(settings, "extractions_topic_name", None)
    extractions = await Offsets(settings, internal).start() if internal and command in RASAD_APPS else None
    try:
        with running(settings, processes, log_dir, command) as workers:
            run = Run(settings, workers, events, extractions, counted=command != AIOKAFKA_PASSTHROUGH)
            await _warm_up(run)
            run.idle_cpu_share = await _idle_cpu(run)
            yield run
    finally:
        await events.stop()
        if extractions is not None:
            await extractions.stop()
        await drop_run_topics(settings)


async def _warm_up(run: Run) -> None:
    """One report per partition, again until every process has handled one: all are assigned partitions,
    have loaded their lexicons, and the group has settled."""
    deadline = Deadline(STARTUP_SECONDS, f"{len(run.workers)} process(es) of {run.settings.app_id} to start")
    sent = 0
    while True:
        for p in range(run.settings.partitions):
            await produce_all(run.settings, run.settings.reports_topic, [(b"warm-up", WARMUP)], partition=p)
        sent += run.settings.partitions
        await _until_done(run, Progress(0, 0, True, 0), sent, deadline)
        each = [await asyncio.to_thread(w.stats) for w in run.workers] if run.counted else [{"reports": 1}]
        if all((s or {}).get("reports", 0) > 0 for s in each):
            return
        deadline.check()
        await asyncio.sleep(0.5)  # a pause between rounds, not a wait for an outcome: the loop checks that


async def _idle_cpu(run: Run, seconds: float = IDLE_SECONDS) -> float:
    """CPU used while there is nothing to consume. A Kafka consumer should be near zero (a fetch waits on
    the broker up to fetch_max_wait_ms); noida-db answers empty fetches at once, so clients spin."""
    cpu0, t0 = run.cpu_seconds(), time.perf_counter()
    await asyncio.sleep(seconds)  # measuring idleness itself: nothing to wait for
    return round((run.cpu_seconds() - cpu0) / (time.perf_counter() - t0), 3)


async def _until_done(run: Run, before: Progress, expected: int, deadline: Deadline) -> Progress:
    """Poll until `expected` more reports are accounted for; the counters are cumulative over the run. Two
    polls in a row must agree: a report is counted as soon as its messages are handed to the producer, a
    few milliseconds before they are on the broker."""
    previous: Progress | None = None
    while True:
        now = await run.progress()
        if now.accounted(before.reports + expected) and now == previous:
            return now
        previous = now
        try:
            deadline.check()
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; before {before}, now {now}") from None
        await asyncio.sleep(POLL)


async def throughput(run: Run, messages: list[Message], timeout: float) -> dict[str, Any]:
    """Produce `messages` at once and time until every one is accounted for."""
    before = await run.progress()
    cpu0 = run.cpu_seconds()
    started_at = time.perf_counter()
    await produce_all(run.settings, run.settings.reports_topic, messages)
    produced = time.perf_counter() - started_at
    after = await _until_done(run, before, len(messages), Deadline(timeout, f"{len(messages)} reports"))
    seconds = time.perf_counter() - started_at
    cpu = run.cpu_seconds() - cpu0
    return {
        "reports": len(messages),
        "bytes": sum(len(v) for _, v in messages),
        "seconds": round(seconds, 3),
        "produce_seconds": round(produced, 3),
        "reports_per_s": rate(len(messages), seconds),
        "mb_per_s": rate(sum(len(v) for _, v in messages) / 1e6, seconds),
        "worker_cpu_seconds": round(cpu, 3),
        "worker_cpu_ms_per_report": round(cpu / len(messages) * 1000, 3),
        # Worker CPU per second of the run (1.0 = one core busy): well under the process count means the
        # workers waited (on the broker, on acknowledgements) or the machine gave them less than a core.
        "worker_cpu_utilisation": round(cpu / seconds, 2),
        "idle_worker_cpu_share": run.idle_cpu_share,
        "events_on_topic": after.landed - before.landed,
        "processes": len(run.workers),
        "worker_peak_rss_mb": [w.peak_rss_mb() for w in run.workers],
    }


async def latency(run: Run, messages: list[Message], offered: float, timeout: float) -> dict[str, Any]:
    """Produce at a fixed rate with each report's send time as its timestamp; produce→event latency is each
    event's timestamp (set when the worker sent it) minus its report's."""
    before = await run.progress()
    offsets = await run.events.by_partition()
    internal = await run.extractions.by_partition() if run.extractions else None
    sent_at: dict[str, int] = {}
    prod = producer(run.settings)
    await prod.start()
    try:
        futures = []
        t0 = time.perf_counter()
        for i, (key, value) in enumerate(messages):
            delay = t0 + i / offered - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)  # pacing the offered load, not waiting for an outcome
            ts = int(time.time() * 1000)
            sent_at[key.decode()] = ts
            futures.append(await prod.send(run.settings.reports_topic, key=key, value=value, timestamp_ms=ts))
        for f in futures:
            await f
        produce_seconds = time.perf_counter() - t0
    finally:
        await prod.stop()
    await _until_done(run, before, len(messages), Deadline(timeout, "the latency run to drain"))
    drained = time.perf_counter() - t0
    records = await read_from(run.settings, offsets, await run.events.by_partition())
    per_event, per_report = _latencies(records, sent_at)
    hop: dict[str, Any] = {}
    if run.extractions is not None and internal is not None:
        # The first hop alone (report → its extractions on the internal topic), to see where the time goes.
        extractions = await read_from(run.settings, internal, await run.extractions.by_partition())
        first_hop, _ = _latencies(extractions, sent_at)
        hop = {
            "report_to_extraction_p50_ms": _round(percentile(first_hop, 50)),
            "report_to_extraction_p99_ms": _round(percentile(first_hop, 99)),
        }
    return {
        "offered_reports_per_s": round(offered, 2),
        "achieved_offered_per_s": rate(len(messages), produce_seconds),
        "reports": len(messages),
        "seconds_to_drain": round(drained, 3),
        "events": len(per_event),
        "reports_with_events": len(per_report),
        "p50_ms": _round(percentile(per_event, 50)),
        "p99_ms": _round(percentile(per_event, 99)),
        "max_ms": _round(max(per_event, default=None)),
        "report_last_event_p99_ms": _round(percentile(list(per_report.values()), 99)),
        "timestamp_types": sorted({r.timestamp_type for r in records}),
        **hop,
    }


def _latencies(records: list[Any], sent_at: dict[str, int]) -> tuple[list[float], dict[str, float]]:
    """Per output message, its timestamp minus its report's; and per report, its slowest output."""
    per_event: list[float] = []
    per_report: dict[str, float] = {}
    for r in records:
        # An event revised by a later report is that report's output: take the latest report sent before it.
        ids = [i for i in _report_ids(r.key, r.value) if sent_at.get(i, 1e18) <= r.timestamp]
        if ids:
            report_id = max(ids, key=lambda i: sent_at[i])
            ms = float(r.timestamp - sent_at[report_id])
            per_event.append(ms)
            per_report[report_id] = max(per_report.get(report_id, 0.0), ms)
    return per_event, per_report


def _report_ids(key: bytes | None, value: bytes) -> list[str]:
    """The reports an output message came from: an event names them; a passthrough's output is the report."""
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError:
        data = None
    if isinstance(data, dict) and (data.get("report_ids") or data.get("report_id")):
        return list(data.get("report_ids") or [data["report_id"]])
    return [key.decode("utf-8", "replace")] if key else []


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
