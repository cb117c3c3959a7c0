"""An ordered, thread-safe record of everything that happened in the plant.

Tests prove the procedure's order from it (both backups before the first change, every standby
step before the first primary change); the run report draws the pair's availability from it.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from typing import Any


@dataclasses.dataclass(frozen=True)
class Event:
    seq: int
    time: float
    host: str
    kind: str
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "time": self.time, "host": self.host, "kind": self.kind,
                "data": self.data}


class Timeline:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[Event] = []
        self._start = time.monotonic()

    def record(self, host: str, kind: str, **data: Any) -> Event:
        with self._lock:
            event = Event(len(self._events), time.monotonic() - self._start, host, kind, data)
            self._events.append(event)
            return event

    def events(self, host: str | None = None, kind: str | None = None) -> list[Event]:
        with self._lock:
            return [e for e in self._events
                    if (host is None or e.host == host) and (kind is None or e.kind == kind)]

    def clear(self) -> None:
        with self._lock:
            self._events.clear()
            self._start = time.monotonic()
