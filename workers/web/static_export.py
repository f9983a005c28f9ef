"""The live view's map as ONE self-contained HTML file (Leaflet, styles, script and data inline) for a set of events.

For reports and e-mail: the file opens in any browser with no server and no network (the offline base map is
inline too; OpenStreetMap tiles are used when the reader happens to be online).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .page import render_page
from .store import LiveStore

__all__ = ["export_html", "render_export"]


def _as_dict(item: Any) -> dict[str, Any]:
    """Events and alerts as dicts: JSON-ready dicts pass through, records (workers.records) are converted."""
    return item if isinstance(item, dict) else item.to_dict()


def render_export(
    events: Iterable[Any],
    alerts: Iterable[Any] = (),
    reports: Iterable[Mapping[str, Any]] = (),
    title: str | None = None,
) -> str:
    """The export page as a string. Events are reduced to the latest revision per event_id, as on the live page;
    `reports` (report dicts, or just {id, url, source}) give the links to the contributing reports."""
    store = LiveStore(event_capacity=10**9, alert_capacity=10**9, report_capacity=10**9)
    for report in reports:
        store.add_report(report)
    for event in events:
        store.add_event(_as_dict(event))
    for alert in alerts:
        store.add_alert(_as_dict(alert))
    # In day order, so that within a day the page's lists (latest day first, then latest arrival) are stable.
    ordered = sorted(store.events.changed_since(0), key=lambda e: (str(e.get("event_date")), str(e["event_id"])))
    alert_list = sorted(store.alerts.changed_since(0), key=lambda a: str((a.get("window") or {}).get("start")))
    config = {
        "mode": "static",
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "events": [store.event_view(e) for e in ordered],
        "alerts": alert_list,
    }
    return render_page(config, inline=True, title=title or f"rasad — رصد · {len(ordered)} events")


def export_html(
    events: Iterable[Any],
    alerts: Iterable[Any],
    path: str | Path,
    *,
    reports: Iterable[Mapping[str, Any]] = (),
    title: str | None = None,
) -> Path:
    """Write the map of `events` (event dicts as on rasad.events, or Event records) and `alerts` to `path` as one
    HTML file that needs nothing else; returns the path."""
    out = Path(path)
    out.write_text(render_export(events, alerts, reports, title), encoding="utf-8")
    return out
