"""Where the extractor's time goes: per-stage shares and hot functions (sampled), call counts (cProfile).

Run as a child (`python -m bench.profiling ARCHIVE --limit N`). Both passes run the real handle() path over
the same reports. The sampler adds little overhead, so its shares are the figures to quote; cProfile inflates
functions that make many small calls, so its numbers are for call counts and C-level hot spots (regex, str).
"""

from __future__ import annotations

import cProfile
import itertools
import pstats
import sys
import time
from pathlib import Path
from typing import Any

import click
import orjson

from workers.handling import handle
from workers.intake import parse_report
from workers.pipeline.document import Document
from workers.pipeline.run import PIPELINE
from workers.settings import Settings

from .archive import DEFAULT_STRIDE, REPO, strided
from .extraction import warm_up
from .sampler import Key, Sampler, code_key

TOP = 15


def _steps() -> dict[Key, str]:
    """The named steps of handle(): intake, normalisation, then each pipeline stage."""
    steps = {
        code_key(parse_report.__code__): "intake (parse_report)",
        code_key(Document.from_report.__func__.__code__): "normalise (Document.from_report)",  # type: ignore[attr-defined]
    }
    for stage in PIPELINE:
        steps[code_key(stage.__code__)] = f"{stage.__module__.rsplit('.', 1)[-1]}.{stage.__name__}"
    return steps


def sampled(lines: list[bytes], max_bytes: int, top: int = TOP) -> dict[str, Any]:
    started = time.perf_counter()
    with Sampler() as sampler:
        for raw in lines:
            handle(raw, max_bytes)
    seconds = time.perf_counter() - started
    total = sampler.samples or 1
    handle_key = code_key(handle.__code__)
    in_handle = sampler.inclusive[handle_key] or 1
    stages = [{"stage": name, "share": round(sampler.inclusive[key] / in_handle, 3)} for key, name in _steps().items()]
    rest = max(0.0, 1 - sum(s["share"] for s in stages))
    stages.append({"stage": "rest of handle()", "share": round(rest, 3)})
    return {
        "reports": len(lines),
        "seconds": round(seconds, 3),
        "samples": sampler.samples,
        "stages": sorted(stages, key=lambda s: s["share"], reverse=True),
        "by_own_time": [{"function": _name(k), "share": round(n / total, 3)} for k, n in sampler.own.most_common(top)],
        "ours_by_inclusive_time": [
            {"function": _name(k), "share": round(n / total, 3)}
            for k, n in sampler.inclusive.most_common()
            if "/workers/" in k[0] and k != handle_key
        ][:top],
    }


def call_counts(lines: list[bytes], max_bytes: int, top: int = TOP) -> dict[str, Any]:
    """cProfile over handle(): the top functions by own time, C functions included, with call counts."""
    profiler = cProfile.Profile()
    profiler.enable()
    for raw in lines:
        handle(raw, max_bytes)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = [
        {
            "function": _name(key),
            "calls": calls,
            "own_s": round(own, 3),
            "own_share": round(own / total, 3) if total else None,
        }
        for key, (_cc, calls, own, _inclusive, _callers) in stats.stats.items()  # type: ignore[attr-defined]
    ]
    return {
        "profiled_seconds": round(total, 3),
        "by_own_time": sorted(rows, key=lambda r: r["own_s"], reverse=True)[:top],
    }


def _name(key: Key) -> str:
    filename, line, name = key
    if filename == "~":  # a C function
        return name
    for marker in ("/workers/", "/site-packages/", "/lib/python3"):
        if marker in filename:
            filename = filename[filename.index(marker) + 1 :]
            break
    else:
        try:
            filename = str(Path(filename).relative_to(REPO))
        except ValueError:
            pass
    return f"{filename}:{line}({name})"


def measure(path: Path, limit: int, stride: int = DEFAULT_STRIDE) -> dict[str, Any]:
    max_bytes = Settings.from_env({}).max_report_bytes
    warm_up(max_bytes)
    lines = [raw for _, raw in itertools.islice(strided(path, stride), limit)]
    return {"sampled": sampled(lines, max_bytes), "cprofile": call_counts(lines, max_bytes)}


@click.command(help=__doc__)
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=int, default=3000, show_default=True, help="Reports to profile.")
@click.option("--stride", type=int, default=DEFAULT_STRIDE, show_default=True)
def main(archive: Path, limit: int, stride: int) -> None:
    sys.stdout.buffer.write(orjson.dumps(measure(archive, limit, stride)) + b"\n")


if __name__ == "__main__":
    main()
