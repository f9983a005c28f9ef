"""Counts of the dead read from dual nouns and from a named victim «with others»: invented sentences."""

from __future__ import annotations

from tests.conftest import make_report
from workers.pipeline.run import extract


def test_a_dual_noun_counts_two():
    text = "وقالت القناة إن غارة جوية استهدفت سيارة في بلدة سراقب بريف إدلب أمس وقتلت عضوين من الحزب."
    assert [e.fatalities for e in extract(make_report(text))] == [2]


def test_some_of_the_dead_do_not_hide_the_one_named_with_others():
    text = (
        "وقال المرصد إن القائد قتل مع ثلاثة عناصر آخرين من قوات النظام بينهم عنصران "
        "جراء استهدافهم في بلدة سراقب بريف إدلب."
    )
    assert [e.fatalities for e in extract(make_report(text))] == [4]


def test_with_others_and_no_count_before_it_does_not_fail():
    text = "قتل مع ثلاثة عناصر آخرين في قصف على بلدة سراقب بريف إدلب."
    assert len(extract(make_report(text))) == 1



_FILLER = "وأضاف أن الجنود ردوا على مصدر النيران. وأكد أن التعزيزات وصلت إلى المنطقة. "


def test_a_toll_told_before_its_place_goes_to_the_event_that_refers_back():
    text = (
        "قال مسؤول إن جنديا قتل وأصيب آخر في اشتباكات مع التنظيم عبر الحدود. "
        + _FILLER
        + "وقالت تقارير إن الاشتباكات دارت قرب بلدة سراقب بريف إدلب."
    )
    assert [(e.sub_event_type, e.fatalities) for e in extract(make_report(text))] == [("Armed clash", 1)]


def test_a_lead_toll_does_not_go_to_a_new_event_told_after_it():
    lead = "قال مسؤول إن 30 شخصا قتلوا في تفجيرات عبر البلاد. "
    text = lead + _FILLER + "وانفجرت سيارة مفخخة في بلدة سراقب بريف إدلب."
    assert [e.fatalities for e in extract(make_report(text))] == [None]


def test_a_part_set_off_by_commas_before_the_verb_leaves_the_toll_to_the_total():
    text = "سبعة مدنيين، بينهم ثلاثة أطفال وامرأة، قتلوا جراء قصف جوي على بلدة كفرنبل في ريف إدلب."
    (event,) = extract(make_report(text))
    assert event.fatalities == 7


def test_a_lists_total_yields_to_its_first_places_own_toll_told_after_it():
    text = (
        "قتل 9 أشخاص في غارات نفذتها طائرات النظام الحربية اليوم على بلدتي كفرنبل وحاس في ريف إدلب. "
        "وأفاد المرصد بمقتل 7 مواطنين في غارات على بلدة كفرنبل. كما قتل شخصان في غارات على بلدة حاس."
    )
    tolls = {e.location_ar: e.fatalities for e in extract(make_report(text))}
    assert tolls == {"كفرنبل": 7, "حاس": 2}


def test_a_sources_tally_of_strikes_and_the_toll_of_these_strikes_are_no_ones_event():
    text = (
        "قتل ستة أشخاص في قصف بالبراميل المتفجرة على مدينة تلبيسة في ريف حمص. "
        "ووثق المرصد أكثر من 150 غارة نفذتها طائرات النظام على مناطق عدة في سوريا خلال يومين. "
        "وأشار إلى أن هذه الغارات أسفرت عن مقتل 60 مدنياً."
    )
    (event,) = extract(make_report(text))
    assert (event.location_ar, event.fatalities) == ("تلبيسة", 6)


def test_a_source_telling_a_few_strikes_on_a_town_tells_an_event():
    text = "ووثق المرصد 4 غارات نفذتها طائرات النظام على مدينة تلبيسة في ريف حمص."
    assert [e.location_ar for e in extract(make_report(text))] == ["تلبيسة"]


def test_a_running_total_of_those_who_were_killed_in_a_long_named_attack():
    text = "ارتفع عدد الأشخاص الذين قتلوا في الهجوم الذي استهدف حاجزاً للنظام قرب بلدة مورك بريف حماة إلى 42 شخصاً."
    (event,) = extract(make_report(text))
    assert event.fatalities == 42


def test_a_total_counted_from_the_start_of_an_offensive_is_not_the_days_toll():
    text = (
        "قتل 6 عناصر من قوات النظام اليوم في اشتباكات مع الفصائل في بلدة نوى بريف درعا، "
        "ليرتفع إلى 19 عدد قتلى النظام من بدء العملية العسكرية في درعا."
    )
    (event,) = extract(make_report(text))
    assert event.fatalities == 6
