"""The faust App and its topics — nothing else. Agents live in workers/agents/."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import faust

from . import rebalance_seek, send_guard
from .fetch_pacing import pace_empty_fetches
from .settings import Settings


@dataclass(frozen=True)
class Topics:
    reports: Any
    events: Any
    alerts: Any
    dead_letter: Any
    # Internal: per-report extractions keyed by area, read by the identity agent.
    extractions: Any


def create_app(settings: Settings) -> tuple[faust.App, Topics]:
    pace_empty_fetches(settings.empty_fetch_wait_ms / 1000, settings.empty_fetch_max_wait_ms / 1000)
    bound_consumer_stop(settings.consumer_stop_timeout_s)
    rebalance_seek.install()  # faust's seek after a rebalance must not skip records (workers/rebalance_seek.py)
    tables_dir = settings.data_dir / "faust"
    tables_dir.mkdir(parents=True, exist_ok=True)  # faust makes only the last folder of its datadir
    app = faust.App(
        settings.app_id,
        broker=settings.broker_url,
        broker_credentials=_credentials(settings),
        store=settings.store,
        processing_guarantee=settings.processing_guarantee,
        consumer_group_instance_id=settings.group_instance_id,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=False,  # topics (table changelogs too) are created by workers/topics.py
        web_host=settings.web_host,
        web_bind=settings.web_host,  # faust binds 0.0.0.0 unless told; web_host alone only names its URLs
        web_port=settings.web_port,
        web_enabled=True,
        autodiscover=False,
        producer_acks=-1,
        # Table state lives beside the embedded broker's data, not in whatever folder the worker started in.
        datadir=str(tables_dir / "{conf.name}-data"),
    )
    send_guard.install(app)  # no commit past a message whose output failed to send (workers/send_guard.py)
    # Raw bytes in and out: we decode ourselves so bad input becomes a dead letter, not a crash.
    topics = Topics(
        reports=app.topic(
            settings.reports_topic,
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
        ),
        events=app.topic(settings.events_topic, key_serializer="raw", value_serializer="raw"),
        alerts=app.topic(settings.alerts_topic, key_serializer="raw", value_serializer="raw"),
        dead_letter=app.topic(settings.dead_letter_topic, key_serializer="raw", value_serializer="raw"),
        extractions=app.topic(settings.extractions_topic_name, key_serializer="raw", value_serializer="raw"),
    )
    from .agents import register
    from .web import register_web

    register(app, topics, settings)
    register_web(app, topics, settings)
    app.task(_undo_spinner_debug_level)
    return app, topics


def bound_consumer_stop(seconds: float) -> None:
    """Stop waiting for faust's consumer thread after `seconds` (its class attribute; one app per process).

    faust runs aiokafka's consumer in a thread of its own, a mode ServiceThread that a stopping worker waits for up to
    60 s. With the broker gone that thread is stuck reconnecting, so a SIGTERM took a minute to end the worker.
    """
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    AIOKafkaConsumerThread.shutdown_timeout = float(seconds)


async def _undo_spinner_debug_level() -> None:
    """Run at start, once faust's Worker has set up logging: see `undo_spinner_debug_level`."""
    undo_spinner_debug_level()


def undo_spinner_debug_level(root: logging.Logger | None = None) -> bool:
    """Put the root logger back at the level of its handlers, which faust's Worker leaves at DEBUG.

    At a log level of WARNING or above, faust's Worker adds a handler that turns its terminal spinner on each log
    record and sets the root logger to DEBUG so that every record reaches it (`Worker._setup_spinner_handler`). The
    spinner stops once the worker has started; the level stays. Every `log.debug` call of aiokafka (several per
    request and response) then builds a LogRecord, walking the stack for its caller, that every handler drops:
    about 22 records per report, 9 µs each, 5 % of a worker's CPU. At `--loglevel debug` (or info) the handlers
    ask for those records and nothing changes. Returns whether the level was changed.
    """
    root = root or logging.getLogger()
    levels = [h.level for h in root.handlers if type(h).__name__ != "SpinnerHandler"]
    if not levels or min(levels) <= root.level:
        return False
    root.setLevel(min(levels))
    return True


def _credentials(settings: Settings) -> Any:
    if settings.security_protocol == "PLAINTEXT":
        return None
    import ssl

    context = (
        ssl.create_default_context(cafile=settings.ssl_cafile)
        if "SSL" in settings.security_protocol
        else None
    )
    if context and settings.ssl_certfile:
        context.load_cert_chain(settings.ssl_certfile, settings.ssl_keyfile, settings.ssl_key_password)
    if "SASL" in settings.security_protocol:
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password,
            mechanism=settings.sasl_mechanism or "PLAIN",
            ssl_context=context,
        )
    return faust.SSLCredentials(context)
