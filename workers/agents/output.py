"""Sending from agents when state depends on it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

FIRST_RETRY_S = 0.5
LAST_RETRY_S = 30.0


async def deliver(topic: Any, key: bytes, value: bytes, partition: int | None = None) -> None:
    """Send a message and wait for the broker to acknowledge it, retrying until it does.

    Agents record "sent" in a table only after this returns: a crash in between can send a message twice (the
    same key and content, which subscribers dedup on), never lose it. A failed send is retried, not raised: an
    exception out of the agent would let faust ack (and later commit) the message being handled, losing its output.
    """
    delay = FIRST_RETRY_S
    while True:
        try:
            pending = await topic.send(key=key, value=value, partition=partition)
            await pending
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the broker's reason, logged; the partition waits rather than drop the message
            log.error("sending %r to %s failed (%r); retrying in %.1f s", key, _name(topic), exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, LAST_RETRY_S)


def _name(topic: Any) -> str:
    return getattr(topic, "get_topic_name", lambda: "?")()
