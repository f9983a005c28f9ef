"""Reading report archives (JSONL, .jsonl.gz, directories of them, stdin) line by line, in constant memory."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


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


def display_name(path: Path | None) -> str:
    """How a file is named in messages and checkpoints ('-' for stdin)."""
    return "-" if path is None else str(path)


def _open(path: Path | None) -> BinaryIO:
    if path is None:
        return sys.stdin.buffer
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_lines(path: Path | None) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, raw bytes) for each non-blank line; bytes stay raw so bad UTF-8 is reported, not raised."""
    stream = _open(path)
    try:
        for number, line in enumerate(stream, 1):
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield number, line
    finally:
        if path is not None:
            stream.close()


def count_lines(files: Iterable[Path | None]) -> int | None:
    """Lines in the files (a progress bar's total, for its ETA); None when one of them is stdin, which is read once."""
    files = list(files)
    if any(f is None for f in files):
        return None
    total = 0
    for path in files:
        last = b"\n"
        with _open(path) as stream:
            while chunk := stream.read(CHUNK):
                total += chunk.count(b"\n")
                last = chunk[-1:]
        total += last != b"\n"  # a last line without its newline
    return total
