"""The AWX workflows of awx/configure.yml, run as AWX runs them (tests/support/awx_workflow.py:
ansible-runner per job from the site project, the graph's order, artifacts handed on) against
the lab plant: the change job hands its archive to the Power Operation workflow; a denied
approval stops before the primary and a relaunch approved finishes it; a failed standby phase
publishes its artifacts and never starts the primary; the System Platform workflow upgrades
the galaxy across its approval. The site project's ansible.cfg writes a run report per job."""

from __future__ import annotations

import json

import pytest

from support.awx_workflow import Job, run_job, run_workflow
from support.lab import credentials, full_lab_inventory, lab_spec

pytestmark = pytest.mark.timeout(900)
ACCOUNT = json.loads(credentials()[1])  # what the plant-accounts credential injects


@pytest.fixture
def lab(make_plant, tmp_path):
    plant = make_plant(lab_spec(time_scale=0.1))
    inventory = full_lab_inventory(plant, tmp_path)
    store = tmp_path / "store"  # the kept store the jobs share (awx/README.md)
    env = {"SCADA_REDUNDANCY_REPORT_DIR": str(store / "reports")}
    workflow_vars = {**ACCOUNT, "power_operation_update_backup_dir": str(store / "backups"),
                     "system_platform_upgrade_backup_dir": str(store / "backups")}
    return plant, inventory, store, env, workflow_vars


def _fingerprints(plant, host):
    store = plant.hosts[host].power_operation.projects
    return {name: store.fingerprint(name) for name in store.names()}


def _take_change(lab, tmp_path):
    plant, inventory, store, env, workflow_vars = lab
    change = run_job(tmp_path, "change", "change_from_workstation.yml", inventory,
                     {**ACCOUNT, "change_dir": str(store / "changes")}, env=env)
    assert change.status == "successful", change.failed_tasks()
    archive = change.artifacts["power_operation_update_change_archive"]
    assert archive.startswith(str(store / "changes")) and archive.endswith(".ctz")
    return change.artifacts


def test_power_operation_workflow_denied_then_approved(lab, tmp_path):
    plant, inventory, store, env, workflow_vars = lab
    handed = _take_change(lab, tmp_path)
    before = {host: _fingerprints(plant, host) for host in ("po-a", "po-b")}

    denied = run_workflow("power_operation", tmp_path / "first", inventory, workflow_vars,
                          approve=lambda jobs: False, ancestors=handed, env=env)
    assert list(denied) == ["standby", "approval"] and denied["approval"] == "denied"
    standby = denied["standby"]
    assert isinstance(standby, Job) and standby.status == "successful", standby.failed_tasks()
    assert standby.extra_vars["power_operation_update_phase"] == "standby"
    assert standby.extra_vars["power_operation_update_change_archive"] == handed["power_operation_update_change_archive"]
    summary = standby.artifacts["scada_redundancy_power_operation"]
    assert summary["po-b"]["updated"] is True and summary["po-a"]["updated"] is False
    assert _fingerprints(plant, "po-b") != before["po-b"] and _fingerprints(plant, "po-a") == before["po-a"]

    approved = run_workflow("power_operation", tmp_path / "second", inventory, workflow_vars,
                            approve=lambda jobs: True, ancestors=handed, env=env)
    assert list(approved) == ["standby", "approval", "primary"], approved
    primary = approved["primary"]
    assert isinstance(primary, Job) and primary.status == "successful", primary.failed_tasks()
    assert primary.extra_vars["power_operation_update_phase"] == "primary"
    assert "scada_redundancy_power_operation" in primary.extra_vars  # the standby's artifacts, handed on
    assert _fingerprints(plant, "po-a") == _fingerprints(plant, "po-b") != before["po-a"]
    assert plant.availability()["lab"]["gap_seconds"] == 0
    assert len(list((store / "reports").glob("redundant_update-*.html"))) == 3  # one per job


def test_a_failed_standby_phase_publishes_its_artifacts_and_never_starts_the_primary(lab, tmp_path):
    plant, inventory, store, env, workflow_vars = lab
    handed = _take_change(lab, tmp_path)
    plant.inject("po-b", "compile_error", messages=[{"type": "ERROR", "error": "bad tag"}])
    active_before = _fingerprints(plant, "po-a")
    asked = []
    done = run_workflow("power_operation", tmp_path / "wf", inventory, workflow_vars,
                        approve=lambda jobs: asked.append(jobs) or True, ancestors=handed, env=env)
    assert list(done) == ["standby"] and not asked
    standby = done["standby"]
    assert isinstance(standby, Job) and standby.status == "failed"
    failed = standby.failed_tasks()
    assert failed and {host for host, task in failed} == {"po-b"}, failed  # the standby failed, nothing else
    summary = standby.artifacts["scada_redundancy_power_operation"]  # published on failure too
    assert summary["po-b"]["updated"] is False and summary["po-b"]["backup"]["sha256"]
    assert _fingerprints(plant, "po-a") == active_before


def test_system_platform_workflow_upgrades_the_galaxy_across_its_approval(lab, tmp_path):
    plant, inventory, store, env, workflow_vars = lab
    done = run_workflow("system_platform", tmp_path / "wf", inventory, workflow_vars,
                        approve=lambda jobs: jobs["standby"].artifacts["scada_redundancy_system_platform"]
                        ["PlantGalaxy"]["gr_upgraded"], env=env)
    assert list(done) == ["standby", "approval", "primary"], done
    assert all(job.status == "successful" for job in done.values() if isinstance(job, Job)), \
        {k: v.failed_tasks() for k, v in done.items() if isinstance(v, Job)}
    galaxy = plant.galaxies_report()["PlantGalaxy"]
    assert galaxy["version"] == "23.1.100" and galaxy["pairs"]["E1"]["failovers"] == 1
    summary = done["primary"].artifacts["scada_redundancy_system_platform"]["PlantGalaxy"]
    assert summary["phase"] == "primary"
    backup = done["standby"].artifacts["scada_redundancy_system_platform"]["PlantGalaxy"]["galaxy_backup"]
    assert backup["controller_path"].startswith(str(store / "backups"))
