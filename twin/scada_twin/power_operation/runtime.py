"""The runtime: the Runtime Manager service and the processes it runs.

The runtime runs as a Windows service (``[runtime] service_name``; the Power Operation 2024
help calls it "Citect Runtime Manager"). Starting the service starts every process; stopping
it stops them first (the service stays StopPending until all are Stopped). Runtime Manager's
"Restart All" moves each process Stopping -> Stopped, and once all are Stopped, Starting ->
Running. Every process state change is a ``po.process`` timeline event {process, state}
(plus ``reason`` for Exception), recorded when it happens, on the host's scheduler.

What runs is the project ``[CtEdit]Run`` names *at start*, and only if it is compiled
(:meth:`.compiler.Compiler.compiled`); otherwise each process ends in Exception. A running
runtime keeps the compiled fingerprint it loaded (``loaded``) until it restarts, which is how
"confirm your changes are present" is checked.

Durations are modelled seconds, overridable in the cost model as ``process_start:<process>``
/ ``process_stop:<process>`` and ``runtime_service_start``. The defaults are engineering
estimates (the vendor publishes no figures): an I/O Server needs tens of seconds to connect
to its devices; the alarm server loads its save file; trend, report, client and the service
mode's System Services a few seconds to about ten.

Faults (see ``faults.KINDS``), consulted when a start attempt ends: ``po_process_stuck_starting``
(the process stays Starting), ``po_process_exception`` (it goes to Exception).
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from typing import Any, Callable, Iterable, Iterator

from ..costs import CostModel
from ..faults import FaultPlan
from ..scheduler import Scheduler, Timer
from ..services import ServiceManager, ServiceState
from ..timeline import Timeline
from .compiler import Compiler
from .config import RuntimeSpec
from .errors import RuntimeStateError
from .install import Install
from .projects import ProjectStore

STATES = ("Starting", "Running", "Stopping", "Stopped", "Exception")
#: (start, stop) modelled seconds per process type.
DEFAULT_DURATIONS = {
    "I/O Server": (20.0, 5.0),
    "Alarm": (15.0, 5.0),
    "Trend": (10.0, 4.0),
    "Report": (5.0, 3.0),
    "Client": (12.0, 3.0),
    "System Services": (5.0, 3.0),
}
_OTHER_PROCESS = (10.0, 3.0)
DEFAULT_SERVICE_START_SECONDS = 3.0

Listener = Callable[[str, str], None]  # (process, state)


@dataclasses.dataclass(frozen=True)
class ProcessStatus:
    name: str
    state: str
    reason: str | None = None  # why it is in Exception


@dataclasses.dataclass(frozen=True)
class LoadedProject:
    project: str
    fingerprint: str  # the compiled set fingerprint the processes run
    path: str         # the [CtEdit]Run value it was loaded from


@dataclasses.dataclass(frozen=True)
class RuntimeStatus:
    service: ServiceState
    processes: tuple[ProcessStatus, ...]
    loaded: LoadedProject | None
    run_path: str | None  # [CtEdit]Run now (what the next start will load)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class _Process:
    name: str
    state: str
    reason: str | None = None
    generation: int = 0          # bumped by every new transition; stale timers check it
    timer: Timer | None = None


class Runtime:
    def __init__(self, spec: RuntimeSpec, host_name: str, *, services: ServiceManager,
                 scheduler: Scheduler, timeline: Timeline, faults: FaultPlan,
                 costs: CostModel, install: Install, store: ProjectStore,
                 compiler: Compiler) -> None:
        self.service_name = spec.service.name
        self._host = host_name
        self._services = services
        self._scheduler = scheduler
        self._timeline = timeline
        self._faults = faults
        self._costs = costs
        self._install = install
        self._store = store
        self._compiler = compiler
        self._lock = threading.RLock()
        self._depth = 0
        self._deferred: list[Callable[[], None]] = []
        self._listeners: list[Listener] = []
        running = spec.service.status == "Running"
        loaded, reason = self._load() if running else (None, None)
        self._loaded = loaded
        initial = ("Running" if loaded else "Exception") if running else "Stopped"
        self._processes = {p.lower(): _Process(p, initial, reason if loaded is None else None)
                           for p in spec.processes}
        services.add(spec.service.name, spec.service.display_name, status=spec.service.status,
                     start_type=spec.service.start_type, behaviour=self)

    # -- queries ---------------------------------------------------------------------------
    def status(self) -> RuntimeStatus:
        with self._lock:
            processes = tuple(ProcessStatus(p.name, p.state, p.reason)
                              for p in self._processes.values())
            loaded = self._loaded
        return RuntimeStatus(self._services.get(self.service_name), processes, loaded,
                             self._install.ctedit("Run"))

    def process_names(self) -> list[str]:
        return [p.name for p in self._processes.values()]

    def process_state(self, process: str) -> str:
        with self._lock:
            return self._process(process).state

    def add_listener(self, listener: Listener) -> None:
        """Called (outside the runtime's lock) after every process state change."""
        self._listeners.append(listener)

    # -- Runtime Manager -------------------------------------------------------------------
    def restart_all(self) -> None:
        """Runtime Manager "Restart All": stop every process, then start every process."""
        self.restart(self.process_names())

    def restart(self, processes: Iterable[str]) -> None:
        """Restart some processes (Cicode ``ServerRestart`` for a server's process)."""
        names = [self._process(p).name for p in processes]
        self._require_service_running()
        with self._transaction():
            self._stop_group(names, then=lambda: self._start_group(names))

    def start_all(self) -> None:
        """Runtime Manager "Start All": start every process that is not running."""
        self._require_service_running()
        with self._transaction():
            self._start_group(self.process_names())

    def shutdown_all(self) -> None:
        """Runtime Manager "Shutdown All": stop every process; the service keeps running."""
        with self._transaction():
            self._stop_group(self.process_names(), then=None)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no transition is pending (a stuck process counts as settled)."""
        return self._scheduler.wait_idle(timeout)

    # -- the service's behaviour (services.ServiceBehaviour) -------------------------------
    def start(self, service: str, done: Callable[[bool], None]) -> None:
        def running() -> None:
            done(True)
            with self._transaction():
                self._start_group(self.process_names())

        self._scheduler.call_later(
            self._costs.operation("runtime_service_start", DEFAULT_SERVICE_START_SECONDS),
            running)

    def stop(self, service: str, done: Callable[[], None]) -> None:
        with self._transaction():
            self._stop_group(self.process_names(), then=done)

    # -- transitions (called inside a transaction) -----------------------------------------
    def _stop_group(self, names: list[str], then: Callable[[], None] | None) -> None:
        """Stop ``names``; ``then`` runs once all of them are Stopped."""
        remaining = set()
        for process in (self._process(n) for n in names):
            if process.state == "Stopped":
                continue
            self._set(process, "Stopping")
            remaining.add(process.name)
            process.timer = self._scheduler.call_later(
                self._duration(process.name, stop=True), self._stopped, process.name,
                process.generation, remaining, then)
        if not remaining and then is not None:
            self._deferred.append(then)

    def _stopped(self, name: str, generation: int, remaining: set[str],
                 then: Callable[[], None] | None) -> None:
        with self._transaction():
            process = self._process(name)
            if process.generation != generation:
                return
            self._set(process, "Stopped")
            remaining.discard(name)
            if all(p.state == "Stopped" for p in self._processes.values()):
                self._loaded = None
            if not remaining and then is not None:
                self._deferred.append(then)

    def _start_group(self, names: list[str]) -> None:
        loaded, reason = self._load()
        if loaded is not None:
            self._loaded = loaded
        for process in (self._process(n) for n in names):
            if process.state in ("Starting", "Running"):
                continue
            self._set(process, "Starting")
            process.timer = self._scheduler.call_later(
                self._duration(process.name, stop=False), self._started, process.name,
                process.generation, reason)

    def _started(self, name: str, generation: int, reason: str | None) -> None:
        with self._transaction():
            process = self._process(name)
            if process.generation != generation:
                return
            process.timer = None
            if reason is not None:
                self._set(process, "Exception", reason)
            elif self._fault("po_process_stuck_starting", name):
                return  # stays Starting: nothing will move it on
            elif self._fault("po_process_exception", name):
                self._set(process, "Exception", "injected fault po_process_exception")
            else:
                self._set(process, "Running")

    def _set(self, process: _Process, state: str, reason: str | None = None) -> None:
        if process.timer is not None:
            process.timer.cancel()
            process.timer = None
        process.generation += 1
        process.state = state
        process.reason = reason
        data = {"process": process.name, "state": state}
        if reason is not None:
            data["reason"] = reason
        self._timeline.record(self._host, "po.process", **data)
        for listener in list(self._listeners):
            self._deferred.append(lambda listener=listener: listener(process.name, state))

    # -- helpers ---------------------------------------------------------------------------
    def _load(self) -> tuple[LoadedProject | None, str | None]:
        """What a start would load: the [CtEdit]Run project, if it is compiled."""
        path = self._install.ctedit("Run")
        if not path:
            return None, "[CtEdit]Run is not set in citect.ini"
        project = self._store.project_for_path(path)
        if project is None:
            return None, f"'{path}' is not a project on this server"
        compiled = self._compiler.compiled(project)
        if compiled is None:
            return None, f"project {project} has not been compiled"
        return LoadedProject(project, compiled.fingerprint, path), None

    def _fault(self, kind: str, process: str) -> bool:
        return self._faults.take(self._host, kind, process=process) is not None

    def _duration(self, process: str, stop: bool) -> float:
        start_s, stop_s = DEFAULT_DURATIONS.get(process, _OTHER_PROCESS)
        if stop:
            return self._costs.operation(f"process_stop:{process}", stop_s)
        return self._costs.operation(f"process_start:{process}", start_s)

    def _process(self, name: str) -> _Process:
        try:
            return self._processes[name.lower()]
        except KeyError:
            raise RuntimeStateError(f"no runtime process named {name!r}; "
                                    f"known: {', '.join(self.process_names())}") from None

    def _require_service_running(self) -> None:
        status = self._services.get(self.service_name).status
        if status != "Running":
            raise RuntimeStateError(f"the runtime is not running (service "
                                    f"'{self.service_name}' is {status})")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """Hold the lock; afterwards, outside it, run listeners and continuations."""
        with self._lock:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                deferred, outermost = [], self._depth == 0
                if outermost:
                    deferred, self._deferred = self._deferred, []
        for call in deferred:
            call()
