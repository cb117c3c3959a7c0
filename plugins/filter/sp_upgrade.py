# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order of a System Platform upgrade, decided in Python rather than in Jinja.

The vendor's rule for one pair is "upgrade the node of the standby engine first, then the
node of the active one", which fails each pair over exactly once. With several pairs per
galaxy a node may carry engines of several pairs, so the nodes are put into *layers*: a node
comes after the node of the non-active engine of every pair whose active engine it hosts.
:func:`sp_upgrade_plan` computes the layers, what each pair's engines must show after each
layer and at the end, and every reason not to start; the role only follows it.
"""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError

ACTIVE_STATUSES = ("Active", "Active - Upgrade", "Active - Partner Not Upgraded",
                   "Active - Standby Not Available")
READY = "Standby - Ready"


def _version(text: t.Any) -> tuple[int, ...] | None:
    """Dotted version to a tuple compared field by field (None when unknown)."""
    if text is None or str(text).strip() == "":
        return None
    try:
        return tuple(int(part) for part in str(text).strip().split("."))
    except ValueError:
        return None


def _is_active(status: t.Any) -> bool:
    return isinstance(status, str) and status.strip().lower().startswith("active")


def _status_text(status: t.Any) -> str:
    return status if isinstance(status, str) else "not read"


class _Plan:
    """Collects the facts and the problems while the plan is built."""

    def __init__(self, galaxy_info, nodes, pairs, statuses, target_version, gr_host):
        self.galaxy = galaxy_info or {}
        self.nodes = {str(h): dict(v or {}) for h, v in (nodes or {}).items()}
        self.pairs = list(pairs or [])
        self.statuses = dict(statuses or {})
        self.target = _version(target_version)
        self.target_text = str(target_version)
        self.gr_host = str(gr_host or "")
        self.problems: list[str] = []
        self.node_of_platform = {str(v.get("platform") or ""): h for h, v in self.nodes.items()
                                 if v.get("platform")}
        self.platform_of_engine = {e["name"]: e.get("platform") for e in self.galaxy.get("engines") or []}

    def below_target(self, host: str) -> bool:
        version = _version(self.nodes[host].get("version"))
        return version is None or (self.target is not None and version < self.target)

    def check_nodes(self) -> None:
        if self.target is None:
            self.problems.append(f"the target version {self.target_text!r} is not a dotted version")
        if self.gr_host not in self.nodes:
            self.problems.append(f"the Galaxy Repository host {self.gr_host!r} is not one of the galaxy's "
                                 f"nodes ({', '.join(sorted(self.nodes)) or 'none'})")
        for host, node in sorted(self.nodes.items()):
            version = _version(node.get("version"))
            if version is None:
                self.problems.append(f"{host}: no System Platform version was read (installed "
                                     f"version {node.get('version')!r}); versions must be known")
            elif self.target is not None and version > self.target:
                self.problems.append(f"{host} runs System Platform {node['version']}, newer than the "
                                     f"target {self.target_text}; setup does not downgrade")
            if not node.get("platform"):
                self.problems.append(f"{host}: no platform tagname (set scada_platform for the host)")
        if self.galaxy.get("objects_read"):
            known = {p["name"] for p in self.galaxy.get("platforms") or []}
            hosted = {node.get("platform") for node in self.nodes.values()}
            for platform in sorted(known - hosted):
                self.problems.append(f"platform {platform} of galaxy {self.galaxy.get('name', '')} has no node in "
                                     f"this run: every node of a galaxy must be in one run (an AWX job slice or "
                                     f"a --limit left its node out; see docs/awx.md)")
            for host, node in sorted(self.nodes.items()):
                if node.get("platform") and node["platform"] not in known:
                    self.problems.append(f"{host}: platform {node['platform']} is not in galaxy "
                                         f"{self.galaxy.get('name', '')} ({', '.join(sorted(known))})")

    def pair_rows(self) -> list[dict[str, t.Any]]:
        rows = []
        for index, pair in enumerate(self.pairs):
            row = self._pair_row(index, pair)
            if row:
                rows.append(row)
        return rows

    def _pair_row(self, index: int, pair: t.Any) -> dict[str, t.Any] | None:
        if not isinstance(pair, t.Mapping) or not pair.get("primary") or not pair.get("backup"):
            self.problems.append(f"engine pair #{index + 1} needs 'primary' and 'backup' engine names")
            return None
        primary, backup = str(pair["primary"]), str(pair["backup"])
        name = str(pair.get("name") or primary)
        if not self.galaxy.get("objects_read"):
            return None  # engines are read again once the galaxy is migrated
        hosts = {}
        for engine in (primary, backup):
            platform = self.platform_of_engine.get(engine)
            if platform is None:
                self.problems.append(f"pair {name}: engine {engine} is not in galaxy {self.galaxy.get('name', '')}")
                return None
            host = self.node_of_platform.get(platform)
            if host is None:
                self.problems.append(f"pair {name}: engine {engine} runs on platform {platform}, which no "
                                     f"node of the inventory group carries (scada_platform)")
                return None
            hosts[engine] = host
        if hosts[primary] == hosts[backup]:
            self.problems.append(f"pair {name}: both engines are on {hosts[primary]}")
            return None
        if self.gr_host in (hosts[primary], hosts[backup]):
            self.problems.append(f"pair {name}: an engine runs on the Galaxy Repository node {self.gr_host}, "
                                 "which the procedure upgrades first on its own; not supported")
            return None
        active = [e for e in (primary, backup) if _is_active(self.statuses.get(e))]
        described = f"{primary}: {_status_text(self.statuses.get(primary))}, {backup}: {_status_text(self.statuses.get(backup))}"
        if len(active) != 1:
            self.problems.append(f"pair {name}: {'no engine' if not active else 'both engines'} active "
                                 f"({described}); the procedure starts from one active engine")
            return None
        second = active[0]
        first = backup if second == primary else primary
        fresh = self.below_target(hosts[second])
        standby_status = self.statuses.get(first)
        # A standby that runs must be in sync before its node goes first; one that does not run
        # at all (a setup that failed on its node in an earlier run) gives the pair no backup
        # to lose, and upgrading its node is what brings it back.
        if (fresh and self.below_target(hosts[first]) and _status_text(standby_status).lower().startswith("standby")
                and standby_status != READY):
            self.problems.append(f"pair {name}: the standby engine {first} is not in sync ({described}); "
                                 f"it must show {READY} before its node is upgraded")
        return {"name": name, "primary": primary, "backup": backup,
                "active": second, "standby": first,
                "first_node": hosts[first], "second_node": hosts[second],
                # the active engine's node runs older software: upgrading the other node moves
                # the active role to it (the pair's one failover)
                "failover_expected": fresh,
                "standby_running": _status_text(standby_status).lower().startswith("standby"),
                "final_active": first if fresh else second,
                "final_standby": second if fresh else first}

    def layers(self, rows, allow_extra_failovers: bool) -> list[list[str]]:
        """Kahn's layering of the non-GR nodes: first nodes before second nodes."""
        redundant = sorted({r["first_node"] for r in rows} | {r["second_node"] for r in rows})
        before = {h: set() for h in redundant}
        for row in rows:
            before[row["second_node"]].add(row["first_node"])
        layers, placed = [], set()
        while len(placed) < len(redundant):
            ready = [h for h in redundant if h not in placed and before[h] <= placed]
            if not ready:
                stuck = sorted(h for h in redundant if h not in placed)
                if not allow_extra_failovers:
                    self.problems.append(
                        f"nodes {', '.join(stuck)} each host an active engine whose partner is on another "
                        "of them: any order fails some pair over twice. Switch the active engines so that "
                        "each node hosts only active or only standby engines, or allow extra failovers")
                    return layers
                ready = [min(stuck, key=lambda h: (len(before[h] - placed), h))]
            layers.append(ready)
            placed.update(ready)
        rest = sorted(h for h in self.nodes if h not in placed and h != self.gr_host)
        if rest:
            if layers:
                layers[-1] = layers[-1] + rest
            else:
                layers.append(rest)
        return layers


def _layer(index, hosts, plan: _Plan, rows, done_before: set[str]) -> dict[str, t.Any]:
    expect: dict[str, list[str]] = {}
    standby_phase = False
    for row in rows:
        if row["first_node"] in hosts:
            upgraded_partner = row["second_node"] in done_before or not plan.below_target(row["second_node"])
            expect[row["standby"]] = [READY] if upgraded_partner else list(ACTIVE_STATUSES)
            standby_phase = standby_phase or row["failover_expected"]
        if row["second_node"] in hosts:
            expect[row["final_active"]] = ["Active"]
            expect[row["final_standby"]] = [READY]
    return {"index": index, "phase": "standby" if standby_phase else "primary",
            "nodes": sorted(hosts),
            "platforms": [plan.nodes[h]["platform"] for h in sorted(hosts)],
            "upgrade": sorted(h for h in hosts if plan.below_target(h)),
            "expect": expect}


def sp_upgrade_plan(galaxy_info: t.Mapping[str, t.Any], nodes: t.Mapping[str, t.Any],
                    pairs: t.Sequence[t.Any], statuses: t.Mapping[str, t.Any],
                    target_version: str, gr_host: str,
                    allow_extra_failovers: bool = False) -> dict[str, t.Any]:
    """The upgrade plan of one galaxy.

    ``galaxy_info`` is M(scada.redundancy.galaxy_info)'s ``galaxy_info``; ``nodes`` maps each
    inventory host of the galaxy to ``{platform, version}`` (its platform tagname and installed
    System Platform version); ``pairs`` lists ``{primary, backup[, name]}`` engine names;
    ``statuses`` maps engine names to their redundancy status as
    M(scada.redundancy.engine_redundancy) read it.

    Returns ``problems`` (reasons not to start; empty when the plan holds), ``gr`` (host,
    platform, whether setup and the migration are needed), ``layers`` (each with ``phase``
    standby or primary, ``nodes``, ``platforms``, the nodes whose setup must run, and the
    engine statuses to wait for afterwards), ``pairs`` (per pair: the engine active now, the
    node upgraded first and second, the final active and standby engines), ``final_expect``,
    ``order`` (every node, GR first), ``undeployed`` platforms, ``needed`` (anything to do)
    and a one-line ``summary``. While the galaxy must be migrated its engines cannot be read:
    the plan then covers the GR node only (``complete`` is false) and is made again after the
    migration.
    """
    if not isinstance(nodes, t.Mapping) or not isinstance(statuses, t.Mapping):
        raise AnsibleFilterError("sp_upgrade_plan: nodes and statuses must be mappings")
    plan = _Plan(galaxy_info, nodes, pairs, statuses, target_version, gr_host)
    plan.check_nodes()
    rows = plan.pair_rows()
    complete = bool(plan.galaxy.get("objects_read"))
    layers: list[dict[str, t.Any]] = []
    if complete and not plan.problems:
        done: set[str] = set()
        for index, hosts in enumerate(plan.layers(rows, allow_extra_failovers)):
            layers.append(_layer(index, hosts, plan, rows, done))
            done.update(hosts)
    gr_platform = plan.nodes.get(plan.gr_host, {}).get("platform")
    gr_upgrade = plan.gr_host in plan.nodes and plan.below_target(plan.gr_host)
    final_expect: dict[str, list[str]] = {}
    for row in rows:
        final_expect[row["final_active"]] = ["Active"]
        final_expect[row["final_standby"]] = [READY]
    upgrades = [h for layer in layers for h in layer["upgrade"]]
    gr_state = "upgrade, migrate" if gr_upgrade else ("migrate" if plan.galaxy.get("upgrade_required") else "current")
    undeployed = sorted(p["name"] for p in plan.galaxy.get("platforms") or [] if not p.get("deployed"))
    return {
        "problems": plan.problems,
        "complete": complete,
        "target_version": plan.target_text,
        "gr": {"host": plan.gr_host, "platform": gr_platform, "upgrade": gr_upgrade,
               "migrate": bool(plan.galaxy.get("upgrade_required")) or gr_upgrade},
        "layers": layers,
        "pairs": rows,
        "engines": sorted({e for row in rows for e in (row["primary"], row["backup"])}),
        "final_expect": final_expect,
        "order": [plan.gr_host] + [h for layer in layers for h in layer["nodes"]],
        "undeployed": undeployed,
        "needed": bool(gr_upgrade or plan.galaxy.get("upgrade_required") or upgrades or undeployed),
        "summary": _summary(plan, gr_state, layers, rows),
    }


def _summary(plan: _Plan, gr_state: str, layers, rows) -> str:
    """One line for the log: the order, and what each pair will do."""
    parts = [f"GR {plan.gr_host} ({gr_state})"]
    parts += [f"{layer['phase']} {' + '.join(layer['nodes'])}" for layer in layers]
    text = f"to {plan.target_text}: " + ", then ".join(parts) + "."
    for row in rows:
        failover = " (one failover)" if row["failover_expected"] else ""
        text += f" Pair {row['name']}: {row['active']} active now, {row['final_active']} active at the end{failover}."
    if plan.problems:
        text += " Problems: " + "; ".join(plan.problems)
    return text


def sp_upgrade_dry_run(plan: t.Mapping[str, t.Any], galaxy: str, setup_path: str = "",
                       upload_objects: t.Sequence[str] = (), galaxy_backup: str = "") -> list[str]:
    """The upgrade's steps in the procedure's order, as the plan says: the GR node, then each
    step's nodes, the platforms deployed after it and the engine statuses awaited, and which
    pair fails over when."""
    lines = [f"Galaxy {galaxy}: dry run, nothing was changed. Target {plan.get('target_version')}."]
    if plan.get("problems"):
        return lines + ["The upgrade would not start: " + "; ".join(plan["problems"])]
    if not plan.get("needed"):
        return lines + ["Every node is at the target version and every platform deployed: nothing to do."]
    gr = plan["gr"]
    steps = []
    gr_work = [w for w, needed in (
        (f"back the galaxy up and fetch it to {galaxy_backup}", bool(galaxy_backup) and gr["migrate"]),
        ("migrate without a galaxy backup (system_platform_upgrade_galaxy_backup is false)",
         not galaxy_backup and gr["migrate"]),
        (f"upload the run-time changes of {', '.join(upload_objects)}", bool(upload_objects)),
        (f"run setup ({setup_path}) and restart", gr["upgrade"]),
        ("migrate the galaxy", gr["migrate"]),
        (f"cascade deploy {gr['platform']}", gr["upgrade"])) if needed]
    steps.append(f"GR node {gr['host']}: " + (", ".join(gr_work) if gr_work else "current, nothing to do"))
    if not plan.get("complete"):
        steps.append("then plan the other nodes again: the galaxy's engines cannot be read before its migration")
    for layer in plan.get("layers") or []:
        setup = f"run setup and restart on {' + '.join(layer['upgrade'])}, " if layer["upgrade"] else ""
        waits = ", ".join(f"{engine} {' or '.join(statuses)}" for engine, statuses in sorted(layer["expect"].items()))
        steps.append(f"{layer['phase']} step {' + '.join(layer['nodes'])}: {setup}cascade deploy "
                     f"{', '.join(layer['platforms'])}" + (f", then wait for {waits}" if waits else ""))
    for row in plan.get("pairs") or []:
        when = (f"fails over once, when {row['first_node']} is deployed: {row['final_active']} active at the end"
                if row["failover_expected"] else f"does not fail over: {row['final_active']} stays active")
        steps.append(f"pair {row['name']} ({row['active']} active now) {when}")
    return lines + [f"{index}. {step}" for index, step in enumerate(steps, start=1)]


def sp_upgrade_guidance(reads: t.Mapping[str, t.Mapping[str, t.Any]], galaxy: str, target_version: str,
                        what_happened: str, statuses: t.Mapping[str, t.Any] | None = None,
                        pairs: t.Sequence[t.Mapping[str, t.Any]] = (), nodes: t.Sequence[str] = ()) -> str:
    """What an operator does when a node of the galaxy stopped answering mid-upgrade: which
    engine of each pair serves now, each node's state, and the ways forward.

    ``reads`` maps each node that answered to a host_info task result read just now; a node
    of ``nodes`` without one did not answer. ``statuses`` maps engines to their status as the
    status host read them (empty when it could not).
    """
    gone, states = [], []
    for host in sorted(set(nodes) | set(reads)):
        read = reads.get(host) or {}
        facts = read.get("host_info")
        if read.get("unreachable") or not isinstance(facts, t.Mapping):
            gone.append(host)
            states.append(f"{host}: not answering")
            continue
        version = ((facts.get("products") or {}).get("system_platform") or {}).get("version")
        reached = _version(version) is not None and _version(version) >= (_version(target_version) or ())
        at = "at the target version" if reached else "not upgraded"
        states.append(f"{host}: System Platform {version or 'not found'} ({at})")
    serving = []
    for pair in pairs:
        names = [pair.get("primary"), pair.get("backup")]
        known = {n: (statuses or {}).get(n) for n in names if n}
        active = [n for n, status in known.items() if _is_active(status)]
        label = pair.get("name") or " / ".join(n for n in names if n)
        if active:
            serving.append(f"pair {label}: {active[0]} active ({known[active[0]]})")
        elif any(known.values()):
            serving.append(f"pair {label}: no engine Active (" + ", ".join(f"{n} {s or 'unknown'}" for n, s in known.items())
                           + "): check the pair at once")
        else:
            serving.append(f"pair {label}: not read (the status host does not answer)")
    who = "; ".join(gone) or "a node"
    return " ".join([
        f"Galaxy {galaxy}: {who} stopped answering during the upgrade. {what_happened}",
        "Now: " + ("; ".join(serving) + ". " if serving else "") + "; ".join(states) + ".",
        f"Ways forward: (1) once {who} answers again, run the same playbook again: the nodes at the target "
        "version and the steps done are skipped, and the upgrade goes on from where it stopped.",
        f"(2) an upgrade has no rollback (AVEVA): if setup had started on {who}, it must finish there; read its "
        "setup log on the node, restart the node, then run again. The engines of a node that does not answer do "
        "not run: their partners serve, as Now says.",
    ])


def sp_engine_nodes(plan: t.Mapping[str, t.Any]) -> list[str]:
    """The nodes that host a redundant engine (the ones the SMS requirement applies to)."""
    return sorted({row[key] for row in plan.get("pairs") or [] for key in ("first_node", "second_node")})


class FilterModule:
    def filters(self) -> dict[str, t.Callable[..., t.Any]]:
        return {"sp_upgrade_plan": sp_upgrade_plan, "sp_engine_nodes": sp_engine_nodes,
                "sp_upgrade_dry_run": sp_upgrade_dry_run, "sp_upgrade_guidance": sp_upgrade_guidance}
