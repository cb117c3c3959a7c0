# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.sms_check: a historizing redundant node uses the SMS."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._sp_registry import DEFAULT_SMS_KEY, management_server

VENDOR_WARNING = (
    "AVEVA: every redundant Application Server run-time node must be configured to use the "
    "System Management Server if data is being historized (from System Platform 2023 R2 "
    "secure HCAP is required); if the SMS is not configured, there will be data loss")


class ActionModule(OperationAction):
    argument_spec = {
        "historizing": {"type": "bool"},
        "redundant": {"type": "bool", "default": True},
        "fail_on_missing": {"type": "bool", "default": True},
        "key_paths": {"type": "list", "elements": "str", "default": [DEFAULT_SMS_KEY]},
        "server_value": {"type": "str", "default": "ManagementServerName"},
        "port_value": {"type": "str", "default": "ManagementServerPort"},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        paths = [p.strip() for p in args["key_paths"]]
        if not paths or any(not p for p in paths):
            raise AnsibleActionFail("key_paths must name at least one registry key, none empty")
        for name in ("server_value", "port_value"):
            if not args[name].strip():
                raise AnsibleActionFail(f"{name} must not be empty")
        host = task_vars.get("inventory_hostname", "the node")
        answer = management_server(self.verbs, paths, args["server_value"], args["port_value"])
        historizing = args["historizing"]
        # Unknown historizing counts as historizing: the check errs on the side of the SMS.
        required = bool(args["redundant"]) and historizing is not False
        sms = {"configured": bool(answer["configured"]), "server": answer.get("server"),
               "port": answer.get("port"), "key": answer.get("key"),
               "searched": answer.get("searched") or [],
               "historizing": historizing, "redundant": bool(args["redundant"]),
               "required": required, "ok": bool(answer["configured"]) or not required}
        result: dict[str, t.Any] = {"changed": False, "sms": sms}
        if sms["ok"]:
            return result
        assumed = " (historizing not given: assumed)" if historizing is None else ""
        where = ", ".join(paths)
        message = (f"{host} is a redundant run-time node that historizes{assumed} but is not "
                   f"configured to use the System Management Server (no "
                   f"{args['server_value']} under {where}). {VENDOR_WARNING}")
        if args["fail_on_missing"]:
            result.update(failed=True, msg=message)
        else:
            result["warnings"] = [message]
        return result
