"""Event candidates: clause by clause, the sub-event types and places of the events a report tells."""

from __future__ import annotations

from dataclasses import dataclass, field

from .clause_filters import (
    ENUMERATION,
    MODAL,
    background,
    charged,
    foreseen,
    is_aggregate,
    link_line,
    manner_of_killing,
    ongoing,
    opinion,
    statistic_toll,
    time_anchor,
    topical,
    weapon_targeted,
    without_negated,
)
from .cues import cue_regex
from .document import Document, Mention, Segment, within
from .event_kinds import BOMBARDMENTS, clause_kinds
from .event_places import ANAPHOR, can_inherit, clause_places, first_place_after, places_ahead, places_targeted_next
from .normalize import compile_ar

_FIGHTING_FOR_IT = frozenset({"Armed clash", "Shelling/artillery/missile attack"})
_TERRITORY = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
# «بعد اشتباكات عنيفة», «عقب معارك»: the fighting a capture came after; «سيطرة التنظيم على», «سيطرت الفصائل على».
_AFTER_FIGHTING = r"(?:و)?{after_words}\s+(?:\w+\s+)?{fighting_nouns}"
_CONTROL_OF = r"(?<!\w)(?:ال)?سيطر\w*\s+(?:\S+\s+){{0,{words}}}?على\s+"  # up to `words` words between
_HOW_TAKEN = cue_regex(r"\W{0,10}" + _AFTER_FIGHTING)
# «وأتت سيطرة التنظيم على هذه القرى "عقب اشتباكات عنيفة"»: a capture and the fighting it came after, one clause.
_TAKEN_AFTER_FIGHTING = cue_regex(_CONTROL_OF.format(words=4) + r"[^،.؛]{0,80}?(?<!\w)" + _AFTER_FIGHTING)
_TAKEN_THERE = cue_regex(_CONTROL_OF.format(words=3) + r"(?:ال|لل){anaphoric_place_nouns}(?!\w)")
_COUNTRY_WIDE = cue_regex(r"(?<!\w)(?:في\s+)?{compass_points}\s+{the_country}(?!\w)")
_RESTATED = cue_regex(r"\w+\s+(?:ال)?{restating_adjectives}(?!\w)")
# «كما طال قصف مماثل مدن وبلدات تلبيسة …», «سقط شاب في قصف مماثل على قرية عين الفيجة»: the raids just told, again.
_SIMILAR_BOMBARDMENT = compile_ar(r"(?<!\w)(?:ال)?قصف\s+(?:ال)?(?:مماثل|مشابه)(?!\w)")
# «… إن القصف استهدف»: the definite bare noun refers back to a bombardment already told.
_THE_BOMBARDMENT = compile_ar(r"^\W{0,10}(?:\w+\s+){0,6}?(?:ان|وان|بان)\s+(?:هذا\s+)?القصف\s+(?!\w*(?:مدفعي|صاروخي))")


def _listed(places: list[Mention]) -> bool:
    """A list naming a town: each place is an event's of its own. Governorates alone («في إدلب وحلب») stay vague,
    free to fold into the towns a later sentence names."""
    return len(places) > 1 and any(not p.value.vague for p in places)


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
    # Made from deaths told at a place of their own («، و13 آخرين في حي الرقة القديم»): takes no other toll.
    own_dead: bool = False
    # The tolls of the list's first place: not counted again here, but they say who the victims were.
    list_tolls: list[Mention] = field(default_factory=list)
    # Later tellings of this deed by a definite noun («ونسب الهجوم إلى التنظيم»): (clause, noun). Their tolls are
    # its tolls, and the sides they name fill the ones it leaves unknown.
    echoes: list[tuple[int, Mention]] = field(default_factory=list)


# The deeds a statistic just summed, told again by a demonstrative: their toll is the statistic's too.
_THESE_DEEDS = compile_ar(r"(?<!\w)(?:هذه|تلك)\s+(?:ال)?(?:غارات|ضربات|هجمات|عمليات|براميل|قذائف|معارك|اشتباكات)(?!\w)")
# «…، في حين قتل ثلاثة مدنيين في مدينة الأتارب», «…، وقتل أكثر من عشرة في حي الصاخور»
_DEATHS_ELSEWHERE = compile_ar(
    r"\W{0,4}(?:و(?:(?:في\s+حين|فيما|بينما|كما)\s+)?|(?:في\s+حين|فيما|بينما|كما)\s+)(?:قتل|قضى|قضي|لقي|سقط|استشهد)(?!\w)"
)


def _dead_of_a_place_of_their_own(doc: Document, clause: Segment) -> bool:
    return any(t.label == "killed" and t.value.elsewhere for t in within(doc.tolls, clause.start, clause.end))


# «قتل 21 شخصاً في غارات على دير الزور. ووثق المرصد مقتل 21 شخصاً، توزعوا على الشكل التالي: 15 شخصاً في العشارة
# …»: a sentence that tells only where the dead were may follow the deed's sentence.
DEED_SENTENCES_BACK = 2


def _deed_just_told(doc: Document, deed: Candidate, clause: Segment) -> bool:
    if deed.sentence == clause.sentence:
        return True
    sentence = doc.sentences[clause.sentence]
    deedless = not within(doc.triggers, sentence.start, sentence.end)
    return deedless and clause.sentence - deed.sentence <= DEED_SENTENCES_BACK


def _counted_dead(doc: Document, clause: Segment) -> bool:
    return any(t.label == "killed" and t.value.count for t in within(doc.tolls, clause.start, clause.end))


_PURPOSE_ADJUNCT = compile_ar(r"[وف]?بهدف$")
# «وأسفر القصف», «واستهدف الهجوم», «وقد أسفر القصف»: a definite noun of violence, subject of the verb that opens
# the clause.
_DEFINITE_SUBJECT = cue_regex(r"\W{0,10}[وف]?(?:ل?قد\s+)?(?:{result_verbs}|{restating_verbs})\w*\s+$")
_DEFINITE = compile_ar(r"[وف]?ال\w+(?:\s+ال\w+)?")


def _told_again(doc: Document, told: list[Candidate], sentence: int, sub: str, trigger: Mention) -> bool:
    """A placeless definite noun of violence, subject of the clause's verb, when an event of its kind (any
    bombardment for a bombardment, any event for «الهجوم») was told in this sentence or the one before: that
    event, told again."""
    clause = doc.clauses[doc.clause_index(trigger.start)]
    if not (
        _DEFINITE.fullmatch(doc.norm, trigger.start, trigger.end)
        and _DEFINITE_SUBJECT.match(doc.norm, clause.start, trigger.start)
    ):
        return False
    recent = [c for c in told if sentence - 1 <= c.sentence <= sentence]
    if trigger.label == "assault":
        # «الهجوم» names any attack just told, whatever its kind, even one told as background («شنه الشهر الماضي»)
        since = doc.sentences[max(0, sentence - 1)].start
        return bool(recent) or bool(within(doc.triggers, since, clause.start))
    kin = BOMBARDMENTS if sub in BOMBARDMENTS else {sub}
    return any(c.sub_event_type in kin for c in recent)


_BOMBINGS = frozenset({"Remote explosive/landmine/IED", "Suicide bomb"})
_AMID = compile_ar(r"(?<!\w)[وف]?وسط\s+$")


def _amid_the_fighting(doc: Document, trigger: Mention) -> bool:
    """«وسط المعارك»: a definite noun of violence after «وسط» sets the scene of what the clause tells."""
    return bool(
        _AMID.search(doc.norm, max(0, trigger.start - 6), trigger.start)
        and _DEFINITE.fullmatch(doc.norm, trigger.start, trigger.end)
    )


_ECHO_REACH = 40
_DEMONSTRATIVE = compile_ar(r"(?<!\w)[وفب]?(?:هذا|هذه|هذين|هاتين|تلك|ذلك)\s+$")
# The deeds a definite noun can tell again: «الهجوم» any deed; «التفجير/الانفجار» a bombing; «الانتحاري» a suicide
# bombing (after a car bomb it says the bombing was a suicide one: a new telling, folded by one_deed).
_ECHOED = {"assault": None, "ied": _BOMBINGS, "suicide": frozenset({"Suicide bomb"})}


def _echoed(doc: Document, told: list[Candidate], sentence: int, trigger: Mention) -> Candidate | None:
    """«ونسب رئيس الوزراء الهجوم إلى التنظيم», «بعد الاعتداء … بفعل الانفجار»: a placeless definite noun that names
    one deed, wherever it stands in its clause, is the deed last told in this sentence or the one before. (Nouns of
    a running activity, «القصف», «الاشتباكات», may be renewed: `_told_again` takes them only as a verb's subject.)"""
    if not _DEFINITE.fullmatch(doc.norm, trigger.start, trigger.end):
        return None
    if trigger.label in _ECHOED:
        kin = _ECHOED[trigger.label]
    elif _DEMONSTRATIVE.search(doc.norm, max(0, trigger.start - 8), trigger.start):
        # «وكان وراء هذه الاشتباكات …», «تلك الغارات»: a pointed-at noun of any kind names a deed of its kind
        kin = BOMBARDMENTS if trigger.value["sub_event_type"] in BOMBARDMENTS else {trigger.value["sub_event_type"]}
    else:
        return None
    # The last few candidates only: a report of a thousand deeds must not make every clause search them all.
    for c in reversed(told[-_ECHO_REACH:]):
        tellings = (c.sentence, *(doc.clauses[e].sentence for e, _ in c.echoes))
        if (kin is None or c.sub_event_type in kin) and any(sentence - 1 <= s <= sentence for s in tellings):
            return c
    return None


# Several places of a kind, named later in the sentence: «على عدة قرى», «مناطق عدة», «بلدات».
_SOME_PLACES = compile_ar(r"(?<!\w)(?:عده\s+)?(?:ال)?(?:قري|بلدات|مدن|مناطق|احياء)(?:\s+عده)?(?!\w)")


def find_candidates(doc: Document) -> tuple[list[Candidate], set[int]]:
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
        places = clause_places(doc, clause)
        aggregate = is_aggregate(text) or statistic_toll(doc, clause)
        if clause.sentence - 1 in statistics_sentences and not places and _THESE_DEEDS.search(text):
            # «… أكثر من 200 غارة خلال اليومين الماضيين. وأشار إلى أن هذه الغارات أسفرت عن مقتل 80 مدنياً»
            statistics_sentences.add(clause.sentence)
        if clause.sentence in statistics_sentences or link_line(doc, clause):
            muted.add(ci)
            continue
        if aggregate and not any(c.sentence == clause.sentence for c in out):
            # «وثق المرصد … 26350 غارة خلال الأشهر التسعة، واستهدفت …»: a statistic opens the sentence; all of it is
            statistics_sentences.add(clause.sentence)
        if aggregate:
            suppressed_sentence_tail.add(clause.sentence)
        elif clause.sentence in suppressed_sentence_tail and ENUMERATION.match(text):
            muted.add(ci)
            continue
        else:
            suppressed_sentence_tail.discard(clause.sentence)
        triggers = within(doc.triggers, clause.start, clause.end)
        modal = MODAL.search(text)
        if modal and _PURPOSE_ADJUNCT.match(modal.group()):
            # «سيطرت الوحدات على البلدة … بهدف قطع خطوط الإمداد»: the aim of a deed told before it; whereas
            # «الغارات تهدف إلى …» speaks about the raids, and «يستعد لشن هجوم» plans one.
            triggers = [t for t in triggers if t.end <= clause.start + modal.start()]
            modal = None if triggers else modal
        if aggregate or modal or background(doc, clause, text):
            muted.add(ci)
            if places:
                last_places = places
            continue
        if triggers and not within(doc.dates, clause.start, clause.end):
            # «الزبداني التي تتعرض لهجوم واسع», «عمليات الثوار التي تستهدف الفوعة»: an undated relative clause in the
            # imperfective describes what is going on, not an event of the day.
            triggers = [t for t in triggers if not ongoing(doc, clause, t)]
        sentence = doc.sentences[clause.sentence]
        triggers = [t for t in triggers if not topical(doc, clause, sentence, t) and not foreseen(doc, clause, t)]
        triggers = [t for t in triggers if not charged(doc, t) and not manner_of_killing(doc, sentence, t)]
        triggers = [t for t in triggers if not time_anchor(doc, clause, t)]
        triggers = [t for t in triggers if not opinion(doc, clause, sentence, t)]
        triggers = without_negated(doc, clause, [t for t in triggers if not weapon_targeted(doc, clause, t)])
        previous = last_type_in_sentence.get(clause.sentence)
        raid_again = last_bombardment == "Air/drone strike" and bool(
            (previous is None and _THE_BOMBARDMENT.match(text))
            or (("مماثل" in text or "مشابه" in text) and _SIMILAR_BOMBARDMENT.search(text))
        )
        if raid_again:
            previous = last_bombardment  # «وقال المرصد إن القصف استهدف قرية…»: the raid just told, told again
        kinds = clause_kinds(doc, clause, triggers, previous)
        if raid_again:
            # … whoever the clause names as its target («قرية يسيطر عليها تنظيم داعش»)
            kinds = [(previous, k[1], k[2]) if k[0] == "Shelling/artillery/missile attack" else k for k in kinds]
        last_bombardment = next((k[0] for k in kinds if k[0] in BOMBARDMENTS), last_bombardment)
        if kinds and all(p.value.vague for p in places):
            ahead = places_ahead(doc, ci)
            # «… في الحسكة والرقة في سوريا، وقرب كركوك وسنجار في العراق»: towns abroad add to Syria's, not replace.
            abroad = places and ahead and all(p.value.place.country != places[0].value.place.country for p in ahead)
            places = (places + ahead if abroad else ahead) or places
        if kinds and places and all(p.value.vague for p in places) and last_places and ANAPHOR.search(text):
            places = last_places  # «سقوط 160 قذيفة على البلدتين الواقعتين في محافظة حلب»
        if (
            kinds
            and all(k[0] == "Armed clash" for k in kinds)
            and (
                (last_type_in_sentence.get(clause.sentence) in _TERRITORY and _HOW_TAKEN.match(text))
                or _TAKEN_AFTER_FIGHTING.search(text)
            )
        ):
            # How the place was taken, the capture told just before («سيطرت الفصائل على التلة، بعد اشتباكات عنيفة
            # مع قوات النظام») or in this clause: not a second event.
            kinds = []
        if (
            not places
            and last_type_in_sentence.get(clause.sentence) in _TERRITORY
            and all(k[0] in _FIGHTING_FOR_IT for k in kinds)
        ):
            kinds = []  # «سيطر الثوار على تلة …، وقال قائد إنهم استهدفوا قوات النظام في محيطها»: how it was taken
        if not places and kinds and all(_RESTATED.search(doc.norm, k[2].start, k[2].end + 14) for k in kinds):
            kinds = []  # «ويأتي الهجوم الجديد بعد …», «هذا القصف»: the event just told, told again
        if not places and kinds and all(_told_again(doc, out, clause.sentence, k[0], k[2]) for k in kinds):
            kinds = []  # «…، وأسفر القصف عن مقتل تسعة», «واستهدف الهجوم السيطرة على …»: the definite noun, told again
        if not places and kinds and all(_amid_the_fighting(doc, k[2]) for k in kinds):
            kinds = []  # «حوصر المدنيون وسط المعارك»: the fighting as the setting of something else, not a new deed
        echoed = [_echoed(doc, out, clause.sentence, k[2]) for k in kinds] if not places else []
        if echoed and all(echoed):
            for deed, k in zip(echoed, kinds, strict=True):
                deed.echoes.append((ci, k[2]))
            kinds = []
        if not places and kinds:
            if any(k[0] == "Non-state actor overtakes territory" for k in kinds) and not _TAKEN_THERE.search(text):
                # A capture needs its own place, unless it takes «the area» just named («حيث استطاعت الميليشيات
                # الكردية السيطرة على المنطقة»).
                kinds = [k for k in kinds if k[0] != "Non-state actor overtakes territory"]
            # «قصف جوي لمناطق في جنوب سوريا وشمالها»: the whole country, not the place last told
            inherit = last_places and can_inherit(doc, clause, last_places) and not _COUNTRY_WIDE.search(text)
            places = (
                places_targeted_next(doc, ci)
                # «غارات على عدة قرى تابعة لناحية عقيربات، ليلة الأحد، من بينها سوحا وجروح …»: the villages announced
                or (places_ahead(doc, ci) if _SOME_PLACES.search(text) else [])
                or (last_places if inherit else [])
            )
            if not places and not last_places:
                places = first_place_after(doc, clause)
        own_dead = False
        if not triggers and places and out and _deed_just_told(doc, out[-1], clause):
            deed = out[-1]
            if (
                deed.sentence == clause.sentence
                and _DEATHS_ELSEWHERE.match(text)
                and _counted_dead(doc, clause)
                and deed.sub_event_type in BOMBARDMENTS
            ) or _dead_of_a_place_of_their_own(doc, clause):
                # «… غارات على أحياء السكري والميسر، في حين قتل ثلاثة مدنيين في مدينة الأتارب», «قتل 6 في حي
                # الدرعية، و13 آخرين في حي الرقة القديم»: deaths told at a place of their own right after a deed of
                # this sentence are that kind of deed there, not its toll.
                kinds = [(deed.sub_event_type, deed.event_type, deed.trigger)]
                own_dead = True
        if places:
            last_places = places
        for sub, etype, trig in kinds:
            last_type_in_sentence[clause.sentence] = sub
            listed = _listed(places)
            for idx, place in enumerate(places):
                out.append(
                    Candidate(
                        sub, etype, trig, ci, clause.sentence, place, idx == 0, listed=listed, own_dead=own_dead
                    )
                )
    return out, muted
