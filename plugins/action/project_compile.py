# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.project_compile: compile a project, always.

The procedure asks for a compile even when the project is already compiled, so every run that
is not in check mode compiles and reports ``changed``. ERROR and FATAL messages fail the task
with the messages in the result.
"""

from __future__ import annotations

import ntpath
import typing as t

from ansible.errors import AnsibleActionFail
from ansible.utils.display import Display

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._power_operation import (
    PROJECT_SOURCES,
    check_project_name,
    check_timeout,
)

display = Display()
_SHOWN_MESSAGES = 5


class ActionModule(OperationAction):
    argument_spec = {
        "project": {"type": "str"},
        "timeout": {"type": "int", "default": 1800},
        "hook_wait": {"type": "int", "default": 30},
        "messages_file": {"type": "str", "default": "compile.log"},
        "project_source": {"type": "str", "choices": list(PROJECT_SOURCES), "default": "folders"},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        if args["project"] is not None:
            check_project_name(args["project"], "project")
        check_timeout(args["timeout"], "timeout")
        check_timeout(args["hook_wait"], "hook_wait", minimum=0)
        params = {"project": args["project"] or "", "timeout": args["timeout"],
                  "hook_wait": args["hook_wait"],
                  "messages_file": _relative(args["messages_file"]),
                  "project_source": args["project_source"],
                  "check": bool(self._task.check_mode)}
        if not self._task.check_mode:
            display.v(f"compiling {args['project'] or 'the [CtEdit]Run project'} "
                      f"(waiting up to {args['timeout']}s)",
                      host=task_vars.get("inventory_hostname"))
        outcome = self.operation("project_compile", params)
        result = {"changed": True, **outcome}
        if self._task.check_mode:
            result["msg"] = f"would compile {outcome['project']} ({', '.join(outcome['projects'])})"
        elif not outcome["success"]:
            host = task_vars.get("inventory_hostname", "")
            result.update(failed=True, category="compile_failed",
                          msg=f"{host}: project_compile failed: {_failure(outcome)}")
        return result


def _relative(path: str) -> str:
    """messages_file must stay inside the project folder."""
    text = path.replace("/", "\\").strip("\\")
    parts = text.split("\\")
    if not text or ntpath.splitdrive(text)[0] or ".." in parts or "" in parts \
            or any(c in text for c in "\r\n\0:*?\"<>|"):
        raise AnsibleActionFail(f"messages_file must be a relative path inside the project "
                                f"folder, not {path!r}")
    return text


def _failure(outcome: dict[str, t.Any]) -> str:
    errors = [m for m in outcome["messages"] if m["Type"] in ("ERROR", "FATAL")]
    shown = "; ".join(f"{m['Type']} {m['Table']}{'/' + m['Name'] if m['Name'] else ''}"
                      f"{' (' + m['Context'] + ')' if m['Context'] else ''}: {m['Error']}"
                      for m in errors[:_SHOWN_MESSAGES])
    more = f" (and {len(errors) - _SHOWN_MESSAGES} more)" if len(errors) > _SHOWN_MESSAGES else ""
    return (f"the compile of {outcome['project']} failed with {outcome['error_count']} error(s)"
            f"{': ' + shown + more if shown else ''}")
