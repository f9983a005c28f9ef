"""Stage: assemble events from the mentions — one per (sub-event type, place, date, actor pair).

Clause by clause: the triggers decide the sub-event type, the clause's places (a coordinated list
makes one event per place), tolls, dates and actors attach by proximity, and events that restate
one another within the report are merged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..records import EXTRACTOR_VERSION, Actor, Event, Evidence
from . import dates as date_stage
from .cues import camps, coalition_targets, cue_regex, grounded
from .document import Document, Mention, Segment, starting_between, within
from .normalize import compile_ar
from .numbers import Toll, is_among_the_dead
from .places import PlaceMatch

# Rules over the cue words of data/cues.toml: a `{name}` slot is the list of that name.
_AIR_ACTOR = cue_regex(r"{air_words}")
_AGGREGATE = cue_regex(
    r"خلال\s+(?:ال)?(?:\d+\s+)?{aggregate_periods}"
    r"|منذ\s+(?:{aggregate_beginnings}|(?:ال\s*)?\d+\s+(?:من\s+)?\w+)|{grand_totals}"
    r"|(?<!ارتفعت\s)(?<!ارتفع\s)(?<!وصلت\s)حصيله"  # a toll, unless a running total rose to it
    r"|خلال\s+(?:هذه|تلك)\s+(?:الفتره|المده)|(?<!\w)[وفب]?محافظات(?!\w)"
    r"|(?<!\w){multitudes}\s+(?:من\s+)?{the_dead}"
    # A day's national toll («في أنحاء سوريا», «في مختلف المناطق السورية») is no one place's event.
    r"|(?<!\w){country_wide_spread}\s+(?:{the_country}|(?:ال)?سوريه)(?!\w)"
    r"|(?<!\w)(?:ال)?{settlement_plurals}\s+(?:و(?:ال)?{settlement_plurals}\s+)?(?:ال)?سوريه(?!\w)"
)
_ENUMERATION = compile_ar(r"^\W*(?:هم|منهم|بينهم|و?\d+\s)")
_MODAL = cue_regex(r"(?<!\w)[وفل]?{modal}")
# Background, not news: a past period («الشهر الماضي», «منذ أشهر», «قبل نحو عام») or a habit («بانتظام»,
# «ويقصف النظام …» with no date) tells what has been going on, not what happened on a day.
_BACKGROUND = cue_regex(
    r"(?<!\w)(?:(?:ال)?{past_periods}\s+(?:ال)?{past_adjectives}"
    r"|(?:منذ|قبل)\s+(?:{approximately_since}\s+)?{elapsed_periods}"
    r"|بعد\s+(?:{approximately_after}\s+)?(?:ال)?{later_periods}\s+من"
    # What a leader said of the fighting in a meeting or speech is not an event of the day.
    r"|خلال\s+{speech_nouns}"
    r"|{habit_adverbs})(?!\w)"
)
_RELATIVE = r"(?<!\w)و?(?:التي|الذي|اللتين|اللذين|اللتان|اللذان)\s+"
_ONGOING = cue_regex(_RELATIVE + r"(?:{ongoing_verbs}\s+(?:\w+\s+)?)?$")
_ONGOING_VERB = cue_regex(r"[وف]?{imperfective_attack_verbs}")
_YEAR = compile_ar(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_CONDITIONAL = compile_ar(r"(?<!\w)(?:[وف]?(?:اذا|لو|لئن)|ما\s+دام(?:ت)?)(?!\w)")
_HABITUAL_VERB = cue_regex(r"^\W*(?:و|كما\s+)?[يت]{habitual_stems}(?!\w)")
# «في محاولة لانتزاع السيطرة على …», «بهدف السيطرة على»: a purpose, not a capture.
_PURPOSE = cue_regex(r"(?<!\w)(?:[وف]?{purpose_words}\s+(?:\w+\s+)?|[وف]?ل{purpose_infinitives}\s+)$")
_MUTUAL = cue_regex(r"{mutual}")
_SUPPORTED_BY = cue_regex(r"(?<!\w){support_words}\s+(?:{support_kinds}\s+)?(?:من\s+)?ب?$")
# «ردا على قصف النظام …», «في رد على هجوم …»: what is answered is the other side's act, told as the motive.
_RETALIATION_MARK = compile_ar(r"(?<!\w)(?:[وف]?ردا|في\s+رد)\s+على(?!\w)")
# «غارات على حقول ألغام», «دمرت منصة إطلاق صواريخ»: the weapon is the target, not the means of the attack.
# «وتم اغتنام دبابتين … وقاعدتي صواريخ»: weapons seized are spoils of a fight, not a bombardment.
_SEIZED = cue_regex(r"(?<!\w)[وف]?{seizure_words}(?!\w)[^.،؛]*$")
_WEAPON_AS_TARGET = cue_regex(r"(?<!\w)[وبل]?(?:ال)?{weapon_sites}\s+(?:(?:ال)?(?:{weapon_site_uses}|لل?)\s*)?$")
_FIGHTING_FOR_IT = frozenset({"Armed clash", "Shelling/artillery/missile attack"})
_TERRITORY = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
_HOW_TAKEN = cue_regex(r"\W*(?:و)?{after_words}\s+(?:\w+\s+)?{fighting_nouns}")
_COUNTRY_WIDE = cue_regex(r"(?<!\w)(?:في\s+)?{compass_points}\s+{the_country}(?!\w)")
_RESTATED = cue_regex(r"\w+\s+(?:ال)?{restating_adjectives}(?!\w)")
# «… إن القصف استهدف»: the definite bare noun refers back to a bombardment already told.
_THE_BOMBARDMENT = compile_ar(r"^\W*(?:\w+\s+){0,6}?(?:ان|وان|بان)\s+(?:هذا\s+)?القصف\s+(?!\w*(?:مدفعي|صاروخي))")
# A capture told by its past verb: «سيطرت الفصائل على», «سيطر، الخميس، على», «استعادوا السيطرة», «بسطت سيطرتها».
_CAPTURE = cue_regex(r"[وف]?{capture_verbs}$")
_GROUND_FIRE = cue_regex(r"{ground_fire}")
_PARENTHESES = compile_ar(r"\([^()]{0,40}\)")
_RESULT = cue_regex(r"\W*(?:و|ف)?(?:ما|مما)?\s*{result_verbs}")
_ANAPHOR = cue_regex(r"(?<!\w)[وبل]?(?:(?:ال|لل){anaphoric_place_nouns}|فيها|ذاتها|نفسها)(?!\w)")
_TARGET_NOUNS = cue_regex(r"(?<!\w)[وبل]?{target_markers}\W*$")
# «على أحد أحياء مدينة حلب»: an unnamed quarter of the city, the one a later sentence names.
_SOME_QUARTER = compile_ar(r"(?<!\w)(?:احد|بعض)\s+(?:ال)?احياء\s+(?:مدينه\s+)?$")
_AGENT_MARKERS = cue_regex(r"(?<!\w){agent_markers}\W*$")


# A single report's toll above this is a statistic of the war («مقتل 2927 من داعش»), not one event's.
STATISTIC_TOLL = 500
MAX_EVIDENCE = 40
STORY_REACH = 40  # events either side of a governorate-level mention that it may be folded into


@dataclass
class Candidate:
    sub_event_type: str
    event_type: str
    trigger: Mention
    clause: int
    sentence: int
    place: Mention
    first_in_list: bool
    tolls: list[Mention] = field(default_factory=list)
    listed: bool = False  # one of a coordinated list of places: a place of its own, never a restatement


def assemble(doc: Document) -> Document:
    candidates, muted = _candidates(doc)
    _attach_tolls(doc, candidates, muted)
    # Governorate-level mentions fold into the town event they continue, before restatements merge.
    built = _merge_vague(
        [_build(doc, cand) for cand in candidates],
        [
            "quarter"
            if _SOME_QUARTER.search(doc.norm, max(0, cand.place.start - 30), cand.place.start)
            else cand.place.value.vague and not cand.listed
            for cand in candidates
        ],
    )
    events: dict[tuple, Event] = {}
    for event in built:
        # Restatements of one event (same type, place and day) merge, whatever actors each sentence names.
        key = (event.sub_event_type, event.location_ar, event.admin1_pcode, event.event_date)
        events[key] = _merge(events[key], event) if key in events else event
    return doc.with_(events=_targets_of_bombardments_amid_fighting(_regains(_one_bombing(list(events.values())))))


def _one_bombing(events: list[Event]) -> list[Event]:
    """A bombing told once as suicide and once as a vehicle bomb («فجروا شاحنتين ملغومتين») at the same place
    on the same day is one suicide bombing."""
    suicide = {
        (e.location_ar, e.admin1_pcode, e.event_date): i
        for i, e in enumerate(events)
        if e.sub_event_type == "Suicide bomb"
    }
    if not suicide:
        return events
    out: list[Event | None] = list(events)
    for i, e in enumerate(events):
        j = suicide.get((e.location_ar, e.admin1_pcode, e.event_date))
        kept = out[j] if j is not None else None
        if e.sub_event_type == "Remote explosive/landmine/IED" and kept is not None:
            out[j] = _merge(kept, e)
            out[i] = None
    return [e for e in out if e is not None]


def _regains(events: list[Event]) -> list[Event]:
    """A capture by the regime or its allies is ACLED's «Government regains territory»."""
    from dataclasses import replace

    return [
        replace(e, sub_event_type="Government regains territory")
        if e.sub_event_type == "Non-state actor overtakes territory" and _ALLIES.get(e.actor1.code) == "regime"
        else e
        for e in events
    ]


_BOMBARDMENTS = frozenset({"Air/drone strike", "Shelling/artillery/missile attack"})


def _targets_of_bombardments_amid_fighting(events: list[Event]) -> tuple[Event, ...]:
    """A side bombing a place where it fights someone that day bombs that someone: «قصف جوي على البلدة وسط
    اشتباكات بين قوات النظام والفصائل» → actor2 the factions (a bombardment with dead civilians keeps them)."""
    from dataclasses import replace

    fights: dict[tuple, list[tuple[Actor, Actor]]] = {}
    for e in events:
        if e.sub_event_type == "Armed clash" and e.actor2 is not None:
            fights.setdefault((e.location_ar, e.admin1_pcode, e.event_date), []).append((e.actor1, e.actor2))
    if not fights:
        return tuple(events)
    out = []
    for e in events:
        if e.sub_event_type in _BOMBARDMENTS and e.actor2 is None and e.actor1.code != "UNKNOWN":
            side = _ALLIES.get(e.actor1.code, e.actor1.code)
            for a, b in fights.get((e.location_ar, e.admin1_pcode, e.event_date), []):
                if _ALLIES.get(a.code, a.code) == side:
                    e = replace(e, actor2=Actor(b.code, b.name, None))
                    break
                if _ALLIES.get(b.code, b.code) == side:
                    e = replace(e, actor2=Actor(a.code, a.name, None))
                    break
        out.append(e)
    return tuple(out)


# ---------------------------------------------------------------- candidates


def _candidates(doc: Document) -> tuple[list[Candidate], set[int]]:
    """Event candidates, and the clauses muted as statistics (whose tolls must not attach elsewhere)."""
    out: list[Candidate] = []
    muted: set[int] = set()
    last_places: list[Mention] = []
    last_type_in_sentence: dict[int, str] = {}
    suppressed_sentence_tail: set[int] = set()
    last_bombardment: str | None = None
    statistics_sentences: set[int] = set()
    for ci, clause in enumerate(doc.clauses):
        text = doc.norm[clause.start : clause.end]
        places = _clause_places(doc, clause)
        aggregate = bool(_AGGREGATE.search(text)) or _statistic_toll(doc, clause)
        if clause.sentence in statistics_sentences:
            muted.add(ci)
            continue
        if aggregate and not any(c.sentence == clause.sentence for c in out):
            # «وثق المرصد … 26350 غارة خلال الأشهر التسعة، واستهدفت …»: a statistic opens the sentence; all of it is
            statistics_sentences.add(clause.sentence)
        if aggregate:
            suppressed_sentence_tail.add(clause.sentence)
        elif clause.sentence in suppressed_sentence_tail and _ENUMERATION.match(text):
            muted.add(ci)
            continue
        else:
            suppressed_sentence_tail.discard(clause.sentence)
        if aggregate or _MODAL.search(text) or _background(doc, clause, text):
            muted.add(ci)
            if places:
                last_places = places
            continue
        triggers = within(doc.triggers, clause.start, clause.end)
        if triggers and not within(doc.dates, clause.start, clause.end):
            # «الزبداني التي تتعرض لهجوم واسع», «عمليات الثوار التي تستهدف الفوعة»: an undated relative clause in the
            # imperfective describes what is going on, not an event of the day.
            triggers = [t for t in triggers if not _ongoing(doc, clause, t)]
        triggers = [t for t in triggers if not _weapon_targeted(doc, clause, t)]
        previous = last_type_in_sentence.get(clause.sentence)
        if previous is None and last_bombardment == "Air/drone strike" and _THE_BOMBARDMENT.match(text):
            previous = last_bombardment  # «وقال المرصد إن القصف استهدف قرية…»: the raid just told, told again
        kinds = _kinds(doc, clause, triggers, previous)
        last_bombardment = next((k[0] for k in kinds if k[0] in _BOMBARDMENTS), last_bombardment)
        if kinds and all(p.value.vague for p in places):
            ahead = _places_ahead(doc, ci)
            places = ahead or places
        if kinds and places and all(p.value.vague for p in places) and last_places and _ANAPHOR.search(text):
            places = last_places  # «سقوط 160 قذيفة على البلدتين الواقعتين في محافظة حلب»
        if (
            last_type_in_sentence.get(clause.sentence) in _TERRITORY
            and _HOW_TAKEN.match(text)
            and all(k[0] == "Armed clash" for k in kinds)
        ):
            kinds = []  # «سيطرت الفصائل على التلة، بعد اشتباكات عنيفة مع قوات النظام»: how it was taken
        if (
            not places
            and last_type_in_sentence.get(clause.sentence) in _TERRITORY
            and all(k[0] in _FIGHTING_FOR_IT for k in kinds)
        ):
            kinds = []  # «سيطر الثوار على تلة …، وقال قائد إنهم استهدفوا قوات النظام في محيطها»: how it was taken
        if not places and kinds and all(_RESTATED.search(doc.norm, k[2].start, k[2].end + 14) for k in kinds):
            kinds = []  # «ويأتي الهجوم الجديد بعد …», «هذا القصف»: the event just told, told again
        if not places and kinds:
            if any(k[0] == "Non-state actor overtakes territory" for k in kinds):
                kinds = [k for k in kinds if k[0] != "Non-state actor overtakes territory"]
            # «قصف جوي لمناطق في جنوب سوريا وشمالها»: the whole country, not the place last told
            inherit = last_places and _can_inherit(doc, clause, last_places) and not _COUNTRY_WIDE.search(text)
            places = last_places if inherit else []
            if not places and not last_places:
                places = _first_place_after(doc, clause)
        if places:
            last_places = places
        for sub, etype, trig in kinds:
            last_type_in_sentence[clause.sentence] = sub
            for idx, place in enumerate(places):
                out.append(Candidate(sub, etype, trig, ci, clause.sentence, place, idx == 0, listed=len(places) > 1))
    return out, muted


def _weapon_targeted(doc: Document, clause: Segment, t: Mention) -> bool:
    """A weapon that was the target («غارات على حقول ألغام») or was seized, not the means of the attack."""
    lo = max(clause.start, t.start - 40)
    if t.label in {"ied", "artillery"} and _SEIZED.search(doc.norm, max(clause.start, t.start - 80), t.start):
        return True
    return t.label in {"ied", "artillery"} and bool(_WEAPON_AS_TARGET.search(doc.norm, lo, t.start))


def _answered_span(doc: Document, clause: Segment) -> tuple[int, int] | None:
    """Where, in this clause, the answered attack is told: from «ردا على» to the clause's end."""
    found = _RETALIATION_MARK.search(doc.norm, clause.start, clause.end)
    return (found.start(), clause.end) if found else None


def _ongoing(doc: Document, clause: Segment, t: Mention) -> bool:
    found = _ONGOING.search(doc.norm, max(clause.start, t.start - 30), t.start)
    if found is None:
        return False
    # «التي تتعرض لهجوم»: an ongoing verb governs the trigger; «التي تستهدف»: the trigger is itself imperfective.
    return found.end() - found.start() > len(found.group().split()[0]) + 1 or bool(
        _ONGOING_VERB.fullmatch(doc.norm, t.start, t.end)
    )


def _background(doc: Document, clause: Segment, text: str) -> bool:
    """A clause telling a past period, an earlier year («بدأت المعارك في حلب في صيف 2012»), a habit, or a
    condition («إذا سيطرت …», «ما دامت …»): not an event that happened on a day of the news."""
    if _BACKGROUND.search(text) or _CONDITIONAL.search(text):
        return True
    year = doc.report.published_at.year
    if any(1900 < int(y) < year for y in _YEAR.findall(text)):
        return True
    return bool(_HABITUAL_VERB.match(text)) and not within(doc.dates, clause.start, clause.end)


def _statistic_toll(doc: Document, clause: Segment) -> bool:
    """A toll above one event's scale, or thousands of anything that is not a year («26350 غارة»)."""
    tolls = within(doc.tolls, clause.start, clause.end)
    if any(t.value.count is not None and t.value.count > STATISTIC_TOLL for t in tolls):
        return True
    return any(not 1900 <= int(n) <= 2100 for n in _BIG_NUMBER.findall(doc.norm, clause.start, clause.end))


# «عين اليوم – بيروت»: the city an agency files from, not where anything happened.
_DATELINE = compile_ar(r"\W*(?:\w+\s+){0,3}[-–]\s*$")
_BIG_NUMBER = compile_ar(r"(?<!\d)\d{4,9}(?!\d)")


def _places_ahead(doc: Document, ci: int) -> list[Mention]:
    """«وقصفت فصائل معارضة في حلب، مواقع للجيش النظامي في نبل والزهراء»: the towns of the next clause of
    the sentence, when that clause tells no event of its own."""
    for nxt in doc.clauses[ci + 1 : ci + 4]:
        if nxt.sentence != doc.clauses[ci].sentence or within(doc.triggers, nxt.start, nxt.end):
            return []
        places = _clause_places(doc, nxt)
        if places and not places[0].value.vague:
            return places
    return []


def _first_place_after(doc: Document, clause: Segment) -> list[Mention]:
    """A lead sentence with no place («مقتل قائدين في غارة جوية بشمال شرق سوريا») is placed by the
    details that follow it («الغارة الجوية التي استهدفت محافظة الحسكة»), within two sentences."""
    later = [p for p in doc.places if p.start >= clause.end and doc.sentence_index(p.start) <= clause.sentence + 2]
    return later[:1]


def _can_inherit(doc: Document, clause: Segment, last_places: list[Mention]) -> bool:
    """A clause without a place continues the story of the last place, within two sentences."""
    return doc.sentence_index(last_places[0].start) >= clause.sentence - 2 or bool(
        _ANAPHOR.search(doc.norm, clause.start, clause.end)
    )


_LIST_JOINT = cue_regex(r"و|،|و?{listed_place_nouns}?\s*و?|و{conjoined_place_nouns}")
_LISTED_CITY = compile_ar(r"،?\s*و|،")


_REGION_WORD = cue_regex(r"{region_words}")


def _city(doc: Document, p: Mention) -> bool:
    """A governorate named by its city alone («حلب»), not a countryside or a province («الريف الشرقي لدمشق»)."""
    return p.value.vague and not _REGION_WORD.search(doc.norm, p.start, p.end)


def _between(doc: Document, a: Mention, b: Mention) -> str:
    return _PARENTHESES.sub("", doc.norm[a.end : b.start]).strip()


def _clause_places(doc: Document, clause: Segment) -> list[Mention]:
    """The places an event in this clause happened at: the first specific place and those coordinated with it."""
    places = [p for p in within(doc.places, clause.start, clause.end) if not _DATELINE.match(doc.norm, 0, p.start)]
    specific = [p for p in places if not p.value.vague]
    if not specific:
        return places[:1]
    k = places.index(specific[0])
    chain = [specific[0]]
    # «قرب حلب والحسكة وعين العرب»: a governorate's city coordinated with a town is a place of the list too.
    for p in reversed(places[:k]):
        if not (_city(doc, p) and _LISTED_CITY.fullmatch(_between(doc, p, chain[0]))):
            break
        chain.insert(0, p)
    for p in places[k + 1 :]:
        between = _between(doc, chain[-1], p)
        if p.value.vague:
            if not (_city(doc, p) and _LISTED_CITY.fullmatch(between)):
                break
        elif not _LIST_JOINT.fullmatch(between):
            break
        chain.append(p)
    return chain


def _kinds(
    doc: Document, clause: Segment, triggers: list[Mention], previous: str | None
) -> list[tuple[str, str, Mention]]:
    """Sub-event types this clause describes, from its triggers and the weapons and actors around them."""
    if not triggers:
        return []
    ids = {t.label: t for t in triggers}
    clause_actors = within(doc.actors, clause.start, clause.end)
    air_actor = any(_is_air(doc, a) for a in clause_actors)
    text = doc.norm[clause.start : clause.end]
    air = "airstrike" in ids or (air_actor and ({"shelling", "target", "execution"} & ids.keys()))
    continued = (
        not air
        and previous == "Air/drone strike"
        and not clause_actors
        and not _GROUND_FIRE.search(text)
        and bool({"shelling", "artillery", "target"} & ids.keys())
    )
    air = air or continued  # «وشنّ طيران النظام غارات على أحياء …، وقصفها بالصواريخ الفراغية»: the same raid
    kinds: list[tuple[str, str, Mention]] = []
    if "suicide" in ids:
        kinds.append(("Suicide bomb", "Explosions/Remote violence", ids["suicide"]))
    elif "ied" in ids:
        kinds.append(("Remote explosive/landmine/IED", "Explosions/Remote violence", ids["ied"]))
    if air:
        trig = (
            ids.get("airstrike") or ids.get("shelling") or ids.get("artillery") or ids.get("target") or ids["execution"]
        )
        kinds.append(("Air/drone strike", "Explosions/Remote violence", trig))
    if ("artillery" in ids and not continued) or ("shelling" in ids and not air):
        trig = ids.get("artillery") or ids["shelling"]
        kinds.append(("Shelling/artillery/missile attack", "Explosions/Remote violence", trig))
    if "clash" in ids or "assault" in ids:
        kinds.append(("Armed clash", "Battles", ids.get("clash") or ids["assault"]))
    if "target" in ids and not kinds:
        # «إضافة إلى استهدافها …» continues the bombardment just told; a newly named attacker is fighting.
        if previous in {"Shelling/artillery/missile attack", "Air/drone strike"} and not clause_actors:
            kinds.append((previous, "Explosions/Remote violence", ids["target"]))
        elif clause_actors:
            kinds.append(("Armed clash", "Battles", ids["target"]))
    if "execution" in ids and not kinds:
        kinds.append(("Attack", "Violence against civilians", ids["execution"]))
    if "abduction" in ids:
        kinds.append(("Abduction/forced disappearance", "Violence against civilians", ids["abduction"]))
    takeover = ids.get("takeover")
    if takeover is not None and (
        _PURPOSE.search(doc.norm, max(clause.start, takeover.start - 24), takeover.start)
        or doc.norm.startswith("لل", takeover.start)  # «للسيطرة على»
    ):
        takeover = None
    sentence_start = doc.sentences[clause.sentence].start
    if (
        takeover is not None
        and (clause_actors or within(doc.actors, sentence_start, clause.start))
        and _CAPTURE.match(doc.norm, takeover.start, takeover.end)
    ):
        # «سيطرت الفصائل على التلة بعد اشتباكات مع قوات النظام»: the fighting is how the place was taken; ACLED
        # codes the capture (Battles / territory), not a separate clash.
        kinds = [k for k in kinds if k[0] != "Armed clash"]
        kinds.append(("Non-state actor overtakes territory", "Battles", takeover))
    elif takeover is not None and not kinds and clause_actors:  # «السيطرة على حريق» is the fire brigade's
        kinds.append(("Non-state actor overtakes territory", "Battles", takeover))
    if _MUTUAL.search(text) and (previous == "Armed clash" or any(k[0] == "Armed clash" for k in kinds)):
        # «قصف متبادل بين الطرفين» is part of the fighting already coded, not an event of its own.
        kinds = [k for k in kinds if k[1] != "Explosions/Remote violence"]
    return kinds


# ---------------------------------------------------------------- tolls


def _attach_tolls(doc: Document, candidates: list[Candidate], muted: set[int]) -> None:
    for toll in doc.tolls:
        value: Toll = toll.value
        if value.subset:
            continue
        ci = doc.clause_index(toll.start)
        if ci in muted and value.count != 0:
            continue
        if value.count is not None and value.count > STATISTIC_TOLL:
            continue
        target = _toll_target(doc, candidates, toll, ci)
        if target is None:
            continue
        target.tolls.append(toll)
        if value.count == 0:
            # «غارات على أحياء A وB وC اقتصرت أضرارها على المادية»: nobody died at any place of the list; a
            # positive toll stays on the first place (it is not split), but zero holds for each.
            for other in candidates:
                if other is not target and other.clause == target.clause and other.trigger is target.trigger:
                    other.tolls.append(toll)


def _toll_target(doc: Document, candidates: list[Candidate], toll: Mention, ci: int) -> Candidate | None:
    same_clause = [c for c in candidates if c.clause == ci and c.first_in_list]
    if same_clause:
        return min(same_clause, key=lambda c: abs(c.trigger.start - toll.start))
    sentence = doc.clauses[ci].sentence
    same_sentence = [c for c in candidates if c.sentence == sentence and c.first_in_list]
    if not same_sentence:
        return None
    preceding = [c for c in same_sentence if c.clause < ci]
    if preceding and _RESULT.match(doc.norm, doc.clauses[ci].start):
        return max(preceding, key=lambda c: c.clause)  # «…، مما أسفر عن مقتل 30»: the toll of what came before
    if preceding and toll.value.count == 0:
        return max(preceding, key=lambda c: c.clause)  # «قصفت …، دون أنباء عن إصابات»: a trailing «no casualties»
    following = [c for c in same_sentence if c.clause > ci]
    if following:
        return min(following, key=lambda c: c.clause)
    return max(same_sentence, key=lambda c: c.clause)


def _count(tolls: list[Mention], kind: str) -> int | None:
    """Per-side counts are summed, restatements are not; a running total («ارتفع إلى») only raises it."""
    values = [t.value for t in tolls if t.label == kind]
    if not values:
        return None
    numeric = [v for v in values if v.count is not None]
    if not numeric:
        return None
    updates = [v.count for v in numeric if v.update]
    additions = sum(v.count for v in numeric if v.plus)
    numeric = [v for v in numeric if not v.plus]
    per_side: dict[str | None, int] = {}
    for v in numeric:
        if not v.update:
            per_side[v.side] = max(per_side.get(v.side, 0), v.count)
    unsided = per_side.pop(None, None)
    total = sum(per_side.values())
    if unsided is not None and unsided not in per_side.values():
        total = max(total, unsided) if total and unsided <= total else total + unsided
    if not (per_side or unsided is not None or updates):
        return additions or None
    return max([total + additions, *updates])


# ---------------------------------------------------------------- events


def _build(doc: Document, cand: Candidate) -> Event:
    report = doc.report
    clause = doc.clauses[cand.clause]
    place: PlaceMatch = cand.place.value
    p = place.place
    a1, a2, a1m, a2m = _actors(doc, cand)
    event_date, precision = _date(doc, cand)
    killed = _count(cand.tolls, "killed")
    injured = _count(cand.tolls, "injured")
    location_ar = doc.raw_text(cand.place.start, cand.place.end)
    ident = "|".join([report.id, cand.sub_event_type, p.pcode or place.key, event_date, a1.code, a2.code if a2 else ""])
    evidence = [_evidence(doc, "trigger", cand.trigger), _evidence(doc, "place", cand.place)]
    if a1m:
        evidence.append(_evidence(doc, "actor1", a1m))
    if a2m:
        evidence.append(_evidence(doc, "actor2", a2m))
    evidence += [_evidence(doc, t.label, t) for t in cand.tolls]
    confidence = 0.4 + 0.15 * (not place.vague) + 0.15 * (a1.code != "UNKNOWN") + 0.15 * (precision == 1)
    confidence += 0.1 * (killed is not None)
    return Event(
        event_id=hashlib.sha1(ident.encode()).hexdigest()[:24],
        report_id=report.id,
        revision=1,
        event_date=event_date,
        time_precision=precision,
        event_type=cand.event_type,
        sub_event_type=cand.sub_event_type,
        actor1=a1,
        actor2=a2,
        country=p.country,
        admin1=p.admin1_en,
        admin1_pcode=p.admin1_pcode,
        admin2=p.admin2_en,
        admin2_pcode=p.admin2_pcode,
        admin3=p.admin3_en,
        admin3_pcode=p.admin3_pcode,
        location=p.name_en or None,
        location_ar=location_ar,
        latitude=p.lat,
        longitude=p.lon,
        geo_precision=p.geo_precision if not place.vague else 3,
        fatalities=killed,
        injured=injured,
        source=report.source,
        notes=_notes(doc, clause, cand.trigger),
        evidence=tuple(sorted(evidence, key=lambda e: (e.start, e.role))),
        confidence=round(min(confidence, 0.95), 2),
        extractor_version=EXTRACTOR_VERSION,
        report_ids=(report.id,),
    )


def _actors(doc: Document, cand: Candidate) -> tuple[Actor, Actor | None, Mention | None, Mention | None]:
    clause = doc.clauses[cand.clause]
    sentence = doc.sentences[cand.sentence]
    everyone = within(doc.actors, clause.start, clause.end)
    helpers = [a for a in everyone if _SUPPORTED_BY.search(doc.norm, max(clause.start, a.start - 24), a.start)]
    if helpers and len(helpers) < len(everyone):
        # «الجيش مدعوما بقوات الدفاع الوطني سيطر على …»: the supporting force is neither side's head.
        everyone = [a for a in everyone if a not in helpers]
    answered = _answered_span(doc, clause)
    if answered:
        # «أطلقت الفصائل صواريخ … ردا على قصف النظام …»: the side that answered fired the rockets; the
        # bombardment answered is the other side's own event.
        inside = cand.trigger.start >= answered[0]
        everyone = [a for a in everyone if (answered[0] <= a.start < answered[1]) == inside]
    # The side the dead belong to («مقتل اثنين من قادة داعش في غارة») was hit; it did not strike.
    dead = [a for a in everyone if is_among_the_dead(doc, a)]
    in_clause = [a for a in everyone if a not in dead] if cand.sub_event_type != "Armed clash" else everyone
    a1m, a2m = _choose_actors(doc, cand, clause, sentence, in_clause)
    attack = cand.sub_event_type == "Armed clash" and cand.trigger.label in {"assault", "target"}
    if attack and a1m in dead and a2m is not None and a2m not in dead:
        a1m, a2m = a2m, a1m  # «قتل 4 من عناصر النظام في هجوم للتنظيم»: the other side attacked
    if cand.sub_event_type == "Air/drone strike" and a1m is not None and a1m.label in _GROUNDED:
        a1m, a2m = None, a2m or a1m  # «قياديا في تنظيم داعش قتلوا في غارة جوية»: the group was the target
    if cand.sub_event_type == "Non-state actor overtakes territory":
        # The side that took the place fought on the ground: not the aircraft that supported it.
        ground = [a for a in in_clause if a.label != "COALITION" and not _AIR_ACTOR.search(doc.norm[a.start : a.end])]
        if a1m is not None and a1m not in ground:
            a1m = ground[0] if ground else None
        if a1m is None:
            # «مقاتلين تابعين لها، وجبهة النصرة، استعادوا السيطرة»: the subject told earlier in the sentence
            earlier = [
                a
                for a in within(doc.actors, sentence.start, clause.start)
                if a.label != "COALITION" and not _AIR_ACTOR.search(doc.norm[a.start : a.end])
            ]
            a1m = earlier[0] if earlier else None
        if a2m is not None and a2m not in ground:
            a2m = None
        if a1m is not None and a2m is None:
            a2m = _opponent(doc, a1m, cand.sentence)
    if a2m is None and a1m is not None and a1m.label == "COALITION" and cand.sub_event_type == "Air/drone strike":
        # «استهدف التحالف مسلحي داعش بضربات جوية»: the group the coalition's raid names is its target.
        named = [a for a in everyone if a.label in _COALITION_TARGETS]
        named = named or [a for a in within(doc.actors, sentence.start, sentence.end) if a.label in _COALITION_TARGETS]
        a2m = named[0] if named else None
    if a2m is None and dead and (a1m is None or dead[0].label != a1m.label):
        a2m = dead[0]
    if a2m is None and a1m is not None and cand.sub_event_type == "Armed clash":
        a2m = _opponent(doc, a1m, cand.sentence)
    return _finish(doc, cand, a1m, a2m)


# «طائرات التحالف الدولي بقيادة الولايات المتحدة»: the longest actor name leaves the aircraft noun before it.
_AIRCRAFT_BEFORE = cue_regex(r"(?<!\w)(?:ال)?{aircraft_nouns}\s+(?:(?:ال)?حربيه\s+)?$")


def _is_air(doc: Document, a: Mention) -> bool:
    """An air force, named by its aircraft, or the US-led coalition (whose war in Syria is fought from the air)."""
    return a.label == "COALITION" or bool(
        _AIR_ACTOR.search(doc.norm[a.start : a.end]) or _AIRCRAFT_BEFORE.search(doc.norm, max(0, a.start - 24), a.start)
    )


def _right_after(doc: Document, trigger: Mention, a: Mention) -> bool:
    """VSO: the actor is the word after the verb, or the aircraft noun after it heads the actor's name."""
    gap = a.start - trigger.end
    if 0 <= gap <= 2:
        return True
    return 0 <= gap <= 26 and bool(_AIRCRAFT_BEFORE.fullmatch(doc.norm[trigger.end : a.start].lstrip()))


def _coordination_head(doc: Document, mentions: list[Mention]) -> Mention:
    """The first conjunct of the allied actors ending the list: «قوات الأسد وحزب الله بدأت» → قوات الأسد."""
    i = len(mentions) - 1
    while i > 0 and not _opposed(mentions[i - 1], mentions[i]) and _joined(doc, mentions[i - 1], mentions[i]):
        i -= 1
    return mentions[i]


def _joined(doc: Document, a: Mention, b: Mention) -> bool:
    """«X و Y» / «X وY» (the conjunction may be the proclitic of Y's mention)."""
    between = doc.norm[a.end : b.start]
    return bool(_AND.fullmatch(between)) and ("و" in between or doc.norm[b.start] == "و")


_COALITION_TARGETS = coalition_targets()
_GROUNDED = grounded()  # sides with no air force in this war: never the author of an air strike
_AND = compile_ar(r"\s*،?\s*(?:و\s*)?")
OPPONENT_REACH = 2  # sentences back (one ahead) where a fight's unnamed other side may have been named


def _opponent(doc: Document, a1m: Mention, sentence: int) -> Mention | None:
    """A fight told with one side only: the other side is the nearest opposed actor of the story — in the
    same sentence, else the sentences just before it («… بيد فصائل المعارضة. واستمرت الاشتباكات …»), else the next."""
    lo = doc.sentences[max(0, sentence - OPPONENT_REACH)].start
    hi = doc.sentences[min(len(doc.sentences) - 1, sentence + 1)].end
    pool = [
        a
        for a in within(doc.actors, lo, hi)
        if _opposed(a, a1m)
        and a.label != "COALITION"  # it fights from the air, not in ground clashes
        and not _AIR_ACTOR.search(doc.norm[a.start : a.end])
        and not _in_disjunction(doc, a)
    ]
    if not pool:
        return None
    here = doc.sentences[sentence]

    def rank(a: Mention) -> tuple[int, int]:
        s = doc.sentence_index(a.start)
        tier = 0 if s == sentence else 1 if s < sentence else 2
        return tier, abs(a.start - a1m.start) if tier == 0 else (here.start - a.start if tier == 1 else a.start)

    return min(pool, key=rank)


def _choose_actors(
    doc: Document, cand: Candidate, clause: Segment, sentence: Segment, in_clause: list[Mention]
) -> tuple[Mention | None, Mention | None]:
    a1m: Mention | None = None
    a2m: Mention | None = None
    vso = [a for a in in_clause if _right_after(doc, cand.trigger, a)]
    if cand.sub_event_type == "Armed clash" and cand.trigger.label in {"assault", "target"} and vso:
        # VSO, Arabic's plain order: «وهاجمت جبهة النصرة حاجزا لمقاتلي المعارضة» — the subject right after the
        # verb attacked; the object («حاجزا ل…», «مواقع ل…») was attacked, even a side that is usually an ally.
        a1m = vso[0]
        targets = [
            a
            for a in in_clause
            if a.start > a1m.end
            and a.label != a1m.label
            and _TARGET_NOUNS.search(doc.norm[max(clause.start, a.start - 14) : a.start])
        ]
        return a1m, (targets[0] if targets else None)
    if cand.sub_event_type == "Armed clash":
        own = [a for a in in_clause if _opposed(a, in_clause[0])] if in_clause else []
        a1m, a2m = _clash_pair(doc, cand.clause, within_clause=True)
        if a2m is None and own:
            a1m, a2m = in_clause[0], own[0]  # «فهاجمت مجموعة من عناصر التنظيم قوات النظام»
        elif a2m is None:
            a1m, a2m = _clash_pair(doc, cand.clause)
    if cand.sub_event_type in _BOMBS:
        agent = [a for a in in_clause if _BOMBER.search(doc.norm[max(clause.start, a.start - 16) : a.start])]
        agent = agent or [a for a in in_clause if a.end <= cand.trigger.start and _BOMB_VERB.match(doc.norm, a.end)]
        a1m = agent[0] if agent else None
        a2m = next((a for a in in_clause if a is not a1m), None)  # «استهدفت نقطة تفتيش تابعة لوحدات حماية الشعب»
        return a1m, a2m
    if a1m is None and cand.sub_event_type == "Air/drone strike":
        air = [a for a in within(doc.actors, sentence.start, sentence.end) if _is_air(doc, a)]
        if not air:
            # «وسط قصف جوي على البلدة»: the aircraft last named in the report flew this raid too.
            air = [a for a in doc.actors if a.end <= sentence.start and _is_air(doc, a)][-1:]
        a1m = min(air, key=lambda a: abs(a.start - cand.trigger.start)) if air else None
    if a1m is None:
        before = [a for a in in_clause if a.end <= cand.trigger.start]
        agent = [
            a
            for a in in_clause
            if a.start >= cand.trigger.end
            and _AGENT_MARKERS.search(doc.norm[max(clause.start, a.start - 12) : a.start])
        ]
        right_after = [a for a in in_clause if _right_after(doc, cand.trigger, a)]
        if right_after and cand.sub_event_type != "Armed clash":
            a1m = right_after[0]  # VSO: «قصفت قوات النظام …»
        elif before and not _TARGET_NOUNS.search(
            doc.norm[max(clause.start, (head := _coordination_head(doc, before)).start - 12) : head.start]
        ):
            a1m = head
        elif before and (subject := _subject_before_object(doc, clause, before)) is not None:
            a1m = subject  # «أعلنت غرفة عمليات … استهداف مقرات قوات النظام …»: the announcer before the object
        elif agent:
            a1m = agent[0]
        elif _ACCOMPANYING.match(doc.norm, clause.start):
            a1m = _sentence_subject(doc, sentence, clause)  # «نفذ طيران النظام غارات، وترافقت مع قصف مدفعي»
        elif cand.sub_event_type == "Shelling/artillery/missile attack":
            a1m = _last_shelling_actor(doc, clause.start)  # «وأدى سقوط مئات القذائف…»: whoever fired them
        else:
            earlier = [a for a in doc.actors if sentence.start <= a.start < clause.start]
            # «واستمرت الاشتباكات في محيط البلدة، حيث تحاول قوات النظام التقدم»: the sentence names the side.
            later = [a for a in doc.actors if clause.end <= a.start < sentence.end]
            if cand.sub_event_type == "Armed clash" and (earlier or later):
                a1m = (earlier or later)[0]
    if a2m is None:
        targets = [
            a
            for a in in_clause
            if a is not a1m
            and (a1m is None or a.label != a1m.label)
            and _TARGET_NOUNS.search(doc.norm[max(clause.start, a.start - 14) : a.start])
        ]
        a2m = targets[0] if targets else None
    return a1m, a2m


def _subject_before_object(doc: Document, clause: Segment, before: list[Mention]) -> Mention | None:
    """The last actor before the trigger that is not itself an object («مقرات X», «ضد X»)."""
    subjects, previous, previous_object = [], None, False
    for a in before:
        is_object = bool(_TARGET_NOUNS.search(doc.norm[max(clause.start, a.start - 12) : a.start])) or (
            previous_object and not _opposed(previous, a) and _joined(doc, previous, a)
        )  # «مواقع للجيش النظامي وحزب الله»: the conjunct of an object is an object too
        if not is_object:
            subjects.append(a)
        previous, previous_object = a, is_object
    return subjects[-1] if subjects else None


# A clause told as accompanying the one before («وترافقت الغارات مع قصف مدفعي») shares its attacker.
_ACCOMPANYING = cue_regex(r"\W*و?{accompanying_verbs}(?!\w)")


def _sentence_subject(doc: Document, sentence: Segment, clause: Segment) -> Mention | None:
    """The first actor of the sentence before this clause that is not named as a target."""
    for a in within(doc.actors, sentence.start, clause.start):
        if not _TARGET_NOUNS.search(doc.norm[max(sentence.start, a.start - 14) : a.start]):
            return a
    return None


def _last_shelling_actor(doc: Document, before: int) -> Mention | None:
    """The side last said to fire shells or rockets before this point («أطلقت فصائل المعارضة 300 قذيفة»)."""
    found = None
    for t in doc.triggers:
        if t.start >= before or t.label not in {"shelling", "artillery"}:
            continue
        ci = doc.clause_index(t.start)
        clause = doc.clauses[ci]
        near = [
            a for a in within(doc.actors, clause.start, clause.end) if abs(a.start - t.end) <= 40 or a.end <= t.start
        ]
        subject = [a for a in near if not _TARGET_NOUNS.search(doc.norm[max(clause.start, a.start - 14) : a.start])]
        if subject:
            found = subject[0]
    return found


_BOMBS = frozenset({"Remote explosive/landmine/IED", "Suicide bomb"})
_BOMBER = cue_regex(r"(?:{bomber_markers}|(?<!\w)[وف]?{bomber_verbs})\W*(?:\w+\W+)?$")
# «عناصر من التنظيم فجروا شاحنتين»: the subject before the verb of the bombing.
_BOMB_VERB = cue_regex(r"\W*(?:\w+\s+){0,1}{bomb_verbs}(?!\w)")


def _finish(
    doc: Document, cand: Candidate, a1m: Mention | None, a2m: Mention | None
) -> tuple[Actor, Actor | None, Mention | None, Mention | None]:
    """Actors from their mentions; with no named target, the victims' side from the toll («مقتل 5 مدنيين»)."""
    if a1m is not None and _in_disjunction(doc, a1m):
        a1m = None  # «نفذها الجيش السوري أو قوات التحالف»: the report does not know who
    a1 = _actor(doc, a1m) if a1m else Actor("UNKNOWN", "Unidentified", None)
    clause = doc.clauses[cand.clause]
    if a1m is None and cand.sub_event_type == "Air/drone strike" and _BARREL.search(doc.norm, clause.start, clause.end):
        # Only the regime drops barrel bombs (SOHR, ACLED; both gold sets code unattributed barrels so).
        a1 = Actor("SYRIAN_REGIME", "Military Forces of Syria", None)
    if a2m is not None:
        a2: Actor | None = _actor(doc, a2m)
    else:
        sides = [t.value.side for t in cand.tolls if t.value.side and t.value.side != a1.code]
        clause = doc.clauses[cand.clause]
        if not sides and cand.tolls and within(doc.victims, clause.start, clause.end):
            sides = ["CIVILIANS"]  # «قتلت سيدة وثلاثة من أطفالها جراء قصف…»: the dead are civilians
        a2 = Actor(sides[0], _NAMES.get(sides[0], sides[0].title()), None) if sides else None
    if a2 is not None and a2.code == a1.code:
        a2 = None
    if a2 is None and cand.sub_event_type == "Attack":
        a2 = Actor("CIVILIANS", "Civilians", None)  # an execution with no named side killed civilians
    return a1, a2, a1m, a2m


_BARREL = cue_regex(r"(?<!\w)[وبل]?(?:ال)?{barrel_bombs}(?!\w)")
_OR = compile_ar(r"^\s*او\s+(?:\w+\s+){0,2}$")


def _in_disjunction(doc: Document, m: Mention) -> bool:
    """Is the actor one of «X أو Y» (two different sides offered as alternatives)?"""
    after = starting_between(doc.actors, m.end, m.end + 30)
    before = [a for a in starting_between(doc.actors, max(0, m.start - 60), m.start) if a.end <= m.start]
    return any(a.label != m.label and _OR.match(doc.norm[m.end : a.start]) for a in after[:1]) or any(
        a.label != m.label and _OR.match(doc.norm[a.end : m.start]) for a in before[-1:]
    )


# The victims' side of a toll by its code (victims.jsonl has codes, not names).
_NAMES = {"CIVILIANS": "Civilians"}
# Sides that fight together: named one after the other («قوات النظام وحزب الله») they are one side.
_ALLIES = camps()


def _opposed(a: Mention, b: Mention) -> bool:
    side_a, side_b = _ALLIES.get(a.label, a.label), _ALLIES.get(b.label, b.label)
    return side_a != side_b


_BETWEEN = compile_ar(r"(?<!\w)بين\s")
_SIDE_MARK = compile_ar(r"من\s+(?:طرف|جانب|جهه)(?!\s+(?:اخر|اخري|ثانيه))")


def _clash_pair(doc: Document, ci: int, within_clause: bool = False) -> tuple[Mention | None, Mention | None]:
    """«اشتباكات بين X من طرف، وY من طرف آخر»: the pair named in this clause or, for a clash told on
    without its sides («في الاشتباكات التي تركزت…»), in the last clause of the story that named them."""
    first_sentence = max(0, doc.clauses[ci].sentence - 1)
    fallback: tuple[Mention | None, Mention | None] = (None, None)
    for cj in range(ci, -1, -1):
        clause = doc.clauses[cj]
        if clause.sentence < first_sentence:
            break
        found = _BETWEEN.search(doc.norm, clause.start, clause.end)
        if not found:
            if within_clause:
                break  # the pair of THIS clause only: an earlier «بين» names another fight's sides
            continue
        end = clause.end if within_clause else doc.clauses[min(cj + 2, len(doc.clauses) - 1)].end
        after = [a for a in doc.actors if found.end() <= a.start < end]
        if after:
            # The second side comes after «من طرف / من جانب / من جهة»; without it, the next other actor.
            side = _SIDE_MARK.search(doc.norm, after[0].end, end)
            pool = [a for a in after[1:] if side is None or a.start >= side.end()]
            partner = next((a for a in pool if _opposed(a, after[0])), None)
            if partner is not None:
                return after[0], partner
            fallback = fallback if fallback[0] else (after[0], None)
        if within_clause:
            break
    return fallback


def _actor(doc: Document, m: Mention) -> Actor:
    return Actor(m.label, m.value.get("name", m.label), doc.raw_text(m.start, m.end))


def _date(doc: Document, cand: Candidate) -> tuple[str, int]:
    clause = doc.clauses[cand.clause]
    sentence = doc.sentences[cand.sentence]
    found = date_stage.refine(within(doc.dates, clause.start, clause.end))
    place_clause = doc.clauses[doc.clause_index(cand.place.start)]
    if found is None and place_clause.sentence == cand.sentence:
        # «…قتل في ضربة جوية، بينما كان يتنقل قرب بلدة سرمدا في الثامن من يوليو»: the place's clause dates it
        found = date_stage.refine(within(doc.dates, place_clause.start, place_clause.end))
    if found is None:
        earlier = [d for d in doc.dates if sentence.start <= d.start < clause.start and not _reported_on(doc, d)]
        later = [d for d in doc.dates if clause.end <= d.start < sentence.end and not _reported_on(doc, d)]
        found = date_stage.refine(earlier[-1:]) or date_stage.refine(later[:1])
    if found is None:
        prior = [d for d in doc.dates if d.start < sentence.start and not _reported_on(doc, d)]
        found = date_stage.refine(prior[-1:])
    if found is None:
        published = doc.report.published_at.date()
        # No date in the text: ACLED codes the report's date with week precision.
        return published.isoformat(), 2
    value, precision = found
    return _iso(value), precision


# «حسبما أفاد الأحد المرصد»: the day a source spoke dates its statement, not the events other clauses tell.
_REPORTING_VERB = cue_regex(r"(?<!\w)[وف]?(?:حسبما\s+|كما\s+)?{reporting_verbs}\s+$")


def _reported_on(doc: Document, d: Mention) -> bool:
    return bool(_REPORTING_VERB.search(doc.norm, max(0, d.start - 16), d.start))


def _iso(value: date | timedelta) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _evidence(doc: Document, role: str, m: Mention) -> Evidence:
    start, end = doc.raw_span(m.start, m.end)
    return Evidence(role, start, end, doc.raw[start:end])


def _notes(doc: Document, clause: Segment, trigger: Mention) -> str:
    """The sentence around the trigger, capped so a one-sentence bulletin does not become the note."""
    sentence = doc.sentences[clause.sentence]
    start = max(sentence.start, trigger.start - 200)
    end = min(sentence.end, trigger.end + 200)
    # Cut at word boundaries: a note that starts mid-word reads as garbage.
    if start > sentence.start:
        start = doc.norm.find(" ", start, trigger.start) + 1 or start
    if end < sentence.end:
        end = doc.norm.rfind(" ", trigger.end, end) if doc.norm.rfind(" ", trigger.end, end) > 0 else end
    note = doc.raw_text(start, end).strip()
    return ("… " if start > sentence.start else "") + note + (" …" if end < sentence.end else "")


def _merge(a: Event, b: Event, keep_toll: bool = False) -> Event:
    """One event told twice: a's place and date, the better-known actor pair, the highest toll, all evidence."""
    from dataclasses import replace

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


def _merge_vague(events: list[Event], vague: list[bool | str]) -> list[Event]:
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
        kept[j] = _merge(kept[j], e, keep_toll=kept[j].fatalities is not None)
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
