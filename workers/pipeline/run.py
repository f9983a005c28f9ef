"""The pipeline: an ordered list of pure stages over a Document, and the one entry point `extract`."""

from __future__ import annotations

from collections.abc import Callable

from ..records import Event, Report
from . import actors, dates, events, numbers, places, segment, triggers
from .document import Document

Stage = Callable[[Document], Document]

# Order matters where a stage reads another's mentions (tolls and places look at actors); triggers come
# first because a text without one describes no event and stops there.
PIPELINE: tuple[Stage, ...] = (
    triggers.find,
    segment.split,
    actors.find,
    places.find,
    segment.join_place_lists,
    numbers.find,
    dates.find,
    events.assemble,
)


def process(report: Report, pipeline: tuple[Stage, ...] = PIPELINE) -> Document:
    doc = Document.from_report(report)
    for stage in pipeline:
        doc = stage(doc)
        if stage is triggers.find and not doc.triggers:
            break  # no word of violence, no event: most of a news archive stops here
    return doc


def extract(report: Report) -> list[Event]:
    """All events a report describes (an empty list when it describes none)."""
    return list(process(report).events)
