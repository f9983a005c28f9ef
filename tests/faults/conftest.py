"""Fault-suite fixtures: the integration tier's real broker, and the figures printed at the end of the run.

`broker` and `fresh_settings` are the integration fixtures themselves, re-exported so tests here run on the same
kind of broker (pytest gives this folder its own session broker).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.integration.conftest import broker, fresh_settings

__all__ = ["broker", "figure", "fresh_settings"]

_FIGURES: list[str] = []


@pytest.fixture
def figure() -> Callable[[str], None]:
    """Record a figure line ("faults: N inputs tried, …") to print in the run's summary, whatever the capture."""

    def record(line: str) -> None:
        print(line)
        _FIGURES.append(line)

    return record


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("fault figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
