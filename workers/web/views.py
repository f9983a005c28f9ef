"""The worker's web views for the live view: the page at `/`, `/events`, `/events/{event_id}`, `/alerts`, `/static/`.

Handlers only parse the query, ask the store and serialise; filtering lives in store.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from .page import STATIC, render_page
from .store import LiveStore, parse_filter

# How often the page asks for changes; the views answer from memory, so this is cheap.
POLL_MS = 2000
NO_STORE = {"Cache-Control": "no-store"}


def _int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (query.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    return min(max(value, low), high)


def events_payload(store: LiveStore, query: Mapping[str, str]) -> dict[str, Any]:
    """The /events answer: events changed after `after` that pass the filter, most recent change first, at most
    `limit`, each with its report links; `seq` is the value to pass as `after` next time."""
    selected = parse_filter(query)
    after = _int(query, "after", 0, 0, 2**62)
    limit = _int(query, "limit", 1000, 1, store.events.capacity)
    events = [store.event_view(e) for e in store.events.changed_since(after) if selected.event(e)][:limit]
    return {"seq": store.events.seq, "count": len(events), "events": events}


def alerts_payload(store: LiveStore, query: Mapping[str, str]) -> dict[str, Any]:
    """The /alerts answer, like events_payload (filters: admin1, since, until, severity)."""
    selected = parse_filter(query)
    after = _int(query, "after", 0, 0, 2**62)
    limit = _int(query, "limit", 1000, 1, store.alerts.capacity)
    alerts = [a for a in store.alerts.changed_since(after) if selected.alert(a)][:limit]
    return {"seq": store.alerts.seq, "count": len(alerts), "alerts": alerts}


def register_views(app: Any, store: LiveStore, on_request: Callable[[], None] = lambda: None) -> None:
    """Add the live view's pages to the faust app's web server (before the worker starts). `on_request` is called
    on every request to the page or its JSON views (register_web starts the feed on the first)."""

    def json(web: Any, data: Any, status: int = 200) -> Any:
        return web.bytes(orjson.dumps(data), content_type="application/json", status=status, headers=dict(NO_STORE))

    def answer(web: Any, request: Any, payload: Any) -> Any:
        on_request()
        try:
            return json(web, payload(store, request.query))
        except ValueError as exc:
            return json(web, {"error": str(exc)}, status=400)

    @app.page("/", name="rasad.live_view")
    async def page(web: Any, request: Any) -> Any:
        on_request()
        config = {
            "mode": "live",
            "poll_ms": POLL_MS,
            "event_limit": store.events.capacity,
            "alert_limit": store.alerts.capacity,
        }
        return web.html(render_page(config, inline=False), headers=dict(NO_STORE))

    @app.page("/events", name="rasad.events")
    async def events(web: Any, request: Any) -> Any:
        return answer(web, request, events_payload)

    @app.page("/events/{event_id}", name="rasad.event")
    async def event(web: Any, request: Any, event_id: str) -> Any:
        on_request()
        found = store.events.get(event_id)
        if found is None:
            return json(web, {"error": f"no event {event_id!r} in the live view"}, status=404)
        return json(web, store.event_view(found))

    @app.page("/alerts", name="rasad.alerts")
    async def alerts(web: Any, request: Any) -> Any:
        return answer(web, request, alerts_payload)

    app.web.add_static("/static/", STATIC)
