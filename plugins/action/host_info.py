# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.host_info: read-only facts about a SCADA server."""

from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._host_info import read_host_info

_DRIVE = re.compile(r"^[A-Za-z]:$")


class ActionModule(OperationAction):
    argument_spec = {
        "data_drive": {"type": "str"},
        "system_platform_pattern": {"type": "str", "default": "*System Platform*"},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        drive = args["data_drive"] or ""
        if drive and not _DRIVE.match(drive):
            raise AnsibleActionFail(f"data_drive must be a drive letter with a colon, such as 'D:', not {drive!r}")
        return {"host_info": read_host_info(self.verbs, drive, args["system_platform_pattern"])}
