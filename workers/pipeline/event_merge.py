"""Merging: restatements of one event, governorate-level echoes of a town event, and whole-report fixes."""

from __future__ import annotations

import re
from dataclasses import replace

from ..gazetteer import load_gazetteer
from ..records import Actor, Event
from .event_kinds import BOMBARDMENTS
from .normalize import normalize_key
from .sides import ALLIES

MAX_EVIDENCE = 40
STORY_REACH = 40  # events either side of a governorate-level mention that it may be folded into


# The same deed told as two kinds at one place on one day: the first kind folds into the second.
_ONE_DEED = {
    "Remote explosive/landmine/IED": "Suicide bomb",  # «فجروا شاحنتين ملغومتين» in a suicide attack
    "Abduction/forced disappearance": "Attack",  # «خطفوا شابين … ثم أعدموهما»: the abducted were killed
}


_BOMBINGS = ("Suicide bomb", "Remote explosive/landmine/IED")
# «قتل 38 شخصا في هجوم لداعش قرب مخيم …، وقال المرصد إن خمسة انتحاريين فجروا أنفسهم»: an «attack» with no word of
# fighting, where a bombing struck that day, is the bombing.
_ATTACK_WORD = re.compile(r"^[وفبل]*(?:ال)?(?:هجوم|هجوما|هجومه|هجومها|هجمات|اعتداء|الاعتداء)$")


def _the_bombing(e: Event) -> bool:
    triggers = [ev.text for ev in e.evidence if ev.role == "trigger"]
    return (
        e.sub_event_type == "Armed clash"
        and bool(triggers)
        and all(_ATTACK_WORD.match(normalize_key(t)) for t in triggers)
    )


def _attacker_taken_for_target(bombing: Event, attack: Event) -> bool:
    """«وبدأ هجوم جبهة النصرة … بتفجير ثلاث سيارات ملغمة»: the bombing, with no known author, names the side
    whose attack it opened as its target; the attack's pair is the right one."""
    return (
        bombing.actor1.code == "UNKNOWN"
        and bombing.actor2 is not None
        and attack.actor1.code == bombing.actor2.code
    )


def one_deed(events: list[Event]) -> list[Event]:
    """A bombing told once as suicide and once as a vehicle bomb is one suicide bombing; an abduction whose
    victims were killed there that day is one killing; an «attack» where a bomb went off is the bombing."""
    stronger = {
        (e.sub_event_type, e.location_ar, e.admin1_pcode, e.event_date): i
        for i, e in enumerate(events)
        if e.sub_event_type in _ONE_DEED.values() or e.sub_event_type in _BOMBINGS
    }
    if not stronger:
        return events
    out: list[Event | None] = list(events)
    for i, e in enumerate(events):
        where = (e.location_ar, e.admin1_pcode, e.event_date)
        j = stronger.get((_ONE_DEED.get(e.sub_event_type), *where))
        attack = j is None and _the_bombing(e)
        if attack:
            j = next((stronger[k] for k in ((b, *where) for b in _BOMBINGS) if k in stronger), None)
        kept = out[j] if j is not None else None
        if kept is not None:
            merged = merge(kept, e)
            if attack and not _attacker_taken_for_target(kept, e):
                # A fight's pair names the side first told, not the bomber: the bombing keeps its own actors.
                merged = replace(merged, actor1=kept.actor1, actor2=kept.actor2)
            out[j] = merged
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


def attacks_on_civilians(events: list[Event]) -> list[Event]:
    """An assault whose other side is civilians («هجوم شنه مقاتلو تنظيم داعش على مدينة كوباني أسفر عن مقتل 146
    مدنياً») is ACLED's «Attack»: violence against unarmed people is no battle. Asked after the merges, which fold an
    «attack» told beside a bombing into the bombing; civilians killed in fighting between two sides («نتيجة
    الاشتباكات بين …») stay that fight's toll."""
    return [
        replace(e, event_type="Violence against civilians", sub_event_type="Attack") if _assault_on_civilians(e) else e
        for e in events
    ]


_FIGHTING_WORD = re.compile(r"اشتباك|اشتبك|معارك|مواجه|اقتتال|قتال")


def _assault_on_civilians(e: Event) -> bool:
    if e.sub_event_type != "Armed clash" or e.actor2 is None or e.actor2.code != "CIVILIANS":
        return False
    return not any(ev.role == "trigger" and _FIGHTING_WORD.search(normalize_key(ev.text)) for ev in e.evidence)


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
    # …and no side is its own target («UNKNOWN/داعش» told again as «داعش/…»).
    actor2 = next((x for x in (a.actor2, b.actor2) if x is not None and x.code != actor1.code), None)
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
        if _ONE_DEED.get(kept[j].sub_event_type) == e.sub_event_type:
            kept[j] = replace(kept[j], sub_event_type=e.sub_event_type)  # the stronger kind, as `one_deed` keeps
        kept[i] = None
    return [e for e in kept if e is not None]


def _is_neighbourhood(e: Event) -> bool:
    return e.location is None and e.country == "Syria"  # neighbourhoods carry their city's codes, no name


def _inside(small: Event, large: Event) -> bool:
    """Is `small`'s place inside `large`'s: a town in its governorate, a neighbourhood in its city?"""
    if large.admin2_pcode is None:
        return small.admin2_pcode is not None
    # A neighbourhood carries its city's point: the same point is the same city — when the other is a city, not a
    # village placed at its sub-district's point for want of its own («الدار الكبيرة» at Homs's).
    return (
        _is_neighbourhood(small)
        and not _is_neighbourhood(large)
        and small.latitude is not None
        and (small.latitude, small.longitude) == (large.latitude, large.longitude)
        and _a_city(large)
    )


def _a_city(e: Event) -> bool:
    """Is the event's place a governorate, district or sub-district seat (a city that has quarters)?"""
    return any(p.level.startswith("admin") for p in load_gazetteer().lookup(e.location_ar))


def _trigger_start(e: Event | None) -> int:
    return min((ev.start for ev in e.evidence if ev.role == "trigger"), default=0) if e else 0


def _same_story(vague: Event, specific: Event) -> bool:
    return (
        specific.admin1_pcode == vague.admin1_pcode
        and (
            specific.sub_event_type == vague.sub_event_type
            # «تفجير سيارة مفخخة يقودها انتحاري … في دمشق», then «تفجير سيارة مفخخة … في منطقة مساكن برزة»: one bomb
            or _ONE_DEED.get(specific.sub_event_type) == vague.sub_event_type
        )
        and vague.actor1.code in {specific.actor1.code, "UNKNOWN"}
        and (vague.event_date == specific.event_date or vague.time_precision > 1)
    )
