"""Pace empty fetches for brokers that answer them at once instead of long-polling.

A Kafka broker holds a fetch with nothing to return for the request's max wait (faust asks for 1.5 s). The embedded
noida-db answers it immediately, and aiokafka fetches again at once: an idle consumer then sends ~1,200 fetches a
second and burns most of a core, which on a small machine is taken from the agents (docs/benchmarks.md).

The pacing makes an empty fetch that came back sooner than `min_wait_s` wait out the rest of that time before the
next one. Against a broker that long-polls an empty fetch already took longer, so nothing changes there. The cost is
at most `min_wait_s` of extra latency for a message arriving while a partition was idle.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from typing import Any

log = logging.getLogger(__name__)

_MARK = "_rasad_paced"


def pace_empty_fetches(min_wait_s: float) -> bool:
    """Install the pacing on aiokafka's fetcher (process-wide); 0 removes it. Returns whether it is installed."""
    try:
        from aiokafka.consumer.fetcher import Fetcher
    except ImportError:  # pragma: no cover - aiokafka is a dependency
        return False
    current = getattr(Fetcher, "_proc_fetch_request", None)
    if current is None:
        # aiokafka's fetcher is internal API: if a release renames it, run unpaced rather than fail to start.
        log.warning("aiokafka %s has no Fetcher._proc_fetch_request: empty fetches are not paced", _version())
        return False
    # Installing again replaces our wrapper instead of stacking a second one on it.
    original = current.__wrapped__ if getattr(current, _MARK, False) else current
    if min_wait_s <= 0:
        Fetcher._proc_fetch_request = original
        return False

    @functools.wraps(original)
    async def paced(self: Any, assignment: Any, node_id: int, request: Any) -> bool:
        started = time.monotonic()
        has_data = await original(self, assignment, node_id, request)
        rest = min_wait_s - (time.monotonic() - started)
        if not has_data and rest > 0:
            try:
                await asyncio.sleep(rest)
            except asyncio.CancelledError:
                # aiokafka cancels fetch tasks on close and rebalance and awaits them, expecting a result (its own
                # fetch returns False when cancelled): a cancelled wait is simply over.
                return has_data
        return has_data

    setattr(paced, _MARK, True)
    Fetcher._proc_fetch_request = paced
    return True


def _version() -> str:
    import aiokafka

    return getattr(aiokafka, "__version__", "?")
