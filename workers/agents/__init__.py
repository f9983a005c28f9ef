"""faust agents: deserialise at the edge, call plain Python, publish."""

from __future__ import annotations

from typing import Any

from ..settings import Settings
from .alerts import register_alerts
from .extract import register_extract


def register(app: Any, topics: Any, settings: Settings) -> None:
    register_extract(app, topics, settings)
    register_alerts(app, topics, settings)
