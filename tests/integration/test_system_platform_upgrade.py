"""The System Platform play of redundant_update.yml (role system_platform_upgrade) on twin galaxies.

The molecule scenarios sp_* rehearse the one-pair procedure and its refusals; these tests
cover what they do not: two pairs with two engines per node, the standby and primary phases
run apart (the AWX approval), and the System Platform cases of the fault matrix - a partner
not reachable during the deploy, and the standby's setup failing, each followed by a rerun
that completes the upgrade with one failover per pair and without redoing finished work; and
restarts that refuse, then stay dark longer than the connection's read timeout.
"""

from __future__ import annotations

import hashlib

from support.ansible_run import PlaybookRun
from support.sp_plant import NEW, OLD
from support.sp_galaxy_run import two_pair_galaxy, upgrade

def setups(plant, host: str) -> int:
    return len([e for e in plant.timeline.events(host=host, kind="sp.install") if e.data["state"] == "started"])


def pairs(plant) -> dict:
    return plant.galaxies_report()["Galaxy"]["pairs"]


def failures(run: PlaybookRun) -> list[tuple[str, str, str]]:
    return [(r["host"], r["task"], r["result"].get("msg", "")) for r in run.results if r["status"] == "failed"]


def first(plant, kind: str, host: str = "gr", state: str = "started") -> int:
    return next(e.seq for e in plant.timeline.events(host=host, kind=kind) if e.data["state"] == state)


def backups_taken(plant) -> list:
    return [e for e in plant.timeline.events(host="gr", kind="sp.backup") if e.data["state"] == "succeeded"]


def assert_upgraded_with_one_failover_per_pair(plant, run: PlaybookRun) -> None:
    assert run.rc == 0, run.output[-4000:]
    report = plant.galaxies_report()["Galaxy"]
    assert report["version"] == NEW and not report["upgrade_required"]
    assert {p["name"]: (p["deployment"], p["software_version"]) for p in report["platforms"]} == {
        name: ("Deployed", NEW) for name in ("P0", "P1", "P2")}
    for name, backup in (("E1", "E1b"), ("E2", "E2b")):
        pair = report["pairs"][name]
        assert pair["failovers"] == 1, pair
        assert pair["statuses"] == {name: "Standby - Ready", backup: "Active"}, pair
        assert len(pair["downtime"]) == 1, pair
        # redundancy is lost once: from the first partner's upgrade until both run the new
        # version in sync, a window that holds the pair's one downtime
        [window] = pair["without_redundancy"]
        assert window["start"] <= pair["downtime"][0]["start"] and pair["downtime"][0]["end"] <= window["end"]


def test_two_pairs_upgrade_in_two_phases_with_one_failover_each(make_plant, tmp_path):
    plant = two_pair_galaxy(make_plant)

    refused = upgrade(plant, tmp_path, system_platform_upgrade_phase="primary")
    assert refused.rc != 0
    assert any(host == "sp-a" and "the GR node gr" in msg and "standby phase must run before" in msg
               for host, _, msg in failures(refused)), failures(refused)
    assert not plant.timeline.events(kind="sp.install") and not plant.timeline.events(kind="sp.deploy")

    standby = upgrade(plant, tmp_path, system_platform_upgrade_phase="standby")
    assert standby.rc == 0, standby.output[-4000:]
    assert (setups(plant, "gr"), setups(plant, "sp-b"), setups(plant, "sp-a")) == (1, 1, 0)
    # the galaxy was backed up, proved and fetched before anything changed on the GR node
    [backup] = backups_taken(plant)
    assert backup.seq < first(plant, "sp.install") < first(plant, "sp.migrate")
    [taken] = [r["result"] for r in standby.results if r["status"] == "ok"
               if r["task"].endswith("Back up the galaxy and fetch it to the controller before anything changes")]
    content = plant.hosts["gr"].fs.read(taken["path"])
    assert taken["sha256"] == hashlib.sha256(content).hexdigest() == taken["fetched"]["sha256"]
    local = tmp_path / "home" / "scada-redundancy" / "backups" / "gr" / taken["backup_name"]
    assert hashlib.sha256(local.read_bytes()).hexdigest() == taken["sha256"]
    [said] = [r["result"]["msg"] for r in standby.results
              if r["task"].endswith("Show what happened to the galaxy") and r["status"] == "ok"]
    assert taken["galaxy_version"] == OLD and f"galaxy backed up first to {taken['path']}" in said
    for name, backup in (("E1", "E1b"), ("E2", "E2b")):
        pair = pairs(plant)[name]
        assert pair["failovers"] == 1 and pair["active"] == backup
        assert pair["statuses"][backup] in ("Active - Upgrade", "Active - Partner Not Upgraded"), pair
    assert "standby step sp-b deployed and in role" in standby.output

    primary = upgrade(plant, tmp_path, system_platform_upgrade_phase="primary")
    assert_upgraded_with_one_failover_per_pair(plant, primary)
    assert (setups(plant, "gr"), setups(plant, "sp-b"), setups(plant, "sp-a")) == (1, 1, 1)

    again = upgrade(plant, tmp_path)
    assert again.rc == 0 and not [r for r in again.results if r["result"].get("changed")], again.output[-3000:]
    assert all(p["failovers"] == 1 for p in pairs(plant).values())


def test_partner_not_reachable_during_the_deploy_then_a_rerun_completes(make_plant, tmp_path):
    plant = two_pair_galaxy(make_plant)
    plant.inject("sp-a", "sp_unreachable")
    # the statuses are read on a run-time node here, not on the GR host
    failed = upgrade(plant, tmp_path, system_platform_upgrade_status_host="sp-b")
    assert failed.rc != 0
    found = failures(failed)
    assert any(host == "gr" and "cascade deploy of P2 failed" in msg and "not reachable" in msg
               and "sp-a" in msg for host, _, msg in found), found
    assert any(host == "sp-a" and "was not touched" in msg for host, _, msg in found), found
    assert setups(plant, "sp-a") == 0
    assert all(p["active"] in ("E1", "E2") and p["failovers"] == 0 for p in pairs(plant).values())

    # the step's wait was not started after the failed deploy
    assert not [r for r in failed.results if r["task"].startswith("Wait for each pair") and r["host"] == "sp-b"
                and r["status"] != "skipped"]

    plant.clear("sp-a", "sp_unreachable")
    rerun = upgrade(plant, tmp_path, system_platform_upgrade_status_host="sp-b")
    assert_upgraded_with_one_failover_per_pair(plant, rerun)
    # setup ran once per node: the rerun skipped what was done
    assert (setups(plant, "gr"), setups(plant, "sp-b"), setups(plant, "sp-a")) == (1, 1, 1)
    assert len([e for e in plant.timeline.events(kind="sp.migrate") if e.data["state"] == "started"]) == 1
    assert len(backups_taken(plant)) == 1  # the migrated galaxy needs no second backup


def test_no_migration_without_the_galaxy_backup_unless_the_operator_opts_out(make_plant, tmp_path):
    plant = two_pair_galaxy(make_plant)
    plant.inject("gr", "sp_backup_fails", count=1, message="SQL Server: the backup device is full")
    refused = upgrade(plant, tmp_path, system_platform_upgrade_phase="standby")
    assert refused.rc != 0
    found = failures(refused)
    assert any(host == "gr" and "SQL Server: the backup device is full" in msg for host, _, msg in found), found
    assert not plant.timeline.events(kind="sp.install") and not plant.timeline.events(kind="sp.migrate")
    assert plant.galaxies_report()["Galaxy"]["version"] == OLD

    opted_out = upgrade(plant, tmp_path, system_platform_upgrade_phase="standby",
                        system_platform_upgrade_galaxy_backup=False)
    assert opted_out.rc == 0, opted_out.output[-4000:]
    assert "is migrated without a backup taken by this run" in opted_out.output
    assert not backups_taken(plant) and plant.galaxies_report()["Galaxy"]["version"] == NEW


def test_standby_setup_failing_leaves_the_primary_active_then_a_rerun_completes(make_plant, tmp_path):
    plant = two_pair_galaxy(make_plant)
    plant.inject("sp-b", "sp_install_fails", count=1, message="Fatal error during installation (test)")
    failed = upgrade(plant, tmp_path)
    assert failed.rc != 0
    found = failures(failed)
    assert any(host == "sp-b" and "Fatal error during installation" in msg for host, _, msg in found), found
    assert any(host == "gr" and "The upgrade of sp-b failed" in msg for host, _, msg in found), found
    assert setups(plant, "sp-a") == 0
    assert [e.data["objects"][0] for e in plant.timeline.events(kind="sp.deploy")
            if e.data["state"] == "started"] == ["P0"]
    for name in ("E1", "E2"):
        pair = pairs(plant)[name]
        assert pair["active"] == name and pair["failovers"] == 0
        assert pair["statuses"][name].startswith("Active"), pair

    rerun = upgrade(plant, tmp_path)
    assert_upgraded_with_one_failover_per_pair(plant, rerun)
    assert (setups(plant, "gr"), setups(plant, "sp-b"), setups(plant, "sp-a")) == (1, 2, 1)
    assert OLD not in {p["software_version"] for p in plant.galaxies_report()["Galaxy"]["platforms"]}


def test_restarts_that_go_dark_longer_than_the_read_timeout_are_ridden(make_plant, tmp_path):
    """Each node's restart refuses connections for 2 s, then swallows every packet for 6 s
    (booting) while the connection gives up after 2 s: the waits ride both phases and the
    upgrade completes with one failover per pair, each restart reporting what it saw."""
    plant = two_pair_galaxy(make_plant, sp_reboot=800, sp_boot_dark=600)
    run = upgrade(plant, tmp_path, ansible_winrm_read_timeout_sec=2, ansible_winrm_operation_timeout_sec=1)
    assert_upgraded_with_one_failover_per_pair(plant, run)
    for host in ("gr", "sp-b", "sp-a"):
        [install] = [r for r in run.results if r["host"] == host and "restarts" in r["result"]]
        [restart] = install["result"]["restarts"]
        states = [seen["state"] for seen in restart["seen"]]
        assert "refused" in states and "no answer" in states, (host, states)
