"""Twin model of project_compile.ps1: compile through Graphics Builder, learn the outcome from
the citect.ini hooks, put the hooks back.

As the real script: a leftover sidecar (a killed run) is restored first; the current hook
lines are saved beside citect.ini and both hooks point at a result file; the compiler
(:class:`..power_operation.compiler.Compiler`, blocking like ``ProjectCompile``) runs, and
the hook line it expands is executed here as cmd.exe would (the ``>"file" echo ...`` it
holds writes the file); the hooks are restored in every case. Messages are read from
``messages_file`` in the project folder (the compiler's ``compile.log``), in the text format
the script parses. On a timeout the caller stops waiting; the compile goes on, as Graphics
Builder would.

With ``run_id`` the run leaves a record, ``<[CtEdit]Data>\\scada.redundancy\\compile-runs\\<run_id>.json``
('running', then 'done' with the result or 'failed' with the message); ``attach`` answers
that record (waiting up to ``attach_wait`` modelled seconds for a running one) instead of
compiling, so a controller whose connection was cut learns what became of the compile. A
'running' record whose process is gone is 'abandoned': the script checks the recorded
process id; the twin keeps the running commands' cancel flags. A command ended by the host
(``reset_during_command`` with ``terminate``) writes nothing after the compile, as a killed
PowerShell would not; the twin still puts the hooks back (the next run would).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

from ..filesystem import FileSystemError
from ..power_operation import PowerOperationError
from ..power_operation.compile_hooks import FAILURE_KEY, SUCCESS_KEY
from ..power_operation.compiler import COMPILE_LOG, CompileResult
from ..power_operation.install import CTEDIT
from ..shell.process import ProcessTerminated
from . import Call, OperationError, operation
from . import _po

if TYPE_CHECKING:
    from ..host import Host

HOOK_KEYS = (SUCCESS_KEY, FAILURE_KEY)
MESSAGE_TYPES = ("ERROR", "FATAL", "WARNING")
_CMD_ECHO = re.compile(r'^cmd\.exe /d /c >"(?P<file>[^"]+)" echo (?P<text>.*)$')
_ANSWER = re.compile(r"(ok|failed)\s+(\d+)(?:\s+(\d+))?")
RESULT_FOLDER = "C:\\Windows\\Temp"
#: (host, run record path) -> the cancel flag of the command running that compile.
_RUNNING: dict[tuple[int, str], threading.Event] = {}


@operation("project_compile")
def project_compile(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    install = _po.require_install(host)
    if params.get("attach"):
        return _attach(host, install, str(params["attach"]), float(params.get("attach_wait") or 0))
    entries = _po.catalog(host, install, str(params.get("project_source") or "folders"))
    entry = _po.target_entry(install, entries, str(params.get("project") or ""))
    projects = _po.closure(entries, entry.name)
    try:
        set_fp = _po.set_fingerprint(host, entries, projects, {})
        result: dict[str, Any] = {
            "project": entry.name, "projects": projects, "fingerprint": set_fp,
            "compiled": False, "success": None, "error_count": 0, "warning_count": 0, "messages": [],
            "outcome_source": None, "duration": 0.0}
        if params.get("check"):
            return result
        record = _run_path(install, str(params.get("run_id") or ""))
        _write_run(host, record, {"state": "running", "project": entry.name}, first=True)
        _RUNNING[(id(host), record or "")] = call.io.cancelled
        try:
            try:
                result = _compile_run(host, install, entry, projects, set_fp, result, params,
                                      call.io.cancelled)
            except FileSystemError as exc:
                raise _po.file_error(exc) from None
        except OperationError as exc:
            _write_run(host, record, {"state": "failed", "msg": exc.msg, "category": exc.category})
            raise
        finally:
            _RUNNING.pop((id(host), record or ""), None)
        _write_run(host, record, {"state": "done", "result": result})
        return result
    except FileSystemError as exc:
        raise _po.file_error(exc) from None


def _run_path(install: _po.Install, run_id: str) -> str | None:
    """Get-CompileRunPath."""
    data = install.paths["data"]
    if not data or not re.fullmatch(r"[0-9a-f]{32}", run_id):
        return None
    return f"{data.rstrip(_po.BACKSLASH)}\\scada.redundancy\\compile-runs\\{run_id}.json"


def _write_run(host: "Host", path: str | None, record: dict[str, Any], first: bool = False) -> None:
    """Write-CompileRun: earlier runs' records go when a new run starts."""
    if path is None:
        return
    folder = path.rsplit("\\", 1)[0]
    if first and host.fs.is_dir(folder):
        for name in host.fs.listdir(folder):
            if name.lower().endswith(".json") and host.fs.is_file(f"{folder}\\{name}"):
                host.fs.remove(f"{folder}\\{name}")
    host.fs.write(path, json.dumps(record).encode("utf-8"))


def _attach(host: "Host", install: _po.Install, run_id: str, wait: float) -> dict[str, Any]:
    """Wait-CompileRun: the record once it is no longer running, or as it is after ``wait``."""
    path = _run_path(install, run_id)
    if path is None:
        raise OperationError("attach must name a run id of 32 hex digits", "invalid_parameter")
    deadline = time.monotonic() + host.costs.scaled(wait)
    while True:
        if not host.fs.is_file(path):
            return {"state": "unknown"}
        record = json.loads(host.fs.read(path))
        if record.get("state") == "running" and _RUNNING.get((id(host), path), _GONE).is_set():
            return {"state": "abandoned", "project": record.get("project")}
        if record.get("state") != "running" or time.monotonic() >= deadline:
            return record
        time.sleep(0.01)


_GONE = threading.Event()  # what a record whose process no longer runs looks up
_GONE.set()


def _compile_run(host: "Host", install: _po.Install, entry: _po.Entry, projects: list[str],
                 set_fp: str, result: dict[str, Any], params: dict[str, Any],
                 killed: threading.Event) -> dict[str, Any]:
    messages_path = f"{entry.path}\\{params.get('messages_file') or COMPILE_LOG}"
    before = host.fs.read(messages_path) if host.fs.is_file(messages_path) else None
    _restore_hooks(host, install)
    result_file = f"{RESULT_FOLDER}\\scada-redundancy-compile-{uuid.uuid4().hex}.txt"
    try:
        _set_hooks(host, install, result_file)
        outcome = _compile(host, install, entry.name, float(params.get("timeout") or 1800))
        answer = _run_hook(host, outcome, result_file)
        if killed.is_set():  # PowerShell was ended while Graphics Builder compiled
            raise ProcessTerminated()
    finally:
        _restore_hooks(host, install)
        if host.fs.is_file(result_file):
            host.fs.remove(result_file)
    after = host.fs.read(messages_path) if host.fs.is_file(messages_path) else None
    fresh = after is not None and (after != before or messages_path.lower().endswith(
        COMPILE_LOG.lower()))
    messages = _parse_messages(after) if fresh and after is not None else []
    listed_errors = sum(1 for m in messages if m["Type"] != "WARNING")
    listed_warnings = len(messages) - listed_errors
    result.update(compiled=True, duration=round(outcome.duration, 3), messages=messages)
    if answer is not None:
        kind, errors, warnings = answer
        result.update(outcome_source="hook", error_count=max(errors, listed_errors),
                      warning_count=max(warnings, listed_warnings))
        result["success"] = kind == "ok" and result["error_count"] == 0
    elif fresh:
        result.update(outcome_source="messages", error_count=listed_errors,
                      warning_count=listed_warnings,
                      success=listed_errors == 0)
    else:
        raise OperationError(f"the compile of {entry.name} ran, but neither the compile hook "
                             f"nor '{messages_path}' reported its outcome", "compile_unknown")
    if result["success"]:
        _po.write_marker(host, install, entry, set_fp, projects)
    else:
        _po.remove_marker(host, install, entry)
    return result


def _sidecar(install: _po.Install) -> str:
    return f"{install.ini_path}.scada-redundancy-hooks.json"


def _set_hooks(host: "Host", install: _po.Install, result_file: str) -> None:
    document = install.ini()
    saved = {key: None if document.line_text(CTEDIT, key) is None else
             {"value": document.get(CTEDIT, key), "text": document.line_text(CTEDIT, key)}
             for key in HOOK_KEYS}
    host.fs.write(_sidecar(install), json.dumps(saved).encode("utf-8"))
    document.set(CTEDIT, SUCCESS_KEY,
                 f'cmd.exe /d /c >"{result_file}" echo ok %CtEnvErrors% %CtEnvWarnings%')
    document.set(CTEDIT, FAILURE_KEY, f'cmd.exe /d /c >"{result_file}" echo failed %CtEnvErrors%')
    install.po.install.save_ini(document)


def _restore_hooks(host: "Host", install: _po.Install) -> None:
    """Put the saved hook lines back exactly as they were written, and drop the sidecar."""
    sidecar = _sidecar(install)
    if not host.fs.is_file(sidecar):
        return
    saved = json.loads(host.fs.read(sidecar))
    document = install.ini()
    for key in HOOK_KEYS:
        original = saved.get(key)
        if original is None:
            document.remove(CTEDIT, key)
        else:
            document.restore_line(CTEDIT, key, original["text"])
    install.po.install.save_ini(document)
    host.fs.remove(sidecar)


def _compile(host: "Host", install: _po.Install, project: str, timeout: float) -> CompileResult:
    """ProjectSelect + ProjectCompile in a thread the caller stops waiting on after timeout."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = install.po.compiler.compile(project)
        except PowerOperationError as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, name=f"{host.name}-compile", daemon=True)
    thread.start()
    thread.join(host.costs.scaled(timeout))
    if thread.is_alive():
        raise OperationError(f"the compile of {project} did not finish within {timeout:g} "
                             f"seconds", "timeout")
    if "error" in box:
        raise OperationError(f"Graphics Builder refused the compile of {project}: "
                             f"{box['error']}", "vendor")
    return box["result"]


def _run_hook(host: "Host", outcome: CompileResult,
              result_file: str) -> tuple[str, int, int] | None:
    """cmd.exe running the expanded hook line; then the script reading the result file."""
    if outcome.hook is not None and outcome.hook.command is not None:
        match = _CMD_ECHO.match(outcome.hook.command)
        if match:
            host.fs.write(match.group("file"), (match.group("text") + "\r\n").encode("utf-8"))
    if not host.fs.is_file(result_file):
        return None
    answer = _ANSWER.search(host.fs.read(result_file).decode("utf-8", "replace"))
    if answer is None:
        return None
    return answer.group(1), int(answer.group(2)), int(answer.group(3) or 0)


def _parse_messages(data: bytes) -> list[dict[str, Any]]:
    """Lines 'Type | Record | Name | Field | Table | Error | Context' (Read-CompileMessages)."""
    messages = []
    for line in data.decode("utf-8", "replace").splitlines():
        values = [v.strip() for v in line.split(" | ", 6)]
        if len(values) == 7 and values[0].upper() in MESSAGE_TYPES:
            record = int(values[1]) if values[1].lstrip("-").isdigit() else 0
            messages.append({"Type": values[0].upper(), "Record": record, "Name": values[2],
                             "Field": values[3], "Table": values[4], "Error": values[5],
                             "Context": values[6]})
    return messages
