"""Baselines with no extraction: what this machine and broker allow for consume → produce.

`python -m bench.passthrough` is a plain aiokafka loop (the ceiling); `python -m bench.faust_passthrough` is
a bare faust agent configured like the rasad app. Both read RASAD_* settings like a worker, consume the
reports topic in the settings' consumer group and forward every message unchanged to the events topic,
until SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal

from aiokafka import AIOKafkaConsumer

from workers.fetch_pacing import pace_empty_fetches
from workers.settings import Settings

from .kafka import producer


async def forward(settings: Settings, stop: asyncio.Event) -> None:
    # As the workers do, so the baseline stays comparable.
    pace_empty_fetches(settings.empty_fetch_wait_ms / 1000, settings.empty_fetch_max_wait_ms / 1000)
    consumer = AIOKafkaConsumer(
        settings.reports_topic,
        bootstrap_servers=settings.bootstrap_servers,
        group_id=settings.app_id,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=max(settings.max_report_bytes * 2, 1_048_576),
        **settings.aiokafka_security(),
    )
    prod = producer(settings)
    await consumer.start()
    await prod.start()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=200)
            # Send a whole fetched batch before waiting for its acknowledgements, as a batching app would.
            futures = [
                await prod.send(settings.events_topic, key=r.key, value=r.value)
                for records in batch.values()
                for r in records
            ]
            for f in futures:
                await f
    finally:
        await prod.stop()
        await consumer.stop()


def main() -> None:
    settings = Settings.from_env()

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await forward(settings, stop)

    asyncio.run(run())


if __name__ == "__main__":
    main()
