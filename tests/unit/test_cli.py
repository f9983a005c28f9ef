"""The CLI as a user runs it (click's CliRunner): extract and eval."""

from __future__ import annotations

import gzip
import json

import orjson
import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES, SHARED_EVAL
from workers.cli import main


def test_extract_reads_jsonl_and_reports_bad_lines(tmp_path):
    archive = tmp_path / "in.jsonl"
    archive.write_bytes(EXAMPLES.read_bytes() + b"{broken\n")
    result = CliRunner().invoke(main, ["extract", str(archive), "--no-progress"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events and all("event_id" in e and "report_id" in e for e in events)
    assert f"{archive}:8: not JSON" in result.stderr
    assert "8 reports" in result.stderr and "1 invalid" in result.stderr


def test_extract_from_stdin():
    seed = EXAMPLES.read_text(encoding="utf-8").splitlines()[0]
    result = CliRunner().invoke(main, ["extract", "-"], input=seed + "\n")
    assert result.exit_code == 0
    assert any(orjson.loads(line)["fatalities"] == 21 for line in result.stdout.splitlines())


@pytest.mark.skipif(not (SHARED_EVAL / "dev.jsonl").exists(), reason="../shared/eval is not beside the repo")
def test_dev_set_quality_floor():
    # The floor only goes up: raise it when the extractor improves (see README, "Quality").
    result = CliRunner().invoke(main, ["eval", str(SHARED_EVAL / "dev.jsonl"), "--json", "--min-f1", "0.915"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.splitlines()[0])
    assert figures["fatalities_exact"] >= 0.95 and figures["actor_f1"] >= 0.86 and figures["sub_event_type_acc"] >= 0.95
    assert figures["event_date_exact"] >= 0.98 and figures["location_match"] >= 0.94


def test_extract_in_parallel_writes_the_same_lines_in_the_same_order(tmp_path):
    archive = tmp_path / "in.jsonl.gz"
    lines = EXAMPLES.read_bytes().splitlines()
    archive.write_bytes(gzip.compress(b"\n".join([*lines, b"", b"{broken", *lines]) + b"\n"))
    one = CliRunner().invoke(main, ["extract", str(archive), "--no-progress", "--jobs", "1"])
    two = CliRunner().invoke(main, ["extract", str(archive), "--no-progress", "--jobs", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    assert one.stdout == two.stdout and one.stdout
    events = len(one.stdout.splitlines())
    # Reports with events count once each as reports, their events once each as events.
    assert f"{2 * len(lines) + 1} reports: {events} events" in two.stderr
    assert f"{archive}:{len(lines) + 2}: not JSON" in two.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["replay", "--since", "last week", "x.jsonl"], "not an ISO 8601"),
        (["replay", "no-such-file.jsonl"], "no such file"),
        (["reprocess"], "exactly one of --from-beginning and --from-timestamp"),
        (["reprocess", "--from-beginning", "--from-timestamp", "2015-07-01"], "exactly one"),
        (["reprocess", "--from-timestamp", "soon"], "neither an ISO 8601"),
        (["tail", "rasad.events", "--since", "July"], "is not a date"),
        (["export", "--from-topic", "events.jsonl"], "not both"),
        (["export", "--format", "xlsx"], "'xlsx' is not one of"),
    ],
)
def test_usage_errors_say_what_is_wrong(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_export_html_writes_one_self_contained_map(tmp_path):
    events = tmp_path / "events.jsonl"
    extracted = CliRunner().invoke(main, ["extract", str(EXAMPLES), "--no-progress"])
    events.write_text(extracted.stdout, encoding="utf-8")
    page = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["export", str(events), "--format", "html", "--output", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    first = json.loads(extracted.stdout.splitlines()[0])
    assert html.startswith("<!doctype html>") and first["event_id"] in html
    assert "<script src=" not in html  # no external script: it must open offline
