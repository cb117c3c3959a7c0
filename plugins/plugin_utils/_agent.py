# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a batch of agent verbs on a host through the task's own connection.

The host runs one constant bootstrap (``agent/agent.ps1``) and the constant verb scripts the
batch needs (``agent/verbs/<verb>.ps1``); the verbs' arguments travel as JSON data on stdin and
are bound to each verb's ``param`` block, never written into code (docs/design.md). Every
decision about what to call and what an answer means is made here, on the controller, by the
caller. The verbs and their contracts: docs/agent-verbs.md; the Python side of each contract:
``_verbs.py``.
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

from ansible_collections.scada.redundancy.plugins.plugin_utils._operation import (
    COMMAND_PREFIX,
    OperationFailed,
    OperationUnreachable,
    parse_document,
)

AGENT_DIR = os.path.join(os.path.dirname(__file__), "agent")
VERB_DIR = os.path.join(AGENT_DIR, "verbs")
_VERB_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_text_cache: dict[str, str] = {}


class VerbCall(t.NamedTuple):
    """One verb with its arguments (names as in the verb's param block)."""

    verb: str
    args: dict[str, t.Any]


class VerbError(t.NamedTuple):
    """A verb's categorised failure, as the agent reported it."""

    msg: str
    category: str


def _read(path: str) -> str:
    if path not in _text_cache:
        with open(path, encoding="utf-8") as handle:
            _text_cache[path] = handle.read()
    return _text_cache[path]


def verb_script(verb: str) -> str:
    """The constant text of one shipped verb."""
    if not _VERB_NAME.match(verb):
        raise ValueError(f"not a verb name: {verb!r}")
    return _read(os.path.join(VERB_DIR, f"{verb}.ps1"))


def shipped_verbs() -> list[str]:
    """Every verb the collection ships, by file name."""
    return sorted(name[:-4] for name in os.listdir(VERB_DIR) if name.endswith(".ps1"))


def agent_command_line() -> str:
    """The constant command line: PowerShell running the encoded agent bootstrap."""
    script = _read(os.path.join(AGENT_DIR, "agent.ps1"))
    return COMMAND_PREFIX + base64.b64encode(script.encode("utf-16-le")).decode("ascii")


def build_request(step: str, calls: t.Sequence[VerbCall]) -> bytes:
    """The stdin of one batch: the step's name, each needed verb once, and the calls."""
    names = list(dict.fromkeys(call.verb for call in calls))
    request = {"step": step,
               "verbs": [{"name": name, "script": verb_script(name)} for name in names],
               "calls": [{"verb": call.verb, "args": dict(call.args)} for call in calls]}
    return json.dumps(request, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


def run_verbs(connection: t.Any, step: str, calls: t.Sequence[VerbCall], *,
              display: t.Any = None, tolerate: t.Collection[str] = ()) -> list[t.Any]:
    """Run ``calls`` in order on the connection's host in one PowerShell; their values.

    A verb failure whose category is in ``tolerate`` comes back as a :class:`VerbError` in
    its place (the calls after it are not run and come back as None); any other failure
    raises :class:`OperationFailed` naming ``step`` (the module's step, for the task message).

    :raises OperationUnreachable: the connection failed; the caller reports the host unreachable.
    """
    if display is not None:
        display.vvv(f"scada.redundancy: {step}: running {', '.join(c.verb for c in calls)}",
                    host=getattr(connection, "_winrm_host", None))
    start = time.monotonic()
    try:
        rc, stdout, stderr = connection.exec_command(agent_command_line(),
                                                     in_data=build_request(step, calls),
                                                     sudoable=False)
    except (AnsibleConnectionFailure, OSError) as exc:
        raise OperationUnreachable(f"{step}: {to_text(exc)}") from exc
    document = parse_document(to_text(stdout, errors="surrogate_or_replace"))
    stderr_text = to_text(stderr, errors="surrogate_or_replace").strip()
    if rc != 0 or document is None or not isinstance(document.get("results"), list):
        detail = (document or {}).get("msg") or (stderr_text.splitlines() or ["no JSON answer on stdout"])[0]
        raise OperationFailed(step, f"the host's agent did not answer (rc={rc}): {detail}",
                              "protocol", rc, stderr_text)
    values: list[t.Any] = [None] * len(calls)
    for index, answer in enumerate(document["results"][:len(calls)]):
        if answer.get("ok"):
            values[index] = answer.get("value")
            continue
        error = VerbError(str(answer.get("msg") or "failed"), str(answer.get("category") or "error"))
        if error.category not in tolerate:
            raise OperationFailed(step, error.msg, error.category, rc)
        values[index] = error
        break
    else:
        if len(document["results"]) < len(calls):
            raise OperationFailed(step, f"the agent answered {len(document['results'])} of "
                                        f"{len(calls)} calls", "protocol", rc)
    if display is not None:
        display.vvv(f"scada.redundancy: {step}: answered in {time.monotonic() - start:.2f}s",
                    host=getattr(connection, "_winrm_host", None))
    return values
