"""The System Platform play of redundant_update.yml (role system_platform_upgrade) on twin galaxies.

The molecule scenarios sp_* rehearse the one-pair procedure and its refusals; these tests
cover what they do not: two pairs with two engines per node, the standby and primary phases
run apart (the AWX approval), and the two System Platform cases of the fault matrix - a
partner not reachable during the deploy, and the standby's setup failing - each followed by a
rerun that completes the upgrade with one failover per pair and without redoing finished work.
"""

from __future__ import annotations

import pathlib

import yaml

from support.ansible_run import ROOT, PlaybookRun, run_playbook
from support.plants import PASSWORD, USER
from support.sp_plant import NEW, OLD, settle, sp_plant_spec

SETUP = "D:\\Media\\SP2023R2SP1\\setup.exe"
TOOL = "C:\\Site\\Tools\\EngineStatus.exe"
PAIRS = [{"primary": "E1", "backup": "E1b"}, {"primary": "E2", "backup": "E2b"}]
PLATFORMS = {"gr": "P0", "sp-a": "P1", "sp-b": "P2"}


def two_pair_galaxy(make_plant):
    """The seed's nodes with two pairs: E1 and E2 active on P1 (sp-a), E1b and E2b on P2."""
    spec = sp_plant_spec(platforms=[{"name": p, "node": n} for n, p in PLATFORMS.items()],
                         engines=[{"name": "E1", "platform": "P1", "objects": 8},
                                  {"name": "E2", "platform": "P1", "objects": 4},
                                  {"name": "E1b", "platform": "P2"}, {"name": "E2b", "platform": "P2"}],
                         pairs=PAIRS)
    # setup and restarts shortened (defaults 1200 and 180 modelled seconds) so a test runs in
    # about a minute; the order and the states do not depend on them
    spec["cost"] = {"operations": {"sp_install": 300, "sp_reboot": 60}}
    for host in spec["hosts"][1:]:
        host["products"]["system_platform"].update(historizing=True, sms={"server": "GR", "port": 443})
    for host in spec["hosts"]:
        host["files"] = {SETUP: "MZ setup", TOOL: "MZ status tool"}
    plant = make_plant(spec)
    settle(plant)
    return plant


def upgrade(plant, tmp_path: pathlib.Path, **extra_vars) -> PlaybookRun:
    """Run playbooks/redundant_update.yml --tags system_platform with a galaxy inventory."""
    hosts = {name: {"ansible_host": host.address, "ansible_port": host.spec.http_port,
                    "scada_platform": PLATFORMS[name]}
             for name, host in plant.hosts.items()}
    galaxy_vars = {
        "scada_galaxy_group": "galaxy_t", "scada_galaxy": "Galaxy", "scada_gr_host": "gr",
        "scada_engine_pairs": PAIRS,
        "system_platform_upgrade_version": NEW, "system_platform_upgrade_setup_path": SETUP,
        "system_platform_upgrade_status_command": [TOOL, "{engine}"],
        "system_platform_upgrade_galaxy_user": "admin",
        "system_platform_upgrade_galaxy_password": "Galaxy-Passw0rd!",
        "system_platform_upgrade_install": {"poll_interval": 0.3, "long_poll": 5, "reboot_delay": 1},
        "system_platform_upgrade_status_poll_interval": 0.3,
        "system_platform_upgrade_status_timeout": 60,
    }
    inventory = {"all": {
        "vars": {"ansible_connection": "winrm", "ansible_winrm_scheme": "http",
                 "ansible_winrm_transport": "ntlm", "ansible_winrm_message_encryption": "always",
                 "ansible_user": USER, "ansible_password": PASSWORD},
        "children": {"system_platform": {"children": {"galaxy_t": {"vars": galaxy_vars, "hosts": hosts}}}}}}
    path = tmp_path / "inventory.yml"
    path.write_text(yaml.safe_dump(inventory), encoding="utf-8")
    extra = tmp_path / f"extra-{len(list(tmp_path.glob('extra-*')))}.yml"
    extra.write_text(yaml.safe_dump(extra_vars), encoding="utf-8")
    return run_playbook(ROOT / "playbooks" / "redundant_update.yml", path, tmp_path,
                        "--tags", "system_platform", "-e", f"@{extra}", timeout=420)


def setups(plant, host: str) -> int:
    return len([e for e in plant.timeline.events(host=host, kind="sp.install") if e.data["state"] == "started"])


def pairs(plant) -> dict:
    return plant.galaxies_report()["Galaxy"]["pairs"]


def failures(run: PlaybookRun) -> list[tuple[str, str, str]]:
    return [(r["host"], r["task"], r["result"].get("msg", "")) for r in run.results if r["status"] == "failed"]


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
