# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""System Platform node settings kept in the registry, read and changed through agent verbs;
what they mean and what to change is decided here.

- CPU load balancing of redundant AppEngines: ``EnableCPUBalancing`` (DWORD 0/1, vendor
  default 0) and ``LoadObjectsNumberPerGroup`` (DWORD, default 50) under
  ``HKLM\\SOFTWARE\\Wow6432Node\\ArchestrA\\Framework\\EngineFailoverStartup`` (vendor-interfaces).
- The System Management Server a node is told to use: where the product keeps the
  configurator's ``ManagementServerName`` / ``...Port`` is not documented, so the keys and value
  names are the caller's; the first key holding a non-empty server name wins.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import RunVerbs, VerbCall
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed

LOAD_BALANCING_KEY = "HKLM\\SOFTWARE\\Wow6432Node\\ArchestrA\\Framework\\EngineFailoverStartup"
ENABLE = "EnableCPUBalancing"
PER_GROUP = "LoadObjectsNumberPerGroup"
DEFAULTS = {ENABLE: 0, PER_GROUP: 50}
_HKLM = re.compile(r"^(HKLM|HKEY_LOCAL_MACHINE):?\\(?P<rest>.+)$", re.I)


def provider_path(path: str, step: str) -> str:
    """``HKLM\\...``, ``HKLM:\\...`` or ``HKEY_LOCAL_MACHINE\\...`` as the registry provider's
    ``HKLM:\\...`` (any other form would be read as a file system path)."""
    text = path.replace("/", "\\").strip()
    match = _HKLM.match(text)
    if match is None or not match.group("rest").strip("\\"):
        hive = text.split("\\")[0].rstrip(":").upper()
        if hive.startswith("HK") and "\\" in text:
            raise OperationFailed(step, f"only HKLM keys are read: '{path}'", "invalid_parameter")
        raise OperationFailed(step, f"not a registry key path: '{path}'", "invalid_parameter")
    return "HKLM:\\" + match.group("rest").strip("\\")


def load_balancing(run: RunVerbs, enabled: bool | None, per_group: int | None,
                   check: bool) -> dict[str, t.Any]:
    """{key, before, after, effective, changes}; writes the changes unless ``check``."""
    step = "load_balancing"
    key = provider_path(LOAD_BALANCING_KEY, step)
    found = run(step, [_verbs.registry_get(key, [ENABLE, PER_GROUP])])[0]["values"]
    before = {name: None if found[name] is None else int(found[name]) for name in (ENABLE, PER_GROUP)}
    asked = ((ENABLE, None if enabled is None else int(enabled)), (PER_GROUP, per_group))
    wanted = {name: value for name, value in asked if value is not None}
    changes = [{"name": name, "before": before[name], "after": value}
               for name, value in wanted.items() if before[name] != value]
    if changes and not check:
        run(step, [_verbs.registry_set(key, c["name"], c["after"], "DWord") for c in changes])
    after = {**before, **wanted}
    effective = {name: DEFAULTS[name] if after[name] is None else after[name] for name in after}
    return {"key": LOAD_BALANCING_KEY, "before": before, "after": after, "effective": effective,
            "changes": changes}


#: Where sms_check looks for the System Management Server settings by default.
DEFAULT_SMS_KEY = "HKLM\\SOFTWARE\\WOW6432Node\\ArchestrA\\Framework\\ASBRuntime"


def management_server(run: RunVerbs, key_paths: t.Sequence[str], server_value: str,
                      port_value: str) -> dict[str, t.Any]:
    """{configured, server, port, key, searched: [{key, exists}]} (keys as given)."""
    step = "sms_check"
    answers = run(step, management_server_calls(key_paths, server_value, port_value, step))
    return management_server_found(key_paths, answers, server_value, port_value)


def management_server_calls(key_paths: t.Sequence[str], server_value: str, port_value: str,
                            step: str) -> list[VerbCall]:
    """The reads :func:`management_server_found` interprets, one per key."""
    return [_verbs.registry_get(provider_path(path, step), [server_value, port_value])
            for path in key_paths]


def management_server_found(key_paths: t.Sequence[str], answers: t.Sequence[t.Mapping[str, t.Any]],
                            server_value: str, port_value: str) -> dict[str, t.Any]:
    """The first key that names a server (its port a number when it reads as one)."""
    searched = []
    for given, answer in zip(key_paths, answers):
        searched.append({"key": given, "exists": bool(answer["exists"])})
        server = answer["values"][server_value]
        if server is None or not str(server).strip():
            continue
        port = answer["values"][port_value]
        if port is not None:
            text = str(port).strip()
            port = int(text) if re.fullmatch(r"-?\d+", text) else text
        return {"configured": True, "server": str(server).strip(), "port": port, "key": given,
                "searched": searched}
    return {"configured": False, "server": None, "port": None, "key": None, "searched": searched}
