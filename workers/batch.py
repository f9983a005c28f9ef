"""Offline batch extraction: archive lines in, per-line outcomes out, in input order, on one or many cores.

Memory stays constant whatever the archive's size: lines go to the worker processes in small batches and at
most a few batches per process are in flight; results come back in submission order, so `--jobs N` writes
exactly what `--jobs 1` writes.
"""

from __future__ import annotations

import concurrent.futures
import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson

from .handling import handle, warm_up

BATCH_LINES = 32
BATCHES_IN_FLIGHT_PER_JOB = 4


@dataclass(frozen=True, slots=True)
class LineResult:
    """What one archive line became: `events` is the JSONL to print (one line per event), ready to write."""

    source: str
    number: int
    kind: str  # events | no_event | dead_letter
    events: bytes
    event_count: int
    reason: str | None


Line = tuple[str, int, bytes]  # (file name, line number, raw bytes)


def extract_line(line: Line, max_bytes: int) -> LineResult:
    """The agent's code path (handling.handle) on one archive line."""
    source, number, raw = line
    outcome = handle(raw, max_bytes, source, None, number)
    events = b"".join(orjson.dumps(e.to_dict()) + b"\n" for e in outcome.events)
    reason = outcome.dead_letter.reason if outcome.dead_letter is not None else None
    return LineResult(source, number, outcome.kind, events, len(outcome.events), reason)


def _extract_batch(batch: list[Line], max_bytes: int) -> list[LineResult]:
    return [extract_line(line, max_bytes) for line in batch]


def extract_lines(lines: Iterable[Line], max_bytes: int, jobs: int = 1) -> Iterator[LineResult]:
    """Outcomes of `lines`, in their order; `jobs` > 1 spreads batches over that many processes."""
    if jobs <= 1:
        for line in lines:
            yield extract_line(line, max_bytes)
        return
    batches = _batches(lines, BATCH_LINES)
    warm_up()  # with fork, the children inherit the lexicons and the gazetteer loaded
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=warm_up) as pool:
        pending: deque[concurrent.futures.Future[list[LineResult]]] = deque()
        try:
            for batch in itertools.islice(batches, jobs * BATCHES_IN_FLIGHT_PER_JOB):
                pending.append(pool.submit(_extract_batch, batch, max_bytes))
            while pending:
                results = pending.popleft().result()
                # Refill before yielding so the workers stay busy while the caller writes.
                for batch in itertools.islice(batches, 1):
                    pending.append(pool.submit(_extract_batch, batch, max_bytes))
                yield from results
        finally:
            for future in pending:
                future.cancel()


def _batches(lines: Iterable[Line], size: int) -> Iterator[list[Line]]:
    iterator = iter(lines)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
