"""One host's Power Operation: install, projects, compiler, runtime, notifications, pair.

:class:`PowerOperation` builds the parts from the spec and holds them as attributes; the
operation handlers call the parts directly (``po.compiler.compile(...)``,
``po.runtime.restart_all()``, ...) and use the few methods here that combine them.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..costs import CostModel
from ..faults import FaultPlan
from ..filesystem import FileSystem
from ..registry import Registry
from ..scheduler import Scheduler
from ..services import ServiceManager
from ..timeline import Timeline
from . import archive, content, install, notifications, pairs
from .availability import IO_SERVER
from .compiler import Compiler
from .config import PowerOperationSpec, ProjectSpec
from .install import Install, InstallInfo
from .projects import ProjectStore
from .runtime import Runtime

if TYPE_CHECKING:
    from ..host import Host


class PowerOperation:
    def __init__(self, spec: PowerOperationSpec, *, host_name: str, computer_name: str,
                 fs: FileSystem, registry: Registry, services: ServiceManager,
                 scheduler: Scheduler, timeline: Timeline, faults: FaultPlan,
                 costs: CostModel) -> None:
        self.spec = spec
        self.host_name = host_name
        self.computer_name = computer_name
        self.timeline = timeline
        self.scheduler = scheduler
        self._fs = fs
        self._registry = registry
        install.lay_down(spec, fs, registry, computer_name)
        self.install = Install(fs, spec.ini_path)
        self.projects = ProjectStore(fs, spec.folders["user"], timeline, host_name)
        self.compiler = Compiler(self.projects, self.install, costs, timeline, faults, host_name)
        for project in spec.projects:
            self.projects.create(project.name, _initial_files(project))
        for project in spec.projects:
            if project.compiled:
                self.compiler.mark_compiled(project.name)
        notifications.install(services, spec)
        self.notifications = notifications.Notifications(services, spec.notification_patterns)
        self.runtime = Runtime(spec.runtime, host_name, services=services, scheduler=scheduler,
                               timeline=timeline, faults=faults, costs=costs,
                               install=self.install, store=self.projects,
                               compiler=self.compiler)
        self.pair: pairs.Pair | None = None  # set by pairs.wire

    @classmethod
    def for_host(cls, host: "Host", spec: PowerOperationSpec) -> "PowerOperation":
        return cls(spec, host_name=host.name, computer_name=host.spec.computer_name,
                   fs=host.fs, registry=host.registry, services=host.services,
                   scheduler=host.scheduler, timeline=host.timeline, faults=host.faults,
                   costs=host.costs)

    # -- identity and redundancy -----------------------------------------------------------
    @property
    def pair_name(self) -> str | None:
        return self.spec.pair

    @property
    def configured_role(self) -> str | None:
        return self.spec.configured_role

    @property
    def cluster(self) -> str:
        return self.spec.cluster

    def is_active(self, process: str = IO_SERVER) -> bool:
        return pairs.is_active(self, process)

    def live_role(self) -> str:
        """'active', 'standby' or 'offline' (see :func:`.pairs.live_role`)."""
        return pairs.live_role(self)

    # -- combined views --------------------------------------------------------------------
    def discover(self) -> InstallInfo | None:
        """The install as the registry shows it now (what the real script finds)."""
        return install.discover(self._registry, self._fs)

    def current_project(self) -> str | None:
        """The project ``[CtEdit]Run`` names: the one the next runtime start loads."""
        run = self.install.ctedit("Run")
        return self.projects.project_for_path(run) if run else None

    def backup_entries(self, project: str, *, include_included: bool = True,
                       include_subdirectories: bool = True, include_config: bool = True,
                       exclude: tuple[str, ...] = ()) -> list[archive.ArchiveEntry]:
        """The vendor Backup dialog's content; configuration files means citect.ini."""
        return archive.backup_entries(
            self.projects, project, include_included=include_included,
            include_subdirectories=include_subdirectories,
            config_files=(self.spec.ini_path,) if include_config else (), fs=self._fs,
            exclude=exclude)

    def project_status(self, project: str) -> dict[str, Any]:
        name = self.projects.canonical(project)
        compiled = self.compiler.status(name)
        return {"name": name, "path": self.projects.path(name),
                "includes": self.projects.includes(name),
                "fingerprint": self.projects.fingerprint(name),
                "set_fingerprint": compiled.fingerprint, "compiled": compiled.compiled,
                "compiled_fingerprint": compiled.compiled_fingerprint,
                "stale": compiled.stale, "has_previous": self._fs.is_dir(self.projects.path(name) + ".previous")}

    def snapshot(self) -> dict[str, Any]:
        """Everything po_info could report, as plain data."""
        found = self.discover()
        return {
            "installed": found is not None,
            "install": None if found is None else {"key": found.key_name,
                                                   "ini_path": found.ini_path,
                                                   "bin_folder": found.bin_folder},
            "version": self.spec.version,
            "ctedit": dict(self.install.ini().items(install.CTEDIT)),
            "current_project": self.current_project(),
            "projects": [self.project_status(p) for p in self.projects.names()],
            "compiling": self.compiler.busy,
            "runtime": self.runtime.status().as_dict(),
            "redundancy": {"pair": self.pair_name, "configured_role": self.configured_role,
                           "cluster": self.cluster, "live_role": self.live_role(),
                           "partner": self.pair.partner(self).host_name if self.pair else None},
            "notification_services": [dataclasses.asdict(s)
                                      for s in self.notifications.matching()],
        }


def _initial_files(project: ProjectSpec) -> dict[str, bytes]:
    files = content.default_files(project.name, project.includes) if project.default_files \
        else {content.INCLUDE_FILE: content.render_includes(project.includes)}
    for path, data in project.files.items():  # the spec's files replace same-named ones
        files = {p: d for p, d in files.items() if p.lower() != path.lower()}
        if data is not None:
            files[path] = data
    return files
