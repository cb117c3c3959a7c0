"""The ctapi_cicode verb on a twin host: CtAPI (CtApi.dll) as the Plant SCADA CtAPI reference
describes it, with the Cicode it runs modelled by :mod:`..power_operation.cicode`.

``ctOpen`` on the local computer connects while the runtime, which serves CtAPI, runs some
process; ``ctCicode`` returns TRUE with the function's STRING result, or FALSE with an error
code from GetLastError (Plant SCADA CtAPI reference, ctOpen, ctCicode). The verb starts its
child powershell.exe of the DLL's bitness; the twin's installs are 32-bit (SysWOW64).
"""

from __future__ import annotations

from typing import Any

from ..power_operation.cicode import CicodeError, evaluate
from . import VerbContext

#: ERROR_FILE_NOT_FOUND, GetLastError after ctOpen on a computer whose runtime is not running.
_NOT_RUNNING = "ctOpen failed: error 2: The system cannot find the file specified"
SYSWOW64_POWERSHELL = "C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0\\powershell.exe"


def ctapi_cicode(ctx: VerbContext, dll: str, commands: list[str] | None, user: str,
                 password: str, timeout: int, powershell: str) -> dict[str, Any]:
    host = ctx.host
    child = powershell or SYSWOW64_POWERSHELL

    def failed(message: str) -> dict[str, Any]:
        return {"connected": False, "error": message, "results": [], "powershell": child}

    if not host.fs.is_file(dll):
        return failed(f"CtAPI library not found at '{dll}'")
    po = host.power_operation
    if po is None or not any(p.state == "Running" for p in po.runtime.status().processes):
        return failed(_NOT_RUNNING)
    results = []
    for command in commands or []:
        try:
            results.append({"ok": True, "value": evaluate(po, command), "error": None})
        except CicodeError as exc:
            results.append({"ok": False, "value": None, "error": f"error {exc.code}: {exc}"})
    return {"connected": True, "error": None, "results": results, "powershell": child}
