"""Redundancy: the active server, failover on a primary restart, and availability gaps."""

from __future__ import annotations

import pytest

from scada_twin.power_operation import wire
from scada_twin.power_operation.availability import availability
from scada_twin.power_operation.cicode import evaluate
from scada_twin.spec import SpecError
from scada_twin.timeline import Event
from support.po_hosts import TIME_SCALE, WAIT, host_data, make_hosts, settle  # noqa: F401

PAIR = "PO-PAIR"


@pytest.fixture
def pair_hosts(make_hosts):
    """(primary, standby), wired; the standby is listed first on purpose."""
    standby, primary = make_hosts(host_data("po-b", 2, pair=PAIR, configured_role="standby"),
                                  host_data("po-a", 1, pair=PAIR, configured_role="primary"))
    pairs = wire([standby, primary])
    assert list(pairs) == [PAIR]
    return primary, standby


def _active_log(host):
    return [e.data["active"] for e in host.timeline.events(PAIR, "po.active")]


def test_the_running_primary_is_active(pair_hosts):
    primary, standby = pair_hosts
    po_a, po_b = primary.power_operation, standby.power_operation
    assert po_a.pair is po_b.pair and po_a.pair.partner(po_a) is po_b
    assert (po_a.live_role(), po_b.live_role()) == ("active", "standby")
    assert evaluate(po_a, 'ServerInfoEx("Alarm", 0, "Alarm", "Cluster1")') == "1"
    assert evaluate(po_b, 'ServerInfoEx("Alarm", 0, "Alarm", "cluster1")') == "0"
    assert _active_log(primary) == ["po-a"]


def test_the_standby_takes_over_while_the_primary_restarts_and_hands_back(pair_hosts):
    primary, standby = pair_hosts
    po_a, po_b = primary.power_operation, standby.power_operation
    po_a.runtime.restart_all()
    assert primary.scheduler.wait_for(lambda: po_b.is_active(), WAIT)
    assert evaluate(po_b, 'ServerInfoEx("Trend", 0, "Trend", "Cluster1")') == "1"
    assert po_a.live_role() == "offline"
    settle(primary, standby)
    assert (po_a.live_role(), po_b.live_role()) == ("active", "standby")
    assert _active_log(primary) == ["po-a", "po-b", "po-a"]
    roles = [e.data["configured_role"] for e in primary.timeline.events(PAIR, "po.active")]
    assert roles == ["primary", "standby", "primary"]
    assert po_a.pair.availability().intervals == ()


def test_both_servers_down_is_a_gap_of_the_right_length(pair_hosts):
    primary, standby = pair_hosts
    for host in pair_hosts:
        host.power_operation.runtime.restart_all()
    settle(primary, standby)
    pair = primary.power_operation.pair
    result = pair.availability()
    assert len(result.intervals) == 1 and result.total > 0
    # Down from the first Stopping to the first I/O Server Running: about the modelled stop
    # (5 s) plus start (20 s); allow for a slow machine.
    assert 20 <= result.modelled(TIME_SCALE).total < 200
    log = _active_log(primary)
    assert log[0] == "po-a" and None in log and log[-1] == "po-a"


def test_a_standby_restart_alone_leaves_no_gap(pair_hosts):
    primary, standby = pair_hosts
    standby.power_operation.runtime.restart_all()
    settle(primary, standby)
    assert primary.power_operation.pair.availability().total == 0
    assert _active_log(primary) == ["po-a"]


def test_gaps_are_the_intervals_with_nobody_active_clipped_to_the_window():
    def ev(seq, t, active):
        return Event(seq, t, PAIR, "po.active", {"pair": PAIR, "active": active})

    events = [ev(0, 0.0, "a"), ev(1, 1.0, None), ev(2, 3.0, "b"), ev(3, 5.0, None),
              ev(4, 8.0, "a"), Event(5, 9.0, "a", "po.process", {})]
    result = availability(events, PAIR)
    assert [(g.start, g.end) for g in result.intervals] == [(1.0, 3.0), (5.0, 8.0)]
    assert result.total == 5.0 and result.end == 9.0  # the window ends with the last event
    clipped = availability(events, PAIR, start=2.5, end=6.0)
    assert [(g.start, g.end) for g in clipped.intervals] == [(2.5, 3.0), (5.0, 6.0)]
    assert availability(events, "OTHER-PAIR").intervals == ()


def test_a_dead_active_server_hands_control_over_after_the_monitor_timeout(pair_hosts):
    """The standby takes control once it has waited out [Alarm]MonitorRequestTimeout (30 s by
    default) without an answer; until then nobody serves, and the gap says so."""
    primary, standby = pair_hosts
    pair = primary.power_operation.pair
    pair.set_operative("po-a", False)
    assert pair.active() is None  # the standby has not noticed yet
    assert standby.scheduler.wait_for(lambda: pair.active() is standby.power_operation, WAIT)
    assert standby.power_operation.live_role() == "active"
    gap = pair.availability()
    assert len(gap.intervals) == 1
    assert 25 <= gap.modelled(TIME_SCALE).total < 200  # the scheduler's clock, the timeline's
    assert pair.gap_cause(gap.intervals[0].start) == "host_died"
    pair.set_operative("po-a", True)  # back (its runtime runs): the primary takes control back
    assert pair.active() is primary.power_operation
    assert _active_log(primary) == ["po-a", None, "po-b", "po-a"]


def test_the_monitor_timeout_comes_from_the_survivors_citect_ini(pair_hosts):
    primary, standby = pair_hosts
    install = standby.power_operation.install
    document = install.ini()
    document.set("Alarm", "MonitorRequestTimeout", "300")
    install.save_ini(document)
    pair = primary.power_operation.pair
    pair.set_operative("po-a", False)
    assert not standby.scheduler.wait_for(lambda: pair.active() is not None, 0.2)  # 300 s: 0.3 s real
    assert standby.scheduler.wait_for(lambda: pair.active() is standby.power_operation, WAIT)


def test_a_dead_standby_changes_nothing_while_the_primary_serves(pair_hosts):
    primary, standby = pair_hosts
    pair = primary.power_operation.pair
    pair.set_operative("po-b", False)
    settle(primary, standby)
    assert pair.active() is primary.power_operation and pair.availability().total == 0


def test_a_pair_needs_one_primary_and_one_standby(make_hosts):
    hosts = make_hosts(host_data("po-a", 1, pair=PAIR, configured_role="primary"),
                       host_data("po-b", 2, pair=PAIR, configured_role="primary"))
    with pytest.raises(SpecError, match="one primary and one standby"):
        wire(hosts)


def _windows(pair):
    return [(round(w.start, 3), round(w.end, 3)) for w in pair.redundancy().intervals]


def test_redundancy_is_lost_from_the_standbys_restart_until_both_run_the_same_new_project(pair_hosts):
    primary, standby = pair_hosts
    po_a, po_b = primary.power_operation, standby.power_operation
    pair = po_a.pair
    assert pair.redundant() and _windows(pair) == []
    for po in (po_b, po_a):  # the same change compiled on both, standby first
        po.projects.apply_change("PlantProject", {"Overview.ctg": b"changed"})
        po.compiler.compile("PlantProject")
    po_b.runtime.restart_all()
    settle(primary, standby)
    # the standby runs the new project, the primary the old: not redundant yet
    assert not pair.redundant() and po_b.live_role() == "standby"
    po_a.runtime.restart_all()
    settle(primary, standby)
    assert pair.redundant()
    events = [e for e in primary.timeline.events(PAIR, "po.redundant")]
    assert [e.data["redundant"] for e in events] == [True, False, True]
    [(start, end)] = _windows(pair)
    restarts = [e.time for e in standby.timeline.events("po-b", "po.process") if e.data["state"] != "Running"]
    assert abs(start - restarts[0]) < 0.05  # from the standby's first process leaving Running
    last_running = max(e.time for e in primary.timeline.events("po-a", "po.process") if e.data["state"] == "Running")
    assert abs(end - last_running) < 0.05  # to the primary's last process Running on the new project


def test_a_restart_with_the_same_project_costs_redundancy_only_while_it_lasts(pair_hosts):
    primary, standby = pair_hosts
    standby.power_operation.runtime.restart_all()
    settle(primary, standby)
    pair = standby.power_operation.pair
    [(start, end)] = _windows(pair)
    assert pair.redundant() and end > start
