# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The consistency audit's filters: the judgement (``_audit``), its console lines and its page."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError

from ansible_collections.scada.redundancy.plugins.plugin_utils import _audit, _audit_html


def audit_findings(servers: t.Any, galaxies: t.Any = (), options: t.Any = None) -> dict[str, t.Any]:
    """``servers`` lists each Power Operation server's reads (naming its ``pair``);
    ``galaxies`` each galaxy's reads."""
    if not isinstance(servers, (list, tuple)) or not all(isinstance(s, t.Mapping) for s in servers):
        raise AnsibleFilterError("audit_findings: the input must list each server's reads")
    if not isinstance(galaxies, (list, tuple)):
        raise AnsibleFilterError("audit_findings: galaxies must be a list")
    try:
        return _audit.audit(servers, galaxies, dict(options or {}))
    except (KeyError, TypeError, AttributeError) as exc:
        raise AnsibleFilterError(f"audit_findings: the reads are not as the consistency_audit role "
                                 f"registers them ({type(exc).__name__}: {exc})") from None


def audit_table(report: t.Mapping[str, t.Any]) -> list[str]:
    return _audit.table(report)


def audit_html(report: t.Mapping[str, t.Any], when: str = "") -> str:
    return _audit_html.render(report, when)


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {"audit_findings": audit_findings, "audit_table": audit_table, "audit_html": audit_html}
