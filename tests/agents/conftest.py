"""Agent-test fixtures: the app with memory tables, and a stand-in for Topic.send."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from unittest.mock import AsyncMock

import pytest

from workers.app import create_app
from workers.settings import Settings


def make_app(settings: Settings) -> tuple:
    """The app with memory tables, finalized and flowing, ready for agents' test_context."""
    app, topics = create_app(settings)
    app.finalize()
    app.conf.store = "memory://"
    app.flow_control.resume()
    return app, topics


@pytest.fixture
def app_and_topics():
    return make_app(Settings(store="memory://", web_port=6099))


@pytest.fixture
def acked_send() -> Callable[[], AsyncMock]:
    """Makes a stand-in for Topic.send that records its calls and returns what faust's does: a future the broker's
    acknowledgement resolves (here already resolved), which agents await before recording a message as sent."""

    def make() -> AsyncMock:
        ack = asyncio.get_running_loop().create_future()
        ack.set_result(None)
        return AsyncMock(return_value=ack)

    return make
