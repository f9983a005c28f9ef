"""Worker processes for the end-to-end phases: real `rasad worker`s (or the faust passthrough) with RASAD_* env."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import orjson

from workers.broker import free_port
from workers.settings import Settings

from .archive import REPO
from .figures import process_cpu_seconds, process_peak_rss_mb

RASAD_WORKER = ("workers.cli", "worker")
# A rasad worker whose handle() is swapped or timed (bench/variant_worker.py, for bench/overhead.py).
VARIANT_WORKER = ("bench.variant_worker",)
RASAD_APPS = (RASAD_WORKER, VARIANT_WORKER)
FAUST_PASSTHROUGH = ("bench.faust_passthrough",)


@dataclass
class Worker:
    proc: subprocess.Popen[bytes]
    web_port: int
    log: Path

    @property
    def stats_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}/rasad/stats/"

    def stats(self) -> dict[str, int] | None:
        """The worker's outcome counters, None while its web server is not up."""
        try:
            with urllib.request.urlopen(self.stats_url, timeout=2) as response:
                return orjson.loads(response.read())
        except (OSError, ValueError):
            return None

    def cpu_seconds(self) -> float | None:
        return process_cpu_seconds(self.proc.pid)

    def peak_rss_mb(self) -> float | None:
        return process_peak_rss_mb(self.proc.pid)

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"worker exited with code {self.proc.returncode}; log {self.log}:\n{tail}")


def settings_env(settings: Settings) -> dict[str, str]:
    """The process environment with RASAD_* replaced by these settings (none of the caller's leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASAD_")}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if value is not None:
            env["RASAD_" + f.name.upper()] = str(value)
    return env


@contextlib.contextmanager
def running(
    settings: Settings, count: int, log_dir: Path, command: tuple[str, ...] = RASAD_WORKER
) -> Iterator[list[Worker]]:
    """`count` worker processes in one consumer group, each in its own process group, stopped at the end."""
    workers: list[Worker] = []
    # Each run's workers get their own data dir. faust creates its datadir (workers/app.py puts it at
    # <data dir>/faust/<app>-data) without parents, so the "faust" folder is made here.
    data_dir = log_dir / f"data-{settings.app_id}"
    (data_dir / "faust").mkdir(parents=True, exist_ok=True)
    settings = replace(settings, data_dir=data_dir)
    try:
        for i in range(count):
            env = settings_env(settings)
            port = free_port()
            env["RASAD_WEB_PORT"] = str(port)
            log = log_dir / f"{command[0].replace('.', '-')}-{settings.app_id}-{i}.log"
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", *command],
                    cwd=REPO,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            workers.append(Worker(proc, port, log))
        yield workers
    finally:
        for w in workers:
            _stop(w.proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


async def total_stats(workers: list[Worker]) -> dict[str, int] | None:
    """Counters summed over the workers; None until every worker answers."""
    answers = await asyncio.gather(*(asyncio.to_thread(w.stats) for w in workers))
    if any(a is None for a in answers):
        return None
    total: dict[str, int] = {}
    for answer in answers:
        for key, value in (answer or {}).items():
            total[key] = total.get(key, 0) + int(value)
    return total


def describe(workers: list[Worker]) -> dict[str, Any]:
    return {"processes": len(workers), "peak_rss_mb": [w.peak_rss_mb() for w in workers]}
