"""The galaxy's structure and spec, several engines per platform and two pairs, failovers,
downtime and the timeline kinds of the System Platform model."""

from __future__ import annotations

import pytest

from scada_twin.spec import SpecError
from scada_twin.system_platform import GalaxyError, RedundancyError, downtime, states
from scada_twin.timeline import Event
from support.sp_hosts import (NEW, OLD, RESPONSE, TIME_SCALE, done, make_galaxy,  # noqa: F401
                              settle, sp_host, status_log, statuses, three_nodes)

TWO_PAIRS = {
    "name": "Plant",
    "platforms": [{"name": "GR", "node": "gr"}, {"name": "PA", "node": "sp-a"},
                  {"name": "PB", "node": "sp-b"}],
    "engines": [{"name": "E1", "platform": "PA", "objects": 4},
                {"name": "E2b", "platform": "PA"},
                {"name": "E3", "platform": "PA", "objects": ["Tank1", "Tank2"]},
                {"name": "E1b", "platform": "PB"},
                {"name": "E2", "platform": "PB", "objects": 6}],
    "pairs": [{"primary": "E1", "backup": "E1b"},
              {"primary": "E2", "backup": "E2b", "name": "Pair2"}],
}


def test_the_default_galaxy_is_a_gr_node_and_one_redundant_pair(make_galaxy):
    galaxy, hosts = make_galaxy()
    assert galaxy.name == "Galaxy" and galaxy.version == OLD and not galaxy.upgrade_required
    assert {p.name: p.node.host_name for p in galaxy.platforms.values()} == {
        "P0": "gr", "P1": "sp-a", "P2": "sp-b"}
    assert statuses(galaxy) == {"E1": states.ACTIVE, "E1b": states.STANDBY_READY}
    assert len(galaxy.engine("E1").objects) == 10
    assert hosts["sp-a"].system_platform.galaxy is galaxy
    assert hosts["gr"].system_platform.platform.name == "P0"
    engines = galaxy.query(kind="engine")
    assert [(e["name"], e["host"], e["deployment_status"]) for e in engines] == [
        ("E1", "P1", "deployed"), ("E1b", "P2", "deployed")]
    assert [o["name"] for o in galaxy.query(name_like="e1_obj00[12]")] == ["E1_Obj001",
                                                                          "E1_Obj002"]
    snapshot = galaxy.snapshot()
    assert snapshot["pairs"] == [{"name": "E1", "primary": "E1", "backup": "E1b",
                                  "active": "E1", "failovers": 0,
                                  "statuses": {"E1": "Active", "E1b": "Standby - Ready"}}]
    assert {o["running_on"] for o in snapshot["objects"]} == {"E1"}


def test_a_galaxy_can_start_undeployed(make_galaxy):
    galaxy, hosts = make_galaxy(three_nodes(deployed=False))
    assert statuses(galaxy) == {"E1": None, "E1b": None}
    assert all(q["deployment_status"] == "notDeployed" for q in galaxy.query())
    op = done(galaxy.deploy(["P0", "P1", "P2"], cascade=True))
    assert op.succeeded, op.as_dict()
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.ACTIVE, "E1b": states.STANDBY_READY}
    assert galaxy.pair("E1").failovers == 0


@pytest.mark.parametrize("galaxy_spec, error", [
    ({"platforms": [{"name": "P1", "node": "nowhere"}]}, "not a host with system_platform"),
    ({"platforms": [{"name": "P1", "node": "sp-a"}, {"name": "P2", "node": "sp-a"}]},
     "has two platforms"),
    ({"platforms": [{"name": "P1", "node": "sp-a"}],
      "engines": [{"name": "E", "platform": "P9"}]}, "unknown platform"),
    ({"platforms": [{"name": "P1", "node": "sp-a"}, {"name": "P2", "node": "sp-b"}],
      "engines": [{"name": "E", "platform": "P1"}, {"name": "Eb", "platform": "P2",
                                                     "objects": 1}],
      "pairs": [{"primary": "E", "backup": "Eb"}]}, "cannot host objects"),
    ({"platforms": [{"name": "P1", "node": "sp-a"}],
      "engines": [{"name": "E", "platform": "P1"}, {"name": "Eb", "platform": "P1"}],
      "pairs": [{"primary": "E", "backup": "Eb"}]}, "both engines on P1"),
    ({"platforms": [{"name": "X", "node": "sp-a"}],
      "engines": [{"name": "X", "platform": "X"}]}, "used twice"),
])
def test_the_galaxy_spec_is_checked_when_the_plant_is_wired(make_galaxy, galaxy_spec, error):
    with pytest.raises(SpecError, match=error):
        make_galaxy(three_nodes(**galaxy_spec))


@pytest.mark.parametrize("product, error", [
    ({"version": "2023 R2"}, "dotted version"),
    ({"role": "historian"}, "role must be"),
    ({"role": "runtime", "galaxy": {}}, "only the GR node"),
    ({"role": "gr", "galaxy": {"engines": []}}, "needs .*platforms"),
    ({"sms": {"port": 443}}, "needs 'server'"),
])
def test_the_product_spec_is_checked(make_galaxy, product, error):
    with pytest.raises(SpecError, match=error):
        make_galaxy([sp_host("gr", 1, **product)])


def test_several_engines_per_platform_and_two_pairs_per_galaxy(make_galaxy):
    galaxy, hosts = make_galaxy(three_nodes(**TWO_PAIRS))
    assert statuses(galaxy) == {"E1": "Active", "E2b": "Standby - Ready", "E3": None,
                                "E1b": "Standby - Ready", "E2": "Active"}
    pair1, pair2 = galaxy.pair("E1"), galaxy.pair("pair2")
    gr = hosts["gr"].system_platform
    done(gr.install(NEW, RESPONSE))
    done(gr.reboot())
    done(galaxy.migrate())
    assert done(galaxy.deploy(["GR"])).succeeded

    # PB first: E1b is E1's standby, but E2 is the active engine of Pair2 and fails over
    node_b = hosts["sp-b"].system_platform
    done(node_b.install(NEW, RESPONSE))
    settle(*hosts.values())
    assert (pair1.failovers, pair2.failovers) == (0, 1)
    assert statuses(galaxy)["E2b"] == states.ACTIVE_STANDBY_NOT_AVAILABLE
    done(node_b.reboot())
    op = done(galaxy.deploy(["PB"]))
    assert op.succeeded, op.as_dict()
    settle(*hosts.values())
    # E1b extracted E1's objects; E2 (a primary) deployed its own and stopped the older E2b
    assert statuses(galaxy) == {"E1": None, "E2b": None, "E3": None,
                                "E1b": states.ACTIVE_UPGRADE, "E2": states.ACTIVE_UPGRADE}
    assert galaxy.engine("E3").running  # the lone engine on PA keeps running
    assert (pair1.failovers, pair2.failovers) == (1, 2)

    node_a = hosts["sp-a"].system_platform
    done(node_a.install(NEW, RESPONSE))
    # E3 is not redundant: its objects stop with it and become undeployed
    assert {o.deployment for o in galaxy.engine("E3").objects} == {states.NOT_DEPLOYED}
    done(node_a.reboot())
    op = done(galaxy.deploy(["PA"]))
    assert op.succeeded, op.as_dict()
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.STANDBY_READY, "E2b": states.STANDBY_READY,
                                "E3": None, "E1b": states.ACTIVE, "E2": states.ACTIVE}
    assert {o.running_on.name for o in galaxy.engine("E3").objects} == {"E3"}
    assert (pair1.failovers, pair2.failovers) == (1, 2)
    assert len(galaxy.downtime("E1").intervals) == 1
    assert len(galaxy.downtime("Pair2").intervals) == 2


def test_an_engine_crash_goes_through_missed_heartbeats_and_the_engine_rejoins(make_galaxy):
    galaxy, hosts = make_galaxy()
    galaxy.crash_engine("E1")
    settle(*hosts.values())
    log = status_log(hosts, "E1b")
    assert log[:4] == [states.STANDBY_READY, states.STANDBY_MISSED_HEARTBEATS,
                       states.DETERMINING_FAILOVER_STATUS, states.SWITCHING_TO_ACTIVE]
    assert log[-1] == states.ACTIVE
    # the platform restarted E1: it joined as standby and synced
    assert statuses(galaxy) == {"E1": states.STANDBY_READY, "E1b": states.ACTIVE}
    (failover,) = hosts["gr"].timeline.events(kind="sp.failover")
    assert failover.data["started_from_checkpoint"] is True
    (gap,) = galaxy.downtime("E1").intervals
    assert gap.length / TIME_SCALE >= 55  # the vendor's minimum EngineFailureTimeout
    with pytest.raises(GalaxyError, match="no engine named"):
        galaxy.crash_engine("NoSuch")


def test_forcing_a_failover_needs_a_ready_standby(make_galaxy):
    galaxy, hosts = make_galaxy()
    with pytest.raises(RedundancyError, match="not the active engine"):
        galaxy.force_failover("E1b")
    galaxy.force_failover("E1")
    with pytest.raises(RedundancyError, match="not the active engine"):
        galaxy.force_failover("E1b")  # still Switching to Active
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.STANDBY_READY, "E1b": states.ACTIVE}
    assert galaxy.pair("E1").failovers == 1
    galaxy.force_failover("E1b")
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.ACTIVE, "E1b": states.STANDBY_READY}
    assert galaxy.pair("E1").failovers == 2


def test_a_standby_that_is_not_ready_to_sync_stays_not_ready(make_galaxy):
    galaxy, hosts = make_galaxy()
    hosts["sp-b"].faults.inject("sp-b", "sp_not_ready_to_sync", engine="E1b")
    done(galaxy.undeploy(["E1b"]))
    done(galaxy.deploy(["E1b"]))
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.ACTIVE_STANDBY_NOT_AVAILABLE,
                                "E1b": states.STANDBY_NOT_READY}
    with pytest.raises(RedundancyError, match="is not Standby - Ready"):
        galaxy.force_failover("E1")


def test_downtime_is_read_from_the_engine_status_events():
    def event(seq, time, engine, status, initial=False):
        return Event(seq, time, "h", "sp.engine.status",
                     {"engine": engine, "pair": "P", "status": status, "initial": initial})

    events = [event(0, 0.0, "A", "Active", True), event(1, 0.0, "B", "Standby - Ready", True),
              event(2, 1.0, "A", None), event(3, 1.5, "B", "Switching to Active"),
              event(4, 2.0, "B", "Active - Standby Not Available"),
              event(5, 3.0, "B", None), Event(6, 4.0, "h", "other", {})]
    found = downtime.downtime(events, "P")
    assert [(i.start, i.end) for i in found.intervals] == [(1.0, 2.0), (3.0, 4.0)]
    assert found.total == 2.0 and found.modelled(0.5).total == 4.0
    assert downtime.downtime(events, "P", start=1.5, end=3.5).total == 1.0
    assert downtime.downtime(events, "other-pair").intervals == ()


def test_redundancy_is_read_as_one_engine_active_and_its_partner_ready():
    def event(seq, time, engine, status):
        return Event(seq, time, "h", "sp.engine.status", {"engine": engine, "pair": "P", "status": status})

    events = [event(0, 0.0, "A", "Active"), event(1, 0.0, "B", "Standby - Ready"),
              event(2, 1.0, "B", None),                            # the standby's node upgraded
              event(3, 2.0, "B", "Active - Upgrade"), event(4, 2.0, "A", None),  # the one failover
              event(5, 3.0, "A", "Standby - Syncing Data"), event(6, 3.5, "B", "Active"),
              event(7, 4.0, "A", "Standby - Ready"), Event(8, 5.0, "h", "other", {})]
    found = downtime.without_redundancy(events, "P")
    assert [(i.start, i.end) for i in found.intervals] == [(1.0, 4.0)]  # not the initial events' instant
    assert downtime.without_redundancy(events, "other-pair").intervals == ()


def test_every_change_is_on_the_timeline_with_an_sp_kind(make_galaxy):
    galaxy, hosts = make_galaxy()
    gr = hosts["gr"]
    done(gr.system_platform.install(NEW, RESPONSE))
    done(gr.system_platform.reboot())
    done(galaxy.migrate())
    done(galaxy.deploy(["P0"]))
    galaxy.force_failover("E1")
    settle(*hosts.values())
    hosts["sp-b"].faults.inject("sp-b", "sp_unreachable")
    done(galaxy.undeploy(["P2"], mark_as_undeployed_on_failure=True))
    assert galaxy.platform("P2").deployment == states.NOT_DEPLOYED  # marked on failure
    done(galaxy.deploy(["P1", "E1b"]))  # a multi-selection: E1b is skipped with a message
    done(galaxy.deploy(["P2"]))         # the node does not answer
    done(galaxy.deploy(["E1_Obj001"], action="redeployOriginal"))
    done(galaxy.upload(["E1_Obj001"]))
    settle(*hosts.values())
    kinds = {e.kind for e in gr.timeline.events() if e.kind.startswith(("sp.", "host."))}
    assert kinds >= {"sp.install", "sp.reboot", "host.power", "sp.galaxy", "sp.migrate",
                     "sp.deploy", "sp.undeploy", "sp.platform", "sp.engine", "sp.engine.status",
                     "sp.failover", "sp.object", "sp.upload", "sp.message"}
    deploys = gr.timeline.events(kind="sp.deploy")
    assert [e.data["state"] for e in deploys] == ["started", "succeeded", "started",
                                                  "succeeded", "started", "failed",
                                                  "started", "succeeded"]
    assert [e.data["powered_off"] for e in gr.timeline.events("gr", "host.power")] == [True,
                                                                                       False]
    assert galaxy.pair("E1").failovers == 2
