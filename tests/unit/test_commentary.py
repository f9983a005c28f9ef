"""Commentary that mentions fighting is not an event: invented sentences, one rule each, with a control."""

from __future__ import annotations

import pytest

from tests.conftest import make_report
from workers.pipeline.run import extract


@pytest.mark.parametrize(
    "text",
    [
        "وقال الوزير إن مئات المتطوعين يسافرون إلى إدلب للقتال إلى جانب الفصائل.",
        "وتفقد القائد جبهات القتال في ريف حماة الشمالي.",
        "وأشار التقرير إلى مشاركة الميليشيات في المعارك الدائرة في مدينة تدمر.",
    ],
)
def test_fighting_as_a_topic_is_no_event(text):
    assert extract(make_report(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "دارت اشتباكات عنيفة في بلدة سراقب بريف إدلب أمس.",
        "قتل ثلاثة عناصر من قوات النظام في اشتباكات في بلدة سراقب بريف إدلب.",
        "وقتل مدنيان أمس في المعارك الدائرة في بلدة سراقب بريف إدلب.",
    ],
)
def test_a_fight_with_a_toll_or_a_day_is_still_an_event(text):
    assert [e.sub_event_type for e in extract(make_report(text))] == ["Armed clash"]


@pytest.mark.parametrize(
    "text",
    [
        "وحذر المسؤول من أن الطائرات التي تقترب من الحدود سيتم استهدافها في بلدة جرابلس.",
        "ومن المتوقع أن تشن قوات النظام هجوما على بلدة سراقب بريف إدلب.",
        "وقال القائد إن الفصائل قد تستهدف مطار حماة العسكري.",
    ],
)
def test_a_prospect_is_no_event(text):
    assert extract(make_report(text)) == []


def test_a_prospect_after_the_deed_leaves_it_alone():
    text = "قتل خمسة مدنيين أمس في قصف على بلدة سراقب بريف إدلب وقد يرتفع عدد القتلى."
    assert [e.fatalities for e in extract(make_report(text))] == [5]


@pytest.mark.parametrize(
    "text",
    [
        "ورأى المحلل أن النظام يلجأ إلى قصف بلدة سراقب بريف إدلب كلما خسر موقعا.",
        "واعتبر الوزير أن الهجوم على مدينة تدمر رسالة سياسية.",
        "وقال البيان إن الطائرات بدلا من استهداف مواقع التنظيم في بلدة جرابلس تركتها.",
    ],
)
def test_an_opinion_or_what_was_not_done_is_no_event(text):
    assert extract(make_report(text)) == []


def test_an_opinion_is_no_event_in_any_sentence_of_the_report_not_only_its_first():
    text = (
        "قال المرصد إن الطائرات الروسية شنت غارة على بلدة دارة عزة في ريف حلب الغربي. "
        "ورجح المراسل أن يكون القصف الروسي تمهيدا لعمليات برية لجيش النظام تجاه قريتي نبل والزهراء."
    )
    assert [e.location_ar for e in extract(make_report(text))] == ["دارة عزة"]


def test_an_opinion_with_a_toll_still_tells_the_event():
    text = "ورأى المرصد أن قصف بلدة سراقب بريف إدلب الذي قتل خمسة مدنيين كان متعمدا."
    assert [e.fatalities for e in extract(make_report(text))] == [5]


@pytest.mark.parametrize(
    "text",
    [
        "وتشهد مدينة سراقب وريفها قصفا جويا مكثفا من الطيران الحربي.",
        "وقال النائب إن بعض قرى ريف إدلب تتعرض لقصف بالهاون من قبل مسلحين.",
    ],
)
def test_a_place_undergoing_violence_undated_is_a_state_of_affairs(text):
    assert extract(make_report(text)) == []


def test_a_place_undergoing_violence_today_is_an_event():
    text = "وتشهد مدينة سراقب بريف إدلب منذ صباح اليوم قصفا جويا مكثفا من الطيران الحربي."
    assert [e.sub_event_type for e in extract(make_report(text))] == ["Air/drone strike"]


def test_since_the_offensive_began_is_a_running_sum():
    text = "وقال المرصد إن القائد هو أبرز قيادي يقتل منذ بدأ الهجوم على مدينة سراقب في الربيع."
    assert extract(make_report(text)) == []


def test_a_definite_noun_of_violence_told_again_is_the_same_event():
    text = (
        "قصفت طائرات حربية أمس مواقع للتنظيم في بلدة سراقب بريف إدلب، "
        "وأسفر القصف عن مقتل تسعة من عناصر التنظيم. واستهدف الهجوم السيطرة على الطريق الدولي."
    )
    events = extract(make_report(text))
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Air/drone strike", 9)]


def test_the_attack_told_again_after_background_is_no_event():
    text = "وأخفق هجوم شنه التنظيم الشهر الماضي على مدينة الحسكة. واستهدف الهجوم السيطرة على المدينة."
    assert extract(make_report(text)) == []


def test_the_raid_told_again_with_its_target_named_is_the_same_raid():
    text = (
        "قتل عشرة مدنيين في قصف الطيران المروحي بالبراميل المتفجرة على قرية تل حاصل بريف حلب أمس. "
        "وقال المرصد إن القصف استهدف قرية يسيطر عليها تنظيم داعش."
    )
    assert [e.sub_event_type for e in extract(make_report(text))] == ["Air/drone strike"]


def test_an_earlier_year_heading_the_sentence_dates_what_follows():
    text = "وفي عام 2013، وقع تفجير بسيارة مفخخة في بلدة سراقب بريف إدلب قتل فيه 40 شخصا."
    assert extract(make_report(text)) == []


def test_a_link_line_repeating_a_title_is_no_event():
    text = "رابط الخبر بصحيفة الوئام: قتلى في قصف على بلدة سراقب بريف إدلب"
    assert extract(make_report(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "ونفت الحكومة اتهامات المعارضة بقصف بلدة سراقب بريف إدلب.",
        "ودعا الوزير إلى الإسراع في التحقيق في التفجير الذي استهدف بلدة سراقب بريف إدلب.",
        "ونفت وزارة الدفاع الأمريكية خطف الفصائل لمقاتلين في بلدة سراقب بريف إدلب.",
        "ونددت الخارجية بالقصف الذي استهدف بلدة سراقب بريف إدلب.",
    ],
)
def test_violence_as_the_object_of_an_accusation_inquiry_or_denial_is_no_event(text):
    assert extract(make_report(text)) == []


def test_a_denial_with_a_toll_leaves_the_event():
    text = "ونفت الوزارة مقتل ثلاثة مدنيين في قصف على بلدة سراقب بريف إدلب أمس."
    assert [e.sub_event_type for e in extract(make_report(text))] == ["Shelling/artillery/missile attack"]


def test_last_week_is_background():
    text = "وأشار إلى أن قوات النظام قصفت بلدة سراقب بريف إدلب الأسبوع الماضي."
    assert extract(make_report(text)) == []


def test_a_question_reports_nothing():
    text = "فهل قصفت قوات النظام بلدة سراقب بريف إدلب أمس بالبراميل المتفجرة؟"
    assert extract(make_report(text)) == []


def test_a_side_announcing_what_it_targeted_is_a_claim():
    text = "وأعلنت فصائل المعارضة في بيان استهداف مقرات قوات النظام في بلدة سراقب بريف إدلب."
    assert extract(make_report(text)) == []


def test_a_claim_with_a_toll_is_still_told():
    text = "وأعلنت فصائل المعارضة استهداف مقرات قوات النظام في بلدة سراقب بريف إدلب ومقتل خمسة عناصر."
    assert [e.fatalities for e in extract(make_report(text))] == [5]


def test_a_campaign_begun_weeks_before_the_news_is_background():
    began = "وبدأت قوات النظام وحزب الله اللبناني في الرابع من يوليو الماضي هجوما على مدينة الزبداني، ترافق مع قصف جوي."
    assert extract(make_report(began, "2015-07-31T10:00:00+03:00")) == []
    yesterday = "وبدأت قوات النظام أمس هجوما على مدينة الزبداني."
    assert [e.sub_event_type for e in extract(make_report(yesterday))] == ["Armed clash"]


def test_how_long_a_place_has_been_besieged_does_not_make_the_deed_background():
    text = (
        "وفي ريف دمشق، قتل ستة أشخاص في غارات على مدينة دوما في الغوطة الشرقية المحاصرة من قوات النظام "
        "منذ أكثر من سنة."
    )
    assert [(e.location_ar, e.fatalities) for e in extract(make_report(text))] == [("دوما", 6)]
    # control: the deed itself told as months ago
    text = "وفي ريف دمشق، قتل ستة أشخاص في غارات على مدينة دوما منذ أكثر من سنة."
    assert extract(make_report(text)) == []
