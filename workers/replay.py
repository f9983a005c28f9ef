"""Replay archives of reports into the reports topic, keyed by report id.

Each line is validated with the worker's own intake rules (workers/intake.py), filtered on published_at,
rate-limited if asked, and produced with acks=all on an idempotent producer. A checkpoint file, rewritten
atomically as the producer acknowledges messages, records the furthest line below which every line is done,
so an interrupted replay resumes where it stopped instead of sending the archive again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from tqdm import tqdm

from .intake import InvalidReport, parse_report
from .io import archive_files, count_lines, display_name, read_lines
from .settings import Settings

# How often acknowledgements are collected and the checkpoint rewritten (and once more at the end).
CHECKPOINT_EVERY_SECONDS = 0.5
# Invalid lines kept for the summary; past this only the count grows, so memory stays constant.
INVALID_KEPT = 1000
CHECKPOINT_VERSION = 1


class ReplayError(RuntimeError):
    """The replay cannot start or go on (bad checkpoint, producer failure); the message says why."""


# ---------------------------------------------------------------- filters


def parse_bound(text: str, *, end: bool = False) -> datetime:
    """A --since/--until bound: an ISO date or date-time; no offset means UTC.

    A bare date as an end bound covers that whole day (`--until 2015-07-20` keeps the 20th).
    """
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return moment + timedelta(days=1) if end else moment
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date or date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    """Which reports to send by published_at: since <= published_at < until (either bound optional)."""

    since: datetime | None = None
    until: datetime | None = None

    def admits(self, published_at: datetime) -> bool:
        if self.since is not None and published_at < self.since:
            return False
        return self.until is None or published_at < self.until


# ---------------------------------------------------------------- checkpoint


@dataclass(frozen=True, order=True)
class Position:
    """A line of the replay: the `line`-th line of the `file_index`-th archive file (line 0: none of it)."""

    file_index: int
    line: int


START = Position(0, 0)


def archive_key(path: Path | None) -> str:
    """How a file is recorded in a checkpoint: absolute, so a resume from another directory still matches."""
    return "-" if path is None else str(path.resolve())


@dataclass
class Checkpoint:
    """The furthest position below which every line was sent and acknowledged (or was invalid or filtered).

    `offsets` holds, per partition of the reports topic, the offset that follows the messages the position
    covers: whatever lies at or after it was written after the checkpoint (see `already_sent`).
    """

    path: Path
    archives: list[str]
    position: Position = START
    complete: bool = False
    offsets: dict[int, int] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path, archives: list[str]) -> Checkpoint:
        """Load `path` (or start a new checkpoint there); refuse one written for other archives."""
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return cls(path, archives)
        except (OSError, orjson.JSONDecodeError) as exc:
            raise ReplayError(f"checkpoint {path} is unreadable: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != CHECKPOINT_VERSION:
            raise ReplayError(f"checkpoint {path} is not a rasad replay checkpoint (version {CHECKPOINT_VERSION})")
        if data.get("archives") != archives:
            raise ReplayError(
                f"checkpoint {path} was written for other archives ({', '.join(data.get('archives') or [])}); "
                "give the same paths, or another checkpoint file"
            )
        position = Position(int(data["file_index"]), int(data["line"]))
        offsets = {int(p): int(o) for p, o in (data.get("offsets") or {}).items()}
        return cls(path, archives, position, bool(data.get("complete")), offsets)

    def done(self, position: Position) -> bool:
        return self.complete or position <= self.position

    def save(self, position: Position, offsets: dict[int, int], complete: bool = False) -> None:
        """Write atomically (temporary file, fsync, rename): a crash leaves the old or the new one, never half."""
        self.position, self.offsets, self.complete = position, dict(offsets), complete
        index = min(position.file_index, len(self.archives) - 1)
        data = {
            "version": CHECKPOINT_VERSION,
            "archives": self.archives,
            "file_index": position.file_index,
            "file": self.archives[index] if self.archives else None,
            "line": position.line,
            "complete": complete,
            "offsets": {str(p): o for p, o in sorted(self.offsets.items())},
            "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


class AckTracker:
    """Lines in input order with their send futures; the acknowledged prefix advances as futures complete.

    Messages to different partitions are acknowledged out of order, so the checkpoint may only move up to
    the first line still waiting.
    """

    def __init__(self, offsets: dict[int, int] | None = None) -> None:
        self._queue: deque[tuple[Position, asyncio.Future[Any] | None]] = deque()
        self.acknowledged: Position | None = None
        # Per partition, the offset after the last message of the acknowledged prefix.
        self.offsets: dict[int, int] = dict(offsets or {})

    def add(self, position: Position, future: asyncio.Future[Any] | None = None) -> None:
        """A line that is done once `future` completes (at once when there is nothing to send)."""
        self._queue.append((position, future))

    def advance(self) -> Position | None:
        """Drop the completed head of the queue; raise the first failed send."""
        while self._queue:
            position, future = self._queue[0]
            if future is not None:
                if not future.done():
                    break
                if future.exception() is not None:
                    raise future.exception()  # type: ignore[misc]
                sent = future.result()  # aiokafka's RecordMetadata
                self.offsets[sent.partition] = max(self.offsets.get(sent.partition, 0), sent.offset + 1)
            self._queue.popleft()
            self.acknowledged = position
        return self.acknowledged

    async def drain(self) -> Position | None:
        """Wait for every send in flight, then advance as far as they allow."""
        futures = [f for _, f in self._queue if f is not None]
        if futures:
            await asyncio.gather(*futures, return_exceptions=True)
        return self.advance()


class RateLimit:
    """At most `rate` sends per second on average (no burst beyond the schedule)."""

    def __init__(self, rate: float | None) -> None:
        self.rate = rate
        self._start: float | None = None
        self._count = 0

    async def wait(self) -> None:
        if not self.rate:
            return
        now = time.monotonic()
        if self._start is None:
            self._start = now
        due = self._start + self._count / self.rate
        self._count += 1
        if due > now:
            await asyncio.sleep(due - now)


# ---------------------------------------------------------------- the replay


@dataclass
class ReplaySummary:
    sent: int = 0
    invalid_count: int = 0
    invalid: list[tuple[str, int, str]] = field(default_factory=list)  # the first INVALID_KEPT of them
    skipped: int = 0  # outside --since/--until
    resumed: int = 0  # lines a checkpoint says were done already
    interrupted: bool = False
    already_complete: bool = False
    stopped_at: str | None = None
    checkpoint: Path | None = None

    def add_invalid(self, source: str, number: int, reason: str) -> None:
        self.invalid_count += 1
        if len(self.invalid) < INVALID_KEPT:
            self.invalid.append((source, number, reason))

    def describe(self, shown: int = 100) -> str:
        """One line of counts, then the invalid lines as file:line: reason (the first `shown` of them)."""
        if self.already_complete:
            return f"nothing to send: checkpoint {self.checkpoint} says this replay is complete"
        parts = [f"sent {self.sent} reports"]
        if self.invalid_count:
            parts.append(f"{self.invalid_count} invalid lines not sent")
        if self.skipped:
            parts.append(f"{self.skipped} skipped by --since/--until")
        if self.resumed:
            parts.append(f"{self.resumed} lines done before the checkpoint skipped")
        text = "; ".join(parts)
        if self.interrupted:
            text += f"; interrupted after {self.stopped_at or 'the start'}"
            if self.checkpoint is not None:
                text += f": run again with --resume {self.checkpoint} to go on"
        lines = [text] + [f"  {p}:{n}: {why}" for p, n, why in self.invalid[:shown]]
        if self.invalid_count > shown:
            lines.append(f"  … and {self.invalid_count - shown} more")
        return "\n".join(lines)


async def replay_archives(
    settings: Settings,
    paths: tuple[str, ...],
    progress: bool = False,
    *,
    rate: float | None = None,
    window: Window | None = None,
    checkpoint: Path | None = None,
    stop: asyncio.Event | None = None,
) -> ReplaySummary:
    """Produce every valid report of `paths` to settings.reports_topic, keyed by report id.

    `stop` (set by a signal handler) ends the replay cleanly: sends in flight are awaited and the checkpoint
    is written, so a resume sends nothing twice.
    """
    files = archive_files(paths)
    window = window or Window()
    summary = ReplaySummary(checkpoint=checkpoint)
    mark = Checkpoint.open(checkpoint, [archive_key(f) for f in files]) if checkpoint else None
    if mark is not None and mark.complete:
        summary.already_complete = True
        return summary
    seen: set[bytes] = set()
    offsets: dict[int, int] = {}
    if mark is not None:
        seen, offsets = await _checkpoint_tail(settings, mark)
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=max(settings.max_report_bytes * 2, 1_048_576),
        **settings.aiokafka_security(),
    )
    tracker = AckTracker(offsets)
    limit = RateLimit(rate)
    ticked_at = time.monotonic()
    await producer.start()
    try:
        total = count_lines(files) if progress else None
        with tqdm(total=total, unit=" reports", disable=not progress, file=sys.stderr) as bar:
            for index, path in enumerate(files):
                source, last = display_name(path), 0
                for number, raw in read_lines(path):
                    if stop is not None and stop.is_set():
                        summary.interrupted = True
                        break
                    bar.update(number - last)
                    last = number
                    position = Position(index, number)
                    if mark is not None and mark.done(position):
                        summary.resumed += 1
                        continue
                    try:
                        future = await _send_line(producer, settings, raw, window, summary, limit, seen)
                    except InvalidReport as exc:
                        future = None
                        summary.add_invalid(source, number, exc.reason)
                    tracker.add(position, future)
                    if time.monotonic() - ticked_at >= CHECKPOINT_EVERY_SECONDS:
                        # Also without a checkpoint: advancing drops acknowledged sends, so memory stays flat.
                        tracker.advance()
                        if mark is not None:
                            _save(mark, tracker)
                        ticked_at = time.monotonic()
                        bar.set_postfix(sent=summary.sent, invalid=summary.invalid_count, skipped=summary.skipped)
                if summary.interrupted:
                    break
            await producer.flush()
            acknowledged = await tracker.drain()
        if mark is not None:
            _save(mark, tracker, complete=not summary.interrupted)
        if summary.interrupted:
            summary.stopped_at = _where(files, acknowledged)
    except Exception as exc:
        # Keep what was acknowledged before the failure, so a resume does not send it twice.
        if mark is not None:
            with contextlib.suppress(Exception):
                _save(mark, tracker)
        raise ReplayError(f"replay failed: {type(exc).__name__}: {exc}") from exc
    finally:
        await producer.stop()
    return summary


async def _checkpoint_tail(settings: Settings, mark: Checkpoint) -> tuple[set[bytes], dict[int, int]]:
    """What a run with this checkpoint must not send again, and the offsets its acknowledgements start from.

    A run killed outright (no time to save) may have had sends acknowledged after its last checkpoint. They
    lie in the reports topic at or after the checkpoint's offsets, since a partition's messages land in the
    order they were sent: their digests are returned so those lines are skipped. A new checkpoint starts at
    the topic's current end offsets and is saved at once, so even a crash before the first save is covered.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False, **settings.aiokafka_security()
    )
    await consumer.start()
    try:
        parts = await _partitions(consumer, settings.reports_topic)
        end = {tp.partition: offset for tp, offset in (await consumer.end_offsets(parts)).items()}
        if not mark.path.exists():
            mark.save(START, end)
            return set(), end
        seen: set[bytes] = set()
        todo = {tp: mark.offsets.get(tp.partition, 0) for tp in parts}
        todo = {tp: start for tp, start in todo.items() if start < end[tp.partition]}
        if todo:
            consumer.assign(list(todo))
        for tp, start in todo.items():
            consumer.seek(tp, start)
        while todo:
            batch = await consumer.getmany(*todo, timeout_ms=1000)
            for records in batch.values():
                seen.update(message_digest(r.key, r.value) for r in records)
            for tp in list(todo):
                if await consumer.position(tp) >= end[tp.partition]:
                    del todo[tp]
        return seen, {**end, **mark.offsets}
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    await consumer._client.force_metadata_update()  # a fresh client has no metadata for the topic yet
    found = consumer.partitions_for_topic(topic)
    if not found:
        raise ReplayError(f"topic {topic!r} does not exist on the broker (create it with `rasad topics create`)")
    return [TopicPartition(topic, p) for p in sorted(found)]


def message_digest(key: bytes | None, value: bytes | None) -> bytes:
    """Identifies a message by its bytes (key and value), for the after-crash check."""
    key, value = key or b"", value or b""
    return hashlib.blake2b(len(key).to_bytes(4, "big") + key + value, digest_size=16).digest()


async def _send_line(
    producer: AIOKafkaProducer,
    settings: Settings,
    raw: bytes,
    window: Window,
    summary: ReplaySummary,
    limit: RateLimit,
    seen: set[bytes],
) -> asyncio.Future[Any] | None:
    """Validate one line (InvalidReport if it is not a report) and send it; the send's future, None if not sent."""
    report = parse_report(raw, settings.max_report_bytes)
    if not window.admits(report.published_at):
        summary.skipped += 1
        return None
    # Re-serialised compactly so the topic holds exactly one JSON object per message, the same bytes every time.
    key, value = report.id.encode(), orjson.dumps(orjson.loads(raw))
    if seen and message_digest(key, value) in seen:
        summary.resumed += 1  # sent by the interrupted run after its last checkpoint
        return None
    await limit.wait()
    future = await producer.send(settings.reports_topic, key=key, value=value)
    summary.sent += 1
    return future


def _save(mark: Checkpoint, tracker: AckTracker, complete: bool = False) -> None:
    if complete:
        mark.save(Position(len(mark.archives), 0), tracker.offsets, complete=True)
        return
    position = tracker.advance()
    if position is not None and position > mark.position:
        mark.save(position, tracker.offsets)


def _where(files: list[Path | None], position: Position | None) -> str | None:
    if position is None or not files:
        return None
    return f"{display_name(files[min(position.file_index, len(files) - 1)])}:{position.line}"
