"""Place finding on invented sentences: what location_ar reads as, and namesakes of Syrian places abroad."""

from __future__ import annotations

import pytest

from tests.conftest import make_report
from workers.pipeline.run import extract


def test_countryside_is_named_without_its_preposition():
    text = "قتل 5 مدنيين في غارات للطيران الحربي على قرى بريف إدلب الجنوبي اليوم."
    (event,) = extract(make_report(text))
    assert (event.location_ar, event.admin1_pcode) == ("ريف إدلب الجنوبي", "SY07")
    (place,) = [e for e in event.evidence if e.role == "place"]
    assert text[place.start : place.end] == "ريف إدلب الجنوبي"


def test_a_namesake_in_a_sentence_about_yemen_is_not_the_syrian_place():
    text = (
        "قال المرصد السوري إن 5 مدنيين قتلوا في غارة على مدينة أريحا في ريف إدلب. "
        "وفي اليمن، شنت طائرات التحالف غارات على معسكر للحوثيين في منطقة باب المندب."
    )
    codes = {(e.location_ar, e.admin1_pcode) for e in extract(make_report(text))}
    assert ("أريحا", "SY07") in codes
    assert not any(pcode == "SY02" for _, pcode in codes), codes  # al-Bab, Aleppo


def test_words_that_contain_a_foreign_name_do_not_make_a_sentence_foreign():
    # «مصرعهم» holds «مصر» (Egypt), «تعزيزات» holds «تعز» (Yemen): whole words only.
    text = (
        "أفاد المرصد السوري بتجدد الاشتباكات أمس. "
        "ولقي 4 عناصر من قوات النظام مصرعهم بعد وصول تعزيزات في اشتباكات مع الفصائل في بلدة كفرنبودة."
    )
    places = {(e.location_ar, e.admin1_pcode) for e in extract(make_report(text))}
    assert ("كفرنبودة", "SY05") in places


def test_a_word_that_starts_like_a_proclitic_is_not_split_into_a_place():
    # «وزارة» (ministry) is not و + the village Zara (Homs); «فرقة» (division) is not ف + Raqqa.
    text = "قال مسؤول في وزارة الخارجية إن الجيش قصف مواقع للفرقة 30 قرب مدينة جرابلس في ريف حلب أمس."
    places = {e.location_ar for e in extract(make_report(text))}
    assert places == {"جرابلس"}


def test_a_district_town_after_a_place_noun_is_enough_to_place_a_report_in_syria():
    (event,) = extract(make_report("انفجرت سيارة ملغومة في مدينة تل أبيض أمس."))
    assert (event.location_ar, event.admin1_pcode) == ("تل أبيض", "SY11")


def test_a_report_about_the_west_bank_has_no_syrian_namesakes():
    text = "قتل جنود الاحتلال شابا فلسطينيا برصاص في مدينة جنين في الضفة الغربية أمس."
    assert all(e.country != "Syria" for e in extract(make_report(text)))


def test_a_sub_district_town_after_the_preposition_ala_is_a_place():
    # «على» is written «علي» in normalised text: the cue words are normalised alike.
    text = "قال المرصد السوري إن الطيران الحربي شن غارات على بنش ومعرة مصرين في ريف إدلب."
    places = {e.location_ar for e in extract(make_report(text))}
    assert {"بنش", "معرة مصرين"} <= places


def test_two_village_names_side_by_side_are_one_unknown_name_not_two_places():
    text = "قال المرصد السوري إن الطيران الحربي نفذ غارات على قرى الزويك والدويركة وساقية الكرت في ريف اللاذقية."
    places = {e.location_ar for e in extract(make_report(text))}
    assert {"الزويك", "الدويركة"} <= places and not places & {"ساقية", "الكرت"}


def test_a_neighbourhood_named_without_its_city_is_placed_in_the_city_of_the_story():
    text = (
        "حققت القوات الكردية تقدما في مدينة الحسكة. "
        "وفي هذه الأثناء سيطرت القوات الكردية تماما على حي النشوة الغربية وعزلت مقاتلي تنظيم داعش."
    )
    events = {e.location_ar: e for e in extract(make_report(text))}
    assert "النشوة" in events and events["النشوة"].admin1_pcode == "SY08"
    assert "المدينة" not in {e.location_ar for e in extract(make_report("قصف الطيران أحياء المدينة في حلب."))}


def test_a_list_closed_by_a_country_abroad_is_in_that_country():
    text = (
        "وقال التحالف في بيان إن طائراته شنت أمس غارات على مواقع داعش في الحسكة والرقة في سوريا، "
        "وقرب كركوك وسنجار وتل عفر ومناطق حول الموصل في العراق."
    )
    places = {(e.location_ar, e.country, e.admin1_pcode) for e in extract(make_report(text))}
    assert {("الحسكة", "Syria", "SY08"), ("الرقة", "Syria", "SY11")} <= places
    assert {("كركوك", "Iraq", None), ("سنجار", "Iraq", None)} <= places
    assert not any(pcode == "SY07" for *_, pcode in places), places  # Sinjar, Idleb


def test_a_namesake_of_a_town_abroad_in_a_syrian_countryside_stays_syrian():
    text = "قصفت قوات النظام بلدة سنجار بريف إدلب أمس."
    assert [(e.location_ar, e.admin1_pcode) for e in extract(make_report(text))] == [("سنجار", "SY07")]


def test_coordinated_governorates_alone_fold_into_the_towns_told_later():
    text = (
        "أطلقت الفصائل أمس أكثر من 300 قذيفة على قرى في إدلب وحلب. "
        "وأدى سقوط القذائف على بلدتي الفوعة وكفريا بإدلب إلى مقتل سبعة أشخاص، "
        "وقصفت الفصائل بلدتي نبل والزهراء في حلب."
    )
    places = sorted(e.location_ar for e in extract(make_report(text)))
    assert places == sorted(["الفوعة", "كفريا", "نبل", "الزهراء"]), places


def test_places_after_fi_kull_min_are_a_list():
    text = "دارت اشتباكات عنيفة في كل من النعيمة واليادودة بريف درعا أمس."
    assert [e.location_ar for e in extract(make_report(text))] == ["النعيمة", "اليادودة"]


def test_aleppo_quarters_headed_by_jubb_or_bustan_are_neighbourhoods():
    text = "وسقط صاروخ على حيي جب القبة وبستان القصر في حلب أمس."
    assert sorted(e.location_ar for e in extract(make_report(text))) == ["بستان القصر", "جب القبة"]


def test_a_turkish_town_whose_name_starts_like_a_clitic_is_not_a_syrian_village():
    text = "وقال المرصد السوري إن سيارة مفخخة انفجرت أمس قرب بلدة ليجي في تركيا."
    assert [(e.location_ar, e.country) for e in extract(make_report(text))] == [("ليجي", "Turkey")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('سيطرت قوات المعارضة أمس على تلة "جورة الماء" الواقعة في جبل التركمان بريف اللاذقية.', "جورة الماء"),
        ("وتمكن الثوار أمس من استعادة السيطرة على تلة عثمان في جبل التركمان بريف اللاذقية.", "تلة عثمان"),
    ],
)
def test_a_hill_the_gazetteer_lacks_is_placed_in_the_region_named_after_it(text, name):
    events = extract(make_report(text, "2015-07-22T10:00:00+03:00"))
    assert [(e.location_ar, e.admin1_pcode) for e in events] == [(name, "SY06")]


def test_a_name_found_in_several_governorates_takes_the_one_its_sentence_is_in():
    # No governorate named near it, and the report's first place is in Aleppo: al-Hol, only in Hasakah, says where
    # the sentence is, so the «الجابرية» of Hasakah (there are others in Aleppo, Homs and Idleb).
    text = "قصفت قوات النظام مدينة منبج اليوم. وسيطرت قوات سوريا الديمقراطية على قريتي الهول والجابرية اليوم."
    places = {(e.location_ar, e.admin1_pcode) for e in extract(make_report(text))}
    assert {("الهول", "SY08"), ("الجابرية", "SY08")} <= places, places


@pytest.mark.parametrize(
    "listed",
    ["قرى (تل هواش، الجابرية، التوبة)", "قرى تل هواش، الجابرية، التوبة", "قرى «تل هواش، الجابرية، التوبة»"],
)
def test_places_listed_with_commas_are_each_a_place_of_the_event(listed):
    text = f"سيطرت قوات النظام اليوم على {listed} شمال غرب حماة."
    places = [e.location_ar for e in extract(make_report(text))]
    assert places == ["تل هواش", "الجابرية", "التوبة"]


def test_a_list_opened_by_a_plural_place_noun_goes_on_past_a_name_the_gazetteer_lacks():
    # «بير سان» is not in the gazetteer; the villages after it are still the list's.
    text = 'قصف تنظيم داعش اليوم قرى "بير سان وشالي والمحمودلي" شمالي الرقة.'
    assert [e.location_ar for e in extract(make_report(text))] == ["شالي", "المحمودلي"]


def test_the_centre_of_a_city_does_not_cut_the_clause_of_its_event():
    # «وسط» opens a new clause as "amid" («وسط اشتباكات»), not as "the centre of" a city.
    text = (
        "قتل 45 شخصا بقصف قوات النظام على مدينة أريحا بريف إدلب، "
        "بينما سقطت قذائف هاون في حي راق وسط العاصمة دمشق، مما أدى إلى إصابة ثلاثة أشخاص."
    )
    events = {e.location_ar: e for e in extract(make_report(text))}
    assert set(events) == {"أريحا", "دمشق"}
    assert (events["أريحا"].fatalities, events["أريحا"].injured) == (45, None)
    assert events["دمشق"].injured == 3


def test_towns_a_targeting_participle_names_in_a_region_are_where_the_strikes_fell():
    text = "قصفت قوات النظام منطقة جبل الزاوية اليوم، مستهدفة محور كل من مرعيان والمغارة."
    assert [e.location_ar for e in extract(make_report(text))] == ["مرعيان", "المغارة"]
    # A region inside a named town stays the most precise place.
    (event,) = extract(make_report("سيطر مقاتلو المعارضة على نقاط عدة في الجبل الشرقي في الزبداني بريف دمشق اليوم."))
    assert event.location_ar == "الجبل الشرقي"


def test_a_list_of_places_with_comma_and_and_is_one_list():
    text = "كثفت قوات النظام اليوم قصفها المدفعي على قرى الموزرة، والبارة في ريف إدلب."
    assert [e.location_ar for e in extract(make_report(text))] == ["الموزرة", "البارة"]


def test_a_city_quarter_the_gazetteer_files_under_its_city_needs_no_city_in_the_text():
    text = "قال المرصد السوري إن قذائف هاون سقطت على منطقة الزبلطاني ما أدى لمقتل ثلاثة مواطنين."
    (event,) = extract(make_report(text))
    assert (event.location_ar, event.admin1_pcode, event.fatalities) == ("الزبلطاني", "SY01", 3)
    # «حي الوعر» with no city told, and no city in the story: the quarter of Homs (what it was shelled with says
    # how, not where)
    for text in (
        "قال المرصد السوري إن ثلاثة أشخاص قتلوا في قصف على حي الوعر.",
        "قال المرصد السوري إن ثلاثة أشخاص قتلوا في قصف على حي الوعر بقذائف الهاون.",
    ):
        (event,) = extract(make_report(text))
        assert (event.location_ar, event.admin1_pcode) == ("الوعر", "SY04")


def test_a_quarter_named_by_an_everyday_word_needs_a_place_noun():
    text = "قال المرصد السوري إن مقاتلا من الفصائل أصيب في القدم خلال اشتباكات مع قوات النظام في ريف درعا."
    assert "القدم" not in {e.location_ar for e in extract(make_report(text))}
    text = "قال المرصد السوري إن قوات النظام قصفت حي القدم بدمشق ما أدى لمقتل رجل."
    assert "القدم" in {e.location_ar for e in extract(make_report(text))}


def test_a_quarter_the_text_places_by_a_town_the_gazetteer_lacks_is_not_the_syrian_namesake():
    text = "قال المرصد السوري إن سبعة أشخاص قتلوا في انفجار بحي الكرامة جنوب العريش."
    assert not [e for e in extract(make_report(text)) if e.country == "Syria"]


def test_an_article_added_to_a_name_does_not_swallow_a_town_named_as_written():
    # «باب شرقي» is a quarter of Damascus; «الباب شرقي حلب» is al-Bab east of Aleppo
    text = "قال المرصد السوري إن الطيران الحربي استهدف قرية الإمام في ريف مدينة الباب شرقي حلب، مما أدى إلى مقتل شخصين."
    assert {(e.location_ar, e.admin1_pcode) for e in extract(make_report(text))} == {("الإمام", "SY02")}
    # a definite adjective agreeing with it keeps the longer name («التلول الحمر» for «تلول الحمر»)
    text = "قال المرصد السوري إن طائرات حربية روسية قصفت قرية التلول الحمر في ريف حمص الشمالي."
    assert "التلول الحمر" in {e.location_ar for e in extract(make_report(text))}


@pytest.mark.parametrize("cue", ["وخاصة", "خصوصاً", "ولا سيما"])
def test_towns_given_as_examples_of_a_plural_place_noun_are_places(cue):
    text = f"وقال المرصد إن قوات النظام قصفت مدن وبلدات الريف الشرقي لدرعا {cue} ناحتة وبصر الحرير."
    assert "ناحتة" in {e.location_ar for e in extract(make_report(text))}


def test_the_governorate_that_locates_a_list_locates_each_of_its_places():
    # «الحريشة» is known only in Tartus; the list lies east of Hama
    text = "وقالت مصادر إن ثلاثة مدنيين قتلوا بقصف جوي على قريتي الحريشة وسوحا شرق حماة."
    assert {(e.location_ar, e.admin1_pcode) for e in extract(make_report(text))} == {
        ("الحريشة", "SY05"),
        ("سوحا", "SY05"),
    }
    # a governorate joined by «و» is one more place of the list, not where the list lies
    text = "وقالت مصادر إن ثلاثة مدنيين قتلوا بقصف جوي على قريتي الحريشة وحماة."
    assert ("الحريشة", "SY10") in {(e.location_ar, e.admin1_pcode) for e in extract(make_report(text))}


def test_a_dual_village_noun_names_two_villages_the_gazetteer_may_lack():
    text = "قال المرصد إن الطيران الحربي قصف قريتي كفريدين والعاليا في ريف إدلب الجنوبي."
    assert {(e.location_ar, e.admin1_pcode) for e in extract(make_report(text))} == {
        ("كفريدين", "SY07"),
        ("العاليا", "SY07"),
    }
    # two, not three: «والمحاصرتين» after them is no third village
    text = "سقطت قذائف أطلقتها الفصائل على بلدتي نبل والزهراء والمحاصرتين من قبل الفصائل في ريف حلب."
    assert "المحاصرتين" not in {e.location_ar for e in extract(make_report(text))}


def test_a_clash_between_long_named_sides_takes_the_villages_its_sentence_names_after_them():
    text = (
        'وفي ريف حلب الشمالي، دارت اشتباكات عنيفة بين القوات النظامية ووحدات مقاتلة متحالفة معها، من جهة، '
        'ومقاتلي "جبهة النصرة"، و"جبهة أنصار الدين"، وفصائل متشددة أخرى من جهة ثانية، في محيط قرية دوير الزيتون.'
    )
    assert [e.location_ar for e in extract(make_report(text))] == ["دوير الزيتون"]


def test_villages_announced_by_a_plural_noun_are_the_places_of_the_raid_not_the_unit_they_belong_to():
    text = (
        "قال المرصد السوري إن طائرات حربية شنت غارات على عدة قرى تابعة لناحية عقيربات، ليلة الأحد-الاثنين، "
        "من بينها سوحا وحمادي عمر ورسم العبد وجروح وعرشونة وغيرها."
    )
    assert [e.location_ar for e in extract(make_report(text))] == ["سوحا", "رسم العبد", "جروح", "عرشونة"]
    text = "قال المرصد السوري إن قصفا جويا طال قرية فركيا، التابعة لناحية أريحا في ريف إدلب."
    assert [e.location_ar for e in extract(make_report(text))] == ["فركيا"]


def test_a_sub_district_noun_names_a_sub_district_not_a_village_of_that_name():
    text = "قال المرصد السوري إن الطيران الحربي قصف ناحية عقيربات في ريف حماة الشرقي."
    assert [e.location_ar for e in extract(make_report(text))] == ["عقيربات"]
    text = "وقالت خلية الإعلام إن الطيران قصف أهدافا لتنظيم داعش في ناحية الريحانة التابعة لقضاء عنه."
    assert [e for e in extract(make_report(text)) if e.country == "Syria"] == []
