"""The dry run of the whole update: ``--check`` (with ``--diff``) of redundant_update for both
products on the lab plant, and the plan phases without ``--check``, through ansible-playbook
and WinRM: the plan is printed in the procedure's order, fast, and nothing on the plant
changes (the twin's timeline holds reads only)."""

from __future__ import annotations

import json
import time

import pytest

from support.ansible_run import ROOT, run_playbook
from support.lab import READS, credentials, full_lab_inventory, lab_spec

PLAYBOOKS = ROOT / "playbooks"
#: Three minutes at the lab's time scale.
DRY_RUN_SECONDS = 180

pytestmark = pytest.mark.timeout(900)


@pytest.fixture
def lab(make_plant, tmp_path):
    plant = make_plant(lab_spec(time_scale=0.1))
    inventory = full_lab_inventory(plant, tmp_path)
    taken = run_playbook(PLAYBOOKS / "change_from_workstation.yml", inventory, tmp_path, *credentials(),
                         "-e", f"change_dir={tmp_path / 'change'}")
    assert taken.rc == 0, taken.output[-4000:]
    return plant, inventory, next((tmp_path / "change").glob("*.ctz"))


def _dry(lab, tmp_path, *args):
    plant, inventory, change = lab
    plant.timeline.record("test", "test.start")
    start = plant.timeline.events(kind="test.start")[0].seq
    began = time.monotonic()
    run = run_playbook(PLAYBOOKS / "redundant_update.yml", inventory, tmp_path, *credentials(),
                       "-e", json.dumps({"power_operation_update_change_archive": str(change),
                                         "power_operation_update_backup_dir": str(tmp_path / "backups")}),
                       *args)
    seconds = time.monotonic() - began
    kinds = {e.kind for e in plant.timeline.events() if e.seq > start and e.host != "test"}
    return run, seconds, kinds


def _role_task(run, task, host):
    """The record of a role's task (ansible names it '<role> : <task>')."""
    for record in run.results:
        if record["host"] == host and record["task"].split(" : ")[-1] == task and record["status"] != "skipped":
            return record
    raise AssertionError(f"{task!r} did not run on {host}:\n{run.output[-4000:]}")


def _lines(run, task, host):
    return _role_task(run, task, host)["result"]["msg"]


def test_check_diff_of_both_products_prints_the_plan_and_changes_nothing(lab, tmp_path):
    run, seconds, kinds = _dry(lab, tmp_path, "--check", "--diff")
    assert run.rc == 0, run.output[-6000:]
    assert seconds < DRY_RUN_SECONDS, seconds
    assert kinds <= READS, kinds - READS
    assert not (tmp_path / "backups").exists()
    plan = _lines(run, "Show the plan", "po-b")
    assert plan[0].startswith("po_pair_lab: dry run, nothing was changed. Standby (found live): po-b; active: po-a")
    assert [line.split(".", 1)[0] for line in plan[1:]] == ["1", "2", "3", "4", "5"]
    assert "back up both servers" in plan[1] and "po-a: PlantProject with" in plan[1]
    assert "Event Notification Module Service (Running/Automatic -> Stopped/Disabled)" in plan[2]
    assert plan[3].startswith("3. on po-b (standby): restore") and "PlantProject: 1 file(s) added" in plan[3]
    assert "PLS_Include never restored" in plan[3]
    assert plan[4].startswith("4. on po-a: back up po-b") and "predicted from the change archive" in plan[4]
    assert "+ Feeder7.ctg" in run.output  # --diff: the files the standby's restore would add
    galaxy = _lines(run, "Dry run - say what the upgrade would do", "sp-gr")
    assert galaxy[0] == "Galaxy PlantGalaxy: dry run, nothing was changed. Target 23.1.100."
    assert galaxy[1].startswith("1. GR node sp-gr: back the galaxy up and fetch it to ")
    assert "/scada-redundancy/backups/sp-gr, run setup" in galaxy[1]
    assert galaxy[2].startswith("2. standby step sp-b") and "cascade deploy P2" in galaxy[2]
    assert galaxy[3].startswith("3. primary step sp-a") and "cascade deploy P1" in galaxy[3]
    assert "pair E1 (E1 active now) fails over once, when sp-b is deployed" in galaxy[4]
    assert "rolling the standby back" not in run.output and "Traceback" not in run.output


def test_the_plan_phases_without_check_change_nothing(lab, tmp_path):
    run, seconds, kinds = _dry(lab, tmp_path, "-e", json.dumps({"power_operation_update_phase": "plan",
                                                                "system_platform_upgrade_phase": "plan"}))
    assert run.rc == 0, run.output[-6000:]
    assert kinds <= READS, kinds - READS
    assert _lines(run, "Show the plan", "po-b")[1].startswith("1. back up both servers")
    assert _lines(run, "Dry run - say what the upgrade would do", "sp-gr")[1].startswith("1. GR node sp-gr")
    summary = _role_task(run, "Summarise the pair's update", "po-a")["result"]["ansible_stats"]["data"]
    assert summary["scada_redundancy_power_operation"]["po-a"]["dry_run"] is True
