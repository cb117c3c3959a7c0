# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The readiness playbook's console table, in Python rather than in Jinja."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError

_MARKS = {"pass": "ok  ", "warn": "WARN", "fail": "FAIL", "not checked": "????"}


def readiness_table(readiness: t.Mapping[str, t.Any]) -> list[str]:
    """One line per check of a site_readiness result, the checks that need work first:
    verdict, check, what was found, what is expected and what to do."""
    try:
        checks = list(readiness["checks"])
    except (KeyError, TypeError) as exc:
        raise AnsibleFilterError(f"readiness_table needs site_readiness's 'readiness' result: {exc}") from None
    order = {"fail": 0, "not checked": 1, "warn": 2, "pass": 3}
    width = max((len(c["name"]) for c in checks), default=0)
    lines = []
    for check in sorted(checks, key=lambda c: order.get(c["verdict"], 0)):
        line = f"{_MARKS.get(check['verdict'], check['verdict'])}  {check['name']:<{width}}  {check['found']}"
        if check["verdict"] != "pass":
            line += f"  | expected: {check['expected']}"
        if check.get("todo"):
            line += f"  | to do: {check['todo']}"
        lines.append(line)
    return lines


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {"readiness_table": readiness_table}
