"""Where a clause's event happened: its first specific place and those coordinated with it, or the story's."""

from __future__ import annotations

import bisect

from .cues import cue_regex
from .document import Document, Mention, Segment, within
from .normalize import compile_ar
from .segment import TARGETING

_PARENTHESES = compile_ar(r"\([^()]{0,40}\)")
ANAPHOR = cue_regex(r"(?<!\w)[وبل]?(?:(?:ال|لل){anaphoric_place_nouns}|فيها|ذاتها|نفسها)(?!\w)")
# «على أحد أحياء مدينة حلب»: an unnamed quarter of the city, the one a later sentence names.
_SOME_QUARTER = compile_ar(r"(?<!\w)(?:احد|بعض)\s+(?:ال)?احياء\s+(?:مدينه\s+)?$")
# «عين اليوم – بيروت»: the city an agency files from, not where anything happened.
_DATELINE = compile_ar(r"\W{0,10}(?:\w+\s+){0,3}[-–]\s*$")
# «بيروت (رويترز) - قال المرصد», «لندن، بيروت، اربيل – «الحياة»»: a line opening with the cities it was filed
# from, the agency in brackets, then a dash.
_FILED_FROM_BEFORE = compile_ar(r"\W{0,10}(?:[^\W\d]+\s*[،,]\s*){0,3}")
# Each word whole (possessive) and parted from the last: a word must not be tried split in every way.
_FILED_FROM_AFTER = compile_ar(r"(?:(?:\s*[،,]\s*|\s+)[^\W\d]++){0,4}\s*(?:\([^()]{1,30}\)\s*)?(?:-|–|—)")


def _dateline(doc: Document, place: Mention) -> bool:
    """Is this place where the report was filed from (a dateline), not where anything happened?"""
    if _DATELINE.match(doc.norm, 0, place.start):
        return True
    if not _FILED_FROM_AFTER.match(doc.norm, place.end):
        return False
    # Only at the start of a line of the raw text (the normalised text has no line breaks).
    raw_start = doc.offsets[place.start]
    line = doc.raw.rfind("\n", 0, raw_start) + 1
    start = bisect.bisect_left(doc.offsets, line)
    return bool(_FILED_FROM_BEFORE.fullmatch(doc.norm, start, place.start))


def vagueness(doc: Document, place: Mention, listed: bool) -> bool | str:
    """How a candidate's place may fold into another event: "quarter" for «أحد أحياء» (an unnamed quarter of
    the city), True for a governorate-level mention that is not one of a list of places, else False."""
    if _SOME_QUARTER.search(doc.norm, max(0, place.start - 30), place.start):
        return "quarter"
    return place.value.vague and not listed


_ACCOMPANYING = cue_regex(r"\W{0,10}و?{accompanying_verbs}(?!\w)")


CLAUSES_AHEAD = 6  # clauses of the sentence to look through for a deed's towns…
NEAR_CLAUSES = 3  # …past these, only in a clause that opens with where


def places_ahead(doc: Document, ci: int) -> list[Mention]:
    """«وقصفت فصائل معارضة في حلب، مواقع للجيش النظامي في نبل والزهراء»: the towns of the next clause of
    the sentence, when that clause tells no event of its own (up to CLAUSES_AHEAD on: «دارت اشتباكات بين القوات
    النظامية …، من جهة، ومقاتلي "جبهة النصرة"، و"جبهة أنصار الدين"، …، في محيط قرية دوير الزيتون»)."""
    for k, nxt in enumerate(doc.clauses[ci + 1 : ci + 1 + CLAUSES_AHEAD]):
        if nxt.sentence != doc.clauses[ci].sentence or within(doc.triggers, nxt.start, nxt.end):
            return []
        if _ACCOMPANYING.match(doc.norm, nxt.start, nxt.end):
            return []  # «…، ترافق ذلك مع الحصار على البلدات وهي مضايا وبقين»: what went with it, not its target
        places = clause_places(doc, nxt)
        if places and not places[0].value.vague:
            # past the first three clauses, only a clause that opens by saying where: «، في محيط قرية …»
            return places if k < NEAR_CLAUSES or _WHERE_OPENING.match(doc.norm, nxt.start, nxt.end) else []
    return []


_WHERE_OPENING = compile_ar(r"\W{0,10}(?:في|قرب|عند)\s")


_TARGET_NEXT = compile_ar(r"\W{0,10}(?:و?التي\s+)?(?:استهدفت|استهدف|طالت|طال|ضربت)(?!\w)")


def places_targeted_next(doc: Document, ci: int) -> list[Mention]:
    """«وأفاد ناشطون بسقوط 15 قتيلا جراء غارات جوية، استهدفت بلدة حرستا»: a clause with no place whose next
    clause opens with the verb of its target: the deed's place is that target, not the place told before."""
    if ci + 1 >= len(doc.clauses):
        return []
    nxt = doc.clauses[ci + 1]
    if nxt.sentence != doc.clauses[ci].sentence or not _TARGET_NEXT.match(doc.norm, nxt.start, nxt.end):
        return []
    places = clause_places(doc, nxt)
    return places if places and not places[0].value.vague else []


# «ردا على قصف النظام …», «ردا - بحسب قولها - على هجوم …», «ردا، بحسب قولها، على …», «في رد على …», «ضمن "حملة
# الرد" على …»: what is answered is the other side's act, told as the motive. (Dashes are one «-» once normalised.)
RETALIATION_MARK = compile_ar(
    r"(?<!\w)(?:[وف]?ردا(?:\s*[-(،,]\s*[^-()،,]{0,30}[-)،,])?|في\s+رد|الرد[\"']?)\s+على(?!\w)"
)


def first_place_after(doc: Document, clause: Segment) -> list[Mention]:
    """A lead sentence with no place («مقتل قائدين في غارة جوية بشمال شرق سوريا») is placed by the
    details that follow it («الغارة الجوية التي استهدفت محافظة الحسكة»), within two sentences — not by the
    place of the attack it answers («أمطرت الفصائل أربع بلدات بالقذائف، ردا على تعرض الزبداني لهجوم»)."""
    i = bisect.bisect_left(doc.places, clause.end, key=lambda p: p.start)
    later = [p for p in doc.places[i : i + 1] if doc.sentence_index(p.start) <= clause.sentence + 2]
    if later and doc.sentence_index(later[0].start) == clause.sentence:
        answered = RETALIATION_MARK.search(doc.norm, clause.end, later[0].start)
        if answered is not None:
            return []
    return later[:1]


def can_inherit(doc: Document, clause: Segment, last_places: list[Mention]) -> bool:
    """A clause without a place continues the story of the last place, within two sentences."""
    return doc.sentence_index(last_places[0].start) >= clause.sentence - 2 or bool(
        ANAPHOR.search(doc.norm, clause.start, clause.end)
    )


# «مدن الحبانية وحديثة ومخمور», «سوحا وحمادي عمر ورسم العبد»: one conjunct the gazetteer lacks («وحديثة», an
# everyday word; a name of two words) does not end the list.
# «وسنجار وتل عفر ومناطق حول الموصل»: «(ومناطق) حول/قرب/محيط» joins the next place too.
_LIST_JOINT = cue_regex(
    r"،?\s*و|،|و?{listed_place_nouns}?\s*و?|و{conjoined_place_nouns}|و\w+(?:\s+\w+)?\s+و"
    r"|(?:و\w+(?:\s+\w+)?\s+)?و?(?:(?:مناطق|مدن|بلدات|قري)\s+)?(?:حول|قرب|محيط)"
)
_LISTED_CITY = compile_ar(r"،?\s*و|،")
_REGION_WORD = cue_regex(r"{region_words}")


def _city(doc: Document, p: Mention) -> bool:
    """A governorate named by its city alone («حلب»), not a countryside or a province («الريف الشرقي لدمشق»)."""
    return p.value.vague and not _REGION_WORD.search(doc.norm, p.start, p.end)


def _in_region(p: Mention, region: Mention) -> bool:
    place = p.value.place
    return place.level != "region" and place.admin1_pcode == region.value.place.admin1_pcode


def _between(doc: Document, a: Mention, b: Mention) -> str:
    """What joins two places, without asides in parentheses or the quotes around names («بلدة "مراط" و"الجفرة"»)."""
    return _QUOTES.sub("", _PARENTHESES.sub("", doc.norm[a.end : b.start])).strip()


_QUOTES = compile_ar(r"[\"«»“”]")


def clause_places(doc: Document, clause: Segment) -> list[Mention]:
    """The places an event in this clause happened at: the first specific place and those coordinated with it."""
    places = [p for p in within(doc.places, clause.start, clause.end) if not _dateline(doc, p)]
    specific = [p for p in places if not p.value.vague]
    if not specific:
        # «في الحسكة والرقة»: governorates named by their cities and coordinated are a list, each a place.
        # «بريف دمشق وحمص ودرعا»: a countryside heading a list of cities is each one's.
        chain = places[:1]
        for p in places[1:]:
            head = _city(doc, chain[-1]) or len(chain) == 1
            if not (head and _city(doc, p) and _LISTED_CITY.fullmatch(_between(doc, chain[-1], p))):
                break
            chain.append(p)
        return chain
    if specific[0].value.place.level == "region" and (towns := [p for p in specific[1:] if _in_region(p, specific[0])]):
        # «منطقة جبل الزاوية، مستهدفة محور كل من مرعيان والمغارة»: the towns a targeting participle names in the
        # region are where the strikes fell (the most precise places). Not «في الجبل الشرقي في الزبداني».
        if TARGETING.search(doc.norm, specific[0].end, towns[0].start):
            specific = towns
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
            if not ((_city(doc, p) and _LISTED_CITY.fullmatch(between)) or _AND_IN.fullmatch(between)):
                break
        elif not _LIST_JOINT.fullmatch(between):
            break
        chain.append(p)
    return chain


# «في مدينة الرقة شمال سورية، وفي ريف دير الزور»: «and in» the countryside of another governorate, too.
_AND_IN = compile_ar(r"(?:(?:ال)?(?:شمال|جنوب|شرق|غرب)(?:ي)?\s+(?:سوريه|البلاد)\s*)?[،,]?\s*و(?:في|على)")
