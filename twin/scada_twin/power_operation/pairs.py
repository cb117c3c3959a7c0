"""Redundant pairs: configured roles, the live active server, and role changes on the timeline.

Two hosts whose ``products.power_operation.pair`` names match form a pair, one with
``configured_role: primary``, the other ``standby``. Which one is *active* is live state,
per server component (I/O, Alarm, Trend, Report), from the component's process:

- the primary is active while its process is Running;
- the standby is active while the primary's process is not Running and its own is;
- otherwise nobody is.

So a restart of the primary hands control to the standby and takes it back when the primary
runs again ("the system returns control of the I/O devices to the primary server").
Changes of the active I/O server are ``po.active`` timeline events, recorded under the pair's
name: {pair, active: host name or None, configured_role: of that host or None}.

The plant calls :func:`wire` once with all its hosts after building them.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Iterable

from ..spec import SpecError
from ..timeline import Timeline
from .availability import IO_SERVER, Availability, availability
from .errors import PowerOperationError

if TYPE_CHECKING:
    from .model import PowerOperation

_UNSET = object()


class Pair:
    def __init__(self, name: str, primary: "PowerOperation", standby: "PowerOperation",
                 timeline: Timeline) -> None:
        self.name = name
        self.primary = primary
        self.standby = standby
        self._timeline = timeline
        self._lock = threading.Lock()
        self._active: object = _UNSET  # host name of the active member, or None
        for member in (primary, standby):
            member.pair = self
            member.runtime.add_listener(self._changed)
        self._update()

    @property
    def members(self) -> tuple["PowerOperation", "PowerOperation"]:
        return self.primary, self.standby

    def partner(self, member: "PowerOperation") -> "PowerOperation":
        return self.standby if member is self.primary else self.primary

    def active(self, process: str = IO_SERVER) -> "PowerOperation | None":
        """The member active for ``process`` now (see the module doc), or None."""
        for member in self.members:
            if _runs(member, process):
                return member
        return None

    def availability(self, start: float = 0.0, end: float | None = None) -> Availability:
        """Gaps in which neither member's I/O Server ran (timeline seconds)."""
        hosts = [m.host_name for m in self.members]
        events = self._timeline.events()
        quiet = {m.host_name: _runs(m, IO_SERVER) for m in self.members
                 if not any(e.kind == "po.process" and e.host == m.host_name
                            and e.data.get("process") == IO_SERVER for e in events)}
        return availability(events, hosts, start=start, end=end, initially_running=quiet)

    def _changed(self, process: str, state: str) -> None:
        if process == IO_SERVER:
            self._update()

    def _update(self) -> None:
        with self._lock:
            member = self.active()
            name = member.host_name if member else None
            if name != self._active:
                self._active = name
                self._timeline.record(self.name, "po.active", pair=self.name, active=name,
                                      configured_role=member.configured_role if member else None)


def wire(hosts: Iterable[object]) -> dict[str, Pair]:
    """Form the pairs among ``hosts`` (objects with a ``power_operation`` attribute)."""
    by_pair: dict[str, list["PowerOperation"]] = {}
    for host in hosts:
        po = getattr(host, "power_operation", None)
        if po is not None and po.pair_name:
            by_pair.setdefault(po.pair_name, []).append(po)
    pairs = {}
    for name, members in by_pair.items():
        roles = sorted(m.configured_role or "" for m in members)
        if roles != ["primary", "standby"]:
            raise SpecError(f"pair {name!r} needs one primary and one standby host, "
                            f"found {[m.host_name for m in members]} with roles {roles}")
        primary, standby = sorted(members, key=lambda m: m.configured_role != "primary")
        pairs[name] = Pair(name, primary, standby, primary.timeline)
    return pairs


def is_active(member: "PowerOperation", process: str = IO_SERVER) -> bool:
    """Whether ``member`` is the active server for ``process`` (a lone server: if it runs)."""
    if member.pair is None:
        return _runs(member, process)
    return member.pair.active(process) is member


def live_role(member: "PowerOperation") -> str:
    """'active', 'standby' (running, partner active) or 'offline' (I/O Server not Running)."""
    if is_active(member):
        return "active"
    return "standby" if _runs(member, IO_SERVER) else "offline"


def _runs(member: "PowerOperation", process: str) -> bool:
    try:
        return member.runtime.process_state(process) == "Running"
    except PowerOperationError:
        return False  # a runtime without that process never serves it
