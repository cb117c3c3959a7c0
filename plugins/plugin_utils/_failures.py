# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a module's step fails: the two exceptions every decision module raises and the action
base (``_action.OperationAction``) turns into a task result that names the host, the step
and the cause."""

from __future__ import annotations


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
