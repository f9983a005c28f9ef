"""Sub-event types a clause tells, from its triggers and the weapons and actors around them."""

from __future__ import annotations

import re

from .cues import cue_regex
from .document import Document, Mention, Segment, starting_between, within
from .event_places import RETALIATION_MARK
from .normalize import compile_ar
from .sides import is_air

# «في محاولة لانتزاع السيطرة على …», «بهدف السيطرة على»: a purpose, not a capture.
_PURPOSE = cue_regex(r"(?<!\w)(?:[وف]?{purpose_words}\s+(?:\w+\s+)?|[وف]?ل{purpose_infinitives}\s+)$")
_MUTUAL = cue_regex(r"{mutual}")
# A capture told by its past verb: «سيطرت الفصائل على», «سيطر، الخميس، على», «استعادوا السيطرة», «بسطت سيطرتها».
_CAPTURE = cue_regex(r"[وف]?{capture_verbs}$")
_GROUND_FIRE = cue_regex(r"{ground_fire}")
# «تمكن الثوار، مساء أول أمس، من استعادة السيطرة على …», «استطاعت الميليشيات الكردية السيطرة على …»: a capture
# achieved, told by its noun.
_MANAGED_TO = compile_ar(
    r"(?<!\w)[وف]?(?:تمكن(?:ت|وا)?\s+(?:[^.؛\s]+\s+){0,6}?من|استطاع(?:ت|وا)?(?:\s+[^.؛\s]+){0,6}?)\s+(?:استعاده\s+)?$"
)
# «محاولة التقدم نحو القرى» is a failed assault, a fight; «للتقدم نحو», «بهدف التقدم» an aim.
_ADVANCE = compile_ar(r"[وفبل]*(?:محاول\w*\s+)?(?:ال)?تقدم")
_AIMED = cue_regex(r"(?<!\w){aim_words}\s+$")
# The aircraft that struck, as the subject of a targeting or shelling verb: «ضربة إسرائيلية جوية نفذتها طائرة بلا
# طيار استهدفت سيارة» (within five words before it) or right after it: «قصفت طائرة حربية البلدة», «واستهدفت الطائرة
# السيارة» (definite after a targeting verb: «استُهدفت طائرة» may be the aircraft hit).
_AIRCRAFT = r"(?:ال)?(?:{aircraft_nouns}|ضرب(?:ه|ات)(?:\s+\w+)?\s+جوي(?:ه)?)"
_AIRCRAFT_BEFORE_VERB = cue_regex(r"(?<!\w)" + _AIRCRAFT + r"(?:\s+\S+){0,5}\s+$")
_SHOT_DOWN = cue_regex(r"(?<!\w)[وفل]?{shoot_down_words}\s+$")  # «إسقاط طائرة»: the aircraft was the target
_AIRCRAFT_AFTER_VERB = {
    # «قصف الطائرات», «قصف من طائرة مسيرة», «قصف بطائرات مسيرة», «قصف آخر من قبل طيران النظام»
    "shelling": cue_regex(r"\s+(?:(?:ال)?اخر\s+)?(?:من\s+(?:قبل\s+)?|ب)?(?:ال)?(?:{aircraft_nouns})(?!\w)"),
    "target": cue_regex(r"\s+ال(?:{aircraft_nouns})(?!\w)"),
}
BOMBARDMENTS = frozenset({"Air/drone strike", "Shelling/artillery/missile attack"})
_BOMBS = frozenset({"suicide", "ied"})  # triggers that name how an «attack» was carried out
# Towns, quarters or homes as the object of «استهداف»: bombarded, not fought.
_AREAS_TARGETED = cue_regex(r"[\s\"“”«»]+(?:عده\s+)?{targeted_areas}(?!\w)")
_REPORTED = cue_regex(r"(?<!\w)[وف]?{reporting_verbs}(?!\w)")
_OPENING = compile_ar(r"\W{0,10}(?:و|ثم\s+)?")  # what may precede a verb that opens its clause
_HARMLESS_BEFORE = cue_regex(r"(?<!\w)[وبل]?(?:ال)?{harmless_fire}\s+(?:ل|ب)?$")
_HARMLESS_AFTER = cue_regex(r"\s+(?:\w+\s+)?{harmless_fire}(?!\w)")
# «أطلقت الشرطة النار على ثلاثة مدنيين»: fire opened on the people named right after «على».
_ON_PEOPLE = compile_ar(r"(?:\s+\w+){0,3}?\s+(?:علي|باتجاه|تجاه)\s+(?:\w+\s+)?$")


BOMBARDMENT_TRIGGERS = frozenset({"shelling", "artillery", "airstrike"})  # the trigger labels of bombardments


def _means_told_next(doc: Document, clause: Segment) -> bool:
    """«استأنفت الفصائل استهداف مناطق في الفوعة، ذات الغالبية الشيعية بالقصف»: the next clause names the means
    (instrumental «ب…»), so the targeting is that bombardment, not a fight of its own."""
    ci = doc.clause_index(clause.start)
    if ci + 1 >= len(doc.clauses) or doc.clauses[ci + 1].sentence != clause.sentence:
        return False
    nxt = doc.clauses[ci + 1]
    return any(
        t.label in BOMBARDMENT_TRIGGERS and doc.norm.startswith("ب", t.start)
        for t in within(doc.triggers, nxt.start, nxt.end)
    )


def _attack_by_a_bomb(doc: Document, t: Mention, triggers: list[Mention]) -> bool:
    """«هجوما انتحاريا», «هجوم آخر بسيارة مفخخة»: the attack is the bombing named right after it, not a fight."""
    if t.label != "assault":
        return False
    return any(b.label in _BOMBS and t.end <= b.start <= t.end + 12 for b in triggers)


# «أصوات انفجارات … نتيجة قصف من طائرة مسيرة», «انفجارات ناجمة عن غارات»: the blasts of a bombardment named as
# their cause, not a bomb of their own.
_BLASTS = compile_ar(r"[وبل]?(?:ال)?انفجار(?:ا|ات)?")
_CAUSED_BY = compile_ar(r"(?<!\w)(?:نتيجه|جراء|اثر|بسبب|ناجمه\s+عن|ناتجه\s+عن|ناجمه|ناتجه)\s+(?:\S+\s+){0,4}$")


CAUSE_REACH = 160  # characters after the blasts where their cause may be named, in the same sentence


def _blasts_of_a_bombardment(doc: Document, t: Mention) -> bool:
    if t.label != "ied" or not _BLASTS.fullmatch(doc.norm, t.start, t.end):
        return False
    return _bombardment_named_after(doc, t, _CAUSED_BY)


def _bombardment_named_after(doc: Document, t: Mention, link: re.Pattern[str]) -> bool:
    """Is a bombardment named after `t` in its sentence, with `link` («جراء», «نفذتها») ending right before it?"""
    sentence = doc.sentence_at(t.start)
    sentence_end = sentence.end if sentence else len(doc.norm)
    return any(
        b.label in BOMBARDMENT_TRIGGERS and link.search(doc.norm, t.end, b.start)
        for b in starting_between(doc.triggers, t.end, min(sentence_end, t.end + CAUSE_REACH))
    )


# «مجزرة … بعد أن شنت ثماني غارات على الرقة», «مجزرة نفذتها غارات»: the massacre is the raid's toll, told first.
_MASSACRE = compile_ar(r"[وبل]?(?:ال)?مجزر(?:ه|تين|ه\s+مروعه)?")
_MASSACRE_MEANS = compile_ar(
    r"(?<!\w)(?:نتيجه|جراء|اثر|بسبب|بعد\s+ان\s+\S+|نفذتها|نفذها|ارتكبتها|ارتكبها|سببتها|خلفتها)\s+(?:\S+\s+){0,3}$"
)


def _massacre_by_a_bombardment(doc: Document, t: Mention) -> bool:
    if t.label != "execution" or not _MASSACRE.fullmatch(doc.norm, t.start, t.end):
        return False
    return _bombardment_named_after(doc, t, _MASSACRE_MEANS)


# Up to two adjectives between a raid and the weapon it used: «قصف جوي مكثف بالصواريخ», «غارات عنيفة بالقذائف».
_RAID_ADJECTIVES = compile_ar(r"\s*(?:(?!و)\w+\s+){0,2}")


def _weapons_of_raids(doc: Document, triggers: list[Mention]) -> set[int]:
    """«لقصف جوي بالصواريخ الفراغية», «غارات بالصواريخ»: rockets written with «ب» right after an air raid are what
    the aircraft fired, not a shelling of their own. The starts of such triggers, in one pass over the clause's."""
    out: set[int] = set()
    raid_end: int | None = None
    for t in triggers:
        if t.label == "airstrike":
            raid_end = t.end
        elif (
            t.label == "artillery"
            and raid_end is not None
            and raid_end <= t.start
            and doc.norm.startswith("ب", t.start)
            and _RAID_ADJECTIVES.fullmatch(doc.norm, raid_end, t.start)
        ):
            out.add(t.start)
    return out


def _an_aim_to_advance(doc: Document, t: Mention) -> bool:
    if t.label != "assault" or not _ADVANCE.match(doc.norm, t.start, t.end):
        return False
    return doc.norm.startswith("ل", t.start) or bool(_AIMED.search(doc.norm, max(0, t.start - 12), t.start))


def _subjectless(doc: Document, clause: Segment, verb: Mention, actors: list[Mention]) -> bool:
    """«… 17 ضربة جوية نفذت قرب دير الزور، استهدفت مناطق تجمعات لداعش»: the clause opens with the verb and names no
    subject after it, so its subject is the bombardment just told; the actors it names are what was hit."""
    if not _OPENING.fullmatch(doc.norm, clause.start, verb.start):
        return False
    return not any(verb.end <= a.start <= verb.end + 2 for a in actors)


def _harmless(doc: Document, fired: Mention) -> bool:
    return bool(
        _HARMLESS_BEFORE.search(doc.norm, max(0, fired.start - 16), fired.start)
        or _HARMLESS_AFTER.match(doc.norm, fired.end)
    )


_RESULT_NEXT = compile_ar(r"\W{0,10}[وف]?(?:ما|مما)\s+(?:ادى|ادي|اسفر|تسبب|خلف)(?!\w)")


def _fired_on_civilians(doc: Document, clause: Segment, fired: Mention, actors: list[Mention]) -> bool:
    """«أطلقت الشرطة النار على ثلاثة مدنيين», «مقتل شخصين بإطلاق نار»: civilians shot, no armed men fought."""
    told_from = doc.sentences[clause.sentence].start  # «ثلاثة مدنيين، بينهم طفلة، قتلوا بعد أن تعرضوا لإطلاق نار»
    told_to = clause.end
    nxt = doc.clause_index(clause.start) + 1
    after = doc.clauses[nxt] if nxt < len(doc.clauses) else None
    if after is not None and after.sentence == clause.sentence and _RESULT_NEXT.match(doc.norm, after.start, after.end):
        told_to = after.end  # «فتحت القناصة نيرانها على الحي ما أدى لمقتل مدني»: the shots' outcome
    civilians = [v for v in within(doc.victims, told_from, told_to) if v.label == "CIVILIANS"]
    if any(_ON_PEOPLE.match(doc.norm[fired.end : v.start] + " ") for v in civilians if 0 <= v.start - fired.end <= 40):
        return True
    return bool(civilians) and len({a.label for a in actors}) <= 1  # only the shooters named


def _reported_control(doc: Document, clause: Segment, control: Mention | None) -> Mention | None:
    """«وأفاد المرصد أمس بسيطرة قوات حزب الله والنظام على سهل الزبداني», «أعلنت المعارضة سيطرتها على تل
    الجموع»: control reported as news is a capture; the bare noun elsewhere is a state of things («مناطق سيطرة
    التنظيم»)."""
    if control is None:
        return None
    return control if _REPORTED.search(doc.norm, max(clause.start, control.start - 50), control.start) else None


def _struck_by_aircraft(doc: Document, clause: Segment, trigger: Mention) -> bool:
    before = doc.norm[max(clause.start, trigger.start - 60) : trigger.start]
    subject = _AIRCRAFT_BEFORE_VERB.search(before)
    if subject is not None and not _SHOT_DOWN.search(before, 0, subject.start()):
        return True
    return bool(_AIRCRAFT_AFTER_VERB[trigger.label].match(doc.norm, trigger.end, clause.end))


def _air_subject(doc: Document, clause: Segment, trigger: Mention, clause_actors: list[Mention]) -> bool:
    """Is the side named first before the trigger in its clause an air force («شن الطيران الإسرائيلي هجوما»)?"""
    before = [a for a in clause_actors if a.end <= trigger.start]
    return bool(before) and is_air(doc, before[0])


def clause_kinds(
    doc: Document, clause: Segment, triggers: list[Mention], previous: str | None
) -> list[tuple[str, str, Mention]]:
    """Sub-event types this clause describes, from its triggers and the weapons and actors around them."""
    fired_from_the_air = _weapons_of_raids(doc, triggers)
    triggers = [
        t
        for t in triggers
        if t.start not in fired_from_the_air
        and not _an_aim_to_advance(doc, t)
        and not _attack_by_a_bomb(doc, t, triggers)
        and not _blasts_of_a_bombardment(doc, t)
        and not _massacre_by_a_bombardment(doc, t)
    ]
    # «… ردا على قصف النظام», «ضمن "حملة الرد" على مجزرة الكيماوي»: the act answered is the motive, not a deed of
    # this day, unless the clause dates it («ردا على هجوم انتحاري وقع الاثنين في سوروتش»).
    answered = RETALIATION_MARK.search(doc.norm, clause.start, clause.end)
    if answered is not None and not within(doc.dates, answered.end(), clause.end):
        triggers = [t for t in triggers if t.start < answered.start()]
    if not triggers:
        return []
    ids = {t.label: t for t in triggers}
    if "chemical" in ids:
        # «قذائف تحتوي على غازات سامة», «براميل بغاز الكلور»: the shells or barrels only delivered the gas.
        return [("Chemical weapon", "Explosions/Remote violence", ids["chemical"])]
    clause_actors = within(doc.actors, clause.start, clause.end)
    air_actor = any(is_air(doc, a) for a in clause_actors)
    text = doc.norm[clause.start : clause.end]
    air = "airstrike" in ids or (air_actor and ({"shelling", "target", "execution"} & ids.keys()))
    air = air or any(_struck_by_aircraft(doc, clause, ids[label]) for label in ("shelling", "target") if label in ids)
    # «شن الطيران الحربي الإسرائيلي هجوماً على المرفأ», «طائرات إسرائيلية أطلقت صواريخ على المرفأ»: an attack or
    # rockets whose subject is an air force are an air strike.
    air_attack = "clash" not in ids and any(
        label in ids and _air_subject(doc, clause, ids[label], clause_actors) for label in ("assault", "artillery")
    ) and not _GROUND_FIRE.search(text)
    air = air or air_attack
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
            ids.get("airstrike")
            or ids.get("shelling")
            or ids.get("artillery")
            or ids.get("target")
            or ids.get("execution")
            or ids["assault"]
        )
        kinds.append(("Air/drone strike", "Explosions/Remote violence", trig))
    if ("artillery" in ids and not continued and not air_attack) or ("shelling" in ids and not air):
        trig = ids.get("artillery") or ids["shelling"]
        kinds.append(("Shelling/artillery/missile attack", "Explosions/Remote violence", trig))
    if "clash" in ids or ("assault" in ids and not air_attack):
        kinds.append(("Armed clash", "Battles", ids.get("clash") or ids["assault"]))
    if "target" in ids and not kinds:
        # «إضافة إلى استهدافها …» continues the bombardment just told; a newly named attacker is fighting.
        if previous in BOMBARDMENTS and (not clause_actors or _subjectless(doc, clause, ids["target"], clause_actors)):
            kinds.append((previous, "Explosions/Remote violence", ids["target"]))
        elif _AREAS_TARGETED.match(doc.norm, ids["target"].end):
            # «استأنفت الفصائل استهداف مناطق في الفوعة», «استهدف قريتي الفوعة وكفريا»: towns and quarters are
            # bombarded, not fought; a fight has forces on the other side.
            kinds.append(("Shelling/artillery/missile attack", "Explosions/Remote violence", ids["target"]))
        elif clause_actors and not _means_told_next(doc, clause):
            kinds.append(("Armed clash", "Battles", ids["target"]))
    if "execution" in ids and not kinds:
        kinds.append(("Attack", "Violence against civilians", ids["execution"]))
    fired = ids.get("gunfire")
    if fired is not None and not kinds and not _harmless(doc, fired):
        # Shots at armed men are a fight, whoever they are; shots at civilians are an attack on them.
        kinds.append(
            ("Attack", "Violence against civilians", fired)
            if _fired_on_civilians(doc, clause, fired, clause_actors)
            else ("Armed clash", "Battles", fired)
        )
    if "abduction" in ids:
        kinds.append(("Abduction/forced disappearance", "Violence against civilians", ids["abduction"]))
    # «استعادت قوات النظام السيطرة على البلدة»: the verb, not the noun after it, tells the capture.
    verbs = [t for t in triggers if t.label == "takeover" and _CAPTURE.match(doc.norm, t.start, t.end)]
    takeover = verbs[0] if verbs else ids.get("takeover")
    takeover = takeover or _reported_control(doc, clause, ids.get("control_reported"))
    if takeover is not None and (
        _PURPOSE.search(doc.norm, max(clause.start, takeover.start - 24), takeover.start)
        or doc.norm.startswith("لل", takeover.start)  # «للسيطرة على»
    ):
        takeover = None
    sentence_start = doc.sentences[clause.sentence].start
    if (
        takeover is not None
        and (clause_actors or within(doc.actors, sentence_start, clause.start))
        and (
            takeover.label == "control_reported"  # «أعلنت الفصائل سيطرتها على …»: a capture, as news
            or _CAPTURE.match(doc.norm, takeover.start, takeover.end)
            or _MANAGED_TO.search(doc.norm, max(sentence_start, takeover.start - 80), takeover.start)
        )
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
