# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.project_backup: back up a project on the host (the work:
``_po_backup``), and optionally bring the archive to the controller with retention there."""

from __future__ import annotations

import os
import re
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive, _transfer
from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction, display
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_backup import backup

PLACEHOLDERS = ("project", "project_path", "destination", "archive_name", "backup_folder",
                "ini_path", "bin_folder")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class ActionModule(OperationAction):
    argument_spec = {
        "project": {"type": "str"},
        "include_projects": {"type": "bool", "default": True},
        "subdirectories": {"type": "bool", "default": True},
        "configuration_files": {"type": "bool", "default": False},
        "configuration_patterns": {"type": "list", "elements": "str", "default": ["*.exe.config"]},
        "destination": {"type": "str"},
        "archive_name": {"type": "str"},
        "command_template": {"type": "list", "elements": "str"},
        "command_timeout": {"type": "int", "default": 3600},
        "fetch": {"type": "bool", "default": False},
        "fetch_dest": {"type": "path"},
        "retention": {"type": "int"},
        "chunk_size": {"type": "int", "default": _transfer.DEFAULT_CHUNK_SIZE},
        "project_source": {"type": "str", "choices": ["folders", "graphics_builder"], "default": "folders"},
    }
    argument_rules = {"required_if": [("fetch", True, ("fetch_dest",))]}

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        _validate(args)
        params = dict(args, project=args["project"] or "", destination=args["destination"] or "",
                      archive_name=args["archive_name"] or "",
                      command_template=args["command_template"] or [])
        result = backup(self, params, bool(self._task.check_mode))
        if args["fetch"]:
            result.update(self._fetch(args, result))
        return result

    def _fetch(self, args: dict[str, t.Any], backup: dict[str, t.Any]) -> dict[str, t.Any]:
        """Bring the archive to fetch_dest (bounded chunks, sha256 end to end), then retention."""
        if _archive.file_name_problem(backup.get("archive_name")):
            # The name comes from the host: one with a separator could lead out of fetch_dest.
            raise AnsibleActionFail(f"the host named the archive {backup.get('archive_name')!r}, which is not a "
                                    f"plain file name; nothing was fetched")
        local = os.path.join(args["fetch_dest"], backup["archive_name"])
        fetched: dict[str, t.Any] = {"path": local, "changed": True, "sha256": backup.get("sha256")}
        if not (self._task.check_mode and backup["changed"]):
            try:
                fetched = _transfer.fetch(self.verbs, backup["path"], local, chunk_size=args["chunk_size"],
                                          validate=bool(backup.get("manifest")),
                                          check_mode=bool(self._task.check_mode), progress=display.v)
            except _transfer.TransferError as exc:
                raise AnsibleActionFail(f"fetching {backup['path']} to {local} failed: {exc.msg}") from None
        result: dict[str, t.Any] = {"fetched": fetched, "retention_removed": []}
        if args["retention"] and not self._task.check_mode:
            result["retention_removed"] = _archive.apply_retention(args["fetch_dest"], backup["project"],
                                                                   args["retention"])
        result["changed"] = bool(backup["changed"] or fetched["changed"] or result["retention_removed"])
        return result


def _validate(args: dict[str, t.Any]) -> None:
    """Controller-side checks, so bad input fails before anything runs on the host."""
    problems = []
    if args["project"] is not None and _archive.project_name_problem(args["project"]):
        problems.append(f"project: {_archive.project_name_problem(args['project'])}")
    if args["archive_name"] is not None and _archive.file_name_problem(args["archive_name"]):
        problems.append(f"archive_name {_archive.file_name_problem(args['archive_name'])}")
    if args["destination"] is not None and _archive.host_path_problem(args["destination"]):
        problems.append(f"destination {_archive.host_path_problem(args['destination'])}")
    template = args["command_template"]
    if template is not None:
        unknown = sorted({m for element in template for m in _PLACEHOLDER.findall(element)} - set(PLACEHOLDERS))
        if not template or not template[0]:
            problems.append("command_template must start with the tool's path")
        if unknown:
            problems.append(f"command_template has unknown placeholders {unknown}; known: "
                            f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}")
    if args["command_timeout"] < 1:
        problems.append("command_timeout must be at least 1 second")
    if args["retention"] is not None and (args["retention"] < 1 or not args["fetch"]):
        problems.append("retention needs fetch: true and keeps at least 1 backup in fetch_dest")
    if not _transfer.MIN_CHUNK_SIZE <= args["chunk_size"] <= _transfer.MAX_CHUNK_SIZE:
        problems.append(f"chunk_size must be between {_transfer.MIN_CHUNK_SIZE} and {_transfer.MAX_CHUNK_SIZE} bytes")
    if problems:
        raise AnsibleActionFail("; ".join(problems))
