"""When the live view's feed starts (settings.live_view): at the view's first request, with the worker, or never."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from workers.settings import Settings
from workers.web import feed, register_web


class FakeWeb:
    def bytes(self, body: bytes, **kwargs: Any) -> bytes:
        return body

    def html(self, body: str, **kwargs: Any) -> str:
        return body

    def add_static(self, prefix: str, path: Any) -> None:
        pass


class FakeRequest:
    def __init__(self) -> None:
        self.query: dict[str, str] = {}


class FakeApp:
    """What register_web uses of a faust App: pages, tasks and the web server's static route."""

    def __init__(self) -> None:
        self.pages: dict[str, Any] = {}
        self.tasks: list[Any] = []
        self.web = FakeWeb()

    def page(self, path: str, name: str | None = None) -> Any:
        def add(handler: Any) -> Any:
            self.pages[path] = handler
            return handler

        return add

    def task(self, fn: Any) -> Any:
        self.tasks.append(fn)
        return fn


@pytest.fixture
def followed(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []

    async def follow(settings: Settings, store: Any) -> None:
        calls.append(store)

    monkeypatch.setattr(feed, "follow", follow)
    return calls


async def _run_task(app: FakeApp, request: str | None = None) -> bool:
    """Start the feed task, make `request` (a page path) if given; True when the feed was followed."""
    task = asyncio.create_task(app.tasks[0]())
    await asyncio.sleep(0.01)
    if request is not None:
        await app.pages[request](app.web, FakeRequest())
    try:
        await asyncio.wait_for(task, 0.5)
    except TimeoutError:
        return False
    return True


def test_the_default_is_on_request() -> None:
    assert Settings().live_view == "on-request"
    assert Settings.from_env({"RASAD_LIVE_VIEW": "Always"}).live_view == "always"
    with pytest.raises(ValueError, match="RASAD_LIVE_VIEW"):
        Settings.from_env({"RASAD_LIVE_VIEW": "sometimes"})


@pytest.mark.parametrize("path", ["/", "/events", "/alerts"])
async def test_on_request_the_feed_waits_for_the_view_to_be_asked(followed: list[Any], path: str) -> None:
    app = FakeApp()
    register_web(app, None, Settings(live_view="on-request"))
    assert not await _run_task(app)  # nobody asked: no consumer
    assert followed == []
    app = FakeApp()
    register_web(app, None, Settings(live_view="on-request"))
    assert await _run_task(app, request=path)
    assert len(followed) == 1


async def test_always_starts_with_the_worker(followed: list[Any]) -> None:
    app = FakeApp()
    register_web(app, None, Settings(live_view="always"))
    assert await _run_task(app)
    assert len(followed) == 1


def test_off_serves_no_view_and_runs_no_feed() -> None:
    app = FakeApp()
    register_web(app, None, Settings(live_view="off"))
    assert app.pages == {} and app.tasks == []
