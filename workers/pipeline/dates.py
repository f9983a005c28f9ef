"""Stage: date expressions resolved against the publication time.

«اليوم» / «أمس» / «أول من أمس», weekday names (the latest such day on or before publication, which
also fixes «اليوم الاثنين» in a paper published after midnight), «ليل السبت - الأحد» (the later day),
«بعد منتصف ليل أمس» (past that midnight: today), «قبل يومين» / «قبل ثلاثة أيام»,
«الليلة الماضية» / «الليلة قبل الماضية» (last night / the night before; «بعد منتصف الليلة الماضية»: today),
and explicit days «السبت الـ 10 من شباط / فبراير 2018», «الثامن من يوليو», «الـ20 من الشهر الحالي».
Each mention's value is (date, time_precision): ACLED precision 1 = the day is known.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from .. import lexicon
from .document import Document, Mention
from .normalize import compile_ar


def _alt(words: dict[str, int]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def month_names() -> str:
    """The month names of both calendars as a regex alternation, longest first (for `compile_ar`)."""
    return _alt(lexicon.calendar()["months"])


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    cal = lexicon.calendar()
    month = month_names()
    weekday = _alt({w.removeprefix("ال"): v for w, v in cal["weekdays"].items()})
    ordinal = _alt(cal["ordinal_days"])
    units = _alt(_unit_words())
    return {
        "explicit": compile_ar(
            rf"(?<!\w)(?:(?:ال|الـ)\s*)?(?P<day>\d{{1,2}}|{ordinal})\s+(?:من\s+)?(?:شهر\s+)?(?P<month>{month})"
            # «2 شباط/ فبراير 2015»: a closing bracket takes the spaces before it only if it is there, so the year
            # after the second name keeps its space
            rf"(?:\s*[/(]\s*(?:{month})(?:\s*\))?)?(?:\s+(?:الجاري|الماضي|المنصرم))?"
            rf"(?:\s+(?:من\s+)?(?:العام|عام)?\s*(?P<year>\d{{4}}))?"
        ),
        # «في الـ20 من الشهر الحالي», «الخامس من الشهر الماضي»: a day of this month or the last.
        "of_month": compile_ar(
            rf"(?<!\w)(?:(?:ال|الـ)\s*)?(?P<day>\d{{1,2}}|{ordinal})\s+(?:من\s+)?"
            r"(?:(?P<this>(?:ال)?شهر\s+(?:الحالي|الجاري)|هذا\s+الشهر)|(?P<last>(?:ال)?شهر\s+(?:الماضي|المنصرم|السابق)))(?!\w)"
        ),
        "weekday": compile_ar(
            rf"(?<!\w)(?:(?P<after>بعد\s+منتصف\s+(?:ليل|ليله)\s+)|[وفبل]?(?:يوم|صباح|مساء|ليل|ليله|فجر|ظهر|عصر|منتصف\s+ليل)\s+)?"
            rf"[وفبل]?ال(?P<wd>{weekday})"
            # «ليل السبت - الأحد», «منتصف ليل الأربعاء الخميس», «ليل السبت على الأحد»: the night that ends in the second
            rf"(?:(?:\s*-\s*|\s+(?:على\s+)?)ال(?P<wd2>{weekday}))?(?!\w)"
        ),
        "relative": compile_ar(
            r"(?<!\w)(?:(?P<after>بعد\s+منتصف\s+(?:ليل|ليله)\s+)|[وفبل]?(?:يوم|صباح|مساء|ليل|ليله|فجر|ظهر|عصر)\s+)?"
            r"(?P<rel>اول\s+من\s+امس|اول\s+امس|امس\s+الاول|[وفب]?الامس|[وفب]?امس|[وفب]?اليوم|البارحه)(?!\w)"
        ),
        # «قبل يومين», «قبل ثلاثة أيام»: so many days before publication.
        "ago": compile_ar(
            rf"(?<!\w)قبل\s+(?:(?P<two>يومين)|(?P<n>\d{{1,2}}|{units})\s+(?:ايام|يوما))(?!\w)"
        ),
        # «الليلة الماضية» is last night (the evening of the day before), «الليلة قبل الماضية» the one before.
        "night": compile_ar(
            r"(?<!\w)(?P<after>بعد\s+منتصف\s+)?[وفبل]?(?:الليله|الليل|ليله|ليل)\s+(?P<before>(?:ما\s+)?قبل\s+)?"
            r"(?:الماضيه|الماضي|المنصرمه|المنصرم)(?!\w)"
        ),
    }


def find(doc: Document) -> Document:
    published = doc.report.published_at.date()
    cal = lexicon.calendar()
    pats = _patterns()
    found: list[Mention] = []
    for m in pats["explicit"].finditer(doc.norm):
        day = _day_number(m.group("day"))
        month = cal["months"][m.group("month")]
        year = int(m.group("year")) if m.group("year") else published.year
        try:
            value = date(year, month, day or 0)
        except ValueError:
            continue
        if not m.group("year") and value > published:
            value = value.replace(year=year - 1)  # «10 من شباط» in a January report is last year's
        if _bounds_a_period(doc.norm, m.start()):
            continue  # «منذ 11 يوليو»: when a campaign began, not the day of an event
        found.append(Mention(m.start(), m.end(), "explicit", (value, 1)))
    for m in pats["of_month"].finditer(doc.norm):
        day = _day_number(m.group("day"))
        first = published.replace(day=1)
        month_start = first if m.group("this") else (first - timedelta(days=1)).replace(day=1)
        try:
            value = month_start.replace(day=day or 0)
        except ValueError:
            continue
        if value > published or _bounds_a_period(doc.norm, m.start()):
            continue
        found.append(Mention(m.start(), m.end(), "explicit", (value, 1)))
    covered = bytearray(len(doc.norm) + 1)  # positions inside a date already found (one pass, not pairs)
    _cover(covered, found)
    for m in pats["weekday"].finditer(doc.norm):
        if covered[m.start()]:
            continue
        wd = _weekday(m.group("wd2") or m.group("wd"))
        back = (published.weekday() - wd) % 7
        if m.group("after") and not m.group("wd2") and back:
            back -= 1  # «بعد منتصف ليل الجمعة»: past the midnight that ends Friday, i.e. on Saturday
        try:
            found.append(Mention(m.start(), m.end(), "weekday", (published - timedelta(days=back), 1)))
        except OverflowError:  # a publication date at the edge of the calendar («0001-01-01»)
            continue
    _cover(covered, found)
    for m in pats["relative"].finditer(doc.norm):
        if covered[m.start()]:
            continue
        rel = re.sub(r"^[وفب](?=ال|امس)", "", m.group("rel"))
        offset = cal["relative_days"].get(" ".join(rel.split()), 0)
        if rel == "الامس":
            offset = -1
        if m.group("after"):
            offset += 1  # «بعد منتصف ليل أمس»: past the midnight that ended yesterday, i.e. today
        try:
            found.append(Mention(m.start(), m.end(), "relative", (published + timedelta(days=offset), 1)))
        except OverflowError:
            continue
    _cover(covered, found)
    for m in pats["ago"].finditer(doc.norm):
        if covered[m.start()]:
            continue
        days = 2 if m.group("two") else _days(m.group("n"))
        if not 1 <= days <= 10:
            continue  # further back than a report's week: not a day we can tell
        try:
            found.append(Mention(m.start(), m.end(), "relative", (published - timedelta(days=days), 1)))
        except OverflowError:
            continue
    _cover(covered, found)
    for m in pats["night"].finditer(doc.norm):
        if covered[m.start()]:
            continue
        offset = -2 if m.group("before") else -1
        if m.group("after"):
            offset += 1  # «بعد منتصف الليلة الماضية»: past the midnight that ended it, i.e. the next day
        try:
            found.append(Mention(m.start(), m.end(), "relative", (published + timedelta(days=offset), 1)))
        except OverflowError:
            continue
    return doc.with_(dates=tuple(sorted(found, key=lambda d: d.start)))


# «منذ 11 يوليو», «حتى 20 تموز», «منذ مطلع حزيران»: the bound of a period.
_PERIOD_BOUND = compile_ar(r"(?<!\w)(?:منذ|مذ|حتى|لغايه)\s+(?:(?:يوم|مطلع|بدايه|اوائل|اواخر|منتصف)\s+)?(?:ال|الـ)?\s*$")


def _bounds_a_period(norm: str, start: int) -> bool:
    return bool(_PERIOD_BOUND.search(norm, max(0, start - 24), start))


def _day_number(text: str) -> int | None:
    """«20» or «الخامس» → the day of the month (None for an ordinal the calendar lacks)."""
    return int(text) if text.isdigit() else lexicon.calendar()["ordinal_days"].get(text)


@cache
def _unit_words() -> dict[str, int]:
    """«ثلاثة» → 3 … «عشرة» → 10 (the number lexicon, already normalised like the text)."""
    return {w: v for w, v in lexicon.numbers()["words"].items() if 3 <= v <= 10}


def _days(count: str) -> int:
    return int(count) if count.isdigit() else _unit_words().get(count, 0)


def _cover(covered: bytearray, found: list[Mention]) -> None:
    for f in found:
        covered[f.start : f.end] = b"\x01" * (f.end - f.start)


def _weekday(name: str) -> int:
    weekdays = lexicon.calendar()["weekdays"]
    return weekdays.get("ال" + name, weekdays.get(name, 0))


def refine(mentions: list[Mention]) -> tuple[date, int] | None:
    """Several dates by one event: a weekday or explicit day beats «اليوم»/«أمس» (it survives midnight)."""
    if not mentions:
        return None
    for kind in ("explicit", "weekday", "relative"):
        for m in mentions:
            if m.label == kind:
                return m.value
    return None
