"""Run a measuring phase in a fresh interpreter, so its peak RSS and CPU are its own, and read its JSON."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import orjson

from .archive import REPO


class ChildFailed(RuntimeError):
    """A measuring child process exited badly or printed no result."""


def run_json(module: str, args: list[str], timeout: float) -> dict[str, Any]:
    """`python -m module args…`, whose last stdout line is a JSON object; stderr passes through."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ChildFailed(f"{module} did not finish within {timeout:.0f} s") from None
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise ChildFailed(f"{module} exited with code {proc.returncode}")
    return orjson.loads(lines[-1])
