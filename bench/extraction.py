"""Extraction only: the `rasad extract` code path (workers.handling.handle over raw lines), one process.

Run as a child (`python -m bench.extraction ARCHIVE`) so the peak RSS is the extractor's, not the harness's.
Only the handle() calls are timed; reading and gunzipping the archive is not part of the figure.
"""

from __future__ import annotations

import gc
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

import click
import orjson

from workers.handling import handle
from workers.io import read_lines
from workers.settings import Settings

from .archive import DEFAULT_STRIDE, REPO, count_lines, strided
from .figures import peak_rss_mb, percentile, process_peak_rss_mb, rate, rss_mb

# The bundled sample reports: lexicons, gazetteer and caches load lazily, on the first reports that need them.
WARMUP = REPO / "workers" / "data" / "examples" / "reports.jsonl"
SLOWEST = 10


def measure(
    path: Path, budget: float | None, stride: int = DEFAULT_STRIDE, limit: int | None = None, skip: int = 0
) -> dict[str, Any]:
    """Handle the archive's lines in strided order, after the first `skip`, until done, `limit` lines, or `budget`
    seconds of handling."""
    max_bytes = Settings.from_env({}).max_report_bytes
    rss_before = rss_mb()
    started = time.perf_counter()
    warm_up(max_bytes)  # a one-off cost per process, not a per-report one
    warmup = time.perf_counter() - started
    rss_loaded = rss_mb()
    total_lines = count_lines(path)
    per_report: list[list[Any]] = []
    kinds = {"events": 0, "no_event": 0, "dead_letter": 0}
    events = 0
    spent = 0.0
    for number, raw in itertools.islice(strided(path, stride), skip, None):
        c = time.thread_time()
        t = time.perf_counter()
        outcome = handle(raw, max_bytes, str(path), None, number)
        dt = time.perf_counter() - t
        cpu_dt = time.thread_time() - c
        spent += dt
        kinds[outcome.kind] += 1
        events += len(outcome.events)
        per_report.append([number, dt, cpu_dt, len(raw), outcome.kind, len(outcome.events)])
        if (limit is not None and len(per_report) >= limit) or (budget is not None and spent >= budget):
            break
    cpu = sum(r[2] for r in per_report)  # handle() only: reading the archive is not the extractor's
    gc.collect()
    times = [r[1] for r in per_report]
    total_bytes = sum(r[3] for r in per_report)
    slowest = sorted(per_report, key=lambda r: r[1], reverse=True)[:SLOWEST]
    return {
        "archive": str(path),
        "archive_reports": total_lines,
        "reports": len(per_report),
        "coverage": round(len(per_report) / total_lines, 4) if total_lines else 0,
        "stride": stride,
        "bytes": total_bytes,
        "seconds": round(spent, 3),
        "cpu_seconds": round(cpu, 3),
        "reports_per_s": rate(len(per_report), spent),
        "reports_per_cpu_s": rate(len(per_report), cpu),
        "mb_per_s": rate(total_bytes / 1e6, spent),
        "outcomes": kinds,
        "events": events,
        "p50_ms": _ms(percentile(times, 50)),
        "p99_ms": _ms(percentile(times, 99)),
        "max_ms": _ms(max(times, default=0.0)),
        "warmup_s": round(warmup, 3),
        "rss_start_mb": round(rss_before, 1),
        "rss_loaded_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(process_peak_rss_mb(os.getpid()) or peak_rss_mb(), 1),
        "slowest": [_describe(path, r) for r in slowest],
        # line number, wall s, CPU s, bytes, outcome, events: lets the parent price any subset of the archive
        "per_report": [[n, round(dt, 6), round(c, 6), size, kind, ev] for n, dt, c, size, kind, ev in per_report],
    }


def warm_up(max_bytes: int) -> None:
    for _, raw in read_lines(WARMUP):
        handle(raw, max_bytes)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def _describe(path: Path, row: list[Any]) -> dict[str, Any]:
    number, dt, _cpu, size, kind, events = row
    raw = next(r for n, r in read_lines(path) if n == number)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = {}
    text = data.get("text") if isinstance(data, dict) else None
    return {
        "line": number,
        "id": data.get("id") if isinstance(data, dict) else None,
        "ms": _ms(dt),
        "bytes": size,
        "chars": len(text) if isinstance(text, str) else None,
        "outcome": kind,
        "events": events,
    }


@click.command(help=__doc__)
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--budget", type=float, default=None, help="Stop after this many seconds of handling.")
@click.option("--limit", type=int, default=None, help="Stop after this many reports.")
@click.option("--stride", type=int, default=DEFAULT_STRIDE, show_default=True)
@click.option("--skip", type=int, default=0, show_default=True, help="Start after this many lines of the order.")
def main(archive: Path, budget: float | None, limit: int | None, stride: int, skip: int) -> None:
    sys.stdout.buffer.write(orjson.dumps(measure(archive, budget, stride, limit, skip)) + b"\n")


if __name__ == "__main__":
    main()
