# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress of long steps at default verbosity: a line when a wait that may last longer than
the interval starts (what, how long at most), then one every interval while the step runs
(the last state known, the time so far). Every state change still goes to ``-v``.

A step that blocks in one remote call (a compile, a deploy) learns nothing while it waits, so
the lines come from a timer thread beside it, not from the step's own loop.
"""

from __future__ import annotations

import os
import threading
import time
import typing as t

#: Seconds between lines; SCADA_REDUNDANCY_PROGRESS_INTERVAL overrides it (tests use 1).
DEFAULT_INTERVAL = 30.0
INTERVAL_ENV = "SCADA_REDUNDANCY_PROGRESS_INTERVAL"


def interval() -> float:
    try:
        return max(0.2, float(os.environ.get(INTERVAL_ENV, DEFAULT_INTERVAL)))
    except ValueError:
        return DEFAULT_INTERVAL


class Progress:
    """The progress of one task on one host. ``say`` prints at default verbosity, ``detail``
    at -v (an action plugin passes ``display.display`` and ``display.v``)."""

    def __init__(self, host: str, step: str, say: t.Callable[[str], None],
                 detail: t.Callable[[str], None], every: float | None = None,
                 clock: t.Callable[[], float] = time.monotonic) -> None:
        self.host, self.say, self.detail, self.clock = host, say, detail, clock
        self.every = every if every is not None else interval()
        self._lock = threading.Lock()
        self._what = step
        self._state = ""
        self._limit: float | None = None
        self._started = clock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "Progress":
        self._thread = threading.Thread(target=self._tick, name=f"progress-{self.host}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: t.Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def begin(self, what: str, limit: float | None) -> None:
        """A wait starts: said at once when it may outlast the interval."""
        with self._lock:
            self._what, self._state, self._limit, self._started = what, "", limit, self.clock()
        if limit is None or limit > self.every:
            bound = f", at most {limit:g}s" if limit is not None else ""
            self.say(f"{self.host}: {what}: started{bound}")

    def state(self, text: str) -> None:
        """What the wait last saw: at -v at once, and in the next line at default verbosity."""
        with self._lock:
            self._state = text
        self.detail(f"{self.host}: {text}")

    def _tick(self) -> None:
        while not self._stop.wait(self.every):
            with self._lock:
                what, state, limit, started = self._what, self._state, self._limit, self._started
            elapsed = self.clock() - started
            bound = f" of at most {limit:g}s" if limit is not None else ""
            last = f"; last seen: {state}" if state else ""
            self.say(f"{self.host}: {what}: {elapsed:.0f}s{bound}{last}")
