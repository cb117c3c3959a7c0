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
import importlib
import json
import os
import re
import time
import typing as t

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import (
    OperationFailed,
    OperationUnreachable,
)

#: The start of the command line; ansible-core's winrm plugin (2.19 and later) recognises it as
#: an already encoded PowerShell command and sends it as it is.
COMMAND_PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "
AGENT_DIR = os.path.join(os.path.dirname(__file__), "agent")
VERB_DIR = os.path.join(AGENT_DIR, "verbs")
RESOURCE_DIR = os.path.join(AGENT_DIR, "resources")
_VERB_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_RESOURCE_LINE = re.compile(r"^# scada\.redundancy:resource ([a-z0-9_]+)\s*$", re.M)
_text_cache: dict[str, str] = {}
#: Seconds between sendings of a batch the host refused before running it: its input refused
#: as busy (WS-Man fault 170: ansible-core's winrm connection retries that itself only when
#: pywinrm reports the code as a string, which pywinrm 0.5 does not; it then gives up with
#: "winrm send_input failed" and terminates the command), or its command refused over the
#: operations quota (0x803381A6) again after ansible-core's one new shell. Sending again is
#: safe: the agent reads its whole request before it runs anything, and a refused Send left
#: it incomplete; a refused Command never started.
REFUSED_BACKOFF = (1.0, 2.0, 4.0)
#: What agent.ps1 prints as soon as it holds the whole request, before anything runs.
ARRIVED_DOCUMENT = {"agent": "request read"}
_QUOTA_MAX_OPERATIONS = 0x803381A6
#: Categories of the exceptions a verb does not categorise itself, by .NET type name.
EXCEPTION_CATEGORIES = (
    ("ParameterBinding", "invalid_arguments"), ("ItemNotFound", "not_found"),
    ("FileNotFound", "not_found"), ("DirectoryNotFound", "not_found"),
    ("UnauthorizedAccess", "access_denied"), ("Security", "access_denied"), ("IOException", "io"))


class VerbCall(t.NamedTuple):
    """One verb with its arguments (names as in the verb's param block)."""

    verb: str
    args: dict[str, t.Any]


def ref(call: int, *path: str | int) -> dict[str, list[t.Any]]:
    """An argument the host takes from an earlier call of the same batch: the value of call
    number ``call`` (0-based), walked by property names and list indexes. When anything on
    the way is missing, null or empty, the call is not run and its value is None, so a chain
    (registry value -> file) costs one PowerShell instead of one per link."""
    return {"$ref": [call, *path]}


class _EveryCategory:
    """A ``tolerate`` that tolerates any failure: the caller learns which call failed."""

    def __contains__(self, category: object) -> bool:
        return True


EVERY_CATEGORY: t.Collection[str] = t.cast(t.Collection[str], _EveryCategory())

#: How the decision modules run a batch: ``run(step, calls, tolerate=())`` returns the values
#: (an action plugin's ``verbs`` method).
RunVerbs = t.Callable[..., t.List[t.Any]]


class VerbError(t.NamedTuple):
    """A verb's categorised failure, as the agent reported it."""

    msg: str
    category: str


def first_failure(values: t.Sequence[t.Any]) -> int | None:
    """The index of the tolerated :class:`VerbError` in a batch's values, or None."""
    return next((i for i, value in enumerate(values) if isinstance(value, VerbError)), None)


def exception_category(type_name: t.Any) -> str:
    """The category of an uncategorised exception, from its .NET type name."""
    return next((category for part, category in EXCEPTION_CATEGORIES
                 if part in str(type_name or "")), "error")


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


def verb_resources(verb: str) -> list[str]:
    """The resources (constant child-process scripts) a verb names in its resource lines."""
    return _RESOURCE_LINE.findall(verb_script(verb))


def resource_script(name: str) -> str:
    if not _VERB_NAME.match(name):
        raise ValueError(f"not a resource name: {name!r}")
    return _read(os.path.join(RESOURCE_DIR, f"{name}.ps1"))


def core_script() -> str:
    """The agent's constant core, which every request carries."""
    return _read(os.path.join(AGENT_DIR, "core.ps1"))


def shipped_verbs() -> list[str]:
    """Every verb the collection ships, by file name."""
    return sorted(name[:-4] for name in os.listdir(VERB_DIR) if name.endswith(".ps1"))


def agent_command_line() -> str:
    """The constant command line: PowerShell running the encoded agent bootstrap."""
    script = _read(os.path.join(AGENT_DIR, "agent.ps1"))
    return COMMAND_PREFIX + base64.b64encode(script.encode("utf-16-le")).decode("ascii")


class Repeat(t.NamedTuple):
    """A long poll: run the batch again every ``interval`` seconds on the host until its
    answer's digest differs from ``until_changed`` (a digest the host gave before) or
    ``max_wait`` seconds pass."""

    until_changed: str
    max_wait: float
    interval: float


def build_request(step: str, calls: t.Sequence[VerbCall], repeat: Repeat | None = None,
                  record: str | None = None) -> bytes:
    """The stdin of one batch: the agent's core, the step's name, each needed verb and
    resource once, the calls, how to repeat them (or null), and the host file that records
    the batch (or null: see :func:`record_state`)."""
    names = list(dict.fromkeys(call.verb for call in calls))
    resources = list(dict.fromkeys(r for name in names for r in verb_resources(name)))
    request = {"core": core_script(), "step": step, "record": record,
               "repeat": repeat._asdict() if repeat is not None else None,
               "verbs": [{"name": name, "script": verb_script(name)} for name in names],
               "resources": [{"name": name, "script": resource_script(name)} for name in resources],
               "calls": [{"verb": call.verb, "args": dict(call.args)} for call in calls]}
    return json.dumps(request, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


class Answer(t.NamedTuple):
    """A batch's values, the digest of the host's answer (for :class:`Repeat`), and the
    seconds the host waited in a long poll."""

    values: list[t.Any]
    digest: str
    waited: float


def run_verbs(connection: t.Any, step: str, calls: t.Sequence[VerbCall], *,
              display: t.Any = None, tolerate: t.Collection[str] = ()) -> list[t.Any]:
    """Run ``calls`` in order on the connection's host in one PowerShell; their values."""
    return run_batch(connection, step, calls, display=display, tolerate=tolerate).values


def run_batch(connection: t.Any, step: str, calls: t.Sequence[VerbCall], *,
              repeat: Repeat | None = None, display: t.Any = None,
              tolerate: t.Collection[str] = (), record: str | None = None) -> Answer:
    """Run ``calls`` in order on the connection's host in one PowerShell (repeated there as
    ``repeat`` says); the :class:`Answer`. With ``record``, the host also keeps the batch's
    state and answer in that file (:func:`record_state`).

    A verb failure whose category is in ``tolerate`` comes back as a :class:`VerbError` in
    its place (the calls after it are not run and come back as None); any other failure
    raises :class:`OperationFailed` naming ``step`` (the module's step, for the task message).

    :raises OperationUnreachable: the connection failed; the caller reports the host unreachable.
    """
    if display is not None:
        display.vvv(f"scada.redundancy: {step}: running {', '.join(c.verb for c in calls)}",
                    host=_host_name(connection))
    start = time.monotonic()
    request = build_request(step, calls, repeat, record)
    for pause in (*REFUSED_BACKOFF, None):
        try:
            rc, stdout, stderr = connection.exec_command(agent_command_line(), in_data=request,
                                                         sudoable=False)
            break
        except (AnsibleError, OSError, *_transport_errors()) as exc:
            # OSError: a connection lost while the command runs reaches us from the transport
            # library as it is (requests' ConnectionError), not as AnsibleConnectionFailure.
            refusal = _refused_before_running(exc)
            if refusal is None and isinstance(exc, AnsibleError) and not isinstance(exc, AnsibleConnectionFailure):
                # the connection plugin's own verdict on what the host sent back
                raise OperationFailed(step, f"the connection failed: {to_text(exc)}", "protocol") from exc
            if refusal is None or pause is None:
                raise OperationUnreachable(f"{step}: {to_text(exc)}") from exc
            if display is not None:
                display.warning(f"scada.redundancy: {step}: {refusal}; sending the batch again "
                                f"in {pause:g}s")
            time.sleep(pause)
    document = parse_document(to_text(stdout, errors="surrogate_or_replace"))
    if document == ARRIVED_DOCUMENT and rc == -1:  # ansible-core's rc of a command it ended
        # ansible-core's winrm connection gave up on a Send after the request arrived, and
        # ended the command: the batch may have run in part, so it is not sent again.
        raise OperationUnreachable(f"{step}: the connection failed while the host ran the batch "
                                   f"(rc={rc}); it may have run in part")
    stderr_text = to_text(stderr, errors="surrogate_or_replace").strip()
    if rc != 0 or document is None or not isinstance(document.get("results"), list):
        detail = (document or {}).get("msg") or (stderr_text.splitlines() or ["no JSON answer on stdout"])[0]
        raise OperationFailed(step, f"the host's agent did not answer (rc={rc}): {detail}",
                              "protocol", rc, stderr_text)
    if display is not None:
        display.vvv(f"scada.redundancy: {step}: answered in {time.monotonic() - start:.2f}s",
                    host=_host_name(connection))
    return answer_of(step, len(calls), document, tolerate, rc)


def _refused_before_running(exc: BaseException) -> str | None:
    """What the host refused, when it refused the batch before the agent could run any of it
    (see REFUSED_BACKOFF); None for any other failure."""
    if getattr(exc, "wmierror_code", None) == _QUOTA_MAX_OPERATIONS:
        return "the host refused the command (operations quota)"
    text = to_text(exc).replace("\r", "")
    if text.startswith("winrm send_input failed") and "stdout: \n" in text:
        # ansible-core's message when a Send failed and the host printed nothing, not even
        # the line the agent prints as soon as it holds the whole request (ARRIVED): the
        # request never arrived whole, so nothing of the batch ran.
        return "the host refused the request's input"
    return None


def _transport_errors() -> tuple[type[BaseException], ...]:
    """The client libraries' own exceptions that escape ansible-core's connections (a WS-Man
    fault on a Command or a Signal), so they fail the step instead of the task with a trace."""
    errors: list[type[BaseException]] = []
    for module, name in (("winrm.exceptions", "WinRMError"), ("winrm.exceptions", "WinRMTransportError"),
                         ("winrm.exceptions", "WinRMOperationTimeoutError"),
                         ("pypsrp.exceptions", "WinRMError")):
        try:
            errors.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            pass
    return tuple(errors)


def _host_name(connection: t.Any) -> str | None:
    """The address the winrm or psrp connection reaches, for verbose lines."""
    return getattr(connection, "_winrm_host", None) or getattr(connection, "_psrp_host", None)


def answer_of(step: str, count: int, document: t.Mapping[str, t.Any],
              tolerate: t.Collection[str] = (), rc: int = 0) -> Answer:
    """The :class:`Answer` of the agent's answer document for a batch of ``count`` calls,
    with failures handled as :func:`run_batch` says."""
    values: list[t.Any] = [None] * count
    for index, answer in enumerate(document["results"][:count]):
        if answer.get("ok"):
            values[index] = answer.get("value")
            continue
        error = VerbError(str(answer.get("msg") or "failed"),
                          str(answer.get("category") or exception_category(answer.get("type"))))
        if error.category not in tolerate:
            raise OperationFailed(step, error.msg, error.category, rc)
        values[index] = error
        break
    else:
        if len(document["results"]) < count:
            raise OperationFailed(step, f"the agent answered {len(document['results'])} of "
                                        f"{count} calls", "protocol", rc)
    return Answer(values, str(document.get("digest") or ""), float(document.get("waited") or 0.0))


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


class RecordState(t.NamedTuple):
    """What a batch's record file says: ``state`` 'none' (no file: the batch never started),
    'running' (with the agent's ``pid`` and ``started``) or 'answered' (with its ``answer``
    document, for :func:`answer_of`)."""

    state: str
    pid: int = 0
    started: str | None = None
    answer: t.Mapping[str, t.Any] | None = None


def record_state(file_value: t.Mapping[str, t.Any]) -> RecordState:
    """The :class:`RecordState` from a ``file_read`` of a record file."""
    if not file_value["exists"]:
        return RecordState("none")
    try:
        document = json.loads(base64.b64decode(file_value["base64"]))
    except ValueError:
        return RecordState("none")  # cut while written: the batch never got past its start
    if isinstance(document, dict) and isinstance(document.get("results"), list):
        return RecordState("answered", answer=document)
    if isinstance(document, dict) and document.get("state") == "running":
        return RecordState("running", int(document.get("pid") or 0), document.get("started"))
    return RecordState("none")
