"""System Platform setup on a twin node, reached through the agent's process verbs.

``setup_runner_start`` models Win32_Process.Create of the collection's constant setup runner
(Microsoft, "Create method of the Win32_Process class": ReturnValue 0, ProcessId): the runner
reads run.json in its folder and runs setup.exe with the response file, waiting for setup
alone; when setup exits it removes the response file and writes result.json. setup.exe is the
node's install model (:meth:`..system_platform.node.Node.install`: the vendor's response-file
keys, consent, pending restart, no downgrade). *Twin convention*: the version setup installs
is run.json's ``version`` (a real setup.exe carries its own). ``process_wait`` models
Process.WaitForExit on the runner, ``reboot`` shutdown.exe /r /t /c.
"""

from __future__ import annotations

import datetime
import json
import threading
from typing import TYPE_CHECKING, Any

from ..filesystem import FileSystemError
from ..system_platform.errors import SystemPlatformError
from . import VerbContext

if TYPE_CHECKING:
    from ..host import Host
    from ..system_platform.operation import Operation

#: shutdown.exe's exit code when a restart cannot start now (ERROR_SHUTDOWN_IN_PROGRESS).
SHUTDOWN_REFUSED = 1115


def setup_runner_start(ctx: VerbContext, working_directory: str) -> dict[str, Any]:
    host = ctx.host
    pid = host.processes.start("powershell").pid  # the runner
    try:
        run = json.loads(host.fs.read(f"{working_directory}\\run.json").decode("utf-8"))
        response = _response(host.fs.read(str(run["response_path"])))
    except (FileSystemError, ValueError, KeyError):
        # The runner starts (ReturnValue 0), fails to read its run, and exits at once.
        return _started(host, pid, exited=True)
    node = host.system_platform
    try:
        if node is None or not host.fs.is_file(str(run["setup_path"])):
            raise SystemPlatformError(f"setup.exe cannot be started: '{run['setup_path']}'")
        op = node.install(str(run.get("version") or ""), response)
    except (SystemPlatformError, ValueError) as exc:
        _finish(host, working_directory, str(run["response_path"]), None, str(exc))
        return _started(host, pid, exited=True)
    answer = _started(host, pid, exited=False)
    threading.Thread(target=_when_setup_exits, args=(host, pid, op, working_directory, run),
                     daemon=True, name=f"setup-runner-{host.name}").start()
    return answer


def process_wait(ctx: VerbContext, process_id: int, timeout: float) -> dict[str, Any]:
    """Get-Process -Id, then WaitForExit(ms); an exited runner is no process any more
    (:mod:`..processes`)."""
    process = ctx.host.processes.get(process_id)
    if process is None:
        return {"exists": False, "exited": True}
    return {"exists": True, "exited": process.exited.wait(ctx.host.costs.scaled(timeout))}


def reboot(ctx: VerbContext, delay: int, message: str) -> dict[str, Any]:
    """shutdown.exe /r /t <delay>: the restart starts after the delay, so this answer leaves
    first. *Twin convention*: at least half a real second, whatever the time scale; the node
    refuses while setup runs (Windows would restart anyway)."""
    host = ctx.host
    node = host.system_platform
    if node is None:
        return {"exit_code": SHUTDOWN_REFUSED, "output": "no model of this host restarts"}
    with node.lock:
        if node.installing:
            return {"exit_code": SHUTDOWN_REFUSED, "output": "setup is running"}
    host.scheduler.call_later(max(float(delay), 0.5 / (host.costs.time_scale or 1.0)),
                              _restart, node)
    return {"exit_code": 0, "output": ""}


def _response(data: bytes) -> dict[str, str]:
    """The response file's key=value lines, as setup reads them."""
    lines = data.decode("utf-8-sig").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _started(host: "Host", pid: int, exited: bool) -> dict[str, Any]:
    if exited:
        host.processes.exit(pid)
    return {"return_value": 0, "process_id": pid}


def _when_setup_exits(host: "Host", pid: int, op: "Operation", folder: str,
                      run: dict[str, Any]) -> None:
    op.wait()
    _finish(host, folder, str(run["response_path"]), op.data.get("exit_code"), op.error)
    host.processes.exit(pid)


def _finish(host: "Host", folder: str, response_path: str, code: Any, error: str | None) -> None:
    """The runner's end: the response file removed, result.json written (tmp, then moved)."""
    if host.fs.is_file(response_path):
        host.fs.remove(response_path)
    if host.fs.is_dir(folder):
        host.fs.write(f"{folder}\\result.json", json.dumps(
            {"exit_code": code, "error": error,
             "finished": datetime.datetime.now(datetime.timezone.utc).isoformat()}).encode("utf-8"))


def _restart(node: Any) -> None:
    try:
        node.reboot()
    except SystemPlatformError:
        pass  # setup started in the delay: the node's model refuses to restart under it
