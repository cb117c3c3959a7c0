"""Redundant pairs: configured roles, the live active server, and role changes on the timeline.

Two hosts whose ``products.power_operation.pair`` names match form a pair, one with
``configured_role: primary``, the other ``standby``. Which one is *active* is live state,
per server component (I/O, Alarm, Trend, Report), from the component's process:

- the primary is active while its process is Running and its host is operative;
- the standby is active while its own process is Running and its host operative, and it knows
  the primary does not serve: the primary's process stopped (a restart tells the partner), or
  the primary's host died (powered off, crashed: the ``down`` fault) and the standby has waited
  out ``[Alarm]MonitorRequestTimeout`` of its citect.ini (default 30 s) without an answer, so it
  "will regard itself as isolated and will become Primary" (AVEVA Plant SCADA,
  "[Alarm]MonitorRequestTimeout");
- otherwise nobody is: a dead active server leaves the plant unserved until its partner
  notices, and the availability measure counts that interval.

So a restart of the primary hands control to the standby and takes it back when the primary
runs again ("the system returns control of the I/O devices to the primary server").
Changes of the active I/O server are ``po.active`` timeline events, recorded under the pair's
name: {pair, active: host name or None, configured_role: of that host or None, cause: what
changed: ``process`` (a runtime process of a member), ``host_died`` or ``host_back`` (a
member's host), ``partner_silent`` (the survivor gave up waiting)}; the pair's availability
gaps are the intervals in which ``active`` was None.

The pair is *redundant* while both members are operative, run every runtime process and run
the same compiled project (the loaded set fingerprint). Changes are ``po.redundant`` events
{pair, redundant, cause}; the intervals without redundancy are what an update costs the plant
("When only one node is upgraded, backup and failover are not available"), measured by
:meth:`Pair.redundancy`.

The plant calls :func:`wire` once with all its hosts after building them.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Iterable

from ..outages import outages
from ..spec import SpecError
from ..timeline import Timeline
from ..scheduler import SchedulerStopped, Timer
from .availability import IO_SERVER, Availability, availability
from .errors import PowerOperationError

if TYPE_CHECKING:
    from .model import PowerOperation

_UNSET = object()
#: [Alarm]MonitorRequestTimeout's default (AVEVA Plant SCADA, "[Alarm]MonitorRequestTimeout").
MONITOR_REQUEST_TIMEOUT = 30.0


class Pair:
    def __init__(self, name: str, primary: "PowerOperation", standby: "PowerOperation",
                 timeline: Timeline) -> None:
        self.name = name
        self.primary = primary
        self.standby = standby
        self._timeline = timeline
        self._lock = threading.Lock()  # the members' states
        self._recording = threading.Lock()  # one po.active decision at a time
        self._active: object = _UNSET  # host name of the active member, or None
        self._redundant: object = _UNSET  # whether the pair was redundant at the last change
        self._operative = {primary.host_name: True, standby.host_name: True}
        self._isolated: set[str] = set()  # members that gave up on a silent partner
        self._noticing: dict[str, Timer] = {}  # member -> its wait for a silent partner
        self._deaths = 0  # how many times a member died: tells a wait from a stale one
        for member in (primary, standby):
            member.pair = self
            member.runtime.add_listener(self._changed)
        self._update("process")

    @property
    def members(self) -> tuple["PowerOperation", "PowerOperation"]:
        return self.primary, self.standby

    def partner(self, member: "PowerOperation") -> "PowerOperation":
        return self.standby if member is self.primary else self.primary

    def active(self, process: str = IO_SERVER) -> "PowerOperation | None":
        """The member active for ``process`` now (see the module doc), or None."""
        with self._lock:
            primary, standby = self.members
            if self._serves(primary, process):
                return primary
            primary_stopped = self._operative[primary.host_name] and not _runs(primary, process)
            primary_given_up = (not self._operative[primary.host_name]
                                and standby.host_name in self._isolated)
            if self._serves(standby, process) and (primary_stopped or primary_given_up):
                return standby
            return None

    def set_operative(self, host_name: str, operative: bool) -> None:
        """The member on ``host_name`` died (powered off, crashed, cut off) or is back. Its
        partner notices a silent peer only after its MonitorRequestTimeout."""
        member = next((m for m in self.members if m.host_name == host_name), None)
        if member is None:
            return
        partner = self.partner(member)
        with self._lock:
            if self._operative[host_name] == operative:
                return
            self._operative[host_name] = operative
            self._isolated.discard(partner.host_name)
            waiting = self._noticing.pop(partner.host_name, None)
            if waiting is not None:
                waiting.cancel()
            if not operative:
                with contextlib.suppress(SchedulerStopped):  # the plant is stopping
                    self._noticing[partner.host_name] = partner.scheduler.call_later(
                        _monitor_request_timeout(partner), self._give_up_on, member, self._deaths)
                self._deaths += 1
        self._update("host_back" if operative else "host_died")

    def _give_up_on(self, member: "PowerOperation", death: int) -> None:
        """The partner's wait for ``member`` ran out; ``death`` tells this wait from a later
        one (the member came back and died again meanwhile)."""
        partner = self.partner(member)
        with self._lock:
            if death != self._deaths - 1 or self._operative[member.host_name]:
                return
            self._noticing.pop(partner.host_name, None)
            self._isolated.add(partner.host_name)
        self._update("partner_silent")

    def _serves(self, member: "PowerOperation", process: str) -> bool:
        return self._operative[member.host_name] and _runs(member, process)

    def redundant(self) -> bool:
        """Both members operative, every runtime process Running, the same project loaded."""
        with self._lock:
            operative = all(self._operative.values())
        statuses = [member.runtime.status() for member in self.members]
        running = all(s.loaded is not None and s.processes and all(p.state == "Running" for p in s.processes)
                      for s in statuses)
        return operative and running and statuses[0].loaded.fingerprint == statuses[1].loaded.fingerprint

    def redundancy(self, start: float = 0.0, end: float | None = None) -> Availability:
        """Intervals in which the pair was not redundant (timeline seconds)."""
        events = self._timeline.events()
        if end is None:
            end = max([start] + [e.time for e in events])
        changes = ((e.time, self.name, bool(e.data.get("redundant"))) for e in events
                   if e.kind == "po.redundant" and e.data.get("pair") == self.name)
        return outages(changes, {}, start=start, end=end)

    def availability(self, start: float = 0.0, end: float | None = None) -> Availability:
        """Gaps in which no member was active (timeline seconds)."""
        return availability(self._timeline.events(), self.name, start=start, end=end)

    def gap_cause(self, start: float) -> str | None:
        """Why the gap that opened at ``start`` opened (the ``cause`` of that po.active)."""
        for event in self._timeline.events(self.name, "po.active"):
            if event.time == start and event.data.get("active") is None:
                return event.data.get("cause")
        return None

    def _changed(self, process: str, state: str) -> None:
        self._update("process")  # any process: redundancy needs every one Running

    def _update(self, cause: str) -> None:
        with self._recording:
            member = self.active()
            name = member.host_name if member else None
            if name != self._active:
                self._active = name
                self._timeline.record(self.name, "po.active", pair=self.name, active=name,
                                      configured_role=member.configured_role if member else None,
                                      cause=cause)
            redundant = self.redundant()
            if redundant != self._redundant:
                self._redundant = redundant
                self._timeline.record(self.name, "po.redundant", pair=self.name, redundant=redundant,
                                      cause=cause)


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


def _monitor_request_timeout(member: "PowerOperation") -> float:
    """[Alarm]MonitorRequestTimeout of the member's citect.ini, in seconds."""
    try:
        return float(member.install.ini().get("Alarm", "MonitorRequestTimeout") or MONITOR_REQUEST_TIMEOUT)
    except (ValueError, OSError):
        return MONITOR_REQUEST_TIMEOUT


def _runs(member: "PowerOperation", process: str) -> bool:
    try:
        return member.runtime.process_state(process) == "Running"
    except PowerOperationError:
        return False  # a runtime without that process never serves it
