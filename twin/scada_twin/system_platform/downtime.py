"""Downtime of a redundant pair, read back from the timeline.

Downtime is every interval in which no engine of the pair has an ``Active*`` redundancy
status: nobody executes the pair's objects. Only ``sp.engine.status`` events of the pair
count; the pair's initial statuses are events too (``initial: true``), so the record is
complete from the plant's start.

Times are the timeline's seconds (real seconds since the plant started); divide by the cost
model's ``time_scale`` for modelled seconds (:meth:`Downtime.modelled`).
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from ..timeline import Event
from . import states


@dataclasses.dataclass(frozen=True)
class Interval:
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclasses.dataclass(frozen=True)
class Downtime:
    pair: str
    start: float
    end: float
    intervals: tuple[Interval, ...]

    @property
    def total(self) -> float:
        return sum(i.length for i in self.intervals)

    def modelled(self, time_scale: float) -> "Downtime":
        """The same intervals in modelled seconds."""
        return Downtime(self.pair, self.start / time_scale, self.end / time_scale,
                        tuple(Interval(i.start / time_scale, i.end / time_scale)
                              for i in self.intervals))


def downtime(events: Iterable[Event], pair: str, *, start: float = 0.0,
             end: float | None = None) -> Downtime:
    """Downtime of ``pair`` in ``[start, end]`` (``end`` default: the last event's time)."""
    events = sorted(events, key=lambda e: e.seq)
    if end is None:
        end = max([start] + [e.time for e in events])
    relevant = [e for e in events
                if e.kind == "sp.engine.status" and e.data.get("pair") == pair]
    active: dict[str, bool] = {}
    intervals: list[Interval] = []
    opened: float | None = None
    for event in relevant:
        if event.time > end:
            break
        active[event.data["engine"]] = states.is_active(event.data.get("status"))
        at = max(event.time, start)
        if opened is None and not any(active.values()):
            opened = at
        elif opened is not None and any(active.values()):
            if at > opened:
                intervals.append(Interval(opened, at))
            opened = None
    if opened is not None and end > opened:
        intervals.append(Interval(opened, end))
    return Downtime(pair, start, end, tuple(intervals))
