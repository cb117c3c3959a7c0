"""The galaxy's objects: platforms (one per node), AppEngines, and the application objects.

Plain state holders; the galaxy changes them under its lock and records every change on the
timeline (:meth:`Platform.set_deployment` and friends do both). What a state *means* for the
pair lives in :mod:`.redundancy`, what a deploy does in :mod:`.deploy`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Callable

from . import states

if TYPE_CHECKING:
    from .node import Node
    from .redundancy import EnginePair

Recorder = Callable[..., Any]  # timeline.record(host, kind, **data)


@dataclasses.dataclass(eq=False)
class Platform:
    name: str
    node: "Node"
    record: Recorder
    deployment: str = states.NOT_DEPLOYED
    running: bool = False
    deployed_version: str | None = None  # node software the platform was deployed with
    galaxy_version: Callable[[], str] = dataclasses.field(default=lambda: "0", repr=False)

    kind = "platform"

    @property
    def host(self) -> str:
        """GRAccess ``IInstance.Host``: a platform hosts itself (the galaxy names no host)."""
        return ""

    @property
    def software_version(self) -> str:
        return self.node.software_version

    @property
    def sup(self) -> bool:
        """Software Upgrade Pending: the node runs older software than the galaxy."""
        return states.older(self.node.software_version, self.galaxy_version())

    @property
    def state(self) -> str:
        if self.deployment != states.DEPLOYED:
            return self.deployment
        if not self.node.reachable:
            return states.NOT_AVAILABLE
        return states.RUNNING_ON_SCAN if self.running else states.SHUTDOWN

    def set_deployment(self, deployment: str) -> None:
        self.deployment = deployment
        if deployment == states.DEPLOYED:
            self.deployed_version = self.node.software_version
        elif deployment == states.NOT_DEPLOYED:
            self.deployed_version = None
            self.running = False
        self.record_state()

    def set_running(self, running: bool) -> None:
        if self.running != running:
            self.running = running
            self.record_state()

    def record_state(self) -> None:
        """An ``sp.platform`` event with the state now (also after a SUP change)."""
        self.record(self.node.host_name, "sp.platform", platform=self.name,
                    deployment=self.deployment, state=self.state, sup=self.sup,
                    software_version=self.software_version)

    def snapshot(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "node": self.node.host_name,
                "deployment": self.deployment, "state": self.state,
                "deployment_status": gr_status(self.deployment),
                "software_version": self.software_version,
                "deployed_version": self.deployed_version,
                "software_upgrade_pending": self.sup}


@dataclasses.dataclass(eq=False)
class Engine:
    name: str
    platform: Platform
    record: Recorder
    objects: list["AppObject"] = dataclasses.field(default_factory=list)  # assigned here
    deployment: str = states.NOT_DEPLOYED
    running: bool = False
    starting: bool = False
    stopping: bool = False
    version: str | None = None       # software it was deployed with
    redundancy_status: str | None = None
    pair: "EnginePair | None" = None
    synced: bool = False             # holds the partner's checkpoint (reached Standby - Ready)
    generation: int = 0              # bumped by every run-time change; stale timers check it

    kind = "engine"

    @property
    def host(self) -> str:
        return self.platform.name

    @property
    def node(self) -> "Node":
        return self.platform.node

    @property
    def role(self) -> str | None:
        """'primary' or 'backup' in a redundant pair, else None."""
        if self.pair is None:
            return None
        return "primary" if self.pair.primary is self else "backup"

    @property
    def state(self) -> str:
        if self.deployment != states.DEPLOYED:
            return self.deployment
        if not self.node.reachable:
            return states.NOT_AVAILABLE
        if self.starting:
            return states.STARTING_ON_SCAN
        if self.stopping:
            return states.SHUTTING_DOWN
        return states.RUNNING_ON_SCAN if self.running else states.SHUTDOWN

    def set_deployment(self, deployment: str) -> None:
        self.deployment = deployment
        if deployment == states.DEPLOYED:
            self.version = self.node.software_version
        elif deployment == states.NOT_DEPLOYED:
            self.version = None
        self.record(self.node.host_name, "sp.engine", engine=self.name,
                    platform=self.platform.name, deployment=deployment, state=self.state,
                    version=self.version)

    def snapshot(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "platform": self.platform.name,
                "node": self.node.host_name, "host": self.host,
                "deployment": self.deployment, "state": self.state,
                "deployment_status": gr_status(self.deployment), "version": self.version,
                "pair": self.pair.name if self.pair else None, "role": self.role,
                "redundancy_status": self.redundancy_status,
                "objects": [o.name for o in self.objects]}


@dataclasses.dataclass(eq=False)
class AppObject:
    """An application object; assigned to an engine (the primary of a redundant pair)."""

    name: str
    engine: Engine
    record: Recorder
    deployment: str = states.NOT_DEPLOYED
    pending_changes: bool = False    # configuration changed since the last deploy
    runtime_changes: int = 0         # run-time changes not yet uploaded to the galaxy
    version: str | None = None       # software of the engine it was last deployed to

    kind = "object"

    @property
    def host(self) -> str:
        return self.engine.name

    @property
    def running_on(self) -> Engine | None:
        """The engine executing the object now: the pair's active engine, or its own."""
        if self.deployment != states.DEPLOYED:
            return None
        if self.engine.pair is not None:
            return self.engine.pair.active()
        return self.engine if self.engine.running else None

    def set_deployment(self, deployment: str, version: str | None = None) -> None:
        self.deployment = deployment
        if deployment == states.DEPLOYED:
            self.pending_changes = False
            self.version = version
        elif deployment == states.NOT_DEPLOYED:
            self.version = None
        self.record(self.engine.node.host_name, "sp.object", object=self.name,
                    engine=self.engine.name, deployment=deployment, version=self.version)

    def snapshot(self) -> dict[str, Any]:
        running = self.running_on
        status = gr_status(self.deployment)
        if status == states.GR_DEPLOYED and self.pending_changes:
            status = states.GR_PENDING_CHANGES
        return {"name": self.name, "kind": self.kind, "engine": self.engine.name,
                "host": self.host, "deployment": self.deployment,
                "deployment_status": status, "version": self.version,
                "running_on": running.name if running else None,
                "runtime_changes": self.runtime_changes}


GalaxyObject = Platform | Engine | AppObject


def gr_status(deployment: str) -> str:
    """GRAccess ``EDeploymentStatus`` for an IDE deployment state."""
    return states.GR_DEPLOYED if deployment == states.DEPLOYED else states.GR_NOT_DEPLOYED
