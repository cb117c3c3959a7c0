"""What lib/ctapi.ps1 (Get-CtApiServerInfo) sees on a twin host.

CtAPI is served by the runtime itself: ``ctOpen`` on the local computer connects while some
runtime process is Running (and not while the runtime is down). Cicode
``ServerInfoEx("Server", 0, component[, cluster])`` is redirected to the process holding the
component: it answers 1 on the active server of a redundant pair and 0 on the standby (the
model's :func:`..power_operation.pairs.server_info_ex`), and gives no answer when that process
does not run or the cluster is unknown (Cicode raises a hardware alarm instead). Without a
cluster argument Cicode uses the server's own cluster.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..power_operation import PowerOperationError
from ..power_operation.pairs import COMPONENTS
from . import OperationError

from ._po import BACKSLASH, Install

if TYPE_CHECKING:
    from ..host import Host

CICODE_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")


def server_info(host: "Host", install: "Install", *, dll: str, components: list[str],
                cluster: str) -> dict[str, Any]:
    """{connected, error, values: component -> '1' | '0' | None}."""
    for name in [*components, *([cluster] if cluster else [])]:
        if not CICODE_NAME.match(name):
            raise OperationError(f"'{name}' is not a Cicode component or cluster name "
                                 f"(letters, digits and underscores only)", "invalid_parameter")
    dll = dll or f"{str(install.paths['bin']).rstrip(BACKSLASH)}\\CtApi.dll"
    values: dict[str, str | None] = {c: None for c in components}
    if not host.fs.is_file(dll):
        return {"connected": False, "error": f"CtAPI library not found at '{dll}'",
                "values": values}
    po = install.po
    if not any(p.state == "Running" for p in po.runtime.status().processes):
        return {"connected": False, "error": "ctOpen failed: error 2: the runtime is not "
                                             "running on this computer", "values": values}
    for component in components:
        process = COMPONENTS.get(component.lower())
        try:
            if process is not None and po.runtime.process_state(process) == "Running":
                values[component] = str(po.server_info_ex("Server", 0, component,
                                                          cluster or po.cluster))
        except PowerOperationError:
            continue  # no answer: the component does not run here, or the cluster is unknown
    return {"connected": True, "error": None, "values": values}
