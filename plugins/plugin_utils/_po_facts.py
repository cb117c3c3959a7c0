# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""po_info's document, read in at most two batches and decided here.

The first batch reads the install (:mod:`._po_install`) and the runtime service, and, where
the host showed its install earlier in the run, the projects too (:mod:`._install_memory`);
the second lists the projects (:mod:`._po_projects`) when they were not read yet and, where
the runtime may be running, asks it for its processes and live role through CtAPI
(:mod:`._po_runtime_state`). The keys are the po_info module's RETURN.
"""

from __future__ import annotations

import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _po_runtime_state as state
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import VerbCall
from ansible_collections.scada.redundancy.plugins.plugin_utils._install_memory import read_install
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_install import Install
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_projects import (
    Catalog,
    listing_calls,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._services import service_record

STEP = "po_info"


def read_po_info(action: t.Any, params: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The po_info document for checked options (``_power_operation.po_info_params``)."""
    read = read_install(action, STEP, lambda found, first: _reading_calls(found, first, params),
                        first=[verbs.service_list(patterns=params["runtime_service_pattern"])])
    install = read.install
    service = _runtime_service(read.first[0]["services"])
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
    if service is not None and service["status"] != "Running":
        facts["runtime"]["processes"] = state.service_states(params["processes"], service["status"])
        facts["redundancy"]["role"] = "offline"
    probe = _probes(params, service)
    values = read.more
    listed = len(listing_calls(install, STEP, params["project_source"], params["fingerprints"]))
    catalog = Catalog(install, STEP, params["project_source"], values[:listed])
    _projects(facts, catalog, params)
    if probe:
        _runtime(facts, params, _components(params), values[listed], service_present=service is not None)
    return facts


def _probes(params: t.Mapping[str, t.Any], service: t.Mapping[str, t.Any] | None) -> bool:
    """Whether the runtime is asked through CtAPI: when asked for, unless its service is stopped."""
    return bool(params["ctapi"]) and not (service is not None and service["status"] != "Running")


def _components(params: t.Mapping[str, t.Any]) -> list[str]:
    return state.probe_components(params["processes"], params["redundancy_component"])


def _reading_calls(install: Install, first: list[t.Any] | None,
                   params: t.Mapping[str, t.Any]) -> list[VerbCall]:
    """The projects and the CtAPI probe; once the runtime service is known (``first``), the
    probe only where it runs. Before that (a remembered install), the probe goes along: a
    runtime that turns out stopped answers it unconnected, and the answer is not used."""
    calls = listing_calls(install, STEP, params["project_source"], params["fingerprints"])
    service = _runtime_service(first[0]["services"]) if first is not None else None
    if _probes(params, service):
        calls.append(state.probe_call(
            params["ctapi_dll"] or state.default_dll(install.paths["bin"] or ""), _components(params),
            cluster=params["cluster"], user=params["ctapi_user"],
            password=params["ctapi_password"], timeout=params["ctapi_timeout"],
            powershell=params["ctapi_powershell"]))
    return calls


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
