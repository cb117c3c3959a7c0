# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.galaxy_backup: ``IGalaxy.Backup`` through the GRAccess
helper, the file proved a cabinet with its size and SHA-256, and optionally fetched."""

from __future__ import annotations

import base64
import datetime
import ntpath
import os
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive, _transfer
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._action import display
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import EVERY_CATEGORY, VerbError
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._galaxy import GALAXY_OPTIONS, GalaxyAction

STEP = "galaxy_backup"
DEFAULT_DESTINATION = "C:\\ProgramData\\scada.redundancy\\galaxy_backups"
#: A Microsoft cabinet file begins with this signature (Microsoft, "Microsoft Cabinet
#: Format", CFHEADER.signature).
CABINET_SIGNATURE = b"MSCF"


class ActionModule(GalaxyAction):
    argument_spec = {
        **GALAXY_OPTIONS,
        "destination": {"type": "str", "default": DEFAULT_DESTINATION},
        "backup_name": {"type": "str"},
        "force": {"type": "bool", "default": False},
        "fetch": {"type": "bool", "default": False},
        "fetch_dest": {"type": "path"},
        "chunk_size": {"type": "int", "default": _transfer.DEFAULT_CHUNK_SIZE},
    }
    argument_rules = {"required_if": [("fetch", True, ("fetch_dest",))]}

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        _validate(args)
        galaxy = self.helper(args, "galaxy_info")["galaxy"]
        now = datetime.datetime.now(datetime.timezone.utc)
        name = backup_file_name(args["backup_name"] or f"{galaxy['name']}-{galaxy['version_string']}-"
                                                       f"{now:%Y%m%dT%H%M%SZ}.cab")
        path = ntpath.join(args["destination"].rstrip("\\"), name)
        result: dict[str, t.Any] = {
            "changed": True, "path": path, "backup_name": name, "galaxy": galaxy["name"],
            "galaxy_version": galaxy["version_string"], "size": None, "sha256": None,
            "created_utc": None}
        existing = self._file(path)
        if existing is not None and not args["force"]:
            # a backup under the name asked for is kept (force takes it again)
            result.update(changed=False, size=existing["size"], sha256=existing["sha256"])
        elif not self._task.check_mode:
            self.verbs(STEP, [verbs.dir_create(args["destination"])])
            self.helper(args, "backup", path=path)
            written = self._file(path)
            if written is None:
                raise OperationFailed(STEP, f"GRAccess reported the backup of galaxy {galaxy['name']} done, "
                                            f"but {path} does not exist", "backup_missing")
            result.update(size=written["size"], sha256=written["sha256"],
                          created_utc=now.strftime("%Y-%m-%dT%H:%M:%SZ"))
        if args["fetch"] and result["sha256"] is not None:
            result["fetched"] = self._fetch(args, path, name)
            result["changed"] = result["changed"] or result["fetched"]["changed"]
        elif args["fetch"]:
            result["fetched"] = {"path": os.path.join(args["fetch_dest"], name), "changed": True,
                                 "sha256": None, "size": None}
        result["helper_compiled"] = self.helper_compiled
        result["msg"] = _message(result)
        return result

    def _file(self, path: str) -> dict[str, t.Any] | None:
        """The backup file's size and SHA-256 when it exists; a file that is empty or not a
        cabinet fails the step (GRAccess writes cabinets)."""
        found = self.verbs(STEP, [verbs.file_hash(path), verbs.file_read_range(path, 0, len(CABINET_SIGNATURE))],
                           tolerate=EVERY_CATEGORY)
        if isinstance(found[0], VerbError):
            raise OperationFailed(STEP, found[0].msg, found[0].category)
        if not found[0]["exists"]:
            return None
        head = b"" if isinstance(found[1], VerbError) else base64.b64decode(found[1]["base64"] or "")
        if found[0]["size"] <= len(CABINET_SIGNATURE) or head != CABINET_SIGNATURE:
            raise OperationFailed(STEP, f"{path} ({found[0]['size']} bytes) is not a galaxy backup "
                                        f"(a cabinet file begins with MSCF); move it away or name "
                                        f"another backup_name", "backup_invalid")
        return {"size": int(found[0]["size"]), "sha256": str(found[0]["sha256"])}

    def _fetch(self, args: dict[str, t.Any], path: str, name: str) -> dict[str, t.Any]:
        local = os.path.join(args["fetch_dest"], name)
        try:
            return _transfer.fetch(self.verbs, path, local, chunk_size=args["chunk_size"],
                                   check_mode=bool(self._task.check_mode), progress=display.v)
        except _transfer.TransferError as exc:
            raise OperationFailed(STEP, f"fetching {path} to {local} failed: {exc.msg}", exc.category) from None


def backup_file_name(name: str) -> str:
    """The name GRAccess writes: ".cab" appended to a name without an extension (GRAccess
    reference, "Backup method")."""
    return name if ntpath.splitext(name)[1] else name + ".cab"


def _validate(args: dict[str, t.Any]) -> None:
    """Controller-side checks, so bad input fails before anything runs on the host."""
    problems = []
    if args["backup_name"] is not None and _archive.file_name_problem(args["backup_name"]):
        problems.append(f"backup_name {_archive.file_name_problem(args['backup_name'])}")
    if _archive.host_path_problem(args["destination"]):
        problems.append(f"destination {_archive.host_path_problem(args['destination'])}")
    if not _transfer.MIN_CHUNK_SIZE <= args["chunk_size"] <= _transfer.MAX_CHUNK_SIZE:
        problems.append(f"chunk_size must be between {_transfer.MIN_CHUNK_SIZE} and {_transfer.MAX_CHUNK_SIZE} bytes")
    if problems:
        raise AnsibleActionFail("; ".join(problems))


def _message(result: t.Mapping[str, t.Any]) -> str:
    if not result["changed"] and result["sha256"]:
        return f"galaxy {result['galaxy']}: the backup {result['path']} exists and is kept"
    if result["sha256"] is None:
        return f"would back up galaxy {result['galaxy']} to {result['path']}"
    fetched = result.get("fetched")
    where = f", fetched to {fetched['path']}" if fetched else ""
    return (f"galaxy {result['galaxy']} ({result['galaxy_version']}) backed up to {result['path']} "
            f"({result['size']:,} bytes, sha256 {result['sha256']}){where}")
