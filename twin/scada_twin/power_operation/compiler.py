"""Compiling a project with its included projects, as Graphics Builder's ProjectCompile does.

A compile takes a modelled time (cost model: ``compile`` seconds, default 40, plus
``compile_per_mib`` seconds, default 5, per MiB of source in the compiled set: engineering
estimates for a mid-size project on a server-class machine; the vendor publishes no figures),
blocks the caller like the COM call does, and only one runs at a time per host (one Graphics
Builder). A successful compile writes the compiled databases (``<table>.RDB`` per ``.DBF``
table) and ``compile.log`` into the project folder and records the set fingerprint it was
compiled from; a failed one removes the compiled databases, so the runtime cannot start it.
A project is *compiled* while its record exists and its outputs are on disk, and *stale* when
its sources (or those of its includes) changed since.

Errors come from the project itself (an included project that does not exist: FATAL) and
from the ``compile_error`` fault. After the compile the ini hook for the outcome is evaluated
(:mod:`.compile_hooks`), its command line run as the compiler starts it (:mod:`..cmd`), and
returned with the result.

Timeline: ``po.compile`` {project, state: started | succeeded | failed, fingerprint, errors,
warnings}.
"""

from __future__ import annotations

import dataclasses
import ntpath
import threading
from typing import Any, Mapping

from .. import cmd
from ..costs import CostModel
from ..faults import FaultPlan
from ..filesystem import FileSystemError
from ..timeline import Timeline
from . import compile_hooks, content
from .compile_hooks import HookRun
from .errors import PowerOperationError
from .install import Install
from .projects import ProjectStore

MESSAGE_TYPES = ("ERROR", "FATAL", "WARNING")
COMPILE_LOG = "compile.log"
DEFAULT_COMPILE_SECONDS = 40.0
DEFAULT_COMPILE_SECONDS_PER_MIB = 5.0


class CompileCancelled(PowerOperationError):
    """The caller gave up (its command was terminated) before the compile finished."""


@dataclasses.dataclass(frozen=True)
class CompileMessage:
    """One line of the compiler's error list (vendor fields)."""

    type: str
    record: int = 0
    name: str = ""
    field: str = ""
    table: str = ""
    error: str = ""
    context: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], context: str) -> "CompileMessage":
        """From fault parameters; keys are case-insensitive, missing ones get defaults."""
        lookup = {str(k).lower(): v for k, v in data.items()}
        kind = str(lookup.get("type", "ERROR")).upper()
        if kind not in MESSAGE_TYPES:
            raise ValueError(f"compile message type must be one of {MESSAGE_TYPES}, not {kind!r}")
        return cls(kind, int(lookup.get("record", 0)), str(lookup.get("name", "")),
                   str(lookup.get("field", "")), str(lookup.get("table", "")),
                   str(lookup.get("error", "Injected compile error")),
                   str(lookup.get("context", context)))

    def as_dict(self) -> dict[str, Any]:
        """The vendor's field names: Type, Record, Name, Field, Table, Error, Context."""
        return {"Type": self.type, "Record": self.record, "Name": self.name,
                "Field": self.field, "Table": self.table, "Error": self.error,
                "Context": self.context}


@dataclasses.dataclass(frozen=True)
class CompileResult:
    project: str
    projects: tuple[str, ...]   # the compiled set: the project, then its includes
    success: bool
    errors: int                 # ERROR + FATAL messages
    warnings: int
    messages: tuple[CompileMessage, ...]
    fingerprint: str            # set fingerprint of the sources compiled
    duration: float             # modelled seconds
    hook: HookRun | None        # the ini hook for this outcome, if one is configured


@dataclasses.dataclass(frozen=True)
class CompiledState:
    project: str
    fingerprint: str
    projects: tuple[str, ...]
    outputs: tuple[str, ...]    # files written into the project folder


@dataclasses.dataclass(frozen=True)
class CompileStatus:
    project: str
    compiled: bool
    compiled_fingerprint: str | None
    fingerprint: str            # set fingerprint of the sources now
    stale: bool                 # compiled, but the sources changed since


class Compiler:
    def __init__(self, store: ProjectStore, install: Install, costs: CostModel,
                 timeline: Timeline, faults: FaultPlan, host_name: str) -> None:
        self._store = store
        self._install = install
        self._costs = costs
        self._timeline = timeline
        self._faults = faults
        self._host = host_name
        self._lock = threading.Lock()       # one compile at a time
        self._state_lock = threading.Lock()
        self._compiled: dict[str, CompiledState] = {}
        self.busy: str | None = None        # the project being compiled

    # -- queries ---------------------------------------------------------------------------
    def compiled(self, project: str) -> CompiledState | None:
        """The last successful compile, while its outputs are still on disk."""
        name = self._store.canonical(project)
        with self._state_lock:
            state = self._compiled.get(name.lower())
        folder = self._store.path(name)
        if state is None or not all(self._store.fs.is_file(f"{folder}\\{o}")
                                    for o in state.outputs):
            return None
        return state

    def status(self, project: str) -> CompileStatus:
        name = self._store.canonical(project)
        state = self.compiled(name)
        now = self._store.set_fingerprint(self._store.closure(name))
        return CompileStatus(name, state is not None, state and state.fingerprint, now,
                             state is not None and state.fingerprint != now)

    def duration(self, project: str) -> float:
        """Modelled seconds a compile of ``project`` takes now."""
        size = self._store.size(self._store.closure(project))
        return (self._costs.operation("compile", DEFAULT_COMPILE_SECONDS)
                + self._costs.operation("compile_per_mib", DEFAULT_COMPILE_SECONDS_PER_MIB)
                * size / 2**20)

    # -- compiling -------------------------------------------------------------------------
    def compile(self, project: str, cancel: threading.Event | None = None) -> CompileResult:
        """Compile and wait, like ProjectSelect + ProjectCompile; see the module doc."""
        name = self._store.canonical(project)
        with self._lock:
            self.busy = name
            try:
                return self._compile(name, cancel)
            finally:
                self.busy = None

    def mark_compiled(self, project: str) -> CompileResult:
        """Plant set-up: the state a past compile left, at once, without faults or events."""
        with self._lock:
            return self._compile(self._store.canonical(project), None, setup=True)

    def _compile(self, name: str, cancel: threading.Event | None,
                 setup: bool = False) -> CompileResult:
        projects = tuple(self._store.closure(name))
        fingerprint = self._store.set_fingerprint(projects)
        duration = 0.0 if setup else self.duration(name)
        if not setup:
            self._record(name, "started", fingerprint=fingerprint)
            if not self._costs.sleep(duration, cancel):
                self._record(name, "cancelled", fingerprint=fingerprint)
                raise CompileCancelled(f"compile of {name} cancelled")
        messages = self._missing_includes(name, projects)
        if not setup:
            messages += self._injected(projects)
        success = not _errors(messages)
        try:
            self._write_outputs(name, projects, fingerprint, messages, success)
        except FileSystemError as exc:
            messages.append(CompileMessage("FATAL", error=str(exc), context=name))
            success = False
            self._forget(name)
        hook = None if setup else self._hook(name, projects, messages, success)
        if hook is not None and hook.command is not None:
            cmd.run(self._store.fs, hook.command, self._timeline, self._host)
        result = CompileResult(name, projects, success, _errors(messages),
                               _count(messages, "WARNING"), tuple(messages), fingerprint,
                               duration, hook)
        if not setup:
            self._record(name, "succeeded" if success else "failed", fingerprint=fingerprint,
                         errors=result.errors, warnings=result.warnings)
        return result

    def _missing_includes(self, name: str, projects: tuple[str, ...]) -> list[CompileMessage]:
        return [CompileMessage("FATAL", name=p, table=content.INCLUDE_FILE,
                               error=f"Included project '{p}' not found", context=name)
                for p in projects if not self._store.exists(p)]

    def _injected(self, projects: tuple[str, ...]) -> list[CompileMessage]:
        """Messages of ``compile_error`` faults; a fault without ``project`` counts once."""
        messages: list[CompileMessage] = []
        for project in projects:
            params = self._faults.take(self._host, "compile_error", project=project)
            if params is None:
                continue
            raw = params.get("messages") or [{}]
            messages += [CompileMessage.from_mapping(m, project) for m in raw]
            if "project" not in params:
                break
        return messages

    def _write_outputs(self, name: str, projects: tuple[str, ...], fingerprint: str,
                       messages: list[CompileMessage], success: bool) -> None:
        folder = self._store.path(name)
        fs = self._store.fs
        log = "\r\n".join([f"Compiled {name} ({', '.join(projects)}) from {fingerprint}"]
                          + [" | ".join(str(v) for v in m.as_dict().values()) for m in messages])
        fs.write(f"{folder}\\{COMPILE_LOG}", (log + "\r\n").encode("utf-8"))
        if not success:
            self._forget(name)
            return
        sources = [f for p in projects if self._store.exists(p) for f in self._store.files(p)]
        tables = sorted({ntpath.splitext(ntpath.basename(f))[0] for f in sources
                         if f.lower().endswith(".dbf")
                         and ntpath.basename(f).lower() != content.INCLUDE_FILE.lower()},
                        key=str.lower)
        outputs = tuple(f"{t}.RDB" for t in tables)
        for output in outputs:
            fs.write(f"{folder}\\{output}", f"RDB\0{output}\0{fingerprint}\0".encode("utf-8"))
        with self._state_lock:
            self._compiled[name.lower()] = CompiledState(name, fingerprint, projects, outputs)

    def _forget(self, name: str) -> None:
        """A failed compile leaves no usable compiled databases behind."""
        with self._state_lock:
            state = self._compiled.pop(name.lower(), None)
        folder = self._store.path(name)
        for output in state.outputs if state else ():
            if self._store.fs.is_file(f"{folder}\\{output}"):
                self._store.fs.remove(f"{folder}\\{output}")

    def _hook(self, name: str, projects: tuple[str, ...], messages: list[CompileMessage],
              success: bool) -> HookRun | None:
        try:
            document = self._install.ini()
        except FileSystemError:
            return None
        values = compile_hooks.hook_values(
            success=success, project=name, project_path=self._store.path(name),
            errors=_errors(messages), warnings=_count(messages, "WARNING"),
            includes=list(projects[1:]), bin_path=self._install.ctedit("Bin") or "",
            ini_path=self._install.ini_path, log_path=self._install.ctedit("Logs") or "")
        return compile_hooks.run_hook(document, success, values)

    def _record(self, name: str, state: str, **data: Any) -> None:
        self._timeline.record(self._host, "po.compile", project=name, state=state, **data)


def _count(messages: list[CompileMessage], kind: str) -> int:
    return sum(1 for m in messages if m.type == kind)


def _errors(messages: list[CompileMessage]) -> int:
    return _count(messages, "ERROR") + _count(messages, "FATAL")
