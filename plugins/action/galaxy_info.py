# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.galaxy_info: the galaxy's version, platforms and engines."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._galaxy import (
    GALAXY_OPTIONS,
    GalaxyAction,
    version_tuple,
)


class ActionModule(GalaxyAction):
    argument_spec = {
        **GALAXY_OPTIONS,
        "node_versions": {"type": "dict", "default": {}},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        node_versions = {str(k).lower(): v for k, v in args["node_versions"].items()}
        for platform, version in args["node_versions"].items():
            if version is not None and version_tuple(str(version)) is None:
                raise AnsibleActionFail(f"node_versions.{platform}: {version!r} is not a dotted "
                                        f"version such as 23.1.100")
        info = self.helper(args, "galaxy_info")
        galaxy = info["galaxy"]
        facts: dict[str, t.Any] = {
            "name": galaxy["name"], "version": galaxy["version_string"],
            "version_number": galaxy["version_number"],
            "upgrade_required": galaxy["upgrade_required"],
            "objects_read": not galaxy["upgrade_required"],
            "platforms": [], "engines": []}
        if not galaxy["upgrade_required"]:
            objects = self.helper(args, "query")["objects"]
            engines = [o for o in objects if o["kind"] == "engine"]
            for item in objects:
                if item["kind"] != "platform":
                    continue
                installed = node_versions.get(item["tagname"].lower())
                facts["platforms"].append({
                    "name": item["tagname"], "deployment_status": item["deployment_status"],
                    "deployed": item["deployment_status"] != "notDeployed",
                    "software_version": installed,
                    "software_upgrade_pending": _sup(installed, galaxy["version_string"]),
                    "engines": [e["tagname"] for e in engines
                                if e["host"].lower() == item["tagname"].lower()]})
            facts["engines"] = [{"name": e["tagname"], "platform": e["host"],
                                 "deployment_status": e["deployment_status"],
                                 "deployed": e["deployment_status"] != "notDeployed"}
                                for e in engines]
        result: dict[str, t.Any] = {"galaxy_info": facts,
                                    "helper_compiled": self.helper_compiled}
        if galaxy["upgrade_required"]:
            result["warnings"] = [f"galaxy {galaxy['name']} must be migrated "
                                  f"(UpgradeRequired): GRAccess refuses the login, so its "
                                  f"platforms and engines cannot be read until then"]
        return result


def _sup(installed: t.Any, galaxy_version: str) -> bool | None:
    """Software Upgrade Pending: the node's software is older than the galaxy; None unknown."""
    node, galaxy = version_tuple(installed), version_tuple(galaxy_version)
    if node is None or galaxy is None:
        return None
    return node < galaxy
