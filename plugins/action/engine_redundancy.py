# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.engine_redundancy: read or wait for engines' statuses.

Each probe is one batch of ``process_run`` verbs (the site's tool once per engine), repeated
on the host until a tool's answer changes or ``long_poll`` seconds pass; the statuses are read
from the output here, and the controller loops with :func:`._wait.wait_for` and prints each
change at -v.
"""

from __future__ import annotations

import time
import typing as t

from ansible.errors import AnsibleActionFail
from ansible.utils.display import Display

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import Repeat
from ansible_collections.scada.redundancy.plugins.plugin_utils._argv import command_line
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._wait import WaitTimeout, wait_for

display = Display()

#: The vendor's redundancy status strings, then the engine run-time states a tool may print
#: for an engine that is not running (vendor-interfaces.md), and the upgrade procedure's
#: wording of "Active - Upgrade".
VOCABULARY = [
    "Active", "Active - Standby Not Available", "Active - Upgrade",
    "Active - Partner Not Upgraded", "Determining Failover Status", "Standby - Ready",
    "Standby - Missed Heartbeats", "Standby - Not Ready", "Standby - Syncing Code",
    "Standby - Syncing Data", "Switching to Active",
    "Not Available", "Not Deployed", "Deploying", "Undeploying", "Shutdown",
    "Shutdown - Failed", "Shutting Down", "Starting On Scan", "Starting Off Scan",
    "Running On Scan", "Running Off Scan",
]
PLACEHOLDER = "{engine}"


class ActionModule(OperationAction):
    argument_spec = {
        "command": {"type": "list", "elements": "str", "required": True},
        "engines": {"type": "list", "elements": "str", "default": []},
        "expect": {"type": "dict", "default": {}},
        "timeout": {"type": "int", "default": 600},
        "long_poll": {"type": "int", "default": 30},
        "poll_interval": {"type": "float", "default": 5.0},
        "command_timeout": {"type": "int", "default": 60},
        "extra_statuses": {"type": "list", "elements": "str", "default": []},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        host = task_vars.get("inventory_hostname", "the node")
        vocabulary = VOCABULARY + [s for s in args["extra_statuses"] if s not in VOCABULARY]
        by_lower = {s.lower(): s for s in vocabulary}
        command = args["command"]
        if not command or not command[0].strip():
            raise AnsibleActionFail("command must be a non-empty argument list, the program first")
        if not any(PLACEHOLDER in part for part in command):
            raise AnsibleActionFail(f"command must contain {PLACEHOLDER} in an argument: it is "
                                    f"run once per engine")
        expect: dict[str, list[str]] = {}
        for engine, wanted in args["expect"].items():
            wanted_list = wanted if isinstance(wanted, list) else [wanted]
            statuses = []
            for status in wanted_list:
                canonical = by_lower.get(str(status).strip().lower())
                if canonical is None:
                    raise AnsibleActionFail(
                        f"expect[{engine}]: {status!r} is not a known status; known: "
                        f"{', '.join(vocabulary)} (add a site's wording with extra_statuses)")
                statuses.append(canonical)
            expect[str(engine)] = statuses
        names = list(dict.fromkeys([*args["engines"], *expect]))
        if not names or any(not n.strip() for n in names):
            raise AnsibleActionFail("name at least one engine, in engines or expect")
        if args["timeout"] < 0 or args["long_poll"] < 1 or args["command_timeout"] < 1:
            raise AnsibleActionFail("timeout must be 0 or more, long_poll and command_timeout "
                                    "at least 1")
        if not 0.2 <= args["poll_interval"] <= 60:
            raise AnsibleActionFail("poll_interval must be between 0.2 and 60")
        calls = [_verbs.process_run(command[0], command_line([p.replace(PLACEHOLDER, n) for p in command[1:]]),
                                    args["command_timeout"]) for n in names]
        started = time.monotonic()
        deadline = started + args["timeout"]
        state: dict[str, t.Any] = {"doc": None, "seconds": {}, "digest": "", "history": [], "last": {}}

        def probe() -> dict:
            # A long poll on the host: the batch again every poll_interval until any tool's
            # answer changes (the statuses are read here, from the output).
            repeat = None
            if state["doc"] is not None:
                repeat = Repeat(state["digest"], max(0.0, min(args["long_poll"], deadline - time.monotonic())),
                                args["poll_interval"])
            answer = self.batch("engine_redundancy", calls, repeat)
            state["digest"] = answer.digest
            doc = {"engines": [engine_row(n, run, vocabulary) for n, run in zip(names, answer.values)]}
            now = round(time.monotonic() - started, 1)
            for engine in doc["engines"]:
                if state["last"].get(engine["name"], "") != engine["status"]:
                    state["history"].append({"seconds": now, "name": engine["name"], "status": engine["status"]})
                    state["last"][engine["name"]] = engine["status"]
                if engine["status"] in expect.get(engine["name"], []):
                    state["seconds"].setdefault(engine["name"], now)
                else:
                    state["seconds"].pop(engine["name"], None)
            state["doc"] = doc
            return doc

        def done(doc: dict) -> bool:
            return all(e["status"] in expect.get(e["name"], [e["status"]])
                       for e in doc["engines"])

        def describe(doc: dict) -> str:
            return "; ".join(f"{e['name']}={e['status'] or _unread(e)}" for e in doc["engines"])

        timed_out = False
        if expect:
            self.progress.begin("waiting for " + ", ".join(f"{name} {' or '.join(wanted)}"
                                                           for name, wanted in sorted(expect.items())),
                                args["timeout"])
        try:
            wait_for(probe, done, timeout=args["timeout"] if expect else 0, interval=0.0,
                     what=f"engine_redundancy on {host}", describe=describe,
                     progress=self.progress.state)
        except WaitTimeout:
            timed_out = True
        doc = state["doc"]
        rows = [{"name": e["name"], "status": e["status"], "expected": expect.get(e["name"]),
                 "matched": (e["status"] in expect[e["name"]]) if e["name"] in expect else None,
                 "seconds": state["seconds"].get(e["name"]), "output": e["output"],
                 "exit_code": e["exit_code"]} for e in doc["engines"]]
        result = {"changed": False, "engines": rows,
                  "statuses": {e["name"]: e["status"] for e in doc["engines"]},
                  "history": state["history"],
                  "elapsed": round(time.monotonic() - started, 1)}
        if timed_out:
            waiting = [f"{r['name']} is {r['status'] or _unread(r)}, expected "
                       f"{' or '.join(r['expected'])}" for r in rows if r["matched"] is False]
            raise OperationFailed("engine_redundancy",
                                  f"not reached within {args['timeout']}s: {'; '.join(waiting)}",
                                  "timeout",
                                  details={k: v for k, v in result.items() if k != "changed"})
        return result


def _unread(row: dict) -> str:
    """How a row without a recognised status reads in a message."""
    if row.get("exit_code"):
        return f"unknown (command exit code {row['exit_code']}: {str(row.get('output'))[:200]})"
    return f"unknown (output {str(row.get('output'))[:200]!r})"


def engine_row(name: str, run: t.Mapping[str, t.Any], vocabulary: t.Sequence[str]) -> dict[str, t.Any]:
    """{name, status, exit_code, output, timed_out}: the status is the first output line that
    is one of the vocabulary's strings (any letter case), from a tool that exited 0 in time."""
    stdout, stderr = str(run.get("stdout") or ""), str(run.get("stderr") or "")
    status = None
    if not run["timed_out"] and run["exit_code"] == 0:
        by_lower = {v.lower(): v for v in vocabulary}
        status = next((by_lower[line.strip().lower()] for line in stdout.splitlines()
                       if line.strip().lower() in by_lower), None)
    output = stdout.strip()[:2000]
    if status is None and not output:
        output = stderr.strip()[:2000]
    return {"name": name, "status": status, "exit_code": run["exit_code"], "output": output,
            "timed_out": bool(run["timed_out"])}
