"""Twin model of po_setup.ps1: the citect.ini keys the Computer Setup Wizard writes.

``run_project`` sets ``[CtEdit]Run`` to the project's folder; ``settings`` set (or, with a null
value, remove) other keys; every other line stays as it is (:mod:`..power_operation.ini`).
Each change is reported with the key's line before and after, as the file holds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..filesystem import FileSystemError
from ..power_operation.install import CTEDIT
from . import Call, OperationError, operation
from . import _po

if TYPE_CHECKING:
    from ..host import Host


@operation("po_setup")
def po_setup(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    install = _po.require_install(host)
    wanted: list[tuple[str, str, Any]] = []
    run_project = None
    if params.get("run_project"):
        entries = _po.catalog(host, install, str(params.get("project_source") or "folders"))
        entry = _po.resolve(entries, str(params["run_project"]))
        run_project = entry.name
        wanted.append((CTEDIT, "Run", entry.path))
    for setting in params.get("settings") or []:
        if not isinstance(setting, dict) or not setting.get("section") or not setting.get("key"):
            raise OperationError("each setting needs a section and a key", "invalid_parameter")
        if any(c in str(v) for v in setting.values() for c in "\r\n\0"):
            raise OperationError("settings must not hold line breaks or NUL characters",
                                 "invalid_parameter")
        wanted.append((str(setting["section"]), str(setting["key"]), setting.get("value")))
    try:
        document = install.ini()
        changes = []
        for section, key, value in wanted:
            before = document.line_text(section, key)
            if value is None:
                changed = document.remove(section, key)
            else:
                changed = document.get(section, key) != str(value)
                if changed:
                    document.set(section, key, str(value))
            if changed:
                changes.append({"section": section, "key": key, "before": before,
                                "after": document.line_text(section, key)})
        if changes and not params.get("check"):
            install.po.install.save_ini(document)
    except FileSystemError as exc:
        raise _po.file_error(exc) from None
    return {"changed": bool(changes), "ini_path": install.ini_path, "run_project": run_project,
            "run_path": document.get(CTEDIT, "Run"), "changes": changes}
