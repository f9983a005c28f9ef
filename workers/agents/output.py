"""Sending from agents when state depends on it."""

from __future__ import annotations

from typing import Any


async def deliver(topic: Any, key: bytes, value: bytes, partition: int | None = None) -> None:
    """Send a message and wait for the broker to acknowledge it.

    Agents record "sent" in a table only after this returns: a crash in between can send a message twice (the
    same key and content, which subscribers dedup on), never lose it.
    """
    pending = await topic.send(key=key, value=value, partition=partition)
    await pending
