# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.galaxy_upload_runtime_changes: GRAccess IInstance.Upload."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._galaxy import (
    GALAXY_OPTIONS,
    GalaxyAction,
    check_names,
)


class ActionModule(GalaxyAction):
    argument_spec = {
        **GALAXY_OPTIONS,
        "objects": {"type": "list", "elements": "str", "required": True},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        names = check_names(args["objects"], "objects")
        if not names:
            raise AnsibleActionFail("objects must name at least one object")
        if self._task.check_mode:
            found = self.helper(args, "query", names=names)["objects"]
            missing = sorted({n.lower() for n in names} - {o["tagname"].lower() for o in found})
            if missing:
                raise AnsibleActionFail(f"no instance named {', '.join(missing)} in galaxy "
                                        f"{args['galaxy']}")
            return {"changed": True, "results": [], "uploaded": [],
                    "helper_compiled": self.helper_compiled,
                    "msg": f"would upload the run-time changes of {', '.join(names)}"}
        document = self.helper(args, "upload", objects=names)
        results = document.get("results") or []
        return {"changed": True, "results": results,
                "uploaded": [r["object"] for r in results if r["successful"]],
                "helper_compiled": self.helper_compiled}
