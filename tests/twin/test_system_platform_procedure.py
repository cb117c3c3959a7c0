"""The vendor's "Upgrade redundant pairs" procedure, step by step, on the System Platform model.

GR node first (upload, upgrade, restart, migrate, cascade deploy), then the standby platform
P2, then the primary P1: the pair ends with E1b active and E1 standby after exactly one
failover and one brief downtime. Upgrading the primary first costs a second failover.
"""

from __future__ import annotations

import pytest

from scada_twin.system_platform import GalaxyError, states
from support.sp_hosts import (NEW, RESPONSE, TIME_SCALE, done, make_galaxy,  # noqa: F401
                              settle, statuses, status_log)


def _upgrade(host, galaxy, hosts):
    """Setup with Application Server deployed but shut down, then the restart it asks for."""
    node = host.system_platform
    op = done(node.install(NEW, RESPONSE))
    assert op.error is None and op.data["exit_code"] == 3010 and op.data["restart_required"]
    assert node.pending_restart and node.software_version == NEW
    assert node.platform.deployment == states.NOT_DEPLOYED
    assert done(node.reboot()).error is None
    assert not node.pending_restart and not host.powered_off
    settle(*hosts.values())


def _upgrade_gr(galaxy, hosts):
    gr = hosts["gr"]
    galaxy.objects["e1_obj001"].runtime_changes = 3
    upload = done(galaxy.upload(["E1_Obj001"]))
    assert upload.succeeded and upload.results[0].message.startswith("3 run-time")
    assert galaxy.objects["e1_obj001"].runtime_changes == 0

    op = done(gr.system_platform.install(NEW, RESPONSE))
    assert op.data["exit_code"] == 3010
    assert galaxy.platform("P0").deployment == states.NOT_DEPLOYED  # all GR objects undeployed
    assert galaxy.upgrade_required
    with pytest.raises(GalaxyError, match="must restart"):
        galaxy.deploy(["P0"])
    done(gr.system_platform.reboot())
    with pytest.raises(GalaxyError, match="migrated"):
        galaxy.deploy(["P0"])

    migrate = done(galaxy.migrate())
    assert migrate.succeeded and galaxy.version == NEW and not galaxy.upgrade_required
    # the IDE now shows P1 and P2 in Software Upgrade Pending
    assert galaxy.platform("P1").sup and galaxy.platform("P2").sup
    assert not galaxy.platform("P0").sup

    deploy = done(galaxy.deploy(["P0"], cascade=True))
    assert deploy.succeeded, deploy.as_dict()
    assert galaxy.platform("P0").state == states.RUNNING_ON_SCAN
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.ACTIVE, "E1b": states.STANDBY_READY}


def test_the_procedure_upgrades_gr_then_standby_then_primary_with_one_failover(make_galaxy):
    galaxy, hosts = make_galaxy()
    timeline = hosts["gr"].timeline
    pair = galaxy.pair("E1")
    assert statuses(galaxy) == {"E1": states.ACTIVE, "E1b": states.STANDBY_READY}

    _upgrade_gr(galaxy, hosts)
    assert pair.failovers == 0 and galaxy.downtime("E1").intervals == ()

    # -- standby platform P2 -------------------------------------------------------------
    p2_start = timeline.events()[-1].time
    _upgrade(hosts["sp-b"], galaxy, hosts)
    assert galaxy.engine("E1b").deployment == states.NOT_DEPLOYED
    assert statuses(galaxy) == {"E1": states.ACTIVE_STANDBY_NOT_AVAILABLE, "E1b": None}
    assert not galaxy.platform("P2").sup and galaxy.platform("P1").sup

    deploy = done(galaxy.deploy(["P2"], cascade=True))
    assert deploy.succeeded, deploy.as_dict()
    settle(*hosts.values())
    objects = galaxy.engine("E1").objects
    # E1 becomes undeployed but the objects under E1 continue to show as deployed ...
    assert galaxy.engine("E1").deployment == states.NOT_DEPLOYED
    assert all(o.deployment == states.DEPLOYED for o in objects)
    # ... and run under E1b at the new version, which is active (partner not upgraded)
    assert statuses(galaxy) == {"E1": None, "E1b": states.ACTIVE_UPGRADE}
    assert {o.running_on.name for o in objects} == {"E1b"} and {o.version for o in objects} == {NEW}
    assert [r.object for r in deploy.results] == ["P2", "E1b", *(o.name for o in objects)]
    assert any("stopped and unregistered" in m for m in deploy.messages)
    (failover,) = timeline.events(kind="sp.failover")
    # E1b does NOT start from the checkpointed state of E1
    assert failover.data == {"pair": "E1", "from_engine": "E1", "to_engine": "E1b",
                             "count": 1, "started_from_checkpoint": False}
    brief = galaxy.downtime("E1", start=p2_start)
    (interval,) = brief.intervals
    assert 0 < interval.length / TIME_SCALE < 60  # seconds to minutes, by object count

    # -- primary platform P1 -------------------------------------------------------------
    _upgrade(hosts["sp-a"], galaxy, hosts)
    assert statuses(galaxy) == {"E1": None, "E1b": states.ACTIVE_STANDBY_NOT_AVAILABLE}
    deploy = done(galaxy.deploy(["P1"], cascade=True))
    assert deploy.succeeded, deploy.as_dict()
    assert all(r.skipped for r in deploy.results if r.object.startswith("E1_Obj"))
    settle(*hosts.values())

    # final state: all deployed; E1 (P1) standby and synced, E1b (P2) active
    assert statuses(galaxy) == {"E1": states.STANDBY_READY, "E1b": states.ACTIVE}
    assert status_log(hosts, "E1")[-3:] == [states.STANDBY_SYNCING_CODE,
                                            states.STANDBY_SYNCING_DATA, states.STANDBY_READY]
    assert galaxy.engine("E1").synced
    assert all(p.deployment == states.DEPLOYED and p.running and not p.sup
               for p in galaxy.platforms.values())
    assert pair.failovers == 1 and len(timeline.events(kind="sp.failover")) == 1
    assert galaxy.downtime("E1").intervals == brief.intervals


def test_upgrading_the_primary_first_costs_a_second_failover(make_galaxy):
    galaxy, hosts = make_galaxy()
    _upgrade_gr(galaxy, hosts)
    _upgrade(hosts["sp-a"], galaxy, hosts)  # the active engine's node first
    assert statuses(galaxy) == {"E1": None, "E1b": states.ACTIVE_STANDBY_NOT_AVAILABLE}
    failover = hosts["gr"].timeline.events(kind="sp.failover")[0]
    assert failover.data["started_from_checkpoint"] is True  # E1b was Standby - Ready
    assert done(galaxy.deploy(["P1"])).succeeded
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.ACTIVE_UPGRADE, "E1b": None}
    _upgrade(hosts["sp-b"], galaxy, hosts)
    assert done(galaxy.deploy(["P2"])).succeeded
    settle(*hosts.values())
    assert statuses(galaxy) == {"E1": states.ACTIVE, "E1b": states.STANDBY_READY}
    assert galaxy.pair("E1").failovers == 2
    assert len(galaxy.downtime("E1").intervals) == 2
