"""`python -m bench.overhead`: where a worker's CPU goes besides extraction, variant by variant, on one broker.

The same archive reports go through a rasad worker whose `handle()` is real, a no-op, or real with its events
dropped (`bench/variant_worker.py`), the variants alternating round after round so that the machine's drift hits
them alike; and through `handle()` alone in a process of its own. Per variant and round it prints the worker's CPU
per report, the extraction thread's CPU in `handle()` per report inside the worker, and the full garbage
collections. What the figures mean:

- no-op worker CPU: faust, Kafka and the agents around an extraction that costs nothing;
- real `handle()` inside the worker against `handle()` alone: what sharing the process (the GIL, the event loop's
  wake-ups, the heap) costs the extraction;
- real against drop: what the events cost (identity, alerts, their tables and sends).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import click
import orjson

from workers.broker import EmbeddedBroker, free_port
from workers.settings import Settings

from .archive import DEFAULT_ARCHIVE, REPO
from .broker_phases import sample_messages
from .child import run_json
from .e2e import started, throughput
from .figures import load_average, thread_cpu_seconds
from .procs import VARIANT_WORKER
from .variant_worker import VARIANTS

RESULTS = REPO / "bench" / "results" / "overhead.json"
IDLE_S = 3.0  # seconds the worker is left idle before the measured run, for its idle cost per thread
SKIP = 200  # the lines of the strided order the main harness's pilot uses; these are the next ones


def _timing(path: Path) -> dict[str, Any]:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return {"calls": 0, "handle_cpu_s": 0.0, "full_collections": 0, "full_collection_s": 0.0}


async def _one(settings: Settings, variant: str, label: str, messages: list, log_dir: Path) -> dict[str, Any]:
    timing_file = log_dir / f"timing-{label}.json"
    os.environ["BENCH_VARIANT"] = variant
    os.environ["BENCH_TIMING_FILE"] = str(timing_file)
    async with started(settings, label, VARIANT_WORKER, 1, log_dir) as run:
        await asyncio.sleep(0.6)  # a write after the warm-up reports
        pid = run.workers[0].proc.pid
        # What each thread costs with nothing to do: a cost per second, which a slower report rate pays more of.
        idle_before, idle_t0 = thread_cpu_seconds(pid), time.perf_counter()
        await asyncio.sleep(IDLE_S)
        idle_after, idle_s = thread_cpu_seconds(pid), time.perf_counter() - idle_t0
        before, threads_before = _timing(timing_file), thread_cpu_seconds(pid)
        figures = await throughput(run, messages, timeout=600)
        threads_after = thread_cpu_seconds(pid)
        await asyncio.sleep(0.6)  # the worker writes its timing every 0.25 s: let a write follow the last report
        after = _timing(timing_file)
    calls = after["calls"] - before["calls"]
    collections = after["full_collections"] - before["full_collections"]
    collection_s = after["full_collection_s"] - before["full_collection_s"]
    return {
        "variant": variant,
        "reports_per_s": figures["reports_per_s"],
        "worker_cpu_ms_per_report": figures["worker_cpu_ms_per_report"],
        "handle_cpu_ms_per_report": round((after["handle_cpu_s"] - before["handle_cpu_s"]) / calls * 1000, 3)
        if calls
        else None,
        "timed_reports": calls,
        "full_collections": collections,
        "full_collection_ms_each": round(collection_s / collections * 1000, 1) if collections else None,
        "frozen_objects": after.get("frozen_objects"),
        "thread_cpu_ms_per_report": _by_thread(threads_before, threads_after, after.get("threads", {}), len(messages)),
        "idle_thread_cpu_ms_per_s": _by_thread(idle_before, idle_after, after.get("threads", {}), idle_s),
        "load_average": round(load_average(), 2),
    }


async def _run(archive: Path, reports: int, rounds: int, variants: list[str], log_dir: Path) -> dict[str, Any]:
    messages = [m for _, m in sample_messages(archive, reports, skip=SKIP)]
    out: dict[str, Any] = {"reports": len(messages), "rounds": []}
    with tempfile.TemporaryDirectory(prefix="rasad-bench-overhead-") as data_dir:
        broker = EmbeddedBroker(data_dir, port=free_port()).start()
        try:
            # RASAD_* variables apply (e.g. RASAD_EMPTY_FETCH_MAX_WAIT_MS), to compare a setting run by run.
            settings = Settings.from_env(broker=broker.bootstrap, data_dir=Path(data_dir))
            for r in range(rounds):
                for variant in variants:
                    result = await _one(settings, variant, f"{variant}{r}", messages, log_dir)
                    click.echo(_row(r, result), err=True)
                    out["rounds"].append(result)
        finally:
            broker.stop()
    alone = run_json("bench.extraction", [str(archive), "--skip", str(SKIP), "--limit", str(reports)], 600)
    out["extraction_alone_cpu_ms_per_report"] = round(alone["cpu_seconds"] / alone["reports"] * 1000, 3)
    out["medians"] = {
        v: {
            k: statistics.median(r[k] for r in out["rounds"] if r["variant"] == v and r[k] is not None)
            for k in ("worker_cpu_ms_per_report", "handle_cpu_ms_per_report")
            if any(r[k] is not None for r in out["rounds"] if r["variant"] == v)
        }
        for v in variants
    }
    return out


def _by_thread(before: dict[int, float], after: dict[int, float], names: dict[str, str], per: float) -> dict:
    """CPU in ms per report (or per second) of each thread, by Python thread name (threads Python did not start:
    native)."""
    spent: dict[str, float] = {}
    for tid, seconds in after.items():
        name = names.get(str(tid), "native")
        spent[name] = spent.get(name, 0.0) + seconds - before.get(tid, 0.0)
    return {name: round(s / per * 1000, 3) for name, s in sorted(spent.items(), key=lambda kv: -kv[1]) if s > 0}


def _row(r: int, x: dict[str, Any]) -> str:
    gcs = "no full GC"
    if x["full_collections"]:
        gcs = f"{x['full_collections']} full GC ({x['full_collection_ms_each']} ms each)"
    return (
        f"  round {r} {x['variant']:<5} {x['reports_per_s']:>8} reports/s  worker CPU {x['worker_cpu_ms_per_report']} "
        f"ms/report  handle() {x['handle_cpu_ms_per_report']} ms/report  {gcs}  (load {x['load_average']})\n"
        f"    by thread, ms/report: {x['thread_cpu_ms_per_report']}; idle, ms/s: {x['idle_thread_cpu_ms_per_s']}"
    )


def summary(out: dict[str, Any]) -> list[str]:
    """The derived figures, from the medians (lines for the terminal)."""
    med, alone = out["medians"], out["extraction_alone_cpu_ms_per_report"]
    lines = [f"handle() alone, same reports: {alone} ms of CPU per report"]
    real, noop, drop = med.get("real", {}), med.get("noop", {}), med.get("drop", {})
    if "worker_cpu_ms_per_report" in noop:
        lines.append(f"worker around a no-op handle(): {noop['worker_cpu_ms_per_report']} ms per report")
    if "handle_cpu_ms_per_report" in real:
        inside = real["handle_cpu_ms_per_report"]
        lines.append(f"handle() inside the worker: {inside} ms per report, ×{inside / alone:.2f} of alone")
    if "worker_cpu_ms_per_report" in real and "worker_cpu_ms_per_report" in drop:
        events = real["worker_cpu_ms_per_report"] - drop["worker_cpu_ms_per_report"]
        lines.append(f"the events (identity, alerts, their sends): {events:.3f} ms per report")
    if "worker_cpu_ms_per_report" in real:
        worker = real["worker_cpu_ms_per_report"]
        lines.append(
            f"worker with real handle(): {worker} ms per report; overhead {worker - alone:.3f} ms; "
            f"CPU-bound e2e / extraction-only ≈ {alone / worker:.2f} (0.75 needs the overhead ≤ {alone / 3:.3f} ms)"
        )
    return lines


@click.command(help=__doc__)
@click.option("--archive", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_ARCHIVE)
@click.option("--reports", type=int, default=3000, show_default=True)
@click.option("--rounds", type=int, default=2, show_default=True)
@click.option("--variants", default=",".join(VARIANTS), show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=RESULTS, show_default=True)
def main(archive: Path, reports: int, rounds: int, variants: str, out: Path) -> None:
    chosen = [v for v in variants.split(",") if v]
    unknown = set(chosen) - set(VARIANTS)
    if unknown:
        raise click.BadParameter(f"unknown variant(s) {', '.join(sorted(unknown))}; choose from {', '.join(VARIANTS)}")
    started_at = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rasad-bench-overhead-logs-") as logs:
        figures = asyncio.run(_run(archive, reports, rounds, chosen, Path(logs)))
    figures["seconds"] = round(time.perf_counter() - started_at, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(figures, option=orjson.OPT_INDENT_2))
    for line in summary(figures):
        click.echo(line)
    click.echo(f"figures written to {out}")


if __name__ == "__main__":
    main()
