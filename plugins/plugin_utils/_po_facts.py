# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""po_info's document, read in two batches and decided here.

The first batch reads the install (:mod:`._po_install`) and the runtime service; the second
lists the projects (:mod:`._po_projects`) and, where the runtime may be running, asks it for
its processes and live role through CtAPI (:mod:`._po_runtime_state`). The keys are the
po_info module's RETURN.
"""

from __future__ import annotations

import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _po_runtime_state as state
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_install import (
    DISCOVERY_CALLS,
    discovery_calls,
    install_from,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_projects import (
    Catalog,
    listing_calls,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._services import service_record

STEP = "po_info"


def read_po_info(action: t.Any, params: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The po_info document for checked options (``_power_operation.po_info_params``)."""
    first = action.verbs(STEP, discovery_calls()
                         + [verbs.service_list(patterns=params["runtime_service_pattern"])])
    install = install_from(STEP, first)
    service = _runtime_service(first[DISCOVERY_CALLS]["services"])
    facts: dict[str, t.Any] = {
        "installed": install is not None, "version": None, "ini_path": None, "bin_folder": None,
        "paths": {}, "run_project": None, "run_path": None, "projects": {}, "project_set": [],
        "runtime": {"service": service, "processes": [],
                    "ctapi": {"used": False, "connected": False, "error": None}},
        "redundancy": {"role": "unknown", "server_info_ex": None,
                       "component": params["redundancy_component"],
                       "cluster": params["cluster"] or None}}
    if install is None:
        facts["redundancy"]["role"] = "offline"
        return facts
    facts.update(version=install.version, ini_path=install.ini_path,
                 bin_folder=install.paths["bin"], paths=install.paths, run_path=install.run_path)
    stopped = service is not None and service["status"] != "Running"
    if stopped:
        facts["runtime"]["processes"] = state.service_states(params["processes"], service["status"])
        facts["redundancy"]["role"] = "offline"
    calls = listing_calls(install, STEP, params["project_source"], params["fingerprints"])
    components = state.probe_components(params["processes"], params["redundancy_component"])
    probe = params["ctapi"] and not stopped
    if probe:
        calls.append(state.probe_call(
            params["ctapi_dll"] or state.default_dll(install.paths["bin"] or ""), components,
            cluster=params["cluster"], user=params["ctapi_user"],
            password=params["ctapi_password"], timeout=params["ctapi_timeout"],
            powershell=params["ctapi_powershell"]))
    second = action.verbs(STEP, calls)
    catalog = Catalog(install, STEP, params["project_source"], second[:len(second) - probe])
    _projects(facts, catalog, params)
    if probe:
        _runtime(facts, params, components, second[-1], service_present=service is not None)
    return facts


def _runtime_service(services: t.Sequence[t.Mapping[str, t.Any]]) -> dict[str, t.Any] | None:
    """The first service (by name) the patterns found, with its process's start time: the
    runtime loads the compiled project then, so a compile recorded later is not running yet."""
    if not services:
        return None
    return {**service_record(services[0]), "started": services[0]["started"]}


def _projects(facts: dict[str, t.Any], catalog: Catalog, params: t.Mapping[str, t.Any]) -> None:
    run = catalog.run_project()
    if run is not None:
        facts["run_project"] = run.name
        facts["project_set"] = catalog.closure(run.name)
    wanted = [catalog.resolve(n) for n in params["projects"]] or list(catalog.projects.values())
    for project in wanted:
        marker = catalog.marker(project) or {}
        report = {"path": project.path, "includes": list(project.includes),
                  "compiled": catalog.compiled(project),
                  "compiled_fingerprint": marker.get("set_fingerprint"),
                  "compiled_at": marker.get("compiled_at")}
        if params["fingerprints"]:
            report["set_fingerprint"] = catalog.set_fingerprint(catalog.closure(project.name))
            report["fingerprint"] = catalog.fingerprint(project.name)
        facts["projects"][project.name] = report


def _runtime(facts: dict[str, t.Any], params: t.Mapping[str, t.Any], components: list[str],
             answer: t.Mapping[str, t.Any], service_present: bool) -> None:
    """Processes and the live role from one CtAPI probe (:mod:`._po_runtime_state`)."""
    connected = bool(answer["connected"])
    values = state.answers(components, answer)
    facts["runtime"]["ctapi"] = {"used": True, "connected": connected, "error": answer["error"]}
    facts["runtime"]["processes"] = state.process_states(
        params["processes"], connected, values, service_present=service_present)
    if connected or not service_present:
        role, flag = state.role(connected, values, params["redundancy_component"])
        facts["redundancy"].update(role=role, server_info_ex=flag)
