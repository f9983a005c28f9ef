"""Pace empty fetches for brokers that answer them at once instead of long-polling.

A Kafka broker holds a fetch with nothing to return for the request's max wait (faust asks for 1.5 s). The embedded
noida-db answers it immediately, and aiokafka fetches again at once: an idle consumer then sends ~1,200 fetches a
second and burns most of a core, which on a small machine is taken from the agents (docs/benchmarks.md).

The pacing makes an empty fetch that came back sooner than its wait wait out the rest before the next one. The wait
is `min_wait_s` after a fetch that brought records and, when `max_wait_s` is larger, doubles with each empty one
after it up to `max_wait_s`: a worker with nothing to do fetches ~50 times a second at a flat 20 ms, which costs its
consumer thread ~6 % of a core (RASAD_EMPTY_FETCH_MAX_WAIT_MS; the default keeps the wait flat). A wait ends early
when the consumer has used up the records of a partition (aiokafka's signal to fetch again), so a busy worker's next
batch is never held back. Against a broker that long-polls an empty fetch already took longer, so
nothing changes there. The cost is at most the current wait of extra latency for a message arriving at a partition
that was idle: `min_wait_s` while messages keep coming, up to `max_wait_s` after a quiet spell.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from typing import Any

log = logging.getLogger(__name__)

_MARK = "_rasad_paced"
_STREAKS = "_rasad_empty_streaks"


def pace_empty_fetches(min_wait_s: float, max_wait_s: float | None = None) -> bool:
    """Install the pacing on aiokafka's fetcher (process-wide); 0 removes it. Returns whether it is installed.

    `max_wait_s` (default: `min_wait_s`, a flat wait) caps the wait that doubles over consecutive empty fetches."""
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
    cap = max(min_wait_s, max_wait_s or min_wait_s)

    @functools.wraps(original)
    async def paced(self: Any, assignment: Any, node_id: int, request: Any) -> bool:
        started = time.monotonic()
        has_data = await original(self, assignment, node_id, request)
        streaks = _streaks(self)
        empties = 0 if has_data else streaks.get(node_id, 0) + 1
        streaks[node_id] = empties
        rest = min(cap, min_wait_s * 2 ** min(empties - 1, 16)) - (time.monotonic() - started)
        if not has_data and rest > 0:
            # aiokafka resolves this future when a partition's records are used up and it should fetch again.
            consumed = getattr(self, "_wait_consume_future", None)
            try:
                if isinstance(consumed, asyncio.Future) and not consumed.done():
                    await asyncio.wait([consumed], timeout=rest)  # never cancels the future it waits on
                else:
                    await asyncio.sleep(rest)
            except asyncio.CancelledError:
                # aiokafka cancels fetch tasks on close and rebalance and awaits them, expecting a result (its own
                # fetch returns False when cancelled): a cancelled wait is simply over.
                return has_data
        return has_data

    setattr(paced, _MARK, True)
    Fetcher._proc_fetch_request = paced
    return True


def _streaks(fetcher: Any) -> dict[int, int]:
    """Consecutive empty fetches per broker node, kept on the fetcher (a plain dict where it takes no attribute)."""
    try:
        return fetcher.__dict__.setdefault(_STREAKS, {})
    except AttributeError:
        return {}


def _version() -> str:
    import aiokafka

    return getattr(aiokafka, "__version__", "?")
