"""Outages of a redundant pair, read back from the timeline: when no member was serving.

Both products ask the same question of their own events: a Power Operation pair is out while
no server runs its I/O Server; a System Platform engine pair is out while no engine is
Active. Each product turns its events into (time, member, serving) changes; this module finds
the intervals in which no member served.

Times are the timeline's seconds (real seconds since the plant started); divide by the cost
model's ``time_scale`` for modelled seconds (:meth:`Outages.modelled`).
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Mapping


@dataclasses.dataclass(frozen=True)
class Interval:
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclasses.dataclass(frozen=True)
class Outages:
    start: float
    end: float
    intervals: tuple[Interval, ...]

    @property
    def total(self) -> float:
        """Total length of the intervals."""
        return sum(i.length for i in self.intervals)

    def modelled(self, time_scale: float) -> "Outages":
        """The same intervals in modelled seconds."""
        return Outages(self.start / time_scale, self.end / time_scale,
                       tuple(Interval(i.start / time_scale, i.end / time_scale)
                             for i in self.intervals))


def outages(changes: Iterable[tuple[float, str, bool]], serving: Mapping[str, bool], *,
            start: float, end: float) -> Outages:
    """Intervals in ``[start, end]`` in which no member served.

    ``changes`` are (time, member, serving) in timeline order; ``serving`` is each member's
    state before its first change. With ``serving`` empty nothing is known before the first
    change, so no outage can start earlier.
    """
    state = dict(serving)
    intervals: list[Interval] = []
    opened = start if state and not any(state.values()) else None
    for time, member, up in changes:
        if time > end:
            break
        state[member] = up
        at = max(time, start)
        if opened is None and not any(state.values()):
            opened = at
        elif opened is not None and any(state.values()):
            if at > opened:
                intervals.append(Interval(opened, at))
            opened = None
    if opened is not None and end > opened:
        intervals.append(Interval(opened, end))
    return Outages(start, end, tuple(intervals))
