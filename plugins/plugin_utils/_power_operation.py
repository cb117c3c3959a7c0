# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Power Operation facts for action plugins: one ``po_info`` call, and the checks every
Power Operation module makes on the controller before anything reaches a host.

:func:`read_install` is what other plugins use to learn the install, the projects and the
redundancy role of their host (see the ``po_info`` module's RETURN for the keys).
"""

from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils import _po_runtime_state as state
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_facts import read_po_info
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_projects import SOURCES
from ansible_collections.scada.redundancy.plugins.plugin_utils._runtime import (
    DEFAULT_PROCESSES,
    DEFAULT_SERVICE_PATTERNS,
)

#: One list for every module that looks for the runtime service or its processes.
DEFAULT_RUNTIME_SERVICE_PATTERNS = DEFAULT_SERVICE_PATTERNS
#: Runtime Manager process names po_info can read (server processes through ServerInfoEx).
KNOWN_PROCESSES = DEFAULT_PROCESSES
PROJECT_SOURCES = SOURCES
MAX_TIMEOUT = 86400

_BAD_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')

#: The options of every module that talks to the runtime through CtAPI.
CTAPI_OPTIONS: dict[str, dict[str, t.Any]] = {
    "ctapi_dll": {"type": "str"},
    "ctapi_powershell": {"type": "str"},
    "ctapi_user": {"type": "str"},
    "ctapi_password": {"type": "str", "no_log": True},
    "ctapi_timeout": {"type": "int", "default": 60},
    "redundancy_component": {"type": "str", "default": "Alarm",
                             "choices": list(state.ROLE_COMPONENTS)},
    "cluster": {"type": "str"},
}

#: Defaults of the po_info operation's parameters (the module's option defaults).
PO_INFO_DEFAULTS: dict[str, t.Any] = {
    "projects": [],
    "fingerprints": False,
    "project_source": "folders",
    "runtime_service_pattern": list(DEFAULT_RUNTIME_SERVICE_PATTERNS),
    "processes": list(KNOWN_PROCESSES),
    "ctapi": True,
    "ctapi_dll": "",
    "ctapi_powershell": "",
    "ctapi_user": "",
    "ctapi_password": "",
    "ctapi_timeout": 60,
    "redundancy_component": "Alarm",
    "cluster": "",
}


def check_project_name(name: str, option: str) -> str:
    """A project name that can be a folder name: no separators, wildcards or control characters."""
    if not isinstance(name, str) or not name or len(name) > 128:
        raise AnsibleActionFail(f"{option} must be a project name of 1 to 128 characters")
    if _BAD_NAME_CHARS.search(name) or name != name.strip() or name.endswith(".") \
            or name in (".", ".."):
        raise AnsibleActionFail(
            f"{option} {name!r} is not a project name: it cannot hold \\ / : * ? \" < > |, "
            f"control characters, or start or end with a space or end with a dot")
    return name


def check_cicode_name(value: str, option: str) -> str:
    """A value that stands between quotes in a Cicode call: letters, digits, underscores."""
    if value and not state.CICODE_NAME.match(value):
        raise AnsibleActionFail(f"{option} must be letters, digits and underscores only "
                                f"(it is passed to Cicode), not {value!r}")
    return value


def check_timeout(value: int, option: str, minimum: int = 1) -> int:
    if not minimum <= value <= MAX_TIMEOUT:
        raise AnsibleActionFail(f"{option} must be between {minimum} and {MAX_TIMEOUT} seconds")
    return value


def po_info_params(args: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The po_info operation's parameters from module arguments, checked; None -> default."""
    params = dict(PO_INFO_DEFAULTS)
    params.update({k: v for k, v in args.items() if k in params and v is not None})
    for name in params["projects"]:
        check_project_name(name, "projects")
    if params["project_source"] not in PROJECT_SOURCES:
        raise AnsibleActionFail(f"project_source must be one of {', '.join(PROJECT_SOURCES)}")
    unknown = [p for p in params["processes"] if p not in KNOWN_PROCESSES]
    if unknown:
        raise AnsibleActionFail(f"processes: no way to read the state of {', '.join(unknown)}; "
                                f"known: {', '.join(KNOWN_PROCESSES)}")
    if not params["runtime_service_pattern"]:
        raise AnsibleActionFail("runtime_service_pattern needs at least one pattern")
    if params["redundancy_component"] not in state.ROLE_COMPONENTS:
        raise AnsibleActionFail(
            f"redundancy_component must be one of {', '.join(state.ROLE_COMPONENTS)}, not "
            f"{params['redundancy_component']!r}: only for those servers is ServerInfoEx type 0 "
            f"the active flag (Plant SCADA Cicode reference, ServerInfoEx); I/O servers have no "
            f"primary or standby")
    check_cicode_name(params["cluster"], "cluster")
    check_timeout(params["ctapi_timeout"], "ctapi_timeout")
    return params


def read_install(action: t.Any, fingerprints: bool = False, projects: t.Iterable[str] = (),
                 ctapi: bool = False, **options: t.Any) -> dict[str, t.Any]:
    """Run po_info on the action's host and return its document.

    ``action`` is an :class:`._action.OperationAction`; ``projects`` limits the report to
    those projects (all when empty); ``ctapi`` asks the runtime for process states and the
    redundancy role (slower: it starts a CtAPI helper on the host); ``options`` are further
    po_info options (``project_source``, ``runtime_service_pattern``, ``ctapi_*``, ...).
    Failures raise the operation errors :class:`._action.OperationAction` turns into task
    results.
    """
    args = {**options, "fingerprints": fingerprints, "projects": list(projects), "ctapi": ctapi}
    return read_po_info(action, po_info_params(args))
