"""One message in, its outcome out: events, a "no event" outcome, or a dead letter. No Kafka here.

The faust agent and `rasad extract` both call `handle`, so the CLI runs exactly the agent's code path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import orjson

from .intake import InvalidReport, dead_letter, parse_report
from .pipeline.run import extract
from .records import DeadLetter, Event

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    report_id: str | None
    events: tuple[Event, ...] = ()
    dead_letter: DeadLetter | None = None

    @property
    def kind(self) -> str:
        if self.dead_letter is not None:
            return "dead_letter"
        return "events" if self.events else "no_event"


def handle(
    raw: bytes,
    max_bytes: int,
    topic: str = "-",
    partition: int | None = None,
    offset: int | None = None,
    key: bytes | None = None,
) -> Outcome:
    try:
        report = parse_report(raw, max_bytes)
    except InvalidReport as exc:
        return Outcome(None, dead_letter=dead_letter(raw, exc, topic, partition, offset, key))
    try:
        events = extract(report)
    except Exception as exc:  # an extractor bug must not stop the partition: dead-letter it, loudly
        log.exception("extractor failed on report %s", report.id)
        error = InvalidReport(f"extractor error: {type(exc).__name__}: {exc}", "extractor_error")
        return Outcome(report.id, dead_letter=dead_letter(raw, error, topic, partition, offset, key))
    return Outcome(report.id, events=tuple(events))


WARM_UP = orjson.dumps(
    {"id": "warm-up", "source": "-", "published_at": "2015-07-01T00:00:00+00:00", "text": "قتل 3 أشخاص في قصف على حلب"}
)


def warm_up() -> None:
    """Load the lexicons and the gazetteer (~250 ms) before the first real report, which would otherwise wait."""
    handle(WARM_UP, len(WARM_UP))
