"""Each row of the vendor's behaviour table for upgrading redundant pairs, and the other
deploy and undeploy rules of the System Platform model."""

from __future__ import annotations

import pytest

from scada_twin.system_platform import GalaxyError, states
from support.sp_hosts import (NEW, RESPONSE, done, make_galaxy,  # noqa: F401
                              settle, statuses)


@pytest.fixture
def migrated(make_galaxy):
    """GR upgraded and migrated, P0 deployed: P1 and P2 are in SUP, E1 active, E1b ready."""
    galaxy, hosts = make_galaxy()
    gr = hosts["gr"].system_platform
    done(gr.install(NEW, RESPONSE))
    done(gr.reboot())
    assert done(galaxy.migrate()).succeeded
    assert done(galaxy.deploy(["P0"])).succeeded
    settle(*hosts.values())
    return galaxy, hosts


def _upgrade_node(hosts, name):
    node = hosts[name].system_platform
    assert done(node.install(NEW, RESPONSE)).error is None
    assert done(node.reboot()).error is None
    settle(*hosts.values())


def test_a_cascade_deploy_of_the_upgraded_backup_platform_extracts_the_primarys_objects(migrated):
    galaxy, hosts = migrated
    _upgrade_node(hosts, "sp-b")
    op = done(galaxy.deploy(["P2"], cascade=True))
    objects = [o.name for o in galaxy.engine("E1").objects]
    assert op.succeeded
    assert [r.object for r in op.results] == ["P2", "E1b", *objects]
    assert all("extracted from E1" in op.result(o).message for o in objects)
    assert {o.version for o in galaxy.engine("E1").objects} == {NEW}


def test_deploying_an_engine_whose_partner_is_in_sup_is_always_a_cascade_deploy(migrated):
    galaxy, hosts = migrated
    _upgrade_node(hosts, "sp-b")
    assert done(galaxy.deploy(["P2"], cascade=False)).succeeded  # the platform alone
    assert galaxy.engine("E1b").deployment == states.NOT_DEPLOYED
    op = done(galaxy.deploy(["E1b"], cascade=False))
    assert op.succeeded
    assert any("is a cascade deploy" in m for m in op.messages)
    assert len(op.results) == 1 + len(galaxy.engine("E1").objects)  # the objects came too
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": None, "E1b": states.ACTIVE_UPGRADE}


def test_a_multi_selection_cascade_skips_an_engine_whose_partner_is_in_sup(migrated):
    galaxy, hosts = migrated
    _upgrade_node(hosts, "sp-b")
    op = done(galaxy.deploy(["P2", "E1b"], cascade=True))
    skipped = op.result("E1b")
    assert skipped.successful and skipped.skipped and "Software Upgrade Pending" in skipped.message
    assert any("E1b skipped" in m for m in op.messages)
    assert galaxy.platform("P2").deployment == states.DEPLOYED
    assert galaxy.engine("E1b").deployment == states.NOT_DEPLOYED
    messages = hosts["gr"].timeline.events(kind="sp.message")
    assert [e.data["object"] for e in messages] == ["E1b"]
    settle(*hosts.values())
    assert statuses(galaxy)["E1"] == states.ACTIVE_STANDBY_NOT_AVAILABLE  # nothing moved


@pytest.mark.parametrize("fault", [("sp_unreachable", {}), ("down", {}),
                                   ("sp_not_ready_to_sync", {"engine": "E1"})])
def test_a_partner_deployed_but_unreachable_or_not_ready_makes_the_deploy_fail(migrated, fault):
    galaxy, hosts = migrated
    _upgrade_node(hosts, "sp-b")
    kind, params = fault
    hosts["sp-a"].faults.inject("sp-a", kind, **params)
    op = done(galaxy.deploy(["P2"], cascade=True))
    assert not op.succeeded
    assert op.result("P2").successful
    failed = op.result("E1b")
    assert not failed.successful
    assert ("not reachable" if kind != "sp_not_ready_to_sync" else "not ready to sync") in failed.message
    assert not any(r.successful for r in op.results[2:])  # the extracted objects
    assert galaxy.engine("E1").deployment == states.DEPLOYED  # nobody stopped E1
    settle(*hosts.values())
    assert statuses(galaxy)["E1"] == states.ACTIVE_STANDBY_NOT_AVAILABLE
    assert galaxy.pair("E1").failovers == 0


def test_a_partner_with_older_software_is_stopped_and_unregistered(migrated):
    galaxy, hosts = migrated
    _upgrade_node(hosts, "sp-b")
    op = done(galaxy.deploy(["P2"]))
    assert any("E1 runs older software (23.0) than E1b (23.1.100): stopped and unregistered"
               in m for m in op.messages)
    settle(*hosts.values())
    assert galaxy.engine("E1").deployment == states.NOT_DEPLOYED
    assert galaxy.engine("E1b").redundancy_status == states.ACTIVE_UPGRADE
    assert states.ACTIVE_PARTNER_NOT_UPGRADED == "Active - Partner not Upgraded"  # same state
    # application objects can be deployed to the partner in Active - Upgrade
    obj = galaxy.objects["e1_obj002"]
    obj.pending_changes = True
    redeploy = done(galaxy.deploy([obj.name], action="deployChanges"))
    assert redeploy.succeeded and not redeploy.results[0].skipped
    # the older engine cannot be deployed until its node is upgraded
    op = done(galaxy.deploy(["E1"]))
    assert not op.succeeded and "Software Upgrade Pending" in op.result("E1").message


def test_a_cascade_undeploy_of_the_primary_undeploys_the_objects_of_both_engines(make_galaxy):
    galaxy, hosts = make_galaxy()
    refused = done(galaxy.undeploy(["E1"], cascade=False))
    assert not refused.succeeded and "hosts deployed objects" in refused.result("E1").message
    op = done(galaxy.undeploy(["E1"], cascade=True))
    assert op.succeeded
    assert [r.object for r in op.results][-1] == "E1"
    assert all(o.deployment == states.NOT_DEPLOYED for o in galaxy.engine("E1").objects)
    assert galaxy.engine("E1").deployment == states.NOT_DEPLOYED
    settle(*hosts.values())
    assert galaxy.engine("E1b").deployment == states.DEPLOYED
    assert all(o.running_on is None for o in galaxy.engine("E1").objects)


def test_undeploying_the_backup_leaves_the_primary_active_without_standby(make_galaxy):
    galaxy, hosts = make_galaxy()
    assert done(galaxy.undeploy(["E1b"], cascade=False)).succeeded
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.ACTIVE_STANDBY_NOT_AVAILABLE, "E1b": None}
    assert all(o.running_on is galaxy.engine("E1") for o in galaxy.engine("E1").objects)
    refused = done(galaxy.undeploy(["P1"], cascade=False))
    assert "hosts deployed engines (E1)" in refused.result("P1").message


def test_deploys_are_refused_while_the_galaxy_is_busy_or_to_a_sup_platform(migrated):
    galaxy, hosts = migrated
    running = galaxy.undeploy(["E1b"])
    with pytest.raises(GalaxyError, match="busy"):
        galaxy.deploy(["P1"])
    done(running)
    op = done(galaxy.deploy(["E1b"]))  # P2's node still runs the old software
    assert "Software Upgrade Pending" in op.result("E1b").message
    unknown = done(galaxy.deploy(["NoSuchObject"]))
    assert not unknown.succeeded and "does not exist" in unknown.results[0].message


def test_an_injected_deploy_failure_and_a_node_waiting_for_its_restart(migrated):
    galaxy, hosts = migrated
    node = hosts["sp-b"].system_platform
    done(node.install(NEW, RESPONSE))
    op = done(galaxy.deploy(["P2"]))
    assert "must restart" in op.result("P2").message
    done(node.reboot())
    hosts["sp-b"].faults.inject("sp-b", "sp_deploy_fails", count=1, object="P2",
                                message="bootstrap refused")
    assert done(galaxy.deploy(["P2"])).result("P2").message == "bootstrap refused"
    assert done(galaxy.deploy(["P2"])).succeeded
