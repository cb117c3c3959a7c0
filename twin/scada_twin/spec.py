"""The plant spec: which hosts the twin simulates and what is installed on them.

A spec is a YAML (or JSON) file; ``docs/plant-spec.md`` documents every key. Loading validates
it and fills defaults, so the rest of the twin works with plain, complete dataclasses.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import pathlib
from typing import Any

import yaml

from .filesystem import FileSystemError, check_new_name, normalize


class SpecError(ValueError):
    """The spec file is not valid; the message names the key."""


@dataclasses.dataclass(frozen=True)
class Account:
    user: str
    password: str
    domain: str = ""
    # A member of the host's local Administrators group (what the collection connects as).
    admin: bool = True


@dataclasses.dataclass
class HostSpec:
    name: str
    address: str
    accounts: list[Account]
    http_port: int = 5985
    https_port: int = 5986
    os_caption: str = "Microsoft Windows Server 2022 Standard"
    os_version: str = "10.0.20348"
    computer_name: str = ""
    data_drive: str = "D:"
    disk_total_bytes: int = 200 * 1024**3
    disk_free_bytes: int = 120 * 1024**3
    products: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    # Files present on the host from the start (setup media, site tools): path -> text.
    files: dict[str, str] = dataclasses.field(default_factory=dict)
    # Windows PowerShell, .NET Framework and WinRM as the host has them (WINDOWS_DEFAULTS).
    windows: dict[str, Any] = dataclasses.field(default_factory=lambda: _parse_windows("", {}))


@dataclasses.dataclass
class PlantSpec:
    name: str
    hosts: list[HostSpec]
    time_scale: float = 1.0
    allow_basic_http: bool = False
    cost: dict[str, Any] = dataclasses.field(default_factory=dict)
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    def host(self, name: str) -> HostSpec:
        for host in self.hosts:
            if host.name == name:
                return host
        raise KeyError(name)


def load(path: str | pathlib.Path) -> PlantSpec:
    text = pathlib.Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {exc}") from exc
    return parse(data)


def parse(data: Any) -> PlantSpec:
    if not isinstance(data, dict):
        raise SpecError("the spec must be a mapping")
    hosts_data = data.get("hosts")
    if not isinstance(hosts_data, list) or not hosts_data:
        raise SpecError("'hosts' must be a non-empty list")
    hosts = [_parse_host(i, h) for i, h in enumerate(hosts_data)]
    _check_unique(hosts)
    known = {"name", "hosts", "time_scale", "allow_basic_http", "cost"}
    return PlantSpec(
        name=str(data.get("name", "plant")),
        hosts=hosts,
        time_scale=float(data.get("time_scale", 1.0)),
        allow_basic_http=bool(data.get("allow_basic_http", False)),
        cost=dict(data.get("cost") or {}),
        extra={k: v for k, v in data.items() if k not in known},
    )


def _parse_host(index: int, data: Any) -> HostSpec:
    where = f"hosts[{index}]"
    if not isinstance(data, dict):
        raise SpecError(f"{where} must be a mapping")
    for key in ("name", "address", "accounts"):
        if key not in data:
            raise SpecError(f"{where}: '{key}' is required")
    try:
        address = ipaddress.ip_address(str(data["address"]))
    except ValueError as exc:
        raise SpecError(f"{where}.address: {exc}") from exc
    if not address.is_loopback:
        raise SpecError(f"{where}.address: the twin only listens on loopback, not {address}")
    accounts = data["accounts"]
    if not isinstance(accounts, list) or not accounts:
        raise SpecError(f"{where}.accounts must be a non-empty list")
    disk = data.get("disk") or {}
    os_data = data.get("os") or {}
    return HostSpec(
        name=str(data["name"]),
        address=str(address),
        accounts=[_parse_account(f"{where}.accounts[{i}]", a) for i, a in enumerate(accounts)],
        http_port=int(data.get("http_port", 5985)),
        https_port=int(data.get("https_port", 5986)),
        os_caption=str(os_data.get("caption", HostSpec.os_caption)),
        os_version=str(os_data.get("version", HostSpec.os_version)),
        computer_name=str(data.get("computer_name") or str(data["name"]).upper()),
        data_drive=str(data.get("data_drive", "D:")),
        disk_total_bytes=int(float(disk.get("total_gb", 200)) * 1024**3),
        disk_free_bytes=int(float(disk.get("free_gb", 120)) * 1024**3),
        products=dict(data.get("products") or {}),
        files=_parse_files(f"{where}.files", data.get("files") or {}),
        windows=_parse_windows(f"{where}.windows", data.get("windows") or {}),
    )


#: A Windows Server 2022 host as installed: Windows PowerShell 5.1 in FullLanguage mode
#: (Microsoft, "about_Language_Modes"), .NET Framework 4.8 (release 528449: Microsoft, "How to:
#: Determine which .NET Framework versions are installed") and WinRM's service defaults
#: (Microsoft, "Installation and configuration for Windows Remote Management").
WINDOWS_DEFAULTS: dict[str, Any] = {
    "powershell_version": "5.1.20348.2849",
    "language_mode": "FullLanguage",
    "dotnet_release": 528449,
    "winrm": {"MaxEnvelopeSizekb": 500, "Shell\\MaxShellsPerUser": 30,
              "Service\\MaxConcurrentOperationsPerUser": 1500,
              "Shell\\IdleTimeout": 7200000},
}


def _parse_windows(where: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or set(data) - set(WINDOWS_DEFAULTS):
        raise SpecError(f"{where} may set only {', '.join(WINDOWS_DEFAULTS)}")
    winrm = data.get("winrm") or {}
    if not isinstance(winrm, dict):
        raise SpecError(f"{where}.winrm must map WSMan:\\localhost settings to values")
    return {**WINDOWS_DEFAULTS, **data, "winrm": {**WINDOWS_DEFAULTS["winrm"], **winrm}}


def _parse_files(where: str, data: Any) -> dict[str, str]:
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                             for k, v in data.items()):
        raise SpecError(f"{where} must map Windows paths to text contents")
    for path in data:
        try:
            check_new_name(normalize(path))
        except FileSystemError as exc:
            raise SpecError(f"{where}: {exc}") from None
    return dict(data)


def _parse_account(where: str, data: Any) -> Account:
    if not isinstance(data, dict) or "user" not in data or "password" not in data:
        raise SpecError(f"{where} needs 'user' and 'password'")
    return Account(str(data["user"]), str(data["password"]), str(data.get("domain", "")),
                   bool(data.get("admin", True)))


def _check_unique(hosts: list[HostSpec]) -> None:
    names = [h.name for h in hosts]
    endpoints = [(h.address, p) for h in hosts for p in (h.http_port, h.https_port)]
    if len(set(names)) != len(names):
        raise SpecError("host names must be unique")
    if len(set(endpoints)) != len(endpoints):
        raise SpecError("two hosts share an address and port")
