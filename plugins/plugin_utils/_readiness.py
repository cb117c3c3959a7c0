# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""site_readiness: every assumption the collection makes on a server, read in a few agent
batches that change nothing and judged here, each against its documented default or the
site's override, with what to do when it does not hold.

The checks' model and the Windows checks are here; ``_readiness_power_operation`` and
``_readiness_system_platform`` hold the products' checks. A read that fails makes its checks ``not checked`` with the reason, never the
whole probe: a site learns everything the probe could learn in one run.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import EVERY_CATEGORY, RunVerbs, VerbCall, VerbError
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._host_info import (
    PO_INSTALLS_KEY,
    PO_VALUES,
    SP_VALUES,
    UNINSTALL_KEYS,
    power_operation_install,
    system_platform_install,
)

STEP = "site_readiness"
PASS, WARN, FAIL, NOT_CHECKED = "pass", "warn", "fail", "not checked"
VERDICTS = (PASS, WARN, FAIL, NOT_CHECKED)
PRODUCTS = ("power_operation", "system_platform")

#: Windows Server 2016, 2019 and 2022 by build (Microsoft, "Windows Server release information").
SUPPORTED_BUILDS = {"14393": "Windows Server 2016", "17763": "Windows Server 2019",
                    "20348": "Windows Server 2022"}
#: .NET Framework 4.6.2, what Windows Server 2016 ships (Microsoft, "How to: Determine which
#: .NET Framework versions are installed": Release 394802 and later).
DOTNET_MIN_RELEASE = 394802
DOTNET_KEY = "HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full"
#: WinRM settings (WSMan:\localhost) and the least the collection works with, with why.
WINRM_MINIMUMS = {
    # ansible-core's winrm connection sends stdin in 200,000-byte pieces: 267 KB in base64
    # per Send envelope (plugins/connection/winrm.py, _wrapper_payload_stream).
    "MaxEnvelopeSizekb": (300, "Ansible sends a request in pieces of 267 KB of base64 per envelope"),
    # One shell per task's connection, and archive_copy's second end: a few at once.
    "Shell\\MaxShellsPerUser": (5, "each task holds a shell, archive_copy one more on the other end"),
    # Commands count until the shell is deleted: sp_install's longest wait (install and
    # reboot, 9,000 s) at one long poll a minute is 150 commands.
    "Service\\MaxConcurrentOperationsPerUser": (200, "sp_install's longest wait runs 150 commands in one shell"),
}
WINRM_DEFAULTS = {"MaxEnvelopeSizekb": 500, "Shell\\MaxShellsPerUser": 30,
                  "Service\\MaxConcurrentOperationsPerUser": 1500}


class Check(t.NamedTuple):
    """One assumption: what was found, what the collection expects, the verdict and, unless
    it passed, what a site engineer does about it."""

    name: str
    found: str
    expected: str
    verdict: str
    todo: str = ""


@dataclasses.dataclass
class Settings:
    """The site's overrides (the module's options)."""

    products: list[str]
    data_drive: str = ""
    free_space_factor: float = 3.0
    system_platform_pattern: str = "*System Platform*"
    runtime_service_pattern: list[str] = dataclasses.field(default_factory=list)
    notification_patterns: list[str] = dataclasses.field(default_factory=list)
    ctapi_dll: str = ""
    graccess_dll: str = ""
    csc_path: str = ""
    sms_key_paths: list[str] = dataclasses.field(default_factory=list)
    sms_server: str = ""
    historizing: bool | None = None
    status_command: list[str] = dataclasses.field(default_factory=list)
    setup_path: str = ""


@dataclasses.dataclass
class Host:
    """What the Windows batch read, for the product checks."""

    facts: dict[str, t.Any]
    volume: dict[str, t.Any]
    power_operation: dict[str, t.Any]
    system_platform: dict[str, t.Any]

    def has(self, product: str) -> bool:
        return bool(getattr(self, product)["installed"])


def read_windows(run: RunVerbs, settings: Settings) -> tuple[list[Check], Host | None]:
    """The Windows checks and what the product checks need; only a check when the agent
    cannot run at all."""
    try:
        facts, volume, dotnet, winrm, installs, *uninstall = run(STEP, [
            _verbs.host_facts(), _verbs.volume_get(settings.data_drive),
            _verbs.registry_get(DOTNET_KEY, ["Release"]), _verbs.wsman_get(list(WINRM_MINIMUMS)),
            _verbs.registry_subkeys(PO_INSTALLS_KEY, PO_VALUES),
            *(_verbs.registry_subkeys(key, SP_VALUES) for key in UNINSTALL_KEYS)])
    except OperationFailed as exc:
        return [agent_refused(exc)], None
    host = Host(facts, volume, power_operation_install(installs),
                system_platform_install(uninstall, settings.system_platform_pattern))
    return [agent_runs(facts), *windows_checks(facts, dotnet, winrm)], host


def products_to_check(settings: Settings, host: Host) -> tuple[list[str], list[Check]]:
    """The products named, else those installed; a failed check when there are none."""
    wanted = settings.products or [name for name in PRODUCTS if host.has(name)]
    if wanted:
        return wanted, []
    return [], [Check("product installed", "neither product", "Power Operation or System Platform",
                      FAIL, "run the probe on the plant's SCADA servers, or name the products")]


def agent_refused(exc: OperationFailed) -> Check:
    """The first batch failed: under Constrained Language Mode (or an AppLocker or WDAC
    policy, which puts PowerShell in it) the agent's first .NET call is refused
    (Microsoft, "about_Language_Modes")."""
    if "language mode" in exc.msg:
        return Check("PowerShell language mode", f"not FullLanguage: {exc.msg}", "FullLanguage", FAIL,
                     "the agent needs FullLanguage: exempt the connecting account's remote sessions "
                     "from the AppLocker/WDAC script rules or __PSLockdownPolicy, then run the probe again")
    return Check("agent runs", exc.msg, "the agent answers", FAIL,
                 "fix what the message names (docs/troubleshooting.md), then run the probe again")


def agent_runs(facts: t.Mapping[str, t.Any]) -> Check:
    return Check("agent runs", f"answered as {facts['user']}", "the agent answers", PASS)


def windows_checks(facts: t.Mapping[str, t.Any], dotnet: t.Mapping[str, t.Any],
                   winrm: t.Mapping[str, t.Any]) -> list[Check]:
    full = facts["language_mode"] == "FullLanguage"
    admin = bool(facts["is_admin"])
    checks = [
        _windows_version(str(facts["os_caption"]), str(facts["os_version"])),
        _powershell_version(str(facts["powershell_version"])),
        Check("PowerShell language mode", str(facts["language_mode"]), "FullLanguage", PASS if full else FAIL,
              "" if full else "the agent needs FullLanguage: exempt the account's remote sessions from the policy"),
        _dotnet(dotnet),
        Check("account rights", f"{facts['user']}, {'a' if admin else 'not a'} local administrator",
              "a local administrator", PASS if admin else FAIL,
              "" if admin else "connect as a member of the local Administrators group: "
                               "the modules that change the plant need it"),
    ]
    return checks + [_winrm(name, winrm["values"][name]) for name in WINRM_MINIMUMS]


def _windows_version(caption: str, version: str) -> Check:
    """Windows Server 2016-2022 pass; an older build fails, a newer one is a warning."""
    parts = version.split(".")
    build = parts[2] if len(parts) > 2 and parts[2].isdigit() else "0"
    found, expected = f"{caption} ({version})", "Windows Server 2016, 2019 or 2022"
    if build in SUPPORTED_BUILDS:
        return Check("Windows version", found, expected, PASS)
    if int(build) < min(int(b) for b in SUPPORTED_BUILDS):
        return Check("Windows version", found, expected, FAIL,
                     "upgrade Windows: Windows PowerShell 5.1 and .NET Framework 4.6.2 come with Windows Server 2016")
    return Check("Windows version", found, expected, WARN,
                 "newer than the collection is tested on: run the conformance suite (docs/windows-lab.md) here first")


def _powershell_version(version: str) -> Check:
    ok = version.split(".")[:2] == ["5", "1"]
    return Check("Windows PowerShell version", version, "5.1", PASS if ok else FAIL,
                 "" if ok else "the agent is written for Windows PowerShell 5.1, the default WinRM "
                               "endpoint of Windows Server 2016-2022: connect to that endpoint")


def _dotnet(answer: t.Mapping[str, t.Any]) -> Check:
    release = answer["values"]["Release"]
    expected = f".NET Framework 4.6.2 or later (Release >= {DOTNET_MIN_RELEASE})"
    if release is None:
        return Check(".NET Framework version", "no .NET Framework 4.x (no Release value)", expected, FAIL,
                     "install .NET Framework 4.8 (PowerShell 5.1 and csc.exe need 4.x)")
    ok = int(release) >= DOTNET_MIN_RELEASE
    return Check(".NET Framework version", f"Release {release}", expected, PASS if ok else FAIL,
                 "" if ok else "install .NET Framework 4.8")


def _winrm(name: str, value: t.Any) -> Check:
    least, why = WINRM_MINIMUMS[name]
    label = f"WinRM {name.rsplit(chr(92), 1)[-1]}"
    expected = f">= {least} ({why}; Windows' default {WINRM_DEFAULTS[name]})"
    command = f"Set-Item -Path WSMan:\\localhost\\{name} -Value {WINRM_DEFAULTS[name]}"
    if value is None:
        return Check(label, "not readable", expected, WARN,
                     f"read it as an administrator (Get-Item WSMan:\\localhost\\{name})")
    ok = str(value).isdigit() and int(value) >= least
    return Check(label, str(value), expected, PASS if ok else FAIL, "" if ok else f"raise it: {command}")


def free_disk(volume: t.Mapping[str, t.Any], projects_bytes: int | None, factor: float) -> Check:
    """Free space on the data drive for the backups and the staging copy: ``factor`` times the
    projects (the role's free_space_factor), or only that the drive exists when unknown."""
    drive = str(volume["drive"]).upper()
    if not volume["exists"]:
        return Check("free disk", f"no drive {drive}", "the data drive", FAIL,
                     "set scada_data_drive to the drive that holds the projects")
    free = int(volume["free_bytes"])
    if projects_bytes is None:
        return Check("free disk", f"{_gib(free)} free on {drive}", "the data drive", PASS)
    need = int(projects_bytes * factor)
    ok = free >= need
    return Check("free disk", f"{_gib(free)} free on {drive}",
                 f">= {_gib(need)} ({factor:g} x the projects' {_gib(projects_bytes)}: two backups and a staging copy)",
                 PASS if ok else FAIL, "" if ok else f"free {_gib(need - free)} on {drive}")


def _gib(size: int) -> str:
    return f"{size / 1024 ** 3:.2f} GiB"


def read_tolerant(run: RunVerbs, calls: t.Mapping[str, VerbCall | None]) -> dict[str, t.Any]:
    """One batch of the calls given (None: left out), by name; a failed call comes back as
    a VerbError and those after it as None, a call left out as None."""
    named = {name: call for name, call in calls.items() if call is not None}
    values = run(STEP, list(named.values()), tolerate=EVERY_CATEGORY) if named else []
    found = dict(zip(named, values))
    return {name: found.get(name) for name in calls}


def failed(value: t.Any) -> str | None:
    """Why a tolerant read has no value, or None when it has one."""
    if isinstance(value, VerbError):
        return f"{value.category}: {value.msg}"
    if value is None:
        return "not read (an earlier read of the batch failed)"
    return None


def summary(checks: t.Sequence[Check]) -> dict[str, int]:
    """How many checks have each verdict (``not_checked`` for 'not checked')."""
    return {verdict.replace(" ", "_"): sum(1 for c in checks if c.verdict == verdict) for verdict in VERDICTS}
