"""Windows verbs: host facts, volumes and the registry, as the cmdlets in each verb answer.

Each function models the one call its verb script makes, on the host's models; the page it
follows is named in its docstring.
"""

from __future__ import annotations

import base64
import ntpath
import re
import uuid
from typing import Any

from ..filesystem import FileSystemError
from ..registry import RegistryError
from ..services import ServiceError
from ..shell.process import ProcessTerminated
from ..wildcard import like
from . import VerbContext, VerbError, file_ranges

SYSTEM_DRIVE = "C:"
PROGRAM_DATA = "C:\\ProgramData"
WINDOWS_DIR = "C:\\Windows"
#: Encoding.Default on .NET Framework is the system's ANSI code page: 1252 on an English or
#: Western European Windows (Microsoft, "Encoding.Default Property").
ANSI_CODE_PAGE = 1252
PREVIOUS = ".previous"


def host_facts(ctx: VerbContext) -> dict[str, Any]:
    """Win32_OperatingSystem Caption/Version/WindowsDirectory; WindowsIdentity.Name is DOMAIN\\user.

    (Microsoft, "Win32_OperatingSystem class"; "WindowsIdentity.GetCurrent Method";
    "WindowsPrincipal.IsInRole": Administrators as the account's spec says.)
    """
    spec = ctx.host.spec
    name = ctx.user.split("\\")[-1].split("@")[0].lower()
    admin = any(a.admin for a in spec.accounts if a.user.lower() == name)
    return {"computer_name": spec.computer_name, "os_caption": spec.os_caption,
            "os_version": spec.os_version, "last_boot": ctx.host.last_boot(),
            "windows_dir": WINDOWS_DIR, "program_data": PROGRAM_DATA, "ansi_code_page": ANSI_CODE_PAGE,
            "user": f"{spec.computer_name}\\{ctx.user.split(chr(92))[-1]}", "is_admin": admin,
            "powershell_version": spec.windows["powershell_version"],
            "language_mode": spec.windows["language_mode"]}


def wsman_get(ctx: VerbContext, names: list[str]) -> dict[str, Any]:
    """Get-Item WSMan:\\localhost\\<name>: the provider's Value is a string; no item for a
    setting it does not have (Microsoft, "about_WSMan_Provider")."""
    settings = {key.lower(): value for key, value in ctx.host.spec.windows["winrm"].items()}
    return {"values": {name: None if settings.get(name.lower()) is None else str(settings[name.lower()])
                       for name in names}}


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
        subkeys = registry.subkeys(path) if _provider_path(path) else None
    except RegistryError:
        subkeys = None
    if subkeys is None:
        return {"exists": False, "subkeys": []}
    listed = []
    for subkey in subkeys:
        key = f"{path.rstrip(chr(92))}\\{subkey}"
        present = {value.name.lower(): value.data for value in registry.values(key)}
        listed.append({"name": subkey,
                       "values": {name: present.get(name.lower()) for name in names or []}})
    return {"exists": True, "subkeys": listed}


def file_read(ctx: VerbContext, path: str, max_bytes: int) -> dict[str, Any]:
    """Test-Path -PathType Leaf, then File.ReadAllBytes (Microsoft, "File.ReadAllBytes")."""
    fs = ctx.host.fs
    if not fs.is_file(path):
        return {"exists": False, "size": None, "base64": None}
    size = fs.size(path)
    if size > max_bytes:
        raise VerbError(f"{path} is {size} bytes, more than the {max_bytes} this read allows",
                        "too_large")
    return {"exists": True, "size": size, "base64": base64.b64encode(fs.read(path)).decode("ascii")}


def file_wait(ctx: VerbContext, path: str, timeout: float, max_bytes: int) -> dict[str, Any]:
    """Test-Path and FileInfo.Length polled every 200 ms for ``timeout`` modelled seconds,
    then File.ReadAllBytes (Microsoft, "File.ReadAllBytes")."""
    fs, waited = ctx.host.fs, 0.0
    while not (fs.is_file(path) and fs.size(path) > 0):
        if waited >= timeout:
            return {"exists": False, "size": None, "base64": None}
        if not ctx.host.costs.sleep(0.2, ctx.io.cancelled):
            raise ProcessTerminated()
        waited += 0.2
    return file_read(ctx, path, max_bytes)


def path_move(ctx: VerbContext, source: str, destination: str) -> dict[str, Any]:
    """File.Replace or File.Move: a rename on one volume (Microsoft, "File.Replace",
    "File.Move"); a missing source throws FileNotFoundException."""
    fs = ctx.host.fs
    if not fs.is_file(source):
        raise VerbError(f"Could not find file '{source}'.", None, "System.IO.FileNotFoundException")
    data = fs.read(source)
    try:
        fs.remove(source)
        fs.write(destination, data)  # no new space: the bytes were on the disk already
    except FileSystemError as exc:
        raise VerbError(str(exc), "io") from None
    return {"path": destination}


def folders_swap(ctx: VerbContext, folders: list[Any], keep_previous: bool) -> dict[str, Any]:
    """Directory.Move twice per folder, the older '.previous' removed first; a failure puts
    the folders already swapped back (Microsoft, "Directory.Move"). Each step is a
    ``folder.swap`` timeline event {path, action: discard | swap_in | rollback}."""
    fs, done = ctx.host.fs, []
    try:
        for folder in folders:
            path, staged = str(folder["path"]), str(folder["staged"])
            if fs.exists(path + PREVIOUS):
                fs.remove(path + PREVIOUS, recurse=True)
                _swap_event(ctx, path, "discard")
            fs.rename(path, path + PREVIOUS)
            done.append(path)
            fs.rename(staged, path)
            _swap_event(ctx, path, "swap_in")
    except FileSystemError as exc:
        _put_back(ctx, list(reversed(done)))
        raise VerbError(str(exc), "io") from None
    if not keep_previous:
        for path in done:
            fs.remove(path + PREVIOUS, recurse=True)
            _swap_event(ctx, path, "discard")
    return {"swapped": done, "previous_left": []}


def folders_restore_previous(ctx: VerbContext, paths: list[str]) -> dict[str, Any]:
    """What is at each path renamed aside, '<path>.previous' moved back, the aside removed
    (Microsoft, "Directory.Move")."""
    missing = next((p for p in paths if not ctx.host.fs.is_dir(p + PREVIOUS)), None)
    if missing is not None:
        raise VerbError(f"{missing}{PREVIOUS} does not exist", "not_found")
    try:
        _put_back(ctx, paths)
    except FileSystemError as exc:
        raise VerbError(str(exc), "io") from None
    return {"restored": paths, "left_aside": []}


def _put_back(ctx: VerbContext, paths: list[str]) -> None:
    fs = ctx.host.fs
    for path in paths:
        aside = f"{path}.{uuid.uuid4().hex}{PREVIOUS}"
        if fs.exists(path):
            fs.rename(path, aside)
        fs.rename(path + PREVIOUS, path)
        if fs.exists(aside):
            fs.remove(aside, recurse=True)
        _swap_event(ctx, path, "rollback")


def _swap_event(ctx: VerbContext, path: str, action: str) -> None:
    ctx.host.timeline.record(ctx.host.name, "folder.swap", path=path, action=action)


def file_copy(ctx: VerbContext, source: str, destination: str) -> dict[str, Any]:
    """File.Copy(source, destination, overwrite: true) (Microsoft, "File.Copy"); the source
    may be a share path (:mod:`.file_ranges`)."""
    fs, local = file_ranges.existing(ctx, source)
    data = fs.read(local)
    ctx.host.costs.sleep(ctx.host.costs.operation("file_copy_per_mib", 0.02) * len(data) / 2**20)
    _write(ctx, destination, data)
    return {"path": destination, "size": ctx.host.fs.size(destination)}


def dir_create(ctx: VerbContext, path: str) -> dict[str, Any]:
    """Directory.CreateDirectory: parents too, an existing folder is no error (Microsoft,
    "Directory.CreateDirectory")."""
    _mkdir(ctx, path)
    return {"path": path}


def process_get(ctx: VerbContext, process_id: int) -> dict[str, Any]:
    """Get-Process -Id and Process.StartTime (Microsoft, "Process.StartTime"), on the host's
    process table."""
    process = ctx.host.processes.get(process_id)
    if process is None:
        return {"exists": False, "name": None, "started": None}
    return {"exists": True, "name": process.name, "started": process.started}


#: Win32_Service reports State with spaces and StartMode in its own words
#: (Microsoft, "Win32_Service class": State "Start Pending", StartMode "Auto").
_WMI_STATES = {"StartPending": "Start Pending", "StopPending": "Stop Pending"}
_WMI_START_MODES = {"Automatic": "Auto", "AutomaticDelayedStart": "Auto"}


def service_list(ctx: VerbContext, patterns: list[str] | None, names: list[str] | None) -> dict[str, Any]:
    """Win32_Service by DisplayName -like a pattern or Name -contains (both case-insensitive),
    sorted by name; StartTime of the service's process (Microsoft, "Process.StartTime")."""
    services = ctx.host.services
    wanted = {n.lower() for n in names or []}
    listed = []
    for state in services.list():
        if not (state.name.lower() in wanted
                or any(like(state.display_name, p) for p in patterns or [])):
            continue
        started = services.process_started(state.name)
        listed.append({"name": state.name, "display_name": state.display_name,
                       "state": _WMI_STATES.get(state.status, state.status),
                       "start_mode": _WMI_START_MODES.get(state.start_type, state.start_type),
                       "delayed_autostart": state.start_type == "AutomaticDelayedStart",
                       "process_id": 0 if started is None else _pid(state.name),
                       "started": started})
    return {"services": listed}


def service_wait(ctx: VerbContext, name: str, status: str, timeout: float) -> dict[str, Any]:
    """ServiceController.WaitForStatus: returns at the status, else TimeoutException
    (Microsoft, "ServiceController.WaitForStatus Method"). The wait is in modelled seconds."""
    services = ctx.host.services
    current = _service_state(ctx, name).status
    if current != status and not services.wait_status(name, status, ctx.host.costs.scaled(timeout)):
        now = services.get(name).status
        raise VerbError(f"service {name} did not reach {status} within {timeout}s (it is {now})",
                        "timeout")
    return {"status": services.get(name).status}


def service_control(ctx: VerbContext, name: str, action: str) -> dict[str, Any]:
    """ServiceController.Start / Stop: InvalidOperationException when the service already
    runs (Start) or is not started (Stop), or cannot accept control messages (pending)
    (Microsoft, "ServiceController.Start Method", "ServiceController.Stop Method")."""
    services = ctx.host.services
    state = _service_state(ctx, name)
    try:
        if action == "start":
            if state.status in ("Running", "StartPending"):
                raise VerbError(f"Cannot start service {name} on computer '.'. An instance of "
                                f"the service is already running.", "service_error")
            services.start(name)
        elif action == "stop":
            if state.status in ("Stopped", "StopPending"):
                raise VerbError(f"Cannot stop {name} service on computer '.'. The service has "
                                f"not been started.", "service_error")
            services.stop(name)
        else:
            raise VerbError(f"action must be start or stop, not '{action}'", "invalid_arguments")
    except ServiceError as exc:
        raise VerbError(str(exc), "service_error") from None
    return {"status": services.get(name).status}


def _service_state(ctx: VerbContext, name: str) -> Any:
    try:
        return ctx.host.services.get(name)
    except ServiceError:
        # new ServiceController(name) fails on first use when there is no such service.
        raise VerbError(f"Service {name} was not found on computer '.'.", "not_found") from None


def _pid(name: str) -> int:
    return 1000 + sum(map(ord, name.lower())) % 60000


def registry_get(ctx: VerbContext, path: str, names: list[str] | None) -> dict[str, Any]:
    """Test-Path, then Get-ItemProperty: an absent value has no property, reported as $null
    (Microsoft, "about_Registry_Provider"; "Get-ItemProperty")."""
    registry = ctx.host.registry
    if not (_provider_path(path) and registry.key_exists(path)):
        return {"exists": False, "values": {name: None for name in names or []}}
    # Get-ItemProperty names a key's default (unnamed) value "(default)".
    present = {(value.name or "(default)").lower(): value.data for value in registry.values(path)}
    return {"exists": True, "values": {name: present.get(name.lower()) for name in names or []}}


def path_test(ctx: VerbContext, path: str) -> dict[str, Any]:
    """Test-Path -PathType Leaf / Container (Microsoft, "Test-Path")."""
    fs = ctx.host.fs
    if fs.is_file(path):
        return {"exists": True, "kind": "file", "size": fs.size(path)}
    if fs.is_dir(path):
        return {"exists": True, "kind": "directory", "size": None}
    return {"exists": False, "kind": None, "size": None}


def file_write(ctx: VerbContext, path: str, base64: str) -> dict[str, Any]:
    """File.WriteAllBytes: DirectoryNotFoundException when the folder is missing
    (Microsoft, "File.WriteAllBytes")."""
    fs = ctx.host.fs
    parent = ntpath.dirname(path.rstrip("\\"))
    if parent and not fs.is_dir(parent):
        raise VerbError(f"Could not find a part of the path '{path}'.", "not_found")
    data = _b64decode(base64)
    _write(ctx, path, data)
    return {"size": len(data)}


def path_remove(ctx: VerbContext, path: str) -> dict[str, Any]:
    """Remove-Item -Recurse -Force, on a file system path or a registry provider path (a key
    and its subkeys) (Microsoft, "Remove-Item"; about_Providers)."""
    if _provider_path(path):
        registry = ctx.host.registry
        if not registry.key_exists(path):
            return {"removed": False}
        registry.delete_key(path, recurse=True)
        return {"removed": True}
    fs = ctx.host.fs
    if not fs.exists(path):
        return {"removed": False}
    fs.remove(path, recurse=True)
    return {"removed": True}


def dir_create_private(ctx: VerbContext, path: str) -> dict[str, Any]:
    """Directory.CreateDirectory(path, DirectorySecurity): the twin's file system has no
    ACLs, so only the folder (and its parent) is modelled (Microsoft, "Directory.CreateDirectory")."""
    _mkdir(ctx, path)
    return {"path": path}


def _write(ctx: VerbContext, path: str, data: bytes) -> None:
    try:
        ctx.host.fs.write(path, data)
    except FileSystemError as exc:
        raise VerbError(str(exc), "io") from None


def _mkdir(ctx: VerbContext, path: str) -> None:
    try:
        ctx.host.fs.mkdir(path)
    except FileSystemError as exc:
        raise VerbError(str(exc), "io") from None


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


#: New-ItemProperty -PropertyType names -> the registry's value kinds (Microsoft,
#: "New-ItemProperty"; RegistryValueKind).
_PROPERTY_TYPES = {"string": "REG_SZ", "expandstring": "REG_EXPAND_SZ", "multistring": "REG_MULTI_SZ",
                   "dword": "REG_DWORD", "qword": "REG_QWORD", "binary": "REG_BINARY"}


def registry_set(ctx: VerbContext, path: str, name: str, data: Any, kind: str) -> dict[str, Any]:
    """New-Item -Force for a missing key, New-ItemProperty -Force for the value; a DWord takes
    a number (a PowerShell conversion error otherwise)."""
    if not _provider_path(path):
        raise VerbError(f"Cannot find drive. A drive with the name '{path.split(chr(92))[0]}' "
                        f"does not exist.", "not_found")
    value_kind = _PROPERTY_TYPES.get(kind.lower())
    if value_kind is None:
        raise VerbError(f"Cannot bind parameter 'PropertyType'... '{kind}'", "invalid_arguments")
    if value_kind in ("REG_DWORD", "REG_QWORD"):
        if isinstance(data, bool) or not isinstance(data, int):
            raise VerbError(f'Cannot convert value "{data}" to type "System.Int32".', "error")
    ctx.host.registry.set_value(path, name, data, value_kind)
    return {"path": path, "name": name}


def _provider_path(path: str) -> bool:
    """Whether PowerShell reads ``path`` as a registry provider path (``HKLM:\\...``); any
    other text is a path relative to the current file system location (about_Providers)."""
    return re.match(r"^HK(LM|CU|U|EY_[A-Z_]+):\\", path, re.I) is not None


def file_write_atomic(ctx: VerbContext, path: str, base64: str,
                      expect_sha256: str) -> dict[str, Any]:
    """Directory.CreateDirectory, File.WriteAllBytes of <path>.tmp, then File.Replace or
    File.Move: the file is the old one or the new one, never half (Microsoft, "File.Replace").
    With expect_sha256, a file whose content hashes otherwise (or is missing) is left alone."""
    fs = ctx.host.fs
    if expect_sha256:
        current = fs.sha256(path) if fs.is_file(path) else ""
        if current != expect_sha256.lower():
            raise VerbError(f"{path} changed since it was read: it was not written", "changed")
    data = _b64decode(base64)
    _mkdir(ctx, ntpath.dirname(path.rstrip("\\")))
    _write(ctx, f"{path}.tmp", data)
    _write(ctx, path, data)
    fs.remove(f"{path}.tmp")
    return {"size": len(data)}


def service_set_start_type(ctx: VerbContext, name: str, start_type: str) -> dict[str, Any]:
    """sc.exe config start= auto | delayed-auto | demand | disabled; exit code 1060 for a
    service that does not exist (Microsoft, "sc.exe config"; system error codes)."""
    if start_type not in ("Automatic", "AutomaticDelayedStart", "Manual", "Disabled"):
        raise VerbError(f"start_type must be Automatic, AutomaticDelayedStart, Manual or "
                        f"Disabled, not '{start_type}'", "invalid_arguments")
    _service_state(ctx, name)
    try:
        ctx.host.services.set_start_type(name, start_type)
    except (ServiceError, ValueError) as exc:
        raise VerbError(str(exc), "service_error") from None
    return {"name": name, "start_type": start_type}


def tree_list(ctx: VerbContext, path: str, depth: int, sha256: bool, read: list[str] | None,
              max_read: int, skip: list[str] | None) -> dict[str, Any]:
    """Get-ChildItem -Force level by level (breadth first, each level in the provider's
    order), FileSystemInfo.LastWriteTimeUtc, SHA256.ComputeHash, File.ReadAllBytes
    (Microsoft, "Get-ChildItem"; "FileSystemInfo.LastWriteTimeUtc"). The twin's file system
    has no reparse points."""
    fs = ctx.host.fs
    if not fs.is_dir(path):
        return {"exists": False, "entries": []}
    root = path.rstrip("\\")
    entries: list[dict[str, Any]] = []
    pending = [(root, 1)]
    while pending:
        folder, level = pending.pop(0)
        for name in fs.listdir(folder):
            full = f"{folder}\\{name}"
            if level == 1 and fs.is_dir(full) and any(like(name, p) for p in skip or []):
                continue
            entry: dict[str, Any] = {"path": full[len(root) + 1:], "dir": fs.is_dir(full),
                                     "size": None, "modified": fs.modified(full),
                                     "sha256": None, "base64": None}
            if entry["dir"]:
                if depth < 0 or level < depth:
                    pending.append((full, level + 1))
            else:
                entry["size"] = fs.size(full)
                if sha256:
                    entry["sha256"] = fs.sha256(full)
                if entry["size"] <= max_read and any(like(name, p) for p in read or []):
                    entry["base64"] = base64.b64encode(fs.read(full)).decode("ascii")
            entries.append(entry)
    return {"exists": True, "entries": entries}
