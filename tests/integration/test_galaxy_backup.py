"""galaxy_backup through ansible-playbook and winrm against the twin: IGalaxy.Backup through
the GRAccess helper, the cabinet proved on the GR node and fetched to the controller with the
same SHA-256; check mode writes nothing; a named backup is kept on a rerun; GRAccess failures
and a folder for a name are refused in words."""

from __future__ import annotations

import hashlib

import pytest

from support.sp_plant import GALAXY, NEW, OLD, PASSWORD, base_args, run_task, sp_plant_spec

RESPONSE = {"OutOfSupportRedistConsentForm.SRedistConsent": "true"}
FOLDER = "C:\\ProgramData\\scada.redundancy\\galaxy_backups"


@pytest.fixture
def sp_plant(make_plant):
    return make_plant(sp_plant_spec())


def _record(run, host="gr"):
    return run.task("galaxy_backup", host)


def _ok(run):
    record = _record(run)
    assert record["status"] == "ok", run.output
    return record["result"]


def _backups(plant):
    fs = plant.hosts["gr"].fs
    return [name for name in fs.listdir(FOLDER)] if fs.is_dir(FOLDER) else []


def test_a_backup_is_proved_and_fetched_with_the_same_sha256(sp_plant, tmp_path):
    fetch_dest = tmp_path / "galaxy"
    args = base_args(fetch=True, fetch_dest=str(fetch_dest))
    check = _ok(run_task(sp_plant, tmp_path, "galaxy_backup", args, "--check"))
    assert check["changed"] is True and check["sha256"] is None
    assert check["path"].startswith(f"{FOLDER}\\{GALAXY}-{OLD}-") and check["path"].endswith("Z.cab")
    assert _backups(sp_plant) == [] and not fetch_dest.exists()
    assert not sp_plant.timeline.events(kind="sp.backup")

    run = run_task(sp_plant, tmp_path, "galaxy_backup", args, "-vvv")
    result = _ok(run)
    content = sp_plant.hosts["gr"].fs.read(result["path"])
    assert content.startswith(b"MSCF")
    assert (result["size"], result["sha256"]) == (len(content), hashlib.sha256(content).hexdigest())
    assert (result["galaxy"], result["galaxy_version"]) == (GALAXY, OLD)
    local = fetch_dest / result["backup_name"]
    assert result["fetched"] == {"path": str(local), "changed": True, "sha256": result["sha256"],
                                 "size": result["size"]}
    assert hashlib.sha256(local.read_bytes()).hexdigest() == result["sha256"]
    (started, finished) = sp_plant.timeline.events(kind="sp.backup")
    assert finished.data["state"] == "succeeded" and started.data["path"] == result["path"]
    assert PASSWORD not in run.output


def test_a_named_backup_is_kept_on_a_rerun_unless_forced(sp_plant, tmp_path):
    args = base_args(backup_name="before-upgrade")
    first = _ok(run_task(sp_plant, tmp_path, "galaxy_backup", args))
    assert first["changed"] is True and first["path"] == f"{FOLDER}\\before-upgrade.cab"
    again = _ok(run_task(sp_plant, tmp_path, "galaxy_backup", args))
    assert again["changed"] is False and again["sha256"] == first["sha256"]
    assert len([e for e in sp_plant.timeline.events(kind="sp.backup") if e.data["state"] == "started"]) == 1
    forced = _ok(run_task(sp_plant, tmp_path, "galaxy_backup", {**args, "force": True}))
    assert forced["changed"] is True
    assert len([e for e in sp_plant.timeline.events(kind="sp.backup") if e.data["state"] == "started"]) == 2


def test_a_galaxy_that_must_be_migrated_is_backed_up_without_a_login(sp_plant, tmp_path):
    node = sp_plant.hosts["gr"].system_platform
    assert node.install(NEW, RESPONSE).wait(30) and node.reboot().wait(30)
    result = _ok(run_task(sp_plant, tmp_path, "galaxy_backup", base_args()))
    assert result["galaxy_version"] == OLD and result["sha256"]


def test_graccess_failures_and_a_folder_name_fail_in_words(sp_plant, tmp_path):
    sp_plant.inject("gr", "sp_backup_fails", message="SQL Server: the backup device is full")
    record = _record(run_task(sp_plant, tmp_path, "galaxy_backup", base_args()))
    assert record["status"] == "failed"
    assert "SQL Server: the backup device is full" in record["result"]["msg"]
    assert "GRAccess backup" in record["result"]["msg"] and "Traceback" not in record["result"]["msg"]

    sp_plant.hosts["gr"].fs.mkdir(f"{FOLDER}\\keep.cab")
    sp_plant.hosts["gr"].fs.write(f"{FOLDER}\\keep.cab\\precious.txt", b"x")
    record = _record(run_task(sp_plant, tmp_path, "galaxy_backup", base_args(backup_name="keep.cab")))
    assert record["status"] == "failed" and "is a folder" in record["result"]["msg"]
    assert sp_plant.hosts["gr"].fs.is_file(f"{FOLDER}\\keep.cab\\precious.txt")

    sp_plant.hosts["gr"].fs.write(f"{FOLDER}\\other.cab", b"not a cabinet")
    record = _record(run_task(sp_plant, tmp_path, "galaxy_backup", base_args(backup_name="other.cab")))
    assert record["status"] == "failed" and "is not a galaxy backup" in record["result"]["msg"]

    record = _record(run_task(sp_plant, tmp_path, "galaxy_backup", base_args(backup_name="..\\x.cab")))
    assert record["status"] == "failed" and "plain file name" in record["result"]["msg"]
