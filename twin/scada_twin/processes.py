"""The processes of a twin host that the agent's verbs can see by id: each agent PowerShell
while it runs, and the detached setup runner.

Windows gives every process an id, reused only after the process ended, and a start time
(Microsoft, "Process.Id", "Process.StartTime"): the pair names one process. The twin counts
ids up from 4100 and never reuses one.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading

from .wallclock import round_trip_now


@dataclasses.dataclass
class ProcessEntry:
    pid: int
    name: str
    started: str
    exited: threading.Event


class ProcessTable:
    def __init__(self) -> None:
        self._ids = itertools.count(4100)
        self._lock = threading.Lock()
        self._running: dict[int, ProcessEntry] = {}

    def start(self, name: str) -> ProcessEntry:
        """A new running process."""
        with self._lock:
            entry = ProcessEntry(next(self._ids), name, round_trip_now(), threading.Event())
            self._running[entry.pid] = entry
            return entry

    def exit(self, pid: int) -> None:
        """The process ended: it can no longer be found by its id."""
        with self._lock:
            entry = self._running.pop(pid, None)
        if entry is not None:
            entry.exited.set()

    def get(self, pid: int) -> ProcessEntry | None:
        """Get-Process -Id: the running process with that id, or None."""
        with self._lock:
            return self._running.get(pid)
