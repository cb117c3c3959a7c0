"""sp_install through ansible-playbook and winrm against the twin's System Platform nodes."""

from __future__ import annotations

import pytest

from support import hostile as hostile_support
from support.sp_plant import NEW, OLD, run_task, settle, sp_plant_spec

SETUP = "C:\\Media\\SP2023R2SP1\\setup.exe"
RUN_ROOT = "C:\\ProgramData\\scada.redundancy\\sp_install"
SECRET = "Inst-S3cret!pw"
FAST = {"poll_interval": 0.3, "long_poll": 5, "reboot_delay": 1}


def args(**extra):
    return {"version": NEW, "setup_path": SETUP, "admin_user": "svc_archestra",
            "admin_password": SECRET, "admin_domain": "PLANT",
            "features": ["Application Server Runtime"], "sms_server": "gr", "sms_port": 443,
            **FAST, **extra}


def make(make_plant, **node):
    spec = sp_plant_spec()
    spec["hosts"][2]["products"]["system_platform"].update(node)
    plant = make_plant(spec)
    for host in plant.hosts.values():
        host.fs.write(SETUP, b"MZ setup")
    return plant


def leftovers(host):
    fs = host.fs
    return list(fs.walk_files(RUN_ROOT)) if fs.is_dir(RUN_ROOT) else []


def test_upgrades_restarts_and_is_idempotent(make_plant, tmp_path):
    plant = make(make_plant)
    host = plant.hosts["sp-b"]
    node = host.system_platform
    check = run_task(plant, tmp_path, "sp_install", args(), "--check", hosts="sp-b")
    record = check.task("sp_install", "sp-b")
    assert record["status"] == "ok", check.output
    assert record["result"]["changed"] is True and node.software_version == OLD
    assert not plant.timeline.events(kind="sp.install")
    run = run_task(plant, tmp_path, "sp_install", args(), "-vvv", hosts="sp-b")
    record = run.task("sp_install", "sp-b")
    assert record["status"] == "ok", run.output
    result = record["result"]
    assert result["changed"] is True and result["exit_code"] == 3010
    assert result["rebooted"] is True and result["reboot_required"] is False
    assert result["before"]["version"] == OLD and result["after"]["version"] == NEW
    assert result["before"]["boot_id"] != result["after"]["boot_id"]
    assert "AdminUserForm.SPassword" in result["response_keys"]
    assert "OutOfSupportRedistConsentForm.SRedistConsent" in result["response_keys"]
    assert "waiting for sp-b to go down" in run.output
    assert "waiting for sp-b to come back" in run.output
    assert SECRET not in run.output
    assert node.software_version == NEW and not node.pending_restart
    assert node.sms == {"server": "gr", "port": 443}
    assert [e.data["state"] for e in plant.timeline.events(host="sp-b", kind="sp.reboot")] == [
        "started", "completed"]
    assert leftovers(host) == []
    settle(plant)
    again = run_task(plant, tmp_path, "sp_install", args(), hosts="sp-b").task(
        "sp_install", "sp-b")["result"]
    assert again["changed"] is False and again["rebooted"] is False
    assert len(plant.timeline.events(host="sp-b", kind="sp.install")) == 2


def test_a_restart_is_seen_refusing_then_dark_then_up(make_plant, tmp_path):
    """WinRM stops with Windows (refused), the node boots dark (each probe waits out the
    connection's 2 s read timeout), then answers with a new boot: the wait rides all three
    and the result says what it saw, in order."""
    spec = sp_plant_spec()
    spec["cost"] = {"operations": {"sp_reboot": 800.0, "sp_boot_dark": 600.0}}  # 2 s, then 6 s
    plant = make_plant(spec)
    plant.hosts["sp-b"].fs.write(SETUP, b"MZ setup")
    run = run_task(plant, tmp_path, "sp_install", args(), hosts="sp-b",
                   connection={"ansible_winrm_read_timeout_sec": 2, "ansible_winrm_operation_timeout_sec": 1})
    record = run.task("sp_install", "sp-b")
    assert record["status"] == "ok", run.output
    [restart] = record["result"]["restarts"]
    states = [s["state"] for s in restart["seen"]]
    assert states[0] == "up" and states[-1].startswith("up, boot "), states
    assert "refused" in states and "no answer" in states, states
    assert states.index("refused") < states.index("no answer"), states
    assert restart["why"] == "after setup" and restart["seconds"] >= 6
    kinds = [e.kind for e in plant.timeline.events(host="sp-b") if e.kind in ("host.power", "host.boot")]
    assert kinds == ["host.power", "host.boot", "host.power", "host.boot"]  # off, booting, on, booted


def test_pending_restart_fails_unless_reboot_before(make_plant, tmp_path):
    plant = make(make_plant, pending_restart=True)
    node = plant.hosts["sp-b"].system_platform
    run = run_task(plant, tmp_path, "sp_install", args(), hosts="sp-b")
    record = run.task("sp_install", "sp-b")
    assert record["status"] == "failed"
    assert record["result"]["category"] == "pending_restart"
    assert "restart is pending on sp-b" in record["result"]["msg"]
    assert "reboot_before" in record["result"]["msg"]
    assert record["result"]["changed"] is False and node.software_version == OLD
    run = run_task(plant, tmp_path, "sp_install", args(reboot_before=True, reboot=False),
                   hosts="sp-b")
    record = run.task("sp_install", "sp-b")
    assert record["status"] == "ok", run.output
    result = record["result"]
    assert result["rebooted"] is True and "reboot_before" in result["timings"]
    assert result["reboot_required"] is True and node.software_version == NEW
    assert node.pending_restart is True


def test_vendor_error_and_missing_consent_free(make_plant, tmp_path):
    plant = make(make_plant)
    plant.inject("sp-b", "sp_install_fails", message="Error 1603: a fatal error occurred")
    run = run_task(plant, tmp_path, "sp_install", args(), hosts="sp-b")
    record = run.task("sp_install", "sp-b")
    assert record["status"] == "failed"
    result = record["result"]
    assert result["category"] == "setup_failed" and result["exit_code"] == 1603
    assert result["changed"] is True
    assert "sp-b" in result["msg"] and "no rollback" in result["msg"]
    assert "Error 1603" in result["msg"]
    assert "Traceback" not in run.output and SECRET not in run.output
    assert leftovers(plant.hosts["sp-b"]) == []


def test_setup_pending_restart_fault_is_a_setup_failure(make_plant, tmp_path):
    plant = make(make_plant)
    plant.inject("sp-b", "sp_setup_pending_restart")
    record = run_task(plant, tmp_path, "sp_install", args(), hosts="sp-b").task(
        "sp_install", "sp-b")
    assert record["status"] == "failed"
    assert "restart is pending" in record["result"]["msg"]
    assert record["result"]["exit_code"] == 1603


def test_bad_input_missing_setup_downgrade_and_unreachable(make_plant, tmp_path):
    plant = make(make_plant)
    run = run_task(plant, tmp_path, "sp_install", args(setup_path="setup.exe"), hosts="sp-b")
    record = run.task("sp_install", "sp-b")
    assert record["status"] == "failed" and "setup_path" in record["result"]["msg"]
    run = run_task(plant, tmp_path, "sp_install",
                   args(response_keys={"Extra.Key": "a\nAdminUserForm.SPassword=x"}),
                   hosts="sp-b")
    record = run.task("sp_install", "sp-b")
    assert record["status"] == "failed" and "line breaks" in record["result"]["msg"]
    assert not plant.timeline.events(kind="operation")
    run = run_task(plant, tmp_path, "sp_install", args(setup_path="C:\\Nope\\setup.exe"),
                   hosts="sp-b")
    record = run.task("sp_install", "sp-b")
    assert record["status"] == "failed" and record["result"]["category"] == "not_found"
    run = run_task(plant, tmp_path, "sp_install", args(version="22.1"), hosts="sp-b")
    record = run.task("sp_install", "sp-b")
    assert record["status"] == "failed" and "does not downgrade" in record["result"]["msg"]
    plant.inject("sp-b", "down")
    run = run_task(plant, tmp_path, "sp_install", args(), hosts="sp-b")
    assert run.task("sp_install", "sp-b")["status"] == "unreachable"
    assert "Traceback" not in run.output and SECRET not in run.output


def test_the_scripts_sent_are_constant(make_plant, tmp_path):
    plant = make(make_plant)
    hostile = "'; Remove-Item C:\\ -Recurse; \"$(whoami)`$env:PATH|&<>%TEMP%"
    run = run_task(plant, tmp_path, "sp_install", args(version=OLD), hosts="sp-a")
    assert run.task("sp_install", "sp-a")["status"] == "ok", run.output
    run = run_task(plant, tmp_path, "sp_install",
                   args(admin_password=hostile, admin_user=hostile, install_dir=hostile,
                        features=[hostile], response_keys={"X.Y": hostile}), hosts="sp-a")
    assert run.task("sp_install", "sp-a")["status"] == "ok", run.output
    assert plant.hosts["sp-a"].system_platform.software_version == NEW
    steps = {event.data["operation"] for event in plant.timeline.events(kind="operation")}
    assert steps == {"sp_install_state", "sp_install_start", "sp_install_watch", "sp_reboot"}
    code = hostile_support.code_hashes_sent(plant)
    assert code == {unit: {digest} for unit, digest in
                    hostile_support.shipped_code_hashes(set(code)).items()}
    assert "verb:resource:setup_runner" in code
    assert hostile not in run.output
