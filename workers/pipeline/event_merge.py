"""Merging: restatements of one event, governorate-level echoes of a town event, and whole-report fixes."""

from __future__ import annotations

from dataclasses import replace

from ..records import Actor, Event
from .event_kinds import BOMBARDMENTS
from .sides import ALLIES

MAX_EVIDENCE = 40
STORY_REACH = 40  # events either side of a governorate-level mention that it may be folded into


# The same deed told as two kinds at one place on one day: the first kind folds into the second.
_ONE_DEED = {
    "Remote explosive/landmine/IED": "Suicide bomb",  # «فجروا شاحنتين ملغومتين» in a suicide attack
    "Abduction/forced disappearance": "Attack",  # «خطفوا شابين … ثم أعدموهما»: the abducted were killed
}


def one_deed(events: list[Event]) -> list[Event]:
    """A bombing told once as suicide and once as a vehicle bomb is one suicide bombing; an abduction whose
    victims were killed there that day is one killing."""
    stronger = {
        (e.sub_event_type, e.location_ar, e.admin1_pcode, e.event_date): i
        for i, e in enumerate(events)
        if e.sub_event_type in _ONE_DEED.values()
    }
    if not stronger:
        return events
    out: list[Event | None] = list(events)
    for i, e in enumerate(events):
        j = stronger.get((_ONE_DEED.get(e.sub_event_type), e.location_ar, e.admin1_pcode, e.event_date))
        kept = out[j] if j is not None else None
        if kept is not None:
            out[j] = merge(kept, e)
            out[i] = None
    return [e for e in out if e is not None]


def regains(events: list[Event]) -> list[Event]:
    """A capture by the regime or its allies is ACLED's «Government regains territory»."""
    return [
        replace(e, sub_event_type="Government regains territory")
        if e.sub_event_type == "Non-state actor overtakes territory" and ALLIES.get(e.actor1.code) == "regime"
        else e
        for e in events
    ]


def targets_of_bombardments_amid_fighting(events: list[Event]) -> tuple[Event, ...]:
    """A side bombing a place where it fights someone that day bombs that someone: «قصف جوي على البلدة وسط
    اشتباكات بين قوات النظام والفصائل» → actor2 the factions (a bombardment with dead civilians keeps them)."""
    fights: dict[tuple, list[tuple[Actor, Actor]]] = {}
    for e in events:
        if e.sub_event_type == "Armed clash" and e.actor2 is not None:
            fights.setdefault((e.location_ar, e.admin1_pcode, e.event_date), []).append((e.actor1, e.actor2))
    if not fights:
        return tuple(events)
    out = []
    for e in events:
        if e.sub_event_type in BOMBARDMENTS and e.actor2 is None and e.actor1.code != "UNKNOWN":
            side = ALLIES.get(e.actor1.code, e.actor1.code)
            for a, b in fights.get((e.location_ar, e.admin1_pcode, e.event_date), []):
                if "UNKNOWN" in (a.code, b.code):
                    continue  # an unnamed side is no target to name
                if ALLIES.get(a.code, a.code) == side:
                    e = replace(e, actor2=Actor(b.code, b.name, None))
                    break
                if ALLIES.get(b.code, b.code) == side:
                    e = replace(e, actor2=Actor(a.code, a.name, None))
                    break
        out.append(e)
    return tuple(out)


def merge(a: Event, b: Event, keep_toll: bool = False) -> Event:
    """One event told twice: a's place and date, the better-known actor pair, the highest toll, all evidence."""
    # The first telling's actors stand; a later one only fills what it left unknown.
    actor1 = a.actor1 if a.actor1.code != "UNKNOWN" else b.actor1
    actor2 = a.actor2 or (b.actor2 if b.actor2 and b.actor2.code != actor1.code else None)
    killed = max((x for x in (a.fatalities, b.fatalities) if x is not None), default=None)
    if keep_toll:
        killed = a.fatalities
    injured = max((x for x in (a.injured, b.injured) if x is not None), default=None)
    # Enough spans to show where the event is told; a bulletin repeating one event 800 times needs no more.
    evidence = tuple(sorted(set(a.evidence) | set(b.evidence), key=lambda e: (e.start, e.role)))[:MAX_EVIDENCE]
    return replace(
        a,
        actor1=actor1,
        actor2=actor2,
        fatalities=killed,
        injured=injured,
        evidence=evidence,
        confidence=max(a.confidence, b.confidence),
    )


def merge_vague(events: list[Event], vague: list[bool | str]) -> list[Event]:
    """A governorate-level event restated with its town is one event: fold it into the town's event
    told last before it (the story it continues), else the next one. A named region («الغوطة الغربية»,
    «القلمون») is a place of its own, not a restatement."""
    kept: list[Event | None] = list(events)
    for i, e in enumerate(events):
        if e.admin1_pcode is None or (_is_neighbourhood(e) or (e.admin2_pcode is None and not vague[i])):
            continue
        here = _trigger_start(e)
        # The story a mention continues is told nearby: look at the neighbouring events, not all of them.
        nearby = range(max(0, i - STORY_REACH), min(len(kept), i + STORY_REACH + 1))
        twins = [
            j
            for j in nearby
            if j != i
            and (o := kept[j]) is not None
            and (_inside(o, e) or (vague[i] == "quarter" and o.location_ar != e.location_ar))
            and _same_story(e, o)
        ]
        if not twins:
            continue
        before = [j for j in twins if _trigger_start(kept[j]) < here]
        j = max(before, key=lambda j: _trigger_start(kept[j])) if before else twins[0]
        kept[j] = merge(kept[j], e, keep_toll=kept[j].fatalities is not None)
        kept[i] = None
    return [e for e in kept if e is not None]


def _is_neighbourhood(e: Event) -> bool:
    return e.location is None and e.country == "Syria"  # neighbourhoods carry their city's codes, no name


def _inside(small: Event, large: Event) -> bool:
    """Is `small`'s place inside `large`'s: a town in its governorate, a neighbourhood in its city?"""
    if large.admin2_pcode is None:
        return small.admin2_pcode is not None
    # A neighbourhood carries its city's point: the same point is the same city.
    return (
        _is_neighbourhood(small)
        and not _is_neighbourhood(large)
        and small.latitude is not None
        and (small.latitude, small.longitude) == (large.latitude, large.longitude)
    )


def _trigger_start(e: Event | None) -> int:
    return min((ev.start for ev in e.evidence if ev.role == "trigger"), default=0) if e else 0


def _same_story(vague: Event, specific: Event) -> bool:
    return (
        specific.admin1_pcode == vague.admin1_pcode
        and specific.sub_event_type == vague.sub_event_type
        and vague.actor1.code in {specific.actor1.code, "UNKNOWN"}
        and (vague.event_date == specific.event_date or vague.time_precision > 1)
    )
