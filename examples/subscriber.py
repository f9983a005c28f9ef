"""A minimal rasad subscriber: plain aiokafka and jsonschema, no rasad code.

Reads rasad's output topics, checks every message against the published JSON Schemas (schemas/*.schema.json)
and prints one line per message. It keeps the latest revision of each event in memory, the way a subscriber
should treat the events topic: a message with an event_id already seen and a higher `revision` replaces the
earlier one; a lower or equal revision is a stale copy (a redelivery) and is ignored.

    pip install aiokafka jsonschema
    python examples/subscriber.py --broker 127.0.0.1:19092 --group my-dashboard

Copy it and replace `handle_event` / `handle_alert` with what your application does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
from aiokafka import AIOKafkaConsumer

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def load_validators(folder: Path) -> dict[str, jsonschema.Draft202012Validator]:
    """One validator per schema file: event, alert, report, dead-letter."""
    validators = {}
    for path in sorted(folder.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        validators[path.name.removesuffix(".schema.json")] = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.FormatChecker()
        )
    return validators


def schema_for(topic: str) -> str:
    """Which schema a topic's messages follow, from rasad's topic names (rasad.events, rasad.alerts…)."""
    if "dead-letter" in topic:
        return "dead-letter"
    for name in ("event", "alert", "report"):
        if name in topic:
            return name
    raise ValueError(f"no schema for topic {topic!r}")


class Subscriber:
    def __init__(self, validators: dict[str, jsonschema.Draft202012Validator]) -> None:
        self.validators = validators
        self.events: dict[str, dict[str, Any]] = {}  # event_id -> latest revision seen
        self.invalid = 0

    def on_message(self, topic: str, key: bytes | None, value: bytes | None) -> None:
        try:
            message = json.loads(value or b"")
        except ValueError as exc:
            self.reject(topic, key, f"not JSON: {exc}")
            return
        schema = schema_for(topic)
        errors = sorted(self.validators[schema].iter_errors(message), key=lambda e: list(e.path))
        if errors:
            where = "/".join(map(str, errors[0].path)) or "(top)"
            self.reject(topic, key, f"{where}: {errors[0].message}")
            return
        if schema == "event":
            self.handle_event(message)
        elif schema == "alert":
            self.handle_alert(message)
        else:
            print(f"{schema.upper()} {key.decode() if key else '-'}")

    def handle_event(self, event: dict[str, Any]) -> None:
        known = self.events.get(event["event_id"])
        if known is not None and event["revision"] <= known["revision"]:
            print(f"STALE {event['event_id']} r{event['revision']} (have r{known['revision']})")
            return
        self.events[event["event_id"]] = event
        status = "NEW" if known is None else "REVISED"
        place = event.get("location") or event["location_ar"]
        toll = event["fatalities"]
        print(
            f"{status} {event['event_id']} r{event['revision']} {event['event_date']} {event['sub_event_type']} "
            f"at {place} ({event.get('admin1_pcode') or '-'})" + ("" if toll is None else f", {toll} killed")
        )

    def handle_alert(self, alert: dict[str, Any]) -> None:
        print(f"ALERT {alert['alert_id']} [{alert['severity']}] {alert['summary']}")

    def reject(self, topic: str, key: bytes | None, why: str) -> None:
        self.invalid += 1
        print(f"INVALID {topic} key={key.decode(errors='replace') if key else '-'}: {why}", file=sys.stderr)


async def run(args: argparse.Namespace) -> int:
    subscriber = Subscriber(load_validators(args.schemas))
    consumer = AIOKafkaConsumer(
        *args.topics,
        bootstrap_servers=args.broker,
        group_id=args.group,  # offsets are kept per group: a restart goes on where it stopped
        auto_offset_reset="earliest",  # a new group starts from the beginning of each topic
        enable_auto_commit=True,
    )
    await consumer.start()
    seen = 0
    last = time.monotonic()
    try:
        while args.max_messages is None or seen < args.max_messages:
            batch = await consumer.getmany(timeout_ms=500)
            if not batch:
                if args.idle_timeout is not None and time.monotonic() - last > args.idle_timeout:
                    break
                continue
            last = time.monotonic()
            for records in batch.values():
                for record in records:
                    subscriber.on_message(record.topic, record.key, record.value)
                    seen += 1
            sys.stdout.flush()
    finally:
        await consumer.stop()
    print(f"{seen} messages, {len(subscriber.events)} events, {subscriber.invalid} invalid", file=sys.stderr)
    return 1 if subscriber.invalid else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--broker", default="127.0.0.1:19092", help="bootstrap servers, host:port[,host:port]")
    parser.add_argument("--topics", nargs="+", default=["rasad.events", "rasad.alerts"])
    parser.add_argument("--group", default="rasad-example-subscriber", help="your application's consumer group")
    parser.add_argument("--schemas", type=Path, default=SCHEMAS, help="folder of *.schema.json")
    parser.add_argument("--max-messages", type=int, default=None, help="stop after this many messages")
    parser.add_argument("--idle-timeout", type=float, default=None, help="stop after this many idle seconds")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
