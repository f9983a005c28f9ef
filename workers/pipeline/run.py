"""The pipeline: an ordered list of pure stages over a Document, and the one entry point `extract`."""

from __future__ import annotations

from collections.abc import Callable

from ..records import Event, Report
from . import actors, dates, events, numbers, places, segment, triggers
from .document import Document

Stage = Callable[[Document], Document]

# Order matters only where a stage reads another's mentions: tolls and places look at actors.
PIPELINE: tuple[Stage, ...] = (
    segment.split,
    triggers.find,
    actors.find,
    places.find,
    numbers.find,
    dates.find,
    events.assemble,
)


def process(report: Report, pipeline: tuple[Stage, ...] = PIPELINE) -> Document:
    doc = Document.from_report(report)
    for stage in pipeline:
        doc = stage(doc)
    return doc


def extract(report: Report) -> list[Event]:
    """All events a report describes (an empty list when it describes none)."""
    return list(process(report).events)
