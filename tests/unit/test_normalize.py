from hypothesis import given
from hypothesis import strategies as st

from workers.pipeline.normalize import normalize_key, normalize_with_offsets


def test_normalises_hamza_diacritics_digits_and_keeps_offsets():
    raw = "قُتل ١٥ شخصاً في أمّ الخلاخيل"
    norm, offsets = normalize_with_offsets(raw)
    assert norm == "قتل 15 شخصا في ام الخلاخيل"
    i = norm.index("ام الخلاخيل")
    assert raw[offsets[i] : offsets[i + len("ام الخلاخيل") - 1] + 1] == "أمّ الخلاخيل"


def test_presentation_forms_and_invisible_characters():
    assert normalize_key("ﻻ\u200f داعش\u200d ") == "لا داعش"
    assert normalize_key("إدلب") == normalize_key("ادلب") == "ادلب"
    assert normalize_key("حماة") == "حماه"


@given(st.text())
def test_offset_map_is_monotonic_and_in_range(raw):
    norm, offsets = normalize_with_offsets(raw)
    assert len(offsets) == len(norm) + 1
    assert offsets == sorted(offsets)
    assert all(0 <= o <= len(raw) for o in offsets)
