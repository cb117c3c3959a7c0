"""The whole redundant update through ansible-playbook on a twin pair; the twin's timeline
proves the order the vendor procedure demands."""

from __future__ import annotations

import ntpath

import pytest

from support.ansible_run import ROOT, run_playbook
from support.lab import lab_inventory, lab_spec

PLAYBOOKS = ROOT / "playbooks"
CHANGES = ("folder.swap", "po.compile", "po.process")


@pytest.fixture
def lab(make_plant, tmp_path):
    plant = make_plant(lab_spec())
    inventory = lab_inventory(plant, tmp_path / "inventory.yml")
    taken = run_playbook(PLAYBOOKS / "change_from_workstation.yml", inventory, tmp_path,
                         "-e", f"change_dir={tmp_path / 'change'}")
    assert taken.rc == 0, taken.output
    return plant, inventory, next((tmp_path / "change").glob("*.ctz"))


def _update(lab, tmp_path, *args):
    plant, inventory, change = lab
    return run_playbook(PLAYBOOKS / "redundant_update.yml", inventory, tmp_path,
                        "-e", f"power_operation_update_change_archive={change}",
                        "-e", f"power_operation_update_backup_dir={tmp_path / 'backups'}", *args)


def _files(host, project):
    po = host.power_operation
    return {p: po.projects.read(project, p) for p in po.projects.files(project, include_volatile=True)}


def _changes(plant, host):
    return [e for e in plant.timeline.events(host=host) if e.kind in CHANGES]


def test_the_update_follows_the_procedures_order(lab, tmp_path):
    plant, dummy, dummy = lab
    primary = plant.hosts["po-a"]
    pls_before = _files(primary, "PLS_Include")
    ini_path = primary.power_operation.install.ini_path
    config_before = {p: primary.fs.read(p) for p in primary.fs.walk_files(ntpath_dir(ini_path))}
    plant.timeline.record("test", "test.start")
    start = plant.timeline.events(kind="test.start")[0].seq

    run = _update(lab, tmp_path)
    assert run.rc == 0, run.output

    events = [e for e in plant.timeline.events() if e.seq > start]
    backups = [e for e in events if e.kind == "zip.written" and e.host in ("po-a", "po-b")]
    first_change = min(e.seq for e in events if e.kind in CHANGES)
    assert {e.host for e in backups if e.seq < first_change} == {"po-a", "po-b"}, \
        "both servers must be backed up before the first change"
    standby_changes = [e.seq for e in events if e.kind in CHANGES and e.host == "po-b"]
    primary_changes = [e.seq for e in events if e.kind in CHANGES and e.host == "po-a"]
    assert standby_changes and primary_changes
    assert max(standby_changes) < min(primary_changes), \
        "every standby step must come before the first change on the other server"

    assert _files(primary, "PLS_Include") == pls_before, "PLS_Include must never be overwritten"
    assert not [e for e in events if e.kind == "folder.swap"
                and e.data["path"].lower().endswith("\\pls_include")]
    assert {p: primary.fs.read(p) for p in primary.fs.walk_files(ntpath_dir(ini_path))} == config_before, \
        "configuration files must stay as they were"

    ews = plant.hosts["ews"].power_operation.projects
    for host in ("po-a", "po-b"):
        store = plant.hosts[host].power_operation.projects
        for project in ("PlantProject", "Site_Include"):
            assert store.fingerprint(project) == ews.fingerprint(project), (host, project)
    assert plant.availability()["lab"]["gap_seconds"] == 0
    # redundancy is lost once: from the standby's restart until both run the new project
    redundancy = plant.redundancy()["lab"]
    [window] = redundancy["windows"]
    standby_stop = min(e.time for e in events if e.kind == "po.process" and e.host == "po-b"
                       and e.data["state"] != "Running")
    assert abs(window["start"] - standby_stop) < 0.05 and redundancy["redundant_now"] is True
    assert window["modelled_seconds"] == window["seconds"] / plant.costs.time_scale > 0


def test_a_rerun_changes_nothing(lab, tmp_path):
    assert _update(lab, tmp_path).rc == 0
    plant = lab[0]
    before = len([e for e in plant.timeline.events() if e.kind in CHANGES])
    again = _update(lab, tmp_path)
    assert again.rc == 0, again.output
    assert not [r for r in again.results if r["result"].get("changed")], \
        [r["task"] for r in again.results if r["result"].get("changed")]
    assert len([e for e in plant.timeline.events() if e.kind in CHANGES]) == before


def ntpath_dir(path: str) -> str:
    return ntpath.dirname(path)
