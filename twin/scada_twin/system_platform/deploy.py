"""Deploy, undeploy, upload and migrate: what GRAccess and the IDE do, as timed steps.

A request is checked at once (the Galaxy Repository must serve, the galaxy must be migrated,
one request at a time: :class:`.errors.GalaxyError`), then planned in order (a platform
before its engines before their objects; undeploy the other way round) and run on the GR
host's scheduler. Each object's checks happen when its step runs, so the outcome depends on
the state at that moment; every object touched gets a result, like GRAccess
``CommandResults``.

The rules of the vendor's "Upgrade redundant pairs" behaviour table:

- deploying a redundant engine whose partner's platform is in Software Upgrade Pending is
  always a cascade deploy (a message says so when no cascade was asked for);
- a cascade deploy of several selected objects skips every engine whose partner is in SUP
  (its objects too) and logs a message;
- the backup engine of a pair whose primary is in SUP extracts the primary's objects and
  deploys them with itself, at the newer software version;
- a partner engine that is deployed but not reachable (its node down, restarting, or the
  ``sp_unreachable`` fault) or not ready to sync (``Standby - Not Ready``, or the
  ``sp_not_ready_to_sync`` fault) makes the engine's deploy fail;
- a partner running older software is stopped and unregistered (Not Deployed; the objects
  keep their status) and the deployed engine becomes ``Active - Upgrade``;
- a cascade undeploy of the primary engine undeploys the objects of both engines.

Also: nothing deploys to a node whose platform is in SUP ("you will not be able to deploy
the partner engine until you have upgraded it"), to a node newer than the galaxy (migrate
first), to a node that is unreachable, running setup or waiting for its restart; an object
deploys only where an engine of its pair (or its own engine) is deployed.

Options follow GRAccess ``Deploy``/``Undeploy``: ``action`` (``skipDeploy``,
``redeployOriginal``, ``deployChanges``) for objects already deployed,
``skip_if_undeployed``, ``mark_as_undeployed_on_failure``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator

from . import states
from .errors import GalaxyError
from .objects import AppObject, Engine, Platform
from .operation import Operation

if TYPE_CHECKING:
    from .galaxy import Galaxy

ACTIONS = ("skipDeploy", "redeployOriginal", "deployChanges")
# Modelled seconds (engineering estimates; the vendor publishes none).
DURATIONS = {
    "sp_deploy_platform": 30.0, "sp_deploy_engine": 10.0, "sp_deploy_object": 0.5,
    "sp_undeploy_platform": 10.0, "sp_undeploy_engine": 5.0, "sp_undeploy_object": 0.2,
    "sp_upload_object": 0.2, "sp_migrate": 120.0,
}


def deploy(galaxy: "Galaxy", names: list[str], *, cascade: bool = True,
           action: str = "skipDeploy", skip_if_undeployed: bool = False,
           on_scan: bool = True, force_off_scan: bool = True,
           mark_as_deployed_on_status_mismatch: bool = False) -> Operation:
    """Deploy ``names`` (a multi-selection when more than one) in plan order.

    ``on_scan``, ``force_off_scan`` and ``mark_as_deployed_on_status_mismatch`` are
    GRAccess's flags; the twin records them on the ``sp.deploy`` event and otherwise ignores
    them (every object deploys on scan).
    """
    if action not in ACTIONS:
        raise GalaxyError(f"unknown action for deployed objects {action!r}; "
                          f"expected one of {', '.join(ACTIONS)}")
    with galaxy.lock:
        op = begin(galaxy, "deploy", names, cascade=cascade, action=action,
                    skip_if_undeployed=skip_if_undeployed, on_scan=on_scan,
                    force_off_scan=force_off_scan,
                    mark_as_deployed_on_status_mismatch=mark_as_deployed_on_status_mismatch)
        _DeployPlan(galaxy, op, names, cascade, action, skip_if_undeployed).build()
        return op.start()


def undeploy(galaxy: "Galaxy", names: list[str], *, cascade: bool = True,
             force_off_scan: bool = True,
             mark_as_undeployed_on_failure: bool = False) -> Operation:
    """Undeploy ``names``: objects before their engines before their platforms."""
    with galaxy.lock:
        op = begin(galaxy, "undeploy", names, cascade=cascade, force_off_scan=force_off_scan,
                    mark_as_undeployed_on_failure=mark_as_undeployed_on_failure)
        _UndeployPlan(galaxy, op, cascade, mark_as_undeployed_on_failure).build(names)
        return op.start()


def upload(galaxy: "Galaxy", names: list[str]) -> Operation:
    """Upload run-time changes of deployed objects to the galaxy database."""
    with galaxy.lock:
        op = begin(galaxy, "upload", names)
        op.add([_upload(galaxy, op, name) for name in names])
        return op.start()


def migrate(galaxy: "Galaxy") -> Operation:
    """``IGalaxy.MigrateGalaxy``: bring the galaxy to the GR node's software version."""
    with galaxy.lock:
        op = begin(galaxy, "migrate", [], unmigrated_ok=True)
        op.add([_migrate(galaxy, op)])
        return op.start()


# -- common ----------------------------------------------------------------------------------
def begin(galaxy: "Galaxy", kind: str, names: list[str], *, unmigrated_ok: bool = False,
          **data: Any) -> Operation:
    """Start a galaxy operation when the GR can serve it: one at a time, and while the galaxy
    must be migrated only what ``unmigrated_ok`` allows (the migration, a backup)."""
    blocker = galaxy.available_blocker()
    if blocker is not None:
        raise GalaxyError(blocker)
    if galaxy.upgrade_required and not unmigrated_ok:
        raise GalaxyError(f"galaxy {galaxy.name} must be migrated to version "
                          f"{galaxy.gr_node.software_version} first (UpgradeRequired)")
    if galaxy.busy is not None:
        raise GalaxyError(f"galaxy {galaxy.name} is busy with {galaxy.busy.kind} "
                          f"operation {galaxy.busy.id}")

    def done(op: Operation) -> None:
        galaxy.busy = None
        galaxy.record(galaxy.gr_node.host_name, f"sp.{kind}", operation=op.id,
                      state="succeeded" if op.error is None and all(
                          r.successful for r in op.results) else "failed",
                      results=[r.as_dict() for r in op.results], messages=list(op.messages),
                      error=op.error)

    op = Operation(kind, galaxy.scheduler, galaxy.lock, on_done=done)
    galaxy.busy = op
    galaxy.record(galaxy.gr_node.host_name, f"sp.{kind}", operation=op.id, state="started",
                  objects=list(names), **data)
    return op


def _message(galaxy: "Galaxy", op: Operation, text: str, obj: str) -> None:
    op.log(text)
    galaxy.record(galaxy.gr_node.host_name, "sp.message", operation=op.id, object=obj,
                  text=text)


def _cost(galaxy: "Galaxy", name: str) -> float:
    return galaxy.cost(name, DURATIONS[name])


def _node_problem(galaxy: "Galaxy", obj: Platform | Engine) -> str | None:
    """Why nothing can be deployed to ``obj``'s node now, or None."""
    platform = obj if isinstance(obj, Platform) else obj.platform
    node = platform.node
    blocker = node.deploy_blocker()
    if blocker is not None:
        return blocker
    if platform.sup:
        return (f"platform {platform.name} is in {states.SOFTWARE_UPGRADE_PENDING}: node "
                f"{node.host_name} runs {node.software_version}, the galaxy "
                f"{galaxy.version}; upgrade the node first")
    if states.older(galaxy.version, node.software_version):
        return (f"node {node.host_name} runs {node.software_version}, newer than galaxy "
                f"{galaxy.name} ({galaxy.version}); migrate the galaxy first")
    return None


def _injected(galaxy: "Galaxy", obj: Any) -> str | None:
    node = obj.node if not isinstance(obj, AppObject) else obj.engine.node
    fault = galaxy.faults.take(node.host_name, "sp_deploy_fails", object=obj.name)
    return None if fault is None else str(fault.get("message") or f"deploy of {obj.name} failed")


# -- deploy ------------------------------------------------------------------------------------
class _DeployPlan:
    def __init__(self, galaxy: "Galaxy", op: Operation, names: list[str], cascade: bool,
                 action: str, skip_if_undeployed: bool) -> None:
        self.galaxy = galaxy
        self.op = op
        self.names = names
        self.cascade = cascade
        self.action = action
        self.skip_if_undeployed = skip_if_undeployed
        self.multi = len(names) > 1
        self.seen: set[int] = set()
        self.failed: set[int] = set()  # objects whose deploy failed or was skipped

    def build(self) -> None:
        for name in self.names:
            obj = self.galaxy.lookup(name)
            if obj is None:
                self.op.add([self._not_found(name)])
            else:
                self._add(obj, self.cascade)

    def _add(self, obj: Any, cascade: bool) -> None:
        if id(obj) in self.seen:
            return
        self.seen.add(id(obj))
        if isinstance(obj, Platform):
            self.op.add([self._platform(obj)])
            if cascade:
                for engine in self.galaxy.engines_on(obj):
                    self._add(engine, True)
        elif isinstance(obj, Engine):
            self._engine_plan(obj, cascade)
        else:
            self.op.add([self._object(obj)])

    def _engine_plan(self, engine: Engine, cascade: bool) -> None:
        partner = engine.pair.partner(engine) if engine.pair is not None else None
        partner_sup = partner is not None and partner.platform.sup
        if partner_sup and self.multi and cascade:
            hosted = [o for o in engine.objects if id(o) not in self.seen]
            self.seen.update(id(o) for o in hosted)
            self.op.add([self._skip(engine, partner, hosted)])  # type: ignore[arg-type]
            return
        if partner_sup and not cascade:
            _message(self.galaxy, self.op, f"{engine.name}: its partner {partner.name} is in "  # type: ignore[union-attr]
                     f"{states.SOFTWARE_UPGRADE_PENDING}; the deploy is a cascade deploy",
                     engine.name)
            cascade = True
        extracted: list[AppObject] = []
        if partner_sup and engine.role == "backup":
            extracted = [o for o in partner.objects if id(o) not in self.seen]  # type: ignore[union-attr]
            self.seen.update(id(o) for o in extracted)
        self.op.add([self._engine(engine, extracted)])
        if cascade:
            for obj in engine.objects:
                self._add(obj, False)

    # steps -----------------------------------------------------------------------------
    def _not_found(self, name: str) -> Iterator[float]:
        self.op.fail(name, f"object {name!r} does not exist in galaxy {self.galaxy.name}")
        yield from ()

    def _skip(self, engine: Engine, partner: Engine, hosted: list[AppObject]) -> Iterator[float]:
        text = (f"{engine.name} skipped: its redundant partner {partner.name} is in "
                f"{states.SOFTWARE_UPGRADE_PENDING}; deploy it on its own")
        _message(self.galaxy, self.op, text, engine.name)
        self.failed.add(id(engine))
        self.op.ok(engine.name, text, skipped=True)
        for obj in hosted:
            self.failed.add(id(obj))
            self.op.ok(obj.name, f"host {engine.name} skipped", skipped=True)
        yield from ()

    def _already(self, obj: Any) -> bool | None:
        """For a deployed object: True to redeploy, False when skipped (result recorded)."""
        if obj.deployment != states.DEPLOYED:
            if self.skip_if_undeployed:
                self.op.ok(obj.name, "not deployed: skipped", skipped=True)
                return False
            return None
        changes = isinstance(obj, AppObject) and obj.pending_changes
        if self.action == "redeployOriginal" or (self.action == "deployChanges" and changes):
            return True
        self.op.ok(obj.name, "already deployed", skipped=True)
        return False

    def _platform(self, platform: Platform) -> Iterator[float]:
        galaxy, op = self.galaxy, self.op
        again = self._already(platform)
        if again is False:
            return
        problem = _node_problem(galaxy, platform) or _injected(galaxy, platform)
        if problem is not None:
            self.failed.add(id(platform))
            op.fail(platform.name, problem)
            return
        if again:
            yield galaxy.shutdown_platform(platform)
        platform.set_deployment(states.DEPLOYING)
        yield _cost(galaxy, "sp_deploy_platform")
        platform.set_deployment(states.DEPLOYED)
        galaxy.start_platform(platform)
        op.ok(platform.name)

    def _engine(self, engine: Engine, extracted: list[AppObject]) -> Iterator[float]:
        galaxy, op = self.galaxy, self.op
        again = self._already(engine)
        if again is False:
            for obj in extracted:
                op.ok(obj.name, "already deployed", skipped=True)
            return
        problem = self._engine_problem(engine)
        if problem is not None:
            self.failed.add(id(engine))
            op.fail(engine.name, problem)
            for obj in extracted:
                self.failed.add(id(obj))
                op.fail(obj.name, f"host {engine.name} was not deployed")
            return
        partner = engine.pair.partner(engine) if engine.pair is not None else None
        version = engine.node.software_version
        partner_older = (partner is not None and partner.deployment == states.DEPLOYED
                         and partner.version is not None and states.older(partner.version,
                                                                          version))
        if again:
            yield galaxy.stop_engine(engine)
        engine.set_deployment(states.DEPLOYING)
        yield _cost(galaxy, "sp_deploy_engine") + \
            _cost(galaxy, "sp_deploy_object") * len(extracted)
        engine.set_deployment(states.DEPLOYED)
        op.ok(engine.name)
        for obj in extracted:
            obj.set_deployment(states.DEPLOYED, version)
            op.ok(obj.name, f"extracted from {partner.name} and deployed with "  # type: ignore[union-attr]
                  f"{engine.name} at version {version}")
        if partner_older:
            _message(galaxy, op, f"{partner.name} runs older software ({partner.version}) "  # type: ignore[union-attr]
                     f"than {engine.name} ({version}): stopped and unregistered",
                     partner.name)  # type: ignore[union-attr]
            yield galaxy.stop_engine(partner)  # type: ignore[arg-type]
            partner.set_deployment(states.NOT_DEPLOYED)  # type: ignore[union-attr]
        yield galaxy.start_engine(engine)

    def _engine_problem(self, engine: Engine) -> str | None:
        galaxy = self.galaxy
        platform = engine.platform
        if id(platform) in self.failed or platform.deployment != states.DEPLOYED:
            return f"host platform {platform.name} is not deployed"
        problem = _node_problem(galaxy, engine) or _injected(galaxy, engine)
        if problem is not None or engine.pair is None:
            return problem
        partner = engine.pair.partner(engine)
        if partner.deployment != states.DEPLOYED:
            return None
        if not partner.node.reachable:
            return (f"redundant partner {partner.name} is deployed but not reachable "
                    f"(node {partner.node.host_name})")
        not_ready = galaxy.faults.active(partner.node.host_name, "sp_not_ready_to_sync",
                                         engine=partner.name) is not None
        if not_ready or partner.redundancy_status == states.STANDBY_NOT_READY:
            return f"redundant partner {partner.name} is deployed but not ready to sync"
        return None

    def _object(self, obj: AppObject) -> Iterator[float]:
        galaxy, op = self.galaxy, self.op
        again = self._already(obj)
        if again is False:
            return
        engines = obj.engine.pair.engines if obj.engine.pair is not None else (obj.engine,)
        serving = [e for e in engines if e.deployment == states.DEPLOYED
                   and id(e) not in self.failed]
        if not serving:
            self.failed.add(id(obj))
            op.fail(obj.name, f"host engine {obj.engine.name} is not deployed")
            return
        target = obj.running_on or next((e for e in serving if e.running), serving[0])
        problem = target.node.deploy_blocker() or _injected(galaxy, obj)
        if problem is not None:
            self.failed.add(id(obj))
            op.fail(obj.name, problem)
            return
        obj.set_deployment(states.DEPLOYING)
        yield _cost(galaxy, "sp_deploy_object")
        obj.set_deployment(states.DEPLOYED, target.version)
        op.ok(obj.name)


# -- undeploy ----------------------------------------------------------------------------------
class _UndeployPlan:
    def __init__(self, galaxy: "Galaxy", op: Operation, cascade: bool,
                 mark_on_failure: bool) -> None:
        self.galaxy = galaxy
        self.op = op
        self.cascade = cascade
        self.mark_on_failure = mark_on_failure
        self.seen: set[int] = set()

    def build(self, names: list[str]) -> None:
        for name in names:
            obj = self.galaxy.lookup(name)
            if obj is None:
                self.op.add([self._not_found(name)])
            else:
                self._add(obj)

    def _add(self, obj: Any) -> None:
        if id(obj) in self.seen:
            return
        self.seen.add(id(obj))
        if isinstance(obj, Platform):
            if self.cascade:
                for engine in self.galaxy.engines_on(obj):
                    self._add(engine)
            self.op.add([self._platform(obj)])
        elif isinstance(obj, Engine):
            if self.cascade:
                # the objects of the pair are the primary's: both engines' objects
                for hosted in obj.objects:
                    self._add(hosted)
            self.op.add([self._engine(obj)])
        else:
            self.op.add([self._object(obj)])

    def _not_found(self, name: str) -> Iterator[float]:
        self.op.fail(name, f"object {name!r} does not exist in galaxy {self.galaxy.name}")
        yield from ()

    def _unreachable(self, obj: Any, node: Any) -> bool:
        """True when the step must stop: the node does not answer and no mark-on-failure."""
        if node.reachable:
            return False
        if self.mark_on_failure:
            return False
        self.op.fail(obj.name, f"node {node.host_name} is not reachable")
        return True

    def _object(self, obj: AppObject) -> Iterator[float]:
        if obj.deployment == states.NOT_DEPLOYED:
            self.op.ok(obj.name, "not deployed", skipped=True)
            return
        running = obj.running_on
        if self._unreachable(obj, (running or obj.engine).node):
            return
        obj.set_deployment(states.UNDEPLOYING)
        yield _cost(self.galaxy, "sp_undeploy_object")
        obj.set_deployment(states.NOT_DEPLOYED)
        self.op.ok(obj.name)

    def _engine(self, engine: Engine) -> Iterator[float]:
        hosted = [o.name for o in engine.objects if o.deployment != states.NOT_DEPLOYED]
        yield from self._host_undeploy(engine, "objects", hosted[:5], self.galaxy.stop_engine,
                                       "sp_undeploy_engine")

    def _platform(self, platform: Platform) -> Iterator[float]:
        hosted = [e.name for e in self.galaxy.engines_on(platform)
                  if e.deployment != states.NOT_DEPLOYED]
        yield from self._host_undeploy(platform, "engines", hosted, self.galaxy.shutdown_platform,
                                       "sp_undeploy_platform")

    def _host_undeploy(self, item: Engine | Platform, hosted_kind: str, hosted: list[str],
                       stop: Callable[..., float], cost_name: str) -> Iterator[float]:
        """Undeploy an engine or platform: refused while it still hosts deployed objects."""
        if item.deployment == states.NOT_DEPLOYED:
            self.op.ok(item.name, "not deployed", skipped=True)
            return
        if hosted:
            self.op.fail(item.name, f"{item.name} hosts deployed {hosted_kind} "
                         f"({', '.join(hosted)}); undeploy them or use a cascade undeploy")
            return
        if self._unreachable(item, item.node):
            return
        item.set_deployment(states.UNDEPLOYING)
        yield stop(item) + _cost(self.galaxy, cost_name)
        item.set_deployment(states.NOT_DEPLOYED)
        self.op.ok(item.name)


# -- upload, migrate -------------------------------------------------------------------------
def _upload(galaxy: "Galaxy", op: Operation, name: str) -> Iterator[float]:
    obj = galaxy.lookup(name)
    if obj is None:
        op.fail(name, f"object {name!r} does not exist in galaxy {galaxy.name}")
        return
    if obj.deployment != states.DEPLOYED:
        op.fail(obj.name, f"{obj.name} is not deployed: nothing to upload")
        return
    node = obj.engine.node if isinstance(obj, AppObject) else obj.node
    if isinstance(obj, AppObject) and obj.running_on is not None:
        node = obj.running_on.node
    if not node.reachable:
        op.fail(obj.name, f"node {node.host_name} is not reachable")
        return
    yield _cost(galaxy, "sp_upload_object")
    changes = getattr(obj, "runtime_changes", 0)
    if isinstance(obj, AppObject):
        obj.runtime_changes = 0
    galaxy.record(galaxy.gr_node.host_name, "sp.upload", operation=op.id, object=obj.name,
                  changes=changes)
    op.ok(obj.name, f"{changes} run-time change(s) uploaded")


def _migrate(galaxy: "Galaxy", op: Operation) -> Iterator[float]:
    target = galaxy.gr_node.software_version
    op.data.update(from_version=galaxy.version, to_version=target)
    if not galaxy.upgrade_required:
        op.ok(galaxy.name, f"galaxy is at version {galaxy.version}: nothing to migrate",
              skipped=True)
        return
    yield _cost(galaxy, "sp_migrate")
    fault = galaxy.faults.take(galaxy.gr_node.host_name, "sp_migrate_fails")
    if fault is not None:
        op.fail(galaxy.name, str(fault.get("message") or "galaxy migration failed"))
        return
    sup_before = {p.name: p.sup for p in galaxy.platforms.values()}
    galaxy.version = target
    galaxy.record(galaxy.gr_node.host_name, "sp.galaxy", galaxy=galaxy.name, version=target,
                  upgrade_required=galaxy.upgrade_required)
    for platform in galaxy.platforms.values():
        if platform.sup != sup_before[platform.name]:
            platform.record_state()  # the IDE now shows it in (or out of) SUP
    op.ok(galaxy.name, f"galaxy migrated to version {target}")
