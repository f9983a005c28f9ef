"""The `rasad` command: thin subcommands over library functions."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import click
import orjson

from .settings import Settings


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


@click.group()
@click.option("--broker", envvar="RASAD_BROKER", help="Kafka bootstrap servers, host:port[,host:port].")
@click.option("--data-dir", type=click.Path(path_type=Path), help="Embedded broker data directory.")
@click.pass_context
def main(ctx: click.Context, broker: str | None, data_dir: Path | None) -> None:
    """rasad: Arabic conflict reports in, geolocated events and alerts out, on Kafka."""
    try:
        settings = Settings.from_env(broker=broker, data_dir=data_dir)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    ctx.obj = {"settings": settings}


# ---------------------------------------------------------------- offline


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal)."
)
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], progress: bool | None) -> None:
    """Reports (JSONL, .jsonl.gz, dirs or -) in, events as JSONL on stdout. No Kafka: the agent's code path."""
    from tqdm import tqdm

    from .handling import handle
    from .io import archive_files, read_lines

    settings = _settings(ctx)
    counts = {"reports": 0, "events": 0, "no_event": 0, "dead_letter": 0}
    out = sys.stdout.buffer
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(unit=" reports", disable=not show, file=sys.stderr) as bar:
        for path in archive_files(paths):
            for number, raw in read_lines(path):
                outcome = handle(raw, settings.max_report_bytes, str(path or "-"), None, number)
                counts["reports"] += 1
                counts[outcome.kind] += 1
                for event in outcome.events:
                    out.write(orjson.dumps(event.to_dict()) + b"\n")
                    counts["events"] += 1
                if outcome.dead_letter is not None:
                    click.echo(f"{path or '-'}:{number}: {outcome.dead_letter.reason}", err=True)
                bar.update(1)
    out.flush()
    click.echo(
        f"{counts['reports']} reports: {counts['events']} events, {counts['no_event']} with no event, "
        f"{counts['dead_letter']} invalid",
        err=True,
    )


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--min-f1", type=float, default=None, help="Exit 1 if event F1 falls below this floor.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
def evaluate_command(gold: str, min_f1: float | None, as_json: bool) -> None:
    """Run the extractor on gold reports (JSONL with `gold` or `events`) and print the scorer's figures."""
    from .evaluate import score
    from .intake import report_from_dict
    from .pipeline.run import extract as run_extract

    gold_events: dict[str, list[dict[str, Any]]] = {}
    predicted: list[dict[str, Any]] = []
    for line in Path(gold).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        gold_events[data["id"]] = data["gold"] if "gold" in data else data["events"]
        predicted += [e.to_dict() for e in run_extract(report_from_dict(data))]
    result = score(gold_events, predicted)
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key:32} {value}")
    if min_f1 is not None and result["event_f1"] < min_f1:
        raise click.ClickException(f"event F1 {result['event_f1']} is below the floor {min_f1}")


# ---------------------------------------------------------------- broker and topics


@main.group()
def broker() -> None:
    """The embedded Kafka-protocol broker (noida-db) for development and tests."""


@broker.command("start")
@click.pass_context
def broker_start(ctx: click.Context) -> None:
    from .broker import ensure_broker

    settings = _settings(ctx)
    handle = ensure_broker(settings)
    if handle is None:
        click.echo(f"a broker already answers at {settings.broker}")
    else:
        click.echo(
            f"embedded broker started at {handle.bootstrap} (pid {handle.pid}, data in {settings.data_dir})"
        )


@broker.command("stop")
@click.pass_context
def broker_stop(ctx: click.Context) -> None:
    from .broker import stop_from_pidfile

    stopped = stop_from_pidfile(_settings(ctx).data_dir)
    click.echo("embedded broker stopped" if stopped else "no embedded broker was running")


@main.group()
def topics() -> None:
    """Create and inspect the pipeline's topics."""


@topics.command("create")
@click.pass_context
def topics_create(ctx: click.Context) -> None:
    from .topics import create_topics_sync

    settings = _settings(ctx)
    created = create_topics_sync(settings)
    for name in settings.all_topics:
        click.echo(f"{name}: {'created' if name in created else 'exists'}")


# ---------------------------------------------------------------- streaming


@main.command()
@click.option("--loglevel", default="warning", show_default=True)
@click.pass_context
def worker(ctx: click.Context, loglevel: str) -> None:
    """Run a faust worker (extract + alert agents). More workers in one group share the partitions."""
    import faust

    from .app import create_app

    app, _ = create_app(_settings(ctx))
    faust.Worker(app, loglevel=loglevel, quiet=True).execute_from_commandline()


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--progress/--no-progress", default=None)
@click.pass_context
def replay(ctx: click.Context, paths: tuple[str, ...], progress: bool | None) -> None:
    """Produce archived reports (JSONL, .jsonl.gz, dirs or -) to the reports topic, keyed by report id."""
    from .replay import replay_archives

    settings = _settings(ctx)
    show = sys.stderr.isatty() if progress is None else progress
    summary = asyncio.run(replay_archives(settings, paths, progress=show))
    click.echo(summary.describe(), err=True)


@main.command()
@click.argument("topic")
@click.option("--from-beginning/--from-end", default=True)
@click.option("--json", "as_json", is_flag=True, help="Raw JSON, one message per line.")
@click.option("--limit", type=int, default=None, help="Stop after this many messages.")
@click.option(
    "--idle-timeout", type=float, default=None, help="Stop after this many seconds without a message."
)
@click.pass_context
def tail(
    ctx: click.Context,
    topic: str,
    from_beginning: bool,
    as_json: bool,
    limit: int | None,
    idle_timeout: float | None,
) -> None:
    """Print a topic's messages as they arrive (a readable line per event or alert, or raw JSON)."""
    from .tail import tail_topic

    asyncio.run(tail_topic(_settings(ctx), [topic], from_beginning, as_json, limit, idle_timeout))


@main.command()
@click.option(
    "--timeout", type=float, default=None, help="Stop by itself after this many seconds (default: Ctrl-C)."
)
@click.pass_context
def demo(ctx: click.Context, timeout: float | None) -> None:
    """Start the embedded broker and a worker, replay the bundled sample reports, print events and alerts."""
    from .broker import ensure_broker
    from .replay import replay_archives
    from .tail import tail_topic
    from .topics import create_topics_sync

    settings = _settings(ctx)
    started = ensure_broker(settings)
    if started:
        click.echo(f"• embedded broker started at {started.bootstrap}", err=True)
    create_topics_sync(settings)
    env = {**os.environ, "RASAD_BROKER": settings.broker}
    worker_proc = subprocess.Popen(
        [sys.executable, "-m", "workers.cli", "worker"], env=env, start_new_session=True
    )
    click.echo(f"• worker started (pid {worker_proc.pid}); replaying the sample reports…", err=True)
    try:
        samples = str(resources.files("workers").joinpath("data", "examples", "reports.jsonl"))
        summary = asyncio.run(replay_archives(settings, (samples,), progress=False))
        click.echo(f"• {summary.describe()}; events and alerts follow (Ctrl-C to stop)", err=True)
        asyncio.run(
            tail_topic(
                settings,
                [settings.events_topic, settings.alerts_topic],
                True,
                False,
                None,
                timeout,
                stop_at=time.monotonic() + timeout if timeout else None,
            )
        )
    except KeyboardInterrupt:
        pass
    finally:
        os.killpg(worker_proc.pid, signal.SIGTERM)
        try:
            worker_proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker_proc.pid, signal.SIGKILL)
        if started:
            started.stop()
        click.echo("• stopped the worker" + (" and the embedded broker" if started else ""), err=True)


if __name__ == "__main__":
    main()
