"""The twin's side of the agent protocol: what ``agent.ps1`` does on a host (docs/design.md).

A command whose decoded script carries the agent marker is served by :func:`run_agent`: it
reads the request line ``{"step", "verbs": [{"name", "script"}], "calls": [{"verb", "args"}],
"repeat", "record"}``,
binds each call's arguments to the param block of the verb script it received, exactly as
PowerShell binds a splat (:mod:`.binding`), and runs the verb's model from the one table in
:mod:`.table`. The answer has the bootstrap's shape: ``{"results": [{"ok", "value"} |
{"ok": false, "msg", "category"}]}``, stopping at the first failure. Each command is a
process of the host's table while it runs; with ``record`` it leaves 'running' with that
process's id and start time in the file, then its answer. The twin never runs or
interprets a verb's body; it models what the one Windows or vendor call in it does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from ..filesystem import FileSystemError
from ..shell.process import ProcessTerminated
from ..stats import OPERATION_PREFIX, POWERSHELL_PROCESSES
from . import binding

if TYPE_CHECKING:
    from ..host import Host
    from ..shell.process import ProcessIO

AGENT_MARKER = "# scada.redundancy:agent v1"
#: The line agent.ps1 prints once it has read the whole request, before anything runs.
ARRIVED = '{"agent":"request read"}'
#: How agent.ps1 tells powershell.exe's console host from a remote runspace's host
#: (ServerRemoteHost under PSRP), where there is no console to set encodings on or write to.
CONSOLE_TEST = "$Host.Name -eq 'ConsoleHost'"
CORE_MARKER = "# scada.redundancy:agent-core v1"
VERB_PREFIX = "verb."
_VERB_MARKER = re.compile(r"^# scada\.redundancy:verb (?P<name>[a-z0-9_]+)\s*$", re.M)
_RESOURCE_MARKER = re.compile(r"^# scada\.redundancy:resource (?P<name>[a-z0-9_]+)\s*$", re.M)


class VerbError(Exception):
    """A verb's terminating error: the category a verb gives it (None for an exception it does
    not categorise, which the controller maps from ``type``, the .NET exception's name)."""

    def __init__(self, msg: str, category: str | None = "error",
                 type_name: str = "System.InvalidOperationException") -> None:
        super().__init__(msg)
        self.msg = msg
        self.category = category
        self.type_name = type_name


@dataclasses.dataclass
class VerbContext:
    """What a verb's model sees besides its bound arguments."""

    host: "Host"
    user: str
    step: str
    io: "ProcessIO"
    resources: dict[str, str] = dataclasses.field(default_factory=dict)


def run_agent(host: "Host", io: "ProcessIO", user: str, console: bool = True) -> int:
    """Serve one agent command; the exit code. Without ``console`` the request came through a
    PSRP pipeline: no powershell.exe starts, the session's host process (wsmprovhost.exe)
    runs it."""
    from .table import VERBS  # the explicit table; importing it registers nothing

    try:
        request = json.loads(io.read_all() or b"")
        core = str(request["core"])
        repeat = request["repeat"]
        record = request["record"]  # strict mode: the core reads it in every request
        step = str(request["step"])
        scripts = {str(v["name"]): str(v["script"]) for v in request["verbs"]}
        resources = {str(r["name"]): str(r["script"]) for r in request["resources"]}
        calls = [(str(c["verb"]), dict(c["args"])) for c in request["calls"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return _answer(io, {"failed": True, "category": "protocol",
                            "msg": f"agent: the request could not be read: {exc}"}, 1)
    if host.spec.windows["language_mode"] != "FullLanguage":
        # The launcher's first .NET call (Parser.ParseInput) is on no core type; outside
        # FullLanguage PowerShell refuses it, and the launcher answers its own failure
        # (Microsoft, "about_Language_Modes": method invocation only on core types).
        return _answer(io, {"failed": True, "category": "protocol",
                            "msg": "agent: the request could not be read: Cannot invoke method. "
                                   "Method invocation is supported only on core types in this "
                                   "language mode."}, 1)
    # The launcher says the request arrived whole before the core runs (agent.ps1).
    io.write_stdout(ARRIVED + "\r\n")
    if not core.startswith(CORE_MARKER):
        return _answer(io, {"failed": True, "category": "unsupported",
                            "msg": "the request's core is not the collection's agent core"}, 1)
    for name, script in scripts.items():
        marker = _VERB_MARKER.search(script)
        if marker is None or marker.group("name") != name or name not in VERBS:
            io.write_stderr(f"scada twin: unsupported verb {name!r}: the twin runs only the "
                            f"collection's own agent verbs\r\n")
            return _answer(io, {"failed": True, "category": "unsupported",
                                "msg": f"unsupported verb {name}"}, 1)
    for name, script in resources.items():
        marker = _RESOURCE_MARKER.search(script)
        if marker is None or marker.group("name") != name:
            return _answer(io, {"failed": True, "category": "unsupported",
                                "msg": f"unsupported resource {name}"}, 1)
    code = {"core": core, **scripts, **{f"resource:{n}": s for n, s in resources.items()}}
    host.timeline.record(host.name, "operation", operation=step, user=user,
                         verbs=[verb for verb, _ in calls],
                         verb_sha256={n: _sha256(s) for n, s in code.items()},
                         code_sha256=code_sha256(code))
    host.stats.count(OPERATION_PREFIX + step)
    if console:
        host.stats.count(POWERSHELL_PROCESSES)
        host.costs.sleep(host.costs.powershell_start)
    fault = host.faults.take(host.name, "operation_fails", operation=step)
    if fault is not None:
        return _answer(io, {"results": [{"ok": False, "category": "injected",
                                         "msg": fault.get("message", f"injected failure of {step}")}]})
    process = host.processes.start("powershell" if console else "wsmprovhost")
    try:
        if record:
            try:
                _write_record(host, str(record), {"state": "running", "pid": process.pid,
                                                  "started": process.started})
            except FileSystemError as exc:
                return _answer(io, {"failed": True, "category": "io",
                                    "msg": f"agent: the record {record} could not be written: {exc}"}, 1)
        answer = _run_repeated(host, VerbContext(host, user, step, io, resources), scripts,
                               calls, repeat)
        if record:
            try:
                _write_record(host, str(record), answer)
            except FileSystemError:
                pass  # the answer still reaches the controller
        return _answer(io, answer)
    finally:  # a terminated command leaves its record 'running': its process is gone
        host.processes.exit(process.pid)


def _run_repeated(host: "Host", context: VerbContext, scripts: dict[str, str],
                  calls: list[tuple[str, dict[str, Any]]], repeat: Any) -> dict[str, Any]:
    """The calls, run again as a long poll asks (the core's loop); the answer document."""
    waited = 0.0  # modelled seconds slept between polls: the host's clock in a long poll
    while True:
        results = _run_calls(host, context, scripts, calls)
        digest = hashlib.sha256(json.dumps(results, sort_keys=True).encode("utf-8")).hexdigest()
        if not repeat or repeat.get("until_changed") is None or digest != repeat["until_changed"] \
                or not all(r["ok"] for r in results):
            break
        left = float(repeat["max_wait"]) - waited
        if left <= 0:
            break
        pause = max(0.001, min(float(repeat["interval"]), left))
        if not host.costs.sleep(pause, context.io.cancelled):
            raise ProcessTerminated()
        waited += pause
    return {"results": results, "digest": digest, "waited": round(waited, 3)}


def _broken(value: Any) -> Any:
    """A verb's value with every leaf changed (the ``verb_breaks_contract`` fault)."""
    if isinstance(value, dict):
        return {key: _broken(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_broken(item) for item in value]
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "~"
    return value


def _write_record(host: "Host", path: str, document: dict[str, Any]) -> None:
    """The core's Write-AgentRecord: the file replaced whole, its folder created."""
    host.fs.mkdir(path.rsplit("\\", 1)[0])
    host.fs.write(path, json.dumps(document).encode("utf-8"))


def _run_calls(host: "Host", context: VerbContext, scripts: dict[str, str],
               calls: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each call in order, stopping at the first failure (the core's Invoke-AgentCalls)."""
    from .table import VERBS

    results: list[dict[str, Any]] = []
    for verb, args in calls:
        args = {name: _resolve(value, results) for name, value in args.items()}
        if any(value is _MISSING for value in args.values()):
            results.append({"ok": True, "skipped": True, "value": None})
            continue
        host.stats.count(VERB_PREFIX + verb)
        try:
            if verb not in scripts:
                raise VerbError(f"verb {verb} was not sent", "protocol")
            bound = binding.bind(binding.parse_param_block(scripts[verb]), args, verb)
            value = VERBS[verb](context, **bound)
            if host.faults.active(host.name, "verb_breaks_contract", verb=verb) is not None:
                value = _broken(value)
            results.append({"ok": True, "value": value})
        except binding.BindingError as exc:
            results.append({"ok": False, "msg": str(exc), "category": None,
                            "type": binding.EXCEPTION_TYPE})
            break
        except VerbError as exc:
            results.append({"ok": False, "msg": exc.msg, "category": exc.category,
                            "type": exc.type_name})
            break
    return results


_MISSING = object()


def _resolve(value: Any, results: list[dict[str, Any]]) -> Any:
    """An argument ``{"$ref": [call, name or index, ...]}`` as the core's Get-AgentReference
    walks it: names match case-insensitively (PowerShell's dictionaries and properties), and
    a missing, null or empty value on the way leaves the call unrun (skipped)."""
    if not (isinstance(value, dict) and "$ref" in value):
        return value
    call, *path = value["$ref"]
    node = results[call].get("value") if int(call) < len(results) else None
    for step in path:
        if node is None:
            break
        if isinstance(step, str) and isinstance(node, dict):
            node = next((v for k, v in node.items() if k.lower() == step.lower()), None)
        elif isinstance(step, str):
            node = None  # a scalar has no such property
        else:
            items = node if isinstance(node, list) else [node]
            node = items[step] if step < len(items) else None
    return _MISSING if node is None or node == [] else node


def code_sha256(scripts: dict[str, str]) -> str:
    """SHA-256 of the verb code a request carries: hostile values never change it."""
    code = json.dumps(scripts, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _answer(io: "ProcessIO", document: dict[str, Any], rc: int = 0) -> int:
    io.write_stdout(json.dumps(document, sort_keys=True) + "\r\n")
    return rc


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
