# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared shape of every scada.redundancy action plugin.

A plugin declares its ``argument_spec`` and implements ``execute``; this base validates the
arguments, runs batches of agent verbs on the task's host, turns a step's failure into a task
failure that names the host, the step and the cause, and connection failures into
``unreachable`` results. Nothing escapes as a traceback.
"""

from __future__ import annotations

import re
import typing as t

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import (
    Answer,
    Repeat,
    VerbCall,
    run_batch,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._progress import Progress
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import (
    OperationFailed,
    OperationUnreachable,
    silence,
)

display = Display()
#: How ansible-core's winrm ("the specified credentials were rejected by the server") and
#: psrp (pypsrp's AuthenticationError, HTTP 401) connections report refused credentials.
_AUTH_REFUSED = re.compile(r"credentials were rejected|failed to authenticate|\b401\b|unauthorized", re.I)


class OperationAction(ActionBase):
    """Base class: subclasses set ``argument_spec`` and implement ``execute``."""

    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    argument_spec: dict[str, dict[str, t.Any]] = {}
    #: The task's progress lines (``begin`` a long wait, report its ``state``), set by ``run``.
    progress: Progress
    #: Extra validation rules accepted by ``validate_argument_spec`` (mutually_exclusive, ...).
    argument_rules: dict[str, t.Any] = {}

    def run(self, tmp: t.Any = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        _check_option_shapes(self.argument_spec, self._task.args)
        dummy, args = self.validate_argument_spec(argument_spec=self.argument_spec,
                                                  **self.argument_rules)
        host = task_vars.get("inventory_hostname", self._connection._play_context.remote_addr)
        self.host_name = host  # what _install_memory keys this run's guesses by
        try:
            with Progress(host, self._task.get_name() or self._task.action, display.display,
                          display.v) as self.progress:
                result.update(self.execute(args, task_vars))
        except OperationUnreachable as exc:
            result.update(unreachable=True, changed=False, msg=f"{host}: {self._unreachable(exc)}")
        except OperationFailed as exc:
            result.update(failed=True, changed=False, category=exc.category,
                          msg=f"{host}: {exc.step} failed: {exc.msg}", **exc.details)
        result.setdefault("changed", False)
        return result

    def _unreachable(self, exc: OperationUnreachable) -> str:
        """Why the host could not be used: refused credentials said as such, with the transport
        and the account (ansible-core's winrm and psrp connections word a 401 so)."""
        if not _AUTH_REFUSED.search(str(exc)):
            return f"cannot reach the host ({silence(str(exc))[1]}): {exc}"
        transport = _option(self._connection, "transport") or _option(self._connection, "auth") or "default"
        if isinstance(transport, (list, tuple)):
            transport = ",".join(str(x) for x in transport)
        user = _option(self._connection, "remote_user") or "(no user)"
        return (f"authentication failed: the host refused {user} over {self._connection.transport} "
                f"({transport}); check ansible_user and ansible_password, and that the account may log "
                f"on through WinRM: {exc}")

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        """Do the plugin's work; return the result keys documented in its RETURN block."""
        raise NotImplementedError

    def verbs(self, step: str, calls: t.Sequence[VerbCall], tolerate: t.Collection[str] = ()) -> list[t.Any]:
        """Run a batch of agent verbs on this task's host (one PowerShell); their values (a
        failure in a ``tolerate`` category comes back as a VerbError in its place)."""
        return self.batch(step, calls, tolerate=tolerate).values

    def batch(self, step: str, calls: t.Sequence[VerbCall], repeat: Repeat | None = None,
              tolerate: t.Collection[str] = (), record: str | None = None) -> Answer:
        """Run a batch of agent verbs, repeated on the host as ``repeat`` says (a long poll),
        its state and answer kept in the host file ``record`` when given."""
        return run_batch(self._connection, step, calls, repeat=repeat, display=display,
                         tolerate=tolerate, record=record)


def _check_option_shapes(spec: dict[str, dict[str, t.Any]], given: t.Mapping[str, t.Any]) -> None:
    """Refuse a value that is no dictionary for an option with sub-options, naming the option.

    ansible-core's validator iterates such a value before it reports the wrong type, and an
    integer there ends the task in "argument of type 'int' is not iterable".
    """
    for name, option in spec.items():
        value = given.get(name)
        if option.get("options") and option.get("type") == "dict" and value is not None \
                and not isinstance(value, (dict, str)):
            kind = next(c.__name__ for c in type(value).__mro__ if c.__module__ == "builtins")  # not ansible's tagged type
            raise AnsibleActionFail(f"{name} must be a dictionary of its sub-options, not {kind}")


def _option(connection: t.Any, name: str) -> t.Any:
    """A connection option, or None where the plugin has no such option."""
    try:
        return connection.get_option(name)
    except (KeyError, AttributeError, AnsibleError):
        return None
