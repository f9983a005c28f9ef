"""Reading report archives (JSONL, .jsonl.gz, directories of them, stdin) line by line, in constant memory."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterator
from pathlib import Path


def archive_files(paths: tuple[str, ...]) -> list[Path | None]:
    """Expand directories to their *.jsonl / *.jsonl.gz files (sorted, for a deterministic order); '-' is stdin."""
    out: list[Path | None] = []
    for p in paths or ("-",):
        if p == "-":
            out.append(None)
            continue
        path = Path(p)
        if path.is_dir():
            out += sorted(f for f in path.rglob("*") if f.name.endswith((".jsonl", ".jsonl.gz")))
        elif path.exists():
            out.append(path)
        else:
            raise FileNotFoundError(f"no such file or directory: {p}")
    return out


def read_lines(path: Path | None) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, raw bytes) for each non-blank line; bytes stay raw so bad UTF-8 is reported, not raised."""
    if path is None:
        stream = sys.stdin.buffer
    elif path.name.endswith(".gz"):
        stream = gzip.open(path, "rb")
    else:
        stream = path.open("rb")
    try:
        for number, line in enumerate(stream, 1):
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield number, line
    finally:
        if path is not None:
            stream.close()
