"""Windows verbs: host facts, volumes and the registry, as the cmdlets in each verb answer.

Each function models the one call its verb script makes, on the host's models; the page it
follows is named in its docstring.
"""

from __future__ import annotations

from typing import Any

from ..registry import RegistryError
from . import VerbContext

SYSTEM_DRIVE = "C:"


def host_facts(ctx: VerbContext) -> dict[str, Any]:
    """Win32_OperatingSystem Caption/Version; WindowsIdentity.Name is DOMAIN\\user.

    (Microsoft, "Win32_OperatingSystem class"; "WindowsIdentity.GetCurrent Method".) The twin's
    accounts are local administrators.
    """
    spec = ctx.host.spec
    return {"computer_name": spec.computer_name, "os_caption": spec.os_caption, "os_version": spec.os_version,
            "user": f"{spec.computer_name}\\{ctx.user.split(chr(92))[-1]}", "is_admin": True}


def volume_get(ctx: VerbContext, drive: str) -> dict[str, Any]:
    """Win32_LogicalDisk by DeviceID (-eq compares text case-insensitively); '' is the
    system drive.

    (Microsoft, "Win32_LogicalDisk class": FreeSpace, Size; "about_Comparison_Operators".)
    """
    drive = drive or SYSTEM_DRIVE
    found = next((d for d in (SYSTEM_DRIVE, ctx.host.spec.data_drive.upper())
                  if d.lower() == drive.lower()), None)
    if found is None:
        return {"drive": drive, "exists": False, "free_bytes": None, "size_bytes": None}
    fs = ctx.host.fs
    return {"drive": found, "exists": True, "free_bytes": fs.free_bytes,
            "size_bytes": fs.capacity_bytes}


def registry_subkeys(ctx: VerbContext, path: str, names: list[str] | None) -> dict[str, Any]:
    """Get-ChildItem on a registry key lists subkeys in Windows' order; Get-ItemProperty's
    object lacks a property for an absent value, which the verb reports as $null.

    (Microsoft, "about_Registry_Provider"; "Get-ItemProperty".)
    """
    registry = ctx.host.registry
    try:
        subkeys = registry.subkeys(path)
    except RegistryError:
        return {"exists": False, "subkeys": []}
    listed = []
    for subkey in subkeys:
        key = f"{path.rstrip(chr(92))}\\{subkey}"
        present = {value.name.lower(): value.data for value in registry.values(key)}
        listed.append({"name": subkey,
                       "values": {name: present.get(name.lower()) for name in names or []}})
    return {"exists": True, "subkeys": listed}
