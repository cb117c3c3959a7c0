"""The Cicode functions the collection calls through CtAPI, as the Plant SCADA Cicode
reference states them, evaluated on a twin server.

``ctCicode`` hands the runtime a line of Cicode text; this module reads the one function call
in it (string and integer arguments), runs the modelled function, and returns its STRING
result. A function or argument shape the reference does not give fails as ctCicode fails
(:class:`CicodeError`: FALSE, with the Windows error code the caller reads).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from . import pairs
from .availability import IO_SERVER
from .errors import PowerOperationError

if TYPE_CHECKING:
    from .model import PowerOperation

#: sComponent values ServerInfoEx accepts -> the runtime process holding that server.
COMPONENT_PROCESSES = {"ioserver": IO_SERVER, "alarm": "Alarm", "trend": "Trend",
                       "report": "Report"}
_CALL = re.compile(r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<args>.*)\)\s*;?\s*$", re.S)
_ARGUMENT = re.compile(r'\s*(?:"(?P<text>(?:[^"^]|\^.)*)"|(?P<number>-?\d+))\s*(?:,|$)', re.S)
#: ERROR_INVALID_FUNCTION, which ctCicode reports for Cicode it cannot run.
INVALID_FUNCTION = 1


class CicodeError(Exception):
    """ctCicode returned FALSE; ``code`` is what GetLastError gives."""

    def __init__(self, message: str, code: int = INVALID_FUNCTION) -> None:
        super().__init__(message)
        self.code = code


def evaluate(po: "PowerOperation", command: str) -> str:
    """The STRING result of the one Cicode call in ``command``."""
    match = _CALL.match(command)
    if match is None:
        raise CicodeError(f"not a Cicode function call: {command!r}")
    function = FUNCTIONS.get(match.group("name").lower())
    if function is None:
        raise CicodeError(f"unknown Cicode function {match.group('name')}")
    return function(po, *_arguments(match.group("args")))


def server_info_ex(po: "PowerOperation", name: Any = None, info_type: Any = None,
                   component: Any = None, cluster: Any = "", server: Any = "") -> str:
    """ServerInfoEx(Name, Type, Component [, ClusterName] [, ServerName]).

    (Plant SCADA Cicode reference, ServerInfoEx.) The call is redirected to the process that
    holds Component; a component that is not one of the servers, or that no connected local
    process holds, raises a hardware alarm and gives no answer (""). For Name "Alarm", "Trend"
    or "Report", Type 0 is 1 on the active server and 0 on an inactive one; for "Server" and
    "Client", Type 0 is the server's or the computer's name, never an active flag; primary and
    standby do not apply to I/O servers. Other types are not modelled.
    """
    if not isinstance(name, str) or not isinstance(info_type, int) or not isinstance(component, str):
        raise CicodeError("ServerInfoEx takes (STRING Name, INT Type, STRING Component ...)")
    process = COMPONENT_PROCESSES.get(component.strip().lower())
    if process is None or not _runs(po, process):
        return ""  # hardware alarm: the component is not found among the local processes
    if cluster and str(cluster).lower() != po.cluster.lower():
        return ""  # hardware alarm: no such cluster here
    if info_type != 0:
        raise CicodeError(f"ServerInfoEx type {info_type} is not modelled by the twin")
    kind = name.strip().lower()
    if kind in ("alarm", "trend", "report"):
        return "1" if pairs.is_active(po, COMPONENT_PROCESSES[kind]) else "0"
    if kind == "server":
        return f"{component.strip()}_{po.host_name}"
    if kind == "client":
        return po.computer_name
    return ""  # a client number beyond the attached clients


def service_get_list(po: "PowerOperation") -> str:
    """ServiceGetList(): "type.cluster.name,...,Client" of the services running in the calling
    component (Plant SCADA Cicode reference, ServiceGetList). CtAPI calls run in the client
    component that serves CtAPI, so the answer lists that process only: "Client"."""
    return "Client"


FUNCTIONS: dict[str, Callable[..., str]] = {
    "serverinfoex": server_info_ex,
    "servicegetlist": service_get_list,
}


def _arguments(text: str) -> list[Any]:
    values: list[Any] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _ARGUMENT.match(text, position)
        if match is None:
            raise CicodeError(f"cannot read the Cicode arguments {text!r}")
        number = match.group("number")
        values.append(int(number) if number is not None
                      else re.sub(r"\^(.)", r"\1", match.group("text")))
        position = match.end()
    return values


def _runs(po: "PowerOperation", process: str) -> bool:
    try:
        return po.runtime.process_state(process) == "Running"
    except PowerOperationError:
        return False  # a runtime without that process never serves it
