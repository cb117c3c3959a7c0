"""project_compile through ansible-playbook and the winrm connection against the twin."""

from __future__ import annotations

import json
import pathlib
import threading
import time

import pytest

from support.ansible_run import run_playbook
from support.plants import inventory, plant_spec

PLAY = """
- hosts: po-a
  gather_facts: false
  tasks:
    - name: compile
      scada.redundancy.project_compile: {args}
    - name: facts
      scada.redundancy.po_info: {{ctapi: false}}
"""
SET = ["PlantProject", "PLS_Include", "Site_Include"]


def _run(plant, tmp_path: pathlib.Path, args: str = "{}", *flags: str):
    play = tmp_path / "play.yml"
    play.write_text(PLAY.format(args=args), encoding="utf-8")
    return run_playbook(play, inventory(plant, tmp_path / "inventory.yml"), tmp_path, *flags)


def _ini(plant) -> bytes:
    host = plant.hosts["po-a"]
    return host.fs.read(host.power_operation.spec.ini_path)


def _compiles(plant) -> list[str]:
    return [e.data["state"] for e in plant.timeline.events("po-a", "po.compile")]


def test_compiles_every_time_and_records_what_it_compiled(plant, tmp_path):
    before = _ini(plant)
    po = plant.hosts["po-a"].power_operation
    for attempt in (1, 2):  # already compiled: the procedure compiles again anyway
        run = _run(plant, tmp_path)
        assert run.rc == 0, run.output
        result = run.task("compile")["result"]
        assert result["changed"] is True
        assert result["success"] is True and result["compiled"] is True
        assert result["project"] == "PlantProject" and result["projects"] == SET
        assert result["outcome_source"] == "hook"
        assert (result["error_count"], result["warning_count"], result["messages"]) == (0, 0, [])
        assert result["fingerprint"] == po.compiler.status("PlantProject").fingerprint
        assert _compiles(plant) == ["started", "succeeded"] * attempt
    facts = run.task("facts")["result"]["po_info"]["projects"]["PlantProject"]
    assert facts["compiled"] is True
    assert facts["compiled_fingerprint"] == result["fingerprint"]
    assert _ini(plant) == before
    assert not plant.hosts["po-a"].fs.exists(po.spec.ini_path + ".scada-redundancy-hooks.json")


def test_the_record_counts_until_a_compiled_database_is_newer(plant, tmp_path):
    host = plant.hosts["po-a"]
    po = host.power_operation
    runs = f"{po.spec.folders['data']}\\scada.redundancy\\compile-runs"
    first = _run(plant, tmp_path)
    assert first.rc == 0, first.output
    kept = host.fs.listdir(runs)
    assert len(kept) == 1  # the run's record stays until the next compile
    second = _run(plant, tmp_path)
    facts = second.task("facts")["result"]["po_info"]["projects"]["PlantProject"]
    assert facts["compiled_fingerprint"] == second.task("compile")["result"]["fingerprint"]
    assert facts["compiled_at"]
    assert host.fs.listdir(runs) != kept and len(host.fs.listdir(runs)) == 1
    # A compile made another way (Graphics Builder by hand) writes newer databases.
    project = f"{po.spec.folders['user']}\\PlantProject"
    rdb = next(name for name in host.fs.listdir(project) if name.lower().endswith(".rdb"))
    host.fs.write(f"{project}\\{rdb}", host.fs.read(f"{project}\\{rdb}") + b"x")
    play = tmp_path / "facts.yml"
    play.write_text("- hosts: po-a\n  gather_facts: false\n  tasks:\n    - name: facts\n"
                    "      scada.redundancy.po_info: {ctapi: false}\n", encoding="utf-8")
    later = run_playbook(play, inventory(plant, tmp_path / "inventory.yml"), tmp_path)
    facts = later.task("facts")["result"]["po_info"]["projects"]["PlantProject"]
    assert facts["compiled"] is True and facts["compiled_fingerprint"] is None


def test_injected_errors_fail_the_task_with_the_messages(plant, tmp_path):
    before = _ini(plant)
    plant.inject("po-a", "compile_error", project="Site_Include", messages=[
        {"type": "ERROR", "record": 3, "name": "SITE_FDR01_Ia", "field": "UNIT",
         "table": "variable.DBF", "error": "I/O device not found"},
        {"type": "WARNING", "record": 1, "name": "Overview", "table": "pages",
         "error": "Page has no objects"}])
    run = _run(plant, tmp_path, "{project: plantproject}")
    record = run.task("compile")
    assert record["status"] == "failed"
    result = record["result"]
    assert result["category"] == "compile_failed"
    assert result["changed"] is True
    assert (result["success"], result["error_count"], result["warning_count"]) == (False, 1, 1)
    assert result["msg"].startswith("po-a: project_compile failed: the compile of PlantProject "
                                    "failed with 1 error(s): ERROR variable.DBF/SITE_FDR01_Ia")
    assert "I/O device not found" in result["msg"]
    assert result["messages"][0] == {
        "Type": "ERROR", "Record": 3, "Name": "SITE_FDR01_Ia", "Field": "UNIT",
        "Table": "variable.DBF", "Error": "I/O device not found", "Context": "Site_Include"}
    assert result["messages"][1]["Type"] == "WARNING"
    assert _ini(plant) == before  # hooks restored after a failed compile too
    assert _compiles(plant) == ["started", "failed"]


def test_warnings_alone_do_not_fail(plant, tmp_path):
    plant.inject("po-a", "compile_error", messages=[{"type": "WARNING", "error": "unused tag"}])
    result = _run(plant, tmp_path).task("compile")["result"]
    assert result["success"] is True and result["warning_count"] == 1 and result["error_count"] == 0


def test_missing_included_project_is_a_fatal_compile_error(plant, tmp_path):
    po = plant.hosts["po-a"].power_operation
    po.projects.apply_change("Site_Include", {"include.DBF": b"Missing_Lib\r\n"})
    record = _run(plant, tmp_path).task("compile")
    assert record["status"] == "failed"
    assert record["result"]["projects"] == SET + ["Missing_Lib"]
    fatal = record["result"]["messages"][0]
    assert (fatal["Type"], fatal["Name"]) == ("FATAL", "Missing_Lib")


def test_user_hooks_are_put_back_byte_for_byte(plant, tmp_path):
    host = plant.hosts["po-a"]
    path = host.power_operation.spec.ini_path
    mine = _ini(plant).replace(
        b"[CtEdit]\r\n",
        b"[CtEdit]\r\nCompileSuccessfulCommand = C:\\Tools\\notify.cmd %CtEnvProject%\r\n")
    host.fs.write(path, mine)
    assert _run(plant, tmp_path).task("compile")["result"]["success"] is True
    assert _ini(plant) == mine


def test_a_killed_run_is_repaired_by_the_next(plant, tmp_path):
    """A sidecar left by a run that died mid-compile puts the original lines back first."""
    host = plant.hosts["po-a"]
    path = host.power_operation.spec.ini_path
    original = _ini(plant)
    host.fs.write(path + ".scada-redundancy-hooks.json", json.dumps(
        {"CompileSuccessfulCommand": None, "CompileUnsuccessfulCommand": None}).encode())
    host.fs.write(path, original.replace(
        b"[CtEdit]\r\n", b"[CtEdit]\r\nCompileSuccessfulCommand=cmd.exe /d /c echo stale\r\n"))
    assert _run(plant, tmp_path).task("compile")["result"]["success"] is True
    assert _ini(plant) == original


def test_an_edit_of_citect_ini_during_the_compile_is_kept_and_the_hooks_put_back(make_plant, tmp_path):
    """citect.ini is written back only over what was read: an edit made while the compile runs
    fails that write, and the saved hook lines then go into the file as it is now."""
    plant = make_plant(plant_spec(["po-a", "po-b"], cost={"operations": {"compile": 100}}))
    original = _ini(plant)
    edited = original + b"[Site]\r\nEditedDuringCompile=1\r\n"

    def edit_when_the_compile_starts() -> None:
        deadline = time.monotonic() + 60
        while not _compiles(plant) and time.monotonic() < deadline:
            time.sleep(0.005)
        host = plant.hosts["po-a"]
        hooked = _ini(plant)
        host.fs.write(host.power_operation.spec.ini_path, hooked + b"[Site]\r\nEditedDuringCompile=1\r\n")

    editor = threading.Thread(target=edit_when_the_compile_starts, daemon=True)
    editor.start()
    run = _run(plant, tmp_path)
    editor.join()
    assert run.task("compile")["result"]["success"] is True, run.output
    assert _ini(plant) == edited
    host = plant.hosts["po-a"]
    assert not host.fs.exists(host.power_operation.spec.ini_path + ".scada-redundancy-hooks.json")


def test_check_mode_reports_a_compile_and_compiles_nothing(plant, tmp_path):
    before = _ini(plant)
    run = _run(plant, tmp_path, "{}", "--check")
    result = run.task("compile")["result"]
    assert result["changed"] is True and result["compiled"] is False
    assert result["msg"] == "would compile PlantProject (PlantProject, PLS_Include, Site_Include)"
    assert _compiles(plant) == []
    assert _ini(plant) == before


def test_timeout_fails_and_restores_the_hooks(make_plant, tmp_path):
    # 1000 modelled seconds at time_scale 0.01: a 10 s compile, against a 1 s timeout
    plant = make_plant(plant_spec(["po-a", "po-b"], cost={"operations": {"compile": 1000}}))
    before = _ini(plant)
    record = _run(plant, tmp_path, "{timeout: 1}").task("compile")
    assert record["status"] == "failed"
    assert record["result"]["category"] == "timeout"
    assert "did not finish within 1 seconds" in record["result"]["msg"]
    assert _ini(plant) == before


def test_unknown_project_fails_clearly(plant, tmp_path):
    record = _run(plant, tmp_path, "{project: NoSuchProject}").task("compile")
    assert record["status"] == "failed"
    assert record["result"]["msg"] == ("po-a: project_compile failed: project 'NoSuchProject' "
                                       "does not exist on this server")
    assert record["result"]["category"] == "not_found"


@pytest.mark.parametrize("args, message", [
    ("{project: 'a\\\\b'}", "is not a project name"),
    ("{timeout: 0}", "timeout must be between"),
    ("{messages_file: '..\\\\..\\\\citect.ini'}", "messages_file must be a relative path"),
    ("{bogus: 1}", "bogus"),
])
def test_bad_input_fails_before_reaching_the_host(plant, tmp_path, args, message):
    run = _run(plant, tmp_path, args)
    record = run.task("compile")
    assert record["status"] == "failed"
    assert message in record["result"]["msg"]
    assert "Traceback" not in run.output
    assert not plant.timeline.events(kind="operation")


def test_host_down_is_unreachable(plant, tmp_path):
    plant.inject("po-a", "down")
    run = _run(plant, tmp_path)
    assert run.task("compile")["status"] == "unreachable"
    assert "Traceback" not in run.output


HOSTILE = ["a'; Remove-Item C -Recurse; '", "$(calc)", "`whoami`", "x; exit 1", "é€😀"]


def test_hostile_project_names_never_change_the_script_sent(plant, tmp_path):
    plain = _run(plant, tmp_path, "{project: Site_Include}", "--check")
    assert plain.task("compile")["status"] == "ok", plain.output
    code = {e.data["code_sha256"] for e in plant.timeline.events(kind="operation")
            if e.data["operation"] == "project_compile"}
    lines = {e.data["command_sha256"] for e in plant.timeline.events(kind="winrs.command")}
    for value in HOSTILE:
        run = _run(plant, tmp_path, json.dumps({"project": value}, ensure_ascii=False), "--check")
        assert run.task("compile")["result"]["category"] == "not_found", run.output
    sent = [e for e in plant.timeline.events(kind="operation")
            if e.data["operation"] == "project_compile"]
    assert len(sent) == 2 * (1 + len(HOSTILE))  # the install, then the projects
    assert {e.data["code_sha256"] for e in sent} == code
    assert {e.data["command_sha256"] for e in plant.timeline.events(kind="winrs.command")} == lines
    assert len(lines) == 1  # the agent's launcher, for po_info and project_compile alike
