"""The benchmark harness leaves the broker as it found it: each run's topics are deleted after the run."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient

from bench.kafka import drop_run_topics, fresh, produce_all
from workers.settings import Settings
from workers.topics import changelog_topics


async def _topics(settings: Settings) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def test_a_runs_topics_and_faust_changelogs_are_deleted_and_no_others(broker: Settings):
    ended = await fresh(broker, "ended")
    other = await fresh(broker, "other")
    await produce_all(ended, ended.reports_topic, [(b"k", b"a report")])
    mine = {*ended.all_topics, *changelog_topics(ended)}
    assert mine <= await _topics(broker)

    dropped = await drop_run_topics(ended)

    assert set(dropped) == mine
    left = await _topics(broker)
    assert not mine & left
    assert {*other.all_topics, *changelog_topics(other)} <= left and set(broker.all_topics) <= left
