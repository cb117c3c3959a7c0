"""Twin model of engine_redundancy.ps1: a site's status command, answered from the galaxy model.

The real script runs the site's command (an argument list per engine) and looks for one of the
vendor's status strings in its output. *Twin conventions*: the command's program must exist
in the host's file system (else the start fails as Process.Start does); the twin never runs
it but answers for the engine the controller filled the command in for, printing the engine's
``redundancy_status`` from the model, or its run-time state when it has none (not running:
``Not Deployed``, ``Shutdown``...), or "engine not found" with exit code 1. The long poll
reads every ``poll_interval`` host seconds until a status differs from ``known``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..system_platform.errors import SystemPlatformError
from . import Call, OperationError, operation

if TYPE_CHECKING:
    from ..host import Host


@operation("engine_redundancy")
def engine_redundancy(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    commands = params.get("commands") or []
    vocabulary = [str(s) for s in params.get("statuses") or []]
    for command in commands:
        argv = command.get("argv") or []
        if not argv or not host.fs.is_file(str(argv[0])):
            raise OperationError(f'Exception calling "Start" with "1" argument(s): "The system '
                                 f'cannot find the file specified" ({argv[0] if argv else ""})')
    known = params.get("known")
    max_wait = min(max(float(params.get("max_wait") or 0), 0.0), 600.0)
    interval = min(max(float(params.get("poll_interval") or 0.2), 0.2), 60.0)
    start = time.monotonic()
    reads = 0
    while True:
        rows = [_read(host, str(c.get("engine")), vocabulary) for c in commands]
        reads += 1
        if known is None:
            break
        if any(known.get(r["name"]) != r["status"] for r in rows):
            break
        waited = (time.monotonic() - start) / (host.costs.time_scale or 1.0)
        if waited >= max_wait:
            break
        host.costs.sleep(min(interval, max_wait - waited))
    waited = round((time.monotonic() - start) / (host.costs.time_scale or 1.0), 1)
    return {"engines": rows, "waited": waited, "reads": reads}


def _read(host: "Host", name: str, vocabulary: list[str]) -> dict[str, Any]:
    node = host.system_platform
    galaxy = node.galaxy if node is not None else None
    if galaxy is None:
        return _row(name, None, 1, "no galaxy is known on this node")
    try:
        with node.lock:
            engine = galaxy.engine(name)
            text = engine.redundancy_status or engine.state
    except SystemPlatformError:
        return _row(name, None, 1, f"engine not found: {name}")
    status = next((s for s in vocabulary if s.lower() == str(text).lower()), None)
    return _row(name, status, 0, str(text))


def _row(name: str, status: str | None, code: int, output: str) -> dict[str, Any]:
    return {"name": name, "status": status, "exit_code": code, "output": output,
            "timed_out": False}
