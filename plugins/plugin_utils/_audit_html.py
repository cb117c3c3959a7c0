# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The consistency audit as one HTML page in the run report's style: the verdict, the
findings with what to do, each pair's servers side by side and each galaxy's state. Inline
CSS, nothing fetched, no script, every value escaped. Reads only :func:`._audit.audit`'s result."""

from __future__ import annotations

import json
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils._report_html import STYLE, _badge
from ansible_collections.scada.redundancy.plugins.plugin_utils._report_svg import esc

_SEVERITY = {"error": "bad", "warning": "chg"}


def _value(value: t.Any) -> str:
    if value is None:
        return '<span class="note">-</span>'
    if isinstance(value, t.Mapping):
        return "<br>".join(f'<span class="mono">{esc(k)}</span> {esc(v)}' for k, v in value.items()) or "-"
    return esc(value if isinstance(value, str) else json.dumps(value))


def _findings(report: t.Mapping[str, t.Any]) -> str:
    if not report["findings"]:
        return '<p class="note">No finding: every pair and galaxy is as the procedures expect.</p>'
    rows = "".join(
        f'<tr class="finding {esc(f["kind"])}"><td>{_badge(f["severity"], _SEVERITY.get(f["severity"], "neutral"))}</td>'
        f'<td>{esc(f["scope"])}</td><td class="host">{esc(f["subject"])}</td><td>{esc(f["finding"])}</td>'
        f'<td>{esc(f["action"])}</td></tr>' for f in report["findings"])
    return ('<div class="panel"><table><thead><tr><th>severity</th><th>pair or galaxy</th><th>where</th>'
            f'<th>finding</th><th>what to do</th></tr></thead><tbody>{rows}</tbody></table></div>')


def _pair(pair: t.Mapping[str, t.Any]) -> str:
    servers = pair["servers"]
    head = "".join(f"<th>{esc(s)}</th>" for s in servers)
    rows = "".join(f'<tr><td>{esc(aspect)}</td>' + "".join(f"<td>{_value(values.get(s))}</td>" for s in servers)
                   + "</tr>" for aspect, values in pair["rows"].items())
    return (f'<div class="panel"><h3>{esc(pair["pair"])}</h3><table><thead><tr><th>aspect</th>{head}</tr></thead>'
            f'<tbody>{rows}</tbody></table></div>')


def _galaxy(galaxy: t.Mapping[str, t.Any]) -> str:
    nodes = "".join(f"<tr><td>node {esc(h)}</td><td>{esc(v)}</td></tr>" for h, v in sorted(galaxy["nodes"].items()))
    platforms = "".join(
        f'<tr><td>platform {esc(p["name"])}</td><td>{esc(p["deployment_status"])}'
        f'{" (Software Upgrade Pending)" if p.get("software_upgrade_pending") else ""}</td></tr>'
        for p in galaxy["platforms"])
    engines = "".join(f"<tr><td>engine {esc(e)}</td><td>{esc(s)}</td></tr>" for e, s in sorted(galaxy["engines"].items()))
    return (f'<div class="panel"><h3>{esc(galaxy["galaxy"])} {esc(galaxy.get("version") or "")}</h3>'
            f'<table><tbody>{nodes}{platforms}{engines}</tbody></table></div>')


def render(report: t.Mapping[str, t.Any], when: str) -> str:
    """The whole page; ``when`` is the audit's UTC time."""
    counts = report["counts"]
    verdict = _badge("consistent" if not report["findings"] else
                     ("passed with warnings" if report["passed"] else "drift found"),
                     "ok" if not report["findings"] else ("chg" if report["passed"] else "bad"), "outcome")
    pairs = "".join(_pair(p) for p in report["pairs"]) or '<p class="note">No Power Operation pair.</p>'
    galaxies = "".join(_galaxy(g) for g in report["galaxies"]) or '<p class="note">No galaxy.</p>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Consistency audit {esc(when)}</title>
<style>{STYLE}</style></head>
<body>
<header><div class="wrap"><div><h1>Consistency audit</h1>
<div class="sub">{esc(when)} &middot; read only: nothing was changed</div></div>
<div>{verdict}</div></div></header>
<main>
<div class="cards"><div class="card"><div class="small">errors</div><div class="big">{counts['error']}</div></div>
<div class="card"><div class="small">warnings</div><div class="big">{counts['warning']}</div></div>
<div class="card"><div class="small">pairs and galaxies</div>
<div class="big">{len(report['pairs'])} / {len(report['galaxies'])}</div></div></div>
<h2>Findings</h2>
{_findings(report)}
<h2>Power Operation pairs, servers side by side</h2>
{pairs}
<h2>System Platform galaxies</h2>
{galaxies}
<footer>scada.redundancy consistency audit</footer>
</main></body></html>
"""
