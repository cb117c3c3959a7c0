"""Twin models of sp_install's operations: setup with a response file, restart, boot identity.

- ``sp_install_state``: the installed version (``node.software_version``, matched by the
  uninstall entry's display name as in host_info), a pending restart (``node.pending_restart``:
  what Windows' restart markers show) and the boot id (*twin convention*: the number of times
  the host came back on, from its ``host.power`` events).
- ``sp_install_start``: writes the response file into a run folder under ProgramData, as the
  real script does, and starts :meth:`Node.install` with the response's keys and values
  (setup itself refuses without the redist consent, on a pending restart, on a downgrade and
  on the ``sp_install_fails`` / ``sp_setup_pending_restart`` faults). *Twin convention*: the
  target version setup installs is the ``version`` parameter (a real setup.exe carries its
  own). The file is removed when setup ends, as the real runner does.
- ``sp_install_watch``: a long poll on that setup, ``max_wait`` host seconds.
- ``sp_reboot``: :meth:`Node.reboot` after ``delay`` host seconds (shutdown.exe /r /t), so
  the answer leaves before the host refuses connections.
"""

from __future__ import annotations

import fnmatch
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

from ..system_platform.errors import SystemPlatformError
from ..system_platform.operation import Operation
from . import Call, OperationError, operation

if TYPE_CHECKING:
    from ..host import Host

RUN_ROOT = "C:\\ProgramData\\scada.redundancy\\sp_install"
_runs: dict[tuple[str, str], dict[str, Any]] = {}
_runs_lock = threading.Lock()


def boot_id(host: "Host") -> str:
    ups = [e for e in host.timeline.events(host=host.name, kind="host.power")
           if not e.data.get("powered_off")]
    return f"twin-boot-{len(ups)}"


@operation("sp_install_state")
def sp_install_state(host: "Host", call: Call) -> dict[str, Any]:
    pattern = str(call.params.get("display_name_pattern") or "")
    node = host.system_platform
    product = host.spec.products.get("system_platform") or {}
    display_name = str(product.get("display_name", "AVEVA System Platform"))
    result: dict[str, Any] = {"installed": False, "version": None, "display_name": None,
                              "install_location": None, "pending_restart": False,
                              "pending_reasons": [], "boot_id": boot_id(host)}
    if node is None:
        return result
    with node.lock:
        if fnmatch.fnmatchcase(display_name.lower(), pattern.lower()):
            result.update(installed=True, version=node.software_version,
                          display_name=display_name, install_location=node.install_location)
        if node.pending_restart:
            result.update(pending_restart=True,
                          pending_reasons=["Session Manager\\PendingFileRenameOperations"])
    return result


@operation("sp_install_start")
def sp_install_start(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    setup = str(params.get("setup_path") or "")
    if not (len(setup) > 2 and setup[1] == ":" and setup[2] == "\\"):
        raise OperationError(f"setup_path must be a full path: '{setup}'", "invalid_parameter")
    if not host.fs.is_file(setup):
        raise OperationError(f"setup program not found: '{setup}'", "not_found")
    switch = str(params.get("response_switch") or "")
    if any(c in switch for c in "\"\r\n"):
        raise OperationError("response_switch must not contain quotes or line breaks",
                             "invalid_parameter")
    response: dict[str, str] = {}
    lines = []
    for entry in params.get("response") or []:
        key, value = str(entry.get("key") or ""), str(entry.get("value") or "")
        if not key or any(c in key for c in "=\r\n") or any(c in value for c in "\r\n"):
            raise OperationError(f"response key '{key}': keys must be non-empty without '=' or "
                                 f"line breaks, values without line breaks",
                                 "invalid_parameter")
        response[key] = value
        lines.append(f"{key}={value}")
    node = host.system_platform
    if node is None:
        raise OperationError("setup failed: no System Platform model on this host", "setup_failed")
    run_id = uuid.uuid4().hex
    run_dir = f"{RUN_ROOT}\\{run_id}"
    response_path = f"{run_dir}\\response.txt"
    host.fs.write(response_path, ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    try:
        op = node.install(str(params.get("version") or ""), response)
    except (SystemPlatformError, ValueError) as exc:
        host.fs.remove(run_dir, recurse=True)
        raise OperationError(f"setup could not start: {exc}", "setup_failed") from None
    run = {"op": op, "dir": run_dir}
    with _runs_lock:
        _runs[(host.name, run_id)] = run
    threading.Thread(target=_remove_response_when_done, args=(host, op, response_path),
                     daemon=True, name=f"sp-install-{host.name}").start()
    return {"run_id": run_id, "pid": 4000 + len(_runs), "response_keys": list(response)}


def _remove_response_when_done(host: "Host", op: Operation, path: str) -> None:
    op.wait()
    if host.fs.is_file(path):
        host.fs.remove(path)


@operation("sp_install_watch")
def sp_install_watch(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    run_id = str(params.get("run_id") or "")
    with _runs_lock:
        run = _runs.get((host.name, run_id))
    if run is None:
        return {"state": "lost", "exit_code": None, "error": None, "waited": 0.0,
                "response_removed": True}
    op: Operation = run["op"]
    max_wait = min(max(float(params.get("max_wait") or 0), 0.0), 600.0)
    start = time.monotonic()
    op.wait(host.costs.scaled(max_wait))
    waited = round((time.monotonic() - start) / (host.costs.time_scale or 1.0), 1)
    if not op.done:
        return {"state": "running", "exit_code": None, "error": None, "waited": waited,
                "response_removed": False}
    with _runs_lock:
        _runs.pop((host.name, run_id), None)
    if host.fs.is_dir(run["dir"]):
        host.fs.remove(run["dir"], recurse=True)
    code = op.data.get("exit_code")
    # The real runner only learns setup's exit code; the twin's message stands in for setup's log.
    return {"state": "finished", "exit_code": code, "error": op.error, "waited": waited,
            "response_removed": True}


@operation("sp_reboot")
def sp_reboot(host: "Host", call: Call) -> dict[str, Any]:
    delay = int(call.params.get("delay") or 0)
    if not 0 <= delay <= 600:
        raise OperationError("delay must be between 0 and 600", "invalid_parameter")
    node = host.system_platform
    if node is None:
        raise OperationError("shutdown.exe failed: no model of this host restarts",
                             "reboot_failed")
    with node.lock:
        if node.installing:
            # Windows would restart anyway; the twin's model refuses a restart under setup.
            raise OperationError("shutdown.exe failed: setup is running", "reboot_failed")
    before = boot_id(host)
    # Twin convention: the restart starts at least half a real second after the answer, as
    # shutdown.exe /t lets the answer leave on a real host whatever the time scale.
    host.scheduler.call_later(max(float(delay), 0.5 / (host.costs.time_scale or 1.0)),
                              _reboot, node)
    return {"boot_id": before, "delay": delay}


def _reboot(node: Any) -> None:
    try:
        node.reboot()
    except SystemPlatformError:
        pass
