"""Twin model of po_info.ps1: Power Operation facts as the real script reads them.

The install, folders and projects come from the host's registry, citect.ini and folders
(:mod:`._po`); the runtime service from the Service Control Manager. With the service present
and not Running every process is Stopped (Stopping / Starting while the service is pending)
and the role ``offline``; otherwise the script reports no processes and role ``unknown``, and
the controller reads them through CtAPI (the agent's ctapi_cicode verb).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import Call, operation
from . import _po

if TYPE_CHECKING:
    from ..host import Host

PROCESS_COMPONENT = {"I/O Server": "IOServer", "Alarm": "Alarm", "Trend": "Trend",
                     "Report": "Report"}
SERVICE_STATES = {"Stopped": "Stopped", "StopPending": "Stopping", "StartPending": "Starting"}


@operation("po_info")
def po_info(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    install = _po.find_install(host)
    service = _runtime_service(host, [str(p) for p in params.get("runtime_service_pattern") or []])
    result: dict[str, Any] = {"installed": install is not None, "version": None, "ini_path": None,
                              "bin_folder": None, "paths": {}, "run_project": None,
                              "run_path": None, "projects": {}, "project_set": []}
    if install is not None:
        result.update(version=install.version, ini_path=install.ini_path,
                      bin_folder=install.paths["bin"], paths=install.paths,
                      run_path=install.run_path)
        entries = _po.catalog(host, install, str(params.get("project_source") or "folders"))
        run = _po.run_entry(install, entries)
        if run is not None:
            result.update(run_project=run.name, project_set=_po.closure(entries, run.name))
        wanted = [_po.resolve(entries, str(n)) for n in params.get("projects") or []]
        cache: dict[str, str] = {}
        for entry in wanted or list(entries.values()):
            result["projects"][entry.name] = _project(host, install, entries, entry,
                                                      bool(params.get("fingerprints")), cache)
    processes, ctapi, redundancy = _runtime_state(host, install, service, params)
    result["runtime"] = {"service": service, "processes": processes, "ctapi": ctapi}
    result["redundancy"] = redundancy
    return result


def _runtime_service(host: "Host", patterns: list[str]) -> dict[str, Any] | None:
    found = sorted(host.services.find(patterns), key=lambda s: s.name.lower())
    if not found:
        return None
    s = found[0]
    return {"name": s.name, "display_name": s.display_name, "status": s.status,
            "start_type": s.start_type, "started": host.services.process_started(s.name)}


def _project(host: "Host", install: _po.Install, entries: dict[str, _po.Entry],
             entry: _po.Entry, fingerprints: bool, cache: dict[str, str]) -> dict[str, Any]:
    compiled = bool(_po.compiled_outputs(host, entry.path))
    marker = _po.compiled_marker(host, install, entry) if compiled else None
    report: dict[str, Any] = {
        "path": entry.path, "includes": list(entry.includes), "compiled": compiled,
        "compiled_fingerprint": marker.get("set_fingerprint") if marker else None,
        "compiled_at": marker.get("compiled_at") if marker else None}
    if fingerprints:
        names = _po.closure(entries, entry.name)
        report["set_fingerprint"] = _po.set_fingerprint(host, entries, names, cache)
        report["fingerprint"] = cache[entry.name.lower()]
    return report


def _runtime_state(host: "Host", install: _po.Install | None, service: dict[str, Any] | None,
                   params: dict[str, Any]) -> tuple[list[dict], dict, dict]:
    names = [str(p) for p in params.get("processes") or []]
    cluster = str(params.get("cluster") or "")
    ctapi = {"used": False, "connected": False, "error": None}
    redundancy: dict[str, Any] = {"role": "unknown", "server_info_ex": None,
                                  "component": str(params.get("redundancy_component") or ""),
                                  "cluster": cluster or None}
    if install is None:
        return [], ctapi, {**redundancy, "role": "offline"}
    if service is not None and service["status"] != "Running":
        state = SERVICE_STATES.get(service["status"], "Stopped")
        return [{"name": n, "state": state, "active": None} for n in names], ctapi, \
            {**redundancy, "role": "offline"}
    return [], ctapi, redundancy
