"""Twin model of notifications.ps1: notification services into maintenance and back.

``maintenance`` finds the services whose display names match the patterns, records each
one's status and start type in a JSON file on the host (before changing anything, so a rerun
after a controller crash can still restore exactly), then disables and stops every one that is
not already Stopped and Disabled. If the file already exists, a maintenance is under way: its
recorded states are kept (they are the states from before the first maintenance) and only
services it does not list yet are added.

``restore`` puts every recorded service back: start type first, then status (started when it
was running, stopped when it was stopped), and removes the file. Without ``saved_state`` it
reads the file. The state file's format is the ``saved_state`` the module returns.
"""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any

from ..filesystem import FileSystemError
from ..services import ServiceError, ServiceState
from . import Call, OperationError, operation
from ._services import SETTLED, control, find_services, service_dict, set_start_type

if TYPE_CHECKING:
    from ..host import Host

#: The service that carries the connection: stopping it would cut the task off mid-way.
_PROTECTED = ("winrm",)
_STATE_VERSION = 1


@operation("notifications")
def notifications(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    path = str(params.get("state_path") or "")
    if not path:
        raise OperationError("state_path is required", "invalid_parameter")
    check = bool(params.get("check_mode"))
    seconds = float(params.get("timeout") or 120)
    action = params.get("action")
    if action == "maintenance":
        return _maintenance(host, params.get("patterns") or [], path, check, seconds)
    if action == "restore":
        return _restore(host, params.get("saved_state"), path, check, seconds)
    raise OperationError("action must be maintenance or restore", "invalid_parameter")


def _maintenance(host: "Host", patterns: list[str], path: str, check: bool,
                 seconds: float) -> dict[str, Any]:
    if not patterns:
        raise OperationError("at least one display-name pattern is needed", "invalid_parameter")
    found = find_services(host, patterns)
    protected = [s.name for s in found if s.name.lower() in _PROTECTED]
    if protected:
        raise OperationError(f"the patterns match {', '.join(protected)}, which carries this "
                             f"connection; narrow the patterns", "refused")
    saved = _read_state(host, path)
    recorded = {s["name"].lower() for s in saved["services"]} if saved else set()
    new = [service_dict(s) for s in found if s.name.lower() not in recorded]
    if saved is None:
        saved = {"version": _STATE_VERSION, "saved_at": _now(),
                 "computer_name": host.spec.computer_name, "services": []}
    saved["services"] = saved["services"] + new
    to_change = [s for s in found if (SETTLED.get(s.status, s.status), s.start_type)
                 != ("Stopped", "Disabled")]
    changed = bool(new) or bool(to_change)
    if changed and not check:
        _write_state(host, path, saved)  # first: the record must exist before any change
        for service in to_change:
            set_start_type(host, service.name, "Disabled")
            control(host, "stop", service.name, seconds)
    return {"changed": changed, "saved_state": saved, "state_path": path,
            "changes": [_change(s, "Stopped", "Disabled") for s in to_change],
            "services": [_after(host, s, check and s in to_change, "Stopped", "Disabled")
                         for s in found]}


def _restore(host: "Host", saved: Any, path: str, check: bool, seconds: float) -> dict[str, Any]:
    on_file = _read_state(host, path)
    saved = saved or on_file
    if not saved:
        return {"changed": False, "saved_state": None, "state_path": path, "changes": [],
                "services": [], "msg": "no saved state given and none on the host: nothing to restore"}
    wanted = [_service_state(s) for s in saved.get("services") or []]
    states = {}
    for want in wanted:  # every service must exist before any is changed
        try:
            states[want.name] = host.services.get(want.name)
        except ServiceError as exc:
            raise OperationError(str(exc), "not_found") from None
    to_change = [w for w in wanted if (states[w.name].start_type, SETTLED.get(
        states[w.name].status, states[w.name].status)) != (w.start_type, _settled(w.status))]
    changed = bool(to_change) or on_file is not None
    if not check:
        for want in to_change:
            set_start_type(host, want.name, want.start_type)
            control(host, "start" if _settled(want.status) == "Running" else "stop",
                    want.name, seconds)
        if on_file is not None:
            host.fs.remove(path)
    return {"changed": changed, "saved_state": saved, "state_path": path,
            "changes": [_change(states[w.name], _settled(w.status), w.start_type)
                        for w in to_change],
            "services": [_after(host, states[w.name], check and w in to_change,
                                _settled(w.status), w.start_type) for w in wanted]}


def _settled(status: str) -> str:
    return SETTLED.get(status, status)


def _service_state(data: Any) -> ServiceState:
    try:
        return ServiceState(str(data["name"]), str(data.get("display_name") or data["name"]),
                            str(data["status"]), str(data["start_type"]))
    except (KeyError, TypeError, AttributeError):
        raise OperationError("saved_state.services entries need name, status and start_type",
                             "invalid_parameter") from None


def _change(before: ServiceState, status: str, start_type: str) -> dict[str, Any]:
    return {"name": before.name, "display_name": before.display_name,
            "before": {"status": before.status, "start_type": before.start_type},
            "after": {"status": status, "start_type": start_type}}


def _after(host: "Host", before: ServiceState, predict: bool, status: str,
           start_type: str) -> dict[str, Any]:
    """A service's state after the run; in check mode, what it would be."""
    if predict:
        return {**service_dict(before), "status": status, "start_type": start_type}
    return service_dict(host.services.get(before.name))


def _read_state(host: "Host", path: str) -> dict[str, Any] | None:
    try:
        if not host.fs.is_file(path):
            return None
        data = json.loads(host.fs.read(path).decode("utf-8-sig"))
    except (FileSystemError, ValueError) as exc:
        raise OperationError(f"cannot read the saved state {path}: {exc}", "state_file") from None
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise OperationError(f"{path} is not a saved notification state", "state_file")
    return data


def _write_state(host: "Host", path: str, state: dict[str, Any]) -> None:
    try:
        host.fs.write(path, json.dumps(state, indent=2).encode("utf-8"))
    except FileSystemError as exc:
        raise OperationError(f"cannot save the notification state to {path}: {exc}",
                             "state_file") from None


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
