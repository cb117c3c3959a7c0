"""Timed state transitions on the cost model's scaled clock: one thread, one heap.

Models never sleep to make something happen later (a process reaching Running 20 modelled
seconds after Starting, a service leaving StopPending): they schedule a callback here, and
the callback changes the state and records the timeline event *when* it happens, so the
timeline's clock and the state a client reads always agree.

Callbacks run one at a time on the scheduler's thread, in due order (ties in the order they
were scheduled). They must be short and must not block. Tests wait with :meth:`wait_idle` or
:meth:`wait_for` instead of sleeping.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from typing import Any, Callable

from .costs import CostModel

_log = logging.getLogger(__name__)


class Timer:
    """A scheduled callback; :meth:`cancel` stops it from running if it has not yet."""

    __slots__ = ("due", "seq", "fn", "args", "cancelled", "_owner")

    def __init__(self, owner: "Scheduler", due: float, seq: int, fn: Callable[..., Any],
                 args: tuple[Any, ...]) -> None:
        self._owner = owner
        self.due = due
        self.seq = seq
        self.fn = fn
        self.args = args
        self.cancelled = False

    def __lt__(self, other: "Timer") -> bool:
        return (self.due, self.seq) < (other.due, other.seq)

    def cancel(self) -> bool:
        """Return True when this call prevented the callback from running."""
        return self._owner._cancel(self)


class SchedulerStopped(RuntimeError):
    """Scheduling on a stopped scheduler: the host is shutting down."""


class Scheduler:
    def __init__(self, costs: CostModel, name: str = "scheduler") -> None:
        self.costs = costs
        self.name = name
        self._cond = threading.Condition()
        self._heap: list[Timer] = []
        self._seq = itertools.count()
        self._live = 0          # scheduled, not cancelled, not yet run
        self._running = False   # a callback is executing right now
        self._generation = 0    # bumped after every callback, for wait_for
        self._stopped = False
        self._thread: threading.Thread | None = None

    # -- scheduling ------------------------------------------------------------------------
    def call_later(self, modelled_seconds: float, fn: Callable[..., Any], *args: Any) -> Timer:
        """Run ``fn(*args)`` after ``modelled_seconds`` of modelled time."""
        due = time.monotonic() + self.costs.scaled(modelled_seconds)
        with self._cond:
            if self._stopped:
                raise SchedulerStopped(f"{self.name} is stopped")
            timer = Timer(self, due, next(self._seq), fn, args)
            heapq.heappush(self._heap, timer)
            self._live += 1
            self._ensure_thread()
            self._cond.notify_all()
            return timer

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> Timer:
        return self.call_later(0.0, fn, *args)

    @property
    def pending(self) -> int:
        """Callbacks scheduled and not yet run or cancelled."""
        with self._cond:
            return self._live

    # -- waiting (tests, handlers that block like the vendor UI does) ----------------------
    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until nothing is scheduled or running; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._live or self._running:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    def wait_for(self, predicate: Callable[[], bool], timeout: float | None = None) -> bool:
        """Wait until ``predicate()`` holds, re-checking after every callback.

        The predicate always runs outside the scheduler's lock, so it may take model locks.
        While nothing is scheduled it is re-checked every 50 ms (another thread may act).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._cond:
                seen = self._generation
            if predicate():
                return True
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            with self._cond:
                idle = not (self._live or self._running)
                limit = min(remaining or 0.05, 0.05) if idle else remaining
                self._cond.wait_for(lambda: self._generation != seen, limit)

    # -- lifecycle -------------------------------------------------------------------------
    def stop(self) -> None:
        """Drop every pending callback and end the thread; later scheduling raises."""
        with self._cond:
            self._stopped = True
            for timer in self._heap:
                timer.cancelled = True
            self._heap.clear()
            self._live = 0
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def _cancel(self, timer: Timer) -> bool:
        with self._cond:
            if timer.cancelled or timer not in self._heap:
                return False
            timer.cancelled = True
            self._live -= 1
            self._cond.notify_all()
            return True

    def _run(self) -> None:
        while True:
            with self._cond:
                timer = self._next_due()
                if timer is None:
                    return
                self._running = True
            try:
                timer.fn(*timer.args)
            except Exception:  # a model bug must not kill every later transition
                _log.exception("%s: callback %r failed", self.name, timer.fn)
            finally:
                with self._cond:
                    self._running = False
                    self._generation += 1
                    self._cond.notify_all()

    def _next_due(self) -> Timer | None:
        """Pop the next live timer once it is due (called with the lock held)."""
        while not self._stopped:
            while self._heap and self._heap[0].cancelled:
                heapq.heappop(self._heap)
            if not self._heap:
                self._cond.wait()
                continue
            delay = self._heap[0].due - time.monotonic()
            if delay > 0:
                self._cond.wait(delay)
                continue
            timer = heapq.heappop(self._heap)
            self._live -= 1
            return timer
        return None
