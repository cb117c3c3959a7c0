"""galaxy_info, galaxy_deploy, galaxy_migrate, galaxy_upload_runtime_changes through
ansible-playbook and winrm against the twin: the GRAccess helper compiled once per hash on
the GR node and answered from the galaxy model, along the vendor's upgrade procedure."""

from __future__ import annotations

import pytest

from support.sp_plant import GALAXY, NEW, OLD, PASSWORD, base_args, run_task, settle, sp_plant_spec

RESPONSE = {"OutOfSupportRedistConsentForm.SRedistConsent": "true"}


@pytest.fixture
def sp_plant(make_plant):
    return make_plant(sp_plant_spec())


def _ok(run, module, host="gr"):
    record = run.task(module, host)
    assert record["status"] == "ok", run.output
    return record["result"]


def _upgrade(plant, name):
    node = plant.hosts[name].system_platform
    assert node.install(NEW, RESPONSE).wait(30)
    assert node.reboot().wait(30)
    settle(plant)


def test_info_reports_version_platforms_engines_and_compiles_once(sp_plant, tmp_path):
    args = base_args(node_versions={"P0": OLD, "P1": OLD, "P2": NEW})
    result = _ok(run_task(sp_plant, tmp_path, "galaxy_info", args), "galaxy_info")
    info = result["galaxy_info"]
    assert result["helper_compiled"] is True and result["changed"] is False
    assert (info["name"], info["version"], info["upgrade_required"]) == (GALAXY, OLD, False)
    assert [(p["name"], p["deployment_status"], p["engines"]) for p in info["platforms"]] == [
        ("P0", "deployed", []), ("P1", "deployed", ["E1"]), ("P2", "deployed", ["E1b"])]
    assert [p["software_upgrade_pending"] for p in info["platforms"]] == [False, False, False]
    assert [(e["name"], e["platform"]) for e in info["engines"]] == [("E1", "P1"), ("E1b", "P2")]
    again = _ok(run_task(sp_plant, tmp_path, "galaxy_info", base_args()), "galaxy_info")
    assert again["helper_compiled"] is False
    assert again["galaxy_info"]["platforms"][1]["software_upgrade_pending"] is None
    compiles = sp_plant.timeline.events(kind="sp.grhelper.compile")
    assert len(compiles) == 1
    folder = compiles[0].data["folder"]
    assert folder.startswith("C:\\ProgramData\\scada.redundancy\\grhelper\\")
    assert sp_plant.hosts["gr"].fs.is_file(folder + "\\GRHelper.cs")
    assert PASSWORD not in run_task(sp_plant, tmp_path, "galaxy_info", base_args(), "-vvv").output


def test_the_upgrade_procedures_galaxy_steps(sp_plant, tmp_path):
    galaxy = sp_plant.galaxies[GALAXY]
    _upgrade(sp_plant, "gr")
    info = _ok(run_task(sp_plant, tmp_path, "galaxy_info", base_args()), "galaxy_info")
    assert info["galaxy_info"]["upgrade_required"] is True
    assert info["galaxy_info"]["objects_read"] is False and info["warnings"]

    check = _ok(run_task(sp_plant, tmp_path, "galaxy_migrate", base_args(), "--check"),
                "galaxy_migrate")
    assert check["changed"] is True and galaxy.upgrade_required
    migrated = _ok(run_task(sp_plant, tmp_path, "galaxy_migrate", base_args()), "galaxy_migrate")
    assert migrated["changed"] is True
    assert (migrated["before"]["version"], migrated["after"]["version"]) == (OLD, NEW)
    assert not galaxy.upgrade_required
    again = _ok(run_task(sp_plant, tmp_path, "galaxy_migrate", base_args()), "galaxy_migrate")
    assert again["changed"] is False and again["after"]["version"] == NEW

    info = _ok(run_task(sp_plant, tmp_path, "galaxy_info",
                        base_args(node_versions={"P0": NEW, "P1": OLD, "P2": OLD})),
               "galaxy_info")["galaxy_info"]
    assert {p["name"]: p["software_upgrade_pending"] for p in info["platforms"]} == {
        "P0": False, "P1": True, "P2": True}

    # cascade deploy the GR platform: check mode first, then for real, then idempotent
    check = _ok(run_task(sp_plant, tmp_path, "galaxy_deploy", base_args(platform="P0"),
                         "--check"), "galaxy_deploy")
    assert check["changed"] is True and check["pending"] == ["P0"]
    assert galaxy.platform("P0").deployment == "Not Deployed"
    deployed = _ok(run_task(sp_plant, tmp_path, "galaxy_deploy", base_args(platform="P0")),
                   "galaxy_deploy")
    assert deployed["changed"] is True and deployed["remaining"] == []
    assert deployed["objects"] == [{"name": "P0", "host": "", "deployment_status": "deployed",
                                    "previous_status": "notDeployed"}]
    again = _ok(run_task(sp_plant, tmp_path, "galaxy_deploy", base_args(platform="P0")),
                "galaxy_deploy")
    assert again["changed"] is False and again["pending"] == []

    # the standby platform: upgraded, then cascade deployed; E1b extracts E1's objects
    _upgrade(sp_plant, "sp-b")
    deployed = _ok(run_task(sp_plant, tmp_path, "galaxy_deploy", base_args(platform="P2")),
                   "galaxy_deploy")
    assert deployed["pending"] == ["P2", "E1b"]
    settle(sp_plant)
    assert galaxy.engine("E1b").redundancy_status.startswith("Active")
    assert galaxy.engine("E1").deployment == "Not Deployed"
    assert all(o.running_on is galaxy.engine("E1b") for o in galaxy.engine("E1").objects)


def test_a_partner_deployed_but_unreachable_fails_the_deploy_clearly(sp_plant, tmp_path):
    galaxy = sp_plant.galaxies[GALAXY]
    _upgrade(sp_plant, "gr")
    _ok(run_task(sp_plant, tmp_path, "galaxy_migrate", base_args()), "galaxy_migrate")
    _upgrade(sp_plant, "sp-b")
    sp_plant.inject("sp-a", "sp_unreachable")
    run = run_task(sp_plant, tmp_path, "galaxy_deploy", base_args(platform="P2"))
    record = run.task("galaxy_deploy", "gr")
    assert record["status"] == "failed", run.output
    assert record["result"]["category"] == "graccess"
    assert record["result"]["msg"].startswith("gr: GRAccess deploy failed: Deploy P2 failed")
    assert "reachable" in record["result"]["msg"]
    assert [r["object"] for r in record["result"]["results"]] == ["P2"]
    assert "Traceback" not in run.output
    assert galaxy.engine("E1b").deployment == "Not Deployed"


def test_upload_runtime_changes(sp_plant, tmp_path):
    galaxy = sp_plant.galaxies[GALAXY]
    galaxy.objects["e1_obj001"].runtime_changes = 3
    check = _ok(run_task(sp_plant, tmp_path, "galaxy_upload_runtime_changes",
                         base_args(objects=["E1_Obj001"]), "--check"),
                "galaxy_upload_runtime_changes")
    assert check["changed"] is True and galaxy.objects["e1_obj001"].runtime_changes == 3
    result = _ok(run_task(sp_plant, tmp_path, "galaxy_upload_runtime_changes",
                          base_args(objects=["E1_Obj001"])), "galaxy_upload_runtime_changes")
    assert result["uploaded"] == ["E1_Obj001"]
    assert result["results"][0]["text"] == "3 run-time change(s) uploaded"
    assert galaxy.objects["e1_obj001"].runtime_changes == 0


@pytest.mark.parametrize("module, args, message", [
    ("galaxy_deploy", {"galaxy": GALAXY}, "one of the following is required: objects, platform"),
    ("galaxy_deploy", {"galaxy": GALAXY, "platform": "P1", "objects": ["E1"]},
     "mutually exclusive"),
    ("galaxy_deploy", {"galaxy": GALAXY, "objects": [" E1"]}, "is not a galaxy object name"),
    ("galaxy_deploy", {"galaxy": GALAXY, "platform": "P1", "action": "bogus"}, "action"),
    ("galaxy_upload_runtime_changes", {"galaxy": GALAXY}, "objects"),
    ("galaxy_info", {}, "galaxy"),
])
def test_bad_input_fails_before_reaching_the_host(sp_plant, tmp_path, module, args, message):
    run = run_task(sp_plant, tmp_path, module, args)
    record = run.task(module, "gr")
    assert record["status"] == "failed"
    assert message in record["result"]["msg"]
    assert "Traceback" not in run.output
    assert not sp_plant.timeline.events(kind="operation")


def test_unknown_object_and_unknown_galaxy_fail_clearly(sp_plant, tmp_path):
    record = run_task(sp_plant, tmp_path, "galaxy_deploy",
                      base_args(objects=["NoSuchEngine"])).task("galaxy_deploy", "gr")
    assert record["status"] == "failed" and record["result"]["category"] == "not_found"
    assert "NoSuchEngine" in record["result"]["msg"]
    record = run_task(sp_plant, tmp_path, "galaxy_info",
                      {"galaxy": "Other"}).task("galaxy_info", "gr")
    assert record["status"] == "failed" and record["result"]["category"] == "graccess"
    assert "galaxy 'Other' does not exist" in record["result"]["msg"]


def test_not_a_gr_node_and_unreachable_host(sp_plant, tmp_path):
    record = run_task(sp_plant, tmp_path, "galaxy_info", base_args(),
                      hosts="sp-a").task("galaxy_info", "sp-a")
    assert record["status"] == "failed"
    sp_plant.inject("gr", "down")
    run = run_task(sp_plant, tmp_path, "galaxy_info", base_args())
    assert run.task("galaxy_info", "gr")["status"] == "unreachable"
    assert "Traceback" not in run.output


def test_vendor_error_migration_fails(sp_plant, tmp_path):
    _upgrade(sp_plant, "gr")
    sp_plant.inject("gr", "sp_migrate_fails", message="database is in use")
    record = run_task(sp_plant, tmp_path, "galaxy_migrate", base_args()).task("galaxy_migrate")
    assert record["status"] == "failed"
    assert "database is in use" in record["result"]["msg"]
    assert sp_plant.galaxies[GALAXY].upgrade_required


HOSTILE = ["a'; Remove-Item C:\\ -Recurse; '", "$(calc)", "`whoami`", "x\"; exit 1; \"",
           "é€😀"]


def test_hostile_values_never_change_the_script_sent(sp_plant, tmp_path):
    code: set[str] = set()
    for value in ["plain", *HOSTILE]:
        run = run_task(sp_plant, tmp_path, "galaxy_info",
                       {"galaxy": GALAXY, "galaxy_password": value, "galaxy_user": value})
        assert run.task("galaxy_info", "gr")["status"] == "ok", run.output
        if len(value) > 5:
            assert value not in run.output
        run = run_task(sp_plant, tmp_path, "galaxy_deploy",
                       {"galaxy": GALAXY, "objects": [value]})
        assert run.task("galaxy_deploy", "gr")["result"].get("category") == "not_found", run.output
        sent = {e.data["code_sha256"] for e in sp_plant.timeline.events(kind="operation")}
        assert not code or sent == code, "a value changed the code sent"
        code = sent
    assert {v for e in sp_plant.timeline.events(kind="operation") for v in e.data["verbs"]} == {
        "path_test", "process_run", "host_facts", "dir_create", "file_write", "path_move"}
    assert len({e.data["command_sha256"]
                for e in sp_plant.timeline.events(kind="winrs.command")}) == 1
