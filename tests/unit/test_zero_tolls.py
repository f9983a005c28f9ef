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
    ],
)
def test_no_dead_or_wounded_is_a_zero_toll(text):
    assert [e.fatalities for e in extract(make_report(text))] == [0]
