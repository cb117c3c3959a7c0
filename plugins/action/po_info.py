# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.po_info: read-only Power Operation facts of a server."""

from __future__ import annotations

import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._power_operation import (
    CTAPI_OPTIONS,
    DEFAULT_RUNTIME_SERVICE_PATTERNS,
    KNOWN_PROCESSES,
    PROJECT_SOURCES,
    po_info_params,
    read_po_info,
)


class ActionModule(OperationAction):
    argument_spec = {
        "projects": {"type": "list", "elements": "str", "default": []},
        "fingerprints": {"type": "bool", "default": False},
        "project_source": {"type": "str", "choices": list(PROJECT_SOURCES), "default": "folders"},
        "runtime_service_pattern": {"type": "list", "elements": "str",
                                    "default": list(DEFAULT_RUNTIME_SERVICE_PATTERNS)},
        "processes": {"type": "list", "elements": "str", "default": list(KNOWN_PROCESSES)},
        "ctapi": {"type": "bool", "default": True},
        **CTAPI_OPTIONS,
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        facts = read_po_info(self, po_info_params(args))
        result: dict[str, t.Any] = {"po_info": facts}
        ctapi = facts.get("runtime", {}).get("ctapi") or {}
        if ctapi.get("error"):
            result["warnings"] = [f"CtAPI: {ctapi['error']}; the redundancy role is "
                                  f"{facts['redundancy']['role']}"]
        return result
