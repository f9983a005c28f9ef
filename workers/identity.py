"""Event identity across reports: which known event an extraction describes, and the revised event. No Kafka here.

Every report yields per-report extractions (the extractor's events). Two outlets telling of the same rocket, or one
outlet raising a toll through the day, must come out as ONE event that is revised. An extraction matches a known event
when they share the area, the place, the sub-event family and compatible actors, dated within a day of each other.

A known event is a `Tracked`: the published event (its latest revision) plus what it was built from — the
extractions folded in (by the extractor's deterministic per-report id, so a replayed report changes nothing) and each
report's figures (so the toll is the highest credible one whatever order the reports come in).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .pipeline.normalize import normalize_key
from .records import Actor, Event

__all__ = [
    "Resolution",
    "Tracked",
    "actors_compatible",
    "area_key",
    "fingerprint",
    "matches",
    "nearby_days",
    "place_key",
    "resolve",
    "sub_event_family",
]

# Reports of one event disagree on its day by one at most (a «أمس» read against a paper dated after midnight).
DATE_TOLERANCE_DAYS = 1
# Actors that say nothing about who acted: they agree with any actor.
WILDCARD_ACTORS = frozenset({"UNKNOWN"})

# Outlets call one hit a «صاروخ» or a «قذيفة», a bombing an IED or a car bomb: match on the family of the
# sub-event type, never across families (a clash and an air strike at one place are two events).
_FAMILIES = {
    "Armed clash": "clash",
    "Government regains territory": "territory",
    "Non-state actor overtakes territory": "territory",
    "Non-violent transfer of territory": "territory",
    "Air/drone strike": "air",
    "Shelling/artillery/missile attack": "shelling",
    "Suicide bomb": "explosive",
    "Remote explosive/landmine/IED": "explosive",
    "Grenade": "explosive",
    "Chemical weapon": "chemical",
    "Attack": "civilians",
    "Abduction/forced disappearance": "civilians",
    "Sexual violence": "civilians",
}


def sub_event_family(sub_event_type: str) -> str:
    """The family an outlet's wording can vary within; other sub-event types are their own family."""
    return _FAMILIES.get(sub_event_type, sub_event_type)


def area_key(event: Event) -> str:
    """The partition key of an event's area: its governorate, else its country.

    The governorate, not the district, because the escalation rule sums a governorate's toll: every event of one
    governorate must reach the same worker, and a district lies within one governorate.
    """
    return event.admin1_pcode or f"country:{event.country}"


def place_key(event: Event) -> str:
    """The place within the area: the gazetteer place (its canonical name, so «كوباني» and «عين العرب» agree)
    within its finest p-code, else the place as written, normalised.

    Not the admin3 p-code alone: two towns of one sub-district (نبل and الزهراء) are two events.
    """
    pcode = event.admin3_pcode or event.admin2_pcode or event.admin1_pcode or event.country
    name = event.location.casefold() if event.location else normalize_key(event.location_ar)
    return f"{pcode}/{name}"


def _actor_agrees(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None or a.code in WILDCARD_ACTORS or b.code in WILDCARD_ACTORS:
        return True
    return a.code == b.code


def actors_compatible(known: Event, new: Event) -> bool:
    """Equal actors, or one side unknown or missing; a clash may name its sides in either order."""
    if _actor_agrees(known.actor1, new.actor1) and _actor_agrees(known.actor2, new.actor2):
        return True
    return (
        sub_event_family(known.sub_event_type) == "clash"
        and _actor_agrees(known.actor1, new.actor2)
        and _actor_agrees(known.actor2, new.actor1)
    )


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def nearby_days(event_date: str, tolerance: int = DATE_TOLERANCE_DAYS) -> list[str]:
    """The days an extraction dated `event_date` may match events on (ISO dates, oldest first; none before year 1
    or after 9999, which a hostile report's date can reach)."""
    ordinal = _day(event_date).toordinal()
    first, last = max(ordinal - tolerance, 1), min(ordinal + tolerance, date.max.toordinal())
    return [date.fromordinal(o).isoformat() for o in range(first, last + 1)]


def matches(known: Event, new: Event) -> bool:
    """Same area, place and sub-event family, dated within a day, with compatible actors."""
    return (
        area_key(known) == area_key(new)
        and abs((_day(known.event_date) - _day(new.event_date)).days) <= DATE_TOLERANCE_DAYS
        and place_key(known) == place_key(new)
        and sub_event_family(known.sub_event_type) == sub_event_family(new.sub_event_type)
        and actors_compatible(known, new)
    )


def fingerprint(event: Event) -> str:
    """What names a new event: its area, day, place and sub-event family.

    Not its actors: outlets name them differently («قوات النظام», «مجهولون»), and the id must not depend on which
    outlet came first. Two events of one place, day and family with different actors get successive ids.
    """
    return "|".join([area_key(event), event.event_date, place_key(event), sub_event_family(event.sub_event_type)])


def new_event_id(event: Event, taken: Iterable[str] = ()) -> str:
    """A deterministic id from the fingerprint, so replaying an archive into an empty pipeline gives the same ids.

    Two known events can share a fingerprint (different actors, or two events of one report, which never merge);
    the later one gets the next free id of a deterministic sequence.
    """
    taken = set(taken)
    base = fingerprint(event)
    for n in range(len(taken) + 1):
        ident = base if n == 0 else f"{base}#{n}"
        event_id = hashlib.sha1(ident.encode()).hexdigest()[:24]
        if event_id not in taken:
            return event_id
    raise AssertionError("unreachable: more candidate ids than taken ids")


@dataclass(frozen=True, slots=True)
class Figures:
    """What one report says of an event's toll (None: no number given)."""

    fatalities: int | None
    injured: int | None


@dataclass(frozen=True, slots=True)
class Tracked:
    """A known event: its latest published revision and what it was built from."""

    event: Event
    # The extractor's per-report event id of every extraction folded in -> its report id.
    members: Mapping[str, str] = field(default_factory=dict)
    # Each contributing report's figures.
    figures: Mapping[str, Figures] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event.to_dict(),
            "members": dict(self.members),
            "figures": {r: [f.fatalities, f.injured] for r, f in self.figures.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tracked:
        return cls(
            event=Event.from_dict(data["event"]),
            members=dict(data["members"]),
            figures={r: Figures(*f) for r, f in data["figures"].items()},
        )


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of one extraction: the event it belongs to, and whether that event has a new revision."""

    tracked: Tracked
    created: bool
    changed: bool


def _highest(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _named(actor: Actor | None) -> bool:
    return actor is not None and actor.code not in WILDCARD_ACTORS


def _pick_actor(preferred: Actor | None, other: Actor | None) -> Actor | None:
    """The preferred report's actor (its words), unless only the other report names this side."""
    if _named(preferred) or not _named(other):
        return preferred if preferred is not None else other
    return other


def _primary(figures: Mapping[str, Figures]) -> str:
    """The report an event shows (its figures, evidence, wording): the highest toll, then the smallest report id —
    never the order reports came in, so a replay in another order gives the same event."""
    return min(figures, key=lambda r: (-(figures[r].fatalities if figures[r].fatalities is not None else -1), r))


def _create(extraction: Event, event_id: str) -> Tracked:
    event = replace(
        extraction,
        event_id=event_id,
        revision=1,
        report_ids=(extraction.report_id,),
        sources=(extraction.source,),
    )
    return Tracked(
        event=event,
        members={extraction.event_id: extraction.report_id},
        figures={extraction.report_id: Figures(extraction.fatalities, extraction.injured)},
    )


def _merge(tracked: Tracked, extraction: Event) -> Tracked:
    """Fold an extraction into a known event.

    The event shows its primary report (see _primary): when the new report becomes it, its evidence, wording and
    geography replace the old ones, so the evidence always supports the toll shown. Tolls are the highest any
    report gave, actors are filled in where unknown, report ids and outlets accumulate (sorted). The id and the day
    stay those the event was created with: they are what matched, and moving the day would move the event between
    alert windows.
    """
    old = tracked.event
    figures = {**tracked.figures, extraction.report_id: Figures(extraction.fatalities, extraction.injured)}
    base, other = (extraction, old) if _primary(figures) == extraction.report_id else (old, extraction)
    if _actor_agrees(old.actor1, extraction.actor1) and _actor_agrees(old.actor2, extraction.actor2):
        actor1, actor2 = _pick_actor(base.actor1, other.actor1) or base.actor1, _pick_actor(base.actor2, other.actor2)
    else:  # a clash told with its sides the other way round: keep the event's order
        actor1, actor2 = old.actor1, old.actor2
    event = replace(
        base,
        event_id=old.event_id,
        revision=old.revision,
        event_date=old.event_date,
        actor1=actor1,
        actor2=actor2,
        fatalities=_highest(f.fatalities for f in figures.values()),
        injured=_highest(f.injured for f in figures.values()),
        report_ids=tuple(sorted({*(old.report_ids or (old.report_id,)), extraction.report_id})),
        sources=tuple(sorted({*(old.sources or (old.source,)), extraction.source})),
    )
    members = {**tracked.members, extraction.event_id: extraction.report_id}
    return Tracked(event=event, members=members, figures=figures)


def _score(known: Event, new: Event) -> tuple[int, int, str]:
    """Prefer the candidate naming the same actors, then the same day; the event id breaks ties."""
    same_actors = (known.actor1.code, known.actor2.code if known.actor2 else None) == (
        new.actor1.code,
        new.actor2.code if new.actor2 else None,
    )
    same_day = known.event_date == new.event_date
    return (-int(same_actors), -int(same_day), known.event_id)


def resolve(candidates: Iterable[Tracked], extraction: Event) -> Resolution:
    """The event an extraction belongs to, given the known events of its area dated near it.

    - already folded in (a replayed report): the same event, unchanged;
    - matches a known event that holds no other extraction of the same report (the extractor already split a
      report's events): that event, revised only if the published event changes (a new report, a higher toll, an
      actor named where it was unknown);
    - else a new event, revision 1, with an id derived from its fingerprint.
    """
    known = list(candidates)
    for tracked in known:
        if extraction.event_id in tracked.members:
            merged = _merge(tracked, extraction)  # the same report again: only a re-extraction can change it
            return _outcome(tracked, merged)
    fits = [
        t
        for t in known
        if extraction.report_id not in t.members.values() and matches(t.event, extraction)
    ]
    if fits:
        best = min(fits, key=lambda t: _score(t.event, extraction))
        return _outcome(best, _merge(best, extraction))
    event_id = new_event_id(extraction, (t.event.event_id for t in known))
    return Resolution(_create(extraction, event_id), created=True, changed=True)


def _outcome(old: Tracked, merged: Tracked) -> Resolution:
    if merged.event == old.event:
        # Nothing a subscriber sees changed: keep the bookkeeping, publish nothing.
        return Resolution(merged, created=False, changed=False)
    revised = replace(merged, event=replace(merged.event, revision=old.event.revision + 1))
    return Resolution(revised, created=False, changed=True)
