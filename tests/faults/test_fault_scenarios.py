"""Faults on the real broker, each reconciled: a slow consumer behind a fast producer, a worker killed with SIGKILL
mid-replay (and one killed before its group's first commit), the broker itself stopped and started again
mid-replay, and a second worker joining the group mid-replay (static membership, as workers on noida-db 0.2.3 need:
docs/operations.md, "A second worker joining mid-stream").

Every scenario replays the same few hundred messages (the example reports under unique ids, Arabic reports with no
event, invalid ones) to ONE partition of fresh topics, in one order: the first report of an event names it, so one
order gives comparable event ids across runs. At the end each input offset is accounted for as events (its report id
in an event's report_ids), a dead letter (by message key), or no event (neither, as the extractor predicts, with the
group's committed offset past it) — none missing. At-least-once allows duplicates, and only as identical messages:
the same event_id and revision with the same content.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from tests.integration.helpers import (
    Worker,
    group_lag,
    kill_worker,
    new_topic_set,
    produce_in_order,
    read_topic,
    start_worker,
    stop_worker,
    wait_caught_up,
    wait_counted,
    worker_stats,
)
from workers.broker import EmbeddedBroker, free_port, run_sync
from workers.handling import Outcome, handle
from workers.settings import Settings

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[2] / "workers" / "data" / "examples" / "reports.jsonl"
COPIES = 24  # of each example report, under unique ids
TOWNS = ["حلب", "إدلب", "حماة", "دير الزور", "اللاذقية", "درعا", "الرقة", "طرطوس", "حمص"]
QUIET = [
    "افتتحت مدرسة جديدة في مدينة {town} بحضور الأهالي، وعقد المجلس المحلي اجتماعا لمناقشة خطة الزراعة لعام {year}.",
    "ارتفعت أسعار الخبز والمحروقات في أسواق {town} خلال شهر {month}، وطالب السكان بزيادة الدعم.",
    "أعلنت مديرية التربية في {town} مواعيد امتحانات الشهادة الثانوية لعام {year}.",
]
MONTHS = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران"]
NO_EVENT = 72
INVALID = 60


@dataclass(frozen=True)
class Replay:
    """The messages of one scenario, in production order, with what the extractor predicts for each."""

    messages: list[tuple[bytes, bytes]]
    predicted: dict[bytes, Outcome]


def report(id: str, text: str, published_at: str = "2016-03-02T10:00:00+02:00") -> dict[str, Any]:
    return {"id": id, "source": "test", "published_at": published_at, "language": "ar", "text": text}


def invalid(i: int) -> bytes:
    """One of five kinds of bad input, each a dead letter with its own reason."""
    kinds = [
        b'{"id": "bad-%d", "text": ' % i,  # invalid_json: cut off
        orjson.dumps({"id": f"bad-{i}", "source": "test"}),  # wrong_schema: no text, no date
        orjson.dumps(report(f"bad-{i}", "   ")),  # empty text
        orjson.dumps(report(f"bad-{i}", "The local council met today to discuss the farming plan.")),  # not_arabic
        b"\xff\xfe" + orjson.dumps(report(f"bad-{i}", "قتل")),  # invalid_utf8
    ]
    return kinds[i % len(kinds)]


def build_replay(max_report_bytes: int) -> Replay:
    examples = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    messages = [
        (f"{r['id']}~{i:02d}".encode(), orjson.dumps({**r, "id": f"{r['id']}~{i:02d}"}))
        for i in range(COPIES)
        for r in examples
    ]
    for i in range(NO_EVENT):
        text = QUIET[i % len(QUIET)].format(town=TOWNS[i % len(TOWNS)], year=2010 + i % 9, month=MONTHS[i % 6])
        messages.append((f"quiet-{i:03d}".encode(), orjson.dumps(report(f"quiet-{i:03d}", text))))
    messages += [(f"bad-{i:03d}".encode(), invalid(i)) for i in range(INVALID)]
    random.Random(6).shuffle(messages)  # a fixed mix: every scenario replays the same order
    return Replay(messages, {key: handle(raw, max_report_bytes) for key, raw in messages})


@dataclass
class Reconciled:
    inputs: int
    events: int  # inputs whose report id is in some event's report_ids
    dead_letters: int
    no_event: int
    duplicates: int  # messages delivered more than once (identical)
    revisions: dict[str, int]  # event_id -> highest revision
    counters: list[Counter[str] | None] = field(default_factory=list)  # each worker's, once caught up (runner)

    @property
    def lost(self) -> int:
        return self.inputs - self.events - self.dead_letters - self.no_event

    def line(self, scenario: str) -> str:
        return (
            f"faults/{scenario}: {self.inputs} inputs tried, {self.inputs - self.lost} outcomes reconciled, "
            f"lost = {self.lost} ({self.events} with events, {self.dead_letters} dead letters, "
            f"{self.no_event} no event, {self.duplicates} duplicate messages, {len(self.revisions)} events)"
        )


async def reconcile(settings: Settings, replay: Replay) -> Reconciled:
    """Account for every input offset once the group has committed everything (wait_caught_up first)."""
    lag = await group_lag(settings, [settings.reports_topic])
    assert lag == {settings.reports_topic: 0}, f"input offsets not committed: {lag}"
    events = await read_topic(settings, settings.events_topic)
    dead = await read_topic(settings, settings.dead_letter_topic)

    # Duplicates only as identical messages: one content per (event_id, revision), per dead-lettered offset.
    versions: dict[tuple[str, int], set[bytes]] = defaultdict(set)
    for e in events:
        assert e["key"].decode() == e["event_id"]
        versions[e["event_id"], e["revision"]].add(orjson.dumps(e, option=orjson.OPT_SORT_KEYS, default=str))
    differing = {k: len(v) for k, v in versions.items() if len(v) > 1}
    assert not differing, f"one (event_id, revision) with different contents: {differing}"
    letters: dict[str, set[bytes]] = defaultdict(set)
    for d in dead:  # the record's own "key" field (the original key, as text) overrides the message key
        letters[d["key"]].add(orjson.dumps(d, option=orjson.OPT_SORT_KEYS, default=str))
    assert all(len(v) == 1 for v in letters.values()), "one input dead-lettered with different contents"
    duplicates = len(events) - len(versions) + len(dead) - len(letters)

    reported = {rid for e in events for rid in e["report_ids"]}
    tally: Counter[str] = Counter()
    missing: list[str] = []  # "offset key (what it should have given)", for the failure message
    for offset, (key, _) in enumerate(replay.messages):  # one partition: the n-th message is at offset n
        predicted = replay.predicted[key]
        if key.decode() in letters:
            (letter,) = (json.loads(x) for x in letters[key.decode()])
            assert predicted.dead_letter is not None, (key, letter["reason"])
            assert letter["error_class"] == predicted.dead_letter.error_class, (key, letter["reason"])
            tally["dead letter"] += 1
        elif predicted.events and predicted.report_id in reported:
            tally["events"] += 1
        elif predicted.kind == "no_event" and predicted.report_id not in reported:
            tally["no event"] += 1  # committed past it, and neither an event nor a dead letter came of it
        else:
            missing.append(f"{offset} {key.decode()} ({predicted.kind})")
    assert set(letters) <= {k.decode() for k in replay.predicted}, "a dead letter for a message nobody sent"
    revisions: dict[str, int] = {}
    for event_id, revision in versions:
        revisions[event_id] = max(revision, revisions.get(event_id, 0))
    result = Reconciled(
        len(replay.messages), tally["events"], tally["dead letter"], tally["no event"], duplicates, revisions
    )
    assert result.lost == 0, f"{result.line('lost')}; missing at offsets: {', '.join(missing)}"
    return result


def expected_mix(replay: Replay) -> Counter[str]:
    return Counter(o.kind for o in replay.predicted.values())


@pytest.fixture(scope="module")
def replay(broker: Settings) -> Replay:
    built = build_replay(broker.max_report_bytes)
    mix = expected_mix(built)
    assert mix["events"] >= 100 and mix["no_event"] >= NO_EVENT and mix["dead_letter"] == INVALID, mix
    return built


@pytest.fixture(scope="module")
def one_worker_run(broker: Settings, replay: Replay, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Scenario 3, and the reference for the others: everything produced first, then one worker starts behind it."""
    settings = new_topic_set(broker)
    run_sync(produce_in_order(settings, replay.messages))
    worker = start_worker(settings, tmp_path_factory.mktemp("slow-consumer"))
    try:
        run_sync(wait_caught_up(settings, timeout=150))
        counts = worker_stats(worker)
        result = run_sync(reconcile(settings, replay))
    finally:
        stop_worker(worker)
    return {"result": result, "counts": counts}


def test_a_slow_consumer_behind_a_fast_producer_reconciles(one_worker_run, replay, figure):
    result, counts = one_worker_run["result"], one_worker_run["counts"]
    mix = expected_mix(replay)
    # No fault: the worker's own counters agree exactly, each input counted once.
    assert counts is not None
    assert counts["reports"] == len(replay.messages)
    assert counts["no_event"] == mix["no_event"] == result.no_event
    assert counts["dead_letter"] == mix["dead_letter"] == result.dead_letters
    assert result.duplicates == 0
    figure(result.line("slow consumer"))


async def replay_through_a_fault(
    settings: Settings,
    replay: Replay,
    tmp_path: Path,
    fault: Callable[[Worker], Awaitable[list[Worker] | None]],
    strike_after: int | None = None,
) -> Reconciled:
    """Replay to one worker, strike `fault(worker)` once it has counted `strike_after` reports (default: a third of
    the way in), and reconcile once the group has caught up. A fault that leaves the worker dead has it restarted
    under the same static member id (the broker hands its partitions straight back, no session timeout to wait
    out); the workers a fault starts (it returns them) run to the end with it."""
    workers = [start_worker(settings, tmp_path, instance_id="worker-1")]
    try:
        await produce_in_order(settings, replay.messages)
        await wait_counted(workers[0], len(replay.messages) // 3 if strike_after is None else strike_after)
        workers += await fault(workers[0]) or []
        assert (await group_lag(settings, [settings.reports_topic]))[settings.reports_topic], "struck after the end"
        if workers[0].proc.poll() is not None:
            workers[0] = start_worker(settings, tmp_path, instance_id="worker-1")
        await wait_caught_up(settings, timeout=150)
        result = await reconcile(settings, replay)
        result.counters = [await asyncio.to_thread(worker_stats, worker) for worker in workers]
        return result
    finally:
        for worker in workers:
            stop_worker(worker)


async def test_a_worker_killed_mid_replay_restarts_and_reconciles(broker, replay, one_worker_run, tmp_path, figure):
    async def sigkill(worker: Worker) -> None:
        kill_worker(worker)  # SIGKILL to the process group: no commit, no flush, no leave-group

    result = await replay_through_a_fault(new_topic_set(broker), replay, tmp_path, sigkill)
    assert result.revisions == one_worker_run["result"].revisions
    figure(result.line("kill -9"))


async def test_a_worker_killed_before_its_group_first_commits_restarts_and_reconciles(
    broker, replay, one_worker_run, tmp_path, figure
):
    """The restarted worker finds no committed offset: faust's seek after the rebalance used to leave the records it
    had fetched meanwhile undelivered and unacknowledged, and the group's commits stopped there for good
    (workers/rebalance_seek.py). Struck after the first report, well inside faust's first commit interval."""
    settings = new_topic_set(broker)
    committed_at_the_kill: list[int] = []

    async def sigkill_before_the_first_commit(worker: Worker) -> None:
        kill_worker(worker)
        lag = await group_lag(settings, [settings.reports_topic])
        committed_at_the_kill.append(len(replay.messages) - lag[settings.reports_topic])

    result = await replay_through_a_fault(settings, replay, tmp_path, sigkill_before_the_first_commit, strike_after=1)
    assert committed_at_the_kill == [0], "the worker committed before the kill: the scenario did not happen"
    assert result.revisions == one_worker_run["result"].revisions
    figure(result.line("kill -9 before the first commit"))


@pytest.fixture
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """A broker of the test's own, to stop and start again on the same port and data (not the session's broker)."""
    with EmbeddedBroker(tmp_path_factory.mktemp("own-broker"), port=free_port()) as embedded:
        yield embedded


async def test_a_broker_restarted_mid_replay_keeps_everything_and_reconciles(
    own_broker, replay, one_worker_run, tmp_path, figure
):
    async def restart_the_broker(worker: Worker) -> None:
        # Stopped as `rasad broker stop` does (noida-db's `stop kafka`, then the signal), while the worker sends.
        await asyncio.to_thread(own_broker.stop)
        # The worker goes down with it: noida-db brings the group back at generation 1, and a faust worker that
        # rejoins it can take records fetched before the restart for current ones (docs/operations.md).
        kill_worker(worker)
        await asyncio.sleep(2)
        await asyncio.to_thread(own_broker.start)

    settings = new_topic_set(Settings(broker=own_broker.bootstrap, data_dir=own_broker.data_dir))
    result = await replay_through_a_fault(settings, replay, tmp_path, restart_the_broker)
    assert result.revisions == one_worker_run["result"].revisions
    figure(result.line("broker restart"))


async def test_a_second_worker_joining_mid_replay_takes_partitions_and_reconciles(
    broker, replay, one_worker_run, tmp_path, figure
):
    settings = new_topic_set(broker)

    async def second_worker_joins(worker: Worker) -> list[Worker]:
        # A second worker takes about as long to start as the first takes to finish the replay, so the first is held
        # still (SIGSTOP), offsets uncommitted, until the second has asked to join: the partitions move mid-replay.
        # Both use static membership, as workers on noida-db must (docs/operations.md, "A second worker joining").
        os.killpg(worker.proc.pid, signal.SIGSTOP)
        try:
            second = start_worker(settings, tmp_path, name="worker-2", instance_id="worker-2")
            await second_member_listed(settings)
        finally:
            os.killpg(worker.proc.pid, signal.SIGCONT)
        return [second]

    result = await replay_through_a_fault(settings, replay, tmp_path, second_worker_joins)
    first, second = result.counters
    assert first is not None and second is not None
    # The second worker did part of the work: reports (if it took the replay's partition, it reads again from the
    # group's last commit) or extractions (event identity, for the areas whose partitions it took).
    assert second["reports"] + sum(n for key, n in second.items() if key.startswith("identity.")) > 0, second
    assert first["reports"] + second["reports"] >= len(replay.messages), (first, second)
    assert result.revisions == one_worker_run["result"].revisions
    figure(result.line("second worker joins"))


async def second_member_listed(settings: Settings, timeout: float = 90.0) -> None:
    """Return once the broker lists a second member in the app's group (noida-db lists a static member from its
    JoinGroup on, a dynamic one only once the join completes)."""
    deadline = asyncio.get_running_loop().time() + timeout
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        while len((await admin.describe_consumer_groups([settings.app_id]))[0].groups[0][5]) < 2:
            assert asyncio.get_running_loop().time() < deadline, f"no second member in {timeout:.0f} s"
            await asyncio.sleep(0.1)
    finally:
        await admin.close()
