"""Stage: split the text into sentences and clauses (the units events, tolls and dates attach to)."""

from __future__ import annotations

from collections.abc import Callable

from .cues import cue_regex
from .document import Document, Segment, within
from .normalize import compile_ar

# A sentence ends at . ! ? ؟ … (after a year too: «حتى العام 2013.») or a blank line — but not at a decimal point.
# A single line break is a clause break: a line may be a list's item («توزعوا على الشكل التالي:» then «15 شخصاً في
# العشارة» on a line of its own, read with the total before it) or a paragraph the page broke mid-sentence.
# «(...)» marks an omission inside a quote, not the end of a sentence.
_SENTENCE_END = compile_ar(r"(?<![(.])[.!?؟…]+(?![\d).])|\n[^\S\n]*\n\s*")
# Clauses break at commas, semicolons and line breaks (not a comma or colon between digits: «الساعة 04,00»,
# «20:30») and before discourse connectors that open a new event («وسط» as "amid", not "the centre of": «وسط
# العاصمة دمشق»), and before «وأن / وإن» (a second reported proposition: «قال إن الطيران قصف …، وإن الفصائل ردت …»).
_CLAUSE_BREAK = compile_ar(
    r"[،;؛\n]|(?<!\d)[,:]|[,:](?!\d)|(?<!\w)(?=(?:و)?(?:فيما|بينما|في حين|كما|وسط(?!\s+(?:ال)?(?:عاصمه|مدينه|بلده|قريه|حي|سوق|سوريا|البلاد|مخيم))|حيث|ترافق|تترافق|مع استمرار|اضافه|من جهته|من جهتها|(?:التي|الذي)\s+(?:تشهد|يشهد|شهدت|شهد)|ليرتفع|لكن|ما ادى|مما ادى|ما تسبب|مما اسفر|وادي(?=\s+(?:\S+\s+){0,2}?(?:الى|ل)))(?!\w))|(?<!\w)(?=وان(?!\w))"  # noqa: E501
)


def split(doc: Document) -> Document:
    sentences: list[Segment] = []
    start = 0
    for m in _SENTENCE_END.finditer(doc.norm):
        _add(sentences, doc.norm, start, m.end(), len(sentences))
        start = m.end()
    _add(sentences, doc.norm, start, len(doc.norm), len(sentences))
    sentences = _join_result_sentences(doc.norm, sentences)
    sentences = [Segment(s.start, s.end, i) for i, s in enumerate(sentences)]
    clauses: list[Segment] = []
    for s in sentences:
        cstart = s.start
        for m in _CLAUSE_BREAK.finditer(doc.norm, s.start, s.end):
            if m.start() > cstart:
                _add(clauses, doc.norm, cstart, m.start(), s.sentence)
                cstart = m.start()
        _add(clauses, doc.norm, cstart, s.end, s.sentence)
    clauses = _join_targeting_participles(doc.norm, _join_parenthetical_days(doc.norm, clauses))
    return doc.with_(sentences=tuple(sentences), clauses=tuple(clauses))


# «قصفت قوات النظام المدينة. مما أسفر عن وقوع 4 قتلى»: a result clause cannot open a sentence of its own; a full
# stop before it still leaves it the outcome of the sentence before.
_RESULT_OPENING = compile_ar(r"\s*(?:مما|ما)\s+(?:اسفر|ادي|تسبب|خلف)(?!\w)")


def _join_result_sentences(text: str, sentences: list[Segment]) -> list[Segment]:
    return _merged(sentences, lambda prev, s: bool(_RESULT_OPENING.match(text, s.start, s.end)))


def _merged(segments: list[Segment], goes_on: Callable[[Segment, Segment], bool]) -> list[Segment]:
    """Each segment that `goes_on` with the one before it (as merged so far) becomes part of that one."""
    out: list[Segment] = []
    for s in segments:
        if out and goes_on(out[-1], s):
            out[-1] = Segment(out[-1].start, s.end, out[-1].sentence)
        else:
            out.append(s)
    return out


# «سيطر جيش الفتح، الخميس، على ثلاث نقاط», «تمكن الثوار، مساء أول أمس، من …»: a day set off by commas interrupts
# one clause, it does not end it.
_DAY_ALONE = compile_ar(
    r"[،,]\s*(?:يوم\s+|مساء\s+|صباح\s+|ليل\s+|ليله\s+|فجر\s+|ظهر\s+|عصر\s+)?"
    r"(?:(?:ال)?(?:سبت|احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه)|(?:(?:اول\s+(?:من\s+)?)?امس|اليوم)"
    r"(?:\s+ال(?:سبت|احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه))?|الليله\s+الماضيه)\s*"  # «، أمس الأربعاء،»
)


# «وكثفت قوات النظام، خلال الساعات الأخيرة، من قصفها …», «، في وقت سابق من اليوم،»: a recent time set off by commas.
_TIME_ASIDE = compile_ar(
    r"[،,]\s*(?:خلال\s+(?:ال)?ساعات\s+(?:ال)?(?:اخيره|ماضيه|قليله\s+الماضيه|(?:ال)?\s*24\s+(?:ال)?ماضيه)"
    r"|في\s+وقت\s+سابق(?:\s+من\s+(?:اليوم|يوم\s+\w+))?|قبل\s+قليل|منذ\s+ساعات)\s*"
)


# «ركزت على دمشق، الأربعاء، وأفاد ناشطون بسقوط 15 قتيلا …»: after the day, a new report begins, not the rest of the
# clause the day interrupted.
_NEW_REPORT = cue_regex(r"[،,]\s*[وف]?{reporting_verbs}(?!\w)")


def _join_parenthetical_days(text: str, clauses: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    i = 0
    while i < len(clauses):
        c = clauses[i]
        nxt = clauses[i + 1] if i + 1 < len(clauses) else None
        if (
            out
            and nxt is not None
            and out[-1].sentence == c.sentence == nxt.sentence
            and (_DAY_ALONE.fullmatch(text, c.start, c.end) or _TIME_ASIDE.fullmatch(text, c.start, c.end))
            and text.startswith("،", nxt.start)
            and not _NEW_REPORT.match(text, nxt.start, nxt.end)
        ):
            # the previous clause, the day and the clause it interrupted are one
            prev = out.pop()
            out.append(Segment(prev.start, nxt.end, prev.sentence))
            i += 2
            continue
        out.append(c)
        i += 1
    return out


# «قصفت قوات النظام منطقة جبل الزاوية، مستهدفة محور كل من مرعيان والمغارة»: the participle goes on with the
# clause before it, naming where its strikes fell.
TARGETING = compile_ar(r"(?<!\w)(?:و)?مستهدف(?:ا|ه|ين|ون)?(?!\w)")
_TARGETING_PARTICIPLE = compile_ar(r"[،,]\s*" + TARGETING.pattern)


def _join_targeting_participles(text: str, clauses: list[Segment]) -> list[Segment]:
    return _merged(
        clauses, lambda prev, c: prev.sentence == c.sentence and bool(_TARGETING_PARTICIPLE.match(text, c.start, c.end))
    )


def _add(out: list[Segment], text: str, start: int, end: int, sentence: int) -> None:
    if text[start:end].strip():
        out.append(Segment(start, end, sentence))


# «قرى (تل هواش، الجابرية، التوبة)», «قرى الموزرة، والبارة»: commas between places list them, they do not end a
# clause.
# Longer runs are not lists a reporter writes; joining them would make one clause of a whole hostile input.
LONGEST_LIST = 40
_PLACE_LIST_COMMA = compile_ar(r"[\s\"«»()]*[،,][\s\"«»()]*و?")


_IN_OPENING = compile_ar(r"[\s\"«»()]*[،,]?[\s\"«»()]*و?(?:في|على)\s")
_MORE_PLACES_GLUE = compile_ar(
    r"[\s\"«»()]*(?:[،,][\s\"«»()]*)?و?(?:(?:في|على|قرب|بالقرب\s+من|شمال|جنوب|شرق|غرب)\s+|ب)?"
    r"(?:(?:بلده|بلدتي|قريه|قريتي|مدينه|مدينتي|حي|منطقه|مخيم)\s+|ب)?"
)
_CLAUSE_TAIL = compile_ar(r"[\s\"«»().]*")


def join_place_lists(doc: Document) -> Document:
    """Stage (after places): clauses that only name places join the clause they belong to — the next place of a
    comma list, «، وفي ريف دير الزور» after a deed (the one before), «وفي بلدة …،» opening a sentence (the next)."""
    if not doc.places or len(doc.clauses) < 2:
        return doc
    starts = {p.start for p in doc.places}

    def next_place_of_the_list(prev: Segment, c: Segment) -> bool:
        comma = _PLACE_LIST_COMMA.match(doc.norm, c.start, c.end)
        if comma is None or prev.sentence != c.sentence or comma.end() not in starts:
            return False
        places = within(doc.places, prev.start, prev.end)
        return 0 < len(places) < LONGEST_LIST and bool(
            _PLACE_LIST_COMMA.fullmatch(doc.norm, places[-1].end, comma.end())
        )

    def only_places(c: Segment) -> bool:
        """A clause of nothing but «(و)في» and places («، وفي ريف دير الزور»)."""
        if not _IN_OPENING.match(doc.norm, c.start, c.end):
            return False
        places = within(doc.places, c.start, c.end)
        if not places or len(places) >= LONGEST_LIST:
            return False
        pos = c.start
        for place in places:
            if not _MORE_PLACES_GLUE.fullmatch(doc.norm, pos, place.start):
                return False
            pos = place.end
        return _CLAUSE_TAIL.fullmatch(doc.norm, pos, c.end) is not None

    def only_more_places(prev: Segment, c: Segment) -> bool:
        # «… في مدينة الرقة شمال سورية، وفي ريف دير الزور.», «بلدة التريمسة، في حماة،»: after a clause of its
        # sentence, it names more places of the deed before it (opening a sentence, it fronts the next clause).
        return (
            prev.sentence == c.sentence
            and 0 < len(within(doc.places, prev.start, prev.end)) < LONGEST_LIST
            and only_places(c)
        )

    def fronted_places(prev: Segment, c: Segment) -> bool:
        # «وفي بلدة الجانودية قرب مدينة جسر الشغور بإدلب، أدى القصف الحربي إلى إصابة أطفال»: opening the
        # sentence, it says where the deed of the next clause happened.
        opens = not doc.sentences or prev.start <= doc.sentences[prev.sentence].start + 2
        return (
            prev.sentence == c.sentence
            and opens
            and not within(doc.places, c.start, c.end)
            and bool(within(doc.triggers, c.start, c.end))
            and only_places(prev)
        )

    out = _merged(
        list(doc.clauses),
        lambda prev, c: next_place_of_the_list(prev, c) or only_more_places(prev, c) or fronted_places(prev, c),
    )
    return doc.with_(clauses=tuple(out)) if len(out) != len(doc.clauses) else doc
