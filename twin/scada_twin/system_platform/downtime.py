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

__all__ = ["Downtime", "Interval", "downtime"]


def downtime(events: Iterable[Event], pair: str, *, start: float = 0.0,
             end: float | None = None) -> Downtime:
    """Downtime of ``pair`` in ``[start, end]`` (``end`` default: the last event's time)."""
    events = sorted(events, key=lambda e: e.seq)
    if end is None:
        end = max([start] + [e.time for e in events])
    changes = ((e.time, e.data["engine"], states.is_active(e.data.get("status")))
               for e in events if e.kind == "sp.engine.status" and e.data.get("pair") == pair)
    return outages(changes, {}, start=start, end=end)
