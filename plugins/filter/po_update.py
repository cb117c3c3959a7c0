# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of the Power Operation update role, in Python rather than in Jinja.

The role asks three questions of what M(scada.redundancy.po_info) read from the servers:
what must each project hold after the change (:func:`po_change_target`), what is still
missing on a server (:func:`po_missing_change`), and which server is the live standby
(:func:`po_pair_roles`); :func:`po_update_plan` answers them all at preflight. Keeping them here makes them testable and keeps the tasks readable.
"""

from __future__ import annotations

import datetime
import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.scada.redundancy.plugins.plugin_utils._archive import is_protected
from ansible_collections.scada.redundancy.plugins.plugin_utils._host_time import instant


def po_change_target(standby_info: t.Mapping[str, t.Any], manifest: t.Mapping[str, t.Any] | None = None,
                     include_projects: t.Sequence[str] | None = None) -> dict[str, str]:
    """The fingerprint each project of the standby must have once the change is in.

    With a change archive's ``manifest`` (lookup ``ctz_manifest``): the archive's project goes
    into the standby's current (run) project, and each selected included project keeps its
    name. Without one (the change was applied on the standby by hand), the standby's own
    project set is the target. ``PLS_Include`` is never part of a target.
    """
    run_project = standby_info["run_project"]
    selected = [p for p in include_projects or [] if p]
    for name in selected:
        if is_protected(name):
            raise AnsibleFilterError(f"{name} is never restored: remove it from the include list")
    if manifest:
        fingerprints = manifest["fingerprints"]
        wanted = selected or [p for p in manifest["includes"] if not is_protected(p)]
        missing = [p for p in wanted if p not in fingerprints]
        if missing:
            raise AnsibleFilterError(f"the change archive holds no project {', '.join(missing)}")
        target = {run_project: fingerprints[manifest["project"]]}
        target.update({p: fingerprints[p] for p in wanted})
        return target
    projects = standby_info["projects"]
    names = [p for p in standby_info["project_set"]
             if not is_protected(p) and (p == run_project or not selected or p in selected)]
    return {p: projects[p]["fingerprint"] for p in names}


def po_missing_change(info: t.Mapping[str, t.Any], target: t.Mapping[str, str]) -> list[str]:
    """What keeps a server from running the change: differing projects, a stale compile, a
    runtime started before the last compile (a run stopped between compile and Restart All).

    An empty list means the server already runs the change (a rerun leaves it alone).
    """
    projects = info["projects"]
    problems = [f"{name}: content differs" for name, fingerprint in target.items()
                if projects.get(name, {}).get("fingerprint") != fingerprint]
    run = projects.get(info["run_project"], {})
    if not run.get("compiled_fingerprint") or run.get("compiled_fingerprint") != run.get("set_fingerprint"):
        problems.append(f"{info['run_project']}: not compiled by this collection from its current content")
    elif _restart_pending(run.get("compiled_at"), ((info.get("runtime") or {}).get("service") or {}).get("started")):
        problems.append(f"{info['run_project']}: compiled after the runtime started, so Restart All is still to do")
    return problems


def _restart_pending(compiled_at: str | None, started: str | None) -> bool:
    """Whether the runtime's process started before the compile it should run was recorded."""
    if not compiled_at or not started:
        return False
    return _instant(started) < _instant(compiled_at)


def _instant(text: str) -> datetime.datetime:
    try:
        return instant(text)
    except ValueError as exc:
        raise AnsibleFilterError(str(exc)) from None


def po_pair_roles(infos: t.Mapping[str, t.Mapping[str, t.Any]]) -> dict[str, str]:
    """{'standby': host, 'active': host} from each host's live role; refuses anything else."""
    roles = {host: info["redundancy"]["role"] for host, info in infos.items()}
    if sorted(roles.values()) != ["active", "standby"]:
        found = ", ".join(f"{host} is {role}" for host, role in sorted(roles.items()))
        raise AnsibleFilterError(
            f"expected one active and one standby server, found: {found}; nothing was changed")
    return {role: host for host, role in roles.items()}


def po_update_plan(infos: t.Mapping[str, t.Mapping[str, t.Any]], host: str,
                   manifest: t.Mapping[str, t.Any] | None = None,
                   include_projects: t.Sequence[str] | None = None) -> dict[str, t.Any]:
    """Everything the role decides at preflight, for ``host``, from both servers' po_info.

    Who is standby and who is active (live), the fingerprints the change must leave, what each
    server still misses, and so whether each side, and the pair at all, needs updating.
    """
    roles = po_pair_roles(infos)
    target = po_change_target(infos[roles["standby"]], manifest, include_projects)
    standby_missing = po_missing_change(infos[roles["standby"]], target)
    active_missing = po_missing_change(infos[roles["active"]], target)
    return {
        "standby": roles["standby"],
        "active": roles["active"],
        "is_standby": roles["standby"] == host,
        "target": target,
        "standby_missing": standby_missing,
        "active_missing": active_missing,
        "standby_needed": bool(standby_missing),
        "primary_needed": bool(active_missing),
        "needed": bool(standby_missing or active_missing),
    }


def po_not_running(info: t.Mapping[str, t.Any]) -> list[str]:
    """Runtime processes that are not Running, as 'name (state)'."""
    return [f"{p['name']} ({p['state']})" for p in info["runtime"]["processes"]
            if p["state"] != "Running"]


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {
            "po_change_target": po_change_target,
            "po_missing_change": po_missing_change,
            "po_pair_roles": po_pair_roles,
            "po_update_plan": po_update_plan,
            "po_not_running": po_not_running,
        }
