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
import json
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


def po_update_dry_run(plan: t.Mapping[str, t.Any], pair: str, servers: t.Mapping[str, t.Mapping[str, t.Any]],
                      change_archive: str = "", backup_dir: str = "",
                      setup_settings: int = 0) -> list[str]:
    """The update's steps in the procedure's order, as the dry run found them: ``servers``
    maps each server to what its check-mode reads returned (``backup``: project_backup,
    ``notifications``: notifications, ``restore``: project_restore, each may be absent)."""
    standby, active = plan["standby"], plan["active"]
    servers = {host: {k: v for k, v in (reads or {}).items() if isinstance(v, t.Mapping) and not v.get("skipped")}
               for host, reads in servers.items()}
    lines = [f"{pair}: dry run, nothing was changed. Standby (found live): {standby}; active: {active}."]
    if not plan["needed"]:
        return lines + ["Both servers already hold the change: the update would change nothing."]
    steps = ["back up both servers, verified by SHA-256 before any change: "
             + "; ".join(_backup_line(host, servers.get(host, {}).get("backup"), backup_dir)
                         for host in (standby, active))]
    paused = [_services_line(host, servers.get(host, {}).get("notifications")) for host in (standby, active)]
    if any(paused):
        steps.append("put the notification services in maintenance: " + "; ".join(p for p in paused if p))
    compile_and_restart = ("compile it (again, even if compiled)"
                           + (f", apply {setup_settings} setup wizard setting(s)" if setup_settings else "")
                           + ", Restart All and wait for every process Running, confirm the change")
    if plan["standby_needed"]:
        source = f"restore {change_archive.replace(chr(92), '/').rsplit('/', 1)[-1]} into its current project" \
            if change_archive else "take the change applied by hand"
        steps.append(f"on {standby} (standby): {source}"
                     + _restore_line(servers.get(standby, {}).get("restore")) + f"; {compile_and_restart}")
    else:
        steps.append(f"{standby} (standby) already holds the change: its steps are skipped")
    if plan["primary_needed"]:
        steps.append(f"on {active}: back up {standby} with its included projects, copy it here, restore it into "
                     f"the current project with every included project but PLS_Include and no configuration files"
                     + _restore_line(servers.get(active, {}).get("restore"), predicted=True)
                     + f"; {compile_and_restart}")
    if any(paused):
        steps.append("put the notification services back exactly as they were")
    return lines + [f"{index}. {step}" for index, step in enumerate(steps, start=1)]


def _backup_line(host: str, backup: t.Mapping[str, t.Any] | None, backup_dir: str) -> str:
    if not backup:
        return f"{host}: not estimated"
    includes = ", ".join(backup.get("includes") or []) or "none"
    where = f" to {backup_dir}/{host}" if backup_dir else ""
    return f"{host}: {backup.get('project')} with {includes} ({backup.get('bytes', 0):,} bytes){where}"


def _services_line(host: str, result: t.Mapping[str, t.Any] | None) -> str:
    changes = (result or {}).get("changes") or []
    if not changes:
        return ""
    return f"{host}: " + ", ".join(
        f"{c['display_name']} ({c['before']['status']}/{c['before']['start_type']} -> "
        f"{c['after']['status']}/{c['after']['start_type']})" for c in changes)


def _restore_line(result: t.Mapping[str, t.Any] | None, predicted: bool = False) -> str:
    """What a check-mode project_restore said it would do, project by project."""
    if not result or not result.get("projects"):
        return ""
    parts = []
    for project in result["projects"]:
        if project.get("action") != "restored":
            parts.append(f"{project['name']} unchanged")
            continue
        parts.append(f"{project['name']}: {len(project.get('added') or [])} file(s) added, "
                     f"{len(project.get('changed') or [])} changed, {len(project.get('removed') or [])} removed")
    skipped = result.get("skipped_projects") or []
    if skipped:
        parts.append(f"{', '.join(skipped)} never restored")
    how = "predicted from the change archive" if predicted else "per project"
    return f" ({how}: {'; '.join(parts)}; --diff lists the files)"


def po_update_guidance(reads: t.Mapping[str, t.Mapping[str, t.Any]], pair: str, plan: t.Mapping[str, t.Any],
                       what_happened: str, backups: t.Mapping[str, t.Any] | None = None,
                       inventory: str = "<inventory>") -> str:
    """What an operator does when a server of the pair stopped answering mid-run: which server
    serves now, what state each is in, and the two ways forward (run again once it answers, or
    put it back from its pre-change backup, with the commands).

    ``reads`` maps each server to a po_info task result read just now (``unreachable`` when it
    did not answer); ``what_happened`` is what the run did before, in the survivor's words.
    """
    target = plan.get("target") or {}
    states, serving, gone = [], [], []
    for host in (plan["standby"], plan["active"]):
        read = reads.get(host) or {}
        info = read.get("po_info")
        if read.get("unreachable") or not isinstance(info, t.Mapping):
            gone.append(host)
            states.append(f"{host}: not answering")
            continue
        not_running = po_not_running(info)
        role = (info.get("redundancy") or {}).get("role") or "unknown"
        holds = "holds the change" if target and not po_missing_change(info, target) else "runs the project it had"
        running = "every process Running" if not not_running else f"not running: {', '.join(not_running)}"
        states.append(f"{host}: {role}, {running}, {holds}")
        if not not_running:
            serving.append(host)
    now = (f"{' and '.join(serving)} serve{'s' if len(serving) == 1 else ''} the plant"
           if serving else "no server of the pair answers with every process Running: check the plant at once")
    lines = [f"{pair}: {', '.join(gone) or 'a server'} stopped answering during the update. {what_happened}",
             f"Now: {now}. " + "; ".join(states) + ".",
             "Ways forward: (1) once " + (", ".join(gone) or "it") + " answers again, run the same "
             "playbook again: a server that holds the change is left alone and the procedure goes on "
             "from where it stopped."]
    revert = []
    for host in gone:
        backup = (backups or {}).get(host) or {}
        if backup.get("path"):
            archive = json.dumps({"archive": backup["path"]})
            revert.append(f"ansible {host} -i {inventory} -m scada.redundancy.project_restore -a "
                          f"'{archive}' && ansible {host} -i {inventory} -m "
                          f"scada.redundancy.project_compile && ansible {host} -i {inventory} -m "
                          f"scada.redundancy.runtime -a state=restarted")
    if revert:
        lines.append(f"(2) or, once it answers, put {' and '.join(gone)} back as it was from its pre-change "
                     "backup: " + "; ".join(revert) + ".")
        lines.append(f"(3) or, once both answer, put the whole pair back to the backups this run took, standby "
                     f"first: ansible-playbook -i {inventory} scada.redundancy.revert --limit {pair}.")
    else:
        lines.append(f"(2) there is nothing to put back: no pre-change backup of {' or '.join(gone) or 'it'} "
                     "was taken, so this run changed nothing on it.")
    return " ".join(lines)


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {
            "po_change_target": po_change_target,
            "po_missing_change": po_missing_change,
            "po_pair_roles": po_pair_roles,
            "po_update_plan": po_update_plan,
            "po_update_dry_run": po_update_dry_run,
            "po_update_guidance": po_update_guidance,
            "po_not_running": po_not_running,
        }
