"""The twin's side of the collection's operation protocol (see docs/design.md).

A command whose decoded script carries the bootstrap marker is handed to
:func:`run_bootstrap`: it reads the first stdin line (``{"operation", "script", "params"}``),
finds the operation by the marker line in the script text, and calls the registered handler
with the host and the parameters. The handler returns a dict (written as one JSON document,
exit 0) or raises :class:`OperationError` (a JSON failure document, exit 1).

Handlers model what the real script does on a real host, following the vendor facts; they
never interpret the script text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import threading
from typing import TYPE_CHECKING, Any, Callable

from ..stats import OPERATION_PREFIX, POWERSHELL_PROCESSES

if TYPE_CHECKING:
    from ..host import Host
    from ..shell.process import ProcessIO

BOOTSTRAP_MARKER = "# scada.redundancy:bootstrap v1"
_OPERATION_MARKER = re.compile(r"^# scada\.redundancy:operation (?P<name>[a-z0-9_]+)\s*$", re.M)
DATA_SEPARATOR = b"\0\0\0\0"
#: A top-level property read of the parameters object, ``$Params.<name>``.
_PARAMS_READ = re.compile(r"\$Params\.([A-Za-z_][A-Za-z0-9_]*)")


class OperationError(Exception):
    """A failure the real script would report: becomes {"failed": true, "msg", "category"}."""

    def __init__(self, msg: str, category: str = "error", **details: Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.category = category
        self.details = details


@dataclasses.dataclass
class Call:
    """What a handler receives besides the host."""

    operation: str
    params: dict[str, Any]
    script: str
    user: str
    io: "ProcessIO"  # for operations that stream data after the separator line


Handler = Callable[["Host", Call], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}
_loaded = False
_load_lock = threading.Lock()


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register the handler for the operation whose script carries ``name`` in its marker."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[name] = handler
        return handler

    return register


def marker_name(script: str) -> str | None:
    match = _OPERATION_MARKER.search(script)
    return match.group("name") if match else None


def run_bootstrap(host: "Host", io: "ProcessIO", user: str) -> int:
    """Serve one bootstrap command: the twin's equivalent of bootstrap.ps1."""
    _load_handlers()
    first = io.read_line()
    try:
        request = json.loads(first or b"")
        script = request["script"]
        params = request.get("params") or {}
        libraries = request.get("libraries") or []
        if not isinstance(script, str) or not isinstance(params, dict) or not isinstance(libraries, list):
            raise TypeError("script must be text, libraries a list and params an object")
    except (ValueError, KeyError, TypeError) as exc:
        return _fail(io, f"bootstrap: the first input line is not an operation request: {exc}",
                     "protocol")
    name = marker_name(script)
    handler = _HANDLERS.get(name or "")
    if handler is None:
        io.write_stderr(f"scada twin: unsupported operation script "
                        f"(marker {name or 'missing'!r}); the twin only runs the collection's "
                        f"own operations\r\n")
        return _fail(io, f"unsupported operation {name or '(no marker)'}", "unsupported")
    host.timeline.record(host.name, "operation", operation=name, user=user,
                         script_sha256=_sha256(script), code_sha256=code_sha256(script, libraries))
    fault = host.faults.take(host.name, "operation_fails", operation=name)
    if fault is not None:
        return _fail(io, fault.get("message", f"injected failure of {name}"), "injected")
    missing = unsent_parameters(script, libraries, params)
    if missing:
        # Set-StrictMode -Version 2.0 on the PSCustomObject ConvertFrom-Json gives: reading a
        # property it lacks throws (about_Set-StrictMode, PropertyNotFoundException).
        return _fail(io, f"The property '{missing[0]}' cannot be found on this object. "
                         f"Verify that the property exists.", "error")
    host.stats.count(POWERSHELL_PROCESSES)
    host.stats.count(OPERATION_PREFIX + name)
    host.costs.sleep(host.costs.powershell_start)
    try:
        result = handler(host, Call(name, params, script, user, io))
    except OperationError as exc:
        return _fail(io, exc.msg, exc.category, **exc.details)
    io.write_stdout(json.dumps(result, sort_keys=True) + "\r\n")
    return 0


def unsent_parameters(script: str, libraries: list[Any], params: dict[str, Any]) -> list[str]:
    """Names the script (or a library it brings) reads as ``$Params.<name>`` that the request
    does not carry: under strict mode a real host fails on the first one read."""
    code = [script] + [str(lib.get("script", "")) for lib in libraries if isinstance(lib, dict)]
    sent = {name.lower() for name in params}
    read = dict.fromkeys(m for text in code for m in _PARAMS_READ.findall(text))
    return [name for name in read if name.lower() not in sent]


def _fail(io: "ProcessIO", msg: str, category: str, **details: Any) -> int:
    doc = {"failed": True, "msg": msg, "category": category, **details}
    io.write_stdout(json.dumps(doc, sort_keys=True) + "\r\n")
    return 1


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def code_sha256(script: str, libraries: list[Any]) -> str:
    """SHA-256 of all the code a request carries (the script, then each library as sent).

    Recorded with every operation so tests can prove that hostile parameter values never
    change a byte of the code the host runs: values travel only in ``params``.
    """
    code = json.dumps({"script": script, "libraries": libraries}, sort_keys=True,
                      ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _load_handlers() -> None:
    """Import every handler module once so their @operation decorators run.

    Commands of several hosts start at once: the others wait until every handler is
    registered, or one of them would find its operation missing.
    """
    global _loaded  # noqa: PLW0603 - a once-per-process import guard
    if _loaded:
        return
    with _load_lock:
        if _loaded:
            return
        import importlib
        import pkgutil

        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True


def known_operations() -> list[str]:
    _load_handlers()
    return sorted(_HANDLERS)
