# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""site_readiness's Power Operation checks: the install the registry names, citect.ini's
[CtEdit] folders, Graphics Builder's ProgID, CtApi.dll and a PowerShell of its bitness, the
runtime and notification services, and room for the backups (../shared vendor-interfaces.md)."""

from __future__ import annotations

import base64
import ntpath
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._citect_ini import IniDocument, ansi_codec
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import RunVerbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_runtime_state import default_dll
from ansible_collections.scada.redundancy.plugins.plugin_utils._readiness import (
    FAIL,
    NOT_CHECKED,
    PASS,
    Check,
    Host,
    Settings,
    failed,
    free_disk,
    read_tolerant,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._wildcard import like

#: The ProgID the compile and the project list automate (Plant SCADA Graphics Builder
#: automation reference); COM finds it under HKLM\SOFTWARE\Classes (Microsoft, "<ProgID> Key").
GRAPHICS_BUILDER_PROGID = "GraphicsBuilder.Application"
PROGID_KEY = f"HKLM:\\SOFTWARE\\Classes\\{GRAPHICS_BUILDER_PROGID}\\CLSID"
#: [CtEdit] keys the modules read: the project that runs, the projects, the collection's
#: records and the configuration files.
REQUIRED_CTEDIT = ("Run", "User", "Data", "Config")
#: PE headers (Microsoft, "PE Format"): the offset of the PE signature at 0x3C, then the COFF
#: header's Machine field.
PE_MACHINES = {0x14C: ("x86", "SysWOW64"), 0x8664: ("x64", "System32")}
_HEADER_BYTES = 1024
_POWERSHELL = "WindowsPowerShell\\v1.0\\powershell.exe"


def power_operation_checks(run: RunVerbs, settings: Settings, host: Host) -> list[Check]:
    install = host.power_operation
    if not install["installed"]:
        return [Check("Power Operation install", "no subkey under HKLM\\SOFTWARE\\WOW6432Node\\Citect\\SCADA Installs",
                      "the install key with BinFolder and DefaultINIPath", FAIL,
                      "install Power Operation, or leave power_operation out of products")]
    bin_folder = str(install["bin_folder"] or "")
    dll = settings.ctapi_dll or default_dll(bin_folder)
    first = read_tolerant(run, {
        "ini": _verbs.file_read(str(install["ini_path"])),
        "progid": _verbs.registry_get(PROGID_KEY, ["(default)"]),
        "services": _verbs.service_list(settings.runtime_service_pattern + settings.notification_patterns),
        "bin": _verbs.path_test(bin_folder), "dll": _verbs.path_test(dll),
        "header": _verbs.file_read_range(dll, 0, _HEADER_BYTES)})
    machine = pe_machine(first["header"])
    folders, powershell = _ctedit_folders(first["ini"], host), _bitness_powershell(machine, host)
    paths = sorted({path for path in folders.values() if path})
    second = read_tolerant(run, {
        **{path: _verbs.path_test(path) for path in paths},
        ":powershell": _verbs.path_test(powershell) if powershell else None,
        ":projects": _verbs.tree_list(folders["User"], depth=-1) if folders.get("User") else None})
    return [_install(install, first["ini"], first["bin"]), _progid(first["progid"]),
            _ctedit(first["ini"], folders, second),
            _ctapi(dll, first["dll"], first["header"], machine, powershell, second[":powershell"]),
            *_services(settings, first["services"]),
            _free_disk(host, second[":projects"], settings.free_space_factor)]


def _install(install: t.Mapping[str, t.Any], ini_file: t.Any, bin_found: t.Any) -> Check:
    found = f"{install['version']}: Bin {install['bin_folder']}, citect.ini {install['ini_path']}"
    expected = "SCADA Installs' first subkey naming an existing Bin folder and citect.ini"
    problems = [what for what, ok in (("Bin folder missing", not failed(bin_found) and bin_found["exists"]),
                                      ("citect.ini missing", not failed(ini_file) and ini_file["exists"]))
                if not ok]
    if problems:
        return Check("Power Operation install", f"{found} ({', '.join(problems)})", expected, FAIL,
                     "repair the install (the registry names files that are not there)")
    return Check("Power Operation install", found, expected, PASS)


def _progid(answer: t.Any) -> Check:
    expected = f"{GRAPHICS_BUILDER_PROGID} registered (HKLM\\SOFTWARE\\Classes)"
    if failed(answer):
        return Check("Graphics Builder automation", t.cast(str, failed(answer)), expected, NOT_CHECKED)
    clsid = answer["values"]["(default)"] if answer["exists"] else None
    if not clsid:
        return Check("Graphics Builder automation", "not registered", expected, FAIL,
                     "repair the Power Operation install: compile and the project list drive Graphics "
                     "Builder through COM")
    return Check("Graphics Builder automation", f"{GRAPHICS_BUILDER_PROGID} -> {clsid}", expected, PASS)


def _ctedit_folders(ini_file: t.Any, host: Host) -> dict[str, str | None]:
    """The required [CtEdit] values (User defaults to the Run project's folder)."""
    if failed(ini_file) or not ini_file["exists"]:
        return {}
    ini = IniDocument(base64.b64decode(ini_file["base64"]), ansi_codec(host.facts.get("ansi_code_page", 1252)))
    folders = {key: (ini.get("CtEdit", key) or None) for key in REQUIRED_CTEDIT}
    if not folders["User"] and folders["Run"]:
        folders["User"] = ntpath.dirname(folders["Run"].rstrip("\\"))
    return folders


def _ctedit(ini_file: t.Any, folders: t.Mapping[str, str | None], found: t.Mapping[str, t.Any]) -> Check:
    expected = f"[CtEdit] {', '.join(REQUIRED_CTEDIT)} set to existing folders"
    if not folders:
        return Check("citect.ini [CtEdit]", failed(ini_file) or "citect.ini not found", expected, NOT_CHECKED)
    missing = [key for key, path in folders.items() if not path]
    absent = [f"{key}={path}" for key, path in folders.items()
              if path and (failed(found[path]) or found[path]["kind"] != "directory")]
    text = "; ".join(f"{key}={path or '(unset)'}" for key, path in folders.items())
    if missing or absent:
        return Check("citect.ini [CtEdit]", text, expected, FAIL,
                     f"run the Computer Setup Wizard or set {', '.join(missing + absent)} in citect.ini")
    return Check("citect.ini [CtEdit]", text, expected, PASS)


def pe_machine(header: t.Any) -> int | None:
    """The Machine field of a PE file's first bytes (file_read_range's value), or None."""
    if failed(header):
        return None
    data = base64.b64decode(header["base64"])
    if len(data) < 0x40 or data[:2] != b"MZ":
        return None
    offset = int.from_bytes(data[0x3C:0x40], "little")
    if data[offset:offset + 4] != b"PE\0\0" or len(data) < offset + 6:
        return None
    return int.from_bytes(data[offset + 4:offset + 6], "little")


def _bitness_powershell(machine: int | None, host: Host) -> str | None:
    """The powershell.exe ctapi_cicode starts for a DLL of this machine type."""
    if machine not in PE_MACHINES:
        return None
    return ntpath.join(str(host.facts["windows_dir"]), PE_MACHINES[machine][1], _POWERSHELL)


def _ctapi(dll: str, dll_found: t.Any, header: t.Any, machine: int | None, powershell: str | None,
           powershell_found: t.Any) -> Check:
    expected = "CtApi.dll, a PE image of x86 or x64, and the powershell.exe of its bitness"
    if failed(dll_found) or not dll_found["exists"]:
        return Check("CtAPI library", f"{dll} not found", expected, FAIL,
                     "set ctapi_dll to the install's CtApi.dll (Bin folder)")
    if machine not in PE_MACHINES:
        what = failed(header) or ("not a PE image" if machine is None else f"machine 0x{machine:X}")
        return Check("CtAPI library", f"{dll}: {what}", expected, FAIL,
                     "set ctapi_dll to the install's CtApi.dll")
    bitness = PE_MACHINES[machine][0]
    if failed(powershell_found) or not powershell_found["exists"]:
        return Check("CtAPI library", f"{dll} ({bitness}); {powershell} missing", expected, FAIL,
                     "set ctapi_powershell to a powershell.exe of the DLL's bitness")
    return Check("CtAPI library", f"{dll} ({bitness}); {powershell}", expected, PASS)


def _services(settings: Settings, answer: t.Any) -> list[Check]:
    if failed(answer):
        reason = t.cast(str, failed(answer))
        return [Check("runtime service", reason, "one service", NOT_CHECKED),
                Check("notification services", reason, "the services to pause", NOT_CHECKED)]
    services = answer["services"]

    def matching(patterns: t.Sequence[str]) -> list[str]:
        return [f"{s['display_name']} ({s['state']})" for s in services
                if any(like(str(s["display_name"]), p) for p in patterns)]

    runtime, notify = matching(settings.runtime_service_pattern), matching(settings.notification_patterns)
    patterns = ", ".join(settings.runtime_service_pattern)
    checks = [Check("runtime service", "; ".join(runtime) or "none", f"one service like {patterns}",
                    PASS if len(runtime) == 1 else FAIL,
                    "" if len(runtime) == 1 else
                    "set runtime_service_pattern to the Runtime Manager service's display name")]
    expected = f"the services like {', '.join(settings.notification_patterns) or '(none)'}"
    if not settings.notification_patterns:
        checks.append(Check("notification services", "not used", expected, PASS))
    else:
        checks.append(Check("notification services", "; ".join(notify) or "none", expected,
                            PASS if notify else FAIL,
                            "" if notify else "set power_operation_update_notification_patterns to the "
                                              "services' display names, or power_operation_update_notifications: false"))
    return checks


def _free_disk(host: Host, tree: t.Any, factor: float) -> Check:
    """Room on the data drive for factor x the projects folder (the whole [CtEdit]User folder:
    more than the project set a backup takes, never less)."""
    if failed(tree) or not tree["exists"]:
        return Check("free disk", f"the projects folder could not be listed ({failed(tree) or 'missing'})",
                     "room for two backups", NOT_CHECKED)
    projects = sum(int(entry["size"] or 0) for entry in tree["entries"] if not entry["dir"])
    return free_disk(host.volume, projects, factor)
