# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run report's timeline picture: one inline SVG per pair, no script, no external resource.

Each member gets one lane per thing the report knows (configured role, activity, runtime,
live role; an engine's vendor status and role), the pair gets its availability band, and all
share one time axis. Inferred values are hatched; every bar carries a tooltip (``<title>``).
"""

from __future__ import annotations

import html
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils._report_observe import engine_role

WIDTH = 1160
LABEL = 210
RIGHT = 30
LANE = 20
GAP = 5
HEADER = 26
BAND = 26
AXIS = 30
TICKS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)

LANE_TITLES = {"configured": "configured role", "activity": "activity", "runtime": "runtime",
               "role": "live role", "status": "engine status"}

#: Fill colour and text colour of each value, per lane (an engine's status takes its role's).
COLOURS = {
    "configured": {"primary": ("#1e3a8a", "#fff"), "standby": ("#93c5fd", "#0f172a"),
                   "backup": ("#93c5fd", "#0f172a")},
    "role": {"active": ("#15803d", "#fff"), "standby": ("#93c5fd", "#0f172a"), "offline": ("#dc2626", "#fff"),
             "unknown": ("#e5e7eb", "#475569"), "switching": ("#f59e0b", "#1f2937")},
    "runtime": {"running": ("#4ade80", "#14532d"), "starting": ("#fbbf24", "#1f2937"),
                "restarting": ("#fb923c", "#1f2937"), "stopping": ("#fb923c", "#1f2937"),
                "stopped": ("#dc2626", "#fff"), "exception": ("#991b1b", "#fff")},
    "activity": {"backup": ("#7c3aed", "#fff"), "copy": ("#0d9488", "#fff"), "restore": ("#a16207", "#fff"),
                 "compile": ("#4338ca", "#fff"), "setup": ("#64748b", "#fff"), "restart": ("#ea580c", "#fff"),
                 "start": ("#ea580c", "#fff"), "stop": ("#b91c1c", "#fff"),
                 "notifications": ("#94a3b8", "#0f172a"), "deploy": ("#0891b2", "#fff"),
                 "install": ("#be185d", "#fff"), "reboot": ("#ea580c", "#fff"), "migrate": ("#0e7490", "#fff"),
                 "upload": ("#475569", "#fff")},
    "availability": {"served": ("#16a34a", "#fff"), "out": ("#dc2626", "#fff"), "unknown": ("#e5e7eb", "#475569"),
                     "failover": ("#f59e0b", "#1f2937")},
}
DEFAULT_COLOUR = ("#cbd5e1", "#0f172a")


def esc(value: t.Any) -> str:
    return html.escape(str(value), quote=True)


def clock(seconds: float) -> str:
    """Seconds after the start as m:ss (h:mm:ss past an hour)."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def duration(seconds: float) -> str:
    """A duration for people: 0.4 s, 12.3 s, 4 min 05 s."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def colour(lane: str, value: str) -> tuple[str, str]:
    if lane == "status":
        return COLOURS["role"].get(engine_role(value), DEFAULT_COLOUR)
    return COLOURS.get(lane, {}).get(value, DEFAULT_COLOUR)


class _Scale:
    def __init__(self, end: float) -> None:
        self.end = max(end, 1.0)
        self.width = WIDTH - LABEL - RIGHT

    def x(self, seconds: float) -> float:
        return round(LABEL + min(max(seconds, 0.0), self.end) / self.end * self.width, 2)

    def ticks(self) -> list[float]:
        step = next((s for s in TICKS if self.end / s <= 12), TICKS[-1])
        return [i * step for i in range(int(self.end // step) + 1)]


def _bar(scale: _Scale, y: float, height: float, lane: str, segment: t.Mapping[str, t.Any],
         label: str, tip: str, room: float = 0.0, css: str = "") -> str:
    """One segment: a rounded bar, hatched when inferred, its label inside or (``room``
    pixels free after it) just after it."""
    x0, x1 = scale.x(segment["start"]), scale.x(segment["end"])
    width = max(x1 - x0, 1.5)
    fill, ink = colour(lane, segment["value"])
    failed = segment.get("status") in ("failed", "unreachable")
    stroke = ' stroke="#7f1d1d" stroke-width="2"' if failed else ""
    parts = [f'<g class="seg seg-{esc(lane)}{css}"><title>{esc(tip)}</title>',
             f'<rect x="{x0}" y="{y}" width="{round(width, 2)}" height="{height}" rx="3" fill="{fill}"{stroke}/>']
    if segment.get("inferred"):
        parts.append(f'<rect x="{x0}" y="{y}" width="{round(width, 2)}" height="{height}" rx="3" fill="url(#hatch)"/>')
    text = 6.4 * len(label) + 8
    if width >= text:
        parts.append(f'<text x="{round(x0 + width / 2, 2)}" y="{y + height / 2 + 4}" text-anchor="middle" '
                     f'fill="{ink}" class="seg-label">{esc(label)}</text>')
    elif room >= text:
        parts.append(f'<text x="{round(x0 + width + 4, 2)}" y="{y + height / 2 + 4}" '
                     f'fill="#334155" class="seg-label">{esc(label)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _lane_bars(scale: _Scale, y: float, lane: str, member: str, lane_segments: list) -> list[str]:
    out = []
    starts = sorted(s["start"] for s in lane_segments)
    for segment in lane_segments:
        following = [start for start in starts if start >= segment["end"]]
        room = (scale.x(following[0]) if following else WIDTH - RIGHT) - scale.x(segment["end"]) - 4
        value = segment.get("label") or segment["value"]
        span = f"{clock(segment['start'])}-{clock(segment['end'])} ({duration(segment['end'] - segment['start'])})"
        why = segment.get("step") or ""
        inferred = " [inferred]" if segment.get("inferred") else ""
        status = f" [{segment['status']}]" if segment.get("status") not in (None, "ok", "changed") else ""
        tip = f"{member} {LANE_TITLES.get(lane, lane)}: {value}{inferred}{status}, {span} - {why}"
        shown = {"configured": f"{value} (inferred)" if segment.get("inferred") else value}.get(lane, value)
        out.append(_bar(scale, y, LANE, lane, {**segment, "value": segment.get("label") or segment["value"]},
                        shown, tip, room if lane == "activity" else 0.0))
    return out


def _member_header(member: t.Mapping[str, t.Any]) -> str:
    return f"{'engine' if member['kind'] == 'engine' else 'server'} {member['name']}"


def _read_marks(scale: _Scale, y: float, member: t.Mapping[str, t.Any]) -> list[str]:
    """Small ticks where a module read the member's state, on its header row."""
    return [f'<g class="read"><title>{esc(member["name"])} read at {clock(read["at"])} by: {esc(read["step"])}</title>'
            f'<path d="M{scale.x(read["at"]) - 4} {y + 9} L{scale.x(read["at"]) + 4} {y + 9} '
            f'L{scale.x(read["at"])} {y + 17} Z" class="read-mark"/></g>'
            for read in member.get("reads", [])]


def timeline(group: t.Mapping[str, t.Any], end: float) -> str:
    """The SVG picture of one group: its members' lanes, the availability band, the time axis."""
    scale = _Scale(end)
    body: list[str] = []
    y = 8.0
    for member in group["members"]:
        body.append(f'<text x="8" y="{y + 17}" class="member">{esc(_member_header(member))}</text>')
        body.append(f'<line x1="8" x2="{WIDTH - RIGHT}" y1="{y + HEADER - 3}" y2="{y + HEADER - 3}" class="rule"/>')
        body.extend(_read_marks(scale, y, member))
        y += HEADER
        for lane, lane_segments in member["lanes"].items():
            if not lane_segments:
                continue
            body.append(f'<text x="22" y="{y + 14}" class="lane">{esc(LANE_TITLES.get(lane, lane))}</text>')
            body.append(f'<rect x="{LABEL}" y="{y}" width="{scale.width}" height="{LANE}" class="track"/>')
            body.extend(_lane_bars(scale, y, lane, member["name"], lane_segments))
            y += LANE + GAP
        y += 6
    band = group.get("availability")
    if band:
        y += 4
        body.append(f'<text x="8" y="{y + 17}" class="member band-title">pair served</text>')
        body.append(f'<rect x="{LABEL}" y="{y}" width="{scale.width}" height="{BAND}" class="track"/>')
        for segment in band["segments"]:
            label = {"served": "served", "out": "NOT SERVED", "unknown": "not known",
                     "failover": "failover"}[segment["value"]]
            why = (f": {segment['before']} to {segment['after']}, in this span between two reads (the vendor's "
                   f"brief downtime; not measured)" if segment["value"] == "failover" else "")
            tip = (f"{group['name']}: {label} {clock(segment['start'])}-{clock(segment['end'])} "
                   f"({duration(segment['end'] - segment['start'])}){why}")
            body.append(_bar(scale, y, BAND, "availability", segment, label, tip, css=f" band-{segment['value']}"))
        y += BAND + 6
    grid = [f'<line x1="{scale.x(tick)}" x2="{scale.x(tick)}" y1="4" y2="{y}" class="grid"/>' for tick in scale.ticks()]
    axis = [f'<line x1="{LABEL}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" class="axis"/>']
    for tick in scale.ticks():
        axis.append(f'<line x1="{scale.x(tick)}" x2="{scale.x(tick)}" y1="{y}" y2="{y + 5}" class="axis"/>')
        axis.append(f'<text x="{scale.x(tick)}" y="{y + 18}" text-anchor="middle" class="tick">{clock(tick)}</text>')
    axis.append(f'<text x="{LABEL - 24}" y="{y + 18}" text-anchor="end" class="tick">min:s after start</text>')
    height = round(y + AXIS, 1)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" data-group="{esc(group["name"])}" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
            f'aria-label="timeline of {esc(group["name"])}">'
            + "".join(grid) + "".join(body) + "".join(axis) + "</svg>")


#: The hatch pattern every picture refers to, defined once per page.
DEFINITIONS = ('<svg width="0" height="0" class="defs" aria-hidden="true"><defs>'
               '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
               '<rect width="3" height="6" fill="#ffffff" fill-opacity="0.5"/></pattern></defs></svg>')


def legend() -> str:
    """Swatches for every value the pictures use, by lane."""
    rows = {
        "configured role": ("configured", ("primary", "standby", "backup")),
        "live role": ("role", ("active", "standby", "switching", "offline", "unknown")),
        "runtime": ("runtime", ("running", "starting", "restarting", "stopped", "exception")),
        "activity": ("activity", ("backup", "copy", "restore", "compile", "setup", "restart", "deploy",
                                  "install", "reboot", "migrate")),
        "pair": ("availability", ("served", "out", "failover", "unknown")),
    }
    out = []
    for title, (lane, values) in rows.items():
        swatches = "".join(
            f'<span class="swatch"><svg width="14" height="14"><rect width="14" height="14" rx="3" '
            f'fill="{colour(lane, v)[0]}"/></svg>{esc({"out": "not served", "unknown": "not known"}.get(v, v))}</span>' for v in values)
        out.append(f'<div class="legend-row"><b>{esc(title)}</b>{swatches}</div>')
    out.append('<div class="legend-row"><b>reads</b><span class="swatch"><svg width="14" height="14">'
               '<path d="M3 3 L11 3 L7 11 Z" class="read-mark"/></svg>'
               'a module read the state here; a lane holds that value until the next read '
               '(an engine\'s, until a deploy, install or restart begins)</span></div>')
    out.append('<div class="legend-row"><b>inferred</b><span class="swatch"><svg width="14" height="14">'
               '<rect width="14" height="14" rx="3" fill="#15803d"/>'
               '<rect width="14" height="14" rx="3" fill="url(#hatch)"/></svg>'
               'hatched: not read from a server but inferred (see below)</span></div>')
    return '<div class="legend">' + "".join(out) + "</div>"
