"""Availability of a redundant pair, read back from the timeline.

A *gap* is an interval in which no server of the pair is active (``po.active`` events of the
pair with ``active`` None, see ``pairs.py``): nobody talks to the field devices, whether both
I/O Servers were stopped or the active server died and its partner had not yet taken control.

Times are the timeline's seconds (real seconds since the plant started); divide by the cost
model's ``time_scale`` for modelled seconds (:meth:`Availability.modelled`).
"""

from __future__ import annotations

from typing import Iterable

from ..outages import Interval as Gap, Outages as Availability, outages
from ..timeline import Event

__all__ = ["IO_SERVER", "Availability", "Gap", "availability"]

IO_SERVER = "I/O Server"


def availability(events: Iterable[Event], pair: str, *, start: float = 0.0,
                 end: float | None = None) -> Availability:
    """Gaps of ``pair`` in ``[start, end]`` (``end`` default: the last of ``events``)."""
    events = list(events)
    relevant = sorted((e for e in events if e.kind == "po.active" and e.data.get("pair") == pair),
                      key=lambda e: e.seq)
    if end is None:
        end = max([start] + [e.time for e in events])
    changes = ((e.time, pair, e.data.get("active") is not None) for e in relevant)
    return outages(changes, {}, start=start, end=end)
