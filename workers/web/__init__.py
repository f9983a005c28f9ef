"""The live view: a map of the latest events and a list of alerts, served by the worker's own web server.

`register_web` is the one hook `workers.app.create_app` calls. It adds the page and its JSON views (views.py) and
an app task that fills the in-memory store (store.py) from every partition of the events, alerts and reports
topics (feed.py). `export_html` (static_export.py) writes the same map as one self-contained file.
"""

from __future__ import annotations

from typing import Any

from ..settings import Settings
from .static_export import export_html
from .store import LiveStore

__all__ = ["LiveStore", "export_html", "register_web"]


def register_web(app: Any, topics: Any, settings: Settings, store: LiveStore | None = None) -> LiveStore:
    """Serve the live view from `app`'s web server and keep its store fed while the worker runs."""
    from .feed import follow
    from .views import register_views

    store = store if store is not None else LiveStore()
    register_views(app, store)

    @app.task
    async def live_view_feed() -> None:
        await follow(settings, store)

    return store
