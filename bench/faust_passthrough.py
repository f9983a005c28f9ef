"""A bare faust passthrough agent, configured like workers/app.py: the faust + Kafka share of the cost.

`python -m bench.faust_passthrough` reads RASAD_* settings like `rasad worker` and serves the same
/rasad/stats/ counters, so the harness drives it exactly as it drives a real worker.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import faust

from workers.app import undo_spinner_debug_level
from workers.fetch_pacing import pace_empty_fetches
from workers.settings import Settings

COUNTS: Counter[str] = Counter()


def create_app(settings: Settings) -> faust.App:
    # The same knobs as workers.app.create_app (keep in step), minus the rasad agents.
    pace_empty_fetches(settings.empty_fetch_wait_ms / 1000, settings.empty_fetch_max_wait_ms / 1000)
    tables_dir = settings.data_dir / "faust"
    tables_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.app_id,
        broker=settings.broker_url,
        store=settings.store,
        processing_guarantee=settings.processing_guarantee,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=False,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_enabled=True,
        autodiscover=False,
        producer_acks=-1,
        # Like the worker: faust's datadir beside the run's data, not "<app id>-data" in the current folder.
        datadir=str(tables_dir / "{conf.name}-data"),
    )
    reports = app.topic(
        settings.reports_topic, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
    )
    events = app.topic(settings.events_topic, key_serializer="raw", value_serializer="raw")

    @app.agent(reports, name="bench.passthrough")
    async def forward(stream: Any) -> Any:
        async for event in stream.events():
            await events.send(key=event.message.key, value=event.value)
            COUNTS["reports"] += 1
            COUNTS["events"] += 1
            yield None

    @app.task
    async def quiet_debug_logging() -> None:
        undo_spinner_debug_level()

    @app.page("/rasad/stats/")
    async def stats(web: Any, request: Any) -> Any:
        return web.json(dict(COUNTS))

    return app


def main() -> None:
    app = create_app(Settings.from_env())
    faust.Worker(app, loglevel="warning", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main()
