# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.sp_install: silent System Platform setup or upgrade.

Setup runs detached on the host and the controller long-polls it (``_sp_setup_host``: agent
verbs, the decisions on the controller), so an install of tens of minutes costs a few remote calls and no WinRM
operation outlives its timeout. Restarts follow ansible.windows.win_reboot: issue the restart,
wait for the host to stop answering (or to answer with a new boot id), then for WinRM to answer
again with a new boot id, resetting the connection between probes.
"""

from __future__ import annotations

import contextlib
import re
import time
import typing as t

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.utils.display import Display

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import (
    OperationFailed,
    OperationUnreachable,
    SILENT,
    silence,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._sp_setup_host import (
    read_state,
    restart,
    start_setup,
    watch_setup,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._wait import (
    WaitTimeout,
    seen_text,
    wait_for,
)

display = Display()

CONSENT_KEY = "OutOfSupportRedistConsentForm.SRedistConsent"
RESTART_CODES = (3010, 1641)
OK_CODES = (0,) + RESTART_CODES
REBOOT_MESSAGE = "Restart initiated by scada.redundancy.sp_install"


def version_key(text: str) -> tuple:
    """Dotted versions compared field by field (numbers as numbers)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower())
                 for p in re.split(r"[.\-]", str(text).strip()) if p != "")


class ActionModule(OperationAction):
    argument_spec = {
        "version": {"type": "str", "required": True},
        "setup_path": {"type": "str", "required": True},
        "response_switch": {"type": "str", "default": "/silentinstall"},
        "install_dir": {"type": "str"},
        "admin_user": {"type": "str"},
        "admin_password": {"type": "str", "no_log": True},
        "admin_domain": {"type": "str"},
        "features": {"type": "list", "elements": "str"},
        "sms_server": {"type": "str"},
        "sms_port": {"type": "int"},
        "response_keys": {"type": "dict", "default": {}},
        "display_name_pattern": {"type": "str", "default": "*System Platform*"},
        "reboot_before": {"type": "bool", "default": False},
        "reboot": {"type": "bool", "default": True},
        "reboot_delay": {"type": "int", "default": 5},
        "install_timeout": {"type": "int", "default": 7200},
        "shutdown_timeout": {"type": "int", "default": 600},
        "reboot_timeout": {"type": "int", "default": 1800},
        "long_poll": {"type": "int", "default": 60},
        "poll_interval": {"type": "float", "default": 5.0},
    }
    argument_rules = {"required_together": [["admin_user", "admin_password"]]}

    # -- validation ---------------------------------------------------------------------------
    def _response(self, args: dict[str, t.Any]) -> list[dict[str, str]]:
        entries: list[tuple[str, t.Any]] = [
            ("FeatureForm.SInstallDir", args["install_dir"]),
            ("AdminUserForm.SUserName", args["admin_user"]),
            ("AdminUserForm.SPassword", args["admin_password"]),
            ("AdminUserForm.SDomainName", args["admin_domain"]),
            ("FeatureForm.SFeatureList",
             ",".join(args["features"]) if args["features"] else None),
            (CONSENT_KEY, "true"),
            ("Common Platform.ASBRuntime.ManagementServerName", args["sms_server"]),
            ("Common Platform.ASBRuntime.ManagementServerPort",
             None if args["sms_port"] is None else str(args["sms_port"])),
        ]
        fixed = {entry[0].lower() for entry in entries}
        for key, value in (args["response_keys"] or {}).items():
            if str(key).lower() in fixed:
                raise AnsibleActionFail(f"response_keys must not set {key}: it has its own "
                                        f"option (or, for {CONSENT_KEY}, is always true)")
            entries.append((str(key), None if value is None else str(value)))
        response = []
        for key, value in entries:
            if value is None:
                continue
            if not key or re.search(r"[=\r\n]", key):
                raise AnsibleActionFail(f"response key {key!r} must be non-empty, without '=' "
                                        f"or line breaks")
            if re.search(r"[\r\n]", value):
                # No value in the log: it may be the password.
                raise AnsibleActionFail(f"the value for response key {key} must not contain "
                                        f"line breaks")
            response.append({"key": key, "value": value})
        return response

    def _validate(self, args: dict[str, t.Any]) -> None:
        if not version_key(args["version"]):
            raise AnsibleActionFail("version must be a dotted version such as 23.1.100")
        setup = args["setup_path"]
        if not re.match(r"^([A-Za-z]:\\|\\\\)", setup):
            raise AnsibleActionFail(f"setup_path must be a full Windows path, not {setup!r}")
        if re.search(r'["\r\n]', args["response_switch"]):
            raise AnsibleActionFail("response_switch must not contain quotes or line breaks")
        if args["sms_port"] is not None and not 1 <= args["sms_port"] <= 65535:
            raise AnsibleActionFail("sms_port must be between 1 and 65535")
        if not 0 <= args["reboot_delay"] <= 600:
            raise AnsibleActionFail("reboot_delay must be between 0 and 600")
        for name in ("install_timeout", "shutdown_timeout", "reboot_timeout", "long_poll"):
            if args[name] < 1:
                raise AnsibleActionFail(f"{name} must be at least 1")
        if not 0.1 <= args["poll_interval"] <= 60:
            raise AnsibleActionFail("poll_interval must be between 0.1 and 60")

    # -- the run ----------------------------------------------------------------------------
    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        self._result: dict[str, t.Any] = {}
        try:
            return self._run(args, task_vars)
        except OperationFailed as exc:
            if not self._result.get("changed"):
                raise
            # Setup has started: the node has changed whatever happens next; say so.
            host = task_vars.get("inventory_hostname", "the host")
            return {**self._result, **exc.details, "failed": True, "changed": True,
                    "category": exc.category, "msg": f"{host}: {exc.step} failed: {exc.msg}"}
        except OperationUnreachable as exc:
            if not self._result.get("changed"):
                raise
            host = task_vars.get("inventory_hostname", "the host")
            return {**self._result, "unreachable": True, "changed": True,
                    "msg": f"{host}: cannot reach the host after setup started "
                           f"({silence(str(exc))[1]}): {exc}"}

    def _run(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        self._validate(args)
        response = self._response(args)
        host = task_vars.get("inventory_hostname", "the host")
        target = args["version"]
        state = self._state(args)
        result = self._result
        result.update({
            "changed": False, "version": target, "before": _product(state), "after": None,
            "exit_code": None, "rebooted": False, "reboot_required": False,
            "response_keys": [r["key"] for r in response], "timings": {}, "restarts": []})
        installed = state.get("version") if state.get("installed") else None
        if installed and version_key(installed) == version_key(target):
            result.update(after=_product(state), reboot_required=bool(state["pending_restart"]))
            return result
        if installed and version_key(installed) > version_key(target):
            raise OperationFailed("sp_install", f"{host} runs System Platform {installed}, newer "
                                  f"than {target}; setup does not downgrade", "invalid_parameter")
        if state["pending_restart"] and not args["reboot_before"]:
            reasons = ", ".join(state.get("pending_reasons") or []) or "restart markers set"
            raise OperationFailed(
                "sp_install", f"a restart is pending on {host} ({reasons}); System Platform "
                f"setup stops on it. Restart the host first or set reboot_before: true",
                "pending_restart")
        if self._task.check_mode:
            result.update(changed=True, rebooted=False,
                          reboot_required=bool(args["reboot"]))
            return result
        if state["pending_restart"]:
            result["changed"] = True  # a restart changes the host, whatever follows
            result["timings"]["reboot_before"] = self._reboot(args, host, "before setup")
            result["rebooted"] = True
            state = self._state(args)
            if state["pending_restart"]:
                raise OperationFailed("sp_install", f"a restart is still pending on {host} after "
                                      f"restarting it: {', '.join(state['pending_reasons'])}",
                                      "pending_restart")
        started = time.monotonic()
        run = start_setup(self.verbs, program_data=state["program_data"],
                          setup_path=args["setup_path"], response_switch=args["response_switch"],
                          response=response, version=target)
        display.v(f"sp_install: setup started on {host} (run {run['run_id']}), "
                  f"{installed or 'not installed'} -> {target}")
        result["changed"] = True  # setup has started: the node is no longer what it was
        finished = self._wait_setup(args, host, run)
        result["timings"]["setup"] = round(time.monotonic() - started, 1)
        code = finished.get("exit_code")
        result["exit_code"] = code
        if finished["state"] != "finished" or code not in OK_CODES:
            why = (f"exit code {code}" if finished["state"] == "finished"
                   else "the setup runner ended without a result")
            detail = f": {finished['error']}" if finished.get("error") else ""
            raise OperationFailed(
                "sp_install", f"System Platform setup on {host} failed ({why}){detail}. An "
                f"upgrade has no rollback: check the setup logs on the host; the platform may be "
                f"left deployed but shut down", "setup_failed",
                details={"exit_code": code})
        after = self._state(args)
        needs_restart = code in RESTART_CODES or bool(after["pending_restart"])
        if needs_restart and args["reboot"]:
            result["timings"]["reboot"] = self._reboot(args, host, "after setup")
            result["rebooted"] = True
            after = self._state(args)
            needs_restart = bool(after["pending_restart"])
        result.update(after=_product(after), reboot_required=needs_restart)
        if not after.get("installed") or version_key(after.get("version") or "") != version_key(target):
            raise OperationFailed(
                "sp_install", f"setup on {host} exited with code {code} but the installed "
                f"version is {after.get('version') or 'none'}, not {target}", "setup_failed",
                details={"exit_code": code})
        return result

    def _state(self, args: dict[str, t.Any]) -> dict[str, t.Any]:
        return read_state(self.verbs, args["display_name_pattern"])

    def _wait_setup(self, args: dict[str, t.Any], host: str, run: dict) -> dict[str, t.Any]:
        deadline = time.monotonic() + args["install_timeout"]
        self.progress.begin(f"System Platform setup on {host}", args["install_timeout"])

        def probe() -> dict:
            max_wait = max(0.0, min(args["long_poll"], deadline - time.monotonic()))
            return watch_setup(self.verbs, run, max_wait)

        try:
            return wait_for(probe, lambda d: d["state"] != "running",
                            timeout=args["install_timeout"], interval=0.0,
                            what=f"sp_install: setup on {host}",
                            describe=lambda d: d["state"], progress=self.progress.state).value
        except WaitTimeout as exc:
            raise OperationFailed(
                "sp_install", f"System Platform setup on {host} did not finish within "
                f"{args['install_timeout']}s (it may still be running; its response file is "
                f"removed when it ends)", "timeout") from exc

    # -- restart, the win_reboot way ----------------------------------------------------------
    def _reboot(self, args: dict[str, t.Any], host: str, why: str) -> float:
        started = time.monotonic()
        before = self._state(args)["boot_id"]
        try:
            restart(self.verbs, args["reboot_delay"], REBOOT_MESSAGE)
        except OperationUnreachable as exc:
            # As win_reboot: the connection may drop while the restart command answers.
            display.v(f"sp_install: connection lost issuing the restart ({exc}); assuming it "
                      f"started")
            self._reset()
        display.v(f"sp_install: restart of {host} issued ({why}), boot {before}")
        self.progress.begin(f"restart of {host} ({why})",
                            args["shutdown_timeout"] + args["reboot_delay"] + args["reboot_timeout"])
        interval = args["poll_interval"]

        def probe() -> tuple[str, str | None]:
            """('up', boot id), or how the node does not answer: 'refused' (WinRM stopped),
            'no answer' (dark: booting, every probe waits out the client's read timeout),
            'reset', 'unreachable', or 'answering, not ready (...)'."""
            try:
                return "up", self._state(args)["boot_id"]
            except OperationUnreachable as exc:
                self._reset()
                return silence(str(exc))[0], None
            except OperationFailed as exc:
                self._reset()
                return f"answering, not ready ({exc.msg})", None
            except AnsibleError as exc:
                # Transport errors other than a refused connection while WinRM stops or
                # starts (as win_reboot, any of them means: not answering yet).
                display.vvv(f"sp_install: probe failed: {exc}")
                self._reset()
                return silence(str(exc))[0], None

        def gone(value: tuple[str, str | None]) -> bool:
            return value[0] in SILENT or (value[0] == "up" and value[1] != before)

        seen: list[tuple[str, float]] = []
        first_offset = time.monotonic() - started
        try:
            went = wait_for(probe, gone, timeout=args["shutdown_timeout"] + args["reboot_delay"],
                            interval=interval, what=f"sp_install: waiting for {host} to go down",
                            describe=lambda v: v[0], progress=self.progress.state)
            seen += _shifted(went.seen, first_offset)
        except WaitTimeout as exc:
            raise OperationFailed("sp_install", f"{host} did not go down within "
                                  f"{args['shutdown_timeout']}s after the restart was issued; "
                                  f"seen: {seen_text(_shifted(exc.seen, first_offset))}",
                                  "reboot_timeout") from exc

        def probe_up() -> tuple[str, str | None]:
            self._reset()
            return probe()

        offset = time.monotonic() - started
        try:
            came = wait_for(probe_up, lambda v: v[0] == "up" and v[1] != before,
                            timeout=args["reboot_timeout"], interval=interval, max_interval=30.0,
                            backoff=1.5, what=f"sp_install: waiting for {host} to come back",
                            describe=lambda v: v[0] if v[0] != "up" else f"up, boot {v[1]}",
                            progress=self.progress.state)
        except WaitTimeout as exc:
            raise OperationFailed("sp_install", f"{host} did not come back within "
                                  f"{args['reboot_timeout']}s after the restart; seen: "
                                  f"{seen_text(seen + _shifted(exc.seen, offset))}",
                                  "reboot_timeout") from exc
        seconds = round(time.monotonic() - started, 1)
        self._result.setdefault("restarts", []).append(
            {"why": why, "seconds": seconds,
             "seen": [{"state": state, "at": at} for state, at in seen + _shifted(came.seen, offset)]})
        return seconds

    def _reset(self) -> None:
        try:
            self._connection.reset()
        except Exception as exc:  # pylint: disable=broad-except
            # The host is down or still starting: the next probe reconnects. A failed reset
            # of the psrp connection keeps the runspace pool it could not open (and stays
            # "connected"), so the next command would use a pool that never opened; closing
            # drops it, and the next command connects anew (winrm: the same, harmlessly).
            display.vvv(f"sp_install: connection reset failed: {exc}")
            with contextlib.suppress(Exception):
                self._connection.close()


def _shifted(seen: list[tuple[str, float]], offset: float) -> list[tuple[str, float]]:
    """A later wait's states, timed from the start of the restart."""
    return [(state, round(at + offset, 1)) for state, at in seen]


def _product(state: dict[str, t.Any]) -> dict[str, t.Any]:
    return {"installed": bool(state.get("installed")), "version": state.get("version"),
            "install_location": state.get("install_location"),
            "pending_restart": bool(state.get("pending_restart")),
            "pending_reasons": list(state.get("pending_reasons") or []),
            "boot_id": state.get("boot_id")}
