# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The consistency audit's judgement: what the read-only reads of each pair and galaxy mean.

The role ``consistency_audit`` reads every server and node with the collection's modules (no
change anywhere) and hands the registered results here. Each pair's two servers are set side
by side; every difference the vendor procedures care about becomes a finding with a severity
(``error``: redundancy is not what the procedures expect; ``warning``: it holds, but the next
update or a failover would meet a surprise) and what to do. Reads that failed are findings
too: an audit never passes a server it could not read.
"""

from __future__ import annotations

import typing as t

SEVERITIES = ("error", "warning")
Reads = t.Mapping[str, t.Any]


class Findings:
    """The findings of one audit, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, severity: str, kind: str, scope: str, subject: str, finding: str, action: str) -> None:
        self.items.append({"severity": severity, "kind": kind, "scope": scope, "subject": subject,
                           "finding": finding, "action": action})


def _result(reads: Reads, name: str) -> t.Mapping[str, t.Any] | None:
    """A registered result that ran and succeeded, else None."""
    result = reads.get(name)
    if not isinstance(result, t.Mapping) or result.get("failed") or result.get("unreachable") \
            or result.get("skipped"):
        return None
    return result


def _why(reads: Reads, name: str) -> str:
    result = reads.get(name)
    if not isinstance(result, t.Mapping):
        return "it was not read"
    return str(result.get("msg") or ("unreachable" if result.get("unreachable") else "it failed"))


def _unread(found: Findings, reads: Reads, name: str, scope: str, subject: str, what: str) -> None:
    found.add("error", "unreadable", scope, subject, f"{what} could not be read: {_why(reads, name)}",
              f"make {subject} answer (WinRM, credentials), then audit again")


# -- Power Operation -------------------------------------------------------------------------
def pair_audit(pair: str, servers: t.Sequence[Reads], options: t.Mapping[str, t.Any],
               found: Findings) -> dict[str, t.Any]:
    """Findings of one pair; its side-by-side rows (aspect -> value per server)."""
    rows: dict[str, dict[str, t.Any]] = {}
    infos: dict[str, t.Mapping[str, t.Any]] = {}
    for server in servers:
        host = str(server["host"])
        info = _result(server, "po_info")
        if info is None:
            _unread(found, server, "po_info", pair, host, "the Power Operation installation")
        else:
            infos[host] = info["po_info"]
        _server_rows(server, infos.get(host), options, found, pair, rows)
    if len(infos) == 2:
        _compare(pair, infos, found)
    _compare_services(pair, servers, found)
    return {"pair": pair, "servers": [str(s["host"]) for s in servers], "rows": rows}


def _server_rows(server: Reads, info: t.Mapping[str, t.Any] | None, options: t.Mapping[str, t.Any],
                 found: Findings, pair: str, rows: dict[str, dict[str, t.Any]]) -> None:
    host = str(server["host"])

    def row(aspect: str, value: t.Any) -> None:
        rows.setdefault(aspect, {})[host] = value

    if info is not None:
        run = info.get("run_project")
        project = (info.get("projects") or {}).get(run) if run else None
        row("[CtEdit]Run", run)
        row("project set fingerprint", (project or {}).get("set_fingerprint"))
        row("compiled", _compiled_state(info, found, pair, host))
        processes = (info.get("runtime") or {}).get("processes") or []
        states = {str(p.get("name")): str(p.get("state")) for p in processes}
        row("runtime processes", states)
        not_running = sorted(n for n, s in states.items() if s != "Running")
        if not_running or not states:
            found.add("error", "runtime_not_running", pair, host,
                      "runtime processes not Running: " + (", ".join(f"{n} ({states[n]})" for n in not_running)
                                                           if states else "no runtime process found"),
                      "start the runtime (scada.redundancy.runtime state=started) and find why it stopped")
        row("live role", (info.get("redundancy") or {}).get("role"))
    setup = _result(server, "setup")
    if setup is not None:
        changes = setup.get("changes") or []
        row("managed citect.ini keys", "as configured" if not changes else
            {f"[{c['section']}]{c['key']}": c.get("before") for c in changes})
        for change in changes:
            found.add("warning", "ini_drift", pair, host,
                      f"citect.ini [{change['section']}]{change['key']} is {change.get('before') or 'absent'}, "
                      f"not {change.get('after') or 'absent'} as the setup step sets it",
                      "run the update's setup step (scada.redundancy.po_setup) or correct citect.ini")
    elif server.get("setup") is not None and not (server["setup"] or {}).get("skipped"):
        _unread(found, server, "setup", pair, host, "citect.ini's managed keys")
    _notification_rows(server, found, pair, host, row)
    _disk(server, options, found, pair, host, row)
    _backup_age(server, options, found, pair, host, row, "Power Operation backup")


def _compiled_state(info: t.Mapping[str, t.Any], found: Findings, pair: str, host: str) -> str:
    """The run project's compiled state (a compile of it compiles its includes into it)."""
    name = info.get("run_project")
    project = (info.get("projects") or {}).get(name) or {}
    stale, missing = [], []
    if name and not project.get("compiled"):
        missing.append(name)
    elif project.get("compiled_fingerprint") and project.get("compiled_fingerprint") != project.get("set_fingerprint"):
        stale.append(name)
    if missing:
        found.add("error", "not_compiled", pair, host, f"not compiled: {', '.join(missing)}",
                  "compile the run project (scada.redundancy.project_compile) and restart the runtime")
    if stale:
        found.add("warning", "compiled_stale", pair, host,
                  f"{', '.join(stale)} changed since its last compile",
                  "compile again (scada.redundancy.project_compile) and restart the runtime")
    return "no: " + ", ".join(missing) if missing else ("stale" if stale else "yes")


def _compare(pair: str, infos: t.Mapping[str, t.Mapping[str, t.Any]], found: Findings) -> None:
    hosts = sorted(infos)
    runs = {h: infos[h].get("run_project") for h in hosts}
    for host, run in runs.items():
        if not run:
            found.add("error", "run_project", pair, host, "[CtEdit]Run names no project",
                      "set [CtEdit]Run to the pair's project (scada.redundancy.po_setup run_project)")
    if len({str(r).lower() for r in runs.values()}) > 1:
        found.add("error", "run_project", pair, " / ".join(hosts),
                  "[CtEdit]Run differs: " + ", ".join(f"{h} runs {runs[h]}" for h in hosts),
                  "run the same project on both servers (the update, or po_setup run_project)")
        return
    prints = {h: ((infos[h].get("projects") or {}).get(runs[h]) or {}).get("set_fingerprint") for h in hosts}
    if all(prints.values()) and len(set(prints.values())) > 1:
        found.add("error", "fingerprints_differ", pair, " / ".join(hosts),
                  f"the servers hold different content of {runs[hosts[0]]} and its includes "
                  f"({', '.join(f'{h} {prints[h][:12]}' for h in hosts)})",
                  "bring the pair together: scada.redundancy.redundant_update with the intended change, "
                  "or scada.redundancy.revert")
    roles = {h: (infos[h].get("redundancy") or {}).get("role") for h in hosts}
    if sorted(str(r) for r in roles.values()) != ["active", "standby"]:
        found.add("error", "roles", pair, " / ".join(hosts),
                  "live roles are " + ", ".join(f"{h} {roles[h]}" for h in hosts) + ", not one active and one standby",
                  "restore redundancy: both runtimes running and connected to each other")


def _services(server: Reads) -> tuple[list[t.Mapping[str, t.Any]], bool] | None:
    """The notification services and whether a maintenance record is left, from agent_verbs."""
    result = _result(server, "services")
    if result is None:
        return None
    calls = result.get("results") or []
    if len(calls) < 2 or not all(c.get("ok") for c in calls[:2]):
        return None
    return list(calls[0]["value"].get("services") or []), bool(calls[1]["value"].get("exists"))


def _notification_rows(server: Reads, found: Findings, pair: str, host: str, row: t.Callable[[str, t.Any], None]) -> None:
    read = _services(server)
    if read is None:
        _unread(found, server, "services", pair, host, "the notification services")
        return
    services, left = read
    row("notification services", {str(s["name"]): f"{s.get('state')}/{s.get('start_mode')}" for s in services})
    if left:
        found.add("warning", "notifications_in_maintenance", pair, host,
                  "a notification maintenance record is still on the server: the services were put in "
                  "maintenance and never restored",
                  "restore them: scada.redundancy.notifications state=restored")
    for service in services:
        if service.get("start_mode") == "Disabled":
            found.add("warning", "notifications_disabled", pair, host,
                      f"notification service {service['name']} is Disabled ({service.get('state')})",
                      "set it back to its start type and start it, or restore the maintenance record")


def _compare_services(pair: str, servers: t.Sequence[Reads], found: Findings) -> None:
    seen = {}
    for server in servers:
        read = _services(server)
        if read is not None:
            seen[str(server["host"])] = {str(s["name"]): (s.get("state"), s.get("start_mode")) for s in read[0]}
    if len(seen) == 2:
        (a, first), (b, second) = sorted(seen.items())
        differ = sorted(n for n in set(first) | set(second) if first.get(n) != second.get(n))
        if differ:
            found.add("warning", "notifications_differ", pair, f"{a} / {b}",
                      "notification services differ between the servers: " + "; ".join(
                          f"{n}: {a} {'/'.join(map(str, first.get(n) or ('absent',)))}, "
                          f"{b} {'/'.join(map(str, second.get(n) or ('absent',)))}" for n in differ),
                      "give both servers the same notification services, states and start types")


def _disk(server: Reads, options: t.Mapping[str, t.Any], found: Findings, scope: str, host: str,
          row: t.Callable[[str, t.Any], None]) -> None:
    result = _result(server, "host_info")
    if result is None:
        _unread(found, server, "host_info", scope, host, "the server's disk")
        return
    drive = result["host_info"].get("data_drive") or {}
    free, size = drive.get("free_bytes"), drive.get("size_bytes")
    if not isinstance(free, int) or not isinstance(size, int) or size <= 0:
        return
    percent = round(100.0 * free / size, 1)
    row("free disk", f"{percent}% of {drive.get('drive')}")
    if percent < float(options.get("min_free_percent", 10)):
        found.add("warning", "low_disk", scope, host,
                  f"{drive.get('drive')} has {percent}% free ({free:,} of {size:,} bytes)",
                  "free space before the next update: it needs room for two backups and a staging copy")


def _backup_age(server: Reads, options: t.Mapping[str, t.Any], found: Findings, scope: str, host: str,
                row: t.Callable[[str, t.Any], None], what: str) -> None:
    result = _result(server, "backups")
    files = [f for f in (result or {}).get("files") or [] if isinstance(f.get("mtime"), (int, float))]
    limit = float(options.get("backup_max_age_hours", 168))
    if not files:
        row("newest backup", None)
        found.add("warning", "backup_missing", scope, host, f"no {what} of {host} on the controller",
                  "take one (the update takes them; scada.redundancy.project_backup fetch=true)")
        return
    newest = max(files, key=lambda f: f["mtime"])
    hours = round((float(options.get("now", newest["mtime"])) - newest["mtime"]) / 3600.0, 1)
    row("newest backup", f"{hours} h old")
    if hours > limit:
        found.add("warning", "backup_old", scope, host,
                  f"the newest {what} on the controller is {hours} hours old ({newest['path']})",
                  f"take a fresh backup (older than {limit:g} hours)")


# -- System Platform -------------------------------------------------------------------------
def galaxy_audit(reads: Reads, found: Findings) -> dict[str, t.Any]:
    """Findings of one galaxy; its nodes' versions, platforms and engine statuses."""
    name = str(reads["galaxy"])
    nodes = {str(h): v for h, v in (reads.get("nodes") or {}).items()}
    versions = {h: v for h, v in nodes.items() if v}
    for host, version in nodes.items():
        if not version:
            found.add("error", "unreadable", name, host, "the node's System Platform version could not be read",
                      f"make {host} answer, then audit again")
    if len(set(versions.values())) > 1:
        found.add("warning", "node_versions_differ", name, " / ".join(sorted(versions)),
                  "nodes run different System Platform versions: " + ", ".join(
                      f"{h} {v}" for h, v in sorted(versions.items())),
                  "finish the upgrade (scada.redundancy.redundant_update --tags system_platform)")
    summary: dict[str, t.Any] = {"galaxy": name, "nodes": versions, "platforms": [], "engines": {}}
    info = _result(reads, "info")
    if info is None:
        _unread(found, reads, "info", name, str(reads.get("gr_host")), "the galaxy")
        return summary
    galaxy = info["galaxy_info"]
    summary["version"] = galaxy.get("version")
    if galaxy.get("upgrade_required"):
        found.add("error", "galaxy_not_migrated", name, str(reads.get("gr_host")),
                  f"the galaxy ({galaxy.get('version')}) must be migrated to the GR node's version",
                  "run the upgrade again: it backs the galaxy up and migrates it")
    for platform in galaxy.get("platforms") or []:
        keys = ("name", "deployment_status", "software_upgrade_pending")
        summary["platforms"].append({k: platform.get(k) for k in keys})
        if not platform.get("deployed"):
            found.add("error", "platform_not_deployed", name, str(platform["name"]),
                      f"platform {platform['name']} is {platform.get('deployment_status')}",
                      "cascade deploy it (scada.redundancy.galaxy_deploy cascade=true)")
        if platform.get("software_upgrade_pending"):
            found.add("warning", "software_upgrade_pending", name, str(platform["name"]),
                      f"platform {platform['name']} is in Software Upgrade Pending",
                      "upgrade its node and cascade deploy it (the upgrade role does both)")
    statuses = _result(reads, "statuses")
    if statuses is not None:
        summary["engines"] = dict(statuses.get("statuses") or {})
        for pair in reads.get("pairs") or []:
            _engine_pair(name, pair, summary["engines"], found)
    return summary


def _engine_pair(galaxy: str, pair: t.Mapping[str, t.Any], statuses: t.Mapping[str, t.Any],
                 found: Findings) -> None:
    engines = [str(pair.get("primary")), str(pair.get("backup"))]
    seen = sorted(str(statuses.get(e)) for e in engines)
    if seen != ["Active", "Standby - Ready"]:
        found.add("error", "engine_status", galaxy, " / ".join(engines),
                  "engine statuses are " + ", ".join(f"{e} {statuses.get(e) or 'not recognised'}" for e in engines)
                  + ", not Active and Standby - Ready",
                  "bring the standby engine to Standby - Ready (deployed, its node reachable, in sync)")


def audit(servers: t.Sequence[Reads], galaxies: t.Sequence[Reads],
          options: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The whole audit of ``servers`` (each naming its ``pair``) and ``galaxies``: findings
    (errors first), each pair side by side, each galaxy, counts."""
    found = Findings()
    pairs: dict[str, list[Reads]] = {}
    for server in servers:
        pairs.setdefault(str(server["pair"]), []).append(server)
    pair_rows = [pair_audit(name, servers, options, found) for name, servers in sorted(pairs.items())]
    galaxy_rows = [galaxy_audit(reads, found) for reads in galaxies]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings = sorted(found.items, key=lambda f: order.get(f["severity"], len(order)))
    counts = {s: len([f for f in findings if f["severity"] == s]) for s in SEVERITIES}
    return {"passed": counts["error"] == 0, "counts": counts, "findings": findings,
            "pairs": pair_rows, "galaxies": galaxy_rows}


def table(report: t.Mapping[str, t.Any]) -> list[str]:
    """The findings as lines of text for the play's output."""
    counts = report["counts"]
    lines = [f"Audit: {counts['error']} error(s), {counts['warning']} warning(s) in "
             f"{len(report['pairs'])} pair(s) and {len(report['galaxies'])} galaxy(ies)."]
    for item in report["findings"]:
        lines.append(f"{item['severity'].upper():7} {item['scope']} {item['subject']}: {item['finding']} "
                     f"-> {item['action']}")
    return lines
