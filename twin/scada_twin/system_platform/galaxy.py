"""The galaxy: its version, its objects across the plant's nodes, and their run time.

The GR node's spec defines the galaxy; :func:`build` (called by :func:`..wire`) creates it
with the plant's hosts, one platform per node. Everything the galaxy and its nodes change
happens under one lock (the galaxy's; the nodes share it) and timed transitions run on the
GR host's scheduler.

Deploy, undeploy, upload and migrate are in :mod:`.deploy`; the pair logic in
:mod:`.redundancy`; this module holds the structure, the run-time start and stop of
platforms and engines, the node events (shutdown for setup, unregister, restart) and the
read side (:meth:`Galaxy.query`, :meth:`Galaxy.snapshot`, :meth:`Galaxy.downtime`).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Iterable

from ..costs import CostModel
from ..faults import FaultPlan
from ..scheduler import Scheduler
from ..spec import SpecError
from ..timeline import Timeline
from . import backup, config, deploy, downtime, states
from .errors import GalaxyError
from .objects import AppObject, Engine, GalaxyObject, Platform
from .operation import Operation
from .redundancy import DURATIONS as _PAIR_DURATIONS, EnginePair

if TYPE_CHECKING:
    from .node import Node

# Modelled seconds (engineering estimates): an engine starts in seconds plus its objects.
DURATIONS = {"sp_engine_start": 5.0, "sp_engine_stop": 2.0, "sp_object_stop": 0.05,
             "sp_platform_stop": 5.0, "sp_engine_restart": 30.0}
OBJECT_START = _PAIR_DURATIONS["sp_object_start"]


class Galaxy:
    def __init__(self, name: str, version: str, gr_node: "Node", *, scheduler: Scheduler,
                 timeline: Timeline, faults: FaultPlan, costs: CostModel) -> None:
        self.name = name
        self.version = version
        self.gr_node = gr_node
        self.scheduler = scheduler
        self.timeline = timeline
        self.faults = faults
        self.costs = costs
        self.lock = gr_node.lock
        self.platforms: dict[str, Platform] = {}
        self.engines: dict[str, Engine] = {}
        self.objects: dict[str, AppObject] = {}
        self.pairs: dict[str, EnginePair] = {}
        self.busy: Operation | None = None

    # -- infrastructure --------------------------------------------------------------------
    def record(self, host: str, kind: str, **data: Any) -> None:
        self.timeline.record(host, kind, **data)

    def later(self, modelled_seconds: float, fn: Any, *args: Any) -> None:
        """Run ``fn(*args)`` under the galaxy's lock after ``modelled_seconds``."""
        self.scheduler.call_later(modelled_seconds, self._locked, fn, args)

    def _locked(self, fn: Any, args: tuple[Any, ...]) -> None:
        with self.lock:
            fn(*args)

    def cost(self, name: str, default: float) -> float:
        return self.costs.operation(name, default)

    # -- structure -------------------------------------------------------------------------
    @property
    def upgrade_required(self) -> bool:
        """GRAccess ``IGalaxy.UpgradeRequired``: the GR software is newer than the galaxy."""
        return states.older(self.version, self.gr_node.software_version)

    def lookup(self, name: str) -> GalaxyObject | None:
        key = name.lower()
        return self.platforms.get(key) or self.engines.get(key) or self.objects.get(key)

    def engines_on(self, platform: Platform) -> list[Engine]:
        return [e for e in self.engines.values() if e.platform is platform]

    def platform(self, name: str) -> Platform:
        return self._get(self.platforms, name, "platform")

    def engine(self, name: str) -> Engine:
        return self._get(self.engines, name, "engine")

    def pair(self, name: str) -> EnginePair:
        return self._get(self.pairs, name, "redundant pair")

    def available_blocker(self) -> str | None:
        """Why the Galaxy Repository cannot serve a request now, or None."""
        node = self.gr_node
        if node.host.powered_off or node.rebooting:
            return f"the Galaxy Repository node {node.host_name} is not running"
        if node.installing:
            return f"setup is running on the Galaxy Repository node {node.host_name}"
        if node.pending_restart:
            return (f"the Galaxy Repository node {node.host_name} must restart to complete "
                    f"the software installation")
        return None

    # -- requests (GRAccess / IDE) ---------------------------------------------------------
    def deploy(self, names: Iterable[str], **options: Any) -> Operation:
        """Deploy objects; see :func:`.deploy.deploy` for the options and the rules."""
        return deploy.deploy(self, list(names), **options)

    def undeploy(self, names: Iterable[str], **options: Any) -> Operation:
        return deploy.undeploy(self, list(names), **options)

    def upload(self, names: Iterable[str]) -> Operation:
        return deploy.upload(self, list(names))

    def migrate(self) -> Operation:
        return deploy.migrate(self)

    def backup(self, path: str) -> Operation:
        """``IGalaxy.Backup`` to ``path`` on the GR node; see :mod:`.backup`."""
        return backup.backup(self, path)

    def force_failover(self, engine: str) -> None:
        """Set ``ForceFailoverCmd`` on the active engine ``engine``."""
        with self.lock:
            found = self.engine(engine)
            if found.pair is None:
                raise GalaxyError(f"{found.name} is not a redundant engine")
            found.pair.force_failover(found)

    def crash_engine(self, engine: str) -> None:
        """The engine's process fails: a standby partner misses heartbeats and takes over;
        the platform restarts the engine after ``sp_engine_restart`` modelled seconds."""
        with self.lock:
            found = self.engine(engine)
            if not found.running:
                raise GalaxyError(f"{found.name} is not running")
            self.stop_engine(found, unexpected=True)
            self.later(self.cost("sp_engine_restart", DURATIONS["sp_engine_restart"]),
                       self.start_engine, found)

    # -- read side -------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        with self.lock:
            return {"name": self.name, "version": self.version,
                    "upgrade_required": self.upgrade_required,
                    "gr_node": self.gr_node.host_name,
                    "gr_software_version": self.gr_node.software_version}

    def query(self, kind: str | None = None, deployment_status: str | None = None,
              name_like: str | None = None) -> list[dict[str, Any]]:
        """Instances as GRAccess queries see them: ``kind`` platform|engine|object."""
        import fnmatch

        with self.lock:
            found = []
            for obj in [*self.platforms.values(), *self.engines.values(),
                        *self.objects.values()]:
                item = obj.snapshot()
                if kind and item["kind"] != kind:
                    continue
                if deployment_status and item["deployment_status"] != deployment_status:
                    continue
                if name_like and not fnmatch.fnmatchcase(item["name"].lower(),
                                                         name_like.lower()):
                    continue
                found.append(item)
            return found

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {**self.info(),
                    "busy": self.busy.id if self.busy else None,
                    "platforms": [p.snapshot() for p in self.platforms.values()],
                    "engines": [e.snapshot() for e in self.engines.values()],
                    "objects": [o.snapshot() for o in self.objects.values()],
                    "pairs": [p.snapshot() for p in self.pairs.values()]}

    def downtime(self, pair: str, start: float = 0.0,
                 end: float | None = None) -> downtime.Downtime:
        """Intervals in which no engine of ``pair`` was Active (timeline seconds)."""
        name = self.pair(pair).name
        return downtime.downtime(self.timeline.events(), name, start=start, end=end)

    def without_redundancy(self, pair: str, start: float = 0.0,
                           end: float | None = None) -> downtime.Downtime:
        """Intervals in which ``pair`` was not Active + Standby - Ready (timeline seconds)."""
        name = self.pair(pair).name
        return downtime.without_redundancy(self.timeline.events(), name, start=start, end=end)

    # -- run time (called with the lock held) ----------------------------------------------
    def start_platform(self, platform: Platform) -> None:
        """A deployed platform runs, and starts the deployed engines it hosts."""
        if platform.deployment != states.DEPLOYED or not platform.node.reachable:
            return
        platform.set_running(True)
        for engine in self.engines_on(platform):
            if engine.deployment == states.DEPLOYED:
                self.start_engine(engine)

    def shutdown_platform(self, platform: Platform, *, unexpected: bool = False) -> float:
        """Stop the platform's engines, then the platform; modelled seconds it takes."""
        seconds = 0.0
        for engine in self.engines_on(platform):
            seconds += self.stop_engine(engine, unexpected=unexpected)
        if platform.running:
            seconds += self.cost("sp_platform_stop", DURATIONS["sp_platform_stop"])
        platform.set_running(False)
        return seconds

    def start_engine(self, engine: Engine) -> float:
        """Start a deployed engine on its running platform; modelled seconds until it runs."""
        if engine.running or engine.starting or engine.deployment != states.DEPLOYED \
                or not engine.platform.running:
            return 0.0
        engine.starting = True
        engine.generation += 1
        seconds = self.cost("sp_engine_start", DURATIONS["sp_engine_start"])
        if engine.pair is None:  # a lone engine loads its objects now; a pair does on Active
            seconds += self.cost("sp_object_start", OBJECT_START) * len(engine.objects)
        self.later(seconds, self._engine_started, engine, engine.generation)
        return seconds

    def stop_engine(self, engine: Engine, *, unexpected: bool = False) -> float:
        """The engine leaves run time now; modelled seconds its shutdown takes."""
        if not (engine.running or engine.starting):
            return 0.0
        engine.starting = False
        engine.running = False
        engine.generation += 1
        self._record_engine(engine)
        if engine.pair is not None:
            engine.pair.stopping(engine, unexpected=unexpected)
        served = engine.pair.objects if engine.pair is not None else engine.objects
        return self.cost("sp_engine_stop", DURATIONS["sp_engine_stop"]) + \
            self.cost("sp_object_stop", DURATIONS["sp_object_stop"]) * len(served)

    def _engine_started(self, engine: Engine, gen: int) -> None:
        if engine.generation != gen or not engine.starting:
            return
        engine.starting = False
        engine.running = True
        self._record_engine(engine)
        if engine.pair is not None:
            engine.pair.started(engine)

    def _record_engine(self, engine: Engine) -> None:
        self.record(engine.node.host_name, "sp.engine", engine=engine.name,
                    platform=engine.platform.name, deployment=engine.deployment,
                    state=engine.state, version=engine.version)

    # -- node events (called with the lock held) -------------------------------------------
    def unregister_platform(self, platform: Platform) -> None:
        """Setup upgraded the node: the platform and its engines are no longer deployed.

        Objects that no running engine serves become undeployed too ("all objects on the GR
        node become undeployed"); objects running on a partner keep their status.
        """
        for engine in self.engines_on(platform):
            self.stop_engine(engine)
            if engine.deployment != states.NOT_DEPLOYED:
                engine.set_deployment(states.NOT_DEPLOYED)
            served = engine.pair is not None and engine.pair.active() is not None
            if not served:
                for obj in engine.objects:
                    if obj.deployment != states.NOT_DEPLOYED:
                        obj.set_deployment(states.NOT_DEPLOYED)
        if platform.deployment != states.NOT_DEPLOYED:
            platform.set_deployment(states.NOT_DEPLOYED)

    def node_down(self, node: "Node") -> None:
        """The node shuts down for a restart: its platform and engines stop."""
        if node.platform is not None:
            self.shutdown_platform(node.platform)

    def node_up(self, node: "Node") -> None:
        """The node is back: a deployed platform starts with its deployed engines."""
        if node.platform is not None:
            self.start_platform(node.platform)

    def software_changed(self, node: "Node") -> None:
        """A node's software changed: record what the IDE would now show."""
        if node is self.gr_node:
            self.record(self.gr_node.host_name, "sp.galaxy", galaxy=self.name,
                        version=self.version, upgrade_required=self.upgrade_required)
        if node.platform is not None:
            node.platform.record_state()
        for pair in self.pairs.values():  # "Active - Upgrade" depends on the partner's node
            pair.refresh()

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _get(table: dict[str, Any], name: str, what: str) -> Any:
        try:
            return table[name.lower()]
        except KeyError:
            raise GalaxyError(f"no {what} named {name!r} in the galaxy") from None


def build(gr_node: "Node", spec: config.GalaxySpec, nodes: dict[str, "Node"]) -> Galaxy:
    """Create the galaxy of ``gr_node`` over ``nodes`` (host name -> node, in spec order)."""
    where = f"hosts[{gr_node.host_name}].products.system_platform.galaxy"
    host = gr_node.host
    galaxy = Galaxy(spec.name, spec.version or gr_node.software_version, gr_node,
                    scheduler=host.scheduler, timeline=host.timeline, faults=host.faults,
                    costs=host.costs)
    gr_node.galaxy = galaxy
    if spec.platforms is None:
        runtime = [n for n, node in nodes.items() if node.role == "runtime"]
        platforms, engines, pairs = config.default_layout(gr_node.host_name, runtime)
    else:
        platforms, engines, pairs = spec.platforms, spec.engines or (), spec.pairs or ()
    names: set[str] = set()
    for p in platforms:
        node = nodes.get(p.node)
        if node is None:
            raise SpecError(f"{where}: platform {p.name} names node {p.node!r}, which is not a "
                            f"host with system_platform installed")
        if node.platform is not None:
            raise SpecError(f"{where}: node {p.node} has two platforms "
                            f"({node.platform.name}, {p.name}); a node has one")
        _unique(names, p.name, where)
        platform = Platform(p.name, node, galaxy.record,
                            galaxy_version=lambda: galaxy.version)
        node.platform, node.galaxy, node.lock = platform, galaxy, galaxy.lock
        galaxy.platforms[p.name.lower()] = platform
    for e in engines:
        if e.platform.lower() not in galaxy.platforms:
            raise SpecError(f"{where}: engine {e.name} names unknown platform {e.platform!r}")
        _unique(names, e.name, where)
        engine = Engine(e.name, galaxy.platforms[e.platform.lower()], galaxy.record)
        galaxy.engines[e.name.lower()] = engine
        for o in e.objects:
            _unique(names, o, where)
            obj = AppObject(o, engine, galaxy.record)
            engine.objects.append(obj)
            galaxy.objects[o.lower()] = obj
    paired: set[str] = set()
    for p in pairs:
        members = []
        for name in (p.primary, p.backup):
            if name.lower() not in galaxy.engines:
                raise SpecError(f"{where}: pair {p.name} names unknown engine {name!r}")
            if name.lower() in paired:
                raise SpecError(f"{where}: engine {name} is in two redundant pairs")
            paired.add(name.lower())
            members.append(galaxy.engines[name.lower()])
        primary, backup = members
        if primary.platform is backup.platform:
            raise SpecError(f"{where}: pair {p.name} has both engines on {primary.platform.name}")
        if backup.objects:
            raise SpecError(f"{where}: backup engine {backup.name} cannot host objects; "
                            f"assign them to the primary {primary.name}")
        galaxy.pairs[p.name.lower()] = EnginePair(p.name, primary, backup, galaxy)
    _initial_state(galaxy, spec.deployed)
    return galaxy


def _initial_state(galaxy: Galaxy, deployed: bool) -> None:
    """Deployed and running (no events but the pairs' initial statuses), or nothing deployed."""
    for platform in galaxy.platforms.values():
        if deployed:
            platform.deployment, platform.running = states.DEPLOYED, True
            platform.deployed_version = platform.node.software_version
    for engine in galaxy.engines.values():
        if deployed:
            engine.deployment, engine.running = states.DEPLOYED, True
            engine.version = engine.node.software_version
        for obj in engine.objects:
            if deployed:
                obj.deployment, obj.version = states.DEPLOYED, engine.version
    for pair in galaxy.pairs.values():
        pair.initialize(deployed)


def _unique(names: set[str], name: str, where: str) -> None:
    if name.lower() in names:
        raise SpecError(f"{where}: the name {name!r} is used twice; galaxy names are unique")
    names.add(name.lower())
