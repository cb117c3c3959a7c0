# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run report as one HTML page for a change board: inline CSS and SVG, nothing fetched,
no script, every value escaped. Reads only the JSON report (see the run_report callback).
The page is a Jinja2 template (``templates/run_report.html.j2``, autoescaped) around the parts
built here; a site may supply its own template."""

from __future__ import annotations

import os
import typing as t

import jinja2
import markupsafe

from ansible_collections.scada.redundancy.plugins.plugin_utils._report_svg import (
    DEFINITIONS, clock, duration, esc, legend, timeline)

STYLE = """
*{box-sizing:border-box}
body{margin:0;background:#f1f5f9;color:#0f172a;font:14px/1.45 "DejaVu Sans","Segoe UI",Arial,sans-serif}
main{max-width:1220px;margin:0 auto;padding:24px 28px 40px}
header{background:#0f172a;color:#f8fafc;padding:22px 28px}
header .wrap{max-width:1164px;margin:0 auto;display:flex;justify-content:space-between;align-items:flex-end;gap:24px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:30px 0 10px;color:#0f172a}
h3{font-size:15px;margin:0 0 8px}
.sub{color:#cbd5e1;font-size:13px}
.badge{display:inline-block;padding:3px 10px;border-radius:999px;font-weight:700;font-size:13px}
.ok{background:#dcfce7;color:#14532d}.chg{background:#fef3c7;color:#78350f}.bad{background:#fee2e2;color:#7f1d1d}.neutral{background:#e2e8f0;color:#334155}
.outcome{font-size:16px;padding:6px 16px}
.cards{display:flex;flex-wrap:wrap;gap:14px;margin-top:20px}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:14px 18px;min-width:220px;flex:1}
.card .big{font-size:22px;font-weight:700}
.card .small{color:#475569;font-size:12.5px}
.panel{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:16px 18px;margin-bottom:16px;overflow-x:auto}
.timeline text{font-family:"DejaVu Sans","Segoe UI",Arial,sans-serif}
.timeline .member{font-size:13.5px;font-weight:700;fill:#0f172a}
.timeline .lane{font-size:12px;fill:#475569}
.timeline .seg-label{font-size:11px;font-weight:600}
.timeline .tick{font-size:11px;fill:#475569}
.timeline .track{fill:#f8fafc;stroke:#e2e8f0}
.timeline .grid{stroke:#e2e8f0;stroke-width:1}
.timeline .axis{stroke:#94a3b8}
.timeline .rule{stroke:#e2e8f0}
.timeline .band-title{fill:#14532d}
.read-mark{fill:#334155}
.defs{position:absolute}
.legend{display:flex;flex-direction:column;gap:4px;font-size:12.5px;color:#334155;margin-top:6px}
.legend-row b{display:inline-block;width:120px;color:#0f172a}
.swatch{display:inline-flex;align-items:center;gap:5px;margin-right:14px}
table{border-collapse:collapse;width:100%;font-size:13px}
th{background:#f8fafc;text-align:left;color:#334155;font-weight:700;border-bottom:2px solid #e2e8f0;padding:7px 8px}
td{border-bottom:1px solid #eef2f7;padding:6px 8px;vertical-align:top}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.host{white-space:nowrap}
code,.mono{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:12px}
.hash{word-break:break-all}
.gantt{position:relative;height:12px;min-width:240px;background:#f1f5f9;border-radius:3px}
.gantt span{position:absolute;top:0;height:12px;border-radius:3px;background:#3b82f6;min-width:2px}
.gantt span.failed{background:#dc2626}.gantt span.changed{background:#f59e0b}
.msg{color:#7f1d1d;font-size:12px;margin-top:3px}
.failures ul{margin:0;padding-left:20px}.failures li{margin:4px 0}.failures .msg{font-size:13px}
.note{color:#475569;font-size:12.5px}
footer{color:#64748b;font-size:12px;margin-top:30px}
"""


def _badge(text: str, kind: str, extra: str = "") -> str:
    return f'<span class="badge {kind} {extra}">{esc(text)}</span>'


def _availability_card(group: t.Mapping[str, t.Any]) -> str:
    band = group["availability"]
    failovers = band.get("failovers") or []
    observed = band["served_seconds"] + band["out_seconds"] + band["unknown_seconds"] + band.get("failover_seconds", 0)
    if band["out_seconds"] > 0:
        verdict = _badge(f"not served for {duration(band['out_seconds'])}", "bad")
    elif failovers:
        switches = ", ".join(f"{f['from']} to {f['to']}" for f in failovers)
        verdict = _badge(f"{len(failovers)} failover{'s' if len(failovers) > 1 else ''} ({switches}), within "
                         f"{duration(band['failover_seconds'])} not read", "neutral")
    elif band["served_seconds"] > 0 and band["unknown_seconds"] == 0:
        verdict = _badge("served throughout", "ok")
    else:
        verdict = _badge(f"served; {duration(band['unknown_seconds'])} not known", "neutral")
    kind = "AppEngine pair" if group["kind"] == "engines" else "pair"
    return (f'<div class="card availability" data-group="{esc(group["name"])}"><div class="small">{kind}</div>'
            f'<div class="big">{esc(group["name"])}</div>{verdict}'
            f'<div class="small">{duration(band["served_seconds"])} served of {duration(observed)} observed</div></div>')


def _cards(report: t.Mapping[str, t.Any]) -> str:
    hosts = report["hosts"]
    failures = sum(h["failures"] + h["unreachable"] for h in hosts.values())
    changed = sum(h["changed"] for h in hosts.values())
    cards = [_availability_card(g) for g in report["timeline"] if g.get("availability")]
    cards.append(f'<div class="card"><div class="small">steps</div><div class="big">{len(report["steps"])}</div>'
                 f'<div class="small">{changed} changes, {failures} failures on {len(hosts)} hosts</div></div>')
    backups = [a for a in report["archives"] if a["kind"] in ("backup", "galaxy backup")]
    cards.append(f'<div class="card"><div class="small">archives</div><div class="big">{len(report["archives"])}</div>'
                 f'<div class="small">{len(backups)} backups, '
                 f'{len([a for a in backups if a.get("controller_path")])} kept on the controller</div></div>')
    return '<div class="cards">' + "".join(cards) + "</div>"


def _failures(report: t.Mapping[str, t.Any]) -> str:
    """The failed steps first, where a reader of a failed run looks."""
    failed = [s for s in report["steps"] if s["status"] in ("failed", "unreachable")]
    if not failed:
        return ""
    items = "".join(f'<li><b>{esc(s["host"])}</b> at {clock(s["start"])}, {esc(s["task"])}: '
                    f'<span class="msg">{esc(s.get("message") or s["status"])}</span></li>' for s in failed)
    return f'<h2>What failed</h2><div class="panel failures"><ul>{items}</ul></div>'


def _timelines(report: t.Mapping[str, t.Any]) -> str:
    if not report["timeline"]:
        return '<p class="note">No module of this collection reported a server state in this run.</p>'
    out = []
    for group in report["timeline"]:
        title = {"engines": f"AppEngine {'pair' if group.get('availability') else 'group'} {group['name']}",
                 "power_operation": f"pair {group['name']}", "galaxy": f"galaxy {group['name']}: nodes",
                 }.get(group["kind"], "other servers")
        out.append(f'<div class="panel"><h3>{esc(title)}</h3>'
                   f'{timeline(group, report["wall_seconds"])}</div>')
    out.append(f'<div class="panel">{legend()}<p class="note">Each lane holds the value a module last reported '
               'until the next report; nothing is drawn before the first one. A pair is served while at least '
               'one server has every runtime process Running (for AppEngines: one engine Active). Hatched values '
               'are inferred: while one server restarts, its running partner takes over; after the restart a '
               'role is unknown until it is read again; an undeclared configured role is the role first read '
               '(declare it with the inventory variable <code>scada_configured_role</code>).</p></div>')
    return "".join(out)


def _archives(report: t.Mapping[str, t.Any]) -> str:
    if not report["archives"]:
        return '<p class="note">No archive was taken or copied in this run.</p>'
    rows = []
    for archive in report["archives"]:
        controller = "-"
        if archive.get("controller_path"):
            same = archive.get("controller_sha256") == archive["sha256"]
            controller = (f'<span class="mono">{esc(archive["controller_path"])}</span><br>'
                          + _badge("SHA-256 matches" if same else "SHA-256 DIFFERS", "ok" if same else "bad"))
        size = f'{archive["size"]:,} B' if isinstance(archive.get("size"), int) else "-"
        rows.append(f'<tr class="archive"><td class="num">{clock(archive["at"])}</td><td>{esc(archive["kind"])}</td>'
                    f'<td>{esc(archive["server"])}</td><td class="mono">{esc(archive.get("path") or "-")}</td>'
                    f'<td class="num">{size}</td><td class="mono hash">{esc(archive["sha256"])}</td>'
                    f'<td>{controller}</td></tr>')
    return ('<div class="panel"><table><thead><tr><th>at</th><th>kind</th><th>server</th><th>archive on the server</th>'
            '<th>size</th><th>SHA-256</th><th>controller copy</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table></div>")


def _readiness(report: t.Mapping[str, t.Any]) -> str:
    """site_readiness's table per server (none: the section is left out)."""
    servers = report.get("readiness") or []
    if not servers:
        return ""
    kinds = {"pass": "ok", "warn": "neutral", "fail": "bad"}
    out = ["<h2>Site readiness</h2>"]
    for server in servers:
        rows = "".join(
            f'<tr class="check"><td>{esc(c["name"])}</td><td class="mono">{esc(c["found"])}</td>'
            f'<td>{esc(c["expected"])}</td><td>{_badge(c["verdict"], kinds.get(c["verdict"], "neutral"))}</td>'
            f'<td>{esc(c.get("todo") or "-")}</td></tr>' for c in server["checks"])
        verdict = _badge("ready", "ok") if server["ready"] else _badge("not ready", "bad")
        out.append(f'<div class="panel"><h3>{esc(server["server"])} {verdict}</h3><table><thead><tr>'
                   '<th>check</th><th>found</th><th>expected</th><th>verdict</th><th>what to do</th>'
                   f'</tr></thead><tbody>{rows}</tbody></table></div>')
    return "".join(out)


def _steps(report: t.Mapping[str, t.Any]) -> str:
    wall = max(report["wall_seconds"], 1.0)
    rows = []
    for step in report["steps"]:
        where = esc(step["host"]) + (f' &rarr; {esc(step["delegated_to"])}' if step.get("delegated_to") else "")
        kind = {"ok": "ok", "changed": "chg", "ignored": "neutral"}.get(step["status"], "bad")
        left, width = step["start"] / wall * 100, max(step["seconds"] / wall * 100, 0.3)
        message = f'<div class="msg">{esc(step["message"])}</div>' if step.get("message") else ""
        rows.append(f'<tr class="step"><td class="num">{clock(step["start"])}</td>'
                    f'<td class="num">{duration(step["seconds"])}</td><td title="{esc(step["step"])}">{esc(step["task"])}{message}</td>'
                    f'<td class="host">{where}</td><td>{_badge(step["status"], kind)}</td>'
                    f'<td><div class="gantt"><span class="{esc(step["status"])}" '
                    f'style="left:{left:.2f}%;width:{width:.2f}%"></span></div></td></tr>')
    return ('<div class="panel"><table><thead><tr><th>start</th><th>took</th><th>step</th><th>host</th>'
            '<th>outcome</th><th>when, over the run</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>")


def _cell(value: t.Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return _badge("yes", "ok") if value else _badge("no", "neutral")
    if isinstance(value, t.Mapping):
        return "<br>".join(f'<span class="mono">{esc(str(k).replace("_", " "))}: {esc(_plain(v))}</span>'
                           for k, v in value.items())
    if isinstance(value, list):
        if any(isinstance(v, (t.Mapping, list)) for v in value):
            return "<br>".join(esc(_plain(v)) for v in value)
        return esc(", ".join(_plain(v) for v in value))
    return esc(value)


def _plain(value: t.Any) -> str:
    """Nested data as a person reads it: 'key: value; ...', lists joined, never a repr."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, t.Mapping):
        return "; ".join(f"{str(k).replace('_', ' ')}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value) or "-"
    return str(value)


def _summary(report: t.Mapping[str, t.Any]) -> str:
    """What the roles published with set_stats (the summary AWX shows), one table per key."""
    out = []
    for key, per_host in (report.get("summary") or {}).items():
        if not isinstance(per_host, t.Mapping) or not all(isinstance(v, t.Mapping) for v in per_host.values()):
            continue
        columns = list(dict.fromkeys(c for row in per_host.values() for c in row))
        head = "".join(f"<th>{esc(c.replace('_', ' '))}</th>" for c in columns)
        rows = "".join(f'<tr><td class="host"><b>{esc(host)}</b></td>'
                       + "".join(f"<td>{_cell(row.get(c))}</td>" for c in columns) + "</tr>"
                       for host, row in sorted(per_host.items()))
        out.append(f'<div class="panel summary"><h3>{esc(key)}</h3><table><thead><tr><th>server</th>{head}</tr>'
                   f'</thead><tbody>{rows}</tbody></table></div>')
    if not out:
        return ""
    return "<h2>Outcome per server</h2>" + "".join(out)


def _when(iso: str) -> str:
    return iso.replace("T", " ").replace("+00:00", " UTC")


#: The page's default template (Jinja2, autoescaped); a site may give its own (run_report's
#: ``template`` option) with the same variables.
DEFAULT_TEMPLATE = os.path.join(os.path.dirname(__file__), "templates", "run_report.html.j2")


def render(report: t.Mapping[str, t.Any], template: str | None = None) -> str:
    """The whole page, from ``template`` (a Jinja2 file) or the collection's own.

    :raises jinja2.TemplateError: the template does not render; OSError: it cannot be read.
    """
    path = template or DEFAULT_TEMPLATE
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.dirname(os.path.abspath(path))),
                                     autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    sections = {name: markupsafe.Markup(build(report)) for name, build in (
        ("cards", _cards), ("failures", _failures), ("summary", _summary), ("readiness", _readiness),
        ("timelines", _timelines), ("archives", _archives), ("steps", _steps))}
    return environment.get_template(os.path.basename(path)).render(
        report=report, sections=sections, style=markupsafe.Markup(STYLE), definitions=markupsafe.Markup(DEFINITIONS),
        badge=lambda text, kind, extra="": markupsafe.Markup(_badge(text, kind, extra)), when=_when, duration=duration)
