# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.load_balancing: the CPU balancing registry values."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._sp_registry import load_balancing


class ActionModule(OperationAction):
    argument_spec = {
        "enabled": {"type": "bool"},
        "objects_per_group": {"type": "int"},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        per_group = args["objects_per_group"]
        if per_group is not None and not 1 <= per_group <= 100000:
            raise AnsibleActionFail("objects_per_group must be between 1 and 100000")
        answer = load_balancing(self.verbs, args["enabled"], per_group, bool(self._task.check_mode))
        changes = answer.get("changes") or []
        result = {"changed": bool(changes), "key": answer["key"], "before": answer["before"],
                  "after": answer["after"], "changes": changes,
                  "load_balancing": {"enabled": bool(answer["effective"]["EnableCPUBalancing"]),
                                     "objects_per_group": answer["effective"][
                                         "LoadObjectsNumberPerGroup"]}}
        if self._task.diff and changes:
            result["diff"] = {
                "before_header": answer["key"], "after_header": answer["key"],
                "before": "".join(f"{c['name']}={c['before']}\n" for c in changes),
                "after": "".join(f"{c['name']}={c['after']}\n" for c in changes)}
        return result
