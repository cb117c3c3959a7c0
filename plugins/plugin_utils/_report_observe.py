# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the run report learns from one finished task: the collection's own module results.

The report must work on a real plant, so it reads nothing but what the modules already return
(documented in their RETURN blocks): ``po_info`` gives the live role and the runtime's
processes, ``runtime`` a restart window and the processes after it, ``project_restore``,
``project_compile`` and friends an activity on the server, ``project_backup`` and
``archive_copy`` an archive with its SHA-256 (``galaxy_backup`` a galaxy's), ``engine_redundancy`` the System Platform
engines' statuses, ``sp_install`` the setup and restart windows of a node.

Only named fields are copied: never a module's arguments, never a whole result. A censored
(``no_log``) result gives nothing but its step.
"""

from __future__ import annotations

import typing as t

Step = t.Mapping[str, t.Any]
Result = t.Mapping[str, t.Any]

#: Activities by module: the label drawn on the server's activity lane.
ACTIVITIES = {
    "project_backup": "backup",
    "archive_copy": "copy",
    "project_restore": "restore",
    "project_compile": "compile",
    "po_setup": "setup",
    "notifications": "notifications",
    "galaxy_deploy": "deploy",
    "galaxy_migrate": "migrate",
    "galaxy_backup": "backup",
    "galaxy_upload_runtime_changes": "upload",
}


def censored(result: Result) -> bool:
    """A ``no_log`` result: ansible replaced it, and nothing of it may reach the report."""
    return bool(result.get("_ansible_no_log")) or "censored" in result


def runtime_state(processes: t.Iterable[t.Mapping[str, t.Any]]) -> t.Optional[str]:
    """One word for a runtime from its processes: running only when every one is Running."""
    states = [str(p.get("state") or "") for p in processes or []]
    if not states:
        return None
    if all(s == "Running" for s in states):
        return "running"
    if "Exception" in states:
        return "exception"
    if all(s == "Stopped" for s in states):
        return "stopped"
    return "starting"


def engine_role(status: t.Optional[str]) -> str:
    """The live role an engine's vendor status string means."""
    text = (status or "").strip().lower()
    if text.startswith("active"):
        return "active"
    if text.startswith("standby"):
        return "standby"
    if text in ("switching to active", "determining failover status"):
        return "switching"
    return "offline" if text else "unknown"


class Observations:
    """Everything the report knows, in the order the steps ended."""

    def __init__(self) -> None:
        self.states: list[dict[str, t.Any]] = []
        self.activities: list[dict[str, t.Any]] = []
        self.archives: list[dict[str, t.Any]] = []
        self.engine_pairs: dict[str, list[str]] = {}
        self.engine_nodes: dict[str, str] = {}
        self.readiness: list[dict[str, t.Any]] = []

    def state(self, member: str, lane: str, at: float, value: str, step: Step) -> None:
        self.states.append({"member": member, "lane": lane, "at": round(at, 3), "value": value,
                            "step": step["task"], "inferred": False})

    def activity(self, member: str, label: str, step: Step, start: float, end: float) -> None:
        self.activities.append({"member": member, "label": label, "start": round(start, 3),
                                "end": round(end, 3), "status": step["status"], "step": step["task"]})

    def add(self, step: Step, result: Result) -> None:
        """Take what the step's result says (each item's result, for a loop)."""
        if step["status"] == "skipped" or censored(result):
            return
        if step.get("check_mode") and step["action"] not in _READS:
            return  # nothing was done: only what a read-only module read counts
        for item in _items(result):
            if isinstance(item, t.Mapping) and not censored(item) and not item.get("skipped"):
                _OBSERVERS.get(step["action"], _nothing)(self, step, item)
                label = ACTIVITIES.get(step["action"])
                if label and _acted(step, item):
                    self.activity(_where(step), label, step, step["start"], _end(step))


def _items(result: Result) -> list:
    """Each item's result for a loop (items carry ``ansible_loop_var``), else the result itself.

    A module's own ``results`` list (galaxy_deploy's GRAccess command results) is not a loop.
    """
    results = result.get("results")
    if isinstance(results, list) and results and \
            all(isinstance(item, t.Mapping) and "ansible_loop_var" in item for item in results):
        return results
    return [result]


def _where(step: Step) -> str:
    """The server a step acted on: the delegated host when the task was delegated."""
    return step.get("delegated_to") or step["host"]


def _end(step: Step) -> float:
    return step["start"] + step["seconds"]


def _acted(step: Step, result: Result) -> bool:
    """Whether the step did work worth drawing (a failed attempt counts; a read-only check does not)."""
    if step["status"] in ("failed", "unreachable"):
        return True
    if step["action"] in ("project_backup", "galaxy_backup"):
        return bool(result.get("sha256"))
    if step["action"] == "project_compile":
        return bool(result.get("compiled"))
    return bool(result.get("changed"))


def _nothing(observed: Observations, step: Step, result: Result) -> None:
    """Modules the report has nothing to learn from beyond their step."""


def _po_info(observed: Observations, step: Step, result: Result) -> None:
    info = result.get("po_info") or {}
    member, at = _where(step), _end(step)
    state = runtime_state((info.get("runtime") or {}).get("processes"))
    if state:
        observed.state(member, "runtime", at, state, step)
    role = (info.get("redundancy") or {}).get("role")
    if role:
        observed.state(member, "role", at, str(role), step)


def _runtime(observed: Observations, step: Step, result: Result) -> None:
    member = _where(step)
    action = result.get("action")
    if action and result.get("changed"):
        # a control action ran (a failed wait after it still says so): the server does not
        # serve from its start until it is back
        observed.state(member, "runtime", step["start"], "restarting" if action == "restart" else "stopping", step)
        observed.state(member, "role", step["start"], "offline", step)
        observed.state(member, "role", _end(step), "unknown", step)
        observed.activity(member, action, step, step["start"], _end(step))
    state = runtime_state(result.get("processes"))
    if state:
        observed.state(member, "runtime", _end(step), state, step)


def _archive(kind: str, observed: Observations, step: Step, result: Result) -> None:
    if not result.get("sha256"):
        return
    fetched = result.get("fetched") if isinstance(result.get("fetched"), t.Mapping) else None
    observed.archives.append({
        "kind": kind,
        "server": _where(step),
        "path": result.get("path") or result.get("dest"),
        "sha256": result.get("sha256"),
        "size": result.get("size"),
        "project": result.get("project") or result.get("galaxy"),
        "projects": [p.get("name") for p in result.get("projects") or [] if isinstance(p, t.Mapping)],
        "created_utc": result.get("created_utc"),
        "via": result.get("via"),
        "controller_path": fetched.get("path") if fetched else None,
        "controller_sha256": fetched.get("sha256") if fetched else None,
        "step": step["task"],
        "at": round(_end(step), 3),
    })


def _project_backup(observed: Observations, step: Step, result: Result) -> None:
    _archive("backup", observed, step, result)


def _galaxy_backup(observed: Observations, step: Step, result: Result) -> None:
    _archive("galaxy backup", observed, step, result)


def _archive_copy(observed: Observations, step: Step, result: Result) -> None:
    _archive("copy", observed, step, result)


def _engine_redundancy(observed: Observations, step: Step, result: Result) -> None:
    rows = [row for row in result.get("engines") or [] if isinstance(row, t.Mapping) and row.get("name")]
    if not rows:
        return
    names = sorted(str(row["name"]) for row in rows)
    observed.engine_pairs[" / ".join(names)] = names
    for seen in result.get("history") or []:  # every change the wait saw, when it saw it
        if isinstance(seen, t.Mapping) and seen.get("name") and isinstance(seen.get("seconds"), (int, float)):
            at = min(step["start"] + float(seen["seconds"]), _end(step))
            observed.state(str(seen["name"]), "status", at, seen.get("status") or "not recognised", step)
            observed.state(str(seen["name"]), "role", at, engine_role(seen.get("status")), step)
    for row in rows:
        name = str(row["name"])
        observed.engine_nodes.setdefault(name, _where(step))
        status = row.get("status")
        seen = row.get("seconds")
        at = step["start"] + float(seen) if isinstance(seen, (int, float)) else _end(step)
        observed.state(name, "status", min(at, _end(step)), status or "not recognised", step)
        observed.state(name, "role", min(at, _end(step)), engine_role(status), step)


def _seconds(timings: t.Mapping[str, t.Any], key: str) -> float:
    value = timings.get(key)
    return float(value) if isinstance(value, (int, float)) and value > 0 else 0.0


def _sp_install(observed: Observations, step: Step, result: Result) -> None:
    """Setup between the restarts its timings name: one before it (a pending restart), one after."""
    if not (result.get("changed") or step["status"] in ("failed", "unreachable")):
        return
    timings = result.get("timings") if isinstance(result.get("timings"), t.Mapping) else {}
    member, start, end = _where(step), step["start"], _end(step)
    before, after = _seconds(timings, "reboot_before"), _seconds(timings, "reboot")
    windows = [("reboot", start, start + before), ("install", start + before, end - after),
               ("reboot", end - after, end)]
    for label, begin, finish in windows:
        if finish > begin:
            observed.activity(member, label, step, begin, finish)
            if label == "reboot":
                observed.state(member, "runtime", begin, "restarting", step)
                observed.state(member, "runtime", finish, "running", step)


def _site_readiness(observed: Observations, step: Step, result: Result) -> None:
    """site_readiness's table, per server, as the module returned it."""
    readiness = result.get("readiness")
    if isinstance(readiness, t.Mapping):
        observed.readiness.append({"server": _where(step), "ready": bool(readiness.get("ready")),
                                   "checks": list(readiness.get("checks") or [])})


#: Modules that only read: what they return in check mode is as true as in a real run.
_READS = frozenset({"po_info", "engine_redundancy", "site_readiness"})

_OBSERVERS: dict[str, t.Callable[[Observations, Step, Result], None]] = {
    "po_info": _po_info,
    "runtime": _runtime,
    "project_backup": _project_backup,
    "archive_copy": _archive_copy,
    "galaxy_backup": _galaxy_backup,
    "engine_redundancy": _engine_redundancy,
    "sp_install": _sp_install,
    "site_readiness": _site_readiness,
}
