"""po_info through ansible-playbook and the winrm connection against the twin."""

from __future__ import annotations

import pathlib
import re

import pytest

from support import hostile
from support.ansible_run import run_playbook
from support.plants import inventory, plant_spec

PLAY = """
- hosts: {hosts}
  gather_facts: false
  tasks:
    - name: po_info
      scada.redundancy.po_info: {args}
"""
SERVICE = "Citect Runtime Manager"


def _run(plant, tmp_path: pathlib.Path, args: str = "{}", *flags: str, hosts: str = "all"):
    play = tmp_path / "play.yml"
    play.write_text(PLAY.format(hosts=hosts, args=args), encoding="utf-8")
    return run_playbook(play, inventory(plant, tmp_path / "inventory.yml"), tmp_path, *flags)


def _facts(run, host: str) -> dict:
    record = run.task("po_info", host)
    assert record["status"] == "ok", run.output
    assert record["result"]["changed"] is False
    return record["result"]["po_info"]


def test_reports_install_projects_and_the_roles_of_a_pair(plant, tmp_path):
    run = _run(plant, tmp_path)
    assert run.rc == 0, run.output
    active, standby = _facts(run, "po-a"), _facts(run, "po-b")
    spec = plant.hosts["po-a"].power_operation.spec
    assert active["installed"] is True and active["version"] == "2024"
    assert active["ini_path"] == spec.ini_path
    assert active["paths"]["user"] == spec.folders["user"]
    assert active["bin_folder"] == spec.bin_folder
    assert active["run_project"] == "PlantProject"
    assert active["project_set"] == ["PlantProject", "PLS_Include", "Site_Include"]
    assert sorted(active["projects"]) == sorted(["PlantProject", "PLS_Include", "Site_Include"])
    plant_project = active["projects"]["PlantProject"]
    assert plant_project["includes"] == ["PLS_Include", "Site_Include"]
    assert plant_project["compiled"] is True
    assert plant_project["compiled_fingerprint"] is None  # compiled before the collection ran
    assert active["projects"]["Site_Include"]["compiled"] is False
    assert "fingerprint" not in plant_project
    started = active["runtime"]["service"].pop("started")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z", started), started
    assert active["runtime"]["service"] == {
        "name": SERVICE, "display_name": "Power Operation Runtime Manager",
        "status": "Running", "start_type": "Automatic"}
    assert {p["name"]: p["state"] for p in active["runtime"]["processes"]} == {
        "I/O Server": "Running", "Alarm": "Running", "Trend": "Running", "Report": "Running",
        "Client": "Running", "System Services": "Running"}
    assert active["runtime"]["ctapi"] == {"used": True, "connected": True, "error": None}
    assert active["redundancy"]["role"] == "active"
    assert active["redundancy"]["server_info_ex"] == 1
    assert standby["redundancy"]["role"] == "standby"
    assert standby["redundancy"]["server_info_ex"] == 0
    rows = {p["name"]: p for p in standby["runtime"]["processes"]}
    # Primary and standby do not apply to I/O servers (Cicode reference, ServerInfoEx).
    assert rows["I/O Server"] == {"name": "I/O Server", "state": "Running", "active": None}
    assert rows["Alarm"] == {"name": "Alarm", "state": "Running", "active": False}


def test_roles_change_when_the_primary_runtime_stops(plant, tmp_path):
    primary = plant.hosts["po-a"]
    primary.services.stop(SERVICE)
    assert primary.services.wait_status(SERVICE, "Stopped", 10)
    run = _run(plant, tmp_path)
    stopped, taken_over = _facts(run, "po-a"), _facts(run, "po-b")
    assert stopped["redundancy"]["role"] == "offline"
    assert stopped["redundancy"]["server_info_ex"] is None
    assert {p["state"] for p in stopped["runtime"]["processes"]} == {"Stopped"}
    assert stopped["runtime"]["ctapi"]["used"] is False
    assert taken_over["redundancy"] == {"role": "active", "server_info_ex": 1,
                                        "component": "Alarm", "cluster": None}


def test_fingerprints_are_the_twin_reference_values(plant, tmp_path):
    run = _run(plant, tmp_path, "{fingerprints: true, projects: [plantproject], ctapi: false}",
               hosts="po-a")
    facts = _facts(run, "po-a")
    po = plant.hosts["po-a"].power_operation
    assert list(facts["projects"]) == ["PlantProject"]
    report = facts["projects"]["PlantProject"]
    assert report["fingerprint"] == po.projects.fingerprint("PlantProject")
    assert report["set_fingerprint"] == po.compiler.status("PlantProject").fingerprint
    assert facts["redundancy"]["role"] == "unknown"
    assert facts["runtime"]["processes"] == []
    assert facts["runtime"]["ctapi"]["used"] is False


def test_check_mode_reads_the_same(plant, tmp_path):
    run = _run(plant, tmp_path, "{}", "--check", hosts="po-b")
    assert _facts(run, "po-b")["redundancy"]["role"] == "standby"


def test_host_without_power_operation_reports_not_installed(make_plant, tmp_path):
    spec = plant_spec(["po-a"])
    spec["hosts"][0]["products"] = {}
    plant = make_plant(spec)
    facts = _facts(_run(plant, tmp_path), "po-a")
    assert facts["installed"] is False
    assert facts["projects"] == {} and facts["project_set"] == []
    assert facts["runtime"]["service"] is None
    assert facts["redundancy"]["role"] == "offline"


def test_missing_ctapi_library_warns_and_leaves_the_role_unknown(plant, tmp_path):
    run = _run(plant, tmp_path, r"{ctapi_dll: 'C:\nowhere\CtApi.dll'}", hosts="po-a")
    record = run.task("po_info", "po-a")
    facts = record["result"]["po_info"]
    assert facts["redundancy"]["role"] == "unknown"
    assert facts["runtime"]["ctapi"]["connected"] is False
    assert "CtAPI library not found" in facts["runtime"]["ctapi"]["error"]
    assert {p["state"] for p in facts["runtime"]["processes"]} == {"Starting"}
    assert any("CtAPI" in w for w in record["result"]["warnings"])


@pytest.mark.parametrize("args, message", [
    ("{projects: ['a/b']}", "is not a project name"),
    ("{processes: [Bogus]}", "no way to read the state of Bogus"),
    ("{cluster: 'x\"); Shutdown(\"'}", "cluster must be letters, digits and underscores"),
    ("{ctapi_timeout: 0}", "ctapi_timeout must be between"),
    # the I/O server has no active flag: the old default would have reported nobody active
    ("{redundancy_component: IOServer}", "redundancy_component must be one of"),
    ("{project_source: registry}", "project_source"),
    ("{unknown_option: 1}", "unknown_option"),
])
def test_bad_input_fails_clearly_before_reaching_the_host(plant, tmp_path, args, message):
    run = _run(plant, tmp_path, args, hosts="po-a")
    record = run.task("po_info", "po-a")
    assert record["status"] == "failed"
    assert message in record["result"]["msg"]
    assert "Traceback" not in run.output
    assert not plant.timeline.events(kind="operation")


def test_unknown_project_is_a_clear_failure(plant, tmp_path):
    record = _run(plant, tmp_path, "{projects: [NoSuchProject]}", hosts="po-a").task("po_info")
    assert record["status"] == "failed"
    assert record["result"]["msg"] == ("po-a: po_info failed: project 'NoSuchProject' does not "
                                       "exist on this server")
    assert record["result"]["category"] == "not_found"


def test_broken_install_is_a_vendor_style_error(plant, tmp_path):
    host = plant.hosts["po-a"]
    host.fs.remove(host.power_operation.spec.ini_path)
    record = _run(plant, tmp_path, hosts="po-a").task("po_info")
    assert record["status"] == "failed"
    assert record["result"]["category"] == "broken_install"
    assert "citect.ini" in record["result"]["msg"]


def test_host_down_is_unreachable(plant, tmp_path):
    plant.inject("po-b", "down")
    run = _run(plant, tmp_path)
    assert run.task("po_info", "po-a")["status"] == "ok"
    assert run.task("po_info", "po-b")["status"] == "unreachable"
    assert "Traceback" not in run.output


HOSTILE = ["a'; Remove-Item C:\\ -Recurse; '", "$(calc)", "`whoami`", "x\"; exit 1; \"",
           "line\nbreak", "é€😀"]


def test_hostile_values_never_change_the_script_sent(plant, tmp_path):
    plain = _run(plant, tmp_path, "{runtime_service_pattern: [plain]}", hosts="po-a")
    assert plain.task("po_info")["status"] == "ok", plain.output
    for value in HOSTILE:
        quoted = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        run = _run(plant, tmp_path, f'{{runtime_service_pattern: ["{quoted}"], '
                                    f'ctapi_password: "{quoted}"}}', hosts="po-a")
        record = run.task("po_info")
        assert record["status"] == "ok", run.output
        assert record["result"]["po_info"]["runtime"]["service"] is None
        if len(value) > 3:
            assert value not in run.output  # the password is never shown
    sent = plant.timeline.events(kind="operation")
    # each run: the install and the service, then the projects with CtAPI (no service found)
    assert len(sent) == 2 * (1 + len(HOSTILE))
    code = hostile.code_hashes_sent(plant)
    assert all(len(hashes) == 1 for hashes in code.values()), code
    assert code == {unit: {digest} for unit, digest in hostile.shipped_code_hashes(set(code)).items()}
    # one constant command line: the agent's launcher
    assert len({e.data["command_sha256"] for e in plant.timeline.events(kind="winrs.command")}) == 1


@pytest.mark.parametrize("source", ["folders", "graphics_builder"])
def test_both_project_sources_list_only_projects(plant, tmp_path, source):
    host = plant.hosts["po-a"]
    user = host.power_operation.spec.folders["user"]
    host.fs.write(f"{user}\\PlantProject.previous\\variable.DBF", b"kept by a restore")
    host.fs.write(f"{user}\\Notes\\readme.txt", b"not a project")
    run = _run(plant, tmp_path, f"{{project_source: {source}, ctapi: false}}", hosts="po-a")
    facts = _facts(run, "po-a")
    assert sorted(facts["projects"], key=str.lower) == ["PlantProject", "PLS_Include", "Site_Include"]
    assert facts["project_set"] == ["PlantProject", "PLS_Include", "Site_Include"]
