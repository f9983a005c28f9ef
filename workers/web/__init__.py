"""The live view: a map of the latest events and a list of alerts, served by the worker's own web server.

`register_web` is the one hook `workers.app.create_app` calls. It adds the page and its JSON views (views.py) and
an app task that fills the in-memory store (store.py) from every partition of the events, alerts and reports
topics (feed.py): from the first request to the live view on (`live_view = "on-request"`, the default), from the
worker's start (`"always"`), or never (`"off"`: no page either). `export_html` (static_export.py) writes the same map
as one self-contained file.
"""

from __future__ import annotations

import asyncio
from typing import Any

from ..settings import Settings
from .static_export import export_html
from .store import LiveStore

__all__ = ["LiveStore", "export_html", "register_web"]


def register_web(app: Any, topics: Any, settings: Settings, store: LiveStore | None = None) -> LiveStore:
    """Serve the live view from `app`'s web server and keep its store fed while the worker runs.

    The feed reads every partition of three topics, reports included, in every worker of a group: about a tenth of
    a worker's CPU per report. With `live_view = "on-request"` it waits for the first request to the page or its
    JSON views; started then, it reads back the latest messages of each partition (as after a restart), so the page
    fills in within a poll or two and shows what it would have shown had the feed run all along.
    """
    from .feed import follow
    from .views import register_views

    store = store if store is not None else LiveStore()
    if settings.live_view == "off":
        return store
    wanted = asyncio.Event()
    if settings.live_view == "always":
        wanted.set()
    register_views(app, store, on_request=wanted.set)

    @app.task
    async def live_view_feed() -> None:
        await wanted.wait()
        await follow(settings, store)

    return store
