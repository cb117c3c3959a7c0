# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.project_compile: compile a project, always.

The procedure asks for a compile even when the project is already compiled, so every run that
is not in check mode compiles and reports ``changed``. ERROR and FATAL messages fail the task
with the messages in the result.

A compile can take many minutes; if the connection is lost meanwhile, the compile goes on on
the host. The plugin then reconnects and asks the host what became of this very run (the
record the agent keeps of the compile batch, named by a fresh run id) and reports that
outcome: it compiles again only when the record shows the compile never started or was ended
with the connection. The work itself: ``_po_compile``.
"""

from __future__ import annotations

import ntpath
import time
import typing as t

from ansible.errors import AnsibleActionFail, AnsibleConnectionFailure
from ansible.utils.display import Display

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import (
    OperationFailed,
    OperationUnreachable,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_compile import STEP, CompileRun
from ansible_collections.scada.redundancy.plugins.plugin_utils._power_operation import (
    PROJECT_SOURCES,
    check_project_name,
    check_timeout,
)

display = Display()
_SHOWN_MESSAGES = 5
#: Seconds the host waits on a running compile per look after reconnecting, and between
#: reconnect attempts.
_ATTACH_WAIT = 30
_RECONNECT_PAUSE = 2.0
#: What the host's record showed, for which the compile runs again, and what each means.
_COMPILE_AGAIN = {"unknown": "never started",
                  "abandoned": "was ended with the connection, so its outcome was never learnt"}


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
                  "project_source": args["project_source"]}
        run = CompileRun(self, params)
        outcome = run.prepare()
        if self._task.check_mode:
            return {"changed": True, **outcome,
                    "msg": f"would compile {outcome['project']} ({', '.join(outcome['projects'])})"}
        self.progress.begin(f"compiling {outcome['project']}", args["timeout"])
        try:
            outcome = run.compile()
        except OperationUnreachable as lost:
            if isinstance(lost.__cause__, AnsibleConnectionFailure):
                raise  # ansible could not reach the host at all: no compile to ask about
            outcome = self._reattach(run, params, args["timeout"], lost, task_vars)
        result = {"changed": True, **outcome}
        if not outcome["success"]:
            host = task_vars.get("inventory_hostname", "")
            result.update(failed=True, category="compile_failed",
                          msg=f"{host}: project_compile failed: {_failure(outcome)}")
        return result

    def _reattach(self, run: CompileRun, params: dict[str, t.Any], timeout: int,
                  lost: OperationUnreachable, task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        """Reconnect and learn the outcome of this compile from its record on the host.

        'done' is the compile's own outcome; 'running' is waited on; 'unknown' (the compile
        never started) and 'abandoned' (its PowerShell ended with the connection, so its
        outcome was never learnt) compile once more. The host may take a while to answer
        again: attempts go on until the compile's own timeout has passed since the loss.
        """
        host = task_vars.get("inventory_hostname")
        display.warning(f"{host}: the connection was lost during the compile ({lost}); "
                        f"reconnecting to learn what became of it rather than compiling again")
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._connection.reset()  # a new shell: the compile goes on in the old one
                state, outcome = run.learn(_ATTACH_WAIT)
            except (OperationUnreachable, AnsibleConnectionFailure, OSError) as exc:
                if time.monotonic() >= deadline:
                    raise OperationUnreachable(
                        f"{STEP}: the connection was lost during the compile and the host did "
                        f"not answer again within {timeout}s, so the compile's outcome is "
                        f"unknown; run again to learn it: {exc}") from None
                time.sleep(_RECONNECT_PAUSE)
                continue
            display.v(f"compile run {run.run_id} after reconnecting: {state}", host=host)
            if outcome is not None:
                return {**outcome, "reattached": state}
            if state in _COMPILE_AGAIN:
                display.warning(f"{host}: the compile {_COMPILE_AGAIN[state]}; compiling again")
                again = CompileRun(self, params)
                again.prepare()
                return {**again.compile(), "reattached": state}
            if time.monotonic() >= deadline:
                raise OperationFailed(STEP, f"the compile is still running on the host "
                                            f"{timeout}s after the connection was lost", "timeout")


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
