"""Merging one deed told twice: the actor pair the merge keeps."""

from __future__ import annotations

from tests.factories import make_event
from workers.pipeline.event_merge import merge
from workers.records import Actor


def test_a_side_named_as_author_by_a_later_telling_is_not_also_its_target():
    unknown, state, civilians = Actor("UNKNOWN", "Unidentified"), Actor("ISLAMIC_STATE", "IS"), Actor("CIVILIANS", "C")
    first = make_event(sub_event_type="Suicide bomb", actor1=unknown, actor2=state)
    later = make_event(sub_event_type="Suicide bomb", actor1=state, actor2=civilians)
    merged = merge(first, later)
    assert (merged.actor1.code, merged.actor2.code if merged.actor2 else None) == ("ISLAMIC_STATE", "CIVILIANS")


def test_a_city_s_suicide_bombing_told_again_as_a_car_bomb_in_one_of_its_quarters_is_one_suicide_bombing():
    from tests.conftest import make_report
    from workers.pipeline.run import extract

    text = (
        "قال المرصد السوري إنه تم تفجير سيارة مفخخة يقودها انتحاري قرب نادي ضباط الشرطة في دمشق.\n"
        "وأسفر تفجير السيارة المفخخة اليوم الثلاثاء في منطقة مساكن برزة عن مقتل ثمانية أشخاص."
    )
    (event,) = extract(make_report(text))
    assert (event.sub_event_type, event.location_ar, event.fatalities) == ("Suicide bomb", "مساكن برزة", 8)
