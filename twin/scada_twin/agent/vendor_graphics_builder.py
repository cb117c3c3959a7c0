"""Graphics Builder verbs: the automation members each verb calls, on the twin's model of them
(:mod:`..power_operation.graphics_builder`, which cites the vendor's pages)."""

from __future__ import annotations

import threading
import time
from typing import Any

from ..power_operation.graphics_builder import ComError, GraphicsBuilder, listed
from ..power_operation.install import GRAPHICS_BUILDER_PROGID
from ..shell.process import ProcessTerminated
from ..wallclock import round_trip_now
from . import VerbContext, VerbError


def _application(ctx: VerbContext) -> GraphicsBuilder:
    """New-Object -ComObject GraphicsBuilder.Application: a COMException (class not
    registered) where Plant SCADA is not installed."""
    po = ctx.host.power_operation
    # COM resolves the ProgID through HKLM\SOFTWARE\Classes\<ProgID>\CLSID (Microsoft,
    # "<ProgID> Key"): an install whose registration is gone fails the same way.
    if po is None or not ctx.host.registry.key_exists(f"HKLM\\SOFTWARE\\Classes\\{GRAPHICS_BUILDER_PROGID}\\CLSID"):
        raise VerbError("Graphics Builder automation (GraphicsBuilder.Application) is not "
                        "available: Retrieving the COM class factory for component with CLSID "
                        "failed due to the following error: 80040154 Class not registered",
                        "vendor")
    return GraphicsBuilder(po.projects, po.compiler)


def gb_projects(ctx: VerbContext) -> dict[str, Any]:
    """ProjectFirst/ProjectNext, and for each project ProjectSelect then the include pair,
    each list read until it fails; the earlier selection is selected again."""
    application = _application(ctx)
    selected = application.ProjectSelected()
    projects = []
    for name in listed(application.ProjectFirst, application.ProjectNext):
        application.ProjectSelect(name)
        projects.append({"name": name, "includes": listed(application.ProjectFirstInclude,
                                                          application.ProjectNextInclude)})
    if selected:
        try:
            application.ProjectSelect(selected)
        except ComError as exc:
            raise VerbError(str(exc), None, "System.Runtime.InteropServices.COMException") from None
    return {"selected": selected, "projects": projects}


def gb_compile(ctx: VerbContext, project: str, timeout: int) -> dict[str, Any]:
    """ProjectSelect then ProjectCompile in a runspace the verb waits on for ``timeout``
    modelled seconds; the compile goes on when the wait ends or the PowerShell is ended, as
    Graphics Builder is another process. A COM error is category vendor."""
    application = _application(ctx)
    started, box = round_trip_now(), {}

    def members() -> None:
        try:
            application.ProjectSelect(project)
            box["result"] = application.ProjectCompile()
        except ComError as exc:
            box["error"] = exc

    runspace = threading.Thread(target=members, name=f"{ctx.host.name}-gb-compile", daemon=True)
    runspace.start()
    deadline = time.monotonic() + ctx.host.costs.scaled(timeout)
    while runspace.is_alive():
        if ctx.io.cancelled.is_set():
            raise ProcessTerminated()
        if time.monotonic() >= deadline:
            raise VerbError(f"the compile of {project} did not finish within {timeout} seconds",
                            "timeout")
        runspace.join(0.01)
    if "error" in box:
        raise VerbError(f"Graphics Builder refused the compile of {project}: {box['error']}",
                        "vendor")
    return {"started": started, "finished": round_trip_now(),
            "seconds": round(box["result"].duration, 3)}
