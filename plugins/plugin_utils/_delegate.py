# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A connection to another inventory host, from inside an action plugin.

archive_copy runs on the destination server and reads from the source server in the same
task. It opens the source's connection the way ansible-core's TaskExecutor does for
``delegate_to`` (``_get_connection`` and ``_set_connection_options``): the connection plugin
named by the source's ``ansible_connection``, loaded through the shared connection loader
with a copy of the task's play context, and given the source host's own variables for every
option the plugin declares (address, port, user, password, transport, ``ansible_winrm_*``
extras). The variables come from ``hostvars[<source>]``, which templates each value in that
host's context. Values are handed to the plugin only: nothing here logs or returns them.
"""

from __future__ import annotations

import contextlib
import typing as t

from ansible import constants as C
from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import RunVerbs, VerbCall, run_verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import (
    OperationFailed,
    OperationUnreachable,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._transfer import TransferError

_ALLOWED = ("winrm", "ansible.builtin.winrm", "psrp", "ansible.builtin.psrp")


@contextlib.contextmanager
def host_connection(action: t.Any, host: str, task_vars: dict[str, t.Any]) -> t.Iterator[t.Any]:
    """A connected-on-demand connection plugin for inventory host ``host``; closed on exit."""
    hostvars = task_vars.get("hostvars") or {}
    if host not in hostvars:
        raise AnsibleActionFail(f"source_host {host!r} is not a host of the inventory")
    variables = hostvars[host]
    current = action._connection
    kind = _value(variables, "ansible_connection") or getattr(current, "_load_name", None)
    if kind not in _ALLOWED:
        raise AnsibleActionFail(f"source_host {host!r} uses the connection {kind!r}; "
                                f"archive_copy needs winrm or psrp")
    play_context = action._play_context.copy()
    play_context.remote_addr = _value(variables, "ansible_host") or host
    connection = action._shared_loader_obj.connection_loader.get(
        kind, play_context, task_uuid=getattr(action._task, "_uuid", None))
    if connection is None:
        raise AnsibleActionFail(f"the connection plugin {kind!r} was not found")
    connection.set_options(task_keys={"timeout": play_context.timeout},
                           var_options=_options(connection, variables, host))
    if hasattr(connection, "set_become_plugin"):
        connection.set_become_plugin(None)
    try:
        yield connection
    finally:
        connection.close()


def _options(connection: t.Any, variables: t.Mapping[str, t.Any], host: str) -> dict[str, t.Any]:
    """The plugin's options from the host's variables (ConnectionBase._resolve_option_variables)."""
    options: dict[str, t.Any] = {"_extras": {}}
    for name in C.config.get_plugin_vars("connection", connection._load_name):
        if name in variables:
            options[name] = variables[name]
    options.setdefault("inventory_hostname", host)
    if getattr(connection, "allow_extras", False):
        prefix = f"ansible_{connection.extras_prefix}_"
        for name in variables:
            if name.startswith(prefix) and name not in options:
                options["_extras"][name] = variables[name]
    return options


def _value(variables: t.Mapping[str, t.Any], name: str) -> t.Any:
    return variables[name] if name in variables else None


def source_verbs(connection: t.Any, host: str, display: t.Any = None) -> RunVerbs:
    """Run batches of agent verbs on the other host; its failures name it, and never mark
    this task's own host unreachable."""

    def run(step: str, calls: t.Sequence[VerbCall], tolerate: t.Collection[str] = ()) -> list[t.Any]:
        try:
            return run_verbs(connection, step, calls, display=display, tolerate=tolerate)
        except OperationUnreachable as exc:
            raise TransferError(f"source host {host} is unreachable: {exc}", "source_unreachable") from None
        except OperationFailed as exc:
            raise OperationFailed(f"{exc.step} on source host {host}", exc.msg, exc.category,
                                  exc.rc, exc.stderr, exc.details) from None

    return run
