# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""site_readiness's System Platform checks: the install, GRAccess (the file the helper is
compiled against, and the GAC it loads from), csc.exe, the SMS settings, the site's engine
status tool and the setup media (../shared vendor-interfaces.md)."""

from __future__ import annotations

import ntpath
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import RunVerbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._galaxy import FRAMEWORK_CSC
from ansible_collections.scada.redundancy.plugins.plugin_utils._readiness import (
    FAIL,
    NOT_CHECKED,
    PASS,
    STEP,
    Check,
    Host,
    Settings,
    failed,
    read_tolerant,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._sp_registry import (
    management_server_calls,
    management_server_found,
)

#: The global assembly caches an x86 process loads ArchestrA.GRAccess from: .NET 4's and
#: .NET 2's, 32-bit and MSIL (Microsoft, "Global Assembly Cache").
GAC_FOLDERS = ("Microsoft.NET\\assembly\\GAC_32", "Microsoft.NET\\assembly\\GAC_MSIL",
               "assembly\\GAC_32", "assembly\\GAC_MSIL")
GRACCESS_ASSEMBLY = "ArchestrA.GRAccess"
SMS_VALUES = ("ManagementServerName", "ManagementServerPort")


def system_platform_checks(run: RunVerbs, settings: Settings, host: Host) -> list[Check]:
    install = host.system_platform
    checks = [_install(install, settings.system_platform_pattern)]
    windows = str(host.facts["windows_dir"])
    gac = [ntpath.join(windows, folder, GRACCESS_ASSEMBLY) for folder in GAC_FOLDERS]
    csc = settings.csc_path or ntpath.join(windows, FRAMEWORK_CSC)
    tool = settings.status_command[0] if settings.status_command else ""
    found = read_tolerant(run, {
        "graccess": _verbs.path_test(settings.graccess_dll), "csc": _verbs.path_test(csc),
        **{path: _verbs.path_test(path) for path in gac},
        "tool": _verbs.path_test(tool) if tool else None,
        "setup": _verbs.path_test(settings.setup_path) if settings.setup_path else None,
        **{f"sms {i}": call for i, call in enumerate(
            management_server_calls(settings.sms_key_paths, *SMS_VALUES, STEP))}})
    checks.append(_graccess(settings.graccess_dll, found["graccess"], {p: found[p] for p in gac}))
    checks.append(_file("C# compiler", csc, found["csc"], "csc.exe of .NET Framework 4.x",
                        "set csc_path to csc.exe of .NET Framework 4.x (the GRAccess helper is compiled on the node)"))
    checks.append(_sms(settings, [found[f"sms {i}"] for i in range(len(settings.sms_key_paths))]))
    if tool:
        checks.append(_file("engine status tool", tool, found["tool"], "the status command's program",
                            "set system_platform_upgrade_status_command to the site's tool on this node"))
    if settings.setup_path:
        checks.append(_file("setup media", settings.setup_path, found["setup"], "setup.exe of the target version",
                            "copy the media there or set system_platform_upgrade_setup_path"))
    else:
        checks.append(Check("setup media", "not given", "setup.exe of the target version", NOT_CHECKED,
                            "give setup_path (system_platform_upgrade_setup_path) to check it"))
    return checks


def _install(install: t.Mapping[str, t.Any], pattern: str) -> Check:
    expected = f"an uninstall entry like {pattern}"
    if not install["installed"]:
        return Check("System Platform install", "not found", expected, FAIL,
                     "install System Platform, set system_platform_pattern, or leave system_platform out of products")
    return Check("System Platform install", f"{install['display_name']} {install['version']}", expected, PASS)


def _file(name: str, path: str, answer: t.Any, expected: str, todo: str) -> Check:
    if failed(answer):
        return Check(name, f"{path}: {failed(answer)}", expected, NOT_CHECKED)
    if answer["kind"] != "file":
        return Check(name, f"{path} not found", expected, FAIL, todo)
    return Check(name, path, expected, PASS)


def _graccess(dll: str, answer: t.Any, gac: t.Mapping[str, t.Any]) -> Check:
    expected = "ArchestrA.GRAccess.dll (the helper is compiled against it) and in the GAC (it loads from there)"
    if failed(answer):
        return Check("GRAccess", f"{dll}: {failed(answer)}", expected, NOT_CHECKED)
    cached = [path for path, value in gac.items() if not failed(value) and value["kind"] == "directory"]
    problems = ([] if answer["kind"] == "file" else [f"{dll} not found"]) + \
        ([] if cached else [f"{GRACCESS_ASSEMBLY} in no GAC"])
    if problems:
        return Check("GRAccess", "; ".join(problems), expected, FAIL,
                     "install the Application Server's GRAccess (the IDE or the GR node install has it), "
                     "or set graccess_dll")
    return Check("GRAccess", f"{dll}; {cached[0]}", expected, PASS)


def _sms(settings: Settings, answers: t.Sequence[t.Any]) -> Check:
    where = ", ".join(settings.sms_key_paths)
    expected = "the System Management Server configured, or set by the upgrade, on a historizing redundant node"
    if any(failed(a) for a in answers):
        return Check("System Management Server", next(t.cast(str, failed(a)) for a in answers if failed(a)),
                     expected, NOT_CHECKED)
    sms = management_server_found(settings.sms_key_paths, answers, *SMS_VALUES)
    if sms["configured"]:
        return Check("System Management Server", f"{sms['server']}:{sms['port']} ({sms['key']})", expected, PASS)
    if settings.sms_server:
        return Check("System Management Server", f"not set under {where}; the upgrade sets {settings.sms_server}",
                     expected, PASS)
    if settings.historizing is False:
        return Check("System Management Server", f"not set under {where}; the node does not historize",
                     expected, PASS)
    return Check("System Management Server", f"not set under {where}", expected, FAIL,
                 "set system_platform_upgrade_sms_server (the upgrade configures it), or sms_key_paths "
                 "to where this version keeps ManagementServerName; without it a historizing redundant "
                 "node loses data (AVEVA)")
