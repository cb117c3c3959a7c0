# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn the run's observations into lanes over time per server or engine, and each pair's
availability: the picture a change board reads.

A lane holds the last value a module reported until the next report; nothing is known before
the first one. Two values are inferred, and marked so: while one server of a Power Operation
pair restarts, a partner whose runtime runs takes over (the vendor's redundancy), and after
that restart neither server's role is known until it is read again. A configured role that
the inventory does not declare (``scada_configured_role``) is taken from the live roles first
read, again marked inferred.

A pair is served while at least one member serves: a Power Operation server whose every
runtime process is Running, a System Platform engine whose status is Active.
"""

from __future__ import annotations

import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils._report_observe import Observations

UNPAIRED = "servers without a declared pair"
#: Inventory variables the timeline reads (the collection's inventories set them).
PAIR_VAR = "scada_pair"
GALAXY_VAR = "scada_galaxy_group"
CONFIGURED_VAR = "scada_configured_role"
ENGINE_PAIRS_VAR = "scada_engine_pairs"


def segments(points: t.Iterable[t.Mapping[str, t.Any]], end: float) -> list[dict[str, t.Any]]:
    """Lane segments from value changes: each value holds from its point to the next one."""
    ordered = sorted(points, key=lambda p: p["at"])
    out: list[dict[str, t.Any]] = []
    for index, point in enumerate(ordered):
        until = ordered[index + 1]["at"] if index + 1 < len(ordered) else end
        if until <= point["at"]:
            continue
        if out and out[-1]["value"] == point["value"] and out[-1]["inferred"] == point["inferred"]:
            out[-1]["end"] = round(until, 3)
            continue
        out.append({"start": point["at"], "end": round(until, 3), "value": point["value"],
                    "inferred": point["inferred"], "step": point["step"]})
    return out


def value_at(lane: t.Iterable[t.Mapping[str, t.Any]], at: float) -> t.Optional[str]:
    """A lane's value at a moment, None when nothing was known then."""
    for segment in lane:
        if segment["start"] <= at < segment["end"]:
            return segment["value"]
    return None


def _points(observed: Observations, member: str, lane: str) -> list[dict[str, t.Any]]:
    return [s for s in observed.states if s["member"] == member and s["lane"] == lane]


def _reads(observed: Observations, member: str) -> list[dict[str, t.Any]]:
    """The moments a module read the member's state: the evidence the lanes stand on."""
    seen: dict[float, str] = {}
    for point in observed.states:
        if point["member"] == member and not point["inferred"]:
            seen.setdefault(point["at"], point["step"])
    return [{"at": at, "step": step} for at, step in sorted(seen.items())]


def _takeovers(observed: Observations, members: list[str], end: float) -> list[dict[str, t.Any]]:
    """Inferred role points: the running partner of a restarting server is active meanwhile."""
    inferred = []
    restarts = [a for a in observed.activities
                if a["member"] in members and a["label"] in ("restart", "stop")]
    for restart in restarts:
        for partner in members:
            if partner == restart["member"]:
                continue
            runtime = segments(_points(observed, partner, "runtime"), end)
            role = segments(_points(observed, partner, "role"), end)
            if value_at(runtime, restart["start"]) != "running" or \
                    value_at(role, restart["start"]) not in ("standby", "unknown", None):
                continue
            step = f"inferred: {restart['member']} restarting ({restart['step']})"
            inferred.append({"member": partner, "lane": "role", "at": restart["start"],
                             "value": "active", "step": step, "inferred": True})
            read_meanwhile = [p for p in _points(observed, partner, "role")
                              if restart["start"] < p["at"] <= restart["end"]]
            if not read_meanwhile:
                inferred.append({"member": partner, "lane": "role", "at": restart["end"],
                                 "value": "unknown", "step": step, "inferred": True})
    return inferred


def _configured(name: str, declared: t.Optional[str], role: list[dict[str, t.Any]],
                end: float) -> list[dict[str, t.Any]]:
    if declared:
        return [{"start": 0.0, "end": round(end, 3), "value": declared, "inferred": False,
                 "step": "inventory: scada_configured_role"}]
    first = next((s["value"] for s in role if not s["inferred"] and s["value"] in ("active", "standby")), None)
    if first is None:
        return []
    return [{"start": 0.0, "end": round(end, 3), "value": "primary" if first == "active" else "standby",
             "inferred": True, "step": f"not declared: {name} was {first} when first read"}]


def _serving(member: t.Mapping[str, t.Any], at: float) -> t.Optional[bool]:
    if member["kind"] == "engine":
        role = value_at(member["lanes"]["role"], at)
        return None if role in (None, "unknown") else role == "active"
    runtime = value_at(member["lanes"]["runtime"], at)
    return None if runtime is None else runtime == "running"


#: Steps during which an engine's status can change unread: from the start of one until the
#: next read, the engine's lanes are unknown, not the last value read.
_UNREAD_DURING = frozenset({"deploy", "migrate", "install", "reboot", "upload"})


def _engine_points(observed: Observations, member: str, lane: str) -> list[dict[str, t.Any]]:
    """An engine's read values, each holding only until a step that may change it began."""
    points = _points(observed, member, lane)
    if not points:
        return points
    first, reads = min(p["at"] for p in points), {p["at"] for p in points}
    return points + [{"member": member, "lane": lane, "at": a["start"], "value": "unknown",
                      "step": a["step"], "inferred": True}
                     for a in observed.activities
                     if a["label"] in _UNREAD_DURING and a["start"] > first and a["start"] not in reads]


def _failovers(band: list[dict[str, t.Any]], members: list[t.Mapping[str, t.Any]]) -> None:
    """Mark an unknown span as a failover when the active member differs on its two sides:
    the pair switched in there (the vendor's brief downtime), unmeasured."""
    def active(at: float) -> t.Optional[str]:
        found = [m["name"] for m in members if value_at(m["lanes"]["role"], at) == "active"]
        return found[0] if len(found) == 1 else None

    for segment in band:
        if segment["value"] == "unknown":
            before, after = active(segment["start"] - 0.001), active(segment["end"])
            if before and after and before != after:
                segment.update(value="failover", before=before, after=after)


def availability(members: list[t.Mapping[str, t.Any]], end: float, engines: bool = False) -> dict[str, t.Any]:
    """Served, out (no member serving) or unknown, over the span the pair was observed; for
    an engine pair, an unknown span across which the active engine changed is a failover."""
    edges = sorted({round(s[key], 3) for m in members for lane in m["lanes"].values()
                    for s in lane for key in ("start", "end")} | {round(end, 3)})
    band: list[dict[str, t.Any]] = []
    for start, stop in zip(edges, edges[1:]):
        serving = [_serving(m, start) for m in members]
        value = "served" if any(serving) else ("out" if serving and all(s is False for s in serving) else "unknown")
        if not band and value == "unknown":
            continue
        if band and band[-1]["value"] == value:
            band[-1]["end"] = stop
        else:
            band.append({"start": start, "end": stop, "value": value})
    if engines:
        _failovers(band, members)
    totals = {v: round(sum(s["end"] - s["start"] for s in band if s["value"] == v), 3)
              for v in ("served", "out", "unknown", "failover")}
    return {"segments": band, "served_seconds": totals["served"], "out_seconds": totals["out"],
            "unknown_seconds": totals["unknown"], "failover_seconds": totals["failover"],
            "failovers": [{"start": s["start"], "end": s["end"], "from": s["before"], "to": s["after"]}
                          for s in band if s["value"] == "failover"],
            "gaps": [{"start": s["start"], "end": s["end"]} for s in band if s["value"] == "out"]}


def _server_group(server: str, host_vars: t.Mapping[str, t.Mapping[str, t.Any]]) -> tuple[str, str]:
    """(kind, name) of a server's group: its pair, else its galaxy, else the rest."""
    own = host_vars.get(server, {})
    if own.get(PAIR_VAR):
        return "power_operation", own[PAIR_VAR]
    if own.get(GALAXY_VAR):
        return "galaxy", own[GALAXY_VAR]
    return "servers", UNPAIRED


def _server_rows(observed: Observations, members: list[str], end: float, paired: bool,
                 host_vars: t.Mapping[str, t.Mapping[str, t.Any]]) -> list[dict[str, t.Any]]:
    inferred = _takeovers(observed, members, end) if paired else []
    rows = []
    for member in members:
        role = segments(_points(observed, member, "role") + [p for p in inferred if p["member"] == member], end)
        rows.append({"name": member, "kind": "server", "lanes": {
            "configured": _configured(member, host_vars.get(member, {}).get(CONFIGURED_VAR), role, end),
            "activity": [dict(a) for a in observed.activities if a["member"] == member],
            "runtime": segments(_points(observed, member, "runtime"), end),
            "role": role}, "reads": _reads(observed, member)})
    return rows


def _engine_groups(observed: Observations, declared: list[t.Mapping[str, str]]) -> list[tuple[str, list[str], dict]]:
    """(name, engines, configured roles): the declared pairs that were read, then the engines
    read together in one call that no declared pair names (a pair when there are two)."""
    seen = {name for names in observed.engine_pairs.values() for name in names}
    groups, taken = [], set()
    for pair in declared:
        members = [pair["primary"], pair["backup"]]
        if seen & set(members) and not taken & set(members):
            groups.append((pair.get("name") or " / ".join(members), members,
                           {pair["primary"]: "primary", pair["backup"]: "backup"}))
            taken.update(members)
    for names in observed.engine_pairs.values():
        rest = [name for name in names if name not in taken]
        if rest:
            groups.append((" / ".join(rest), rest, {}))
            taken.update(rest)
    return groups


def _declared_engine_pairs(host_vars: t.Mapping[str, t.Mapping[str, t.Any]]) -> list[t.Mapping[str, str]]:
    pairs: dict[tuple[str, str], t.Mapping[str, str]] = {}
    for own in host_vars.values():
        for pair in own.get(ENGINE_PAIRS_VAR) or []:
            pairs.setdefault((pair["primary"], pair["backup"]), pair)
    return list(pairs.values())


def build(observed: Observations, end: float,
          host_vars: t.Mapping[str, t.Mapping[str, t.Any]]) -> list[dict[str, t.Any]]:
    """Groups of members with their lanes and, for real pairs, the availability band.

    ``host_vars`` holds, per inventory host, what the inventory declares: ``scada_pair``,
    ``scada_galaxy_group``, ``scada_configured_role`` and ``scada_engine_pairs``.
    """
    declared = _declared_engine_pairs(host_vars)
    engines = {name for names in observed.engine_pairs.values() for name in names}
    servers = sorted({s["member"] for s in observed.states} | {a["member"] for a in observed.activities})
    groups: dict[tuple[str, str], list[str]] = {}
    for server in servers:
        if server not in engines:
            groups.setdefault(_server_group(server, host_vars), []).append(server)
    out = []
    for (kind, name), members in sorted(groups.items(), key=lambda item: (item[0][1] == UNPAIRED, item[0])):
        paired = kind == "power_operation" and len(members) > 1
        rows = _server_rows(observed, members, end, paired, host_vars)
        out.append({"name": name, "kind": kind, "members": rows,
                    "availability": availability(rows, end) if paired else None})
    for name, members, configured in _engine_groups(observed, declared):
        rows = [{"name": member, "kind": "engine", "read_on": observed.engine_nodes.get(member), "lanes": {
            "configured": [{"start": 0.0, "end": round(end, 3), "value": configured[member], "inferred": False,
                            "step": "inventory: scada_engine_pairs"}] if member in configured else [],
            "status": segments(_engine_points(observed, member, "status"), end),
            "role": segments(_engine_points(observed, member, "role"), end)},
            "reads": _reads(observed, member)} for member in members]
        out.append({"name": name, "kind": "engines", "members": rows,
                    "availability": availability(rows, end, engines=True) if len(rows) == 2 else None})
    return out
