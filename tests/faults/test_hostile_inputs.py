"""The hostile corpus (corpus/manifest.json) through the agent's exact code path, then through a real worker.

Each input ends as its expected dead letter (a reason, schema-valid) or is processed (events or no event), never as
an exception. On the real broker every input is then reconciled: a dead letter matched by its message key, events
carrying its report id, or one of the worker's "no event" outcomes (its /rasad/stats/ counters: there is no
outcomes topic yet, so no-event inputs are reconciled by count).
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
import urllib.request
from collections import Counter

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import MessageSizeTooLargeError

from tests.faults.hostile import (
    ABSURD_TOLL,
    CAP,
    CHECK_DEAD_LETTER,
    CHECK_EVENT,
    CORPUS,
    ERROR_CLASSES,
    GENERATORS,
    PROCESSED,
    Hostile,
    load_corpus,
    manifest,
)
from tests.integration.helpers import read_topic, start_worker, stop_worker, wait_caught_up
from workers.handling import Outcome, handle
from workers.intake import DEAD_LETTER_SAMPLE_BYTES, parse_report
from workers.settings import Settings

SAMPLES = load_corpus()


def _param(sample: Hostile) -> object:
    marks = [pytest.mark.xfail(reason=sample.known_bug, strict=True)] if sample.known_bug else []
    return pytest.param(sample, id=sample.name, marks=marks)


def test_the_corpus_is_indexed_and_big_enough():
    data = manifest()
    files = {p.name for p in CORPUS.iterdir()} - {"manifest.json"}
    indexed = [e["file"] for e in data["inputs"]]
    assert sorted(indexed) == sorted(files), "every corpus file is in manifest.json once, and only those"
    assert [e["name"] for e in data["generated"]] == list(GENERATORS)
    assert len(files) >= 30
    assert {s.expect for s in SAMPLES} <= ERROR_CLASSES | {PROCESSED}
    assert ERROR_CLASSES <= {s.expect for s in SAMPLES}, "every dead-letter class has an input"
    assert len({s.name for s in SAMPLES}) == len(SAMPLES)


@pytest.mark.parametrize("sample", [_param(s) for s in SAMPLES])
def test_hostile_input_has_its_expected_outcome(sample: Hostile):
    outcome = handle(sample.raw, CAP, topic="rasad.reports", partition=2, offset=41, key=sample.name.encode())
    if sample.expect == PROCESSED:
        assert outcome.dead_letter is None, outcome.dead_letter.reason
        check_events(outcome, parse_report(sample.raw, CAP).text)
        return
    letter = outcome.dead_letter
    assert letter is not None, f"{sample.name} was processed into {len(outcome.events)} events"
    assert letter.error_class == sample.expect, letter.reason
    wire = orjson.loads(orjson.dumps(letter.to_dict()))  # what the agent publishes
    CHECK_DEAD_LETTER.validate(wire)
    assert (wire["key"], wire["topic"], wire["partition"], wire["offset"]) == (sample.name, "rasad.reports", 2, 41)
    assert wire["original_size"] == len(sample.raw)
    assert wire["truncated"] == (len(sample.raw) > DEAD_LETTER_SAMPLE_BYTES)
    kept = sample.raw[:DEAD_LETTER_SAMPLE_BYTES]
    if wire["original_encoding"] == "base64":
        assert base64.b64decode(wire["original"]) == kept
    else:
        assert wire["original"].encode() == kept


def check_events(outcome: Outcome, text: str) -> None:
    for event in outcome.events:
        CHECK_EVENT.validate(orjson.loads(orjson.dumps(event.to_dict())))
        for span in event.evidence:
            assert text[span.start : span.end] == span.text, span
        for toll in (event.fatalities, event.injured):
            assert toll is None or 0 <= toll < ABSURD_TOLL


# ---------------------------------------------------------------- on the real broker


async def produce_all(settings: Settings, samples: list[Hostile]) -> dict[str, str]:
    """Produce each input keyed by its name; name -> "sent", or "refused" when the broker rejects its size."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, max_request_size=20_000_000)
    await producer.start()
    fate = {}
    try:
        for sample in samples:
            try:
                await producer.send_and_wait(settings.reports_topic, key=sample.name.encode(), value=sample.raw)
                fate[sample.name] = "sent"
            except MessageSizeTooLargeError:
                fate[sample.name] = "refused"
    finally:
        await producer.stop()
    return fate


async def worker_counts(port: int, reports: int, timeout: float = 240.0) -> Counter[str]:
    """The worker's outcome counters once it has counted `reports` reports."""
    deadline = time.monotonic() + timeout
    counts: Counter[str] = Counter()
    while time.monotonic() < deadline:
        try:
            body = await asyncio.to_thread(
                lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/rasad/stats/", timeout=5).read()
            )
            counts = Counter(json.loads(body))
        except OSError:
            pass  # the web server is not up yet
        if counts["reports"] >= reports:
            return counts
        await asyncio.sleep(0.25)
    raise AssertionError(f"the worker counted {counts['reports']} of {reports} reports: {dict(counts)}")


@pytest.mark.integration
async def test_the_whole_corpus_through_a_real_worker_is_reconciled(fresh_settings, tmp_path, figure):
    settings = fresh_settings
    assert settings.max_report_bytes == CAP
    # What each processed input yields, from the same code the worker runs (the extractor is deterministic).
    local = {s.name: handle(s.raw, CAP) for s in SAMPLES}
    worker = start_worker(settings, tmp_path)
    try:
        fate = await produce_all(settings, SAMPLES)
        sent = [s for s in SAMPLES if fate[s.name] == "sent"]
        counts = await worker_counts(worker.web_port, len(sent))
        await wait_caught_up(settings)
    finally:
        stop_worker(worker)
    dead = await read_topic(settings, settings.dead_letter_topic)
    events = await read_topic(settings, settings.events_topic)

    # Only the 10 MB input is over the broker's own message limit (Kafka's default, 1 MB).
    assert [s.name for s in SAMPLES if fate[s.name] == "refused"] == ["ten-megabytes"]
    letters = Counter(d["key"] for d in dead)
    assert max(letters.values(), default=1) == 1, f"dead-lettered twice: {letters.most_common(3)}"
    by_key = {d["key"]: d for d in dead}
    reported = {rid for e in events for rid in e["report_ids"]}

    outcome: dict[str, str] = {}
    for sample in sent:
        predicted = local[sample.name]
        letter = by_key.get(sample.name)
        if letter is not None:
            CHECK_DEAD_LETTER.validate(letter)
            expected = predicted.dead_letter.error_class if predicted.dead_letter else None
            assert letter["error_class"] == expected, (sample.name, letter["reason"])
            assert sample.expect == expected or sample.known_bug, (sample.name, letter["reason"])
            outcome[sample.name] = "dead letter"
        elif predicted.events:
            assert predicted.report_id in reported, f"{sample.name}: no event carries report {predicted.report_id}"
            outcome[sample.name] = "events"
        else:
            assert predicted.kind == "no_event", f"{sample.name} was expected as a dead letter, none came"
            outcome[sample.name] = "no event"
    tally = Counter(outcome.values())
    assert set(by_key) <= {s.name for s in sent}, "a dead letter for a message nobody sent"
    # The worker's own counters agree: every report counted once, no-event inputs by count.
    assert counts["reports"] == len(sent)
    assert counts["dead_letter"] == tally["dead letter"] == len(dead)
    assert counts["no_event"] == tally["no event"]
    reconciled = len(outcome) + len(SAMPLES) - len(sent)  # refused at produce time: the producer was told
    lost = len(SAMPLES) - reconciled
    assert lost == 0
    figure(
        f"faults: {len(SAMPLES)} inputs tried, {reconciled} outcomes reconciled, lost = {lost} "
        f"({tally['dead letter']} dead letters, {tally['events']} with events, {tally['no event']} no event, "
        f"{len(SAMPLES) - len(sent)} refused by the broker)"
    )
