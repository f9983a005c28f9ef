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

from .export import WRITERS as EXPORT_FORMATS  # one --format per registered writer
from .fetch_pacing import pace_empty_fetches
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
    # For every consumer a command starts (tail, export…).
    pace_empty_fetches(settings.empty_fetch_wait_ms / 1000, settings.empty_fetch_max_wait_ms / 1000)
    ctx.obj = {"settings": settings}


# ---------------------------------------------------------------- offline


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal)."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Processes to extract with; 0 means one per core. The output is the same, in the same order.",
)
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], progress: bool | None, jobs: int) -> None:
    """Reports (JSONL, .jsonl.gz, dirs or -) in, events as JSONL on stdout. No Kafka: the agent's code path."""
    from tqdm import tqdm

    from .batch import extract_lines
    from .io import archive_files, count_lines, display_name, read_lines

    settings = _settings(ctx)
    try:
        files = archive_files(paths)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from None
    lines = ((display_name(f), number, raw) for f in files for number, raw in read_lines(f))
    counts = {"reports": 0, "events": 0, "no_event": 0, "dead_letter": 0}
    out = sys.stdout.buffer
    show = sys.stderr.isatty() if progress is None else progress
    total = count_lines(files) if show else None
    with tqdm(total=total, unit=" reports", disable=not show, file=sys.stderr) as bar:
        source, last = None, 0
        for result in extract_lines(lines, settings.max_report_bytes, jobs or os.cpu_count() or 1):
            counts["reports"] += 1
            if result.kind != "events":  # "events" counts the events themselves, not the reports with some
                counts[result.kind] += 1
            counts["events"] += result.event_count
            out.write(result.events)
            if result.reason is not None:
                bar.write(f"{result.source}:{result.number}: {result.reason}", file=sys.stderr)
            if result.source != source:
                source, last = result.source, 0
            bar.update(result.number - last)  # blank lines count too, so the bar meets its total
            last = result.number
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
    from .evaluate import evaluate_reports

    lines = Path(gold).read_text(encoding="utf-8").splitlines()
    result = evaluate_reports(json.loads(line) for line in lines if line.strip())
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
    from .logs import logging_config

    settings = _settings(ctx)
    app, _ = create_app(settings)
    logs = logging_config(settings, loglevel)  # JSON lines with RASAD_LOG_JSON=1; secrets masked either way
    faust.Worker(app, loglevel=loglevel, quiet=True, logging_config=logs).execute_from_commandline()


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), default=None, help="At most this many reports/s.")
@click.option("--since", default=None, help="Only reports published at or after this ISO date or date-time.")
@click.option("--until", default=None, help="Only reports published before this date-time (a bare date: to its end).")
@click.option(
    "--resume",
    "checkpoint",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Checkpoint file: continue an interrupted replay from it (created if missing, updated as acks arrive).",
)
@click.pass_context
def replay(
    ctx: click.Context,
    paths: tuple[str, ...],
    progress: bool | None,
    rate: float | None,
    since: str | None,
    until: str | None,
    checkpoint: Path | None,
) -> None:
    """Produce archived reports (JSONL, .jsonl.gz, dirs or -) to the reports topic, keyed by report id."""
    from .replay import ReplayError, Window, parse_bound, replay_archives

    settings = _settings(ctx)
    try:
        window = Window(parse_bound(since) if since else None, parse_bound(until, end=True) if until else None)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from None
    show = sys.stderr.isatty() if progress is None else progress

    async def run() -> Any:
        # Ctrl-C or SIGTERM stops reading, waits for the sends in flight and writes the checkpoint; a second
        # Ctrl-C interrupts at once.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def on_signal() -> None:
            stop.set()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, on_signal)
        return await replay_archives(
            settings, paths, show, rate=rate, window=window, checkpoint=checkpoint, stop=stop
        )

    try:
        summary = asyncio.run(run())
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from None
    except ReplayError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary.describe(), err=True)
    if summary.interrupted:
        ctx.exit(130)  # like a shell's status for Ctrl-C, so scripts see the replay did not finish


@main.command()
@click.option("--from-beginning", is_flag=True, help="Rerun over everything the reports topic holds.")
@click.option(
    "--from-timestamp",
    "from_timestamp",
    default=None,
    help="Rerun from the first report written to the topic at or after this ISO date-time (or epoch ms).",
)
@click.option("--dry-run", is_flag=True, help="Print the new offsets without committing them.")
@click.pass_context
def reprocess(ctx: click.Context, from_beginning: bool, from_timestamp: str | None, dry_run: bool) -> None:
    """Reset the workers' group offsets on the reports topic so the pipeline reruns (no worker may be running)."""
    from .reprocess import ReprocessError, parse_timestamp, reset_offsets

    if from_beginning == (from_timestamp is not None):
        raise click.UsageError("give exactly one of --from-beginning and --from-timestamp")
    try:
        timestamp = parse_timestamp(from_timestamp) if from_timestamp else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--from-timestamp") from None
    settings = _settings(ctx)
    try:
        resets = asyncio.run(reset_offsets(settings, timestamp=timestamp, dry_run=dry_run))
    except ReprocessError as exc:
        raise click.ClickException(str(exc)) from None
    for r in resets:
        before = "-" if r.before is None else r.before
        click.echo(f"{settings.reports_topic}[{r.partition}]: {before} -> {r.after}")
    verb = "would reset" if dry_run else "reset"
    click.echo(
        f"{verb} group {settings.app_id!r} on {len(resets)} partitions; start the workers to reprocess", err=True
    )


@main.command()
@click.argument("topic")
@click.option("--from-beginning/--from-end", default=True)
@click.option("--json", "as_json", is_flag=True, help="Raw JSON, one message per line.")
@click.option("--limit", type=int, default=None, help="Stop after this many messages (printed ones).")
@click.option(
    "--idle-timeout", type=float, default=None, help="Stop after this many seconds without a message."
)
@click.option("--admin1", default=None, help="Only this governorate: pcode (SY07) or name (Idleb).")
@click.option("--actor", default=None, help="Only events with this actor code on either side (ISLAMIC_STATE).")
@click.option("--min-fatalities", type=click.IntRange(min=0), default=None, help="Only events with this toll or more.")
@click.option("--since", default=None, help="Only events on or after this date (YYYY-MM-DD).")
@click.pass_context
def tail(
    ctx: click.Context,
    topic: str,
    from_beginning: bool,
    as_json: bool,
    limit: int | None,
    idle_timeout: float | None,
    admin1: str | None,
    actor: str | None,
    min_fatalities: int | None,
    since: str | None,
) -> None:
    """Print a topic's messages as they arrive (a readable line per event or alert, or raw JSON), filtered."""
    from datetime import date

    from .tail import TailFilter, tail_topic

    if since is not None:
        try:
            since = date.fromisoformat(since).isoformat()
        except ValueError:
            raise click.BadParameter(f"{since!r} is not a date (YYYY-MM-DD)", param_hint="--since") from None
    only = TailFilter(admin1=admin1, actor=actor, min_fatalities=min_fatalities, since=since)
    asyncio.run(tail_topic(_settings(ctx), [topic], from_beginning, as_json, limit, idle_timeout, only=only))


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format", "fmt", type=click.Choice([*EXPORT_FORMATS, "html"]), default="csv", show_default=True,
    help="html: the live view's map as one self-contained file (for reports and e-mail).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Default: stdout.")
@click.option("--from-topic", is_flag=True, help="Read the events topic (all it holds now) instead of files.")
@click.option("--rasad-columns", is_flag=True, help="Append rasad's own columns (event_id, revision, pcodes…).")
@click.pass_context
def export(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    from_topic: bool,
    rasad_columns: bool,
) -> None:
    """Events (JSONL files, dirs or -, or the events topic) as a table in ACLED's column order, latest revisions."""
    from .export import BINARY_FORMATS, ExportError, LatestRevisions, events_from_files, events_from_topic
    from .export import export as write_export

    if from_topic and paths:
        raise click.UsageError("give event files or --from-topic, not both")
    if output is None and fmt in BINARY_FORMATS and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} is binary: give --output FILE or redirect stdout")
    latest = LatestRevisions()
    try:
        if from_topic:
            rejected = asyncio.run(events_from_topic(_settings(ctx), latest))
        else:
            rejected = events_from_files(paths, latest)
        rows = latest.rows()
        if fmt == "html":
            # The map needs the events themselves, not ACLED rows.
            from .web.static_export import render_export

            page = render_export([event for event, _ in latest.events.values()]).encode("utf-8")
            if output is not None:
                output.write_bytes(page)
            else:
                sys.stdout.buffer.write(page)
        elif output is None:
            write_export(rows, fmt, sys.stdout.buffer, rasad_columns)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                write_export(rows, fmt, out, rasad_columns)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from None
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    if rejected:
        shown = ", ".join(rejected[:20]) + (f" and {len(rejected) - 20} more" if len(rejected) > 20 else "")
        click.echo(f"skipped {len(rejected)} messages that are not events: {shown}", err=True)
    click.echo(f"{len(rows)} events (latest revisions of {latest.read} messages) as {fmt}", err=True)


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
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.data_dir / "worker.log"
    with log_path.open("ab") as log:  # the worker's own output would garble the lines printed here
        worker_proc = subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "worker"], env=env, start_new_session=True,
            stdout=log, stderr=subprocess.STDOUT,
        )
    click.echo(f"• worker started (pid {worker_proc.pid}, log in {log_path}); replaying the sample reports…", err=True)
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
