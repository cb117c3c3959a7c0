# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runtime module's conversation with its host, as batches of agent verbs.

``locate`` finds the runtime service (by name, or the one service whose display name matches)
and CtApi.dll (``<BinFolder>\\CtApi.dll`` of the install the registry names, unless given);
``control`` acts on the service and reads the states it leaves, in one batch; ``watch`` is one
long poll on the host. What the answers mean is decided here and in :mod:`._po_runtime_state`.

Where the host showed this module its service and DLL earlier in the run, for the same
options (``_host_memory``), ``locate`` is not needed: a wait starts with its long poll, and a
restart sends its control calls for a Running service with the service's own reading, which
proves the guess (Windows refuses to stop a service that is not running, so a wrong guess
changes nothing and is followed by the ordinary ``locate`` and ``control``).
"""

from __future__ import annotations

import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _host_memory
from ansible_collections.scada.redundancy.plugins.plugin_utils import _po_runtime_state as state
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import Repeat, first_failure
from ansible_collections.scada.redundancy.plugins.plugin_utils._host_info import PO_INSTALLS_KEY
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._services import (
    service_record,
    settled,
)

STEP_LOCATE = "runtime_locate"
STEP_CONTROL = "runtime_control"
STEP_WATCH = "runtime_watch"
RUNNING = "Running"
STOPPED = "Stopped"


class RuntimeHost:
    """One host's runtime service and its processes, as the runtime module sees them."""

    def __init__(self, action: t.Any, *, service_name: str, patterns: t.Sequence[str],
                 processes: t.Sequence[str], ctapi: t.Mapping[str, t.Any], poll_interval: float) -> None:
        unknown = [p for p in processes if p not in state.PROCESS_COMPONENTS
                   and p not in state.CONNECTED_PROCESSES]
        if unknown:
            known = ", ".join([*state.PROCESS_COMPONENTS, *state.CONNECTED_PROCESSES])
            raise OperationFailed(STEP_LOCATE, f"no way to read the state of process "
                                               f"{', '.join(unknown)}; known: {known}", "not_found")
        self._action = action
        self._patterns = list(patterns)
        self._processes = list(processes)
        self._ctapi = {k: v for k, v in ctapi.items() if v is not None}
        self._poll_interval = poll_interval
        self._components = state.probe_components(self._processes, None)
        self._digest = ""
        self.service_name = service_name
        self.dll = str(self._ctapi.get("dll") or "")
        self._asked = {"service_name": service_name, "patterns": self._patterns, "dll": self.dll}
        self._bin: str | None = None  # the BinFolder the DLL came from, when it came from one
        self._unproved = False  # a recalled DLL the registry has not confirmed yet

    def locate(self) -> dict[str, t.Any]:
        """The runtime service's record; finds the service and the DLL first."""
        calls = [_verbs.service_list(names=[self.service_name]) if self.service_name
                 else _verbs.service_list(patterns=self._patterns)]
        if not self.dll:
            calls.append(_verbs.registry_subkeys(PO_INSTALLS_KEY, ("BinFolder",)))
        found, *installs = self._action.verbs(STEP_LOCATE, calls)
        service = self._one_service(found["services"])
        self.service_name = service["name"]
        if installs:
            subkeys = installs[0]["subkeys"]
            if not subkeys or not subkeys[0]["values"]["BinFolder"]:
                raise OperationFailed(STEP_LOCATE, "Power Operation is not installed on this "
                                                   "host (no SCADA Installs registry key)",
                                      "not_installed")
            self._bin = subkeys[0]["values"]["BinFolder"]
            self.dll = state.default_dll(self._bin)
        _host_memory.remember(self._action, "runtime", {"asked": self._asked, "service": self.service_name,
                                                        "dll": self.dll, "bin": self._bin})
        return service_record(service)

    def recall(self) -> bool:
        """Take the service and DLL the host showed for the same options earlier in the run."""
        record = _host_memory.recall(self._action, "runtime")
        if not record or record.get("asked") != self._asked:
            return False
        self.service_name, self.dll, self._bin = record["service"], record["dll"], record["bin"]
        self._unproved = self._bin is not None
        return True

    def _bin_call(self) -> list[_verbs.VerbCall]:
        """The registry read that proves a recalled DLL, while it is unproved."""
        return [_verbs.registry_subkeys(PO_INSTALLS_KEY, ("BinFolder",))] if self._unproved else []

    def _prove_bin(self, installs: t.Mapping[str, t.Any]) -> bool:
        """Whether the recalled DLL is the install's; the DLL is corrected when it is not."""
        subkeys = installs["subkeys"]
        found = subkeys[0]["values"]["BinFolder"] if subkeys else None
        self._unproved = False
        if found == self._bin:
            return True
        self._bin, self.dll = found, state.default_dll(found or "")
        return False

    def restart_remembered(self, timeout: float) -> tuple[bool, dict[str, t.Any] | None]:
        """(restarted, the states after, None when they must be read again) for a recalled
        service assumed Running; (False, None) when it was not, and nothing was done."""
        name = self.service_name
        head = [_verbs.service_list(names=[name]), *self._bin_call()]
        calls = [_verbs.service_control(name, "stop"), _verbs.service_wait(name, STOPPED, timeout),
                 _verbs.service_control(name, "start"), _verbs.service_wait(name, RUNNING, timeout)]
        values = self._action.verbs(STEP_CONTROL, [*head, *calls, *self._reading(RUNNING)],
                                    tolerate=("service_error",))
        self._one_service(values[0]["services"])  # still there, by that name
        failed = first_failure(values)
        if failed is not None:
            if failed == len(head):  # the stop was refused: the service was not Running
                return False, None
            raise OperationFailed(STEP_CONTROL, values[failed].msg, values[failed].category)
        if len(head) > 1 and not self._prove_bin(values[1]):
            return True, None  # the install moved: the probe asked the wrong DLL
        return True, self._observation(values[len(head) + len(calls):])

    def control(self, action: str, service: t.Mapping[str, t.Any], timeout: float,
                check_mode: bool) -> tuple[bool, dict[str, t.Any]]:
        """(changed, the states after): start, stop or restart the service and wait for it."""
        status = str(service["status"])
        target = settled(status)
        changed = {"start": target != RUNNING, "stop": target != STOPPED}.get(action, True)
        calls = []
        if changed and not check_mode:
            name = self.service_name
            if target != status:  # the Service Control Manager refuses requests meanwhile
                calls.append(_verbs.service_wait(name, target, timeout))
            if action != "start" and target != STOPPED:
                calls += [_verbs.service_control(name, "stop"), _verbs.service_wait(name, STOPPED, timeout)]
            if action != "stop":
                calls += [_verbs.service_control(name, "start"), _verbs.service_wait(name, RUNNING, timeout)]
        reading = self._reading(STOPPED if action == "stop" else RUNNING)
        values = self._action.verbs(STEP_CONTROL, [*calls, *reading])
        return changed, self._observation(values[len(calls):])

    def watch(self, known: dict | None, max_wait: float, target: str) -> dict[str, t.Any]:
        """One long poll: the states once they differ from the last answer, or after max_wait."""
        repeat = Repeat(self._digest, max_wait, self._poll_interval) if known and self._digest else None
        proving = self._bin_call()
        answer = self._action.batch(STEP_WATCH, [*proving, *self._reading(target)], repeat)
        if proving and not self._prove_bin(answer.values[0]):
            return self.watch(None, max_wait, target)  # read again with the install's DLL
        self._digest = answer.digest if not proving else ""
        return {**self._observation(answer.values[len(proving):]), "waited": answer.waited}

    def _reading(self, target: str) -> list[_verbs.VerbCall]:
        """The service, and (unless waiting for it to stop) the processes through CtAPI."""
        calls = [_verbs.service_list(names=[self.service_name])]
        if target == RUNNING:
            ctapi = self._ctapi
            calls.append(state.probe_call(
                self.dll, self._components, cluster=str(ctapi.get("cluster") or ""),
                user=str(ctapi.get("user") or ""), password=str(ctapi.get("password") or ""),
                timeout=int(ctapi.get("timeout") or 30), powershell=str(ctapi.get("powershell") or "")))
        return calls

    def _observation(self, values: list[t.Any]) -> dict[str, t.Any]:
        service = service_record(self._one_service(values[0]["services"]))
        status = service["status"]
        if status != RUNNING or len(values) < 2:
            rows = state.service_states(self._processes, status) if status != RUNNING else \
                [{"name": n, "state": RUNNING, "active": None} for n in self._processes]
        else:
            answer = values[1]
            rows = state.process_states(self._processes, bool(answer["connected"]),
                                        state.answers(self._components, answer))
        return {"service": service,
                "processes": [{"name": r["name"], "state": r["state"], "reason": None} for r in rows]}

    def _one_service(self, services: list[dict[str, t.Any]]) -> dict[str, t.Any]:
        if self.service_name:
            match = [s for s in services if s["name"].lower() == self.service_name.lower()]
            if not match:
                raise OperationFailed(STEP_LOCATE, f"Cannot find any service with service "
                                                   f"name '{self.service_name}'.", "not_found")
            return match[0]
        if not services:
            patterns = ", ".join(f"'{p}'" for p in self._patterns)
            raise OperationFailed(STEP_LOCATE, f"no runtime service has a display name like "
                                               f"{patterns}", "not_found")
        if len(services) > 1:
            names = ", ".join(f"{s['name']} ({s['display_name']})" for s in services)
            raise OperationFailed(STEP_LOCATE, f"several services match the runtime patterns: "
                                               f"{names}; name one with service_name", "ambiguous")
        return services[0]
