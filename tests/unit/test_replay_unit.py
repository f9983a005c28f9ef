"""The pure parts of replay: bounds and filters, the checkpoint file, the acknowledged prefix, rate, line counts."""

from __future__ import annotations

import asyncio
import gzip
import time
from datetime import UTC, datetime
from types import SimpleNamespace

import orjson
import pytest

from workers.io import count_lines
from workers.replay import (
    START,
    AckTracker,
    Checkpoint,
    Position,
    RateLimit,
    ReplayError,
    ReplaySummary,
    Window,
    message_digest,
    parse_bound,
)


def test_bounds_take_dates_and_date_times_and_default_to_utc():
    assert parse_bound("2015-07-20") == datetime(2015, 7, 20, tzinfo=UTC)
    # A bare date as --until keeps that whole day.
    assert parse_bound("2015-07-20", end=True) == datetime(2015, 7, 21, tzinfo=UTC)
    assert parse_bound("2015-07-20T10:00:00+03:00") == datetime(2015, 7, 20, 7, tzinfo=UTC)
    assert parse_bound("2015-07-20T10:00:00") == datetime(2015, 7, 20, 10, tzinfo=UTC)
    with pytest.raises(ValueError, match="not an ISO 8601"):
        parse_bound("yesterday")


def test_window_keeps_since_and_drops_until():
    window = Window(parse_bound("2015-07-21"), parse_bound("2015-07-22", end=True))
    assert window.admits(datetime.fromisoformat("2015-07-21T00:00:00+00:00"))
    assert window.admits(datetime.fromisoformat("2015-07-23T02:59:00+03:00"))  # 23:59 UTC on the 22nd
    assert not window.admits(datetime.fromisoformat("2015-07-21T02:59:00+03:00"))  # the 20th in UTC
    assert not window.admits(datetime.fromisoformat("2015-07-23T00:00:00+00:00"))
    assert Window().admits(datetime(1990, 1, 1, tzinfo=UTC))


def test_checkpoint_round_trip_is_atomic(tmp_path):
    path = tmp_path / "ck" / "replay.json"
    mark = Checkpoint.open(path, ["/data/a.jsonl", "/data/b.jsonl.gz"])
    assert mark.position == START and not mark.complete
    mark.save(Position(1, 42), {0: 7, 3: 9})
    again = Checkpoint.open(path, ["/data/a.jsonl", "/data/b.jsonl.gz"])
    assert again.position == Position(1, 42) and again.offsets == {0: 7, 3: 9}
    data = orjson.loads(path.read_bytes())
    assert data["file"] == "/data/b.jsonl.gz" and data["line"] == 42
    assert again.done(Position(0, 10**6)) and again.done(Position(1, 42)) and not again.done(Position(1, 43))
    assert [p.name for p in path.parent.iterdir()] == ["replay.json"]  # no temporary file left behind


def test_checkpoint_refuses_other_archives_and_garbage(tmp_path):
    path = tmp_path / "ck.json"
    Checkpoint.open(path, ["/a.jsonl"]).save(Position(0, 3), {})
    with pytest.raises(ReplayError, match="other archives"):
        Checkpoint.open(path, ["/b.jsonl"])
    path.write_text("{not json")
    with pytest.raises(ReplayError, match="unreadable"):
        Checkpoint.open(path, ["/a.jsonl"])
    path.write_text('{"hello": 1}')
    with pytest.raises(ReplayError, match="not a rasad replay checkpoint"):
        Checkpoint.open(path, ["/a.jsonl"])


def _sent(partition: int, offset: int) -> asyncio.Future:
    future = asyncio.get_running_loop().create_future()
    future.set_result(SimpleNamespace(partition=partition, offset=offset))
    return future


async def test_acknowledged_prefix_waits_for_the_first_pending_send():
    loop = asyncio.get_running_loop()
    tracker = AckTracker({0: 5})
    slow = loop.create_future()
    tracker.add(Position(0, 1), _sent(0, 5))
    tracker.add(Position(0, 2))  # an invalid or filtered line: nothing to wait for
    tracker.add(Position(0, 3), slow)
    tracker.add(Position(0, 4), _sent(1, 0))  # acknowledged before line 3
    assert tracker.advance() == Position(0, 2)
    assert tracker.offsets == {0: 6}
    slow.set_result(SimpleNamespace(partition=0, offset=6))
    assert tracker.advance() == Position(0, 4)
    assert tracker.offsets == {0: 7, 1: 1}


async def test_a_failed_send_stops_the_prefix():
    failed = asyncio.get_running_loop().create_future()
    failed.set_exception(RuntimeError("broker said no"))
    tracker = AckTracker()
    tracker.add(Position(0, 1), _sent(0, 0))
    tracker.add(Position(0, 2), failed)
    with pytest.raises(RuntimeError, match="broker said no"):
        tracker.advance()
    assert tracker.acknowledged == Position(0, 1)


async def test_rate_limit_spaces_sends():
    limit = RateLimit(100.0)
    start = time.monotonic()
    for _ in range(21):
        await limit.wait()
    assert time.monotonic() - start >= 0.19  # 20 intervals of 10 ms after the first send


def test_summary_lists_invalid_lines_with_their_numbers():
    summary = ReplaySummary(sent=5, skipped=2)
    summary.add_invalid("a.jsonl", 3, "not JSON")
    summary.add_invalid("a.jsonl", 9, "empty message")
    text = summary.describe()
    assert text.splitlines()[0] == "sent 5 reports; 2 invalid lines not sent; 2 skipped by --since/--until"
    assert "  a.jsonl:3: not JSON" in text and "  a.jsonl:9: empty message" in text
    summary.interrupted, summary.stopped_at, summary.checkpoint = True, "a.jsonl:4", "ck.json"
    assert "interrupted after a.jsonl:4: run again with --resume ck.json" in summary.describe()


def test_digest_tells_key_from_value():
    assert message_digest(b"ab", b"c") != message_digest(b"a", b"bc")
    assert message_digest(b"k", b"v") == message_digest(b"k", b"v")


def test_count_lines_plain_gzip_and_a_last_line_without_newline(tmp_path):
    plain = tmp_path / "a.jsonl"
    plain.write_bytes(b"{}\n\n{}\n{}")
    packed = tmp_path / "b.jsonl.gz"
    packed.write_bytes(gzip.compress(b"{}\n" * 5))
    assert count_lines([plain]) == 4
    assert count_lines([plain, packed]) == 9
    assert count_lines([plain, None]) is None  # stdin can only be read once
