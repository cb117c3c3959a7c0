# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Notification services into maintenance and back, decided here, done by agent verbs.

The scriptable part of Event Notification Module "maintenance mode" (no heartbeat or event
notifications while the pair is updated):

- ``maintenance`` records each matching service's status and start type in the state file on
  the host, before changing anything, then disables and stops those not already Stopped and
  Disabled. An existing state file means a maintenance is under way: its records (the states
  before the first maintenance) are kept and only services it does not list yet are added.
- ``restore`` puts every recorded service back exactly, start type first, then status, and
  removes the state file; without a saved state, the state file is read (a rerun after a
  controller crash). Reading, then changing: two batches (three without a saved state).
"""

from __future__ import annotations

import base64
import datetime
import json
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import RunVerbs, VerbError, first_failure
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._services import (
    service_record,
    settled,
)

STEP = "notifications"
#: The service that carries this connection: stopping it would cut the task off mid-way.
PROTECTED = ("winrm",)
Record = t.Dict[str, t.Any]

#: The Event Notification Module's services, by display name (the notifications module's
#: default).
DEFAULT_PATTERNS = ("Event Notification Module*",)


def maintenance(run: RunVerbs, patterns: t.Sequence[str], path: str, check: bool,
                timeout: float) -> dict[str, t.Any]:
    facts, found, on_file = run(STEP, [_verbs.host_facts(), _verbs.service_list(patterns=patterns),
                                       _verbs.file_read(path)])
    services = [service_record(s) for s in found["services"]]
    protected = [s["name"] for s in services if s["name"].lower() in PROTECTED]
    if protected:
        raise OperationFailed(STEP, f"the patterns match {', '.join(protected)}, which carries "
                                    f"this connection; narrow the patterns", "refused")
    saved = _saved_state(on_file, path) or {
        "version": 1, "saved_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "computer_name": facts["computer_name"], "services": []}
    recorded = {str(s["name"]).lower() for s in saved["services"]}
    new = [s for s in services if s["name"].lower() not in recorded]
    saved["services"] = list(saved["services"]) + new
    to_change = [s for s in services if settled(s["status"]) != "Stopped" or s["start_type"] != "Disabled"]
    changed = bool(new or to_change)
    wanted = {s["name"].lower(): ("Stopped", "Disabled") for s in to_change}
    after = _apply(run, services, wanted, timeout, check or not changed,
                   first=[_verbs.file_write_atomic(path, _json(saved))], path=path)
    return {"changed": changed, "saved_state": saved, "state_path": path,
            "changes": [_change(s, "Stopped", "Disabled") for s in to_change], "services": after}


def restore(run: RunVerbs, saved: Record | None, path: str, check: bool,
            timeout: float) -> dict[str, t.Any]:
    # With the state in hand, the state file and the services are read in one batch.
    given = [str(s["name"]) for s in saved["services"]] if saved is not None else None
    read = run(STEP, [_verbs.file_read(path)] + ([_verbs.service_list(names=given)] if given else []))
    on_file = _saved_state(read[0], path)
    saved = saved if saved is not None else on_file
    if saved is None:
        return {"changed": False, "saved_state": None, "state_path": path, "changes": [],
                "services": [], "msg": "no saved state given and none on the host: nothing to restore"}
    names = [str(s["name"]) for s in saved["services"]]
    found = read[1] if given else run(STEP, [_verbs.service_list(names=names)])[0]
    listed = {s["name"].lower(): service_record(s) for s in found["services"]}
    missing = [name for name in names if name.lower() not in listed]
    if missing:  # every recorded service must exist before any is changed
        raise OperationFailed(STEP, f"Cannot find any service with service name '{missing[0]}'.",
                              "not_found")
    current = [listed[name.lower()] for name in names]
    recorded = {str(s["name"]).lower(): (settled(str(s["status"])), str(s["start_type"]))
                for s in saved["services"]}
    to_change = [c for c in current if (settled(c["status"]), c["start_type"]) != recorded[c["name"].lower()]]
    wanted = {c["name"].lower(): recorded[c["name"].lower()] for c in to_change}
    last = [_verbs.path_remove(path)] if on_file is not None else []
    after = _apply(run, current, wanted, timeout, check, last=last)
    return {"changed": bool(to_change) or on_file is not None, "saved_state": saved,
            "state_path": path,
            "changes": [_change(c, *wanted[c["name"].lower()]) for c in to_change], "services": after}


def _apply(run: RunVerbs, services: list[Record], wanted: dict[str, tuple[str, str]],
           timeout: float, predict: bool, *, first: t.Sequence[_verbs.VerbCall] = (),
           last: t.Sequence[_verbs.VerbCall] = (), path: str = "") -> list[Record]:
    """Bring each service in ``wanted`` (by lower-case name) to (status, start type); the
    services after (predicted when ``predict``, read from the host otherwise)."""
    if predict:
        return [{**s, "status": wanted[s["name"].lower()][0], "start_type": wanted[s["name"].lower()][1]}
                if s["name"].lower() in wanted else s for s in services]
    calls = list(first)
    for service in services:
        if service["name"].lower() in wanted:
            calls += _service_calls(service, *wanted[service["name"].lower()], timeout)
    calls += [*last, _verbs.service_list(names=[s["name"] for s in services])]
    values = run(STEP, calls, tolerate=("io", "access_denied", "not_found"))
    if first and isinstance(values[0], VerbError):
        raise OperationFailed(STEP, f"cannot save the notification state to {path}: "
                                    f"{values[0].msg}", "state_file")
    failed = first_failure(values)
    if failed is not None:
        raise OperationFailed(STEP, values[failed].msg, values[failed].category)
    listed = {s["name"].lower(): service_record(s) for s in values[-1]["services"]}
    return [listed.get(s["name"].lower(), s) for s in services]


def _service_calls(service: Record, status: str, start_type: str, timeout: float) -> list[_verbs.VerbCall]:
    """Start type first, then the status; a pending status is waited out (the Service Control
    Manager refuses requests meanwhile)."""
    name, now = service["name"], service["status"]
    calls = []
    if service["start_type"] != start_type:
        calls.append(_verbs.service_set_start_type(name, start_type))
    if settled(now) != status:
        if now != settled(now):
            calls.append(_verbs.service_wait(name, settled(now), timeout))
        calls += [_verbs.service_control(name, "start" if status == "Running" else "stop"),
                  _verbs.service_wait(name, status, timeout)]
    elif now != status:
        calls.append(_verbs.service_wait(name, status, timeout))
    return calls


def _saved_state(read: t.Mapping[str, t.Any], path: str) -> Record | None:
    if not read["exists"]:
        return None
    try:
        state = json.loads(base64.b64decode(read["base64"]).decode("utf-8-sig"))
    except ValueError as exc:
        raise OperationFailed(STEP, f"cannot read the saved state {path}: {exc}", "state_file") from None
    if not isinstance(state, dict) or not isinstance(state.get("services"), list):
        raise OperationFailed(STEP, f"{path} is not a saved notification state", "state_file")
    return state


def _change(before: Record, status: str, start_type: str) -> Record:
    return {"name": before["name"], "display_name": before["display_name"],
            "before": {"status": before["status"], "start_type": before["start_type"]},
            "after": {"status": status, "start_type": start_type}}


def _json(document: Record) -> str:
    return base64.b64encode(json.dumps(document, indent=4).encode("utf-8")).decode("ascii")
