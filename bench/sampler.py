"""A tiny statistical profiler: a thread that samples the main thread's Python stack every millisecond or so.

Unlike cProfile it adds almost nothing to each call, so shares of time stay honest for code that makes
millions of small calls. It sees Python frames only: time in a C function (a regex, str.translate) counts
for the Python function that called it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from types import CodeType, TracebackType

Key = tuple[str, int, str]


def code_key(code: CodeType) -> Key:
    return code.co_filename, code.co_firstlineno, code.co_name


class Sampler:
    """Use as a context manager around the code to profile, on the thread that runs it."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.samples = 0
        self.own: Counter[Key] = Counter()
        self.inclusive: Counter[Key] = Counter()
        self._target = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._switch = sys.getswitchinterval()

    def __enter__(self) -> Sampler:
        self._target = threading.get_ident()
        # The sampler needs the GIL to look; a shorter switch interval lets it in about once per interval.
        sys.setswitchinterval(self.interval)
        self._thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        sys.setswitchinterval(self._switch)

    def _run(self) -> None:
        while not self._stop.is_set():
            frame = sys._current_frames().get(self._target)
            if frame is not None:
                self.samples += 1
                self.own[code_key(frame.f_code)] += 1
                seen: set[Key] = set()
                while frame is not None:
                    key = code_key(frame.f_code)
                    if key not in seen:
                        seen.add(key)
                        self.inclusive[key] += 1
                    frame = frame.f_back
            time.sleep(self.interval)
