"""Stage: assemble events from the mentions — one per (sub-event type, place, date, actor pair).

Clause by clause: the triggers decide the sub-event type, the clause's places (a coordinated list
makes one event per place), tolls, dates and actors attach by proximity, and events that restate
one another within the report are merged. The steps are the modules below: candidates (with
clause_filters, event_kinds, event_places), event_tolls, event_build (with event_actors, sides,
event_dates) and event_merge.
"""

from __future__ import annotations

from ..records import Event
from .candidates import find_candidates
from .document import Document
from .event_build import build
from .event_merge import (
    attacks_on_civilians,
    merge,
    merge_vague,
    one_deed,
    regains,
    targets_of_bombardments_amid_fighting,
)
from .event_places import vagueness
from .event_tolls import attach_tolls


def assemble(doc: Document) -> Document:
    candidates, muted = find_candidates(doc)
    attach_tolls(doc, candidates, muted)
    # Governorate-level mentions fold into the town event they continue, before restatements merge.
    built = merge_vague(
        [build(doc, cand) for cand in candidates],
        [vagueness(doc, cand.place, cand.listed) for cand in candidates],
    )
    events: dict[tuple, Event] = {}
    for event in built:
        # Restatements of one event (same type, place and day) merge, whatever actors each sentence names.
        key = (event.sub_event_type, event.location_ar, event.admin1_pcode, event.event_date)
        events[key] = merge(events[key], event) if key in events else event
    kept = attacks_on_civilians(regains(one_deed(list(events.values()))))
    return doc.with_(events=targets_of_bombardments_amid_fighting(kept))
