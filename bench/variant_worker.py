"""A rasad worker with its `handle()` swapped or timed, for `python -m bench.overhead`.

`BENCH_VARIANT` picks what `handle()` does in the worker:

- `real`: the real extraction, timed;
- `noop`: returns "no event" at once: what the worker costs around an extraction that costs nothing;
- `drop`: the real extraction, timed, with its events dropped: the extraction without identity and alerts.

The extraction thread's CPU in `handle()` and the time of full garbage collections are written to
`BENCH_TIMING_FILE` (JSON) four times a second by a thread of their own, so the driver can read them before and
after a measured run, with the names of the process's threads by native id. (Written from the extraction thread
every 10 reports, they cost the worker ~1 ms per report: more than the whole worker around a no-op `handle()`.)
"""

from __future__ import annotations

import gc
import os
import threading
import time
from typing import Any

import orjson

from workers import handling

VARIANTS = ("real", "noop", "drop")
WRITE_EVERY_S = 0.25


class Timing:
    """Thread CPU spent in `handle()` and wall time spent in full collections, written out as JSON."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.calls = 0
        self.handle_cpu_s = 0.0
        self.full_collections = 0
        self.full_collection_s = 0.0
        self._gc_started = 0.0
        self._frozen: int | None = None

    def on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.full_collections += 1
            self.full_collection_s += time.perf_counter() - self._gc_started

    def add(self, cpu_s: float) -> None:
        self.calls += 1
        self.handle_cpu_s += cpu_s

    def keep_writing(self) -> None:
        if self.path:
            threading.Thread(target=self._writer, name="bench-timing", daemon=True).start()

    def _writer(self) -> None:
        while True:
            self.write()
            time.sleep(WRITE_EVERY_S)

    def write(self) -> None:
        figures = {k: v for k, v in vars(self).items() if not k.startswith("_") and k != "path"}
        # Counted once the heap is frozen, not at every write: `gc.get_freeze_count()` walks every frozen object
        # (~120,000) holding the GIL, which cost the worker ~0.1 ms per report and slowed its extraction.
        if self._frozen is None and gc.get_freeze_count():
            self._frozen = gc.get_freeze_count()
        figures["frozen_objects"] = self._frozen
        # Python's thread names by native id, so the driver can split the process's CPU by thread from /proc.
        figures["threads"] = {str(t.native_id): t.name for t in threading.enumerate() if t.native_id is not None}
        with open(self.path, "wb") as f:  # type: ignore[arg-type]
            f.write(orjson.dumps(figures))


def install(variant: str, timing: Timing) -> None:
    """Swap `workers.handling.handle` before the agents import it."""
    if variant not in VARIANTS:
        raise SystemExit(f"BENCH_VARIANT must be one of {', '.join(VARIANTS)}, not {variant!r}")
    real = handling.handle

    def timed(*args: Any, **kwargs: Any) -> handling.Outcome:
        started = time.thread_time()
        outcome = real(*args, **kwargs)
        timing.add(time.thread_time() - started)
        if variant == "drop":
            return handling.Outcome(outcome.report_id, dead_letter=outcome.dead_letter)
        return outcome

    def noop(*args: Any, **kwargs: Any) -> handling.Outcome:
        timing.add(0.0)
        return handling.Outcome(None)

    handling.handle = noop if variant == "noop" else timed  # type: ignore[assignment]
    gc.callbacks.append(timing.on_gc)


def main() -> None:
    timing = Timing(os.environ.get("BENCH_TIMING_FILE"))
    install(os.environ.get("BENCH_VARIANT", "real"), timing)
    timing.keep_writing()
    from workers.cli import main as rasad  # imported after the swap: the extract agent takes `handle` at import

    rasad(["worker"])


if __name__ == "__main__":
    main()
