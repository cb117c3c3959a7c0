# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.galaxy_deploy: deploy what is not deployed, only that."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._galaxy import (
    DEPLOY_ACTIONS,
    GALAXY_OPTIONS,
    GalaxyAction,
    check_names,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed

DEPLOYED = "deployed"
NEEDS_DEPLOY = ("notDeployed", "deployedWithPendingChanges")


class ActionModule(GalaxyAction):
    argument_spec = {
        **GALAXY_OPTIONS,
        "objects": {"type": "list", "elements": "str"},
        "platform": {"type": "str"},
        "cascade": {"type": "bool", "default": True},
        "action": {"type": "str", "choices": list(DEPLOY_ACTIONS), "default": "deployChanges"},
        "deploy_on_scan": {"type": "bool", "default": True},
        "force_off_scan": {"type": "bool", "default": True},
        "skip_if_undeployed": {"type": "bool", "default": False},
        "mark_as_deployed_on_status_mismatch": {"type": "bool", "default": False},
        "continue_on_error": {"type": "bool", "default": False},
        "force": {"type": "bool", "default": False},
    }
    argument_rules = {"mutually_exclusive": [["objects", "platform"]],
                      "required_one_of": [["objects", "platform"]]}

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        names = check_names(args["objects"] or [args["platform"]], "objects")
        if not names:
            raise AnsibleActionFail("objects must name at least one object")
        known = self.helper(args, "query", names=names, conditions=[
            {"type": "basedOn", "value": "$WinPlatform", "kind": "platform"},
            {"type": "basedOn", "value": "$AppEngine", "kind": "engine"},
            {"type": "deploymentStatusIs", "value": "notDeployed"},
            {"type": "deploymentStatusIs", "value": "deployedWithPendingChanges"}])["objects"]
        by_name = {o["tagname"].lower(): o for o in known}
        missing = [n for n in names if n.lower() not in by_name]
        if missing:
            raise OperationFailed("galaxy_deploy", f"no instance named {', '.join(missing)} in "
                                  f"galaxy {args['galaxy']}", "not_found")
        scope = _scope(names, known, args["cascade"])
        pending = [o["tagname"] for o in scope if o["deployment_status"] in NEEDS_DEPLOY]
        result: dict[str, t.Any] = {"pending": pending, "helper_compiled": self.helper_compiled,
                                    "objects": [], "results": []}
        if args["platform"] and args["objects"] is None:
            result["platform"] = args["platform"]
        if not pending and not args["force"]:
            result.update(changed=False, msg="everything selected is deployed, with no "
                                             "pending changes")
            result["objects"] = [_row(by_name[n.lower()], by_name[n.lower()]["deployment_status"])
                                 for n in names]
            return result
        if self._task.check_mode:
            result.update(changed=True, msg=f"would deploy {', '.join(pending or names)}")
            return result
        document = self.helper(
            args, "deploy", objects=names, cascade=args["cascade"], mode="each",
            action=args["action"], skip_if_undeployed=args["skip_if_undeployed"],
            deploy_on_scan=args["deploy_on_scan"], force_off_scan=args["force_off_scan"],
            mark_as_deployed_on_status_mismatch=args["mark_as_deployed_on_status_mismatch"],
            continue_on_error=args["continue_on_error"])
        after = self.helper(args, "query", names=pending)["objects"] if pending else []
        remaining = [o["tagname"] for o in after if o["deployment_status"] != DEPLOYED]
        result.update(changed=True, results=document.get("results") or [],
                      objects=[_row(o, o.get("previous_status")) for o in document.get("objects") or []],
                      remaining=remaining,
                      messages=sorted({r["custom_message"] for r in document.get("results") or []
                                       if r.get("custom_message")}))
        if remaining:
            result["warnings"] = [f"still not deployed after the deploy: {', '.join(remaining)} "
                                  f"(the galaxy may have skipped them; see messages)"]
        return result


def _scope(names: list[str], known: list[dict[str, t.Any]], cascade: bool) -> list[dict[str, t.Any]]:
    """The selected instances and, with a cascade, everything they host (transitively)."""
    selected = {n.lower() for n in names}
    by_name = {o["tagname"].lower(): o for o in known}
    scope = [by_name[n.lower()] for n in names]
    if not cascade:
        return scope
    for item in known:
        host, seen = (item.get("host") or "").lower(), set()
        while host and host not in selected and host not in seen:
            seen.add(host)
            host = (by_name.get(host, {}).get("host") or "").lower()
        if host in selected and item["tagname"].lower() not in selected:
            scope.append(item)
    return scope


def _row(item: dict[str, t.Any], previous: t.Any) -> dict[str, t.Any]:
    return {"name": item["tagname"], "host": item.get("host") or "",
            "deployment_status": item["deployment_status"], "previous_status": previous}
