"""What lib/po_runtime.ps1 sees on a twin host: the runtime's process states, by its rules.

Runtime Manager's own states live in the runtime model; a script sees them only through the
service status and CtAPI (:mod:`._ctapi`, shared with po_info):

- service Stopped / StopPending / StartPending: every process Stopped / Stopping / Starting;
- service Running: a server process (I/O Server, Alarm, Trend, Report) is Running when
  ``ServerInfoEx`` answers for its component, else Starting; Client and System Services are
  Running when CtAPI connects; every process is Starting while it does not.

So a process the model has in Exception looks Starting to the script, as on a real host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import OperationError, _po
from ._ctapi import CICODE_NAME, server_info

if TYPE_CHECKING:
    from ..host import Host

COMPONENTS = {"i/o server": "IOServer", "alarm": "Alarm", "trend": "Trend", "report": "Report"}
CONNECTED = ("client", "system services")
DEFAULT_PROCESSES = ("I/O Server", "Alarm", "Trend", "Report", "Client", "System Services")
SERVICE_STATES = {"Stopped": "Stopped", "StopPending": "Stopping", "StartPending": "Starting"}


def process_names(expected: list[str]) -> list[str]:
    """Get-PoRuntimeProcessName: the vendor's list when empty; unreadable names fail."""
    names = [n for n in expected if n]
    if not names:
        return list(DEFAULT_PROCESSES)
    unknown = [n for n in names if n.lower() not in COMPONENTS and n.lower() not in CONNECTED]
    if unknown:
        raise OperationError(f"no way to read the state of process {', '.join(unknown)}; "
                             f"known: {', '.join(DEFAULT_PROCESSES)}", "not_found")
    return names


def probe(host: "Host", ctapi: dict[str, Any]) -> dict[str, Any]:
    """New-PoRuntimeProbe: the CtAPI settings, the DLL defaulting to <[CtEdit]Bin>\\CtApi.dll."""
    cluster = str(ctapi.get("cluster") or "")
    if cluster and not CICODE_NAME.match(cluster):
        raise OperationError("ctapi.cluster must be letters, digits and underscores only",
                             "invalid_parameter")
    return {"install": _po.require_install(host), "dll": str(ctapi.get("dll") or ""),
            "cluster": cluster}


def process_states(host: "Host", status: str, names: list[str],
                   settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Get-PoRuntimeProcessState: [{name, state, reason}] in the order of ``names``, given the
    service status the caller read."""
    if status != "Running":
        state = SERVICE_STATES.get(status, "Stopped")
        return [{"name": n, "state": state, "reason": None} for n in names]
    servers = [n for n in names if n.lower() in COMPONENTS]
    answer = server_info(host, settings["install"], dll=settings["dll"],
                         components=[COMPONENTS[n.lower()] for n in servers],
                         cluster=settings["cluster"])
    states = {}
    for name in names:
        if name.lower() in COMPONENTS:
            answered = answer["connected"] and answer["values"].get(COMPONENTS[name.lower()])
            states[name] = "Running" if answered in ("0", "1") else "Starting"
        else:
            states[name] = "Running" if answer["connected"] else "Starting"
    return [{"name": n, "state": states[n], "reason": None} for n in names]
