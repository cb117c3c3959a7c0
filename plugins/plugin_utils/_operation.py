# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one remote operation through the task's own connection.

The operation protocol (docs/design.md): the command line carries only the constant
``bootstrap.ps1``; the operation's constant script and its parameters travel as one JSON line on
stdin; the host answers with one JSON document on stdout. No value is ever written into script
text, which is the collection's defence against injection.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
import typing as t

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils.common.text.converters import to_text

#: The start of the command line; ansible-core's winrm plugin (2.19 and later) recognises it as
#: an already encoded PowerShell command and sends it as it is.
COMMAND_PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "
DATA_SEPARATOR = b"\0\0\0\0\n"
_SCRIPTS_DIR = os.path.join(os.path.dirname(__file__), "scripts")
_REQUIRES = re.compile(r"^# scada\.redundancy:requires ([a-z0-9_]+)\s*$", re.M)
_script_cache: dict[str, str] = {}


class OperationFailed(Exception):
    """The host ran the operation and reported a failure (exit code non-zero)."""

    def __init__(self, operation: str, msg: str, category: str = "error",
                 rc: int | None = None, stderr: str = "", details: dict | None = None) -> None:
        super().__init__(msg)
        self.operation = operation
        self.msg = msg
        self.category = category
        self.rc = rc
        self.stderr = stderr
        self.details = details or {}


class OperationUnreachable(Exception):
    """The connection to the host failed before or while the operation ran."""


class OperationResult(t.NamedTuple):
    data: dict[str, t.Any]
    elapsed: float


def load_script(name: str) -> str:
    """The text of a shipped script (``lib/<name>`` for a library), read once per process."""
    if name not in _script_cache:
        path = os.path.join(_SCRIPTS_DIR, f"{name}.ps1")
        with open(path, encoding="utf-8") as handle:
            _script_cache[name] = handle.read()
    return _script_cache[name]


def build_command_line() -> str:
    """The constant command line: PowerShell running the encoded bootstrap."""
    encoded = base64.b64encode(load_script("bootstrap").encode("utf-16-le")).decode("ascii")
    return COMMAND_PREFIX + encoded


def required_libraries(script: str) -> list[str]:
    """Libraries a script names in ``# scada.redundancy:requires <name>`` lines, in order."""
    return [m.group(1) for m in _REQUIRES.finditer(script)]


def build_request(operation: str, params: t.Mapping[str, t.Any]) -> bytes:
    """The first stdin line: the operation's constant script, its libraries and parameters."""
    script = load_script(operation)
    libraries = [{"name": name, "script": load_script(f"lib/{name}")}
                 for name in required_libraries(script)]
    request = {"operation": operation, "script": script, "libraries": libraries,
               "params": dict(params)}
    return json.dumps(request, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


def run_operation(connection: t.Any, operation: str, params: t.Mapping[str, t.Any],
                  data: bytes | None = None, display: t.Any = None) -> OperationResult:
    """Run ``operation`` on the connection's host and return its JSON result.

    :raises OperationFailed: the host reported a failure (its message is the task's message).
    :raises OperationUnreachable: the connection failed; the caller reports the host unreachable.
    """
    stdin = build_request(operation, params)
    if data is not None:
        stdin += DATA_SEPARATOR + data
    if display is not None:
        display.vvv(f"scada.redundancy: running operation {operation}",
                    host=getattr(connection, "_winrm_host", None))
    start = time.monotonic()
    try:
        rc, stdout, stderr = connection.exec_command(build_command_line(), in_data=stdin,
                                                     sudoable=False)
    except (AnsibleConnectionFailure, OSError) as exc:
        # OSError: a connection lost while the command runs reaches us from the transport
        # library as it is (requests' ConnectionError), not as AnsibleConnectionFailure.
        raise OperationUnreachable(f"{operation}: {to_text(exc)}") from exc
    elapsed = time.monotonic() - start
    document = parse_document(to_text(stdout, errors="surrogate_or_replace"))
    stderr_text = to_text(stderr, errors="surrogate_or_replace").strip()
    if rc != 0 or document is None or document.get("failed"):
        raise _failure(operation, rc, document, stderr_text)
    return OperationResult(document, elapsed)


def parse_document(stdout: str) -> dict[str, t.Any] | None:
    """The one JSON object the host printed; tolerant of stray lines before it."""
    text = stdout.strip()
    candidates = [text] + [line for line in reversed(text.splitlines()) if line.startswith("{")]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _failure(operation: str, rc: int, document: dict | None, stderr: str) -> OperationFailed:
    if document and document.get("failed"):
        details = {k: v for k, v in document.items() if k not in ("failed", "msg", "category")}
        return OperationFailed(operation, str(document.get("msg") or "operation failed"),
                               str(document.get("category") or "error"), rc, stderr, details)
    if document is not None:
        return OperationFailed(operation, f"exit code {rc} without a failure document",
                               "protocol", rc, stderr)
    detail = stderr.splitlines()[0] if stderr else "no JSON result on stdout"
    return OperationFailed(operation, f"the host did not return a result (rc={rc}): {detail}",
                           "protocol", rc, stderr)
