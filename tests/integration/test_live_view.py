"""The live view end to end: a real worker on the real broker serves the map page, and headless Chromium watches
events, a revision and alerts arrive without reloading, filters them, and opens an event's popup.

Writes tests/artifacts/live-view.png; with RASAD_DOCS_SCREENSHOT=1 also docs/live-view.png (the README's picture).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from aiokafka import AIOKafkaProducer

from tests.integration.helpers import collect, produce, running_worker
from workers.broker import free_port
from workers.handling import handle
from workers.web import export_html
from workers.web.feed import run_feed
from workers.web.store import LiveStore

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# Playwright adds --headless and --user-data-dir (a fresh profile per test) itself.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"no {CHROMIUM}: this live view test needs Debian's chromium package"
)


async def wait_until_serving(url: str, worker: Any, timeout: float = 120.0) -> None:
    """Until the worker's web server answers `url` with 200; fail early if the worker died."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while True:
            assert worker.poll() is None, "the worker exited; see worker.log"
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            assert time.monotonic() < deadline, f"{url} did not answer within {timeout} s"
            await asyncio.sleep(0.25)


async def get_json(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.json()


@asynccontextmanager
async def browser_page(profile: Path) -> AsyncIterator[tuple[Any, list[str]]]:
    """A page in headless Chromium, and the script errors it raises."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        context = await pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 860},
            locale="en-GB",
        )
        try:
            page = context.pages[0] if context.pages else await context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            # As if offline whatever this machine can reach: the page must notice and draw its own base map.
            await page.route("https://tile.openstreetmap.org/**", lambda route: route.abort("internetdisconnected"))
            yield page, errors
        finally:
            await context.close()


async def send_event(settings: Any, event: dict[str, Any]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(settings.events_topic, key=event["event_id"].encode(), value=orjson.dumps(event))
    finally:
        await producer.stop()


async def open_popup(page: Any, event: dict[str, Any]) -> Any:
    """Click the event's marker; check and return its popup."""
    await page.locator(marker(event["event_id"])).click()
    popup = page.locator(f'.ev-popup[data-event-id="{event["event_id"]}"]')
    await popup.wait_for()
    place = popup.locator('.place [lang="ar"]')
    assert await place.text_content() == event["location_ar"]
    assert await place.get_attribute("dir") == "rtl"
    assert (event["location"] or "") in await popup.text_content()
    notes = popup.locator("blockquote.notes")
    assert await notes.get_attribute("dir") == "rtl" and await notes.get_attribute("lang") == "ar"
    assert await notes.locator("mark").count() > 0  # the evidence spans, highlighted
    for report_id in event["report_ids"]:
        assert await popup.locator(f'[data-report-id="{report_id}"]').count() == 1
    return popup


def marker(event_id: str) -> str:
    return f'path.rasad-marker[data-event-id="{event_id}"]'


@needs_chromium
async def test_live_view_shows_events_revisions_and_alerts_as_they_arrive(fresh_settings, example_reports, tmp_path):
    # The reports that yield events (the extract agent runs this very function); every one must reach the map.
    with_events = {r["id"] for r in example_reports.values() if handle(orjson.dumps(r), 10**7).events}
    assert with_events, "the extractor found no event in the example reports"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with running_worker(fresh_settings, tmp_path, web_port=port) as worker:
        await wait_until_serving(base + "events", worker)
        async with browser_page(tmp_path / "chromium-profile") as (page, errors):
            await page.goto(base)
            await page.wait_for_selector("#status.live")
            assert await page.locator("path.rasad-marker").count() == 0

            # Reports go in while the page is open: what follows must arrive without a reload.
            await produce(fresh_settings, [(r["id"].encode(), orjson.dumps(r)) for r in example_reports.values()])
            messages = await collect(
                fresh_settings,
                fresh_settings.events_topic,
                lambda ms: with_events <= {i for m in ms for i in m["report_ids"]},
            )
            events = {m["event_id"]: {k: v for k, v in m.items() if k != "key"} for m in messages}
            on_map = {i: e for i, e in events.items() if e["latitude"] is not None}
            for event_id in on_map:
                await page.wait_for_selector(marker(event_id), state="attached")

            # The biggest tolls raise alerts, listed beside the map.
            alerts = await collect(fresh_settings, fresh_settings.alerts_topic, lambda ms: len(ms) > 0)
            for alert in alerts:
                await page.wait_for_selector(f'#alerts li[data-alert-id="{alert["alert_id"]}"]')

            # A later revision of the same event replaces it in place: one marker, the new toll. (Far ahead of any
            # revision the identity agent may still publish for it, which the view then ignores as older.)
            battle = max(on_map.values(), key=lambda e: e["fatalities"] or 0)
            revised = {**battle, "revision": battle["revision"] + 100, "fatalities": battle["fatalities"] + 2}
            await send_event(fresh_settings, revised)
            await page.wait_for_selector(f'{marker(battle["event_id"])}[data-revision="{revised["revision"]}"]')
            assert await page.locator(marker(battle["event_id"])).count() == 1

            # The JSON views: the latest revision, filters, and a readable error for a bad parameter.
            status, body = await get_json(base + f"events?admin1={battle['admin1_pcode']}")
            assert status == 200 and {e["admin1_pcode"] for e in body["events"]} == {battle["admin1_pcode"]}
            shown = next(e for e in body["events"] if e["event_id"] == battle["event_id"])
            assert {k: v for k, v in shown.items() if k != "reports"} == revised
            status, body = await get_json(base + "alerts")
            assert status == 200 and {a["alert_id"] for a in alerts} <= {a["alert_id"] for a in body["alerts"]}
            status, body = await get_json(base + "events?since=yesterday")
            assert status == 400 and "since" in body["error"]
            # Links to the contributing reports: the feed keeps each report's URL.
            linked = next(e for e in on_map.values() if example_reports[e["report_id"]].get("url"))
            status, body = await get_json(base + f"events/{linked['event_id']}")
            assert status == 200 and body["reports"][0]["url"] == example_reports[linked["report_id"]]["url"]

            # Filters: another governorate hides this event's marker; clearing brings it back.
            other = next((e for e in on_map.values() if e["admin1_pcode"] != battle["admin1_pcode"]), None)
            if other is not None:
                await page.select_option("select[name=admin1]", other["admin1_pcode"])
                await page.wait_for_selector(marker(battle["event_id"]), state="detached")
                await page.wait_for_selector(marker(other["event_id"]), state="attached")
                await page.click("button[type=reset]")
                await page.wait_for_selector(marker(battle["event_id"]), state="attached")

            # Clicking a marker opens the event: Arabic place (right to left), English name, toll, evidence, reports.
            popup = await open_popup(page, battle)
            assert f"{revised['fatalities']} killed" in await popup.text_content()
            await page.click(".leaflet-popup-close-button")
            await popup.wait_for(state="detached")
            # Clicking an alert opens its event on the map.
            listed = next(a for a in alerts if set(a["event_ids"]) & set(on_map))
            await page.click(f'#alerts li[data-alert-id="{listed["alert_id"]}"]')
            await page.wait_for_selector(".ev-popup")
            assert await page.locator(".ev-popup").get_attribute("data-event-id") in listed["event_ids"]
            await page.click(".leaflet-popup-close-button")
            await page.wait_for_selector(".ev-popup", state="detached")
            # The picture: the southernmost event's popup leaves the busy north-west in view, at the country's scale.
            await page.click(".rasad-home")
            await page.locator(".side").evaluate("side => side.scrollTo(0, 0)")
            await page.wait_for_function("!document.querySelector('.leaflet-pan-anim, .leaflet-zoom-anim')")
            await open_popup(page, min(on_map.values(), key=lambda e: e["latitude"]))
            assert errors == []

            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "live-view.png"
            await page.wait_for_function("!document.querySelector('.leaflet-pan-anim, .leaflet-zoom-anim')")
            await page.screenshot(path=str(shot))
    if os.environ.get("RASAD_DOCS_SCREENSHOT"):
        shutil.copyfile(shot, REPO / "docs" / "live-view.png")


@needs_chromium
async def test_the_export_opens_offline_with_its_markers(example_reports, tmp_path):
    events = [e for r in example_reports.values() for e in handle(orjson.dumps(r), 10**7).events]
    located = [e for e in events if e.latitude is not None]
    path = export_html(events, [], tmp_path / "map.html", reports=example_reports.values())
    async with browser_page(tmp_path / "chromium-profile") as (page, errors):
        await page.goto(path.as_uri())
        await page.wait_for_selector('body[data-mode="static"]')
        for e in located:
            await page.wait_for_selector(marker(e.event_id), state="attached")
        assert await page.locator("#events li").count() == len(events)
        await open_popup(page, located[0].to_dict())
        # No network here: the page falls back to the offline base map, governorates labelled.
        await page.wait_for_selector('body[data-basemap="offline"]')
        assert await page.locator(".gov-label").count() == 14
        assert errors == []


async def test_the_feed_reads_every_partition_and_reloads_only_the_latest(fresh_settings):
    """The worker's agents see only their partitions; the live view's feed must see them all, and on start read
    back only as many of each partition's latest messages as the store keeps."""
    producer = AIOKafkaProducer(bootstrap_servers=fresh_settings.bootstrap_servers)
    await producer.start()
    try:
        for partition in range(fresh_settings.partitions):
            for n in range(10):
                value = orjson.dumps({"event_id": f"p{partition}-{n}", "revision": 1, "event_date": "2018-02-10"})
                await producer.send_and_wait(fresh_settings.events_topic, value=value, partition=partition)
        store = LiveStore(event_capacity=3)
        feed = asyncio.create_task(run_feed(fresh_settings, store))
        try:
            # Each partition is read from 3 before its end: 3 puts per partition, the store keeps 3 of them.
            await wait_for(lambda: store.events.seq == 3 * fresh_settings.partitions)
            assert len(store.events) == 3
            assert all(int(e["event_id"].split("-")[1]) >= 7 for e in store.events.changed_since(0))
            # New messages on any partition arrive while it runs.
            last = fresh_settings.partitions - 1
            value = orjson.dumps({"event_id": "late", "revision": 1, "event_date": "2018-02-11"})
            await producer.send_and_wait(fresh_settings.events_topic, value=value, partition=last)
            await wait_for(lambda: "late" in store.events)
        finally:
            feed.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feed
    finally:
        await producer.stop()
    assert store.events.seq == 3 * fresh_settings.partitions + 1


async def wait_for(condition: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)
