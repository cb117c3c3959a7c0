# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.po_setup: the citect.ini keys the Setup Wizard writes.

The wizard itself has no silent mode. [CtEdit]Run is set to the folder of the named project
(the project the next runtime start loads); any other key is set (or, with a null value,
removed) as given. Every other line of citect.ini stays as it is; the file keeps its encoding,
and is written only over the content that was read (a concurrent edit fails the task).
"""

from __future__ import annotations

import base64
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._install_memory import read_install
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_install import CTEDIT
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_projects import (
    Catalog,
    listing_calls,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._power_operation import (
    PROJECT_SOURCES,
    check_project_name,
)


class ActionModule(OperationAction):
    argument_spec = {
        "run_project": {"type": "str"},
        "settings": {"type": "dict", "default": {}},
        "project_source": {"type": "str", "choices": list(PROJECT_SOURCES), "default": "folders"},
    }

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        run_project = args["run_project"]
        if run_project is not None:
            check_project_name(run_project, "run_project")
        settings = _settings(args["settings"])
        if not run_project and not settings:
            raise AnsibleActionFail("give run_project, settings or both: there is nothing to set")
        if run_project and any(s["section"].lower() == "ctedit" and s["key"].lower() == "run"
                               for s in settings):
            raise AnsibleActionFail("set [CtEdit]Run with run_project, not in settings")
        answer = edit_citect_ini(self, run_project or "", settings, args["project_source"],
                                 check=bool(self._task.check_mode))
        result = {k: answer[k] for k in ("changed", "ini_path", "run_project", "run_path",
                                         "changes")}
        if self._task.diff and answer["changes"]:
            result["diff"] = _diff(answer["ini_path"], answer["changes"])
        return result


STEP = "po_setup"


def edit_citect_ini(action: t.Any, run_project: str, settings: list[dict[str, t.Any]],
                    source: str, check: bool) -> dict[str, t.Any]:
    """Read citect.ini (and, for run_project, the projects), edit it here, write it back."""
    read = read_install(action, STEP, lambda seen, dummy: listing_calls(seen, STEP, source, hashed=False)
                        if run_project else [])
    install = read.required(STEP)
    wanted = list(settings)
    found = None
    if run_project:
        found = Catalog(install, STEP, source, read.more).resolve(run_project)
        wanted.insert(0, {"section": CTEDIT, "key": "Run", "value": found.path})
    ini = install.ini
    for setting in settings:
        text = "".join(str(setting[k] or "") for k in ("section", "key", "value"))
        if not ini.holds(text):
            raise OperationFailed(STEP, f"settings.{setting['section']}.{setting['key']} cannot be "
                                        f"written to {install.ini_path}: the file is in {ini.codec}, "
                                        f"which cannot hold every character of it", "invalid_parameter")
    changes = []
    for setting in wanted:
        section, key, value = setting["section"], setting["key"], setting["value"]
        before = ini.line_text(section, key)
        if ini.remove(section, key) if value is None else ini.set(section, key, value):
            changes.append({"section": section, "key": key, "before": before,
                            "after": ini.line_text(section, key)})
    if changes and not check:
        action.verbs(STEP, [verbs.file_write_atomic(
            install.ini_path, base64.b64encode(ini.to_bytes()).decode("ascii"),
            expect_sha256=install.ini_sha256)])
    return {"changed": bool(changes), "ini_path": install.ini_path,
            "run_project": found.name if found else None,
            "run_path": ini.get(CTEDIT, "Run"), "changes": changes}


def _settings(data: t.Mapping[str, t.Any]) -> list[dict[str, t.Any]]:
    """{section: {key: value}} as a list of {section, key, value}; checked so that no value
    can add or break a line of the ini file, and each reads back as written (idempotency)."""
    settings = []
    for section, keys in data.items():
        if not isinstance(keys, t.Mapping):
            raise AnsibleActionFail(f"settings.{section} must be a mapping of keys to values")
        _check_text(str(section), f"settings section {section!r}", "[]", "")
        for key, value in keys.items():
            _check_text(str(key), f"settings key {section}.{key}", "=", ";#[")
            if isinstance(value, bool) or not isinstance(value, (str, int, float, type(None))):
                raise AnsibleActionFail(f"settings.{section}.{key} must be a string, a number or "
                                        f"null (null removes the key); quote 1 and 0")
            if value is not None:
                value = str(value)
                _check_text(value, f"settings.{section}.{key}", "", "", empty_ok=True)
            settings.append({"section": str(section), "key": str(key), "value": value})
    return settings


def _check_text(text: str, what: str, anywhere: str, first: str, empty_ok: bool = False) -> None:
    """Refuse line breaks, NUL, surrounding spaces (the reader trims them), characters that
    change a line's meaning anywhere in it or at its start, and (unless allowed) emptiness."""
    bad = (any(c in text for c in "\r\n\0" + anywhere) or text != text.strip()
           or (text[:1] and text[0] in first) or (not text and not empty_ok))
    if bad:
        also = "".join(f", no {c!r}" for c in anywhere) + "".join(f", no {c!r} first" for c in first)
        raise AnsibleActionFail(f"{what} cannot be written to citect.ini: one line, no surrounding "
                                f"spaces{also}{'' if empty_ok else ', not empty'}")


def _diff(ini_path: str, changes: list[dict[str, t.Any]]) -> dict[str, str]:
    """The changed lines, grouped under their section headers, before and after."""
    before: list[str] = []
    after: list[str] = []
    for section in dict.fromkeys(c["section"] for c in changes):
        lines = [c for c in changes if c["section"] == section]
        before += [f"[{section}]"] + [c["before"] for c in lines if c["before"] is not None]
        after += [f"[{section}]"] + [c["after"] for c in lines if c["after"] is not None]
    return {"before_header": ini_path, "after_header": ini_path,
            "before": "\n".join(before) + "\n", "after": "\n".join(after) + "\n"}
