# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.notifications: notification services off and back.

The controller validates everything (patterns, the state file path, a saved state handed
back by a role) and decides what to change (``_notifications``); agent verbs read and change
the host.
"""

from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._notifications import (
    DEFAULT_PATTERNS,
    maintenance,
    restore,
)

DEFAULT_STATE_PATH = "C:\\ProgramData\\scada.redundancy\\notification-services.json"
STATUSES = ("Running", "Stopped", "StartPending", "StopPending")
START_TYPES = ("Automatic", "AutomaticDelayedStart", "Manual", "Disabled")
_ACTIONS = ("maintenance", "restored")
# A drive path (C:\...) or a UNC path (\\server\share\...) naming a file.
_WINDOWS_FILE = re.compile(r"^(?:[A-Za-z]:\\|\\\\[^\\/]+\\[^\\/]+\\)(?:[^\\/:*?\"<>|\r\n]+\\)*"
                           r"[^\\/:*?\"<>|\r\n]+$")


class ActionModule(OperationAction):
    argument_spec = {
        "state": {"type": "str", "required": True, "choices": list(_ACTIONS)},
        "patterns": {"type": "list", "elements": "str", "default": list(DEFAULT_PATTERNS)},
        "saved_state": {"type": "dict"},
        "state_path": {"type": "str", "default": DEFAULT_STATE_PATH},
        "timeout": {"type": "int", "default": 120},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        _validate(args)
        check = bool(self._task.check_mode)
        if args["state"] == "maintenance":
            result = maintenance(self.verbs, args["patterns"], args["state_path"], check, args["timeout"])
        else:
            result = restore(self.verbs, args["saved_state"], args["state_path"], check, args["timeout"])
        return {key: result.get(key) for key in
                ("changed", "saved_state", "state_path", "changes", "services", "msg")
                if key != "msg" or result.get("msg")}


def _validate(args: dict[str, t.Any]) -> None:
    """Refuse bad input on the controller, before anything runs on the host."""
    patterns = args["patterns"]
    if not patterns or not all(p.strip() for p in patterns):
        raise AnsibleActionFail("patterns must be a non-empty list of display-name wildcards")
    broad = [p for p in patterns if not p.strip("*? ")]
    if broad:
        raise AnsibleActionFail(f"pattern {broad[0]!r} matches every service; name the "
                                "notification services")
    if not _WINDOWS_FILE.match(args["state_path"]):
        raise AnsibleActionFail("state_path must be an absolute Windows file path such as "
                                f"'{DEFAULT_STATE_PATH}', not {args['state_path']!r}")
    if args["timeout"] <= 0:
        raise AnsibleActionFail(f"timeout must be a positive number of seconds, not {args['timeout']}")
    if args["saved_state"] is not None:
        if args["state"] != "restored":
            raise AnsibleActionFail("saved_state is only used with state=restored")
        _validate_saved_state(args["saved_state"])


def _validate_saved_state(saved: dict[str, t.Any]) -> None:
    services = saved.get("services")
    if not isinstance(services, list):
        raise AnsibleActionFail("saved_state must be the saved_state a maintenance run "
                                "returned: a dict with a 'services' list")
    for index, service in enumerate(services):
        where = f"saved_state.services[{index}]"
        if not isinstance(service, dict) or not isinstance(service.get("name"), str) \
                or not service["name"].strip():
            raise AnsibleActionFail(f"{where} needs a 'name'")
        if service.get("status") not in STATUSES:
            raise AnsibleActionFail(f"{where}.status must be one of {', '.join(STATUSES)}")
        if service.get("start_type") not in START_TYPES:
            raise AnsibleActionFail(f"{where}.start_type must be one of {', '.join(START_TYPES)}")
