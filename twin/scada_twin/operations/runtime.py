"""Twin models of runtime_control.ps1 and runtime_watch.ps1: the Runtime Manager service.

``runtime_control`` finds the runtime service (exact name, else the one display name that
matches the patterns) and starts, stops or restarts it through the Service Control Manager,
blocking like ``ServiceController.WaitForStatus`` until the service itself is Running or
Stopped. Restarting the service is how the collection does Runtime Manager's "Restart All":
stopping the service shuts every process down, starting it starts every process of the
``[CtEdit]Run`` project (see :mod:`..power_operation.runtime`).

``runtime_watch`` is the long poll: it blocks on the model's state changes (the host's
scheduler, on the scaled clock) until the states the script would read differ from those the
controller last saw, or ``max_wait`` host seconds pass, and returns them. The controller loops
over such calls, so a long wait costs a few PowerShell processes, not one per poll.

Process states are what the script reads (:mod:`._po_runtime`), not the model's own: a process
in Exception answers no CtAPI query, so it reads as Starting, as on a real host.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from . import Call, OperationError, operation
from ._po_runtime import probe, process_names, process_states
from ._services import control, find_one, service_dict, settle

if TYPE_CHECKING:
    from ..host import Host

ACTIONS = ("start", "stop", "restart")


@operation("runtime_control")
def runtime_control(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    action = str(params.get("action") or "")
    if action not in ACTIONS:
        raise OperationError(f"action must be one of {', '.join(ACTIONS)}", "invalid_parameter")
    seconds = _seconds(params, "timeout", 300.0)
    service = _service(host, params)
    names = process_names([str(p) for p in params.get("processes") or []])
    settings = probe(host, params.get("ctapi") or {})
    heading = {"StartPending": "Running", "StopPending": "Stopped"}.get(service.status,
                                                                          service.status)
    changed = action == "restart" or heading != ("Running" if action == "start" else "Stopped")
    if changed and not params.get("check_mode"):
        settle(host, service.name, seconds)
        if action in ("stop", "restart"):
            control(host, "stop", service.name, seconds)
        if action in ("start", "restart"):
            control(host, "start", service.name, seconds)
    record = host.services.get(service.name)
    return {"changed": changed, "action": action, "service": service_dict(record),
            "processes": process_states(host, record.status, names, settings)}


@operation("runtime_watch")
def runtime_watch(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    service = _service(host, params)
    names = process_names([str(p) for p in params.get("processes") or []])
    settings = probe(host, params.get("ctapi") or {})
    known = params.get("known") or None
    max_wait = _seconds(params, "max_wait", 30.0)

    def read() -> tuple[str, list[dict[str, Any]]]:
        status = host.services.get(service.name).status
        return status, process_states(host, status, names, settings)

    def changed() -> bool:
        status, processes = read()
        return {"service": status,
                "processes": {p["name"]: p["state"] for p in processes}} != known

    start = time.monotonic()
    if known is not None:
        host.scheduler.wait_for(changed, host.costs.scaled(max_wait))
    status, processes = read()
    waited = (time.monotonic() - start) / (host.costs.time_scale or 1.0)
    return {"service": {**service_dict(host.services.get(service.name)), "status": status},
            "processes": processes, "waited": round(waited, 3)}


def _service(host: "Host", params: dict[str, Any]):
    return find_one(host, str(params.get("service_name") or ""),
                    [str(p) for p in params.get("service_patterns") or []], "runtime")


def _seconds(params: dict[str, Any], key: str, default: float) -> float:
    try:
        value = float(params.get(key, default))
    except (TypeError, ValueError):
        raise OperationError(f"{key} must be a number of seconds", "invalid_parameter") from None
    if value < 0:
        raise OperationError(f"{key} must not be negative", "invalid_parameter")
    return value
