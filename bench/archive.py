"""The archive the benchmarks replay, read exactly as `rasad extract` reads it, in a strided order.

A strided order (every `stride`-th line, then the next offset…) makes any prefix of it an even sample of
the whole archive, so a phase cut short by its time budget still sees early, middle and late articles.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson

from workers.io import read_lines

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ARCHIVE = REPO.parent / "shared" / "data" / "saudinewsnet-2015-07.jsonl.gz"
DEFAULT_STRIDE = 10


def strided(path: Path, stride: int = DEFAULT_STRIDE) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line) for every non-blank line, in the order pass 0, pass 1, … of the stride."""
    for offset in range(stride):
        for index, (number, raw) in enumerate(read_lines(path)):
            if index % stride == offset:
                yield number, raw


def count_lines(path: Path) -> int:
    return sum(1 for _ in read_lines(path))


def message_key(raw: bytes, number: int) -> bytes:
    """The Kafka key `rasad replay` would use (the report id), or the line number for lines with no id."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = None
    report_id = data.get("id") if isinstance(data, dict) else None
    return (report_id if isinstance(report_id, str) and report_id else f"line-{number}").encode()
