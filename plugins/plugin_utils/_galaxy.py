# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The GRAccess path: the galaxy modules' shared options and one call to the helper.

Every galaxy module runs the ``gr_helper`` operation on the Galaxy Repository node: the
helper's C# source (``grhelper/GRHelper.cs``) travels as data with its SHA-256, the node
compiles it once per hash with the .NET Framework's csc.exe and runs it with one JSON request
on stdin. The helper's answer (``GRHelper.cs`` documents it) comes back as text and is parsed
here; a helper failure becomes :class:`.OperationFailed` with category ``graccess`` (or the
helper's own), carrying its per-object results, never the request (it holds the password).
"""

from __future__ import annotations

import hashlib
import json
import os
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._operation import OperationFailed

HELPER_SOURCE = os.path.join(os.path.dirname(__file__), "grhelper", "GRHelper.cs")
DEFAULT_GRACCESS_DLL = "C:\\Program Files (x86)\\Common Files\\ArchestrA\\ArchestrA.GRAccess.dll"
DEFAULT_HELPER_FOLDER = "C:\\ProgramData\\scada.redundancy\\grhelper"
DEPLOY_ACTIONS = ("skipDeploy", "redeployOriginal", "deployChanges")

#: The options every galaxy module takes (doc fragment ``scada.redundancy.galaxy``).
GALAXY_OPTIONS: dict[str, dict[str, t.Any]] = {
    "galaxy": {"type": "str", "required": True},
    "gr_node": {"type": "str", "default": ""},
    "galaxy_user": {"type": "str", "default": ""},
    "galaxy_password": {"type": "str", "default": "", "no_log": True},
    "graccess_dll": {"type": "str", "default": DEFAULT_GRACCESS_DLL},
    "helper_folder": {"type": "str", "default": DEFAULT_HELPER_FOLDER},
    "csc_path": {"type": "str", "default": ""},
    "helper_timeout": {"type": "int", "default": 3600},
}

_source_cache: dict[str, tuple[str, str]] = {}


def helper_source() -> tuple[str, str]:
    """(source text, its SHA-256) of the shipped helper, read once per process."""
    if "source" not in _source_cache:
        with open(HELPER_SOURCE, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8")
        _source_cache["source"] = (text, hashlib.sha256(text.encode("utf-8")).hexdigest())
    return _source_cache["source"]


def check_names(names: t.Iterable[str], what: str) -> list[str]:
    """Galaxy tagnames: non-empty, one line, no surrounding spaces (GRAccess trims nothing)."""
    checked = []
    for name in names:
        if not name or name != name.strip() or any(c in name for c in "\r\n\0"):
            raise AnsibleActionFail(f"{what}: {name!r} is not a galaxy object name")
        checked.append(name)
    return checked


class GalaxyAction(OperationAction):
    """An action plugin whose work is GRAccess helper commands on the GR node."""

    argument_spec = dict(GALAXY_OPTIONS)

    def helper(self, args: dict[str, t.Any], command: str, **request: t.Any) -> dict[str, t.Any]:
        """Run one helper command; its document when it succeeded.

        :raises OperationFailed: the helper (GRAccess) or the operation reported a failure.
        """
        source, digest = helper_source()
        body = {"command": command, "galaxy": args["galaxy"], "user": args["galaxy_user"],
                "password": args["galaxy_password"], **request}
        if args["gr_node"]:
            body["gr_node"] = args["gr_node"]
        answer = self.operation("gr_helper", {
            "source": source, "source_sha256": digest, "folder": args["helper_folder"],
            "graccess_dll": args["graccess_dll"], "csc": args["csc_path"],
            "request": json.dumps(body, ensure_ascii=True),
            "timeout_seconds": args["helper_timeout"]})
        self.helper_compiled = getattr(self, "helper_compiled", False) or bool(answer.get("compiled"))
        document = _parse(command, answer)
        if document.get("failed") or answer.get("exit_code") != 0:
            details = {k: document[k] for k in ("results", "calls", "objects", "galaxy")
                       if k in document}
            raise OperationFailed(f"GRAccess {command}", str(document.get("msg") or "failed"),
                                  str(document.get("category") or "graccess"),
                                  answer.get("exit_code"), str(answer.get("stderr") or ""),
                                  details)
        return document


def _parse(command: str, answer: dict[str, t.Any]) -> dict[str, t.Any]:
    text = str(answer.get("stdout") or "").strip()
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        stderr = str(answer.get("stderr") or "").strip().splitlines()
        raise OperationFailed(f"GRAccess {command}",
                              f"the helper returned no JSON document (exit code "
                              f"{answer.get('exit_code')}): {stderr[0] if stderr else text[:200]}",
                              "protocol")
    return document


def version_tuple(version: str | None) -> tuple[int, ...] | None:
    """A dotted version as numbers for comparison; None when it is not one."""
    if not version:
        return None
    fields = []
    for part in str(version).strip().split("."):
        if not part.isdigit():
            return None
        fields.append(int(part))
    while len(fields) > 1 and fields[-1] == 0:
        fields.pop()
    return tuple(fields)
