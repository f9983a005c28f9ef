"""Agent: per-report extractions (keyed by area) → events, one per real-world event, revised as reports come in.

The extractions topic is keyed by area, so one worker owns each area and its tables: `identity-events` (event_id →
the event and what it was built from) and `identity-days` ("<area>|<day>" → the ids of the events of that area and
day, to find candidates). Both are written while handling a message of the area's partition, so faust keeps them in
that partition of their changelogs and restores them wherever the partition goes.

Events go to the events topic keyed by event_id, in the partition of their area: the alert agent's window tables
are keyed by area too and need every event of an area in one partition.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson

from ..identity import Resolution, Tracked, area_key, nearby_days, resolve
from ..records import Event
from ..settings import Settings
from ..topics import IDENTITY_DAYS_TABLE, IDENTITY_EVENTS_TABLE
from .extract import COUNTS
from .output import deliver

log = logging.getLogger(__name__)


def register_identity(app: Any, topics: Any, settings: Settings) -> Any:
    known_events = app.Table(
        IDENTITY_EVENTS_TABLE,
        partitions=settings.partitions,
        help="event_id -> the latest revision of the event, the extractions and figures it was built from",
    )
    days = app.Table(
        IDENTITY_DAYS_TABLE,
        default=list,
        partitions=settings.partitions,
        help="'<area>|<event_date>' -> ids of the events of that area and day",
    )

    def candidates(extraction: Event) -> dict[str, Tracked]:
        area = area_key(extraction)
        ids = [event_id for day in nearby_days(extraction.event_date) for event_id in days[f"{area}|{day}"]]
        return {i: Tracked.from_dict(known_events[i]) for i in ids if i in known_events}

    @app.agent(topics.extractions, name="rasad.identity")
    async def identify(stream: Any) -> Any:
        async for message in stream.events():
            extraction = Event.from_dict(orjson.loads(message.value))
            try:
                known = candidates(extraction)
                result: Resolution = resolve(known.values(), extraction)
            except Exception:  # a bug here must not drop the event: publish it as the extractor made it, loudly
                log.exception("identity failed on %s (report %s)", extraction.event_id, extraction.report_id)
                COUNTS["identity.failed"] += 1
                await deliver(
                    topics.events,
                    key=extraction.event_id.encode(),
                    value=orjson.dumps(extraction.to_dict()),
                    partition=message.message.partition,
                )
                yield None
                continue
            event = result.tracked.event
            if result.changed:
                await deliver(
                    topics.events,
                    key=event.event_id.encode(),
                    value=orjson.dumps(event.to_dict()),
                    partition=message.message.partition,
                )
            # State after output: a crash in between publishes the same revision again, never skips one.
            if known.get(event.event_id) != result.tracked:
                known_events[event.event_id] = result.tracked.to_dict()
            if result.created:
                bucket = f"{area_key(event)}|{event.event_date}"
                days[bucket] = [*days[bucket], event.event_id]
            COUNTS["identity." + ("created" if result.created else "revised" if result.changed else "unchanged")] += 1
            yield result

    return identify
