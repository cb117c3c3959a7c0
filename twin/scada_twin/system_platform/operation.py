"""Long galaxy and node work (deploy, install, reboot, migrate) as steps on the scheduler.

An :class:`Operation` runs generator *steps* one after another on a host's scheduler: a step
changes state (under the model lock) and ``yield``s the modelled seconds until it continues;
nothing sleeps. The caller gets the operation at once and may :meth:`~Operation.wait` for it,
as a GRAccess call or setup.exe would block.

Its outcome is one :class:`Result` per object touched, in order, like GRAccess
``CommandResults`` (``successful``, ``message``), plus the messages the IDE logs.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import threading
from typing import Any, Callable, Generator, Iterable

from ..scheduler import Scheduler

Step = Generator[float, None, None]
_IDS = itertools.count(1)


@dataclasses.dataclass
class Result:
    object: str
    successful: bool
    message: str = ""
    skipped: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class Operation:
    def __init__(self, kind: str, scheduler: Scheduler, lock: threading.RLock,
                 on_done: Callable[["Operation"], None] | None = None) -> None:
        self.id = next(_IDS)
        self.kind = kind
        self.results: list[Result] = []
        self.messages: list[str] = []
        self.error: str | None = None      # a failure of the operation as a whole
        self.data: dict[str, Any] = {}     # what the kind adds (versions, ...)
        self._scheduler = scheduler
        self._lock = lock
        self._on_done = on_done
        self._steps: collections.deque[Step] = collections.deque()
        self._current: Step | None = None
        self._done = threading.Event()

    # -- outcome ---------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def succeeded(self) -> bool:
        """Done, no error, and every object result successful (CompletelySuccessful)."""
        return self.done and self.error is None and all(r.successful for r in self.results)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait (real seconds) until the operation ends; True when it did."""
        return self._done.wait(timeout)

    def result(self, name: str) -> Result | None:
        return next((r for r in self.results if r.object.lower() == name.lower()), None)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "done": self.done,
                "succeeded": self.succeeded, "error": self.error,
                "results": [r.as_dict() for r in self.results],
                "messages": list(self.messages), **self.data}

    # -- building and running (model side) -------------------------------------------------
    def ok(self, name: str, message: str = "", skipped: bool = False) -> None:
        self.results.append(Result(name, True, message, skipped))

    def fail(self, name: str, message: str) -> None:
        self.results.append(Result(name, False, message))

    def log(self, message: str) -> None:
        self.messages.append(message)

    def add(self, steps: Iterable[Step]) -> None:
        self._steps.extend(steps)

    def push(self, steps: Iterable[Step]) -> None:
        """Run ``steps`` next, before the rest (a step that expands into more work)."""
        self._steps.extendleft(reversed(list(steps)))

    def start(self) -> "Operation":
        self._scheduler.call_soon(self._advance)
        return self

    def _advance(self) -> None:
        with self._lock:
            while True:
                if self._current is None:
                    if not self._steps:
                        break
                    self._current = self._steps.popleft()
                try:
                    delay = next(self._current)
                except StopIteration:
                    self._current = None
                    continue
                except Exception as exc:  # a model bug: end the operation, not the scheduler
                    self._current = None
                    self._steps.clear()
                    self.error = f"internal error: {exc!r}"
                    break
                self._scheduler.call_later(max(0.0, float(delay)), self._advance)
                return
            if self._on_done is not None:
                self._on_done(self)
        self._done.set()
