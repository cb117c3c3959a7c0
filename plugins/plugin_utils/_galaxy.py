# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The GRAccess path: the galaxy modules' shared options and one call to the helper.

GRAccess is a 32-bit apartment-threaded COM component PowerShell cannot drive, so every galaxy
module runs the collection's helper (``grhelper/GRHelper.cs``) on the Galaxy Repository node
with agent verbs: ``process_run`` of ``<helper_folder>\\<sha256>\\GRHelper.exe`` with one JSON
request on stdin (one PowerShell). Where that exe is absent, the node compiles it first with the
.NET Framework's csc.exe (x86, against ArchestrA.GRAccess.dll) from the source sent as data,
to a temporary name that ``path_move`` renames, so a half-written exe is never taken as done.
The helper's answer (``GRHelper.cs`` documents it) is parsed here; a helper failure becomes
:class:`.OperationFailed` with category ``graccess`` (or the helper's own), carrying its
per-object results, never the request (it holds the password).
"""

from __future__ import annotations

import base64
import hashlib
import json
import ntpath
import os
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import EVERY_CATEGORY, VerbError, first_failure
from ansible_collections.scada.redundancy.plugins.plugin_utils._argv import command_line
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed

HELPER_SOURCE = os.path.join(os.path.dirname(__file__), "grhelper", "GRHelper.cs")
DEFAULT_GRACCESS_DLL = "C:\\Program Files (x86)\\Common Files\\ArchestrA\\ArchestrA.GRAccess.dll"
DEFAULT_HELPER_FOLDER = "C:\\ProgramData\\scada.redundancy\\grhelper"
DEPLOY_ACTIONS = ("skipDeploy", "redeployOriginal", "deployChanges")
#: csc.exe of the .NET Framework 4.x, below the Windows folder (when csc_path is empty).
FRAMEWORK_CSC = "Microsoft.NET\\Framework\\v4.0.30319\\csc.exe"
COMPILE_TIMEOUT = 600
#: The helper's answer may list a whole galaxy's objects.
MAX_ANSWER = 64 * 1024 * 1024

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

#: Helper commands that can run for minutes (deploys, the migration, an upload): their
#: start is said at default verbosity, with the helper's timeout.
_LONG_COMMANDS = frozenset({"deploy", "undeploy", "migrate", "upload", "backup"})

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
    #: Whether this task compiled the helper (a result key of every galaxy module).
    helper_compiled = False

    def helper(self, args: dict[str, t.Any], command: str, **request: t.Any) -> dict[str, t.Any]:
        """Run one helper command; its document when it succeeded.

        :raises OperationFailed: the helper (GRAccess), its compile or a verb reported a failure.
        """
        source, digest = helper_source()
        body = {"command": command, "galaxy": args["galaxy"], "user": args["galaxy_user"],
                "password": args["galaxy_password"], **request}
        if args["gr_node"]:
            body["gr_node"] = args["gr_node"]
        folder = ntpath.join(args["helper_folder"], digest)
        exe = ntpath.join(folder, "GRHelper.exe")
        timeout = args["helper_timeout"] if args["helper_timeout"] > 0 else 3600
        run = verbs.process_run(exe, "", timeout=timeout, stdin=json.dumps(body, ensure_ascii=True),
                                utf8=True, max_output=MAX_ANSWER)
        step = f"GRAccess {command}"
        if command in _LONG_COMMANDS:
            self.progress.begin(step, timeout)
        found = self.verbs(step, [verbs.path_test(exe), run], tolerate=EVERY_CATEGORY)
        if not isinstance(found[0], VerbError) and not found[0]["exists"]:
            self._compile_helper(args, source, folder)
            self.helper_compiled = True
            found = self.verbs(step, [verbs.path_move(ntpath.join(folder, "GRHelper.partial.exe"), exe), run])
        failed = first_failure(found)
        if failed is not None:
            raise OperationFailed(step, found[failed].msg, found[failed].category)
        answer = found[-1]
        if answer["timed_out"]:
            raise OperationFailed(step, f"the GRAccess helper did not finish within {timeout} "
                                        f"seconds and was stopped", "timeout")
        document = _parse(command, answer)
        if document.get("failed") or answer.get("exit_code") != 0:
            details = {k: document[k] for k in ("results", "calls", "objects", "galaxy")
                       if k in document}
            raise OperationFailed(step, str(document.get("msg") or "failed"),
                                  str(document.get("category") or "graccess"),
                                  answer.get("exit_code"), str(answer.get("stderr") or ""),
                                  details)
        return document

    def _compile_helper(self, args: dict[str, t.Any], source: str, folder: str) -> None:
        """csc.exe (x86) builds the helper against GRAccess as ``GRHelper.partial.exe``."""
        step = "compile the GRAccess helper"
        facts, dll = self.verbs(step, [verbs.host_facts(), verbs.path_test(args["graccess_dll"])])
        if not dll["exists"]:
            raise OperationFailed(step, f"GRAccess library not found: {args['graccess_dll']} (is "
                                        f"this the Galaxy Repository node?)", "not_installed")
        csc = args["csc_path"] or ntpath.join(facts["windows_dir"], FRAMEWORK_CSC)
        cs, partial = ntpath.join(folder, "GRHelper.cs"), ntpath.join(folder, "GRHelper.partial.exe")
        argv = ["/nologo", "/platform:x86", "/target:exe", f"/r:{args['graccess_dll']}",
                "/r:System.Web.Extensions.dll", f"/out:{partial}", cs]
        found = self.verbs(step, [verbs.path_test(csc), verbs.dir_create(folder),
                                  verbs.file_write(cs, base64.b64encode(source.encode("utf-8")).decode("ascii")),
                                  verbs.process_run(csc, command_line(argv), timeout=COMPILE_TIMEOUT)],
                           tolerate=EVERY_CATEGORY)
        if not isinstance(found[0], VerbError) and not found[0]["exists"]:
            raise OperationFailed(step, f"the C# compiler was not found: {csc} (.NET Framework 4.x)",
                                  "not_installed")
        failed = first_failure(found)
        if failed is not None:
            raise OperationFailed(step, found[failed].msg, found[failed].category)
        ran = found[-1]
        if ran["timed_out"] or ran["exit_code"] != 0:
            detail = (str(ran["stdout"]) + str(ran["stderr"])).strip()
            raise OperationFailed(step, f"compiling the GRAccess helper failed (exit code "
                                        f"{ran['exit_code']}): {detail}", "compile_failed")


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
