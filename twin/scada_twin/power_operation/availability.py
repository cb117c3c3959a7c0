"""Availability of a redundant pair, read back from the timeline.

A *gap* is an interval in which no server of the pair has its I/O Server Running: nobody
talks to the field devices. Only ``po.process`` events for the I/O Server count. A server's
state before its first event is inferred from that event (Stopping means it was Running;
anything else means it was not), unless ``initially_running`` says otherwise; a server with
no events keeps its ``initially_running`` state (default: not running) throughout.

Times are the timeline's seconds (real seconds since the plant started); divide by the cost
model's ``time_scale`` for modelled seconds (:meth:`Availability.modelled`).
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Mapping, Sequence

from ..timeline import Event

IO_SERVER = "I/O Server"


@dataclasses.dataclass(frozen=True)
class Gap:
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclasses.dataclass(frozen=True)
class Availability:
    start: float
    end: float
    gaps: tuple[Gap, ...]

    @property
    def total(self) -> float:
        """Total length of the gaps."""
        return sum(g.length for g in self.gaps)

    def modelled(self, time_scale: float) -> "Availability":
        """The same intervals in modelled seconds."""
        def scale(t: float) -> float:
            return t / time_scale
        return Availability(scale(self.start), scale(self.end),
                            tuple(Gap(scale(g.start), scale(g.end)) for g in self.gaps))


def availability(events: Iterable[Event], hosts: Sequence[str], *, start: float = 0.0,
                 end: float | None = None, process: str = IO_SERVER,
                 initially_running: Mapping[str, bool] | None = None) -> Availability:
    """Gaps in ``[start, end]`` (``end`` default: the last of ``events``) for ``hosts``."""
    events = sorted(events, key=lambda e: e.seq)
    if end is None:
        end = max([start] + [e.time for e in events])
    relevant = [e for e in events if e.kind == "po.process" and e.host in hosts
                and e.data.get("process") == process]
    running = {h: _initial(h, relevant, initially_running or {}) for h in hosts}
    gaps: list[Gap] = []
    opened = start if not any(running.values()) else None
    for event in relevant:
        if event.time > end:
            break
        running[event.host] = event.data.get("state") == "Running"
        at = max(event.time, start)
        if opened is None and not any(running.values()):
            opened = at
        elif opened is not None and any(running.values()):
            if at > opened:
                gaps.append(Gap(opened, at))
            opened = None
    if opened is not None and end > opened:
        gaps.append(Gap(opened, end))
    return Availability(start, end, tuple(gaps))


def _initial(host: str, events: list[Event], given: Mapping[str, bool]) -> bool:
    if host in given:
        return given[host]
    first = next((e for e in events if e.host == host), None)
    return first is not None and first.data.get("state") == "Stopping"
