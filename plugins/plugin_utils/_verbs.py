# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's side of each agent verb's contract: one constructor per verb.

Each function's parameters are the verb's ``param`` block, name for name: a parameter without
a default is ``Mandatory`` there (tests/unit/test_agent_contract.py compares the two). Build
calls only through these, so the arguments a verb receives are exactly those it declares.
"""

from __future__ import annotations

import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import VerbCall


def host_facts() -> VerbCall:
    """Computer name, system drive, Windows caption and version, the connecting account."""
    return VerbCall("host_facts", {})


def volume_get(drive: str = "") -> VerbCall:
    """A drive's size and free space (the system drive when ``drive`` is ''), or ``exists: false``."""
    return VerbCall("volume_get", {"drive": drive})


def registry_subkeys(path: str, names: t.Sequence[str] = ()) -> VerbCall:
    """The subkeys of ``path`` with the ``names`` values of each, or ``exists: false``."""
    return VerbCall("registry_subkeys", {"path": path, "names": list(names)})


def file_read(path: str, max_bytes: int = 16777216) -> VerbCall:
    """A small file's bytes (base64), or ``exists: false``; larger than ``max_bytes`` fails."""
    return VerbCall("file_read", {"path": path, "max_bytes": max_bytes})


def service_list(patterns: t.Sequence[str] = (), names: t.Sequence[str] = ()) -> VerbCall:
    """Services whose display name is ``-like`` a pattern or whose name is one of ``names``."""
    return VerbCall("service_list", {"patterns": list(patterns), "names": list(names)})


def service_wait(name: str, status: str, timeout: float) -> VerbCall:
    """Block until the service has ``status`` (a ServiceControllerStatus name), or fail timeout."""
    return VerbCall("service_wait", {"name": name, "status": status, "timeout": timeout})


def service_control(name: str, action: str) -> VerbCall:
    """Ask the Service Control Manager to ``start`` or ``stop`` a service, without waiting."""
    return VerbCall("service_control", {"name": name, "action": action})


def ctapi_cicode(dll: str, commands: t.Sequence[str] = (), user: str = "", password: str = "",
                 timeout: int = 60, powershell: str = "") -> VerbCall:
    """Cicode calls over one local CtAPI connection; never fails for CtAPI's sake."""
    return VerbCall("ctapi_cicode", {"dll": dll, "commands": list(commands), "user": user,
                                     "password": password, "timeout": timeout,
                                     "powershell": powershell})


def registry_get(path: str, names: t.Sequence[str] = ()) -> VerbCall:
    """Whether a key exists, and the ``names`` values under it (None where absent)."""
    return VerbCall("registry_get", {"path": path, "names": list(names)})


def path_test(path: str) -> VerbCall:
    """Whether ``path`` exists, as a ``file`` or a ``directory``, and a file's size."""
    return VerbCall("path_test", {"path": path})


def file_write(path: str, base64: str) -> VerbCall:
    """Write a small file's bytes (base64), replacing what was there."""
    return VerbCall("file_write", {"path": path, "base64": base64})


def path_remove(path: str) -> VerbCall:
    """Remove a file or a folder with its contents; a missing path is no error."""
    return VerbCall("path_remove", {"path": path})


def dir_create_private(path: str) -> VerbCall:
    """Create a folder only SYSTEM and Administrators can open."""
    return VerbCall("dir_create_private", {"path": path})


def setup_runner_start(working_directory: str) -> VerbCall:
    """Start the constant setup runner detached in a folder that holds its run.json."""
    return VerbCall("setup_runner_start", {"working_directory": working_directory})


def process_wait(process_id: int, timeout: float = 0) -> VerbCall:
    """Wait up to ``timeout`` seconds for a process to exit; ``exists: false`` when none has the id."""
    return VerbCall("process_wait", {"process_id": process_id, "timeout": timeout})


def reboot(delay: int, message: str = "") -> VerbCall:
    """Restart Windows after ``delay`` seconds (shutdown.exe /r); its exit code and output."""
    return VerbCall("reboot", {"delay": delay, "message": message})


def registry_set(path: str, name: str, data: t.Any, kind: str) -> VerbCall:
    """Set one value (``kind``: String, ExpandString, MultiString, DWord, QWord, Binary),
    creating the key when missing."""
    return VerbCall("registry_set", {"path": path, "name": name, "data": data, "kind": kind})


def file_write_atomic(path: str, base64: str, expect_sha256: str = "") -> VerbCall:
    """Write a small file through ``<path>.tmp`` and a replace, creating its folder; with
    ``expect_sha256``, only over a file of that content (else the failure ``changed``)."""
    return VerbCall("file_write_atomic", {"path": path, "base64": base64,
                                          "expect_sha256": expect_sha256})


def service_set_start_type(name: str, start_type: str) -> VerbCall:
    """Set a service's start type (Automatic, AutomaticDelayedStart, Manual, Disabled)."""
    return VerbCall("service_set_start_type", {"name": name, "start_type": start_type})


def process_run(file_name: str, arguments: str, timeout: int = 60, stdin: str = "",
                utf8: bool = False, max_output: int = 4000) -> VerbCall:
    """Run a program directly with a command line (see ``_argv.command_line``) and ``stdin``;
    its exit code, output (UTF-8 with ``utf8``, else the OEM code page; ``max_output``
    characters at most) and whether it was killed at ``timeout`` seconds."""
    return VerbCall("process_run", {"file_name": file_name, "arguments": arguments,
                                    "timeout": timeout, "stdin": stdin, "utf8": utf8,
                                    "max_output": max_output})


def tree_list(path: str, depth: int = 1, sha256: bool = False, read: t.Sequence[str] = (),
              max_read: int = 1048576, skip: t.Sequence[str] = ()) -> VerbCall:
    """Files and folders below ``path`` to ``depth`` levels (-1: all), with sizes, write times,
    SHA-256 with ``sha256``, the bytes of small files named like ``read``; ``skip`` names are
    left out with what is below them. A missing folder is ``exists: false``."""
    return VerbCall("tree_list", {"path": path, "depth": depth, "sha256": sha256, "read": list(read),
                                  "max_read": max_read, "skip": list(skip)})


def gb_projects() -> VerbCall:
    """Every project Graphics Builder lists, with its direct includes, and the selected one."""
    return VerbCall("gb_projects", {})


def gb_compile(project: str, timeout: int) -> VerbCall:
    """ProjectSelect + ProjectCompile, waited on for at most ``timeout`` seconds (category
    timeout); when the call started and returned, and the seconds between."""
    return VerbCall("gb_compile", {"project": project, "timeout": timeout})


def file_wait(path: str, timeout: float, max_bytes: int = 1048576) -> VerbCall:
    """Wait up to ``timeout`` seconds for a file with at least one byte; its bytes as
    :func:`file_read` gives them, or ``exists: false``."""
    return VerbCall("file_wait", {"path": path, "timeout": timeout, "max_bytes": max_bytes})


def process_get(process_id: int) -> VerbCall:
    """Whether a process with the id runs, its name and start time (UTC; None when Windows
    will not say)."""
    return VerbCall("process_get", {"process_id": process_id})


class ZipEntry(t.NamedTuple):
    """One entry for :func:`zip_create`: a host file (``source``) or bytes (``base64``), and
    the SHA-256 its stored bytes must have ('' for any)."""

    name: str
    source: str = ""
    base64: str = ""
    sha256: str = ""


def zip_create(path: str, entries: t.Sequence[ZipEntry]) -> VerbCall:
    """Write a zip of ``entries`` in order, each hashed as stored (a different SHA-256 than the
    one given fails ``changed``), read back and checked (``corrupt``); removed on any failure
    (a full disk: ``disk_full``). The file's size and SHA-256, and each entry's."""
    return VerbCall("zip_create", {"path": path, "entries": [
        e._asdict() if isinstance(e, ZipEntry) else e for e in entries]})


def zip_list(path: str, sha256: bool = False, read: t.Sequence[str] = (),
             max_read: int = 268435456) -> VerbCall:
    """A zip's entries (with each entry's SHA-256 with ``sha256``), the bytes of those named in
    ``read``, and the file's size and SHA-256; ``exists: false`` without a file, ``corrupt``
    when it is no readable zip."""
    return VerbCall("zip_list", {"path": path, "sha256": sha256, "read": list(read),
                                 "max_read": max_read})


def path_move(source: str, destination: str) -> VerbCall:
    """Rename a file, replacing a file of the new name."""
    return VerbCall("path_move", {"source": source, "destination": destination})


def dir_create(path: str) -> VerbCall:
    """Create a folder (and its parents) with inherited permissions; an existing one is fine."""
    return VerbCall("dir_create", {"path": path})


def zip_extract(path: str, destination: str, entries: t.Sequence[t.Mapping[str, str]]) -> VerbCall:
    """Write zip entries ``[{name, target, sha256}]`` below a new ``destination`` folder, each
    created new and checked against its SHA-256 (``corrupt``); the folder is removed on any
    failure (a full disk: ``disk_full``)."""
    return VerbCall("zip_extract", {"path": path, "destination": destination,
                                    "entries": list(entries)})


def folders_swap(folders: t.Sequence[t.Mapping[str, str]], keep_previous: bool = True) -> VerbCall:
    """Put staged folders ``[{path, staged}]`` in place, each old one kept as
    ``<path>.previous``; all or none (a failure puts every swapped folder back)."""
    return VerbCall("folders_swap", {"folders": list(folders),
                                     "keep_previous": keep_previous})


def folders_restore_previous(paths: t.Sequence[str]) -> VerbCall:
    """Put each ``<path>.previous`` back as ``<path>``."""
    return VerbCall("folders_restore_previous", {"paths": list(paths)})


def file_copy(source: str, destination: str) -> VerbCall:
    """Copy a file, replacing the destination."""
    return VerbCall("file_copy", {"source": source, "destination": destination})


def file_hash(path: str, length: int = -1) -> VerbCall:
    """A file's size and the SHA-256 of its first ``length`` bytes (-1: all), with how many
    bytes were hashed; ``exists: false`` without a file. ``path`` may be a share path."""
    return VerbCall("file_hash", {"path": path, "length": length})


def file_read_range(path: str, offset: int, length: int) -> VerbCall:
    """Up to ``length`` bytes at ``offset`` (base64) with their SHA-256 and the file's size."""
    return VerbCall("file_read_range", {"path": path, "offset": offset, "length": length})


def file_append(path: str, offset: int, base64: str, sha256: str) -> VerbCall:
    """Add a piece at ``offset`` (0 starts the file anew; otherwise its current length), written
    only when its bytes have ``sha256`` (``chunk_corrupt``); ``offset_mismatch``, ``disk_full``."""
    return VerbCall("file_append", {"path": path, "offset": offset, "base64": base64, "sha256": sha256})


def wsman_get(names: t.Sequence[str]) -> VerbCall:
    """WinRM settings under ``WSMan:\\localhost`` by relative path (strings; None where the
    provider gives no item)."""
    return VerbCall("wsman_get", {"names": list(names)})
