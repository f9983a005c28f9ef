"""Hypothesis fuzzing: the report parser raises nothing but InvalidReport, handle() raises nothing, and the extractor
on any text raises nothing and gives evidence that points at the raw text and tolls that make sense.

Bounded (max_examples, no deadline) so CI stays fast; FAULTS_FUZZ_SCALE=20 runs 20 times as many examples. A failure
prints the blob to reproduce it with.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta, timezone

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import event as note_event
from hypothesis import strategies as st

from tests.conftest import EXAMPLES
from tests.faults.hostile import ABSURD_TOLL, CAP, CHECK_EVENT, KILLING
from workers.handling import handle
from workers.intake import InvalidReport, parse_report, report_from_dict
from workers.pipeline.run import extract
from workers.records import Report

SCALE = int(os.environ.get("FAULTS_FUZZ_SCALE", "1"))
FUZZ = settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
FUZZ_EXTRACT = settings(FUZZ, max_examples=250 * SCALE)

# Arabic the extractor has something to bite on: the sentences and words of the bundled real reports.
REAL_TEXTS = [json.loads(line)["text"] for line in EXAMPLES.read_text(encoding="utf-8").splitlines()]
REAL_SENTENCES = sorted({s.strip() for t in REAL_TEXTS for s in re.split(r"[.\n]", t) if 20 <= len(s.strip()) <= 400})
REAL_WORDS = sorted({w for t in REAL_TEXTS for w in t.split()})
HOSTILE_TOKENS = [
    "\u200f", "\u200e", "\u202b", "\u202e", "\u2066", "\u2069", "\u200d", "\u200c", "\u200b", "\ufeff", "ـــ",
    "ﻻ", "ﷲ", "ﺍﺳﺘﺸﻬﺪ", "١٢", "۱۲", "٠", "999999999999", "١٢٣٤٥٦٧٨٩٠١٢٣", "-5", "1,000,000", "1.5", "، ", "،،،",
    ".", "\n", "\r\n", "\u2028", "\x00", "«", "»", "(", ")", "قتيلا", "أمس", "غدا", "اليوم", "بينهم", "ارتفع إلى",
    "مليار", "مليون", "ألف", "عشرات", "مئات",
]  # fmt: skip

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
# Dates a real archive can hold; year 1 with «أمس» is a known extractor bug (corpus: published-at-year-1-yesterday).
published = st.builds(
    lambda dt, tz: dt.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)),
    offsets,
)
date_strings = published.map(datetime.isoformat) | st.sampled_from(
    ["2018-02-11", "2018-02-11T12:00:00", "2018-02-11T12:00:00Z", "yesterday", "", "0001-01-01T00:00:00+00:00"]
)
report_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=20) | json_values,
        "source": st.text(max_size=10) | json_values,
        "published_at": date_strings | json_values,
        "text": st.text(max_size=200) | st.just(KILLING) | json_values,
        "url": st.none() | st.text(max_size=20) | json_values,
        "title": st.none() | st.text(max_size=20) | json_values,
        "language": st.none() | st.just("ar") | json_values,
    },
)
arabic_heavy = st.lists(
    st.sampled_from(REAL_SENTENCES)
    | st.sampled_from(REAL_WORDS)
    | st.sampled_from(HOSTILE_TOKENS)
    | st.text(max_size=4),
    min_size=1,
    max_size=60,
).flatmap(lambda words: st.sampled_from([" ", "", " ، ", "\u200f "]).map(lambda sep: sep.join(words)))


def _encode(value: object) -> bytes:
    """JSON bytes, as any producer might send them: lone surrogates either escaped or raw (invalid UTF-8)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")


def _parse(raw: bytes) -> Report | None:
    try:
        return parse_report(raw, CAP)
    except InvalidReport as exc:
        assert exc.reason and exc.error_class
        return None


@FUZZ
@given(st.binary(max_size=600))
def test_parser_on_arbitrary_bytes_raises_only_invalid_report(raw):
    _parse(raw)


@FUZZ
@given(json_values | report_like)
def test_parser_on_arbitrary_json_raises_only_invalid_report(value):
    report = _parse(_encode(value))
    if report is not None:  # what it accepted meets the report contract
        assert report.text.strip() and report.id.strip() and report.published_at.tzinfo is not None
    try:
        report_from_dict(value)
    except InvalidReport:
        pass


@FUZZ
@given(report_like, st.binary(max_size=40), st.integers(min_value=0, max_value=40))
def test_handle_never_raises_on_mangled_reports(value, junk, at):
    raw = bytearray(_encode(value))
    raw[at:at] = junk  # bytes spliced into a near-report
    outcome = handle(bytes(raw), CAP, key=b"k")
    assert outcome.kind in {"events", "no_event", "dead_letter"}


def check_extraction(report: Report) -> None:
    events = extract(report)
    note_event(f"{min(len(events), 2)}{'+' if len(events) > 2 else ''} events")  # shown by --hypothesis-show-statistics
    for e in events:
        assert e.report_id == report.id
        for span in e.evidence:
            assert 0 <= span.start <= span.end <= len(report.text)
            assert report.text[span.start : span.end] == span.text, span
        for toll in (e.fatalities, e.injured):
            assert toll is None or 0 <= toll < ABSURD_TOLL, toll
        CHECK_EVENT.validate(orjson.loads(orjson.dumps(e.to_dict())))


@FUZZ_EXTRACT
@given(st.text(min_size=1, max_size=300), published)
def test_extractor_on_arbitrary_unicode(text, when):
    check_extraction(Report(id="fuzz", source="fuzz", published_at=when, text=text))


@FUZZ_EXTRACT
@given(arabic_heavy, published)
def test_extractor_on_arabic_heavy_text(text, when):
    check_extraction(Report(id="fuzz", source="fuzz", published_at=when, text=text or "ا"))


@FUZZ_EXTRACT
@given(st.lists(st.sampled_from(REAL_SENTENCES), min_size=1, max_size=3), st.sampled_from(HOSTILE_TOKENS), st.data())
def test_extractor_with_hostile_characters_inside_words(sentences, token, data):
    # ZWJ, bidi marks, tatweel… inside real sentences: the offsets must still map back to the raw text.
    text = ". ".join(sentences)
    cuts = data.draw(st.lists(st.integers(min_value=0, max_value=len(text)), max_size=6))
    for at in sorted(cuts, reverse=True):
        text = text[:at] + token + text[at:]
    check_extraction(Report(id="fuzz", source="fuzz", published_at=datetime(2018, 2, 11, tzinfo=UTC), text=text))
