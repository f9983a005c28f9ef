"""faust's Worker leaves the root logger at DEBUG for its spinner: the app puts it back at its handlers' level."""

from __future__ import annotations

import logging

from faust.utils.terminal.spinners import Spinner, SpinnerHandler

from workers.app import undo_spinner_debug_level


def _worker_root(level: int, spinner: bool) -> logging.Logger:
    """A root logger as faust.Worker leaves it: the output handler at `level`; with the spinner, also a spinner
    handler and the logger itself at DEBUG."""
    root = logging.Logger("root-as-faust-leaves-it")
    root.addHandler(logging.StreamHandler())
    root.handlers[0].setLevel(level)
    root.setLevel(level)
    if spinner:
        root.addHandler(SpinnerHandler(Spinner(), level=logging.DEBUG))
        root.setLevel(logging.DEBUG)
    return root


def test_the_spinners_debug_level_is_undone() -> None:
    root = _worker_root(logging.WARNING, spinner=True)
    assert root.isEnabledFor(logging.DEBUG)
    assert undo_spinner_debug_level(root)
    assert root.level == logging.WARNING
    assert root.getEffectiveLevel() == logging.WARNING  # (a standalone logger keeps its isEnabledFor cache)


def test_a_debug_worker_keeps_its_debug_records() -> None:
    root = _worker_root(logging.DEBUG, spinner=False)  # faust drops the spinner below WARNING
    assert not undo_spinner_debug_level(root)
    assert root.isEnabledFor(logging.DEBUG)
