# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""project_compile's work: read, plan the citect.ini hooks, compile, read the outcome.

``ProjectCompile`` returns no error count; the documented way to learn the outcome is the
citect.ini hooks ``[CtEdit]CompileSuccessfulCommand`` / ``CompileUnsuccessfulCommand``, a
command the compiler runs after the compile with ``%CtEnvErrors%`` and ``%CtEnvWarnings%``
replaced (docs/vendor notes in docs/agent-verbs.md). For one compile both hooks are pointed at
a command that writes those numbers to a file; the lines as they were are saved beside
citect.ini first (the *sidecar*), so a run killed half-way is repaired by the next one, and
put back byte for byte afterwards, also when the compile fails or times out. The compile's
messages (Type, Record, Name, Field, Table, Error, Context) are read from ``messages_file`` in
the project folder, a dBASE table or text lines ``Type | Record | ... | Context``.

Batches: the install with the projects (their hashes), a leftover sidecar and earlier compile
records (one batch where the host showed its install earlier in the run, else two:
``_install_memory``), then the compile itself: the hook's folder, sidecar, hooked citect.ini,
``gb_compile``, the hook's file, the project folder, citect.ini put back, and last the compiled
marker po_info reads (``_po_projects``: it counts while no compiled database is newer) and the
earlier records removed. The compile batch leaves its record on the host, so a controller that
lost the connection learns what became of it (:meth:`CompileRun.learn`). A compile that did not
succeed removes the marker in one more batch.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import ntpath
import re
import typing as t
import uuid

from ansible_collections.scada.redundancy.plugins.plugin_utils import _dbf
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import (
    Repeat,
    VerbCall,
    first_failure,
    RecordState,
    answer_of,
    record_state,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._citect_ini import (
    IniDocument,
    text_lines,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._host_time import instant
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._install_memory import read_install
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_install import CTEDIT, Install
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_projects import (
    Catalog,
    listing_calls,
)

STEP = "project_compile"
SUCCESS_KEY, FAILURE_KEY = HOOK_KEYS = ("CompileSuccessfulCommand", "CompileUnsuccessfulCommand")
SIDECAR_SUFFIX = ".scada-redundancy-hooks.json"
RUNS_FOLDER = "compile-runs"
MESSAGE_FIELDS = ("TYPE", "RECORD", "NAME", "FIELD", "TABLE", "ERROR", "CONTEXT")
MESSAGE_TYPES = ("ERROR", "FATAL", "WARNING")
#: What the hook commands write: 'ok <errors> <warnings>' or 'failed <errors>'.
_HOOK_ANSWER = re.compile(r"(ok|failed)\s+(\d+)(?:\s+(\d+))?")
#: Characters the compiler (%...%) or cmd.exe (" ^ !) would read in the hook file's path.
_UNSAFE_IN_HOOK = set('"%^!')
#: A messages file written this long before the compile started still counts as its own.
_FRESH_SLACK = datetime.timedelta(seconds=2)
_MESSAGES_MAX_BYTES = 16 * 1024 * 1024
#: Which call of the compile batch answers what.
_COMPILE, _HOOK, _FOLDER, _RESTORE, _MARKER = 3, 4, 5, 6, 9


class CompileRun:
    """One compile of one project on the action's host (``action.verbs``/``action.batch``).

    ``params``: project ('' for the [CtEdit]Run project), project_source, timeout, hook_wait,
    messages_file (relative to the project folder).
    """

    def __init__(self, action: t.Any, params: t.Mapping[str, t.Any]) -> None:
        self.action, self.params = action, params
        self.run_id = uuid.uuid4().hex

    # -- reading ---------------------------------------------------------------------------
    def prepare(self) -> dict[str, t.Any]:
        """Read the install, the projects and a leftover sidecar; the result of a run that
        compiled nothing (what check mode reports)."""
        read = read_install(self.action, STEP, lambda found, dummy: _reading_calls(found, self.params))
        self.install, values = read.required(STEP), read.more
        listed = len(listing_calls(self.install, STEP, self.params["project_source"], hashed=True))
        catalog = Catalog(self.install, STEP, self.params["project_source"], values[:listed])
        self.leftover = values[listed]
        runs = self.install.records_path(RUNS_FOLDER)
        self.earlier_records = [f"{runs}\\{e['path']}" for e in values[listed + 1]["entries"]
                                if not e["dir"]] if runs else []
        self.project = catalog.target(self.params["project"])
        self.projects = catalog.closure(self.project.name)
        self.fingerprint = catalog.set_fingerprint(self.projects)
        self.marker_path = catalog.marker_path(self.project)
        return {"project": self.project.name, "projects": self.projects,
                "fingerprint": self.fingerprint, "compiled": False, "success": None,
                "error_count": 0, "warning_count": 0, "messages": [], "outcome_source": None,
                "duration": 0.0}

    @property
    def sidecar(self) -> str:
        return f"{self.install.ini_path}{SIDECAR_SUFFIX}"  # as read_install's guess names it

    @property
    def record(self) -> str | None:
        """The compile batch's record on the host (None where [CtEdit]Data is not set)."""
        return self.install.records_path(RUNS_FOLDER, f"{self.run_id}.json")

    @property
    def hook_file(self) -> str:
        """Where the hook commands write: a folder below ProgramData that only SYSTEM and
        Administrators open (the compiler runs as the connecting account, an administrator)."""
        folder = str(self.install.host_facts.get("program_data") or "")
        path = ntpath.join(folder, "scada.redundancy", f"compile-{self.run_id}.txt")
        if not folder or _UNSAFE_IN_HOOK & set(path):
            raise OperationFailed(STEP, f"the compile hook cannot write to '{path}': the compiler "
                                        f"and cmd.exe would read characters of that path",
                                  "unsupported")
        return path

    # -- compiling -------------------------------------------------------------------------
    def compile(self) -> dict[str, t.Any]:
        """Hook, compile, put back, read the outcome, record it (batches 3 and 4)."""
        self._plan_hooks()
        try:
            answer = self.action.batch(STEP, self._compile_calls(), tolerate=("changed",),
                                       record=self.record)
        except OperationFailed:
            self._put_hooks_back()
            raise
        return self._finish(answer.values)

    def _plan_hooks(self) -> None:
        """citect.ini as it was (a killed run's hooks put back from its sidecar), and hooked."""
        ini = IniDocument(self.install.ini_bytes, self.install.ansi)
        if self.leftover["exists"]:
            self.saved = json.loads(base64.b64decode(self.leftover["base64"]))
            for key in HOOK_KEYS:
                ini.restore_line(CTEDIT, key, self.saved.get(key))
        else:
            self.saved = {key: ini.saved_line(CTEDIT, key) for key in HOOK_KEYS}
        self.original = ini.to_bytes()
        target = self.hook_file
        ini.set(CTEDIT, SUCCESS_KEY, f'cmd.exe /d /c >"{target}" echo ok %CtEnvErrors% %CtEnvWarnings%')
        ini.set(CTEDIT, FAILURE_KEY, f'cmd.exe /d /c >"{target}" echo failed %CtEnvErrors%')
        self.hooked = ini.to_bytes()

    def _compile_calls(self) -> list[VerbCall]:
        messages = self.params["messages_file"]
        return [
            verbs.dir_create_private(ntpath.dirname(self.hook_file)),
            verbs.file_write_atomic(self.sidecar, _b64(json.dumps(self.saved).encode("utf-8"))),
            verbs.file_write_atomic(self.install.ini_path, _b64(self.hooked),
                                    expect_sha256=self.install.ini_sha256),
            verbs.gb_compile(self.project.name, self.params["timeout"]),
            verbs.file_wait(self.hook_file, self.params["hook_wait"]),
            verbs.tree_list(self.project.path, depth=1 + messages.count("\\"),
                            read=(ntpath.basename(messages),), max_read=_MESSAGES_MAX_BYTES),
            verbs.file_write_atomic(self.install.ini_path, _b64(self.original),
                                    expect_sha256=hashlib.sha256(self.hooked).hexdigest()),
            verbs.path_remove(self.sidecar),
            verbs.path_remove(self.hook_file),
            *([verbs.file_write_atomic(self.marker_path, self._marker())] if self.marker_path else []),
            *[verbs.path_remove(path) for path in self.earlier_records],
        ]

    def _put_hooks_back(self) -> None:
        """After a failed or changed batch: the saved hook lines into citect.ini as it is now,
        then the sidecar and the hook file removed. Failing here leaves the sidecar, which the
        next run repairs from."""
        ini_file = self.action.verbs(STEP, [verbs.file_read(self.install.ini_path)])[0]
        calls = [verbs.path_remove(self.sidecar), verbs.path_remove(self.hook_file)]
        if ini_file["exists"]:
            data = base64.b64decode(ini_file["base64"])
            ini = IniDocument(data, self.install.ansi)
            for key in HOOK_KEYS:
                ini.restore_line(CTEDIT, key, self.saved.get(key))
            calls.insert(0, verbs.file_write_atomic(self.install.ini_path, _b64(ini.to_bytes()),
                                                    expect_sha256=hashlib.sha256(data).hexdigest()))
        self.action.verbs(STEP, calls)

    def _finish(self, values: list[t.Any]) -> dict[str, t.Any]:
        failed = first_failure(values)
        if failed is not None:  # citect.ini was edited since it was read
            self._put_hooks_back()
            if failed != _RESTORE:  # before the compile: nothing was compiled
                raise OperationFailed(STEP, values[failed].msg, values[failed].category)
        compiled = values[_COMPILE]
        files = {str(e["path"]): e for e in values[_FOLDER]["entries"] if not e["dir"]}
        messages, fresh = self._messages(files, compiled["started"])
        errors = sum(1 for m in messages if m["Type"] != "WARNING")
        warnings = len(messages) - errors
        result = {"project": self.project.name, "projects": self.projects,
                  "fingerprint": self.fingerprint, "compiled": True, "messages": messages,
                  "duration": compiled["seconds"]}
        hook = _hook_answer(values[_HOOK])
        if hook is not None:
            kind, hook_errors, hook_warnings = hook
            result.update(outcome_source="hook", error_count=max(hook_errors, errors),
                          warning_count=max(hook_warnings, warnings))
            result["success"] = kind == "ok" and result["error_count"] == 0
        elif fresh:
            result.update(outcome_source="messages", error_count=errors, warning_count=warnings,
                          success=errors == 0)
        else:
            raise OperationFailed(STEP, f"the compile of {self.project.name} ran, but neither the "
                                        f"compile hook nor '{self.project.path}\\"
                                        f"{self.params['messages_file']}' reported its outcome",
                                  "compile_unknown")
        written = len(values) > _MARKER and isinstance(values[_MARKER], dict)
        self._record(result["success"], written)
        return result

    def _messages(self, files: t.Mapping[str, t.Mapping[str, t.Any]],
                  started: str) -> tuple[list[dict[str, t.Any]], bool]:
        """The compile's messages, and whether the file was written by this compile."""
        wanted = self.params["messages_file"].lower()
        entry = next((e for path, e in files.items() if path.lower() == wanted), None)
        if entry is None or not entry["base64"] \
                or instant(entry["modified"]) < instant(started) - _FRESH_SLACK:
            return [], False
        return parse_messages(base64.b64decode(entry["base64"]), self.install.ansi), True

    def _marker(self) -> str:
        """The marker's content (base64): what was compiled; its write time is when."""
        return _b64(json.dumps({"project": self.project.name, "set_fingerprint": self.fingerprint,
                                "projects": self.projects}).encode("utf-8"))

    def _record(self, success: bool, written: bool) -> None:
        """The marker po_info reads: written by the compile batch; written here when that batch
        stopped before it (citect.ini edited meanwhile), removed when the compile failed."""
        if not self.marker_path or (success and written):
            return
        self.action.verbs(STEP, [verbs.file_write_atomic(self.marker_path, self._marker()) if success
                                 else verbs.path_remove(self.marker_path)])

    # -- after a lost connection -----------------------------------------------------------
    def learn(self, wait: float) -> tuple[str, dict[str, t.Any] | None]:
        """What became of the compile batch: ('done', result) when it answered (its answer
        is taken as the batch's own), ('running', None) while its PowerShell still runs
        (after waiting up to ``wait`` seconds on the host for a change), ('abandoned', None)
        when that PowerShell was ended before it answered, ('unknown', None) when the batch
        never started."""
        if not self.record:
            raise OperationFailed(STEP, "the connection was lost during the compile and "
                                        "[CtEdit]Data is not set, so no record tells its "
                                        "outcome; run again", "unreachable")
        state = record_state(self.action.verbs(STEP, [verbs.file_read(self.record)])[0])
        if state.state == "running":
            calls = [verbs.file_read(self.record), verbs.process_get(state.pid)]
            answer = self.action.batch(STEP, calls)
            if _alive(state, answer.values[1]) and record_state(answer.values[0]).state == "running":
                answer = self.action.batch(STEP, calls, repeat=Repeat(answer.digest, wait, 0.5))
            now = record_state(answer.values[0])
            if now.state == "running":
                return ("running" if _alive(state, answer.values[1]) else "abandoned"), None
            state = now
        if state.answer is None:
            return "unknown", None
        try:
            values = answer_of(STEP, len(self._compile_calls()), state.answer,
                               tolerate=("changed",)).values
        except OperationFailed:
            self._put_hooks_back()
            raise
        return "done", self._finish(values)


def _reading_calls(install: Install, params: t.Mapping[str, t.Any]) -> list[VerbCall]:
    """The projects (hashed), a leftover sidecar, and the records earlier compiles left."""
    runs = install.records_path(RUNS_FOLDER)
    return (listing_calls(install, STEP, params["project_source"], hashed=True)
            + [verbs.file_read(f"{install.ini_path}{SIDECAR_SUFFIX}")]
            + ([verbs.tree_list(runs)] if runs else []))


def parse_messages(data: bytes, ansi: str) -> list[dict[str, t.Any]]:
    """Messages from a dBASE error table (fields TYPE..CONTEXT) or from text lines
    'Type | Record | Name | Field | Table | Error | Context'; other lines are left out."""
    if _dbf.layout(data) is not None:
        rows = [[row.get(field, "") for field in MESSAGE_FIELDS] for row in _dbf.records(data, ansi)]
    else:
        rows = [[v.strip() for v in line.split(" | ", 6)] for line in text_lines(data, ansi)]
    return [_message(values) for values in rows
            if len(values) == len(MESSAGE_FIELDS) and values[0].strip().upper() in MESSAGE_TYPES]


def _message(values: list[str]) -> dict[str, t.Any]:
    kind, record, name, field, table, error, context = values
    number = record.strip()
    return {"Type": kind.strip().upper(),
            "Record": int(number) if number.lstrip("-").isdigit() else 0,
            "Name": name, "Field": field, "Table": table, "Error": error, "Context": context}


def _hook_answer(value: t.Mapping[str, t.Any]) -> tuple[str, int, int] | None:
    if not value["exists"]:
        return None
    match = _HOOK_ANSWER.search(base64.b64decode(value["base64"]).decode("ascii", "replace"))
    if match is None:
        return None
    return match.group(1), int(match.group(2)), int(match.group(3) or 0)


def _alive(state: RecordState, process: t.Mapping[str, t.Any]) -> bool:
    """Whether the process that wrote 'running' still runs: the same id and start time (an id
    Windows gave to another process, or whose start time it will not tell, is not it)."""
    return bool(process["exists"]) and process["started"] == state.started


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
