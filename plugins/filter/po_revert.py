# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of the Power Operation revert role: which pre-change backup puts a server back."""

from __future__ import annotations

import ntpath
import posixpath
import re
import typing as t

from ansible.errors import AnsibleFilterError

#: How project_backup names an archive: <project>-<UTC time>.ctz, the time as 20261204T162739Z.
_TAKEN = re.compile(r"-(?P<taken>\d{8}T\d{6}Z)\.ctz$", re.I)
_MOMENT = re.compile(r"^\d{8}T\d{6}Z$")


def po_revert_archive(files: t.Sequence[t.Mapping[str, t.Any]], host: str, before: str = "") -> dict[str, str]:
    """The newest backup of ``host`` among ``files`` (ansible.builtin.find's ``files`` in the
    host's folder of the backup directory), or the newest taken before ``before`` (a UTC time
    as the archive names write it, 20261204T162739Z): {path, taken}."""
    if before and not _MOMENT.match(before):
        raise AnsibleFilterError(f"before must be a UTC time such as 20261204T162739Z, not {before!r}")
    taken = []
    for entry in files:
        path = str(entry.get("path") or "")
        match = _TAKEN.search(posixpath.basename(path) or ntpath.basename(path))
        if match and (not before or match.group("taken").upper() < before.upper()):
            taken.append((match.group("taken").upper(), path))
    if not taken:
        when = f" taken before {before}" if before else ""
        raise AnsibleFilterError(f"no pre-change backup of {host}{when} on the controller (the update fetches "
                                 f"one before it changes anything)")
    moment, path = max(taken)
    return {"path": path, "taken": moment}


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {"po_revert_archive": po_revert_archive}
