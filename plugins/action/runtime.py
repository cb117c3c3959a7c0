# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.runtime: start, stop or restart the runtime, then wait.

The host is reached through agent verbs (``_runtime_host``): one batch finds the service and
CtApi.dll, one acts on the service and reads the states it leaves behind, and the wait is a
loop of long polls (see ``_runtime``).
"""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleActionFail
from ansible.utils.display import Display

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_runtime_state import CICODE_NAME
from ansible_collections.scada.redundancy.plugins.plugin_utils._runtime_host import RuntimeHost
from ansible_collections.scada.redundancy.plugins.plugin_utils._runtime import (
    DEFAULT_PROCESSES,
    DEFAULT_SERVICE_PATTERNS,
    RUNNING,
    STOPPED,
    Outcome,
    ProcessWaitFailed,
    process_rows,
    wait_for_processes,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._wait import Clock

display = Display()
_ACTIONS = {"started": "start", "stopped": "stop", "restarted": "restart"}


class ActionModule(OperationAction):
    argument_spec = {
        "state": {"type": "str", "choices": list(_ACTIONS)},
        "wait_only": {"type": "bool", "default": False},
        "service_name": {"type": "str"},
        "service_pattern": {"type": "list", "elements": "str",
                            "default": list(DEFAULT_SERVICE_PATTERNS)},
        "processes": {"type": "list", "elements": "str", "default": list(DEFAULT_PROCESSES)},
        "timeout": {"type": "int", "default": 600},
        "poll_interval": {"type": "float", "default": 2.0},
        "long_poll": {"type": "int", "default": 30},
        "ctapi": {"type": "dict", "options": {
            "dll": {"type": "str"},
            "user": {"type": "str"},
            "password": {"type": "str", "no_log": True},
            "timeout": {"type": "int", "default": 30},
            "powershell": {"type": "str"},
            "cluster": {"type": "str"},
        }},
    }
    clock = Clock()

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        _validate(args)
        host = task_vars.get("inventory_hostname")
        runtime = RuntimeHost(self, service_name=args["service_name"] or "",
                              patterns=args["service_pattern"], processes=args["processes"],
                              ctapi=args["ctapi"] or {}, poll_interval=args["poll_interval"])
        state = args["state"]
        target = STOPPED if state == "stopped" else RUNNING
        started = self.clock.now()
        first, changed, action = None, False, _ACTIONS.get(state) if state else None
        check = bool(self._task.check_mode)
        if not check:
            doing = {"restarted": "Restart All, then ", "started": "start, then ", "stopped": "stop, then "}
            self.progress.begin(f"{doing.get(state or '', '')}every runtime process {target}", args["timeout"])
        # A restart or a wait for a service the host showed earlier in the run needs no locate.
        recalled = state in (None, "restarted") and not check and runtime.recall()
        if recalled and action:
            changed, first = runtime.restart_remembered(args["timeout"])
            recalled = changed
        if not recalled:
            service = runtime.locate()
            if action:
                changed, first = runtime.control(action, service, args["timeout"], check)
                if changed and check:
                    return _result(Outcome(first, {}, 0), changed, action, started, self.clock)

        try:
            outcome = wait_for_processes(
                lambda known, max_wait: runtime.watch(known, max_wait, target), target=target,
                timeout=args["timeout"], long_poll=args["long_poll"], started=started,
                first=first, progress=self.progress.state, clock=self.clock)
        except ProcessWaitFailed as exc:
            result = _result(exc.outcome, changed, action, started, self.clock)
            result.update(failed=True, category=exc.category, msg=f"{host}: runtime: {exc.msg}")
            return result
        return _result(outcome, changed, action, started, self.clock)


def _validate(args: dict[str, t.Any]) -> None:
    """Refuse bad input on the controller, before anything runs on the host."""
    if args["wait_only"] and args["state"]:
        raise AnsibleActionFail("state and wait_only are mutually exclusive: wait_only only waits")
    if not args["wait_only"] and not args["state"]:
        raise AnsibleActionFail("state is required unless wait_only is true")
    if args["timeout"] <= 0:
        raise AnsibleActionFail(f"timeout must be a positive number of seconds, not {args['timeout']}")
    if not 0 < args["poll_interval"] <= args["long_poll"]:
        raise AnsibleActionFail("poll_interval must be more than 0 and at most long_poll "
                                f"({args['long_poll']}s), not {args['poll_interval']}")
    names = [p.strip() for p in args["processes"]]
    if not names or not all(names) or len({n.lower() for n in names}) != len(names):
        raise AnsibleActionFail("processes must be a non-empty list of distinct process names")
    if args["service_name"] is not None and not args["service_name"].strip():
        raise AnsibleActionFail("service_name must not be empty")
    if not args["service_name"] and not [p for p in args["service_pattern"] if p.strip()]:
        raise AnsibleActionFail("service_pattern needs at least one display-name pattern")
    cluster = (args["ctapi"] or {}).get("cluster")
    if cluster and not CICODE_NAME.match(cluster):  # it stands in a Cicode call
        raise AnsibleActionFail(f"ctapi.cluster must be letters, digits and underscores only, not {cluster!r}")


def _result(outcome: Outcome, changed: bool, action: str | None, started: float,
            clock: Clock) -> dict[str, t.Any]:
    return {"changed": changed, "action": action,
            "service": outcome.observation.get("service"),
            "processes": process_rows(outcome.observation, outcome.timings),
            "timings": outcome.timings, "watch_calls": outcome.watch_calls,
            "elapsed": round(clock.now() - started, 3)}
