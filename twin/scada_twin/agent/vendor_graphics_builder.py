"""Graphics Builder verbs: the automation members each verb calls, on the twin's model of them
(:mod:`..power_operation.graphics_builder`, which cites the vendor's pages)."""

from __future__ import annotations

from typing import Any

from ..power_operation.graphics_builder import ComError, GraphicsBuilder, listed
from . import VerbContext, VerbError


def _application(ctx: VerbContext) -> GraphicsBuilder:
    """New-Object -ComObject GraphicsBuilder.Application: a COMException (class not
    registered) where Plant SCADA is not installed."""
    po = ctx.host.power_operation
    if po is None:
        raise VerbError("Graphics Builder automation (GraphicsBuilder.Application) is not "
                        "available: Retrieving the COM class factory for component with CLSID "
                        "failed due to the following error: 80040154 Class not registered",
                        "vendor")
    return GraphicsBuilder(po.projects)


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
