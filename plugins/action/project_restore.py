# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.project_restore: restore a backup into the current
project (never PLS_Include), or roll a restore back (the work: ``_po_restore``)."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive
from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_restore import restore


class ActionModule(OperationAction):
    argument_spec = {
        "state": {"type": "str", "choices": ["restored", "rolled_back"], "default": "restored"},
        "archive": {"type": "str"},
        "src": {"type": "path"},
        "project": {"type": "str"},
        "include_projects": {"type": "list", "elements": "str"},
        "configuration_files": {"type": "bool", "default": False},
        "keep_previous": {"type": "bool", "default": True},
        "project_source": {"type": "str", "choices": ["folders", "graphics_builder"], "default": "folders"},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        _validate(args)
        params = dict(args, project=args["project"] or "", archive=args["archive"] or "")
        result = restore(self, params, bool(self._task.check_mode))
        if self._task.diff and result.get("changed") and result.get("state") == "restored":
            result["diff"] = {"prepared": _prepared_diff(result)}
        return result


def _validate(args: dict[str, t.Any]) -> None:
    """Controller-side checks: protected projects are refused before the host is contacted."""
    named = [("project", args["project"])] if args["project"] is not None else []
    named += [("include_projects", name) for name in args["include_projects"] or []]
    for option, name in named:
        if _archive.is_protected(name):
            raise AnsibleActionFail(f"{option} names {name!r}: {name} is never overwritten by a "
                                    f"restore (the procedure restores every included project except "
                                    f"it); nothing was changed")
        if _archive.project_name_problem(name):
            raise AnsibleActionFail(f"{option}: {_archive.project_name_problem(name)}")
    if args["state"] == "restored" and not args["archive"]:
        raise AnsibleActionFail("archive is required to restore (state: restored)")
    if args["archive"] is not None and _archive.host_path_problem(args["archive"]):
        raise AnsibleActionFail(f"archive {_archive.host_path_problem(args['archive'])}")


def _prepared_diff(result: dict[str, t.Any]) -> str:
    """Files added (+), changed (~) and removed (-), per restored project."""
    lines = []
    for project in result.get("projects") or []:
        if project.get("action") != "restored":
            continue
        lines.append(f"project {project['name']} (from {project['source']} in the archive): "
                     f"{len(project['added'])} added, {len(project['changed'])} changed, "
                     f"{len(project['removed'])} removed")
        lines += [f"  + {p}" for p in project["added"]] + [f"  ~ {p}" for p in project["changed"]]
        lines += [f"  - {p}" for p in project["removed"]]
    for item in result.get("configuration_files") or []:
        if item.get("action") == "restored":
            lines.append(f"configuration file {item['path']}: replaced (previous copy kept as .previous)")
    return "\n".join(lines) + "\n"
