"""Where a running worker's time goes, sampled from outside with py-spy when it is installed.

Optional: py-spy is not a dependency. `pip install py-spy` (and, in a container, the SYS_PTRACE capability)
turns this on; without it the phase records why it was skipped.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

IDLE = "waiting in select() (idle, not CPU)"
# The extraction thread (workers/agents/extract.py names it) outside handle(): taking the next report off its work
# queue and waking the event loop with the outcome. py-spy counts a thread as busy while it waits to take the GIL back
# after such a blocking call, so this is mostly waiting for the event loop's thread, not CPU (`py-spy --gil` shows it).
EXTRACT_THREAD = "rasad-extract"
HANDOFF = "extraction thread hand-off (work queue, waking the loop: mostly GIL waits)"
# First match wins, so the more specific paths come first.
CATEGORIES = (
    ("workers/handling.py", "extraction: handle()"),
    ("workers/agents/identity.py", "event identity agent"),
    ("workers/identity.py", "event identity agent"),
    ("workers/agents/alerts.py", "alerts agent"),
    ("workers/alerting/", "alerts agent"),
    ("workers/agents/", "extract agent outside handle() (publish, counters)"),
    ("workers/web/", "web views"),
    ("aiokafka/consumer/fetcher.py", "aiokafka fetcher (consumer thread)"),
    ("aiokafka/producer/", "aiokafka producer"),
    ("aiokafka/", "aiokafka, other"),
    ("faust/tables/", "faust tables and changelogs"),
    ("faust/stores/", "faust tables and changelogs"),
    ("aiohttp/", "web server (the harness polling /rasad/stats/)"),
    ("faust/", "faust runtime"),
    ("mode/", "faust runtime"),
)


def executable() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.is_file() else shutil.which("py-spy")


@contextlib.contextmanager
def sampling(pid: int, result: dict[str, Any], rate: int = 100) -> Iterator[None]:
    """Sample `pid` while the block runs; fill `result` with the shares by category and top functions."""
    exe = executable()
    if exe is None:
        result["skipped"] = "py-spy is not installed (pip install py-spy)"
        yield
        return
    with tempfile.TemporaryDirectory(prefix="rasad-bench-spy-") as tmp:
        out = Path(tmp) / "stacks.txt"
        cmd = [exe, "record", "-p", str(pid), "-r", str(rate), "-f", "raw", "-o", str(out), "--nonblocking"]
        cmd.append("--threads")  # the thread's name is the stack's first frame (see _category)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            yield
        finally:
            proc.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl-C
            try:
                _, err = proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
        if out.exists() and out.stat().st_size:
            result |= summarise(out.read_text().splitlines())
        else:
            result["skipped"] = f"py-spy wrote nothing: {err.decode(errors='replace').strip()[-300:]}"


def summarise(lines: list[str], top: int = 12) -> dict[str, Any]:
    """Collapsed stacks ("frame;frame;… count") to shares per category and per function (own time)."""
    categories: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        leaf = stack.rsplit(";", 1)[-1]
        if leaf.startswith(("EpollSelector.select (", "select (")):
            categories[IDLE] += n  # py-spy cannot always tell a thread blocked in epoll from a running one
            continue
        categories[_category(stack)] += n
        own[_function(leaf)] += n
    busy = total - categories[IDLE]
    if not busy:
        return {"skipped": "no samples"}
    return {
        "samples": total,
        "idle_share": round(categories.pop(IDLE, 0) / total, 3),
        # Shares of the samples where the worker was doing something.
        "categories": [{"category": k, "share": round(v / busy, 3)} for k, v in categories.most_common()],
        "by_own_time": [{"function": k, "share": round(v / busy, 3)} for k, v in own.most_common(top)],
    }


def _category(stack: str) -> str:
    found = next((name for marker, name in CATEGORIES if marker in stack), None)
    if found is None and EXTRACT_THREAD in stack.split(";", 1)[0]:
        # Sampling without stopping the process sometimes reads a thread's stack cut short: in the extraction thread
        # a stack without its thread pool frames is one of handle()'s.
        return HANDOFF if "concurrent/futures/thread.py" in stack else "extraction: handle()"
    return found or "other"


def _function(frame: str) -> str:
    """'name (path/to/file.py:12)' shortened to the package-relative path."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    for marker in ("site-packages/", "/work/", "lib/python3.11/"):
        if marker in where:
            where = where.split(marker, 1)[1]
            break
    return f"{name} ({where})"
