"""The empty-fetch pacing wraps aiokafka's fetcher: it waits out an empty fetch that came back early, and only that."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka.consumer.fetcher import Fetcher

from workers.fetch_pacing import pace_empty_fetches


@pytest.fixture
def fake_fetch(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Replace the real fetch with one that answers at once with what `state["has_data"]` says."""
    state: dict[str, Any] = {"has_data": False, "calls": 0}

    async def answer_now(self: Any, assignment: Any, node_id: int, request: Any) -> bool:
        state["calls"] += 1
        return state["has_data"]

    monkeypatch.setattr(Fetcher, "_proc_fetch_request", answer_now)  # undone, wrapper and all, after the test
    yield state


async def _timed_fetch() -> tuple[bool, float]:
    started = time.monotonic()
    result = await Fetcher._proc_fetch_request(object(), None, 0, None)  # type: ignore[arg-type]
    return result, time.monotonic() - started


async def test_an_early_empty_fetch_waits_out_the_rest(fake_fetch: dict[str, Any]) -> None:
    assert pace_empty_fetches(0.2)
    has_data, took = await _timed_fetch()
    assert has_data is False and fake_fetch["calls"] == 1
    assert took >= 0.19


async def test_a_fetch_with_records_returns_at_once(fake_fetch: dict[str, Any]) -> None:
    fake_fetch["has_data"] = True
    pace_empty_fetches(5.0)
    has_data, _ = await asyncio.wait_for(_timed_fetch(), timeout=2.0)  # a paced wait would take 5 s
    assert has_data is True


async def test_installing_twice_wraps_once_and_zero_removes_it(fake_fetch: dict[str, Any]) -> None:
    pace_empty_fetches(5.0)
    pace_empty_fetches(0.2)  # the second call replaces the first wrapper instead of stacking on it
    _, took = await asyncio.wait_for(_timed_fetch(), timeout=2.0)
    assert 0.19 <= took
    assert pace_empty_fetches(0) is False
    assert Fetcher._proc_fetch_request.__name__ == "answer_now"


def test_without_the_internal_method_it_runs_unpaced(monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    monkeypatch.delattr(Fetcher, "_proc_fetch_request")
    assert pace_empty_fetches(0.02) is False
    assert "not paced" in caplog.text


async def test_a_cancelled_wait_returns_like_a_cancelled_fetch(fake_fetch: dict[str, Any]) -> None:
    """aiokafka cancels its fetch tasks on close and awaits them: they must end with a result, not raise."""
    pace_empty_fetches(5.0)
    task = asyncio.ensure_future(Fetcher._proc_fetch_request(object(), None, 0, None))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    task.cancel()
    assert await asyncio.wait_for(task, timeout=2.0) is False


class _FakeFetcher:
    """Stands in for aiokafka's Fetcher: per-instance state and the future aiokafka resolves when records run out."""

    def __init__(self) -> None:
        self._wait_consume_future: asyncio.Future[None] = asyncio.get_running_loop().create_future()


async def _fetch_on(fetcher: Any) -> float:
    started = time.monotonic()
    await Fetcher._proc_fetch_request(fetcher, None, 0, None)  # type: ignore[arg-type]
    return time.monotonic() - started


async def test_the_wait_doubles_over_empty_fetches_up_to_the_cap_and_resets_after_records(
    fake_fetch: dict[str, Any],
) -> None:
    pace_empty_fetches(0.05, 0.15)
    fetcher = _FakeFetcher()
    waits = [await _fetch_on(fetcher) for _ in range(4)]  # 0.05, 0.10, 0.15 (capped), 0.15
    assert [round(w, 2) for w in waits] == pytest.approx([0.05, 0.10, 0.15, 0.15], abs=0.03)
    fake_fetch["has_data"] = True
    assert await _fetch_on(fetcher) < 0.03
    fake_fetch["has_data"] = False
    assert await _fetch_on(fetcher) == pytest.approx(0.05, abs=0.03)  # the streak starts again


async def test_a_wait_ends_when_a_partitions_records_are_used_up(fake_fetch: dict[str, Any]) -> None:
    pace_empty_fetches(5.0)
    fetcher = _FakeFetcher()
    asyncio.get_running_loop().call_later(0.1, fetcher._wait_consume_future.set_result, None)
    assert await asyncio.wait_for(_fetch_on(fetcher), timeout=2.0) < 1.0  # not the 5 s wait
