# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""sp_install's conversation with a node, as batches of agent verbs; the decisions are here.

- ``read_state``: the installed System Platform (the first Add/Remove Programs entry whose
  DisplayName is ``-like`` the pattern), whether Windows has a restart pending (the markers
  setup programs check: Component Based Servicing\\RebootPending, WindowsUpdate\\Auto
  Update\\RebootRequired, Session Manager PendingFileRenameOperations, a computer-name
  change) and the boot's identity (the last boot time).
- ``start_setup``: a fresh run folder only SYSTEM and Administrators can open, the response
  file in it, the runner's run.json, and the constant setup runner started detached (it waits
  for setup alone and removes the response file when setup exits).
- ``watch_setup``: one long poll on the runner's process, then its result and the run folder
  removed.
- ``restart``: shutdown.exe /r through the ``reboot`` verb.
"""

from __future__ import annotations

import base64
import json
import typing as t
import uuid

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import RunVerbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._host_info import (
    SP_VALUES,
    UNINSTALL_KEYS,
    system_platform_install,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed

RUN_FOLDER = "scada.redundancy\\sp_install"
_SESSION_MANAGER = "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager"
_MARKER_KEYS = (
    ("HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending",
     "Component Based Servicing\\RebootPending"),
    ("HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired",
     "WindowsUpdate\\Auto Update\\RebootRequired"))
_COMPUTER_NAMES = ("HKLM:\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName",
                   "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName")


def read_state(run: RunVerbs, pattern: str) -> dict[str, t.Any]:
    """installed, version, display_name, install_location, pending_restart, pending_reasons,
    boot_id and program_data of the node."""
    facts, *answers = run("sp_install_state", [
        _verbs.host_facts(),
        *(_verbs.registry_subkeys(key, SP_VALUES) for key in UNINSTALL_KEYS),
        *(_verbs.registry_get(key) for key, dummy in _MARKER_KEYS),
        _verbs.registry_get(_SESSION_MANAGER, ["PendingFileRenameOperations"]),
        *(_verbs.registry_get(key, ["ComputerName"]) for key in _COMPUTER_NAMES)])
    uninstall = answers[:len(UNINSTALL_KEYS)]
    markers = answers[len(UNINSTALL_KEYS):len(UNINSTALL_KEYS) + len(_MARKER_KEYS)]
    session, active, wanted = answers[len(UNINSTALL_KEYS) + len(_MARKER_KEYS):]
    reasons = [name for (dummy, name), marker in zip(_MARKER_KEYS, markers) if marker["exists"]]
    renames = session["values"]["PendingFileRenameOperations"]
    if renames and any(str(r) for r in (renames if isinstance(renames, list) else [renames])):
        reasons.append("Session Manager\\PendingFileRenameOperations")
    active_name, wanted_name = active["values"]["ComputerName"], wanted["values"]["ComputerName"]
    if active_name and wanted_name and active_name != wanted_name:
        reasons.append("ComputerName change")
    product = system_platform_install(uninstall, pattern)
    return {"installed": product["installed"], "version": product.get("version"),
            "display_name": product.get("display_name"),
            "install_location": product.get("install_location"),
            "pending_restart": bool(reasons), "pending_reasons": reasons,
            "boot_id": facts["last_boot"], "program_data": facts["program_data"]}


def response_file(response: t.Sequence[t.Mapping[str, str]]) -> bytes:
    """The response file: one ``key=value`` line each, CRLF, UTF-8 without a BOM."""
    return "".join(f"{entry['key']}={entry['value']}\r\n" for entry in response).encode("utf-8")


def start_setup(run: RunVerbs, *, program_data: str, setup_path: str, response_switch: str,
                response: t.Sequence[t.Mapping[str, str]], version: str) -> dict[str, t.Any]:
    """Start setup detached; {run_id, pid, run_dir, response_keys}."""
    step = "sp_install_start"
    run_id = uuid.uuid4().hex
    run_dir = f"{program_data.rstrip(chr(92))}\\{RUN_FOLDER}\\{run_id}"
    response_path = f"{run_dir}\\response.txt"
    found = run(step, [_verbs.path_test(setup_path)])[0]
    if found["kind"] != "file":
        raise OperationFailed(step, f"setup program not found: '{setup_path}'", "not_found")
    record = {"setup_path": setup_path, "arguments": f'{response_switch} "{response_path}"'.strip(),
              "response_path": response_path, "version": version}
    try:
        created = run(step, [
            _verbs.dir_create_private(run_dir),
            _verbs.file_write(response_path, _b64(response_file(response))),
            _verbs.file_write(f"{run_dir}\\run.json", _b64(json.dumps(record).encode("utf-8"))),
            _verbs.setup_runner_start(run_dir)])[-1]
        if created["return_value"] != 0:
            raise OperationFailed(step, f"could not start the setup runner (Win32_Process.Create "
                                        f"returned {created['return_value']})", "setup_failed")
    except OperationFailed:
        run(step, [_verbs.path_remove(run_dir)])  # the response file holds a password
        raise
    return {"run_id": run_id, "pid": created["process_id"], "run_dir": run_dir,
            "response_keys": [entry["key"] for entry in response]}


def watch_setup(run: RunVerbs, started: t.Mapping[str, t.Any], max_wait: float) -> dict[str, t.Any]:
    """One long poll: {state: running | finished | lost, exit_code, error, response_removed}."""
    step = "sp_install_watch"
    run_dir = started["run_dir"]
    process, result = run(step, [_verbs.process_wait(started["pid"], max_wait),
                                 _verbs.file_read(f"{run_dir}\\result.json")])
    if result["exists"]:
        document = json.loads(base64.b64decode(result["base64"]).decode("utf-8-sig"))
        state, code, error = "finished", document.get("exit_code"), document.get("error")
    elif process["exited"]:
        state, code, error = "lost", None, None  # the runner ended without a result
    else:
        return {"state": "running", "exit_code": None, "error": None, "response_removed": False}
    removed = run(step, [_verbs.path_remove(run_dir), _verbs.path_test(run_dir)])[1]
    return {"state": state, "exit_code": code, "error": error, "response_removed": not removed["exists"]}


def restart(run: RunVerbs, delay: int, message: str) -> None:
    """Issue the restart; fails when shutdown.exe refuses."""
    answer = run("sp_reboot", [_verbs.reboot(delay, message)])[0]
    if answer["exit_code"] != 0:
        raise OperationFailed("sp_reboot", f"shutdown.exe failed (exit code {answer['exit_code']}): "
                                           f"{answer['output']}", "reboot_failed")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
