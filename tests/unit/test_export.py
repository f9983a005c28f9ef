"""Export: ACLED columns and their values, latest revisions only, and the three formats."""

from __future__ import annotations

import csv
import io
import json

import orjson
import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from workers.batch import extract_line
from workers.cli import main
from workers.export import (
    ACLED_COLUMNS,
    RASAD_COLUMNS,
    WRITERS,
    ExportError,
    LatestRevisions,
    acled_row,
    export,
)

# ACLED's header, as its export tool and API write it.
ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
)


@pytest.fixture(scope="module")
def events() -> list[dict]:
    """Real extractor output for the bundled sample reports."""
    out: list[dict] = []
    for number, line in enumerate(EXAMPLES.read_bytes().splitlines(), 1):
        result = extract_line(("examples", number, line), 1_000_000)
        out += [orjson.loads(e) for e in result.events.splitlines()]
    assert out
    return out


def event(**changes) -> dict:
    base = {
        "event_id": "a" * 24,
        "revision": 1,
        "event_date": "2018-02-10",
        "time_precision": 1,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": {"code": "ISLAMIC_STATE", "name": "Islamic State", "mention": "داعش"},
        "actor2": {"code": "SYRIAN_REGIME", "name": "Military Forces of Syria", "mention": "قوات النظام"},
        "country": "Syria",
        "admin1": "Idleb",
        "admin1_pcode": "SY07",
        "location": None,
        "location_ar": "أم الخلاخيل",
        "latitude": 35.6,
        "longitude": 36.9,
        "geo_precision": 2,
        "fatalities": 32,
        "source": "SOHR",
        "notes": "…",
        "report_ids": ["r1", "r2"],
    }
    return base | changes


def test_columns_are_acleds_in_acleds_order():
    assert ",".join(ACLED_COLUMNS) == ACLED_HEADER
    assert not set(ACLED_COLUMNS) & set(RASAD_COLUMNS)


def test_row_fills_what_rasad_knows():
    row = acled_row(event(), timestamp=1_700_000_000)
    assert row["event_id_cnty"] == "a" * 24 and row["year"] == 2018
    assert row["disorder_type"] == "Political violence"
    assert (row["inter1"], row["inter2"], row["interaction"]) == (2, 1, 12)  # rebels against the state: 12
    assert (row["iso"], row["region"]) == (760, "Middle East")
    assert row["location"] == "أم الخلاخيل"  # no English name: the place as the report writes it
    assert row["civilian_targeting"] is None and row["fatalities"] == 32 and row["timestamp"] == 1_700_000_000
    assert row["report_ids"] == "r1; r2" and row["admin1_pcode"] == "SY07"
    assert row["assoc_actor_1"] is None and row["source_scale"] is None and row["tags"] is None


def test_row_codes_one_sided_and_civilian_events():
    strike = acled_row(event(actor1={"code": "COALITION", "name": "US-led coalition"}, actor2=None))
    assert (strike["inter1"], strike["inter2"], strike["interaction"]) == (8, None, 80)
    shelling = acled_row(event(actor1={"code": "UNKNOWN", "name": "Unidentified"}, actor2={"code": "CIVILIANS"}))
    assert shelling["inter1"] is None and shelling["interaction"] is None
    assert shelling["civilian_targeting"] == "Civilian targeting"
    assert acled_row(event(sources=["SOHR", "okaz"]))["source"] == "SOHR; okaz"


def test_only_the_latest_revision_of_each_event_is_kept():
    latest = LatestRevisions()
    latest.add(event(revision=2, fatalities=40))
    latest.add(event(revision=1, fatalities=32))  # a late copy of the first version
    latest.add(event(event_id="b" * 24, event_date="2018-02-09"))
    latest.add(event(event_id="b" * 24, event_date="2018-02-09", notes="same revision, later message"))
    rows = latest.rows()
    assert [r["event_id_cnty"] for r in rows] == ["b" * 24, "a" * 24]  # by date, then id
    assert rows[1]["fatalities"] == 40 and rows[0]["notes"] == "same revision, later message"
    assert latest.read == 4


def test_csv_opens_with_the_acled_header_and_keeps_arabic(events):
    latest = LatestRevisions()
    for e in events:
        latest.add(e)
    out = io.BytesIO()
    export(latest.rows(), "csv", out)
    text = out.getvalue().decode("utf-8")
    assert text.splitlines()[0] == ACLED_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len({e["event_id"] for e in events})
    assert all(r["event_id_cnty"] and r["event_date"] and r["country"] == "Syria" for r in rows)
    assert any("\u0600" <= ch <= "\u06ff" for ch in rows[0]["notes"])


def test_jsonl_rows_keep_the_column_order(events):
    out = io.BytesIO()
    export([acled_row(events[0])], "jsonl", out, rasad_columns=True)
    row = json.loads(out.getvalue())
    assert list(row) == [*ACLED_COLUMNS, *RASAD_COLUMNS]
    assert row["event_id"] == events[0]["event_id"] and row["tags"] is None


def test_parquet_has_typed_columns(events, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    with path.open("wb") as out:
        export([acled_row(e) for e in events], "parquet", out)
    table = pq.read_table(path)
    assert table.column_names == list(ACLED_COLUMNS)
    assert str(table.schema.field("event_date").type) == "date32[day]"
    assert str(table.schema.field("fatalities").type) == "int32"
    assert str(table.schema.field("latitude").type) == "double"
    assert table.num_rows == len(events)


def test_unknown_format_is_refused_and_formats_are_registered():
    assert set(WRITERS) >= {"csv", "jsonl", "parquet"}
    with pytest.raises(ExportError, match="unknown format"):
        export([], "xlsx", io.BytesIO())


def test_cli_exports_event_files(events, tmp_path):
    archive = tmp_path / "events.jsonl"
    revised = dict(events[0], revision=2, fatalities=99)
    lines = [orjson.dumps(e) for e in events] + [orjson.dumps(revised), b'{"not": "an event"}']
    archive.write_bytes(b"\n".join(lines) + b"\n")
    result = CliRunner().invoke(main, ["export", str(archive), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ACLED_HEADER
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["fatalities"] for r in rows if r["event_id_cnty"] == events[0]["event_id"]] == ["99"]
    assert f"{archive}:{len(lines)}" in result.stderr  # the line that is not an event, by number
    parquet = tmp_path / "out.parquet"
    result = CliRunner().invoke(main, ["export", str(archive), "--format", "parquet", "-o", str(parquet)])
    assert result.exit_code == 0, result.output
    assert parquet.read_bytes()[:4] == b"PAR1"
