"""A redundant AppEngine pair: redundancy status over modelled time, failovers, checkpoints.

The galaxy tells the pair when one of its engines has started (:meth:`EnginePair.started`)
or is leaving run time (:meth:`EnginePair.stopping`: shutdown, undeploy, unregister, a node
going down). The pair moves the statuses along on the galaxy's scheduler:

- an engine starting while its partner runs (active, or taking over) joins as standby:
  ``Standby - Syncing Code`` -> ``Standby - Syncing Data`` -> ``Standby - Ready`` (it then
  holds the active engine's checkpoint); with the ``sp_not_ready_to_sync`` fault on its host
  it stops at ``Standby - Not Ready``;
- an engine starting alone: ``Determining Failover Status`` -> an ``Active*`` status;
- the active engine leaving while the partner runs as standby: the partner goes
  ``Switching to Active`` -> ``Active*`` (after ``Standby - Missed Heartbeats`` and
  ``Determining Failover Status`` when the loss was unexpected). It starts from the
  checkpoint only if it was ``Standby - Ready``.

The active engine shows ``Active`` while the partner is ``Standby - Ready``, ``Active -
Upgrade`` while the partner's node runs older software than the engine (the partner must be
upgraded), and ``Active - Standby Not Available`` otherwise.

Every status change is an ``sp.engine.status`` event (host: the engine's node); the active
role moving from one engine to the other is an ``sp.failover`` event (host: the pair's name)
and counts in :attr:`EnginePair.failovers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import states

if TYPE_CHECKING:
    from .galaxy import Galaxy
    from .objects import Engine

# Modelled seconds, overridable in the cost model (``operations``). Engineering estimates:
# the vendor publishes no figures. EngineFailureTimeout's vendor minimum is 55,000 ms.
DURATIONS = {
    "sp_determine_failover": 2.0,
    "sp_switch_to_active": 3.0,
    "sp_engine_failure_timeout": 55.0,
    "sp_sync_code": 10.0,
    "sp_sync_data": 5.0,
    "sp_sync_data_per_object": 0.1,
    "sp_object_start": 0.2,         # per hosted object, when an engine takes over or starts
    "sp_cpu_balancing_factor": 0.5,  # object start cost with CPU load balancing enabled
}


class EnginePair:
    def __init__(self, name: str, primary: "Engine", backup: "Engine",
                 galaxy: "Galaxy") -> None:
        self.name = name
        self.primary = primary
        self.backup = backup
        self._galaxy = galaxy
        self.failovers = 0
        self._last_active: "Engine | None" = None
        primary.pair = backup.pair = self

    @property
    def engines(self) -> tuple["Engine", "Engine"]:
        return self.primary, self.backup

    @property
    def objects(self) -> list[Any]:
        """The pair's application objects: those assigned to the primary engine."""
        return self.primary.objects

    def partner(self, engine: "Engine") -> "Engine":
        return self.backup if engine is self.primary else self.primary

    def active(self) -> "Engine | None":
        for engine in self.engines:
            if states.is_active(engine.redundancy_status):
                return engine
        return None

    # -- events from the galaxy (called with the galaxy's lock held) -----------------------
    def initialize(self, running: bool) -> None:
        """The state the plant starts in: primary Active, backup Standby - Ready, synced."""
        if running:
            self.backup.synced = True
            self._set(self.primary, states.ACTIVE, initial=True)
            self._set(self.backup, states.STANDBY_READY, initial=True)
        else:
            for engine in self.engines:
                self._record(engine, None, initial=True)

    def started(self, engine: "Engine") -> None:
        """``engine`` runs now (deployed, its platform up): join as standby or take over."""
        gen = self._bump(engine)
        partner = self.partner(engine)
        if partner.running and partner.redundancy_status is not None:
            # the partner serves, or is taking over: this engine syncs from it
            self._set(engine, states.STANDBY_SYNCING_CODE)
            self._later("sp_sync_code", self._sync_data, engine, gen)
        else:
            self._set(engine, states.DETERMINING_FAILOVER_STATUS)
            self._later("sp_determine_failover", self._become_active, engine, gen, False,
                        seconds_extra=self._objects_start(engine))

    def stopping(self, engine: "Engine", *, unexpected: bool = False) -> None:
        """``engine`` leaves run time; a running standby partner takes over if it was active."""
        was_active = states.is_active(engine.redundancy_status)
        self._bump(engine)
        engine.synced = False
        self._set(engine, None)
        partner = self.partner(engine)
        if not partner.running:
            return
        if was_active and states.is_standby(partner.redundancy_status):
            from_checkpoint = partner.redundancy_status == states.STANDBY_READY
            gen = self._bump(partner)
            if unexpected:
                self._set(partner, states.STANDBY_MISSED_HEARTBEATS)
                self._later("sp_engine_failure_timeout", self._determine, partner, gen,
                            from_checkpoint)
            else:
                self._switch(partner, gen, from_checkpoint)
        else:
            self.refresh()

    def force_failover(self, engine: "Engine") -> None:
        """``ForceFailoverCmd`` on the active ``engine``: the ready standby takes over."""
        from .errors import RedundancyError

        partner = self.partner(engine)
        if not states.is_active(engine.redundancy_status):
            raise RedundancyError(f"{engine.name} is not the active engine of {self.name}")
        if partner.redundancy_status != states.STANDBY_READY:
            raise RedundancyError(f"{partner.name} is not {states.STANDBY_READY} "
                                  f"({partner.redundancy_status}); no failover")
        self._switch(partner, self._bump(partner), True)
        gen = self._bump(engine)
        engine.synced = False
        self._set(engine, states.STANDBY_SYNCING_CODE)
        self._later("sp_sync_code", self._sync_data, engine, gen)

    def refresh(self) -> None:
        """Recompute the active engine's status from its partner's state."""
        active = self.active()
        if active is not None:
            self._set(active, self._active_status(active))

    def snapshot(self) -> dict[str, Any]:
        active = self.active()
        return {"name": self.name, "primary": self.primary.name, "backup": self.backup.name,
                "active": active.name if active else None, "failovers": self.failovers,
                "statuses": {e.name: e.redundancy_status for e in self.engines}}

    # -- transitions (scheduled; each checks it is still current) --------------------------
    def _sync_data(self, engine: "Engine", gen: int) -> None:
        if self._current(engine, gen):
            self._set(engine, states.STANDBY_SYNCING_DATA)
            per_object = self._cost("sp_sync_data_per_object") * len(self.objects)
            self._later("sp_sync_data", self._ready, engine, gen, seconds_extra=per_object)

    def _ready(self, engine: "Engine", gen: int) -> None:
        if not self._current(engine, gen):
            return
        faults = self._galaxy.faults
        if faults.active(engine.node.host_name, "sp_not_ready_to_sync",
                         engine=engine.name) is not None:
            self._set(engine, states.STANDBY_NOT_READY)
            return
        engine.synced = True
        self._set(engine, states.STANDBY_READY)
        self.refresh()

    def _determine(self, engine: "Engine", gen: int, from_checkpoint: bool) -> None:
        if self._current(engine, gen):
            self._set(engine, states.DETERMINING_FAILOVER_STATUS)
            self._later("sp_determine_failover", self._switch, engine, gen, from_checkpoint)

    def _switch(self, engine: "Engine", gen: int, from_checkpoint: bool) -> None:
        if self._current(engine, gen):
            self._set(engine, states.SWITCHING_TO_ACTIVE)
            self._later("sp_switch_to_active", self._become_active, engine, gen,
                        from_checkpoint, seconds_extra=self._objects_start(engine))

    def _become_active(self, engine: "Engine", gen: int, from_checkpoint: bool) -> None:
        if self._current(engine, gen):
            self._set(engine, self._active_status(engine), from_checkpoint=from_checkpoint)

    # -- helpers ---------------------------------------------------------------------------
    def _active_status(self, engine: "Engine") -> str:
        partner = self.partner(engine)
        if partner.running and partner.redundancy_status == states.STANDBY_READY:
            return states.ACTIVE
        if engine.version and states.older(partner.node.software_version, engine.version):
            return states.ACTIVE_UPGRADE
        return states.ACTIVE_STANDBY_NOT_AVAILABLE

    def _objects_start(self, engine: "Engine") -> float:
        seconds = self._cost("sp_object_start") * len(self.objects)
        if engine.node.cpu_balancing_active():
            seconds *= self._cost("sp_cpu_balancing_factor")
        return seconds

    def _set(self, engine: "Engine", status: str | None, *, initial: bool = False,
             from_checkpoint: bool | None = None) -> None:
        if engine.redundancy_status == status and not initial:
            return
        engine.redundancy_status = status
        self._record(engine, status, initial=initial)
        if not states.is_active(status):
            return
        previous, self._last_active = self._last_active, engine
        if previous is not None and previous is not engine:
            self.failovers += 1
            self._galaxy.record(self.name, "sp.failover", pair=self.name,
                                from_engine=previous.name, to_engine=engine.name,
                                count=self.failovers,
                                started_from_checkpoint=bool(from_checkpoint))

    def _record(self, engine: "Engine", status: str | None, *, initial: bool) -> None:
        self._galaxy.record(engine.node.host_name, "sp.engine.status", engine=engine.name,
                            pair=self.name, role=engine.role, status=status,
                            initial=initial)

    def _later(self, cost: str, fn: Any, *args: Any, seconds_extra: float = 0.0) -> None:
        self._galaxy.later(self._cost(cost) + seconds_extra, fn, *args)

    def _cost(self, name: str) -> float:
        return self._galaxy.costs.operation(name, DURATIONS[name])

    @staticmethod
    def _bump(engine: "Engine") -> int:
        engine.generation += 1
        return engine.generation

    @staticmethod
    def _current(engine: "Engine", gen: int) -> bool:
        return engine.generation == gen and engine.running
