# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.galaxy_migrate: migrate the galaxy when GRAccess says so."""

from __future__ import annotations

import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils._galaxy import (
    GALAXY_OPTIONS,
    GalaxyAction,
)


class ActionModule(GalaxyAction):
    argument_spec = dict(GALAXY_OPTIONS)

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        before = _facts(self.helper(args, "galaxy_info")["galaxy"])
        result: dict[str, t.Any] = {"before": before, "after": before, "changed": False}
        if not before["upgrade_required"]:
            result["msg"] = f"galaxy {before['name']} is at version {before['version']}: nothing to migrate"
        elif self._task.check_mode:
            result.update(changed=True, msg=f"would migrate galaxy {before['name']}")
        else:
            self.helper(args, "migrate")
            result.update(changed=True, after=_facts(self.helper(args, "galaxy_info")["galaxy"]))
            result["msg"] = (f"galaxy {before['name']} migrated from {before['version']} to "
                             f"{result['after']['version']}")
        result["helper_compiled"] = self.helper_compiled
        return result


def _facts(galaxy: dict[str, t.Any]) -> dict[str, t.Any]:
    return {"name": galaxy["name"], "version": galaxy["version_string"],
            "version_number": galaxy["version_number"],
            "upgrade_required": galaxy["upgrade_required"]}
