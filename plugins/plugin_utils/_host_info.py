# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""host_info's reading of a server: one agent batch, then the decisions made here.

The Power Operation install is the first subkey of ``Citect\\SCADA Installs`` (its name is the
version; ``BinFolder`` and ``DefaultINIPath`` under it: ../shared vendor-interfaces.md); System
Platform is the first Add/Remove Programs entry whose DisplayName is ``-like`` the pattern,
32-bit view first, as setup registers it.
"""

from __future__ import annotations

import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import RunVerbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._wildcard import like

STEP = "host_info"
PO_INSTALLS_KEY = "HKLM:\\SOFTWARE\\WOW6432Node\\Citect\\SCADA Installs"
UNINSTALL_KEYS = ("HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
                  "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall")
PO_VALUES = ("BinFolder", "DefaultINIPath")
SP_VALUES = ("DisplayName", "DisplayVersion", "InstallLocation")


def read_host_info(run: RunVerbs, data_drive: str, system_platform_pattern: str) -> dict[str, t.Any]:
    """The documented ``host_info`` result; ``data_drive`` '' means the system drive."""
    facts, volume, installs, *uninstall = run(STEP, [
        _verbs.host_facts(),
        _verbs.volume_get(data_drive),
        _verbs.registry_subkeys(PO_INSTALLS_KEY, PO_VALUES),
        *(_verbs.registry_subkeys(key, SP_VALUES) for key in UNINSTALL_KEYS)])
    drive = str(volume["drive"]).upper()
    if not volume["exists"]:
        raise OperationFailed(STEP, f"drive {drive} does not exist", "not_found")
    return {
        "computer_name": facts["computer_name"],
        "os": {"caption": facts["os_caption"], "version": facts["os_version"]},
        "user": {"name": facts["user"], "is_admin": facts["is_admin"]},
        "data_drive": {"drive": drive, "free_bytes": volume["free_bytes"],
                       "size_bytes": volume["size_bytes"]},
        "products": {"power_operation": power_operation_install(installs),
                     "system_platform": system_platform_install(uninstall, system_platform_pattern)},
    }


def power_operation_install(installs: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    subkeys = installs["subkeys"]
    if not subkeys:
        return {"installed": False}
    first = subkeys[0]
    return {"installed": True, "version": first["name"],
            "bin_folder": first["values"]["BinFolder"],
            "ini_path": first["values"]["DefaultINIPath"]}


def system_platform_install(listings: t.Sequence[t.Mapping[str, t.Any]], pattern: str) -> dict[str, t.Any]:
    for listing in listings:
        for subkey in listing["subkeys"]:
            values = subkey["values"]
            name = values["DisplayName"]
            if name and like(str(name), pattern):
                return {"installed": True, "display_name": name,
                        "version": values["DisplayVersion"],
                        "install_location": values["InstallLocation"]}
    return {"installed": False}
