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

from typing import Iterable, Mapping, Sequence

from ..outages import Interval as Gap, Outages as Availability, outages
from ..timeline import Event

__all__ = ["IO_SERVER", "Availability", "Gap", "availability"]

IO_SERVER = "I/O Server"


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
    changes = ((e.time, e.host, e.data.get("state") == "Running") for e in relevant)
    return outages(changes, running, start=start, end=end)


def _initial(host: str, events: list[Event], given: Mapping[str, bool]) -> bool:
    if host in given:
        return given[host]
    first = next((e for e in events if e.host == host), None)
    return first is not None and first.data.get("state") == "Stopping"
