"""«No casualties» phrasings give a zero toll: invented sentences."""

from __future__ import annotations

import pytest

from tests.conftest import make_report
from workers.pipeline.run import extract


@pytest.mark.parametrize(
    "text",
    [
        "قصفت قوات النظام بلدة سراقب بريف إدلب أمس، دون ورود معلومات عن قتلى أو جرحى.",
        "قصفت قوات النظام بلدة سراقب بريف إدلب أمس، ولم ترد معلومات عن الخسائر البشرية حتى الآن.",
        "قصفت قوات النظام بلدة سراقب بريف إدلب أمس، ما أدى إلى دمار في المباني دون وقوع إصابات بشرية.",
        "قصفت قوات النظام بلدة سراقب بريف إدلب أمس، من دون وقوع خسائر بشرية.",
        "قصفت قوات النظام بلدة سراقب بريف إدلب أمس، مشيرا إلى عدم توافر معلومات عن خسائر بشرية.",
    ],
)
def test_no_dead_or_wounded_is_a_zero_toll(text):
    assert [e.fatalities for e in extract(make_report(text))] == [0]


def test_no_casualties_on_either_side_holds_for_both_sides_deeds_told_before_it():
    text = (
        "وردت القوات النظامية أمس بقصف مدفعي على بلدة الحراك في ريف درعا، تبعه قصف من قبل المعارضة، "
        "براجمات الصواريخ، على مطار الثعلة، دون ورود معلومات عن قتلى أو جرحى من الطرفين."
    )
    events = extract(make_report(text, "2015-07-22T10:00:00+03:00"))
    assert len(events) == 2 and {e.fatalities for e in events} == {0}
