import orjson
import pytest

from workers.intake import InvalidReport, dead_letter, parse_report

GOOD = {"id": "a", "source": "s", "published_at": "2015-07-22T10:00:00+03:00", "text": "قتل 5 مدنيين في حلب"}


def test_valid_report():
    report = parse_report(orjson.dumps(GOOD), 10_000)
    assert report.id == "a" and report.published_at.utcoffset().total_seconds() == 3 * 3600


@pytest.mark.parametrize(
    ("raw", "error_class"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\xff\xfe not utf8", "invalid_utf8"),
        (b"{not json", "invalid_json"),
        (b"[1, 2]", "wrong_schema"),
        (orjson.dumps({**GOOD, "text": "  "}), "wrong_schema"),
        (orjson.dumps({k: v for k, v in GOOD.items() if k != "id"}), "wrong_schema"),
        (orjson.dumps({**GOOD, "published_at": "yesterday"}), "wrong_schema"),
        (orjson.dumps({**GOOD, "published_at": "2015-07-22T10:00:00"}), "wrong_schema"),
        (orjson.dumps({**GOOD, "text": "Five civilians were killed in Aleppo"}), "not_arabic"),
        (orjson.dumps({**GOOD, "text": "قتل " * 5000}), "too_large"),
    ],
)
def test_bad_input_is_rejected_with_a_reason(raw, error_class):
    with pytest.raises(InvalidReport) as info:
        parse_report(raw, 10_000)
    assert info.value.error_class == error_class
    assert info.value.reason


def test_dead_letter_keeps_invalid_bytes_as_base64():
    raw = b"\xff\xfe\x00bad"
    with pytest.raises(InvalidReport) as info:
        parse_report(raw, 100)
    dl = dead_letter(raw, info.value, "rasad.reports", 2, 41, b"k")
    assert dl.original_encoding == "base64" and dl.offset == 41 and dl.partition == 2 and dl.key == "k"
    assert dl.original_size == len(raw) and not dl.truncated
