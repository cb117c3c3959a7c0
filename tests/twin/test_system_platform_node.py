"""A System Platform node: setup (upgrade, refusals, failure), restart, SMS, load balancing,
and the restart seen from the network on a running plant."""

from __future__ import annotations

import socket
import time

import pytest

from scada_twin.system_platform import InstallError, node as sp_node, states
from scada_twin.system_platform.node import LOAD_BALANCING_KEY
from support.plants import plant_spec
from support.sp_hosts import (NEW, OLD, RESPONSE, TIME_SCALE, WAIT, done,  # noqa: F401
                              make_galaxy, settle, sp_host, statuses, three_nodes)


@pytest.mark.parametrize("response, version, node_spec, message", [
    ({}, NEW, {}, "SRedistConsent=true"),
    ({sp_node.CONSENT_KEY: "false"}, NEW, {}, "SRedistConsent=true"),
    (RESPONSE, "22.0", {}, "does not downgrade"),
    (RESPONSE, NEW, {"pending_restart": True}, "a restart is pending"),
])
def test_setup_refuses_without_changing_anything(make_galaxy, response, version, node_spec,
                                                 message):
    galaxy, hosts = make_galaxy([sp_host("gr", 1, role="gr", galaxy={}),
                                 sp_host("sp-a", 2, **node_spec), sp_host("sp-b", 3)])
    node = hosts["sp-a"].system_platform
    op = done(node.install(version, response))
    assert op.data["exit_code"] == sp_node.EXIT_FAILED and message in op.error
    assert node.software_version == OLD and not node.installing
    assert galaxy.platform("P1").running
    assert statuses(galaxy)["E1"] == states.ACTIVE
    assert hosts["gr"].timeline.events("sp-a", "sp.install")[-1].data["state"] == "failed"


def test_setup_stops_on_the_pending_restart_fault_and_repeats_nothing_on_the_same_version(
        make_galaxy):
    galaxy, hosts = make_galaxy()
    node = hosts["sp-b"].system_platform
    hosts["sp-b"].faults.inject("sp-b", "sp_setup_pending_restart")
    assert "a restart is pending" in done(node.install(NEW, RESPONSE)).error
    hosts["sp-b"].faults.clear("sp-b")
    same = done(node.install(OLD, RESPONSE))
    assert same.error is None and same.data == {**same.data, "exit_code": 0, "changed": False}
    assert galaxy.platform("P2").deployment == states.DEPLOYED


def test_a_failed_upgrade_leaves_the_platform_shut_down_without_rollback(make_galaxy):
    galaxy, hosts = make_galaxy()
    node = hosts["sp-a"].system_platform
    hosts["sp-a"].faults.inject("sp-a", "sp_install_fails", count=1, message="MSI error 1603")
    op = done(node.install(NEW, RESPONSE))
    assert op.error == "MSI error 1603" and op.data["exit_code"] == 1603
    assert node.software_version == OLD and not node.pending_restart and not node.installing
    settle(*hosts.values())
    platform = galaxy.platform("P1")
    assert platform.deployment == states.DEPLOYED and platform.state == states.SHUTDOWN
    assert statuses(galaxy) == {"E1": None, "E1b": states.ACTIVE_STANDBY_NOT_AVAILABLE}
    assert galaxy.pair("E1").failovers == 1


def test_an_upgrade_records_the_installer_configuration_and_refuses_a_second_setup(make_galaxy):
    galaxy, hosts = make_galaxy()
    node = hosts["sp-b"].system_platform
    assert node.sms is None
    response = {**RESPONSE, sp_node.SMS_SERVER_KEY: "GR-NODE", sp_node.SMS_PORT_KEY: "8443"}
    running = node.install(NEW, response)
    with pytest.raises(InstallError, match="setup is running"):
        node.reboot()
    assert done(node.install(NEW, RESPONSE)).data["exit_code"] == sp_node.EXIT_ANOTHER_SETUP
    done(running)
    assert node.sms == {"server": "GR-NODE", "port": 8443}
    assert node.install_location == "C:\\Program Files (x86)\\"
    assert node.last_install == {"version": NEW, "keys": sorted(response)}
    install_events = hosts["sp-b"].timeline.events("sp-b", "sp.install")
    assert all("GR-NODE" not in str(e.data) for e in install_events)  # no values recorded
    done(node.reboot())
    with pytest.raises(InstallError, match="not running"):
        hosts["sp-b"].set_powered_off(True)
        node.install(NEW, RESPONSE)


def test_a_restart_of_the_active_node_fails_over_and_the_engine_rejoins(make_galaxy):
    galaxy, hosts = make_galaxy()
    node = hosts["sp-a"].system_platform
    op = node.reboot()
    # the power-off event stays; powered_off itself lasts only until the boot begins
    assert hosts["sp-a"].scheduler.wait_for(
        lambda: hosts["sp-a"].timeline.events("sp-a", "host.power"), WAIT)
    assert galaxy.engine("E1").state == states.NOT_AVAILABLE
    assert node.deploy_blocker() == "node sp-a is not reachable"
    done(op)
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.STANDBY_READY, "E1b": states.ACTIVE}
    assert galaxy.pair("E1").failovers == 1
    kinds = [(e.host, e.kind, e.data.get("state", e.data.get("powered_off")))
             for e in hosts["sp-a"].timeline.events("sp-a")
             if e.kind in ("sp.reboot", "host.power")]
    assert kinds == [("sp-a", "sp.reboot", "started"), ("sp-a", "host.power", True),
                     ("sp-a", "host.power", False), ("sp-a", "sp.reboot", "completed")]


def test_sms_is_required_on_a_historizing_redundant_node_from_2023_r2(make_galaxy):
    galaxy, hosts = make_galaxy([
        sp_host("gr", 1, role="gr", galaxy={}, version=NEW),
        sp_host("sp-a", 2, version=NEW, historizing=True),
        sp_host("sp-b", 3, version=NEW, historizing=True, sms={"server": "GR"}),
        sp_host("old", 4, version=OLD, historizing=True)])
    a, b = hosts["sp-a"].system_platform, hosts["sp-b"].system_platform
    assert "System Management Server" in a.warnings()[0]
    assert b.warnings() == [] and b.sms == {"server": "GR", "port": 443}
    assert hosts["old"].system_platform.warnings() == []  # no platform in the galaxy
    assert a.snapshot()["warnings"] == a.warnings()


def test_cpu_load_balancing_lives_in_the_registry_and_speeds_up_a_failover(make_galaxy):
    galaxy_spec = {"platforms": [{"name": "P0", "node": "gr"}, {"name": "P1", "node": "sp-a"},
                                 {"name": "P2", "node": "sp-b"}],
                   "engines": [{"name": "E1", "platform": "P1", "objects": 100},
                               {"name": "E1b", "platform": "P2"}],
                   "pairs": [{"primary": "E1", "backup": "E1b"}]}
    gaps = []
    for enabled in (False, True):
        balancing = {"load_balancing": {"enabled": True, "objects_per_group": 20}} if enabled else {}
        galaxy, hosts = make_galaxy([sp_host("gr", 1, role="gr", galaxy=galaxy_spec, version=NEW),
                                     sp_host("sp-a", 2, version=NEW),
                                     sp_host("sp-b", 3, version=NEW, **balancing)],
                                    costs={"sp_object_start": 1.0})
        node = hosts["sp-b"].system_platform
        assert node.cpu_balancing_active() is enabled
        galaxy.force_failover("E1")
        settle(*hosts.values())
        (gap,) = galaxy.downtime("E1").intervals
        gaps.append(gap.length / TIME_SCALE)
    assert gaps[1] < gaps[0] - 20  # 100 objects at half the start cost: 50 s less
    values = {v.name: (v.kind, v.data) for v in hosts["sp-b"].registry.values(LOAD_BALANCING_KEY)}
    assert values == {"EnableCPUBalancing": ("REG_DWORD", 1),
                      "LoadObjectsNumberPerGroup": ("REG_DWORD", 20)}
    assert not hosts["sp-a"].registry.key_exists(LOAD_BALANCING_KEY)
    assert hosts["sp-a"].system_platform.load_balancing() == {
        "enabled": False, "objects_per_group": 50, "configured": {}}


def test_cpu_load_balancing_needs_2023_r2_sp1(make_galaxy):
    _, hosts = make_galaxy([sp_host("gr", 1, role="gr", version="23.1",
                                    load_balancing={"enabled": True})])
    node = hosts["gr"].system_platform
    assert node.load_balancing()["enabled"] and not node.cpu_balancing_active()


def test_a_restart_closes_the_hosts_listeners_on_a_running_plant(make_plant):
    data = plant_spec(["gr", "sp-a", "sp-b"], cost={"operations": {"sp_reboot": 300.0}})
    for host, product in zip(data["hosts"], [{"role": "gr", "galaxy": {}}, {}, {}]):
        host["products"] = {"system_platform": {"version": OLD, **product}}
    plant = make_plant(data)
    (galaxy,) = plant.galaxies.values()
    host = plant.hosts["sp-b"]
    address = (host.address, host.spec.http_port)
    socket.create_connection(address, timeout=5).close()
    op = host.system_platform.reboot()
    assert host.scheduler.wait_for(lambda: plant.state()["hosts"]["sp-b"]["powered_off"], WAIT)
    assert plant.timeline.events("sp-b", "host.power")[0].data == {"powered_off": True}
    # the plant closes listeners on a thread of its own, which the scheduler does not see
    assert _eventually(lambda: plant.timeline.events("sp-b", "wsman.listeners_down"))
    assert _refused(address) or not host.powered_off
    assert done(op).error is None
    assert _eventually(lambda: plant.timeline.events("sp-b", "wsman.listeners_up"))
    assert not _refused(address)
    kinds = [e.kind for e in plant.timeline.events("sp-b")
             if e.kind in ("host.power", "host.boot", "wsman.listeners_down", "wsman.listeners_up")]
    # off (refused), then booting (listening, dark), then up
    assert kinds == ["host.power", "wsman.listeners_down", "host.boot", "host.power",
                     "wsman.listeners_up", "host.boot"], kinds
    assert galaxy.engine("E1b").running or galaxy.engine("E1b").starting


def _eventually(predicate) -> bool:
    """Poll a condition another thread (not a scheduler callback) makes true."""
    deadline = time.monotonic() + WAIT
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _refused(address: tuple[str, int]) -> bool:
    try:
        socket.create_connection(address, timeout=1).close()
    except OSError:
        return True
    return False
