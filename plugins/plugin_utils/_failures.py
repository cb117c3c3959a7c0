# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a module's step fails: the two exceptions every decision module raises and the action
base (``_action.OperationAction``) turns into a task result that names the host, the step
and the cause."""

from __future__ import annotations

import re


class OperationFailed(Exception):
    """A step failed: a verb reported a failure, or the controller found the host's answer
    wrong; ``category`` is the machine-readable cause (docs/agent-verbs.md)."""

    def __init__(self, step: str, msg: str, category: str = "error",
                 rc: int | None = None, stderr: str = "", details: dict | None = None) -> None:
        super().__init__(msg)
        self.step = step
        self.msg = msg
        self.category = category
        self.rc = rc
        self.stderr = stderr
        self.details = details or {}


class OperationUnreachable(Exception):
    """The connection to the host failed before or while a step ran."""


#: How a host that does not answer fails, from what the client library said: the state and
#: what it means on a plant network.
_SILENCES = (
    ("slow", re.compile(r"OperationTimeout", re.I),
     "the host answered that the operation did not finish within the operation timeout"),
    ("refused", re.compile(r"refused", re.I),
     "connection refused: nothing listens on its WinRM port (the server is off or restarting, "
     "or WinRM is stopped)"),
    ("no answer", re.compile(r"timed out|timeout", re.I),
     "no answer before the client's timeout: its packets are dropped (the server is booting, "
     "cut off by the network, or a firewall drops them)"),
    ("reset", re.compile(r"reset by peer|RemoteDisconnected|without response|aborted|"
                         r"Connection broken", re.I),
     "the connection was cut: the server went away during the request"),
)


#: The states of :func:`silence` in which the host did not answer at all ('slow' did).
SILENT = tuple(silent[0] for silent in _SILENCES if silent[0] != "slow") + ("unreachable",)


def silence(message: str) -> tuple[str, str]:
    """How a connection failed, from its message: ('slow' | 'refused' | 'no answer' | 'reset'
    | 'unreachable', what that means); 'slow' is a host that answered."""
    for state, pattern, meaning in _SILENCES:
        if pattern.search(message):
            return state, meaning
    return "unreachable", "the connection failed"
