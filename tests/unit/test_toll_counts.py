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
