"""faust agents: deserialise at the edge, call plain Python, publish."""

from __future__ import annotations

from typing import Any

from ..settings import Settings
from .alerts import register_alerts
from .extract import register_extract
from .identity import register_identity


def register(app: Any, topics: Any, settings: Settings) -> None:
    """reports → extract → extractions (by area) → identity → events (by event_id, area's partition) → alert."""
    register_extract(app, topics, settings)
    register_identity(app, topics, settings)
    register_alerts(app, topics, settings)
