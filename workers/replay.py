"""Replay archives of reports into the reports topic, keyed by report id, with progress and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson
from aiokafka import AIOKafkaProducer
from tqdm import tqdm

from .intake import InvalidReport, parse_report
from .io import archive_files, read_lines
from .settings import Settings


@dataclass
class ReplaySummary:
    sent: int = 0
    invalid: list[tuple[str, int, str]] = field(default_factory=list)

    def describe(self) -> str:
        text = f"replayed {self.sent} reports"
        if self.invalid:
            shown = ", ".join(f"{p}:{n} ({why})" for p, n, why in self.invalid[:10])
            text += f"; {len(self.invalid)} invalid lines not sent: {shown}"
        return text


async def replay_archives(
    settings: Settings, paths: tuple[str, ...], progress: bool = False
) -> ReplaySummary:
    summary = ReplaySummary()
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=max(settings.max_report_bytes * 2, 1_048_576),
        **settings.aiokafka_security(),
    )
    await producer.start()
    try:
        with tqdm(unit=" reports", disable=not progress) as bar:
            for path in archive_files(paths):
                for number, raw in read_lines(path):
                    try:
                        report = parse_report(raw, settings.max_report_bytes)
                    except InvalidReport as exc:
                        summary.invalid.append((str(path or "-"), number, exc.reason))
                        continue
                    # Re-serialise compactly so the topic holds exactly one JSON object per message.
                    await producer.send(
                        settings.reports_topic, key=report.id.encode(), value=orjson.dumps(orjson.loads(raw))
                    )
                    summary.sent += 1
                    bar.update(1)
        await producer.flush()
    finally:
        await producer.stop()
    return summary
