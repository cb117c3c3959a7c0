"""po_setup through ansible-playbook and the winrm connection against the twin."""

from __future__ import annotations

import json
import pathlib

import pytest

from support import hostile
from support.ansible_run import run_playbook
from support.plants import inventory

PLAY = """
- hosts: po-a
  gather_facts: false
  tasks:
    - name: setup
      scada.redundancy.po_setup: {args}
"""


def _run(plant, tmp_path: pathlib.Path, args: str, *flags: str):
    play = tmp_path / "play.yml"
    play.write_text(PLAY.format(args=args), encoding="utf-8")
    return run_playbook(play, inventory(plant, tmp_path / "inventory.yml"), tmp_path, *flags)


def _ini(plant) -> bytes:
    host = plant.hosts["po-a"]
    return host.fs.read(host.power_operation.spec.ini_path)


def _user(plant) -> str:
    return plant.hosts["po-a"].power_operation.spec.folders["user"]


def test_sets_the_run_project_once_and_shows_the_lines(plant, tmp_path):
    before = _ini(plant)
    run = _run(plant, tmp_path, "{run_project: site_include}", "--diff")
    assert run.rc == 0, run.output
    result = run.task("setup")["result"]
    assert result["changed"] is True
    assert result["run_project"] == "Site_Include"
    assert result["run_path"] == f"{_user(plant)}\\Site_Include"
    assert result["changes"] == [{"section": "CtEdit", "key": "Run",
                                  "before": f"Run={_user(plant)}\\PlantProject",
                                  "after": f"Run={_user(plant)}\\Site_Include"}]
    assert result["diff"]["before"] == f"[CtEdit]\nRun={_user(plant)}\\PlantProject\n"
    assert result["diff"]["after"] == f"[CtEdit]\nRun={_user(plant)}\\Site_Include\n"
    assert _ini(plant) == before.replace(b"PlantProject", b"Site_Include")
    assert plant.hosts["po-a"].power_operation.current_project() == "Site_Include"
    again = _run(plant, tmp_path, "{run_project: Site_Include}").task("setup")["result"]
    assert again["changed"] is False and again["changes"] == []


def test_check_mode_reports_and_writes_nothing(plant, tmp_path):
    before = _ini(plant)
    result = _run(plant, tmp_path, "{run_project: Site_Include}", "--check").task("setup")["result"]
    assert result["changed"] is True
    assert result["run_path"] == f"{_user(plant)}\\Site_Include"
    assert _ini(plant) == before


def test_settings_add_change_and_remove_keys_keeping_every_other_line(plant, tmp_path):
    host = plant.hosts["po-a"]
    path = host.power_operation.spec.ini_path
    original = _ini(plant) + b"\r\n; operator note: keep\r\n[Alarm]\r\nheartbeat = 30\r\nOld=1\r\n"
    host.fs.write(path, b"\xef\xbb\xbf" + original)  # a UTF-8 BOM, as Notepad writes
    args = json.dumps({"settings": {"ALARM": {"Heartbeat": "60", "old": None},
                                    "CtEdit": {"Backup": "D:\\Backups\\PO"},
                                    "Kernel": {"Task": 4}}})
    result = _run(plant, tmp_path, args).task("setup")["result"]
    assert result["changed"] is True
    assert [(c["section"], c["key"], c["before"], c["after"]) for c in result["changes"]] == [
        ("ALARM", "Heartbeat", "heartbeat = 30", "heartbeat=60"),
        ("ALARM", "old", "Old=1", None),
        ("CtEdit", "Backup", f"Backup={host.power_operation.spec.folders['backup']}",
         "Backup=D:\\Backups\\PO"),
        ("Kernel", "Task", None, "Task=4")]
    text = _ini(plant)
    assert text.startswith(b"\xef\xbb\xbf")
    assert b"; operator note: keep\r\n[Alarm]\r\nheartbeat=60\r\n\r\n[Kernel]\r\nTask=4\r\n" in text
    assert _run(plant, tmp_path, args).task("setup")["result"]["changed"] is False


def test_ansi_encoded_ini_stays_ansi(plant, tmp_path):
    host = plant.hosts["po-a"]
    path = host.power_operation.spec.ini_path
    host.fs.write(path, _ini(plant) + "[Site]\r\nName=Usine Fréjus\r\n".encode("cp1252"))
    _run(plant, tmp_path, '{settings: {Site: {Owner: "Société"}}}').task("setup")
    assert _ini(plant).endswith("Name=Usine Fréjus\r\nOwner=Société\r\n".encode("cp1252"))


def test_unknown_project_fails_clearly(plant, tmp_path):
    record = _run(plant, tmp_path, "{run_project: Nope}").task("setup")
    assert record["status"] == "failed"
    assert record["result"]["msg"] == "po-a: po_setup failed: project 'Nope' does not exist on this server"
    assert record["result"]["category"] == "not_found"


def test_not_installed_is_a_vendor_style_error(plant, tmp_path):
    plant.hosts["po-a"].registry.delete_key(
        "HKLM\\SOFTWARE\\WOW6432Node\\Citect\\SCADA Installs", recurse=True)
    record = _run(plant, tmp_path, "{run_project: PlantProject}").task("setup")
    assert record["result"]["category"] == "not_installed"


@pytest.mark.parametrize("args, message", [
    ("{}", "nothing to set"),
    ('{settings: {CtEdit: {Backup: "a\\nRun=C:\\\\evil"}}}', "cannot be written to citect.ini"),
    ('{settings: {CtEdit: {"Key=x": "1"}}}', "cannot be written to citect.ini"),
    ('{settings: {"Bad]": {Key: "1"}}}', "cannot be written to citect.ini"),
    ("{settings: {CtEdit: {Remote: true}}}", "quote 1 and 0"),
    ("{settings: {CtEdit: [1]}}", "must be a mapping"),
    ("{run_project: PlantProject, settings: {ctedit: {run: x}}}", "set [CtEdit]Run with run_project"),
    ("{run_project: 'a:b'}", "is not a project name"),
])
def test_bad_input_fails_before_reaching_the_host(plant, tmp_path, args, message):
    run = _run(plant, tmp_path, args)
    record = run.task("setup")
    assert record["status"] == "failed"
    assert message in record["result"]["msg"]
    assert "Traceback" not in run.output
    assert not plant.timeline.events(kind="operation")


def test_host_down_is_unreachable(plant, tmp_path):
    plant.inject("po-a", "down")
    run = _run(plant, tmp_path, "{run_project: PlantProject}")
    assert run.task("setup")["status"] == "unreachable"


HOSTILE = ["a'; Remove-Item C:\\ -Recurse; '", "$(calc)", "`whoami`", "x\"; exit 1; \"",
           "..\\..\\Windows", "é€"]


def test_hostile_values_are_written_as_values_by_the_same_script(plant, tmp_path):
    for value in ["plain", *HOSTILE]:
        args = json.dumps({"settings": {"Site": {"Note": value}}}, ensure_ascii=False)
        result = _run(plant, tmp_path, args).task("setup")["result"]
        assert result["changes"][0]["after"] == f"Note={value}"
        document_value = plant.hosts["po-a"].power_operation.install.ini().get("Site", "Note")
        assert document_value == value
    sent = plant.timeline.events(kind="operation")
    assert len(sent) == 2 * (1 + len(HOSTILE))  # read, then write
    code = hostile.code_hashes_sent(plant)
    assert all(len(hashes) == 1 for hashes in code.values()), code
    assert len({e.data["command_sha256"] for e in plant.timeline.events(kind="winrs.command")}) == 1


def test_a_value_the_files_code_page_cannot_hold_fails_and_writes_nothing(plant, tmp_path):
    """An ANSI citect.ini (code page 1252 here) cannot hold an emoji: written, it would read
    back as '?', and every run would change it again."""
    before = plant.hosts["po-a"].fs.read(plant.hosts["po-a"].power_operation.spec.ini_path)
    run = _run(plant, tmp_path, json.dumps({"settings": {"Site": {"Note": "é€😀"}}},
                                           ensure_ascii=False))
    record = run.task("setup")
    assert record["status"] == "failed"
    assert record["result"]["category"] == "invalid_parameter"
    assert "cp1252" in record["result"]["msg"] and "Site.Note" in record["result"]["msg"]
    assert plant.hosts["po-a"].fs.read(plant.hosts["po-a"].power_operation.spec.ini_path) == before
