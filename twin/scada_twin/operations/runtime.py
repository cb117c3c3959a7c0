"""Twin models of runtime_control.ps1 and runtime_watch.ps1: the Runtime Manager service.

``runtime_control`` finds the runtime service (exact name, else the one display name that
matches the patterns) and starts, stops or restarts it through the Service Control Manager,
blocking like ``ServiceController.WaitForStatus`` until the service itself is Running or
Stopped. Restarting the service is how the collection does Runtime Manager's "Restart All":
stopping the service shuts every process down, starting it starts every process of the
``[CtEdit]Run`` project (see :mod:`..power_operation.runtime`).

``runtime_watch`` is the long poll: it blocks on the model's state changes (the host's
scheduler, on the scaled clock) until the states differ from those the controller last saw,
or ``max_wait`` host seconds pass, and returns the states it sees. The controller loops over
such calls, so a long wait costs a few PowerShell processes, not one per poll.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from . import Call, OperationError, operation
from ._services import control, find_one, service_dict, settle

if TYPE_CHECKING:
    from ..host import Host
    from ..power_operation import PowerOperation

ACTIONS = ("start", "stop", "restart")
_CICODE_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")


@operation("runtime_control")
def runtime_control(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    action = str(params.get("action") or "")
    if action not in ACTIONS:
        raise OperationError(f"action must be one of {', '.join(ACTIONS)}", "invalid_parameter")
    po = _installed(host)
    seconds = _seconds(params, "timeout", 300.0)
    service = find_one(host, str(params.get("service_name") or ""),
                       params.get("service_patterns") or [], "runtime")
    expected = _expected(po, params)
    _process_states(po, expected)  # unknown process names fail before anything changes
    changed = _needs(action, service.status)
    if changed and not params.get("check_mode"):
        settle(host, service.name, seconds)
        if action in ("stop", "restart"):
            control(host, "stop", service.name, seconds)
        if action in ("start", "restart"):
            control(host, "start", service.name, seconds)
    return {"changed": changed, "action": action,
            "service": service_dict(host.services.get(service.name)),
            "processes": _process_states(po, expected)}


@operation("runtime_watch")
def runtime_watch(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    po = _installed(host)
    service = find_one(host, str(params.get("service_name") or ""),
                       params.get("service_patterns") or [], "runtime")
    expected = _expected(po, params)
    known = params.get("known") or None
    max_wait = _seconds(params, "max_wait", 30.0)

    def snapshot() -> dict[str, Any]:
        return {"service": host.services.get(service.name).status,
                "processes": {p["name"]: p["state"] for p in _process_states(po, expected)}}

    start = time.monotonic()
    if known is not None:
        host.scheduler.wait_for(lambda: snapshot() != known, host.costs.scaled(max_wait))
    waited = (time.monotonic() - start) / (host.costs.time_scale or 1.0)
    return {"service": service_dict(host.services.get(service.name)),
            "processes": _process_states(po, expected), "waited": round(waited, 3)}


def _installed(host: "Host") -> "PowerOperation":
    if host.power_operation is None:
        raise OperationError("Power Operation is not installed on this server", "not_installed")
    return host.power_operation


def _expected(po: "PowerOperation", params: dict[str, Any]) -> list[str]:
    """The processes to report: those asked for, else every process Runtime Manager lists."""
    cluster = str((params.get("ctapi") or {}).get("cluster") or "")
    if cluster and not _CICODE_NAME.match(cluster):
        raise OperationError("ctapi.cluster must be letters, digits and underscores only",
                             "invalid_parameter")
    names = [str(p) for p in params.get("processes") or []]
    return names or po.runtime.process_names()


def _process_states(po: "PowerOperation", expected: list[str]) -> list[dict[str, Any]]:
    listed = {p.name.lower(): p for p in po.runtime.status().processes}
    missing = [n for n in expected if n.lower() not in listed]
    if missing:
        raise OperationError(f"Runtime Manager lists no process {', '.join(missing)}; it lists "
                             f"{', '.join(p.name for p in listed.values())}", "not_found")
    return [{"name": p.name, "state": p.state, "reason": p.reason}
            for p in (listed[n.lower()] for n in expected)]


def _needs(action: str, status: str) -> bool:
    if action == "restart":
        return True
    heading = {"StartPending": "Running", "StopPending": "Stopped"}.get(status, status)
    return heading != ("Running" if action == "start" else "Stopped")


def _seconds(params: dict[str, Any], key: str, default: float) -> float:
    try:
        value = float(params.get(key, default))
    except (TypeError, ValueError):
        raise OperationError(f"{key} must be a number of seconds", "invalid_parameter") from None
    if value < 0:
        raise OperationError(f"{key} must not be negative", "invalid_parameter")
    return value
