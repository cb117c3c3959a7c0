"""host_info through ansible-playbook and the winrm connection (NTLM, encrypted) on the twin."""

from __future__ import annotations

import pathlib

import pytest

from support.ansible_run import run_playbook

PLAY = """
- hosts: all
  gather_facts: false
  tasks:
    - name: facts
      scada.redundancy.host_info: {args}
"""


def _playbook(tmp_path: pathlib.Path, args: str = "{}") -> pathlib.Path:
    path = tmp_path / "play.yml"
    path.write_text(PLAY.format(args=args), encoding="utf-8")
    return path


def test_reads_facts_of_both_hosts(plant, plant_inventory, tmp_path):
    run = run_playbook(_playbook(tmp_path, '{data_drive: "D:"}'), plant_inventory, tmp_path)
    assert run.rc == 0, run.output
    for name in ("po-a", "po-b"):
        record = run.task("facts", name)
        assert record["status"] == "ok"
        facts = record["result"]["host_info"]
        assert facts["computer_name"] == name.upper()
        assert facts["user"]["name"].lower() == f"{name}\\scada-admin".lower()
        assert facts["data_drive"]["drive"] == "D:"
        assert facts["data_drive"]["free_bytes"] == plant.hosts[name].fs.free_bytes
        assert facts["products"]["power_operation"]["installed"] is True
        assert facts["products"]["system_platform"] == {"installed": False}
        assert record["result"]["changed"] is False


def test_check_mode_reads_the_same(plant, plant_inventory, tmp_path):
    run = run_playbook(_playbook(tmp_path), plant_inventory, tmp_path, "--check")
    assert run.rc == 0, run.output
    assert run.task("facts", "po-a")["result"]["host_info"]["data_drive"]["drive"] == "C:"


@pytest.mark.parametrize("args, message", [
    ('{data_drive: "DD"}', "data_drive must be a drive letter"),
    ('{data_drive: [1, 2]}', "data_drive"),
    ('{unknown_option: 1}', "unknown_option"),
])
def test_bad_input_fails_clearly(plant, plant_inventory, tmp_path, args, message):
    run = run_playbook(_playbook(tmp_path, args), plant_inventory, tmp_path)
    assert run.rc != 0
    record = run.task("facts", "po-a")
    assert record["status"] == "failed"
    assert message in record["result"]["msg"]
    assert "Traceback" not in run.output


def test_missing_drive_is_a_vendor_style_error(plant, plant_inventory, tmp_path):
    run = run_playbook(_playbook(tmp_path, '{data_drive: "Q:"}'), plant_inventory, tmp_path)
    record = run.task("facts", "po-a")
    assert record["status"] == "failed"
    assert record["result"]["msg"] == "po-a: host_info failed: drive Q: does not exist"
    assert record["result"]["category"] == "not_found"


def test_host_down_is_unreachable(plant, plant_inventory, tmp_path):
    plant.inject("po-b", "down")
    run = run_playbook(_playbook(tmp_path), plant_inventory, tmp_path)
    assert run.task("facts", "po-a")["status"] == "ok"
    assert run.task("facts", "po-b")["status"] == "unreachable"
    assert "Traceback" not in run.output


def test_wrong_password_is_a_clear_authentication_failure(plant, tmp_path):
    from support.plants import inventory

    bad = inventory(plant, tmp_path / "bad.yml", ansible_password="not-the-password")
    run = run_playbook(_playbook(tmp_path), bad, tmp_path)
    record = run.task("facts", "po-a")
    assert record["status"] == "unreachable"
    assert "credentials were rejected" in record["result"]["msg"]
    assert "not-the-password" not in run.output


HOSTILE = ["a'; Remove-Item C:\\ -Recurse; '", "$(calc)", "`whoami`", "x\"; exit 1; \"",
           "line\nbreak", "..\\..\\Windows", "é€😀"]


def test_hostile_values_never_change_the_script_sent(plant, plant_inventory, tmp_path):
    """The script text for hostile parameters is byte-identical to the one for plain ones."""
    plain = run_playbook(_playbook(tmp_path, '{system_platform_pattern: "plain"}'),
                         plant_inventory, tmp_path)
    assert plain.rc == 0, plain.output
    for value in HOSTILE:
        quoted = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        run = run_playbook(_playbook(tmp_path, f'{{system_platform_pattern: "{quoted}"}}'),
                           plant_inventory, tmp_path)
        assert run.task("facts", "po-a")["status"] == "ok", run.output
    sent = plant.timeline.events(kind="operation")
    assert len(sent) == 2 * (1 + len(HOSTILE))
    assert {e.data["code_sha256"] for e in sent} == {sent[0].data["code_sha256"]}
    commands = plant.timeline.events(kind="winrs.command")
    assert commands, "the twin must record each command line it received"
    assert len({e.data["command_sha256"] for e in commands}) == 1
