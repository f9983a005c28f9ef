"""Clause filters: a statistic, a period's sum, background, a plan or an ongoing state is not a day's event."""

from __future__ import annotations

from .cues import cue_regex
from .document import Document, Mention, Segment, within
from .normalize import compile_ar

AGGREGATE = cue_regex(
    # «خلال الساعات الأخيرة»: lately, not a period's sum.
    r"خلال\s+(?!(?:ال)?ساعات\s+(?:ال)?(?:اخيره|قليله\s+(?:ال)?(?:اخيره|ماضيه)))(?:ال)?(?:\d+\s+)?{aggregate_periods}"
    r"|منذ\s+(?:{aggregate_beginnings}|(?:ال\s*)?\d+\s+(?:من\s+)?\w+)|{grand_totals}"
    # «ليرتفع إلى 13 عدد قتلى النظام من بدء تصعيد العملية العسكرية»: counted from a beginning, as «منذ بدء»
    r"|(?<!\w)من\s+(?:{aggregate_beginnings})"
    # a toll, unless a running total rose to it («ارتفعت حصيلة», «وارتفعت الحصيلة», «حصيلة … ارتفعت إلى»)
    r"|(?<!ارتفعت\s)(?<!ارتفع\s)(?<!وصلت\s)(?<!ارتفعت\sال)(?<!ارتفع\sال)(?<!وصلت\sال)حصيله"
    r"(?![^.،؛]{0,200}?(?<!\w)(?:ارتفع|ارتفعت|وصلت|بلغت)\s+(?:الى|ل))"
    r"|خلال\s+(?:هذه|تلك)\s+(?:الفتره|المده)|(?<!\w)[وفب]?محافظات(?!\w)"
    r"|(?<!\w){multitudes}\s+(?:من\s+)?{the_dead}"
    # A day's national toll («في أنحاء سوريا», «في مختلف المناطق السورية») is no one place's event.
    r"|(?<!\w){country_wide_spread}\s+(?:{the_country}|(?:ال)?سوريه)(?!\w)"
    # «في عدة مدن وبلدات وقرى سورية»
    r"|(?<!\w)(?:ال)?{settlement_plurals}\s+(?:و(?:ال)?{settlement_plurals}\s+){0,3}(?:ال)?سوريه(?!\w)"
)
# «وارتفعت اليوم حصيلة ضحايا المجزرة إلى 85»: a toll that rose, its day between the verb and the noun.
_ROSE_BEFORE = compile_ar(r"(?<!\w)[وف]?(?:ارتفع|ارتفعت|وصلت|بلغت)\s+(?:[^\s.،؛]+\s+){1,2}(?:ال)?$")


def is_aggregate(text: str) -> bool:
    """Does this clause tell a period's sum, a grand total or a country-wide toll (AGGREGATE)?"""
    for m in AGGREGATE.finditer(text):
        if not (m.group().endswith("حصيله") and _ROSE_BEFORE.search(text, max(0, m.start() - 40), m.start())):
            return True
    return False


ENUMERATION = compile_ar(r"^\W{0,10}(?:هم|منهم|بينهم|و?\d+\s)")
MODAL = cue_regex(r"(?<!\w)[وفل]?{modal}")
# Background, not news: a past period («الشهر الماضي», «منذ أشهر», «قبل نحو عام») or a habit («بانتظام»,
# «ويقصف النظام …» with no date) tells what has been going on, not what happened on a day.
_BACKGROUND = cue_regex(
    r"(?<!\w)(?:(?:ال)?{past_periods}\s+(?:(?:ال)?قليله\s+)?(?:ال)?{past_adjectives}"
    r"|(?:منذ|قبل)\s+(?:{approximately_since}\s+)?{elapsed_periods}"
    r"|بعد\s+(?:{approximately_after}\s+)?(?:ال)?{later_periods}\s+من"
    # What a leader said of the fighting in a meeting or speech is not an event of the day.
    r"|خلال\s+{speech_nouns}"
    r"|{habit_adverbs})(?!\w)"
)
# «… على مدينة دوما في الغوطة الشرقية المحاصرة من قوات النظام منذ أكثر من سنة»: the period is how long a place has
# been besieged or held, told of the place after the deed, not when the deed happened.
_STATE_OF_A_PLACE = compile_ar(
    r"(?<!\w)(?:ال)?(?:محاصر|محاصره|خاضع|خاضعه)(?!\w)|(?<!\w)(?:يسيطر|تسيطر|يحاصر|تحاصر|يحاصرها|تحاصرها)(?!\w)"
)
STATE_REACH = 60  # characters before a past period where the participle of a place's state may stand


def _describes_a_place(text: str, period: int) -> bool:
    return bool(_STATE_OF_A_PLACE.search(text, max(0, period - STATE_REACH), period))


_RELATIVE = r"(?<!\w)و?(?:التي|الذي|اللتين|اللذين|اللتان|اللذان)\s+"
_ONGOING = cue_regex(_RELATIVE + r"(?:{ongoing_verbs}\s+(?:\w+\s+)?)?$")
# «حيث تشهد مدينة درعا وريفها قصفا جويا مكثفا»: a place that undergoes violence, in the present and undated, is a
# state of affairs, like the relative clause above.
# The trigger is the verb's object («تشهد المدينة قصفا»), not a noun under a preposition («تشهد مشاركة الحزب في قتال»).
_WITNESSING = cue_regex(r"(?<!\w)[وف]?{witnessing_verbs}\s+(?:(?!(?:في|على|من|الي|عن)\s)\S+\s+){0,4}$")
_ONGOING_VERB = cue_regex(r"[وف]?{imperfective_attack_verbs}")
_YEAR = compile_ar(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_YEAR_HEAD = compile_ar(r"\W{0,10}[وف]?(?:في|خلال|منذ|مع\s+نهايه|مع\s+بدايه)\s+(?:\S+\s+){0,3}?((?:19|20)\d\d)\W*")
_BIG_NUMBER = compile_ar(r"(?<!\d)\d{4,9}(?!\d)")
_CONDITIONAL = compile_ar(r"(?<!\w)(?:[وف]?(?:اذا|لو|لئن)|ما\s+دام(?:ت)?|في\s+حال)(?!\w)")  # not «في حالة حرجة»
_HABITUAL_VERB = cue_regex(r"^\W{0,10}(?:و|كما\s+)?[يت]{habitual_stems}(?!\w)")
# «غارات على حقول ألغام», «دمرت منصة إطلاق صواريخ»: the weapon is the target, not the means of the attack.
# «وتم اغتنام دبابتين … وقاعدتي صواريخ»: weapons seized are spoils of a fight, not a bombardment.
_SEIZED = cue_regex(r"(?<!\w)[وف]?{seizure_words}(?!\w)[^.،؛]*$")
_WEAPON_AS_TARGET = cue_regex(r"(?<!\w)[وبل]?(?:ال)?{weapon_sites}\s+(?:(?:ال)?(?:{weapon_site_uses}|لل?)\s*)?$")
# «لم يقصف», «لن تشن»: a negated verb; «علقت العمليات من قصف جوي», «إيقاف إطلاق النار»: halted.
_NEGATED = cue_regex(r"(?:(?<!\w)(?:لم|لن)\s+|(?<!\w)[وف]?{halt_verbs}\s+(?:[^.،؛\s]+\s+){0,4})$")
# A single report's toll above this is a statistic of the war («مقتل 2927 من داعش»), not one event's.
STATISTIC_TOLL = 500


# «رابط الخبر بصحيفة الوئام: …», «مقالات أخرى للكاتب…»: a newspaper's link line or list of headlines repeats
# titles; it tells nothing the article does not.
_LINK_LINE = cue_regex(r"\W{0,10}{link_lines}")
_QUESTION_MARKS = "؟?"
_CLOSING = "\"»”)"


def _ends_as_question(text: str, start: int, end: int) -> bool:
    """The sentence's last mark, after closing quotes and spaces, is a question mark. Read from the end: a regex
    anchored at the sentence end, searched once per clause, made a long sentence quadratic (bench, adversarial)."""
    i = end - 1
    while i >= start and (text[i].isspace() or text[i] in _CLOSING):
        i -= 1
    return i >= start and text[i] in _QUESTION_MARKS


def link_line(doc: Document, clause: Segment) -> bool:
    """A clause of a sentence that opens as a link line or a list of the paper's other headlines, or of a
    question («هل تعتقد أن الأسلحة الثقيلة استخدمت في المعارك؟»): an interviewer's question reports nothing."""
    sentence = doc.sentences[clause.sentence]
    if _ends_as_question(doc.norm, sentence.start, sentence.end):
        return True
    return bool(_LINK_LINE.match(doc.norm, sentence.start))


def weapon_targeted(doc: Document, clause: Segment, t: Mention) -> bool:
    """A weapon that was the target («غارات على حقول ألغام») or was seized, not the means of the attack."""
    lo = max(clause.start, t.start - 40)
    if t.label in {"ied", "artillery"} and _SEIZED.search(doc.norm, max(clause.start, t.start - 80), t.start):
        return True
    return t.label in {"ied", "artillery"} and bool(_WEAPON_AS_TARGET.search(doc.norm, lo, t.start))


def without_negated(doc: Document, clause: Segment, triggers: list[Mention]) -> list[Mention]:
    """Triggers right after «لم»/«لن», or a few words after a verb that halts them, did not happen; nor did one
    coordinated with such a trigger («أوقفت عمليات القصف الجوي والمدفعي»)."""
    kept: list[Mention] = []
    last_negated: Mention | None = None
    for t in sorted(triggers, key=lambda m: m.start):
        joined = last_negated is not None and _COORDINATED.fullmatch(doc.norm, last_negated.end, t.start)
        if joined or _NEGATED.search(doc.norm, max(clause.start, t.start - 60), t.start):
            last_negated = t
        else:
            kept.append(t)
    return kept


_COORDINATED = compile_ar(r"\s*(?:،\s*)?و?")
# «المعارك التي يخوضها الجيش»: the fights someone is fighting; «خوض الحزب المعارك»: engaging in fighting.
_FIGHTS_BEING_FOUGHT = compile_ar(r"\s+(?:\w+\s+)?(?:التي|الذي)\s+(?:ي|ت)(?:خوض|شن|نفذ|قود)\w*")
_ENGAGING_IN = compile_ar(r"(?<!\w)[وبل]?خوض\s+(?:\S+\s+){0,3}$")


# «المشاركة في القتال الدائر في سورية», «نموذجا للقتال ضد داعش», «جبهات القتال»: a noun of fighting governed
# by a preposition or a noun names the fighting as a topic; with no toll in its sentence and no date in its clause
# it tells no fight of the day (whereas «دارت اشتباكات», «قتل 3 في اشتباكات» do).
_FIGHTING_NOUN = cue_regex(r"[وف]?(?:لل|بال|[لب])?(?:ال)?{fighting_topic_nouns}")
_TOPIC_GOVERNOR = cue_regex(r"(?<!\w)[وف]?(?:{topic_prepositions}|(?:ال)?{topic_heads})\s+$")


def anchored(doc: Document, clause: Segment, sentence: Segment) -> bool:
    """A toll in the sentence or a date in the clause: what makes a mention of violence a day's event."""
    return within(doc.tolls, sentence.start, sentence.end) or within(doc.dates, clause.start, clause.end)


def topical(doc: Document, clause: Segment, sentence: Segment, t: Mention) -> bool:
    """A noun of fighting as the object of a preposition or a noun, with no toll or date to make it a day's fight."""
    if t.label != "clash" or not _FIGHTING_NOUN.fullmatch(doc.norm, t.start, t.end):
        return False
    if anchored(doc, clause, sentence):
        return False
    prefixed = doc.norm[t.start : t.start + 2].lstrip("وف")[:1] in {"ل", "ب"}
    return prefixed or bool(_TOPIC_GOVERNOR.search(doc.norm, max(clause.start, t.start - 30), t.start))


# «أعدمهم بتهمة قتال الدولة الإسلامية», «بالتهمة ذاتها وهي قتال …», «بتهم تنفيذ تفجيرات»: what someone is
# accused of, not a deed told.
_CHARGED_WITH = compile_ar(r"(?<!\w)[وب]?(?:تهمه|تهم|التهمه)[\s\"«“]+(?:\w+[\s\"«“]+){0,2}$")


def charged(doc: Document, t: Mention) -> bool:
    """A trigger naming the charge someone was held, tried or killed on."""
    return bool(_CHARGED_WITH.search(doc.norm, max(0, t.start - 24), t.start))


MANNER_REACH = 300  # characters before the gunfire where the execution it tells the manner of may stand


def manner_of_killing(doc: Document, sentence: Segment, t: Mention) -> bool:
    """«إعدام رجلين …، وذلك بإطلاق النار على رأسيهما»: gunfire told with «بـ» after an execution of its sentence is how
    the execution was done, not a second deed."""
    if t.label != "gunfire" or doc.norm[t.start : t.start + 2].lstrip("و")[:1] != "ب":
        return False
    since = max(sentence.start, t.start - MANNER_REACH)  # bounded: a flood of gunfire must not rescan its sentence
    return any(e.label == "execution" and e.end <= t.start for e in within(doc.triggers, since, t.start))


# «وسيتم استهدافها في حال …», «من المتوقع أن تشن …», «قد يستهدف …»: a future or a possibility before the trigger
# says what may happen, not what did (a marker after it, «قتل 5 … وقد يرتفع العدد», leaves the deed alone).
_FORESEEN = cue_regex(r"(?<!\w)[وفل]?(?:{future_markers})(?!\w)(?:\s+(?!قد(?!\w))\S+){0,5}\s+\S*$")


_MAY = compile_ar(r"(?<!\w)[وف]?قد\s+$")
_IMPERFECTIVE = compile_ar(r"[يت](?!م$)\w+(?<![تا]ت)(?<!وا)")


def foreseen(doc: Document, clause: Segment, t: Mention) -> bool:
    """A trigger a few words after a future or modal marker of its clause, or an imperfective trigger right after
    «قد» («قد تستهدف»): a prospect, not an event."""
    may = _MAY.search(doc.norm, max(clause.start, t.start - 6), t.start)
    if may and _IMPERFECTIVE.fullmatch(doc.norm, t.start, t.end):
        return True
    return bool(_FORESEEN.search(doc.norm, max(clause.start, t.start - 60), t.start))


# «ورأى المحلل أن النظام يقوم بقصف …», «واعتبر الوزير أن الهجوم …», «بدلا من استهداف …»: an opinion, or what
# did not happen instead; with no toll in the sentence and no date in the clause, the violence is its object only.
# Matched at the sentence's start with `match(norm, start)`: no «^», which holds only at the text's first character.
_OPINION = cue_regex(r"\W{0,10}(?:\S+\s+){0,3}?(?P<verb>[وف]?{opinion_verbs})(?!\w)")
# «طائرات حربية يرجح أنها روسية»: after an indefinite noun, the verb and «أنها» describe it (who it belongs
# to), not someone's opinion that opens the sentence.
_INDEFINITE_BEFORE = compile_ar(r"(?<!\w)(?!ال|لل|[وفب]ال)\w+\s+$")
_OF_IT = compile_ar(r"\s+(?:ب)?(?:انه|انها|انهم|انهما)(?!\w)")
_INSTEAD = cue_regex(r"(?<!\w){instead_of}\s+$")


# «استبقها بإدانة للبراميل المتفجرة التي تسقط على …», «نفت اتهامات الوحدات بقصف الجيش مواقعها», «التحقيق في
# التفجير»: violence as the object of a condemnation, an accusation or an inquiry.
_SPOKEN_OF = cue_regex(r"(?<!\w)[وبل]?(?:ال)?{speech_about_nouns}(?!\w)\s+(?:[^.،؛\s]+\s+){0,3}$")


# «وأعلنت تشكيلات الجيش الحر استهداف مقرات النظام في درعا ردا على …», «بيانا أعلنت فيه استهداف ثكنات …»: a side's
# claim, the noun «targeting» right after the verb of announcing, with no toll or date to make it a told deed.
_CLAIMED = cue_regex(r"(?<!\w)[وف]?{claim_verbs}\s+(?:(?:فيه|فيها|عن)\s+)?(?:[^.،؛\s]+\s+){0,5}$")
_TARGETING = compile_ar(r"[وب]?استهداف")


def opinion(doc: Document, clause: Segment, sentence: Segment, t: Mention) -> bool:
    """A trigger in what someone thinks of the war (the sentence opens with a verb of opinion, or a noun of
    condemnation, accusation or inquiry governs it), or after «بدلا من»."""
    if _INSTEAD.search(doc.norm, max(clause.start, t.start - 20), t.start):
        return True
    if anchored(doc, clause, sentence):
        return False
    if _SPOKEN_OF.search(doc.norm, max(clause.start, t.start - 50), t.start):
        return True
    if _CLAIMED.search(doc.norm, max(clause.start, t.start - 70), t.start) and _TARGETING.fullmatch(
        doc.norm, t.start, t.end
    ):
        return True
    said = _OPINION.match(doc.norm, sentence.start, sentence.end)
    if said is None or said.end() > t.start:
        return False
    verb = said.start("verb")
    described = verb > sentence.start and _INDEFINITE_BEFORE.search(doc.norm, sentence.start, verb)
    return not (described and _OF_IT.match(doc.norm, said.end()))


# «وذلك بعد أربعة أيام على هجوم انتحاري …», «غداة يومين من الغارة»: an earlier deed named to tell when this one
# happened, not told here.
_DAYS_AFTER = cue_regex(
    r"(?<!\w)بعد\s+(?:{approximately_after}\s+)?(?:\w+\s+)?(?:ايام|يوما|يومين|يوم|اسبوع|اسبوعين|ساعات|ساعه)"
    r"\s+(?:علي|من)\s+(?:ال)?(?:\w+\s+)?$"  # «على هجوم انتحاري»: the noun or its adjective
)


def time_anchor(doc: Document, clause: Segment, t: Mention) -> bool:
    """A deed named only to date another («بعد أربعة أيام على هجوم انتحاري»), with no place of its own after it
    in the clause: it was told elsewhere («… على الهجوم الذي أوقع 32 قتيلا في سوروتش» is told here, and kept)."""
    if not _DAYS_AFTER.search(doc.norm, max(clause.start, t.start - 40), t.start):
        return False
    return not within(doc.places, t.end, clause.end)


def ongoing(doc: Document, clause: Segment, t: Mention) -> bool:
    """An undated relative clause in the imperfective («التي تتعرض لهجوم», «المعارك التي يخوضها الجيش»), or the
    fighting as a pursuit («خوض المعارك»): what is going on, not a day's event."""
    if _FIGHTS_BEING_FOUGHT.match(doc.norm, t.end) or _ENGAGING_IN.search(
        doc.norm, max(clause.start, t.start - 40), t.start
    ):
        return True
    if _WITNESSING.search(doc.norm, max(clause.start, t.start - 50), t.start):
        return True
    found = _ONGOING.search(doc.norm, max(clause.start, t.start - 30), t.start)
    if found is None:
        return False
    # «التي تتعرض لهجوم»: an ongoing verb governs the trigger; «التي تستهدف»: the trigger is itself imperfective.
    return found.end() - found.start() > len(found.group().split()[0]) + 1 or bool(
        _ONGOING_VERB.fullmatch(doc.norm, t.start, t.end)
    )


# «يذكر أن النظام سيطر على حي الخالدية …», «يُشار إلى أن داعش استطاع …», «والجدير بالذكر أن …»: a sentence that
# recalls what the reader should know is background, unless it dates what it tells («في وقت سابق», «أمس»).
_RECALLED = compile_ar(r"\W{0,10}[وف]?(?:يذكر|يشار\s+الى|(?:ال)?جدير\s+بالذكر)\s+(?:ان|بان|انه)(?!\w)")
_EARLIER_TODAY = compile_ar(r"(?<!\w)في\s+وقت\s+سابق(?!\w)")


def _dated_sentence(doc: Document, clause: Segment) -> bool:
    sentence = doc.sentences[clause.sentence]
    return bool(within(doc.dates, sentence.start, sentence.end)) or bool(
        _EARLIER_TODAY.search(doc.norm, sentence.start, sentence.end)
    )


def background(doc: Document, clause: Segment, text: str) -> bool:
    """A clause telling a past period, an earlier year («بدأت المعارك في حلب في صيف 2012»), a habit, or a
    condition («إذا سيطرت …», «ما دامت …»): not an event that happened on a day of the news."""
    if any(not _describes_a_place(text, m.start()) for m in _BACKGROUND.finditer(text)):
        return True
    if _CONDITIONAL.search(text):
        return True
    year = doc.report.published_at.year
    if any(1900 < int(y) < year for y in _YEAR.findall(text)):
        return True
    # «وفي 2013، وقع تفجير …»: an earlier year set off by a comma at the head of the sentence dates what follows.
    head = _YEAR_HEAD.fullmatch(doc.norm, doc.sentences[clause.sentence].start, clause.start)
    if head and 1900 < int(head.group(1)) < year:
        return True
    if _campaign_begun_weeks_before(doc, clause):
        return True
    if _RECALLED.match(doc.norm, doc.sentences[clause.sentence].start) and not _dated_sentence(doc, clause):
        return True
    return bool(_HABITUAL_VERB.match(text)) and not within(doc.dates, clause.start, clause.end)


# «وبدأت قوات النظام في الرابع من يوليو هجوما على الزبداني»: when a campaign began, weeks before the news.
_CAMPAIGN_BEGAN = compile_ar(
    r"(?<!\w)[وف]?(?:بدات|بدا|بداوا|شنت|اطلقت)\s+(?:\S+\s+){0,12}?(?:هجوما|حمله|عمليه|معركه)(?!\w)"
)
CAMPAIGN_WEEKS = 7  # days before publication beyond which a campaign's start is background
CAMPAIGN_REACH = 300  # characters back from a clause without a day of its own to the campaign's verb


def _campaign_begun_weeks_before(doc: Document, clause: Segment) -> bool:
    """The clause, or the sentence up to it when the clause has no day of its own («…، ترافق مع قصف جوي»), tells
    when a campaign began, on a day weeks before publication."""
    start = clause.start
    if not within(doc.dates, clause.start, clause.end):
        # A bounded look back: a sentence-long list of clauses must not make this quadratic.
        start = max(doc.sentences[clause.sentence].start, clause.start - CAMPAIGN_REACH)
    published = doc.report.published_at.date()
    if not any((published - d.value[0]).days > CAMPAIGN_WEEKS for d in within(doc.dates, start, clause.end)):
        return False
    return bool(_CAMPAIGN_BEGAN.search(doc.norm, start, clause.end))


# «وتسببت المعارك المتواصلة بمقتل أكثر من 80 مقاتلا»: the toll of a fight still going on is its running total.
_CONTINUING_FIGHT = cue_regex(r"(?<!\w)[وفب]?ال{fighting_nouns}\w*\s+(?:ال)?(?:متواصله|مستمره|دائره|جاريه)(?!\w)")


def statistic_toll(doc: Document, clause: Segment) -> bool:
    """A toll above one event's scale, thousands of anything that is not a year («26350 غارة»), or the toll of a
    fight still going on, with no day of its own («تسببت المعارك المتواصلة بمقتل 80»)."""
    tolls = within(doc.tolls, clause.start, clause.end)
    if (
        tolls
        and not within(doc.dates, clause.start, clause.end)
        and _CONTINUING_FIGHT.search(doc.norm, clause.start, clause.end)
    ):
        return True
    if any(t.value.count is not None and t.value.count > STATISTIC_TOLL for t in tolls):
        return True
    if _tallied(doc, clause):
        return True
    return any(not 1900 <= int(n) <= 2100 for n in _BIG_NUMBER.findall(doc.norm, clause.start, clause.end))


# «وأحصى المرصد أكثر من 200 غارة نفذتها طائرات النظام على مناطق عدة في سوريا»: a source's tally of strikes is a
# sum over many deeds, not one raid (a raid of a few strikes is told «نفذ الطيران ست غارات على …»).
_TALLY = compile_ar(
    r"(?<!\w)[وف]?(?:احصي|احصت|وثق|وثقت|رصد|رصدت)\s+(?:\S+\s+){0,4}?(?:(?:اكثر|اقل)\s+من\s+|نحو\s+|حوالي\s+)?"
    r"(?P<n>\d{2,4})\s+(?:غاره|ضربه|برميلا|صاروخا|قذيفه)(?!\w)"
)
TALLIED_STRIKES = 20
_TALLY_STEMS = ("احص", "وثق", "رصد")  # literal stems first: most clauses have none, and str.find is cheap


def _tallied(doc: Document, clause: Segment) -> bool:
    if not any(doc.norm.find(stem, clause.start, clause.end) >= 0 for stem in _TALLY_STEMS):
        return False
    tally = _TALLY.search(doc.norm, clause.start, clause.end)
    return tally is not None and int(tally.group("n")) >= TALLIED_STRIKES
