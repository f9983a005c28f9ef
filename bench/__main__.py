"""`python -m bench` (`make bench`): every benchmark phase in one run, a table on stdout, the figures as JSON.

Phases: extraction only (one process, then two at once), a profile of the extractor, adversarial inputs,
then on one embedded broker: aiokafka and faust passthroughs, one rasad worker (throughput, then latency
at half its capacity) and two workers on four partitions. Each phase runs in its own process(es).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from . import report
from .adversarial import DEFAULT_SIZES, FAMILIES
from .adversarial import run_all as run_adversarial
from .archive import DEFAULT_ARCHIVE, REPO
from .child import run_json
from .figures import load_average, machine

PHASES = ("extraction", "parallel", "profile", "adversarial", "broker")
RESULTS = REPO / "bench" / "results" / "latest.json"
DOCS_JSON = REPO / "docs" / "benchmarks.json"


def say(message: str) -> None:
    click.echo(f"[{time.strftime('%H:%M:%S')}] {message}", err=True)


def _terminated(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


@click.command(help=__doc__)
@click.option("--archive", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_ARCHIVE)
@click.option("--extract-budget", type=float, default=240.0, show_default=True, help="Seconds of extraction at most.")
@click.option("--e2e-seconds", type=float, default=20.0, show_default=True, help="Aimed length of an e2e run.")
@click.option("--e2e-max-reports", type=int, default=6000, show_default=True, help="Cap on reports per e2e run.")
@click.option("--latency-seconds", type=float, default=20.0, show_default=True)
@click.option("--passthrough-messages", type=int, default=15_000, show_default=True)
@click.option("--profile-reports", type=int, default=3000, show_default=True)
@click.option("--adversarial-sizes", default=",".join(map(str, DEFAULT_SIZES)), show_default=True)
@click.option("--adversarial-families", default=",".join(FAMILIES), show_default=True)
@click.option("--adversarial-limit", type=float, default=10.0, show_default=True, help="Per-input seconds.")
@click.option("--skip", type=click.Choice(PHASES), multiple=True, help="Leave a phase out (repeatable).")
@click.option("--broker", default=None, help="Use this Kafka broker instead of an embedded one.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=RESULTS, show_default=True)
@click.option("--docs-json/--no-docs-json", default=True, help=f"Also write {DOCS_JSON.relative_to(REPO)}.")
def main(
    archive: Path,
    extract_budget: float,
    e2e_seconds: float,
    e2e_max_reports: int,
    latency_seconds: float,
    passthrough_messages: int,
    profile_reports: int,
    adversarial_sizes: str,
    adversarial_families: str,
    adversarial_limit: float,
    skip: tuple[str, ...],
    broker: str | None,
    out: Path,
    docs_json: bool,
) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # `kill` ends a run like Ctrl-C: the embedded broker and the workers are stopped, not left running.
    signal.signal(signal.SIGTERM, _terminated)
    started = time.monotonic()
    results: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": _git(),
        "machine": machine(),
        "archive": _shown(archive),
        "load_average": {"start": round(load_average(), 2)},
    }
    extraction: dict[str, Any] = {}
    if "extraction" not in skip:
        say(f"extraction only over {archive.name} (at most {extract_budget:.0f} s)")
        extraction = _phase(
            results,
            "extraction",
            lambda: run_json(
                "bench.extraction", [str(archive), "--budget", str(extract_budget)], timeout=extract_budget * 3 + 120
            ),
        )
    rate = (extraction or {}).get("reports_per_s") or 100.0
    if "parallel" not in skip:
        limit = max(50, int(rate * 8))
        say(f"extraction only, two processes at once ({limit} reports each)")
        _phase(results, "extraction_2_processes", lambda: _parallel(archive, limit))
    if "profile" not in skip:
        say(f"profile of the extractor ({profile_reports} reports, sampled then cProfile)")
        _phase(
            results,
            "profile",
            lambda: run_json("bench.profiling", [str(archive), "--limit", str(profile_reports)], timeout=900),
        )
    if "adversarial" not in skip:
        sizes = tuple(int(s) for s in adversarial_sizes.split(",") if s.strip())
        families = [f for f in adversarial_families.split(",") if f in FAMILIES]
        say(f"adversarial inputs: {len(families)} families at {len(sizes)} sizes")
        _phase(results, "adversarial", lambda: run_adversarial(families, sizes, adversarial_limit, archive))
    if "broker" not in skip:
        say("on the broker: one worker, the passthrough baselines, two workers")
        with tempfile.TemporaryDirectory(prefix="rasad-bench-logs-") as logs:
            from .broker_phases import run_all

            def on_broker() -> dict[str, Any]:
                return asyncio.run(
                    run_all(
                        archive,
                        e2e_seconds,
                        e2e_max_reports,
                        latency_seconds,
                        passthrough_messages,
                        300.0,
                        broker,
                        Path(logs),
                        say,
                    )
                )

            _phase(results, "broker", on_broker)
        lines = set((results.get("broker") or {}).pop("lines", []))
        if extraction and lines:
            results["broker"]["extraction_same_messages"] = report.same_messages(extraction, lines)
    if extraction:
        extraction.pop("per_report", None)
        extraction["archive"] = _shown(archive)
    results["ratios"] = report.ratios(results)
    results["targets"] = report.targets(results)
    results["load_average"]["end"] = round(load_average(), 2)
    results["duration_s"] = round(time.monotonic() - started, 1)
    paths = [out] + ([DOCS_JSON] if docs_json else [])
    report.write(results, paths)
    click.echo(report.table(results))
    say("figures written to " + ", ".join(str(p) for p in paths))


def _phase(results: dict[str, Any], name: str, run: Any) -> dict[str, Any]:
    """Run one phase; a failure is recorded in the results and the other phases still run."""
    try:
        results[name] = run()
    except Exception as exc:
        say(f"{name} failed: {type(exc).__name__}: {exc}")
        results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return results[name]


def _parallel(archive: Path, limit: int) -> dict[str, Any]:
    """One extraction process, then two at once over the same reports: what the second core adds. The
    single run is repeated here, just before the pair, so both see the same machine load."""
    args = [str(archive), "--limit", str(limit)]
    alone = run_json("bench.extraction", args, timeout=limit + 300)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _: run_json("bench.extraction", args, timeout=limit + 300), range(2)))
    return {
        "processes": 2,
        "reports_each": limit,
        "per_process_reports_per_s": [r["reports_per_s"] for r in runs],
        "reports_per_s": round(sum(r["reports_per_s"] or 0 for r in runs), 2),
        "one_process_reports_per_s": alone["reports_per_s"],
    }


def _shown(path: Path) -> str:
    """A path as the committed JSON should show it: relative to the repository, not to this machine."""
    return os.path.relpath(path.resolve(), REPO)


def _git() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    changed = [line for line in git("status", "--porcelain").splitlines() if line.strip()]
    return {"commit": git("rev-parse", "--short", "HEAD") or None, "uncommitted_files": len(changed)}


if __name__ == "__main__":
    sys.exit(main())
