# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.site_readiness: read-only checks of every assumption the
collection makes on a server, with a verdict each (``_readiness`` and its product modules)."""

from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils import _readiness as readiness
from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._galaxy import DEFAULT_GRACCESS_DLL
from ansible_collections.scada.redundancy.plugins.plugin_utils._notifications import DEFAULT_PATTERNS
from ansible_collections.scada.redundancy.plugins.plugin_utils._power_operation import DEFAULT_RUNTIME_SERVICE_PATTERNS
from ansible_collections.scada.redundancy.plugins.plugin_utils._readiness_power_operation import power_operation_checks
from ansible_collections.scada.redundancy.plugins.plugin_utils._readiness_system_platform import system_platform_checks
from ansible_collections.scada.redundancy.plugins.plugin_utils._sp_registry import DEFAULT_SMS_KEY

_DRIVE = re.compile(r"^[A-Za-z]:$")
_PRODUCT_CHECKS = {"power_operation": power_operation_checks, "system_platform": system_platform_checks}


class ActionModule(OperationAction):
    argument_spec = {
        "products": {"type": "list", "elements": "str", "choices": list(readiness.PRODUCTS), "default": []},
        "data_drive": {"type": "str", "default": ""},
        "free_space_factor": {"type": "float", "default": 3.0},
        "system_platform_pattern": {"type": "str", "default": "*System Platform*"},
        "runtime_service_pattern": {"type": "list", "elements": "str",
                                    "default": list(DEFAULT_RUNTIME_SERVICE_PATTERNS)},
        "notification_patterns": {"type": "list", "elements": "str", "default": list(DEFAULT_PATTERNS)},
        "ctapi_dll": {"type": "str", "default": ""},
        "graccess_dll": {"type": "str", "default": DEFAULT_GRACCESS_DLL},
        "csc_path": {"type": "str", "default": ""},
        "sms_key_paths": {"type": "list", "elements": "str", "default": [DEFAULT_SMS_KEY]},
        "sms_server": {"type": "str", "default": ""},
        "historizing": {"type": "bool"},
        "status_command": {"type": "list", "elements": "str", "default": []},
        "setup_path": {"type": "str", "default": ""},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        if args["data_drive"] and not _DRIVE.match(args["data_drive"]):
            raise AnsibleActionFail(f"data_drive must be a drive letter with a colon, such as 'D:', "
                                    f"not {args['data_drive']!r}")
        if args["free_space_factor"] < 1:
            raise AnsibleActionFail(f"free_space_factor must be 1 or more, not {args['free_space_factor']}")
        if not args["sms_key_paths"] or any(not p.strip() for p in args["sms_key_paths"]):
            raise AnsibleActionFail("sms_key_paths must name at least one registry key, none empty")
        settings = readiness.Settings(**args)
        checks, host = readiness.read_windows(self.verbs, settings)
        products: list[str] = []
        if host is not None:
            products, none_found = readiness.products_to_check(settings, host)
            checks += none_found
            for product in products:
                checks += _PRODUCT_CHECKS[product](self.verbs, settings, host)
            if "power_operation" not in products:
                checks.append(readiness.free_disk(host.volume, None, settings.free_space_factor))
        summary = readiness.summary(checks)
        return {"changed": False, "readiness": {
            "ready": summary["fail"] == 0 and summary["not_checked"] == 0 and host is not None,
            "products": products,
            "summary": summary,
            "checks": [check._asdict() for check in checks],
        }}
