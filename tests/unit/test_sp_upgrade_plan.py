"""The System Platform upgrade order: GR first, then each pair's standby node, then its active one."""

from __future__ import annotations

from ansible_collections.scada.redundancy.plugins.filter.sp_upgrade import (
    ACTIVE_STATUSES, READY, sp_engine_nodes, sp_upgrade_plan)

OLD, NEW = "23.0", "23.1.100"


def galaxy(engines, platforms=("P0", "P1", "P2"), upgrade_required=False, deployed=True):
    return {"name": "Galaxy", "version": OLD, "upgrade_required": upgrade_required,
            "objects_read": not upgrade_required,
            "platforms": [{"name": p, "deployed": deployed} for p in platforms],
            "engines": [{"name": e, "platform": p} for e, p in engines.items()]}


SEED = galaxy({"E1": "P1", "E1b": "P2"})
NODES = {"gr": {"platform": "P0", "version": OLD}, "sp-a": {"platform": "P1", "version": OLD},
         "sp-b": {"platform": "P2", "version": OLD}}
PAIRS = [{"primary": "E1", "backup": "E1b"}]
RUNNING = {"E1": "Active", "E1b": READY}


def plan(galaxy_info=SEED, nodes=NODES, pairs=PAIRS, statuses=RUNNING, **extra):
    return sp_upgrade_plan(galaxy_info, nodes, pairs, statuses, NEW, "gr", **extra)


def test_the_seed_order_is_gr_then_the_standby_node_then_the_active_one():
    result = plan()
    assert result["problems"] == []
    assert result["order"] == ["gr", "sp-b", "sp-a"]
    assert [(layer["phase"], layer["nodes"]) for layer in result["layers"]] == [
        ("standby", ["sp-b"]), ("primary", ["sp-a"])]
    assert result["gr"] == {"host": "gr", "platform": "P0", "upgrade": True, "migrate": True}
    standby, primary = result["layers"]
    assert standby["expect"] == {"E1b": list(ACTIVE_STATUSES)}
    assert primary["expect"] == {"E1b": ["Active"], "E1": [READY]}
    # the vendor's final state: E1b (backup platform) active, E1 standby
    assert result["final_expect"] == {"E1b": ["Active"], "E1": [READY]}
    assert result["pairs"][0]["failover_expected"] is True
    assert result["needed"] is True and sp_engine_nodes(result) == ["sp-a", "sp-b"]


def test_a_pair_whose_backup_is_active_upgrades_the_primary_node_first():
    result = plan(statuses={"E1": READY, "E1b": "Active"})
    assert result["order"] == ["gr", "sp-a", "sp-b"]
    assert result["final_expect"] == {"E1": ["Active"], "E1b": [READY]}


def test_a_rerun_after_the_standby_phase_finishes_the_other_node_without_a_second_failover():
    nodes = {**NODES, "gr": {"platform": "P0", "version": NEW}, "sp-b": {"platform": "P2", "version": NEW}}
    result = plan(nodes=nodes, statuses={"E1": "Not Deployed", "E1b": "Active - Upgrade"})
    assert result["problems"] == []
    assert [(layer["phase"], layer["nodes"], layer["upgrade"]) for layer in result["layers"]] == [
        ("primary", ["sp-a"], ["sp-a"]), ("primary", ["sp-b"], [])]
    assert result["layers"][0]["expect"] == {"E1": [READY]}
    assert result["final_expect"] == {"E1b": ["Active"], "E1": [READY]}
    assert result["pairs"][0]["failover_expected"] is False and result["gr"]["upgrade"] is False


def test_nothing_is_needed_once_everything_runs_the_target():
    nodes = {h: {**n, "version": NEW} for h, n in NODES.items()}
    result = plan(nodes=nodes, statuses={"E1": READY, "E1b": "Active"})
    assert result["problems"] == [] and result["needed"] is False
    assert all(layer["upgrade"] == [] for layer in result["layers"])
    undeployed = plan(galaxy({"E1": "P1", "E1b": "P2"}, deployed=False), nodes=nodes,
                      statuses={"E1": READY, "E1b": "Active"})
    assert undeployed["needed"] is True and undeployed["undeployed"] == ["P0", "P1", "P2"]


def test_several_pairs_and_engines_per_node_are_layered():
    info = galaxy({"E1": "P1", "E2": "P1", "E1b": "P2", "E2b": "P2", "E3": "P3", "E3b": "P4"},
                  platforms=("P0", "P1", "P2", "P3", "P4", "P5"))
    nodes = {**NODES, "sp-c": {"platform": "P3", "version": OLD}, "sp-d": {"platform": "P4", "version": OLD},
             "solo": {"platform": "P5", "version": OLD}}
    pairs = PAIRS + [{"primary": "E2", "backup": "E2b"}, {"primary": "E3", "backup": "E3b", "name": "Line3"}]
    statuses = {"E1": "Active", "E1b": READY, "E2": "Active", "E2b": READY, "E3": READY, "E3b": "Active"}
    result = plan(info, nodes, pairs, statuses)
    assert result["problems"] == []
    assert [layer["nodes"] for layer in result["layers"]] == [["sp-b", "sp-c"], ["solo", "sp-a", "sp-d"]]
    assert [layer["phase"] for layer in result["layers"]] == ["standby", "primary"]
    assert result["final_expect"]["E3"] == ["Active"] and result["final_expect"]["E2b"] == ["Active"]


def test_crossed_actives_refuse_unless_extra_failovers_are_allowed():
    info = galaxy({"E1": "P1", "E1b": "P2", "E2": "P2", "E2b": "P1"})
    pairs = PAIRS + [{"primary": "E2", "backup": "E2b"}]
    statuses = {"E1": "Active", "E1b": READY, "E2": "Active", "E2b": READY}
    refused = plan(info, NODES, pairs, statuses)
    assert any("twice" in problem for problem in refused["problems"])
    allowed = plan(info, NODES, pairs, statuses, allow_extra_failovers=True)
    assert allowed["problems"] == [] and len(allowed["layers"]) == 2


def test_reasons_not_to_start_are_named():
    cases = [
        (dict(statuses={"E1": "Active", "E1b": "Standby - Not Ready"}), "E1b is not in sync"),
        (dict(statuses={"E1": "Active", "E1b": "Standby - Syncing Data"}), "E1b is not in sync"),
        (dict(statuses={"E1": "Standby - Ready", "E1b": READY}), "no engine active"),
        (dict(statuses={"E1": "Active", "E1b": "Active - Standby Not Available"}), "both engines active"),
        (dict(nodes={**NODES, "sp-a": {"platform": "P1", "version": None}}), "no System Platform version"),
        (dict(nodes={**NODES, "sp-a": {"platform": "P1", "version": "24.0"}}), "newer than the target"),
        (dict(nodes={**NODES, "sp-a": {"platform": "P9", "version": OLD}}), "P9 is not in galaxy"),
        (dict(pairs=[{"primary": "E1", "backup": "E7"}]), "E7 is not in galaxy"),
        (dict(pairs=[{"primary": "E1"}]), "needs 'primary' and 'backup'"),
        (dict(nodes={h: n for h, n in NODES.items() if h != "gr"}), "'gr' is not one of"),
        # an AWX job slice (or --limit) that left sp-a out: its platform has no node in the run
        (dict(nodes={h: n for h, n in NODES.items() if h != "sp-a"}), "platform P1 of galaxy"),
    ]
    for kwargs, text in cases:
        problems = plan(**kwargs)["problems"]
        assert any(text in problem for problem in problems), (text, problems)


def test_an_unmigrated_galaxy_plans_the_gr_node_only():
    nodes = {**NODES, "gr": {"platform": "P0", "version": NEW}}
    result = plan(galaxy({}, upgrade_required=True), nodes=nodes, statuses={})
    assert result["problems"] == [] and result["complete"] is False
    assert result["layers"] == [] and result["gr"]["migrate"] is True and result["needed"] is True


def test_a_standby_left_shut_down_by_a_failed_setup_does_not_stop_the_rerun():
    result = plan(statuses={"E1": "Active - Standby Not Available", "E1b": "Shutdown"})
    assert result["problems"] == [] and result["order"] == ["gr", "sp-b", "sp-a"]
    assert result["pairs"][0]["standby_running"] is False
