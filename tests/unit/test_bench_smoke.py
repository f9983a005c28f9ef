"""The benchmark harness runs end to end on a tiny input (no broker) and its pieces compute what they say.

No timing assertions: figures depend on the machine. The broker phases need a broker and minutes; they are
exercised by `make bench`, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from bench.e2e import Progress, _report_ids
from bench.figures import percentile, ratio
from bench.report import same_messages, table
from bench.worker_profile import HANDOFF, summarise

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "workers" / "data" / "examples" / "reports.jsonl"


def test_the_harness_runs_on_a_tiny_archive_and_writes_its_figures(tmp_path):
    archive = tmp_path / "tiny.jsonl"
    lines = EXAMPLES.read_bytes().splitlines()
    archive.write_bytes(b"\n".join([*lines, b"{not json"]) + b"\n")
    out = tmp_path / "latest.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--archive",
            str(archive),
            "--skip",
            "broker",
            "--skip",
            "parallel",
            "--profile-reports",
            "5",
            "--adversarial-sizes",
            "2000,4000",
            "--adversarial-families",
            "one_word,articles",
            "--out",
            str(out),
            "--no-docs-json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    ext = results["extraction"]
    # Every line was handled, the bad one dead-lettered, and the per-report rows were not written out.
    assert ext["reports"] == ext["archive_reports"] == len(lines) + 1
    assert ext["outcomes"]["dead_letter"] >= 1
    assert sum(ext["outcomes"].values()) == ext["reports"]
    assert ext["events"] > 0 and "per_report" not in ext
    assert len(ext["slowest"]) == min(10, ext["reports"])
    assert ext["peak_rss_mb"] >= ext["rss_start_mb"] > 0
    stages = {s["stage"] for s in results["profile"]["sampled"]["stages"]}
    assert {"triggers.find", "intake (parse_report)"} <= stages
    assert set(results["adversarial"]) == {"one_word", "articles"}
    assert all(len(f["sizes"]) == 2 for f in results["adversarial"].values())
    assert {t["met"] for t in results["targets"]} <= {True, False, None}
    assert "EXTRACTION ONLY" in done.stdout and "TARGETS" in done.stdout


def test_percentile_interpolates_between_ranks():
    assert percentile([], 50) is None
    assert percentile([5.0], 99) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(range(101)), 99) == 99
    assert ratio(None, 2.0) is None and ratio(1.0, 4.0) == 0.25


def test_same_messages_prices_exactly_the_lines_a_run_used():
    extraction = {"per_report": [[1, 0.01, 0.008, 100, "no_event", 0], [2, 0.03, 0.02, 300, "events", 2]]}
    figures = same_messages(extraction, {2})
    assert figures == {"reports": 1, "reports_per_s": 33.33, "cpu_ms_per_report": 20.0}


def test_a_run_is_accounted_for_only_when_identity_has_settled_and_its_events_have_landed():
    assert Progress(reports=10, published=3, settled=True, landed=3).accounted(10)
    assert not Progress(reports=9, published=3, settled=True, landed=3).accounted(10)
    assert not Progress(reports=10, published=3, settled=False, landed=3).accounted(10)
    assert not Progress(reports=10, published=3, settled=True, landed=2).accounted(10)


def test_outputs_are_traced_to_their_reports():
    event = orjson.dumps({"event_id": "e", "report_id": "a", "report_ids": ["a", "b"]})
    assert _report_ids(b"e", event) == ["a", "b"]
    report = orjson.dumps({"id": "r1", "text": "…"})  # a passthrough forwards the report itself
    assert _report_ids(b"r1", report) == ["r1"]


def test_worker_profile_splits_busy_time_by_category_and_sets_idle_apart():
    stacks = [
        "run (faust/worker.py:1);handle (workers/handling.py:31);find (workers/pipeline/places.py:9) 6",
        "run (mode/services.py:1);_proc_fetch_request (aiokafka/consumer/fetcher.py:747) 2",
        "run (mode/services.py:1);EpollSelector.select (selectors.py:468) 10",
    ]
    profile = summarise(stacks)
    assert profile["samples"] == 18 and profile["idle_share"] == round(10 / 18, 3)
    shares = {c["category"]: c["share"] for c in profile["categories"]}
    assert shares == {"extraction: handle()": 0.75, "aiokafka fetcher (consumer thread)": 0.25}


def test_worker_profile_tells_the_extraction_threads_hand_off_from_its_torn_stacks():
    thread = "thread (7): rasad-extract_0;"
    stacks = [
        thread + "Thread._bootstrap (threading.py:1002);_worker (concurrent/futures/thread.py:81) 3",
        thread + "Thread._bootstrap (threading.py:1002);_WorkItem.run (concurrent/futures/thread.py:58);"
        "BaseSelectorEventLoop._write_to_self (asyncio/selector_events.py:139) 1",
        thread + "is_arabic (workers/intake.py:80) 4",  # a stack py-spy read cut short
        "thread (1): MainThread;run (mode/services.py:1);Channel.send (faust/channels.py:1) 2",
    ]
    shares = {c["category"]: c["share"] for c in summarise(stacks)["categories"]}
    assert shares == {HANDOFF: 0.4, "extraction: handle()": 0.4, "faust runtime": 0.2}


def test_the_table_prints_whatever_phases_ran():
    results = {
        "machine": {"nproc": 2, "cpu_model": "x", "ram_gib": 1, "python": "3.11"},
        "load_average": {"start": 0.1, "end": 0.2},
        "broker": {"broker": "b", "reports": 1, "e2e_1_worker": {"error": "TimeoutError: no worker"}},
        "ratios": {},
        "targets": [{"target": "t", "value": None, "met": None}],
        "duration_s": 1.0,
    }
    text = table(results)
    assert "not measured: TimeoutError" in text and "not measured" in text


@pytest.mark.parametrize("variant", ["real", "noop", "drop"])
def test_the_overhead_variants_swap_handle_as_they_say(monkeypatch, seed_report, variant):
    import gc

    from bench.variant_worker import Timing, install
    from workers import handling

    monkeypatch.setattr(handling, "handle", handling.handle)  # restored after the test
    timing = Timing(None)
    install(variant, timing)
    try:
        raw = orjson.dumps(seed_report)
        outcome = handling.handle(raw, len(raw))
        bad = handling.handle(b"{broken", 100)
    finally:
        gc.callbacks.remove(timing.on_gc)
    assert timing.calls == 2
    assert outcome.kind == {"real": "events", "noop": "no_event", "drop": "no_event"}[variant]
    # The drop variant runs the real extraction (timed) and keeps dead letters: only events are dropped.
    assert bad.kind == ("no_event" if variant == "noop" else "dead_letter")
    assert (timing.handle_cpu_s > 0) == (variant != "noop")


def test_an_unknown_overhead_variant_is_refused():
    from bench.variant_worker import Timing, install

    with pytest.raises(SystemExit, match="BENCH_VARIANT must be one of"):
        install("fast", Timing(None))
