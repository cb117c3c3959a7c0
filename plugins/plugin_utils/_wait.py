# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one waiting loop of the collection: probe, decide, report progress, back off.

Every wait (runtime processes reaching Running, a redundancy role settling, a deploy finishing)
goes through :func:`wait_for`, so timeouts, progress lines at -v and timings behave the same
everywhere. The clock and the sleep are injectable, so tests never sleep for real.
"""

from __future__ import annotations

import dataclasses
import time
import typing as t

T = t.TypeVar("T")


class WaitTimeout(Exception):
    """The condition did not hold in time; ``last`` is the last observed value."""

    def __init__(self, msg: str, last: t.Any, elapsed: float, probes: int,
                 seen: list[tuple[str, float]] | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.last = last
        self.elapsed = elapsed
        self.probes = probes
        self.seen = seen or []


@dataclasses.dataclass
class WaitResult(t.Generic[T]):
    value: T
    elapsed: float
    probes: int
    #: Each change of the described state, with the seconds into the wait it was seen.
    seen: list[tuple[str, float]] = dataclasses.field(default_factory=list)


def seen_text(seen: t.Sequence[tuple[str, float]]) -> str:
    """'up (0.0s), refused (3.1s), no answer (9.0s)': what a wait saw, for messages."""
    return ", ".join(f"{state} ({at:.1f}s)" for state, at in seen)


@dataclasses.dataclass
class Clock:
    """Real time by default; tests pass a fake with the same two callables."""

    now: t.Callable[[], float] = time.monotonic
    sleep: t.Callable[[float], None] = time.sleep


def wait_for(probe: t.Callable[[], T], done: t.Callable[[T], bool], *, timeout: float,
             interval: float, what: str, describe: t.Callable[[T], str] = str,
             progress: t.Callable[[str], None] | None = None, max_interval: float | None = None,
             backoff: float = 1.0, clock: Clock | None = None) -> WaitResult[T]:
    """Call ``probe`` until ``done(value)``; raise :class:`WaitTimeout` after ``timeout`` s.

    ``interval`` is the pause between probes, multiplied by ``backoff`` after each probe up to
    ``max_interval``. ``progress`` receives a line whenever the described state changes (an
    action plugin passes ``display.v``), so a long wait shows what it is waiting on without
    repeating itself. The pause never overshoots the deadline.
    """
    clock = clock or Clock()
    start = clock.now()
    deadline = start + timeout
    pause = interval
    probes = 0
    seen: list[tuple[str, float]] = []
    while True:
        value = probe()
        probes += 1
        elapsed = clock.now() - start
        description = describe(value)
        if not seen or description != seen[-1][0]:
            seen.append((description, round(elapsed, 1)))
            if progress is not None:
                progress(f"{what}: {description} ({elapsed:.1f}s)")
        if done(value):
            return WaitResult(value, elapsed, probes, seen)
        remaining = deadline - clock.now()
        if remaining <= 0:
            raise WaitTimeout(f"{what}: not done after {timeout:g}s; last state: {description}; "
                              f"seen: {seen_text(seen)}", value, elapsed, probes, seen)
        clock.sleep(min(pause, remaining))
        pause = min(pause * backoff, max_interval or pause * backoff)
