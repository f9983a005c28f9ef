from datetime import date

import pytest

from tests.conftest import make_report
from workers.pipeline import dates
from workers.pipeline.document import Document


def resolved(text, published="2015-07-22T10:00:00+03:00"):
    doc = dates.find(Document.from_report(make_report(text, published)))
    return dates.refine(list(doc.dates))


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("قتل صباح اليوم", "2015-07-22T10:00:00+03:00", date(2015, 7, 22)),
        ("قتل أمس", "2015-07-22T10:00:00+03:00", date(2015, 7, 21)),
        ("قتل يوم أمس", "2015-07-22T10:00:00+03:00", date(2015, 7, 21)),
        ("أول من أمس", "2015-07-22T10:00:00+03:00", date(2015, 7, 20)),
        # Published after midnight: «اليوم الإثنين» is the Monday before, not the Tuesday of publication.
        ("وقع انفجار اليوم الإثنين", "2015-07-21T02:18:08+03:00", date(2015, 7, 20)),
        ("أمس الثلاثاء", "2015-07-22T09:48:56+03:00", date(2015, 7, 21)),
        (
            "فجر يوم السبت الـ 10 من شباط / فبراير الجاري من العام 2018",
            "2018-02-11T12:00:00+03:00",
            date(2018, 2, 10),
        ),
        ("في الثامن من يوليو", "2015-07-22T10:00:00+03:00", date(2015, 7, 8)),
        ("بعد منتصف ليل السبت- الأحد", "2015-07-27T17:02:41+03:00", date(2015, 7, 26)),
        ("في 10 كانون الأول", "2016-01-05T10:00:00+03:00", date(2015, 12, 10)),
        # Nights: last night is the evening before publication, the night before last the one before that;
        # past the midnight that ends a named night is the next day.
        ("سقطت قذائف على الحي الليلة الماضية", "2015-07-18T09:00:00+03:00", date(2015, 7, 17)),
        ("دارت معارك في البلدة الليل قبل الماضي", "2015-07-18T09:00:00+03:00", date(2015, 7, 16)),
        ("قتل ثلاثة في الليلة ما قبل الماضية", "2015-07-18T09:00:00+03:00", date(2015, 7, 16)),
        ("اندلعت اشتباكات بعد منتصف ليل أمس", "2015-07-18T09:00:00+03:00", date(2015, 7, 18)),
        ("ألقت المروحيات براميل بعد منتصف ليل أمس الأول", "2015-07-18T09:00:00+03:00", date(2015, 7, 17)),
        ("قصف عنيف بعد منتصف ليل الأربعاء", "2015-07-18T09:00:00+03:00", date(2015, 7, 16)),
        ("قصف عنيف ليل الأربعاء", "2015-07-18T09:00:00+03:00", date(2015, 7, 15)),
        # So many days ago.
        ("حاولت قوات النظام قبل يومين التقدم", "2015-07-26T17:00:00+03:00", date(2015, 7, 24)),
        ("قصفت الطائرات البلدة قبل ثلاثة أيام", "2015-07-26T17:00:00+03:00", date(2015, 7, 23)),
        ("قتل قبل 5 أيام", "2015-07-26T17:00:00+03:00", date(2015, 7, 21)),
    ],
)
def test_dates_resolve_against_publication(text, published, expected):
    assert resolved(text, published)[0] == expected


@pytest.mark.parametrize("text", ["قصفت الطائرات البلدة قبل أيام", "قتل قبل 40 يوما", "قتل قبل سنتين"])
def test_days_ago_without_a_count_or_beyond_a_week_is_no_day(text):
    assert resolved(text) is None


def test_no_date_expression():
    assert resolved("اشتباكات عنيفة في المدينة") is None


@pytest.mark.parametrize(
    "text", ["يشن الجيش حملة قصف منذ 11 يوليو", "تستمر الهدنة حتى 20 تموز", "تتواصل المعارك منذ يوم 4 تموز"]
)
def test_the_bound_of_a_period_is_not_an_event_day(text):
    assert resolved(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("نفذ انتحاري يوم الاثنين في الـ20 من الشهر الحالي تفجيرا", date(2015, 7, 20)),
        ("قتل في الخامس من الشهر الماضي", date(2015, 6, 5)),
        ("قتل في 3 من هذا الشهر", date(2015, 7, 3)),
    ],
)
def test_a_day_of_this_month_or_the_last(text, expected):
    assert resolved(text, "2015-07-27T10:00:00+03:00") == (expected, 1)


def test_a_day_of_this_month_still_to_come_is_not_an_event_date():
    assert resolved("تنتهي المهلة في الـ30 من الشهر الحالي", "2015-07-27T10:00:00+03:00") is None


def test_a_month_given_in_both_calendars_keeps_its_year():
    doc = dates.find(Document.from_report(make_report("قال المرصد اليوم (2 شباط/ فبراير 2014) إن …")))
    explicit = [d for d in doc.dates if d.label == "explicit"]
    assert [(doc.norm[d.start : d.end], d.value[0]) for d in explicit] == [("2 شباط/ فبراير 2014", date(2014, 2, 2))]
