"""A stopping worker does not wait a minute for faust's consumer thread when the broker is gone."""

from __future__ import annotations

import pytest
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

from workers.app import create_app
from workers.settings import Settings


@pytest.fixture(autouse=True)
def _restore_timeout():
    before = AIOKafkaConsumerThread.shutdown_timeout
    yield
    AIOKafkaConsumerThread.shutdown_timeout = before


def test_the_app_bounds_how_long_a_stop_waits_for_the_consumer_thread():
    AIOKafkaConsumerThread.shutdown_timeout = 60.0  # faust's (mode's) own wait, whatever an earlier test set
    create_app(Settings())
    assert AIOKafkaConsumerThread.shutdown_timeout == 10.0
    create_app(Settings.from_env({"RASAD_CONSUMER_STOP_TIMEOUT_S": "25"}))
    assert AIOKafkaConsumerThread.shutdown_timeout == 25.0


@pytest.mark.parametrize("raw", ["0", "-3"])
def test_a_stop_timeout_below_a_second_is_refused(raw):
    with pytest.raises(ValueError, match="CONSUMER_STOP_TIMEOUT_S"):
        Settings.from_env({"RASAD_CONSUMER_STOP_TIMEOUT_S": raw})
