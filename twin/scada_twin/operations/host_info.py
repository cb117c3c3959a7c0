"""Twin model of host_info.ps1: the facts a real host reports, from the plant spec."""

from __future__ import annotations

import fnmatch
import re
from typing import TYPE_CHECKING, Any

from . import Call, OperationError, operation

if TYPE_CHECKING:
    from ..host import Host

_DRIVE = re.compile(r"^[A-Za-z]:$")
_SYSTEM_DRIVE = "C:"


@operation("host_info")
def host_info(host: "Host", call: Call) -> dict[str, Any]:
    drive = str(call.params.get("data_drive") or _SYSTEM_DRIVE).upper()
    if not _DRIVE.match(drive):
        raise OperationError("data_drive must look like 'D:'", "invalid_parameter")
    if drive not in {_SYSTEM_DRIVE, host.spec.data_drive.upper()}:
        raise OperationError(f"drive {drive} does not exist", "not_found")
    pattern = str(call.params.get("system_platform_pattern") or "")
    return {
        "computer_name": host.spec.computer_name,
        "os": {"caption": host.spec.os_caption, "version": host.spec.os_version},
        "user": {"name": f"{host.spec.computer_name}\\{call.user.split(chr(92))[-1]}",
                 "is_admin": True},
        "data_drive": {"drive": drive, "free_bytes": host.fs.free_bytes,
                       "size_bytes": host.fs.capacity_bytes},
        "products": {
            "power_operation": _power_operation(host),
            "system_platform": _system_platform(host, pattern),
        },
    }


def _power_operation(host: "Host") -> dict[str, Any]:
    product = host.spec.products.get("power_operation")
    if not product:
        return {"installed": False}
    version = str(product.get("version", "2024"))
    return {
        "installed": True,
        "version": version,
        "bin_folder": product.get("bin_folder",
                                  f"C:\\Program Files (x86)\\Schneider Electric\\Power Operation\\v{version}\\bin"),
        "ini_path": product.get("ini_path",
                                f"C:\\ProgramData\\Schneider Electric\\Power Operation\\v{version}\\Config\\citect.ini"),
    }


def _system_platform(host: "Host", pattern: str) -> dict[str, Any]:
    product = host.spec.products.get("system_platform")
    if not product:
        return {"installed": False}
    display_name = str(product.get("display_name", "AVEVA System Platform"))
    # PowerShell's -like is case-insensitive, as fnmatch on lower-cased text is.
    if not fnmatch.fnmatchcase(display_name.lower(), pattern.lower()):
        return {"installed": False}
    node = host.system_platform  # live: setup changes the version and the location
    return {
        "installed": True,
        "display_name": display_name,
        "version": node.software_version,
        "install_location": node.install_location,
    }
