"""Stage: casualty counts («قتل ما لا يقل عن 15 من عناصر التنظيم», «ستة قتلى», «مقتل شخصين»).

Each toll mention carries: kind (killed|injured), count (int, or None when vague like «عشرات»),
update (a running total «ارتفع إلى 47»), subset (inside «بينهم 4 أطفال», not extra) and the victims' side.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, replace
from functools import cache

from .. import lexicon
from .dates import month_names
from .document import Document, Mention, overlaps_any, starting_between
from .normalize import compile_ar, normalize_key

# Counts above this are not a single event's toll (and guard against «999999999999 قتيلا»).
MAX_TOLL = 100_000


@dataclass(frozen=True, slots=True)
class Toll:
    kind: str
    count: int | None
    update: bool = False
    subset: bool = False
    side: str | None = None
    plus: bool = False  # «سيدة وثلاثة من أطفالها»: added to the count before it, not a restatement
    # «قتل 6 في حي الدرعية، و13 آخرين في حي الرقة القديم»: the dead of a place of their own, that place's event
    elsewhere: bool = False


_CAUSE_FIRST = r"(?:(?:في|جراء|اثر|بسبب)\s+\w+\s+)?"
# «قتل يوم أمس ثلاثة أطفال», «أصيب صباح الجمعة 5»: the day between the verb and its count.
_WHEN = (
    r"(?:(?:(?:يوم|صباح|مساء|فجر|ليل|ليله|ظهر)\s+)?"
    r"(?:امس|اليوم|البارحه|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت|الاحد)\s+)?"
)
_QUAL = r"(?:ما\s+لا\s+يقل\s+عن|ما\s+يزيد\s+عن|اكثر\s+من|نحو|حوالي|قرابه|زهاء|ما\s+يقارب)"
_KILL_BEFORE = (
    r"(?:[وف]?[بل]?(?:قتل|مقتل|قضى|قضي|لقي|لقى|سقوط|سقط|استشهاد|استشهد|ارتقاء|ارتقى|ارتقت|ارتقوا|حصد(?:ت)?|مصرع|وفاه|قتلت|قتلوا"
    r"|راح\s+ضحيت(?:ه|ها|هم|هما)|ذهب\s+ضحيت(?:ه|ها|هم|هما)"  # «وراح ضحيتها ثمانية أشخاص»
    r"|مجزره\s+بحق|مجزرتين\s+بحق|مجازر\s+بحق))"  # «ارتكبت مجزرة بحق 26 مدنياً»
)
# «أعدم التنظيم أمس رجلين»: an execution verb, its subject and day between it and the count of the executed;
# «على إعدام 10 رجال»: the noun, right before its count.
_EXECUTED = compile_ar(
    r"(?<!\w)(?:[وف]?(?:اعدم|اعدمت|اعدموا|صلب|صلبت|صلبوا|ذبح|ذبحت|ذبحوا)\s+(?:(?!\d)\w+\s+){0,4}|[وفبل]?اعدام\s+)$"
)
_INJ_BEFORE = r"(?:[وف]?[بل]?(?:اصيب|اصيبت|اصابه|جرح|جرحت|اصابات))"
_KILL_AFTER = r"(?:قتيل(?:ا|ان|ين)?|قتلى|القتلى|شهيد(?:ا)?|شهداء|ضحيه|ضحايا|قتلوا|قتلا|قتل|قضوا|قضى|لقوا|لقي|مصرعهم|حتفهم|استشهدوا|مقتلهم)"  # noqa: E501
_INJ_AFTER = r"(?:جريح(?:ا)?|جرحى|مصاب(?:ا|ين)?|اصيبوا|جرحوا|بجروح|اصابات)"
# A count of the wounded, named right after it: «وثلاث إصابات», «و10 جرحى».
_HURT_NOUN_NEXT = compile_ar(rf"^\s*{_INJ_AFTER}(?!\w)")
# Nouns that make a number a count of something other than people.
_NOT_PEOPLE = compile_ar(
    r"^\s*(?:غار|برميل|براميل|قذيف|قذائف|صاروخ|صواريخ|ضرب|ساع|يوم|ايام|اسبوع|شهر|اشهر|عام|اعوام|سن|كيلو|كم|متر|"
    r"قري|قرى|مسكن|منزل|مبن|دبابه|اليات|طائر|مقاتل(?:ه|ات)\b|الف|مليون|بلد|مدين|موقع|هجوم|عمليه|نقط|سياره|من\s+شهر|"
    r"%|دولار|ليره|غاره|مره|مرات)"
)
# A single person counts only right after the verb or noun of death or injury: «مقتل شخص», «سقوط ضابط».
_VERB_RIGHT_BEFORE = compile_ar(rf"(?<!\w)(?:{_KILL_BEFORE}|{_INJ_BEFORE})\s*$")
_SUBSET_BEFORE = compile_ar(r"(?:بينهم|منهم|من\s+بينهم|بينهن|غالبيتهم|معظمهم)\s*$")
_NO_CASUALTIES = compile_ar(
    r"(?:دون|بدون|من\s+دون|لم\s+ترد|ولم\s+ترد|ولا|عدم\s+(?:توافر|توفر|ورود))\s+(?:ورود\s+)?(?:انباء|معلومات)\s+عن\s+"
    r"(?:وقوع\s+|سقوط\s+)?"
    # «عن الخسائر البشرية», «عن قتلى أو جرحى»: the definite and the dead-or-wounded phrasings say the same.
    r"(?:(?:ال)?اصابات|(?:ال)?خسائر\s+(?:ال)?بشريه|اصابات\s+بشريه|(?:ال)?ضحايا|قتلي(?:\s+(?:او|و)\s*جرحي)?)"
    r"|(?:لم|ولم)\s+(?:تسجل|يسجل)\s+(?:اي\s+)?(?:اصابات|خسائر\s+بشريه)|(?:دون|بدون)\s+تسجيل\s+(?:اي\s+)?(?:اصابات|خسائر\s+بشريه)"
    # «دون وقوع إصابات بشرية», «من دون وقوع خسائر بشرية»: none, said outright.
    r"|(?:دون|بدون)\s+(?:وقوع|سقوط)\s+(?:اي\s+)?(?:اصابات(?:\s+بشريه)?|خسائر\s+(?:بشريه|في\s+(?:ال)?ارواح)|ضحايا)"
    r"|اقتصرت\s+اضرار(?:ها|ه)?\s+على\s+(?:(?:ال)?خسائر\s+(?:ال)?ماديه|(?:ال)?ماديات)"
    r"|اقتصر\s+الامر\s+على\s+(?:ال)?خسائر\s+(?:ال)?ماديه"
    # «لم تسفر عن وقوع ضحايا», «لم تؤديا إلى وقوع إصابات»: the strike harmed no one.
    r"|(?:لم|ولم)\s+(?:تسفر|يسفر|تسفرا|يسفرا|تؤد|يؤد|تؤدي|يؤدي|تؤديا|يؤديا)\s+(?:عن|الى)\s+(?:وقوع\s+|سقوط\s+)?(?:اي\s+)?"
    r"(?:(?:ال)?اصابات(?:\s+بشريه)?|(?:ال)?ضحايا|خسائر\s+(?:بشريه|في\s+(?:ال)?ارواح))"
)


@cache
def _number_regex() -> re.Pattern[str]:
    words = sorted(lexicon.numbers()["words"], key=len, reverse=True)
    word = "|".join(re.escape(w) for w in words)
    num = rf"(?:\d{{1,15}}|(?:{word})(?:\s+و(?:{word}))?)"
    # A preposition is written on a figure («لـ15 مدنياً», «بـ25 منهم»; the tatweel is normalised away).
    glued = r"[وف]?[بل](?=\d)"
    return compile_ar(rf"(?<![\w\d])(?:{glued}|و(?=\S))?(?:{_QUAL}\s+)?(?P<num>{num})(?![\w\d])")


@cache
def _noun_regex() -> re.Pattern[str]:
    nums = lexicon.numbers()
    dual = "|".join(map(re.escape, nums["dual"]))
    vague = "|".join(map(re.escape, nums["vague"]))
    return compile_ar(rf"(?<!\w)(?:[بل]?(?P<dual>{dual})|(?P<vague>{vague}))(?!\w)")


_POSSESSIVE = r"(?:هما|هم|هن|ها|ه)"


@cache
def _person_regex() -> re.Pattern[str]:
    """One noun phrase naming people, with how many: «رجل», «زوجته», «طفلاها» (2), «أطفالهما الثلاثة» (3).

    The accusative «طفلاً» counts only before a preposition, «و», a definite word, an agreeing adjective
    («جندياً تركياً») or punctuation: «ضابطا شرطة» is the dual in construct («two police officers»).
    A possessive is a second person of a list («امرأة وطفلها»); kinship nouns count only with one (a bare
    «ابن» starts a name), and nisba adjectives («مدني», «عسكري») take none (their feminine «-ية» collides).
    """
    nums = lexicon.numbers()
    words = "|".join(map(re.escape, sorted(nums["words"], key=len, reverse=True)))
    bare = "|".join(map(re.escape, sorted(nums["singular"], key=len, reverse=True)))
    titles = "|".join(map(re.escape, sorted(nums["titles"], key=len, reverse=True)))
    owned = [n for n in nums["singular"] if not n.endswith("ي")] + nums["kin"]
    # A feminine «-ة» is written «ت» before a suffix: «زوجة» → «زوجته».
    stems = "|".join(re.escape(n[:-1] + "ت" if n.endswith("ه") else n) for n in sorted(owned, key=len, reverse=True))
    plural = "|".join(re.escape(n[:-1]) + "[ءؤئ]" if n.endswith("ء") else re.escape(n) for n in nums["plural"])
    return compile_ar(
        # «أم وطفلاها»: a bare mother or father heads a list of their kin.
        rf"(?<!\w)[وف]?(?:(?P<parent>اما?|ابا?)(?=\s+و(?:{stems})[اي]?{_POSSESSIVE}(?!\w))"
        rf"|(?P<two>(?:{stems})[اي]{_POSSESSIVE})|(?P<one>(?:{stems}){_POSSESSIVE})"
        rf"|(?:ال)?(?:{plural}){_POSSESSIVE}?\s+ال(?P<many>{words})|(?P<bare>{bare}|ال(?:{titles}))(?:ا(?=\s*(?:[^\w\s]|$|(?:في|من|على|و\w*|ال\w*|\w+ا)(?!\w))))?)(?!\w)"
    )


@cache
def _counted_people() -> re.Pattern[str]:
    """Right after a count, a noun of people («عنصراً», «مقاتلين», «من عناصر»)."""
    nums = lexicon.numbers()
    nouns = "|".join(map(re.escape, sorted(nums["singular"] + nums["plural"], key=len, reverse=True)))
    return compile_ar(rf"\s+(?:من\s+)?(?:{nouns})(?:ا|ين|ون)?(?!\w)")


_AFTER_A_COUNT = compile_ar(r"(?<!\w)\d+\s*$")


def parse_number(text: str) -> int | None:
    """'15' → 15, 'ستة' → 6, 'خمسة وعشرين' → 25 (normalised text)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    words = lexicon.numbers()["words"]
    total = 0
    for part in re.split(r"\s+و", text):
        if part.strip() not in words:
            return None
        total += words[part.strip()]
    return total


def find(doc: Document) -> Document:
    tolls: list[Mention] = []
    norm = doc.norm
    taken: list[tuple[int, int]] = []
    for m in _number_regex().finditer(norm):
        value = parse_number(m.group("num"))
        if value is None or value > MAX_TOLL or _is_date_number(norm, m.start("num"), m.end("num")):
            continue
        # A preposition written on the figure stays in the words before it: «ارتفع عدد القتلى لـ47».
        start = m.start("num") if norm[m.start("num") - 1 : m.start("num")] in ("ب", "ل") else m.start()
        toll = _classify(doc, start, m.end(), value)
        if toll:
            tolls.append(Mention(start, m.end(), toll.kind, toll))
            taken.append((start, m.end()))
        elif _counted_people().match(norm, m.end()):
            # «28 عنصراً من الجيش … و18 مقاتلاً من التنظيم قتلوا»: people counted before the verb; kept aside
            # until a count of the dead joined by «و» shows they head its list.
            tolls.append(Mention(m.start(), m.end(), PENDING, Toll("killed", value, side=_side(doc, m.end()))))
    for m in _noun_regex().finditer(norm):
        if any(a <= m.start() < b for a, b in taken):
            continue
        count = 2 if m.group("dual") else None
        toll = _classify(doc, m.start(), m.end(), count, noun=True)
        if toll:
            tolls.append(Mention(m.start(), m.end(), toll.kind, toll))
            taken.append((m.start(), m.end()))
    # Nouns of people («رجل وزوجته وأطفالهما الثلاثة»): a toll where a verb governs them, else kept aside
    # as «pending» until they turn out to continue a list of the dead.
    for m in _people_after_tolls_and_verbs(norm, taken):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        many = m.group("many")
        count = parse_number(many) if many else 2 if m.group("two") else 1
        if count is None or _AFTER_A_COUNT.search(norm, max(0, m.start() - 20), m.start()):
            continue  # «28 عنصراً»: the noun a count counts, not one more person
        toll = _classify(doc, m.start(), m.end(), count, noun=True)
        if toll:
            tolls.append(Mention(m.start(), m.end(), toll.kind, toll))
        else:
            tolls.append(Mention(m.start(), m.end(), PENDING, Toll("killed", count, side=_side(doc, m.end()))))
    tolls += _one_death_without_count(doc, tolls)
    tolls += _more_of_the_dead(doc, tolls, taken)
    for m in _NO_CASUALTIES.finditer(norm):
        tolls.append(Mention(m.start(), m.end(), "killed", Toll("killed", 0)))
        tolls.append(Mention(m.start(), m.end(), "injured", Toll("injured", 0)))
    tolls = _subsets_told_as_deeds(doc, sorted(tolls, key=lambda t: (t.start, t.label)))
    tolls = _totals_broken_down_by_deed(doc, tolls)
    tolls = _counts_at_places_of_their_own(doc, tolls)
    return doc.with_(tolls=_mark_additions(doc, tolls))


# «سقط 25 قتيلا أمس، بينهم 15 ضحية قضوا في مجزرة نفذتها غارات على جسرين»: a part of the total told with its own
# death and cause is that deed's toll, and the total a sum over deeds, no one event's.
# Not «6 مواطنين، بينهم طفلان وامرأة، قُتلوا جراء قصف»: a part set off by commas is an aside, the verb the total's.
# «منهم 15 ضحية قضوا بقصف …»: the cause's preposition may be written on it.
_TOLD_AS_DEED = compile_ar(
    r"\s+(?:[^\s،,]+\s+){0,2}?(?:قضوا|قتلوا|سقطوا|استشهدوا|لقوا\s+(?:مصرعهم|حتفهم))\s+"
    r"(?:(?:في|جراء|نتيجه|اثر|بسبب)(?!\w)|ب(?:قصف|غار|مجزر|انفجار|تفجير|برميل|براميل|قذيف|صاروخ|نيران))"
)


def _subsets_told_as_deeds(doc: Document, tolls: list[Mention]) -> list[Mention]:
    dropped: set[int] = set()
    out = list(tolls)
    last_total: int | None = None  # the last count of the dead that is no part of another
    for i, t in enumerate(tolls):
        if t.label != "killed":
            continue
        if not t.value.subset:
            last_total = i
        elif (
            t.value.count
            and last_total is not None
            and _TOLD_AS_DEED.match(doc.norm, t.end)
            and doc.sentence_index(tolls[last_total].start) == doc.sentence_index(t.start)
            # «ستة أشخاص بينهم أربعة أطفال لقوا حتفهم»: with no comma between, the verb is the total's own.
            and any(comma in doc.norm[tolls[last_total].end : t.start] for comma in "،,")
        ):
            dropped.add(last_total)
            # «سقط 43 قتيلاً مدنياً …، منهم 15 ضحية قضوا بقصف»: the part is of the total's side
            side = t.value.side or tolls[last_total].value.side
            out[i] = Mention(t.start, t.end, t.label, replace(t.value, subset=False, side=side))
    return [t for j, t in enumerate(out) if j not in dropped]


def _part_count() -> str:
    """How a part of a total opens its clause: a few marks, «و» (a next part), «of them» before or after the count
    («، بينهم 16 في …», «، 24 منهم في …»). Only a few marks: an unbounded run of punctuation made a flood of commas
    quadratic."""
    words = "|".join(re.escape(w) for w in sorted(lexicon.numbers()["words"], key=len, reverse=True))
    return (
        rf"\W{{0,4}}(?P<and>و)?(?P<among>(?:من\s+)?(?:بينهم|منهم)\s+)?"
        rf"(?P<num>\d{{1,6}}|(?:{words})(?:\s+و(?:{words}))?)\s+(?P<of>منهم\s+)?"
    )


@cache
def _part_opening() -> re.Pattern[str]:
    """A clause opening with a part of a total and its cause: «، 24 منهم في قصف …», «، وتسعة جراء قذائف …»."""
    return compile_ar(_part_count() + r"(?:اخر(?:ون|ين)\s+)?(?:في|جراء|بسبب|اثر|نتيجه|ب)(?!\s*حال)")


def _totals_broken_down_by_deed(doc: Document, tolls: list[Mention]) -> list[Mention]:
    """«قتل 33 مدنياً، 24 منهم في قصف جوي على دوما، وتسعة جراء قذائف على المزة»: the parts, each told with the
    deed that killed them, are those deeds' tolls, and the total no one event's. The first part says «منهم»; the
    next ones are joined by «و»; together they may not exceed the total."""
    dropped: set[int] = set()
    added: list[Mention] = []
    for i, total in enumerate(tolls):
        v = total.value
        if total.label != "killed" or not v.count or v.update or v.subset or v.plus or not doc.clauses:
            continue
        ci = doc.clause_index(total.start)
        # Another toll ends the breakdown (tolls are sorted: the first one past the total), but not a part of it
        # («بينهم 16 في قصف جوي …»).
        stop = next(
            (t.start for t in itertools.islice(tolls, i + 1, None) if t.start > total.end and not t.value.subset),
            len(doc.norm),
        )
        parts: list[Mention] = []
        for k in range(ci + 1, len(doc.clauses)):
            clause = doc.clauses[k]
            if clause.sentence != doc.clauses[ci].sentence or clause.start >= stop:
                break
            m = _part_opening().match(doc.norm, clause.start, clause.end)
            if m is None or not (m.group("and") if parts else m.group("of") or m.group("among")):
                continue
            count = parse_number(m.group("num"))
            if count is None or not starting_between(doc.triggers, m.end(), clause.end):
                continue
            parts.append(Mention(m.start("num"), m.end("num"), "killed", Toll("killed", count, side=v.side)))
        if parts and sum(p.value.count for p in parts) <= v.count:
            dropped.add(i)
            added += parts
    if not dropped:
        return tolls
    kept = [t for j, t in enumerate(tolls) if j not in dropped]
    return sorted(kept + added, key=lambda t: (t.start, t.label))


@cache
def _count_at_a_place() -> re.Pattern[str]:
    """A clause opening with a count of people and where they were: «، 3 منهم في بلدة الكشكية», «، و13 آخرين في
    حي الرقة القديم», «، و7 في حي النهضة», or a line of a list: «15 شخصاً في العشارة». Only a noun of people or
    «others» may stand between the count and «في»."""
    nums = lexicon.numbers()
    people = "|".join(re.escape(n) for n in sorted(nums["singular"] + nums["plural"], key=len, reverse=True))
    one = "|".join(re.escape(n) for n in sorted(nums["singular"], key=len, reverse=True))
    # Or, on a line of its own in a list, one person: «طفلة في بقرص فوقاني».
    return compile_ar(
        rf"(?:{_part_count()}(?:(?:اخر(?:ون|ين)|(?:{people})(?:ا|ين|ون)?)\s+)?|[^\S\n]*\n\W{{0,3}}(?P<one>{one})\s+)في\s+"
    )


PLACE_AFTER_IN = 14  # characters after «في» where the place may start, past a noun like «بلدة», «حي»


def _counts_at_places_of_their_own(doc: Document, tolls: list[Mention]) -> list[Mention]:
    """«قتل 6 "دواعش" في حي الدرعية، و13 آخرين في حي الرقة القديم، و7 في حي النهضة»: a count of the dead joined
    to the one before it, told with a place of its own and no deed, is the dead of that place (its own event, the
    deed of the sentence there), not more of the first place's. When the first such count says «منهم» or is not
    joined by «و» («إعدام 10 رجال، 3 منهم في بلدة الكشكية، واثنان في بلدة أبو حمام») the counts break the total
    down, and the total, if they do not exceed it, is no one event's toll."""
    if not doc.clauses or not doc.places:
        return tolls
    norm = doc.norm
    place_starts = [p.start for p in doc.places]
    # Sorted offsets, searched by bisection: a flood of such clauses must not rescan every toll per clause.
    # (a part of a total, «بينهم امرأتان», is not the count a run of parts follows)
    killed_ends = sorted((t.end, j) for j, t in enumerate(tolls) if t.label == "killed" and not t.value.subset)
    starts = [t.start for t in tolls]
    dropped: set[int] = set()
    replaced: set[int] = set()
    added: list[Mention] = []
    total, breaks_down, told = -1, False, 0  # the count the current run of counts follows, and their sum
    for clause in doc.clauses:
        m = _count_at_a_place().match(norm, clause.start, clause.end)
        if m is None or starting_between(doc.triggers, clause.start, clause.end):
            continue
        k = bisect.bisect_left(place_starts, m.end())
        group = "one" if m.group("one") else "num"
        count = 1 if group == "one" else parse_number(m.group("num"))
        if count is None or k == len(place_starts) or place_starts[k] > min(m.end() + PLACE_AFTER_IN, clause.end):
            continue
        nearest = bisect.bisect_left(starts, m.start(group) - 1) - 1
        if nearest >= 0 and tolls[nearest].label == "injured":
            continue  # «وأصيب 5، و3 آخرون في …»: more of the wounded
        # The count of the dead told last before this one (one taken as more of them, «و13 آخرين», is this one).
        before = bisect.bisect_right(killed_ends, (m.start(group) - 1, len(tolls)))
        last = killed_ends[before - 1][1] if before else -1
        # The next part of a run is joined by «و», or stands on a line of its own in a list.
        joined = m.group("and") or "\n" in norm[clause.start : m.start(group)]
        follows_run = bool(added) and joined and (last <= total or tolls[last].end <= added[-1].start)
        if follows_run and doc.sentence_index(added[-1].start) == clause.sentence:
            pass  # «…، و7 في حي النهضة»: one more count of the run
        elif last >= 0 and doc.sentence_index(tolls[last].start) == clause.sentence:
            first = tolls[last].value
            if not first.count or first.update or first.subset:
                continue
            total, breaks_down, told = last, bool(m.group("of") or m.group("among")) or not m.group("and"), 0
        else:
            continue
        side = tolls[total].value.side
        part = Mention(m.start(group), m.end(group), "killed", Toll("killed", count, side=side, elsewhere=True))
        replaced.update(range(bisect.bisect_left(starts, part.start - 1), bisect.bisect_left(starts, part.end)))
        added.append(part)
        told += count
        if breaks_down and told <= (tolls[total].value.count or 0):
            dropped.add(total)
        else:
            dropped.discard(total)
    if not added:
        return tolls
    dropped |= {j for i in dropped for j in _told_before(doc, tolls, i)}
    kept = [t for j, t in enumerate(tolls) if j not in dropped and j not in replaced]
    return sorted(kept + added, key=lambda t: (t.start, t.label))


TOTAL_TOLD_SENTENCES_BACK = 2


def _told_before(doc: Document, tolls: list[Mention], total: int) -> list[int]:
    """«قتل 21 شخصاً في غارات …. ووثق المرصد مقتل 21 شخصاً، توزعوا على …»: the same count of the dead told in
    the sentences just before a total that is broken down is that total, told first."""
    sentence = doc.sentence_index(tolls[total].start)
    same: list[int] = []
    for j in range(total - 1, -1, -1):
        t = tolls[j]
        if doc.sentence_index(t.start) < sentence - TOTAL_TOLD_SENTENCES_BACK:
            break
        if t.label == "killed" and not t.value.subset and t.value.count == tolls[total].value.count:
            same.append(j)
    return same


# Literal stems of the words of death and injury: a noun of people counts only after one of them or after a
# toll, so only those stretches are searched (str.find is far cheaper than a regex over a long article).
_DEATH_STEMS = tuple(
    normalize_key(w)
    for w in "قتل مصرع قضى قضي لقي سقوط سقط استشهد استشهاد ارتقى ارتقت ارتقاء وفاة حتف أصيب إصابة جرح".split()
)
LOOK_PAST = 40  # characters past a window a match starting in it may read (a lookahead, a list's next word)
SUBJECT_REACH = 30  # characters before «قتلوا» where the dead it tells of may be named
_PLURAL_DEATH_VERBS = r"(?:قتلوا|قتلا|قضوا|قضيا|لقوا|لقيا|استشهدوا|استشهدا)"
_PLURAL_DEATH_VERB = compile_ar(rf"(?<!\w)[وف]?{_PLURAL_DEATH_VERBS}(?!\w)")
# «أب وابنه قتلا», «رجلا وزوجته قتلا»: one person of a list that a plural or dual verb of death follows is counted.
_HEADS_THE_DEAD = compile_ar(rf"^(?:\s+و\w+){{0,2}}\s+{_PLURAL_DEATH_VERBS}(?!\w)")
PEOPLE_REACH = 160  # characters after a verb or toll where a list of people may run
LIST_HEAD_REACH = 60  # characters before a count joined by «و» where the list's first person may be named


def _people_after_tolls_and_verbs(norm: str, taken: list[tuple[int, int]]) -> list[re.Match[str]]:
    starts = [end for _, end in taken]
    # «إن قيادياً في التنظيم وخمسة آخرين قتلوا»: a list of the dead may begin before a count joined by «و».
    starts += [max(0, start - LIST_HEAD_REACH) for start, _ in taken if norm[start] == "و"]
    for stem in _DEATH_STEMS:
        pos = norm.find(stem)
        while pos >= 0:
            starts.append(pos)
            pos = norm.find(stem, pos + len(stem))
    # «أم وطفلاها قتلوا»: the dead named before a plural or dual verb of their death, its subject.
    starts += [max(0, m.start() - SUBJECT_REACH) for m in _PLURAL_DEATH_VERB.finditer(norm)]
    regex = _person_regex()
    found: list[re.Match[str]] = []
    reach = -1
    for start in sorted(starts):
        lo, hi = max(start, reach), start + PEOPLE_REACH
        hi = len(norm) if (space := norm.find(" ", hi)) < 0 else space  # a window never ends inside a word
        if lo < hi:
            # The window's last words may need the words after it to match («أم» heads a list only when «وطفلاها»
            # follows): matches must start inside the window, and may look past it.
            for m in regex.finditer(norm, lo, min(len(norm), hi + LOOK_PAST)):
                if m.start() >= hi:
                    break
                if not found or m.start() >= found[-1].end():
                    found.append(m)
            reach = hi
    return found


# One death told without a count: «لقي مصرعه» / «لقيت حتفها» (the pronoun says how many: «مصرعهما» two), or
# a subject then a singular verb of death and its cause: «القيادي فلان قتل في غارة».
# «أعدموهما», «ذبحه»: the object pronoun of an execution says how many were killed.
_OWN_DEATH = compile_ar(
    r"(?<!\w)(?:مصرع|حتف|[وف]?(?:اعدمو|اعدمت|اعدم|صلبو|صلبت|صلب|ذبحو|ذبحت|ذبح))(?P<who>هما|ها|ه)(?!\w)"
)
_SINGULAR_VERB = compile_ar(
    r"(?<=\w\s)(?:قتل|قتلت|توفي|توفيت)(?=\s+(?:في|جراء|اثر|بسبب|برصاص|بقصف|بغاره|متاثرا|مع|خلال|اثناء|واصيب|واصيبت|وجرح)\s)"
)
# Words before a verb that open a verb-first clause («حيث قتل في القصف 5») rather than name its subject.
_VERB_OPENERS = frozenset(
    normalize_key(w)
    for w in "حيث كما قد وقد لقد ان أن انه أنه ثم فيما بينما حين عندما بعدما كذلك أيضا اليوم أمس وقت".split()
)


def _one_death_without_count(doc: Document, tolls: list[Mention]) -> list[Mention]:
    norm = doc.norm
    out: list[Mention] = []
    found = [(m, 2 if m.group("who") == "هما" else 1) for m in _OWN_DEATH.finditer(norm)]
    for m in _SINGULAR_VERB.finditer(norm):
        previous = norm[max(0, m.start() - 12) : m.start()].split()
        if previous and previous[-1] not in _VERB_OPENERS:
            found.append((m, 1))
    for m, count in found:
        clause = doc.clauses[doc.clause_index(m.start())] if doc.clauses else None
        lo, hi = (clause.start, clause.end) if clause else (max(0, m.start() - 60), m.end() + 60)
        # «بينهم ضابطان» counts some of the dead, not the dead: it tells no count for the verb
        told = [t for t in tolls if lo <= t.start < hi and t.label in {"killed", PENDING} and not t.value.subset]
        if any(not _WITH_BEFORE.search(norm, max(0, t.start - 6), t.start) for t in told):
            continue  # «لقي ستة منهم مصرعهم», «قتل في القصف 5 أشخاص»: the count is told
        if any(
            not _WITH_BEFORE.search(norm, max(0, n.start() - 6), n.start())
            for n in _number_regex().finditer(norm, m.end(), hi)
        ):
            continue  # a count told after the verb, unless «مع ثلاثة آخرين» (the one who died, and others)
        out.append(Mention(m.start(), m.end(), "killed", Toll("killed", count)))
    return out


# «قتل عنصران من X وثلاثة من Y»: a second count of the same verb, with its own side; «قتل فلان مع ثلاثة آخرين».
# «مقتل 16 عنصراً من قوات النظام والمسلحين الموالين لها، و18 عنصراً من جبهة النصرة»: a comma may close the first side.
_OTHER_SIDE_LINK = compile_ar(
    r"^\s*(?:(?:من|في\s+صفوف)\s+)?(?:\w+\s+)?(?:من|في\s+صفوف)\s+[^،؛\d]{0,60}?(?:\s*[،,])?\s+$"
)
_SIDE_AFTER = compile_ar(r"\s*(?:\w+\s+)?(?:من|في\s+صفوف)\s")
_WITH_OTHERS = compile_ar(r"\s+(?:اخرين|اخرون|اشخاص\s+اخرين)(?!\w)")
_WITH_BEFORE = compile_ar(r"(?<!\w)مع\s+$")
# «قتل قيادي في التنظيم و3 عناصر آخرين»: «و» + a count + «others» adds to the dead named before.
_AND_N_OTHERS = compile_ar(r"(?:\s+\w+){0,3}?\s+(?:اخرين|اخرون|اخريات)(?!\w)")


def _more_of_the_dead(doc: Document, tolls: list[Mention], taken: list[tuple[int, int]]) -> list[Mention]:
    norm = doc.norm
    killed = sorted((t for t in tolls if t.label == "killed" and t.value.count), key=lambda t: t.start)
    if not killed:
        return []
    out: list[Mention] = []
    # Sorted starts and ends, searched by bisection: a report of thousands of tolls must not rescan them per count.
    spans = sorted(taken)
    span_starts = [a for a, _ in spans]
    longest = max((b - a for a, b in spans), default=0)
    killed_ends = [t.end for t in killed]  # killed tolls do not overlap, so their ends rise with their starts
    for m in _number_regex().finditer(norm, killed[0].end):
        lo = bisect.bisect_left(span_starts, m.start() - longest)
        hi = bisect.bisect_left(span_starts, m.end())
        if any(b > m.start() for _, b in spans[lo:hi]):
            continue  # overlaps a count already taken
        value = parse_number(m.group("num"))
        if value is None or value > MAX_TOLL:
            continue
        prev = killed[bisect.bisect_right(killed_ends, m.start()) - 1]
        if doc.sentences and doc.sentence_index(prev.start) != doc.sentence_index(m.start()):
            continue
        between = norm[prev.end : m.start("num")]
        side_count = (
            (between.rstrip().endswith("و") or m.group().startswith("و"))
            and _OTHER_SIDE_LINK.match(between.rstrip().removesuffix("و") + " ")
            and _SIDE_AFTER.match(norm, m.end())
        )
        with_others = (
            _WITH_BEFORE.search(norm, max(0, m.start() - 6), m.start()) and _WITH_OTHERS.match(norm, m.end())
        ) or (m.group().startswith("و") and _AND_N_OTHERS.match(norm, m.end()))
        if side_count or (with_others and m.start() - prev.end < 60):
            toll = Toll("killed", value, plus=True, side=_side(doc, m.end()) if side_count else prev.value.side)
            out.append(Mention(m.start(), m.end(), "killed", toll))
    return out


PENDING = "pending"
# «12 من عناصر قوات النظام … وقيادي في التنظيم», «3 جنود وضابط»: the counted noun and its «من …»
# complement, then «و» + one more person.
# The counted noun, with an adjective or not («30 جنديا نظاميا»), and whose they were («من عناصر التنظيم»).
_COMPLEMENT = compile_ar(r"^\s*(?:\w+\s+){0,2}(?:(?:من|في\s+صفوف)\s+[^،؛\d]{0,80})?$")
_NOT_COMPLEMENT = compile_ar(r"(?<!\w)(?:في|على|جراء|اثر|خلال|بعد|قرب|الى|عن|منذ)(?!\w)")
# «قُتل طفلان في غارة على A، وامرأة وطفلها في قصف على B»: a verb shared by a second list (gapping).
_GAPPED_CAUSE = compile_ar(r"(?<!\w)(?:في|جراء|اثر|بسبب|بعد)(?!\w)")


def _mark_additions(doc: Document, tolls: list[Mention]) -> tuple[Mention, ...]:
    """A count of the dead joined by «و» right after another («سيدة وثلاثة من أطفالها») adds to it; so does a
    noun of people that continues the list («امرأة وطفلها») or follows the first count's complement. Pending
    nouns that continue no list of the dead are dropped."""
    norm = doc.norm
    out: list[Mention] = []
    pending: Mention | None = None
    for t in tolls:
        prev = out[-1] if out else None
        joined = prev is not None and (
            norm[prev.end : t.start].strip() == "و" or (not norm[prev.end : t.start].strip() and norm[t.start] == "و")
        )
        if t.label == PENDING and prev is not None and t.start < prev.end:
            continue  # a count kept aside that was taken as one more of the dead
        if t.label == PENDING:
            resolved = _resolve_pending(doc, prev, t, joined)
            pending = t if resolved is None else None
            if resolved is None:
                continue
            t = resolved
        elif pending is not None and _leads_the_list(doc, pending, t):
            # «إن قيادياً في التنظيم وخمسة آخرين قتلوا»: the person named first is one of the dead too.
            out.append(Mention(pending.start, pending.end, "killed", pending.value))
            t = Mention(t.start, t.end, t.label, replace(t.value, plus=True, side=t.value.side or pending.value.side))
        elif (
            (joined or _with_others(norm, t))
            and prev is not None  # «مع ثلاثة عناصر آخرين» with no count before it: nothing to add to
            and prev.label == t.label == "killed"
            and t.value.count
            and not (t.value.update or t.value.subset)
        ):
            # «سيدة وثلاثة من أطفالها», «قتل العجلاني مع ثلاثة عناصر آخرين»: more of the dead, not a restatement
            t = Mention(t.start, t.end, t.label, replace(t.value, plus=True, side=t.value.side or prev.value.side))
        pending = None
        out.append(t)
    return tuple(out)


def _with_others(norm: str, t: Mention) -> bool:
    """«مع ثلاثة عناصر آخرين»: a count of others who died with the one named before."""
    return bool(_WITH_BEFORE.search(norm, max(0, t.start - 6), t.start) and _AND_N_OTHERS.match(norm, t.end))


def _leads_the_list(doc: Document, pending: Mention, t: Mention) -> bool:
    """Does a noun of people kept aside begin the list that a count of the dead continues («قيادي … وخمسة»)?"""
    if t.label != "killed" or not t.value.count or t.value.update or t.value.subset or doc.norm[t.start] != "و":
        return False
    if t.start < pending.end:
        return False  # the same count, found again as one more of the dead
    if doc.sentences and doc.sentence_index(pending.start) != doc.sentence_index(t.start):
        return False
    between = doc.norm[pending.end : t.start]
    if _IN_A_GROUP.match(between) and overlaps_any(doc.actors, pending.end, t.start):
        return True  # «قيادي في تنظيم داعش وخمسة …»: a member of a side, not a place
    return bool(_COMPLEMENT.match(between)) and not _NOT_COMPLEMENT.search(between, 1)


_IN_A_GROUP = compile_ar(r"^\s*في\s+[^،؛\d]{0,50}$")


_COUNTED_NOUN = compile_ar(r"\s+\w+ا\s+")  # the accusative noun a count counts: «19 رجلاً»


def _resolve_pending(doc: Document, prev: Mention | None, t: Mention, joined: bool) -> Mention | None:
    norm = doc.norm
    if prev is None or prev.label not in {"killed", "injured"} or not prev.value.count or norm[t.start] != "و":
        return None
    if doc.sentences and doc.sentence_index(prev.start) != doc.sentence_index(t.start):
        return None
    between = norm[prev.end : t.start]
    if _COUNTED_NOUN.fullmatch(between) and norm[t.end - 1] == "ا":
        return None  # «19 رجلاً وشاباً»: a second noun the same count counts, in the same accusative, not one more
    if joined or (_COMPLEMENT.match(between) and not _NOT_COMPLEMENT.search(between, 1)):
        # A member of a subset list («بينهم طفل وامرأة») is part of the subset, not extra.
        extra = replace(
            t.value, subset=prev.value.subset, plus=not prev.value.subset, side=t.value.side or prev.value.side
        )
        return Mention(t.start, t.end, prev.label, replace(extra, kind=prev.label))
    if prev.label == "killed" and between.rstrip().endswith("،") and _GAPPED_CAUSE.search(norm, t.end, t.end + 30):
        return Mention(t.start, t.end, "killed", t.value)
    return None


_MONTH_OR_SLASH_NEXT = compile_ar(r"\s*(?:من\s+)?(?:شهر|[/-])")


def _is_date_number(norm: str, start: int, end: int) -> bool:
    before = norm[max(0, start - 4) : start]
    if before.endswith(("ال", "الـ", "ال ")) or _MONTH_OR_SLASH_NEXT.match(norm[end : end + 12]):
        return True
    # «في 2 شباط 2015», «(2 شباط/ فبراير 2015)»: the day before a month's name, the year after it
    day, year = _date_parts()
    if day.match(norm, end):
        return True
    figure = norm[start:end]
    return (
        len(figure) == 4
        and figure.isdigit()
        and 1900 <= int(figure) <= 2100
        and bool(year.search(norm, max(0, start - 40), start))
    )


@cache
def _date_parts() -> tuple[re.Pattern[str], re.Pattern[str]]:
    months = month_names()
    day = compile_ar(rf"\s+(?:من\s+)?(?:شهر\s+)?(?:{months})(?!\w)")
    year = compile_ar(rf"(?:(?<!\w)(?:{months})\s*\)?|(?<!\w)(?:العام|عام|سنه))\s*(?:من\s+)?(?:العام\s+|عام\s+)?$")
    return day, year


# A running total: «ارتفع إلى 47», «ارتفع عدد القتلى إلى 47», «ارتفعت حصيلة القصف لـ11»; what rose is named
# between the verb and the figure, or after the figure («ليرتفع إلى 9 عدد القتلى»).
_ROSE = r"(?<!\w)[وف]?(?:ل?[يت]|ا)رتفع(?:ت)?\s+"  # «ارتفع», «وارتفعت», «ليرتفع», «يرتفع»
_RISEN_TO = compile_ar(rf"{_ROSE}(?P<what>(?:\S+\s+){{0,4}}?)(?:الى|ل)\s*$")
# «ارتفعت اليوم حصيلة ضحايا مجزرة دوما في ريف دمشق إلى 85»: a named toll may have a long complement.
# (as many words as RISEN_REACH holds: «ارتفع عدد الأشخاص الذين قتلوا في الهجوم الذي استهدف حاجزاً … إلى 42»)
_RISEN_FAR = compile_ar(rf"{_ROSE}(?P<what>(?:[^\s.،؛]+\s+)*?)(?:الى|ل)\s*$")
RISEN_REACH = 120  # characters before a figure where the verb of a named toll's rise may stand


def _toll_named_rising(norm: str, start: int) -> re.Match[str] | None:
    """A rise verb further back, kept only when what rose names the dead or wounded (so `_classify` decides the
    kind from it before any offset into its 40-character window is needed)."""
    m = _RISEN_FAR.search(norm, max(0, start - RISEN_REACH), start)
    return m if m is not None and _risen_kind(m.group("what")) else None


# «ارتفع عدد الأشخاص الذين قتلوا في هجوم … إلى 115»: the dead may be named by a relative clause.
_DEAD_ROSE = compile_ar(r"(?<!\w)(?:(?:ال)?(?:قتلى|ضحايا|شهداء|حصيله)|الذين\s+(?:قتلوا|قضوا|استشهدوا|لقوا))(?!\w)")
_HURT_ROSE = compile_ar(r"(?<!\w)(?:ال)?(?:جرحى|مصابين|اصابات)(?!\w)")


_ASIDE = compile_ar(r"\s*\([^()]{0,60}\)")  # a short aside in brackets, skipped after a count


def _classify(doc: Document, start: int, end: int, count: int | None, noun: bool = False) -> Toll | None:
    norm = doc.norm
    before = norm[max(0, start - 40) : start].rstrip(" \"'(") + " "
    # «خمسة مدنيين بينهم ثلاثة أطفال (معظمهم من آل الحريري) قتلوا»: an aside in brackets does not part a count
    # from its verb.
    after = _ASIDE.sub(" ", norm[end : end + 120])[:60]
    if not noun and _NOT_PEOPLE.match(after):
        return None
    risen = _RISEN_TO.search(before) or _toll_named_rising(norm, start)
    update = risen is not None
    subset = bool(_SUBSET_BEFORE.search(before))
    kind = None
    # VSO with the cause first is common: «قتل في القصف 5 أشخاص», «أصيب جراء الانفجار 3».
    killed_before = compile_ar(rf"{_KILL_BEFORE}\s+{_WHEN}{_CAUSE_FIRST}(?:\w+\s+){{0,1}}$").search(
        before
    ) or _EXECUTED.search(before)
    injured_before = compile_ar(rf"{_INJ_BEFORE}\s+{_WHEN}{_CAUSE_FIRST}(?:\w+\s+){{0,1}}$").search(before)
    if noun and _DEAD_PAIR.match(norm, start, end):
        kind = "killed"  # «قتيلان وأربعة جرحى»: the noun is itself a count of the dead
    elif noun and _HURT_PAIR.match(norm, start, end):
        kind = "injured"
    elif not noun and _HURT_NOUN_NEXT.match(after):
        kind = "injured"  # «بسقوط مدني وثلاث إصابات»: the noun the count counts decides
    elif killed_before and not (injured_before and injured_before.start() > killed_before.start()):
        kind = "killed"
    elif injured_before:
        kind = "injured"  # «قتلوا وأصيب 50 آخرون»: the nearer verb decides
    elif risen and (named_rise := _risen_kind(risen.group("what"))):
        kind = named_rise  # «ارتفعت حصيلة ضحايا المجزرة إلى 85 مدنياً ونحو 200 جريح»: what rose says what it counts
    else:
        # The verb or noun after the count: «15 قتيلا», «13 عنصرا من داعش قتلوا», «12 آخرون أصيبوا».
        kill = compile_ar(rf"^\s*(?:(?:على\s+الاقل|اخرين|اخرون|\S+)\s+){{0,7}}?{_KILL_AFTER}(?!\w)").match(after)
        inj = compile_ar(rf"^\s*(?:(?:على\s+الاقل|اخرين|اخرون|\S+)\s+){{0,4}}?{_INJ_AFTER}(?!\w)").match(after)
        if kill and (not inj or kill.end() <= inj.end()):
            kind = "killed"
        elif inj:
            kind = "injured"
        elif risen:
            # «عدد قتلى غارة التحالف …، ارتفع إلى 18»: what rose may be named before the verb, in its sentence
            verb = max(0, start - 40) + risen.start()
            sentence = doc.sentence_at(start)
            kind = (
                _risen_kind(risen.group("what"))
                or _running_total_kind(norm[end : end + 160])
                or _what_rose_before(norm[max(sentence.start if sentence else 0, start - 160) : verb])
            )
        else:
            kind = _reached_kind(doc, start)
            update = kind is not None
    if kind is None and subset:
        kind = "killed"  # «بينهم 4 أطفال» after a toll: part of it, kept only to be skipped
    if kind is None:
        return None
    if (
        noun
        and count == 1
        and not _VERB_RIGHT_BEFORE.search(before.split("،")[-1][-14:])
        and not _HEADS_THE_DEAD.match(after)
    ):
        return None  # a bare singular noun counts only right after the verb: «مقتل شخص»
    return Toll(kind, count, update=update, subset=subset, side=_side(doc, end))


_TOTAL_OF = compile_ar(r"(?<!\w)عدد\s+(?:ال)?(?P<what>\w+)")
_DEATH_NOUNS = frozenset(normalize_key(w) for w in "قتلى ضحايا شهداء الذين من".split())
# «من عناصر X», «من مقاتلي X», «في صفوف X»: the dead belong to X; «في قصف من طيران» names the attacker.
_SIDE_LINK = compile_ar(r"^\W{0,10}(?:\w+\W+)?(?:من|في\s+صفوف)\s+(?:\w+\s+){0,2}$")


def _risen_kind(what: str) -> str | None:
    """«ارتفع عدد الجرحى إلى 30» counts the wounded; «ارتفعت حصيلة القتلى إلى 11» the dead."""
    if _HURT_ROSE.search(what):
        return "injured"
    return "killed" if _DEAD_ROSE.search(what) else None


# «حصيلة القتلى في غارات … ارتفعت إلى 72»: a toll named before the verb, however long its complement.
_TOLL_NAMED = compile_ar(r"(?<!\w)(?:عدد|حصيله)\s+(?:ال)?(?:(?P<dead>قتلى|ضحايا|شهداء)|جرحى|مصابين|اصابات)(?!\w)")
# «بلغ عدد القتلى في حلب اليوم أكثر من 65»: the toll reached a figure, told of the day's events.
_REACHED = compile_ar(
    rf"(?<!\w)[وف]?(?:ل?[يت]?بلغ|بلغت|وصل|وصلت)\s+(?:عدد|حصيله)\s+(?:ال)?(?:(?P<dead>قتلى|ضحايا|شهداء)|جرحى|مصابين)"
    rf"(?!\w)[^.؟!،\d]{{0,60}}?\s(?:الى\s+)?(?:{_QUAL}\s+)?$"
)
# «ليبلغ عدد القتلى 25 معظمهم في حمص»: a total over several places, no one event's toll.
_MOSTLY_IN = compile_ar(r"\S+\s+(?:\S+\s+)?(?:معظمهم|غالبيتهم|اغلبهم)\s+(?:في|ب)")
_DEAD_PAIR = compile_ar(r"[بل]?(?:قتيل|شهيد)(?:ين|ان)$")
_HURT_PAIR = compile_ar(r"[بل]?جريح(?:ين|ان)$")


def _what_rose_before(before: str) -> str | None:
    """The last toll named before «ارتفع» in its sentence: «عدد القتلى …», «حصيلة الجرحى …»."""
    named = list(_TOLL_NAMED.finditer(before))
    if not named:
        return None
    return "killed" if named[-1].group("dead") else "injured"


def _reached_kind(doc: Document, start: int) -> str | None:
    """«بلغ عدد القتلى … 65» counts the dead, «وصل عدد الجرحى إلى 30» the wounded: a running total."""
    sentence = doc.sentence_at(start)
    m = _REACHED.search(doc.norm, max(sentence.start if sentence else 0, start - 120), start)
    if m is None or _MOSTLY_IN.match(doc.norm, start):
        return None
    return "killed" if m.group("dead") else "injured"


def _running_total_kind(after: str) -> str | None:
    """«ارتفع إلى 9 … عدد القتلى» counts the dead; «ارتفع إلى 16 عدد الغارات» counts air raids."""
    m = _TOTAL_OF.search(after)
    return "killed" if m and m.group("what") in _DEATH_NOUNS else None


def _side(doc: Document, end: int) -> str | None:
    """Whose dead: the actor or victim named just after the count («من عناصر التنظيم», «مدنيين»)."""
    for a in starting_between(doc.actors, end, end + 40):
        if _SIDE_LINK.match(doc.norm[end : a.start]):
            return a.label
    victims = starting_between(doc.victims, end - 12, end + 20)
    return victims[0].label if victims else None


def is_among_the_dead(doc: Document, actor: Mention) -> bool:
    """Is this actor the side a toll's dead belong to («مقتل اثنين من قادة داعش»): a victim, not the attacker?"""
    for t in starting_between(doc.tolls, max(0, actor.start - 40), actor.start):
        if t.end <= actor.start and _SIDE_LINK.match(doc.norm[t.end : actor.start]):
            return True
    return False
