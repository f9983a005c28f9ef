"""Export events as a table in ACLED's column order (CSV, JSONL, Parquet), the latest revision of each event.

Analysts load ACLED exports by column name; rasad fills the columns it knows from the event (schemas/
event.schema.json) and leaves the others empty, so the same loader reads both. Events may be revised (same
event_id, higher `revision`): only the highest revision of each event_id is written, as a consumer of the
compacted events topic would see it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

import orjson

from .io import archive_files, display_name, read_lines
from .settings import Settings

# ACLED's export columns, in its order (the API's and the data export tool's).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

# rasad's own fields, appended after ACLED's with --rasad-columns (loaders that pick columns by name ignore them).
RASAD_COLUMNS: tuple[str, ...] = (
    "event_id",
    "revision",
    "report_ids",
    "location_ar",
    "admin1_pcode",
    "admin2_pcode",
    "admin3_pcode",
    "injured",
    "confidence",
    "extractor_version",
)

# ACLED's disorder type follows from the event type.
DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

# ACLED's numeric actor types (inter1/inter2): 1 state forces, 2 rebel groups, 3 political militias,
# 7 civilians, 8 external/other forces (a foreign state's forces acting in Syria). UNKNOWN stays empty.
INTER_CODES = {
    "SYRIAN_REGIME": 1,
    "ISLAMIC_STATE": 2,
    "HTS_NUSRA": 2,
    "REBELS": 2,
    "KURDISH_SDF": 2,
    "PRO_REGIME_MILITIA": 3,
    "CIVILIANS": 7,
    "COALITION": 8,
    "RUSSIA": 8,
    "TURKEY": 8,
    "ISRAEL": 8,
    "OTHER_FOREIGN": 8,
}

# ISO 3166-1 numeric code and ACLED region of the countries the gazetteer can place events in.
COUNTRIES = {
    "Syria": (760, "Middle East"),
    "Iraq": (368, "Middle East"),
    "Lebanon": (422, "Middle East"),
    "Jordan": (400, "Middle East"),
    "Turkey": (792, "Middle East"),
    "Israel": (376, "Middle East"),
    "Palestine": (275, "Middle East"),
    "Saudi Arabia": (682, "Middle East"),
    "Yemen": (887, "Middle East"),
    "Egypt": (818, "Northern Africa"),
    "Libya": (434, "Northern Africa"),
}

INTEGER_COLUMNS = frozenset(
    {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities", "timestamp"}
    | {"revision", "injured"}
)
FLOAT_COLUMNS = frozenset({"latitude", "longitude", "confidence"})


class ExportError(RuntimeError):
    """The export cannot be written (no such format, parquet to a terminal…); the message says why."""


# ---------------------------------------------------------------- rows


def acled_row(event: dict[str, Any], timestamp: int | None = None) -> dict[str, Any]:
    """One event as an ACLED row (every ACLED and rasad column; None where rasad has nothing).

    `timestamp` is ACLED's "last modified" Unix time: the message's time when read from the topic.
    """
    actor1 = event.get("actor1") or {}
    actor2 = event.get("actor2") or {}
    inter1, inter2 = INTER_CODES.get(actor1.get("code", "")), INTER_CODES.get(actor2.get("code", ""))
    iso, region = COUNTRIES.get(event.get("country") or "", (None, None))
    day = str(event.get("event_date") or "")
    sources = event.get("sources") or [event.get("source")]
    civilians = event.get("event_type") == "Violence against civilians" or actor2.get("code") == "CIVILIANS"
    row: dict[str, Any] = {
        "event_id_cnty": event.get("event_id"),
        "event_date": day or None,
        "year": int(day[:4]) if day[:4].isdigit() else None,
        "time_precision": event.get("time_precision"),
        "disorder_type": DISORDER_TYPES.get(event.get("event_type") or ""),
        "event_type": event.get("event_type"),
        "sub_event_type": event.get("sub_event_type"),
        "actor1": actor1.get("name"),
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": actor2.get("name"),
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2, bool(actor2)),
        "civilian_targeting": "Civilian targeting" if civilians else None,
        "iso": iso,
        "region": region,
        "country": event.get("country"),
        "admin1": event.get("admin1"),
        "admin2": event.get("admin2"),
        "admin3": event.get("admin3"),
        "location": event.get("location") or event.get("location_ar"),
        "latitude": event.get("latitude"),
        "longitude": event.get("longitude"),
        "geo_precision": event.get("geo_precision"),
        "source": "; ".join(s for s in sources if s) or None,
        "source_scale": None,
        "notes": event.get("notes"),
        "fatalities": event.get("fatalities"),
        "tags": None,
        "timestamp": timestamp,
    }
    row.update({name: event.get(name) for name in RASAD_COLUMNS})
    row["report_ids"] = "; ".join(event.get("report_ids") or []) or None
    return row


def _interaction(inter1: int | None, inter2: int | None, has_actor2: bool) -> int | None:
    """ACLED's interaction: the two actor types, smaller first (12); one actor alone is its type times ten (20)."""
    if inter1 is None or (has_actor2 and inter2 is None):
        return None
    if not has_actor2:
        return inter1 * 10
    low, high = sorted((inter1, inter2 or inter1))
    return low * 10 + high


@dataclass
class LatestRevisions:
    """Keeps the highest revision of each event_id (a later message wins a tie, as compaction would)."""

    events: dict[str, tuple[dict[str, Any], int | None]] = field(default_factory=dict)
    read: int = 0

    def add(self, event: dict[str, Any], timestamp: int | None = None) -> None:
        self.read += 1
        kept = self.events.get(event["event_id"])
        if kept is None or int(event.get("revision") or 1) >= int(kept[0].get("revision") or 1):
            self.events[event["event_id"]] = (event, timestamp)

    def rows(self) -> list[dict[str, Any]]:
        """ACLED rows, ordered by event date then event id (a stable order: the same input gives the same file)."""
        ordered = sorted(self.events.values(), key=lambda kept: (str(kept[0].get("event_date")), kept[0]["event_id"]))
        return [acled_row(event, timestamp) for event, timestamp in ordered]


def is_event(message: Any) -> bool:
    return isinstance(message, dict) and isinstance(message.get("event_id"), str) and "event_type" in message


# ---------------------------------------------------------------- sources


def events_from_files(paths: tuple[str, ...], latest: LatestRevisions) -> list[str]:
    """Add the events of JSONL files (rasad extract's output, tail --json…) to `latest`; the lines that are not
    events, as file:line."""
    rejected: list[str] = []
    for path in archive_files(paths):
        for number, raw in read_lines(path):
            try:
                message = orjson.loads(raw)
            except orjson.JSONDecodeError:
                message = None
            if is_event(message):
                latest.add(message)
            else:
                rejected.append(f"{display_name(path)}:{number}")
    return rejected


async def events_from_topic(settings: Settings, latest: LatestRevisions, topic: str | None = None) -> list[str]:
    """Add what the events topic holds now (from its start to its end offsets when called) to `latest`; the
    messages that are not events, as partition@offset."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    topic = topic or settings.events_topic
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False, **settings.aiokafka_security()
    )
    rejected: list[str] = []
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()  # a fresh client knows no topic yet
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise ExportError(f"topic {topic!r} does not exist on the broker")
        parts = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        end = await consumer.end_offsets(parts)
        todo = {tp for tp in parts if end[tp] > await consumer.position(tp)}
        while todo:
            batch = await consumer.getmany(*todo, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= end[tp]:
                        continue  # written after the snapshot began
                    try:
                        message = orjson.loads(record.value or b"")
                    except orjson.JSONDecodeError:
                        message = None
                    if is_event(message):
                        latest.add(message, record.timestamp // 1000 if record.timestamp else None)
                    else:
                        rejected.append(f"{tp.partition}@{record.offset}")
            todo = {tp for tp in todo if await consumer.position(tp) < end[tp]}
    finally:
        await consumer.stop()
    return rejected


# ---------------------------------------------------------------- writers


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def write_csv(rows: Iterable[dict[str, Any]], out: BinaryIO, columns: tuple[str, ...]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_text(row.get(c)) for c in columns])
    finally:
        text.detach()  # leave `out` open for the caller


def write_jsonl(rows: Iterable[dict[str, Any]], out: BinaryIO, columns: tuple[str, ...]) -> None:
    for row in rows:
        out.write(orjson.dumps({c: row.get(c) for c in columns}) + b"\n")


def write_parquet(rows: Iterable[dict[str, Any]], out: BinaryIO, columns: tuple[str, ...]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(rows)
    fields = [pa.field(c, _arrow_type(c)) for c in columns]
    data = {c: [_arrow_value(c, row.get(c)) for row in rows] for c in columns}
    table = pa.Table.from_pydict(data, schema=pa.schema(fields))
    pq.write_table(table, out)


def _arrow_type(column: str) -> Any:
    import pyarrow as pa

    if column == "event_date":
        return pa.date32()
    if column == "timestamp":
        return pa.int64()
    if column in INTEGER_COLUMNS:
        return pa.int32()
    if column in FLOAT_COLUMNS:
        return pa.float64()
    return pa.string()


def _arrow_value(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column == "event_date":
        return date.fromisoformat(value)
    return value


Writer = Callable[[Iterable[dict[str, Any]], BinaryIO, tuple[str, ...]], None]

# One writer per --format; the CLI offers exactly these keys. To add a format (e.g. "html"), write a
# function with the Writer signature and register it here, with BINARY_FORMATS if it is not text.
WRITERS: dict[str, Writer] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "parquet": write_parquet,
}
BINARY_FORMATS = frozenset({"parquet"})


def export(rows: Iterable[dict[str, Any]], fmt: str, out: BinaryIO, rasad_columns: bool = False) -> None:
    """Write ACLED rows in format `fmt` to the binary stream `out`."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown format {fmt!r}; one of {', '.join(WRITERS)}") from None
    writer(rows, out, ACLED_COLUMNS + (RASAD_COLUMNS if rasad_columns else ()))
