"""Integration fixtures: one real Kafka-protocol broker per test session.

With RASAD_BROKER set, tests use that broker (and the other RASAD_* variables) as is; otherwise an
embedded noida-db broker is started on a free port with a throwaway data dir and stopped at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.helpers import new_topic_set
from workers.broker import EmbeddedBroker, free_port
from workers.settings import Settings
from workers.topics import create_topics_sync

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only this folder's, so filter by path.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings pointing at a running broker on which every app topic exists."""
    if os.environ.get("RASAD_BROKER"):
        settings = Settings.from_env()
        create_topics_sync(settings)
        yield settings
        return
    data_dir = tmp_path_factory.mktemp("rasad-broker")
    with EmbeddedBroker(data_dir, port=free_port()) as embedded:
        # Built directly rather than from_env so a developer's RASAD_* variables cannot leak in.
        settings = Settings(broker=embedded.bootstrap, data_dir=data_dir)
        create_topics_sync(settings)
        yield settings


@pytest.fixture
def fresh_settings(broker: Settings) -> Settings:
    """Like `broker`, but with topic names and app id unique to this test, topics created.

    Keeps tests from seeing each other's messages or consumer-group offsets on the shared broker.
    """
    return new_topic_set(broker)
