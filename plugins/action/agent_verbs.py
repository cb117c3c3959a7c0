# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.agent_verbs: run the agent's verbs as they are, for the
conformance suite (tests/integration/targets) and for diagnosing a host."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import (
    EVERY_CATEGORY,
    VerbCall,
    VerbError,
    first_failure,
    shipped_verbs,
)

#: Verbs that only read or wait: they run in check mode, and a batch of them changes nothing.
READ_ONLY_VERBS = frozenset({
    "file_hash", "file_read", "file_read_range", "file_wait", "gb_projects", "host_facts",
    "path_test", "process_get", "process_wait", "registry_get", "registry_subkeys",
    "service_list", "service_wait", "tree_list", "volume_get", "wsman_get", "zip_list"})


class ActionModule(OperationAction):
    argument_spec = {
        "calls": {"type": "list", "elements": "dict", "required": True, "options": {
            "verb": {"type": "str", "required": True},
            "args": {"type": "dict", "default": {}},
        }},
        "tolerate": {"type": "bool", "default": False},
        "step": {"type": "str", "default": "agent_verbs"},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        shipped = set(shipped_verbs())
        unknown = sorted({c["verb"] for c in args["calls"]} - shipped)
        if unknown:
            raise AnsibleActionFail(f"not verbs of this collection: {', '.join(unknown)} "
                                    f"(docs/agent-verbs.md lists them)")
        changes = any(c["verb"] not in READ_ONLY_VERBS for c in args["calls"])
        if changes and self._task.check_mode:
            return {"changed": True, "results": [],
                    "msg": "check mode: the calls include verbs that change the host; none ran"}
        calls = [VerbCall(c["verb"], c["args"]) for c in args["calls"]]
        values = self.verbs(args["step"], calls, tolerate=EVERY_CATEGORY if args["tolerate"] else ())
        failed = first_failure(values)
        results = [_result(call.verb, value, index, failed) for index, (call, value)
                   in enumerate(zip(calls, values))]
        return {"changed": changes and (failed is None or failed > 0), "results": results}


def _result(verb: str, value: t.Any, index: int, failed: int | None) -> dict[str, t.Any]:
    """One call's entry: its value, its categorised failure, or that it did not run."""
    if failed is not None and index > failed:
        return {"verb": verb, "ran": False, "ok": None, "value": None, "category": None, "msg": None}
    if isinstance(value, VerbError):
        return {"verb": verb, "ran": True, "ok": False, "value": None, "category": value.category,
                "msg": value.msg}
    return {"verb": verb, "ran": True, "ok": True, "value": value, "category": None, "msg": None}
