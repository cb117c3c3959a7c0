"""Downtime of a redundant pair, read back from the timeline.

Downtime is every interval in which no engine of the pair has an ``Active*`` redundancy
status: nobody executes the pair's objects. Only ``sp.engine.status`` events of the pair
count; the pair's initial statuses are events too (``initial: true``), so the record is
complete from the plant's start.

Times are the timeline's seconds (real seconds since the plant started); divide by the cost
model's ``time_scale`` for modelled seconds (:meth:`Downtime.modelled`).
"""

from __future__ import annotations

from typing import Iterable

from ..outages import Interval, Outages as Downtime, outages
from ..timeline import Event
from . import states

__all__ = ["Downtime", "Interval", "downtime", "without_redundancy"]


def downtime(events: Iterable[Event], pair: str, *, start: float = 0.0,
             end: float | None = None) -> Downtime:
    """Downtime of ``pair`` in ``[start, end]`` (``end`` default: the last event's time)."""
    events = sorted(events, key=lambda e: e.seq)
    if end is None:
        end = max([start] + [e.time for e in events])
    changes = ((e.time, e.data["engine"], states.is_active(e.data.get("status")))
               for e in events if e.kind == "sp.engine.status" and e.data.get("pair") == pair)
    return outages(changes, {}, start=start, end=end)


def without_redundancy(events: Iterable[Event], pair: str, *, start: float = 0.0,
                       end: float | None = None) -> Downtime:
    """Intervals of ``pair`` in ``[start, end]`` without redundancy: not one engine ``Active``
    and its partner ``Standby - Ready`` (an engine upgraded alone runs ``Active - Upgrade`` or
    ``Active - Partner not Upgraded``; a partner syncing, shut down or missing is not ready)."""
    events = sorted(events, key=lambda e: e.seq)
    if end is None:
        end = max([start] + [e.time for e in events])
    statuses: dict[str, str | None] = {}
    changes = []
    for event in events:
        if event.kind == "sp.engine.status" and event.data.get("pair") == pair:
            statuses[event.data["engine"]] = event.data.get("status")
            if len(statuses) < 2:
                continue  # the pair's initial statuses arrive one engine at a time
            redundant = sorted(str(s) for s in statuses.values()) == [states.ACTIVE, states.STANDBY_READY]
            changes.append((event.time, pair, redundant))
    return outages(changes, {}, start=start, end=end)
