"""A running plant: the hosts of a spec, their WS-Management listeners, faults and timeline.

This is the twin's Python API::

    with Plant(spec.load("plant.yml"), state_dir) as plant:
        plant.inject("po-b", "down")
        ...
        events = plant.timeline.events()
"""

from __future__ import annotations

import pathlib
import tempfile
import threading
from typing import Any

from .costs import CostModel
from .faults import FaultPlan
from .host import Host
from .power_operation import wire as wire_power_operation_pairs
from .system_platform import wire as wire_system_platform
from .spec import PlantSpec
from .timeline import Timeline
from .wsman.server import WsmanServer


class Plant:
    def __init__(self, spec: PlantSpec, state_dir: str | pathlib.Path | None = None) -> None:
        self.spec = spec
        self._own_dir = None if state_dir else tempfile.TemporaryDirectory(prefix="scada-twin-")
        self.state_dir = pathlib.Path(state_dir or self._own_dir.name)  # type: ignore[union-attr]
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.costs = CostModel(time_scale=spec.time_scale, **spec.cost)
        self.timeline = Timeline()
        self.faults = FaultPlan()
        self.hosts = {h.name: Host(h, self.costs, self.timeline, self.faults) for h in spec.hosts}
        self.pairs = wire_power_operation_pairs(self.hosts.values())
        self.galaxies = wire_system_platform(self.hosts.values())
        self.server = WsmanServer(list(self.hosts.values()),
                                  allow_basic_http=spec.allow_basic_http,
                                  cert_dir=self.state_dir / "pki")
        self._running = False
        self._listeners_lock = threading.Lock()
        self._operative_lock = threading.Lock()
        for host in self.hosts.values():
            host.on_power_change(self._power_changed)

    @property
    def ca_cert_path(self) -> pathlib.Path:
        """The CA that signed every host's HTTPS certificate; clients validate against it."""
        return self.server.ca_cert_path

    def start(self) -> "Plant":
        self.server.start()
        self._running = True
        self.timeline.record("plant", "plant.started", hosts=sorted(self.hosts))
        return self

    def stop(self) -> None:
        if self._running:
            self.server.stop()
            self._running = False
            self.timeline.record("plant", "plant.stopped")
        for host in self.hosts.values():
            host.close()
        if self._own_dir is not None:
            self._own_dir.cleanup()
            self._own_dir = None

    def __enter__(self) -> "Plant":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults ----------------------------------------------------------------------------
    def inject(self, host: str, kind: str, count: int | None = None, **params: Any) -> None:
        """Arm a fault (see ``faults.KINDS``); ``down`` closes the host's listeners at once."""
        self._host(host)
        self.faults.inject(host, kind, count, **params)
        self.timeline.record(host, "fault.injected", fault=kind, count=count, **params)
        if kind == "down":
            self.server.set_host_down(host, True)
            self._operative_changed(host)

    def clear(self, host: str | None = None, kind: str | None = None) -> None:
        back = []
        for name in self.hosts if host is None else [self._host(host).name]:
            if kind in (None, "down") and self.faults.active(name, "down") is not None:
                self.server.set_host_down(name, self.hosts[name].powered_off)
                back.append(name)
        self.faults.clear(host, kind)
        self.timeline.record(host or "plant", "fault.cleared", fault=kind)
        for name in back:
            self._operative_changed(name)

    def _operative_changed(self, name: str) -> None:
        """A host died or came back (``down``, or powered off by a restart): its pair's
        partner may take control (power_operation/pairs.py)."""
        host = self.hosts[name]
        with self._operative_lock:  # read and applied together: the latest state wins
            operative = not (host.powered_off or host.booting or self.faults.active(name, "down") is not None)
            for pair in self.pairs.values():
                pair.set_operative(name, operative)

    def _power_changed(self, name: str, powered_off: bool) -> None:
        """A host restarts (model side): close or reopen its listeners, off the caller's thread.

        Closing listeners waits for their threads; a scheduler callback must not block.
        Each worker applies the state current when it runs, so the last one wins.
        """
        threading.Thread(target=self._apply_power, args=(name,), daemon=True,
                         name=f"power-{name}").start()

    def _apply_power(self, name: str) -> None:
        host = self.hosts[name]
        with self._listeners_lock:
            # Powered off refuses connections; a booting host listens and answers nothing
            # (wsman/server.py: a dark host).
            self.server.set_host_down(name, host.powered_off or self.faults.active(name, "down") is not None)
        self._operative_changed(name)

    # -- state -----------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "name": self.spec.name,
            "time_scale": self.costs.time_scale,
            "ca_cert": str(self.ca_cert_path),
            "faults": self.faults.listing(),
            "hosts": {name: self._host_state(h) for name, h in self.hosts.items()},
        }

    def stats(self) -> dict[str, dict[str, int]]:
        """Each host's counters (``stats.py``): HTTP requests, WinRS actions, processes."""
        return {name: host.stats.snapshot() for name, host in self.hosts.items()}

    def galaxies_report(self) -> dict[str, Any]:
        """Each galaxy's version and platforms, and per redundant engine pair its statuses,
        failovers, downtime (no engine Active) and time without redundancy (not Active +
        Standby - Ready) so far, in timeline and modelled seconds."""
        report = {}
        for name, galaxy in self.galaxies.items():
            snapshot = galaxy.snapshot()
            pairs = {}
            for pair in snapshot["pairs"]:
                down = galaxy.downtime(pair["name"])
                exposed = galaxy.without_redundancy(pair["name"])
                pairs[pair["name"]] = {
                    **pair,
                    "downtime": [{"start": i.start, "end": i.end, "seconds": i.length} for i in down.intervals],
                    "downtime_seconds": down.total,
                    "modelled_downtime_seconds": down.modelled(self.costs.time_scale).total,
                    "without_redundancy": [{"start": i.start, "end": i.end, "seconds": i.length}
                                           for i in exposed.intervals],
                    "without_redundancy_seconds": exposed.total,
                    "modelled_without_redundancy_seconds": exposed.modelled(self.costs.time_scale).total,
                }
            report[name] = {"version": snapshot["version"], "upgrade_required": snapshot["upgrade_required"],
                            "platforms": snapshot["platforms"], "pairs": pairs}
        return report

    def availability(self) -> dict[str, Any]:
        """Each Power Operation pair's gaps (no server active) so far, each with its cause
        (``process``: both I/O Servers stopped; ``host_died``: the active server died and its
        partner had not yet taken control; see power_operation/pairs.py).

        Times are seconds since the plant started; ``modelled_gap_seconds`` scales the gaps
        back to plant time (a gap of 0.5 s at time_scale 0.1 is 5 modelled seconds).
        """
        report = {}
        for name, pair in self.pairs.items():
            measured = pair.availability()
            handovers = [e for e in self.timeline.events(kind="po.active") if e.data.get("pair") == name]
            report[name] = {
                "gaps": [{"start": g.start, "end": g.end, "seconds": g.length,
                          "modelled_seconds": g.length / self.costs.time_scale,
                          "cause": pair.gap_cause(g.start)} for g in measured.intervals],
                "gap_seconds": measured.total,
                "modelled_gap_seconds": measured.modelled(self.costs.time_scale).total,
                "handovers": [{"time": e.time, "active": e.data.get("active")} for e in handovers[1:]],
            }
        return report

    def redundancy(self) -> dict[str, Any]:
        """Each Power Operation pair's windows without redundancy so far (both servers running
        every process with the same project, see power_operation/pairs.py): what an update
        costs the plant. Times as :meth:`availability`."""
        report = {}
        for name, pair in self.pairs.items():
            measured = pair.redundancy()
            report[name] = {
                "windows": [{"start": w.start, "end": w.end, "seconds": w.length,
                             "modelled_seconds": w.length / self.costs.time_scale} for w in measured.intervals],
                "seconds": measured.total,
                "modelled_seconds": measured.modelled(self.costs.time_scale).total,
                "redundant_now": pair.redundant(),
            }
        return report

    def _host_state(self, host: Host) -> dict[str, Any]:
        return {
            "address": host.address,
            "http_port": host.spec.http_port,
            "https_port": host.spec.https_port,
            "down": self.faults.active(host.name, "down") is not None,
            "powered_off": host.powered_off,
            "free_bytes": host.fs.free_bytes,
            "commands_started": host.commands_started,
            "products": sorted(host.spec.products),
        }

    def _host(self, name: str) -> Host:
        try:
            return self.hosts[name]
        except KeyError:
            raise KeyError(f"no host named {name!r} in plant {self.spec.name!r}") from None
