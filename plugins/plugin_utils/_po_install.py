# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where Power Operation (AVEVA Plant SCADA) is installed on a host, read in one batch.

The first subkey of ``HKLM\\SOFTWARE\\WOW6432Node\\Citect\\SCADA Installs`` names the version and
holds ``DefaultINIPath`` (citect.ini) and ``BinFolder``; the folders come from citect.ini
``[CtEdit]``: User (the projects), Config, Data, Backup, Logs, Bin, Copy, Deploy, and Run, the
folder of the project the next runtime start loads (docs/design.md). Every Power Operation
module begins its first batch with :func:`discovery_calls`: the registry read and the read of
the citect.ini it names are one PowerShell, the file's path taken on the host (``ref``).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import ntpath
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import VerbCall, ref
from ansible_collections.scada.redundancy.plugins.plugin_utils._citect_ini import (
    IniDocument,
    ansi_codec,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed

INSTALLS_KEY = "HKLM:\\SOFTWARE\\WOW6432Node\\Citect\\SCADA Installs"
CTEDIT = "CtEdit"
FOLDER_KEYS = {"user": "User", "config": "Config", "data": "Data", "backup": "Backup",
               "logs": "Logs", "bin": "Bin", "copy": "Copy", "deploy": "Deploy"}
#: Where the collection keeps its own records, below [CtEdit]Data.
RECORDS_FOLDER = "scada.redundancy"
#: How many values :func:`discovery_calls` puts at the start of a batch.
DISCOVERY_CALLS = 3
#: citect.ini is a few kilobytes; a larger file is not one.
_INI_MAX_BYTES = 4 * 1024 * 1024


def discovery_calls() -> list[VerbCall]:
    """The install key, the citect.ini it names, and the host's facts (its ANSI code page)."""
    return [verbs.registry_subkeys(INSTALLS_KEY, ("DefaultINIPath", "BinFolder")),
            verbs.file_read(ref(0, "subkeys", 0, "values", "DefaultINIPath"), _INI_MAX_BYTES),
            verbs.host_facts()]


@dataclasses.dataclass
class Install:
    """One host's install: the registry's facts and citect.ini as read (and its bytes)."""

    version: str
    ini_path: str
    bin_folder: str | None
    ini_bytes: bytes
    ansi: str
    host_facts: dict[str, t.Any]

    def __post_init__(self) -> None:
        self.ini = IniDocument(self.ini_bytes, self.ansi)

    @property
    def ini_sha256(self) -> str:
        return hashlib.sha256(self.ini_bytes).hexdigest()

    @property
    def paths(self) -> dict[str, str | None]:
        """[CtEdit] folder keys (None when unset); bin falls back to the registry's BinFolder."""
        found = {name: self.ini.get(CTEDIT, key) or None for name, key in FOLDER_KEYS.items()}
        found["bin"] = found["bin"] or self.bin_folder
        return found

    @property
    def run_path(self) -> str | None:
        return self.ini.get(CTEDIT, "Run") or None

    def user_folder(self, step: str) -> str:
        """[CtEdit]User, else the folder that holds the [CtEdit]Run project."""
        user = self.paths["user"]
        if user:
            return user.rstrip("\\")
        if self.run_path:
            return ntpath.dirname(self.run_path.rstrip("\\"))
        raise OperationFailed(step, f"citect.ini ({self.ini_path}) names neither [CtEdit]User nor "
                                    f"[CtEdit]Run: the projects folder is unknown", "broken_install")

    def records_path(self, *parts: str) -> str | None:
        """A path below <[CtEdit]Data>\\scada.redundancy, or None when Data is not set."""
        data = self.paths["data"]
        return "\\".join([data.rstrip("\\"), RECORDS_FOLDER, *parts]) if data else None


def install_from(step: str, values: t.Sequence[t.Any]) -> Install | None:
    """The install the values of :func:`discovery_calls` show, or None when none is registered."""
    installs, ini_file, facts = values[:DISCOVERY_CALLS]
    if not installs["exists"] or not installs["subkeys"]:
        return None
    first = installs["subkeys"][0]
    ini_path = first["values"]["DefaultINIPath"]
    if not ini_file or not ini_file["exists"]:
        raise OperationFailed(step, f"Power Operation {first['name']} is registered, but its "
                                    f"citect.ini ('{ini_path or ''}') does not exist",
                              "broken_install")
    return Install(str(first["name"]), str(ini_path), first["values"]["BinFolder"],
                   base64.b64decode(ini_file["base64"]),
                   ansi_codec(facts.get("ansi_code_page", 1252)), facts)


def require_install(step: str, values: t.Sequence[t.Any]) -> Install:
    """:func:`install_from`, or a ``not_installed`` failure."""
    return installed(step, install_from(step, values))


def installed(step: str, install: Install | None) -> Install:
    """The install, or a ``not_installed`` failure when there is none."""
    if install is None:
        raise OperationFailed(step, "Power Operation is not installed on this host (no SCADA "
                                    "Installs registry key)", "not_installed")
    return install


def same_path(left: str | None, right: str | None) -> bool:
    """Whether two Windows paths name the same folder (case-insensitive, trailing \\ ignored)."""
    if not left or not right:
        return False
    return ntpath.normpath(left).rstrip("\\").lower() == ntpath.normpath(right).rstrip("\\").lower()
