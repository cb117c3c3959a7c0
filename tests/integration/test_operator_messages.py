"""Messages an operator meets on a bad night, through ansible-playbook against the twin: refused
credentials said as such, a project name Windows would not allow named with its character,
each failed role input check naming its variable, and the getting-started page's commands in
an order that does what it says."""

from __future__ import annotations

import json
import re

from support.ansible_run import ROOT, run_playbook
from support.lab import lab_inventory, lab_spec
from support.plants import plant_spec
from support.sp_plant import run_task


def test_refused_credentials_are_an_authentication_failure_naming_host_user_and_transport(make_plant, tmp_path):
    plant = make_plant(plant_spec(["po-a"]))
    run = run_task(plant, tmp_path, "host_info", {}, "-e", "ansible_password=Wrong-Passw0rd", hosts="po-a")
    record = run.task("host_info", "po-a")
    assert record["status"] == "unreachable"
    message = record["result"]["msg"]
    assert message.startswith("po-a: authentication failed: the host refused scada-admin over winrm (ntlm)")
    assert "cannot reach" not in message and "Wrong-Passw0rd" not in run.output


def test_a_project_name_windows_would_not_allow_is_named_with_its_character(make_plant, tmp_path):
    plant = make_plant(plant_spec(["po-a"]))
    run = run_task(plant, tmp_path, "project_backup", {"project": 'Plant"X'}, hosts="po-a")
    record = run.task("project_backup", "po-a")
    assert record["status"] == "failed", run.output[-3000:]
    message = record["result"]["msg"]
    assert "project name 'Plant\"X' has '\"'" in message and "archive_name" not in message, message


def test_windows_naming_rules_hold_on_the_twin_through_the_agent(make_plant, tmp_path):
    plant = make_plant(plant_spec(["po-a"]))
    long_path = "D:\\" + "\\".join(["folder-name-of-forty-characters-exactly"] * 7) + "\\file.txt"
    cases = {"forbidden": 'D:\\a"b.txt', "reserved": "D:\\data\\CON.txt", "long": long_path}
    args = {"tolerate": True, "calls": [{"verb": "file_write_atomic", "args": {"path": "{{ item }}", "base64": "eA=="}}]}
    play = [{"hosts": "po-a", "gather_facts": False, "tasks": [
        {"name": "write", "scada.redundancy.agent_verbs": args, "loop": list(cases.values())},
        {"name": "trailing", "scada.redundancy.agent_verbs": {"calls": [
            {"verb": "file_write", "args": {"path": "D:\\trail. ", "base64": "eA=="}},
            {"verb": "path_test", "args": {"path": "D:\\trail"}}]}}]}]
    import yaml

    from support.plants import inventory

    path = tmp_path / "play.yml"
    path.write_text(yaml.safe_dump(play), encoding="utf-8")
    run = run_playbook(path, inventory(plant, tmp_path / "inventory.yml"), tmp_path)
    assert run.rc == 0, run.output[-3000:]
    results = run.task("write", "po-a")["result"]["results"]
    messages = {name: item["results"][0]["msg"] for name, item in zip(cases, results)}
    assert all(not item["results"][0]["ok"] for item in results), results
    assert "syntax is incorrect" in messages["forbidden"]
    assert "reserves for a device" in messages["reserved"]
    assert "too long" in messages["long"]
    # Win32 drops a name's trailing dots and spaces: the file is 'trail'
    assert run.task("trailing", "po-a")["result"]["results"][1]["value"]["kind"] == "file"


def test_each_failed_role_input_check_names_its_variable(make_plant, tmp_path):
    plant = make_plant(lab_spec())
    inventory = lab_inventory(plant, tmp_path / "inventory.yml")
    run = run_playbook(ROOT / "playbooks" / "redundant_update.yml", inventory, tmp_path, "--tags", "power_operation",
                       "-e", json.dumps({"power_operation_update_pair_group": "engineering",
                                         "power_operation_update_change_archive": str(tmp_path / "no such.ctz")}))
    assert run.rc != 0
    failed = [r for r in run.results if r["host"] == "po-a" and r["task"].endswith("Check the role's input")]
    messages = [item["msg"] for item in failed[0]["result"]["results"] if item["msg"] != "All assertions passed"]
    assert len(messages) == 3, messages
    assert messages[0].startswith("po-a: power_operation_update_pair_group names the group 'engineering' of 1 host(s)")
    assert "a pair is exactly two servers" in messages[0]
    assert messages[1].startswith("po-a: power_operation_update_pair_group names the group 'engineering', which does not hold this server")
    assert messages[2].startswith("po-a: power_operation_update_change_archive is '") and "no file on the controller" in messages[2]
    assert all(m.endswith("Nothing was changed.") for m in messages)
    # a value outside the choices is named by the role's argument spec, before any task
    run = run_playbook(ROOT / "playbooks" / "redundant_update.yml", inventory, tmp_path, "--tags", "power_operation",
                       "-e", "power_operation_update_phase=later")
    assert "power_operation_update_phase must be one of: all, standby, primary, plan, got: later" in run.output


def test_the_getting_started_fault_demo_injects_before_the_update_and_passes_paths_as_json():
    text = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    demo = text[text.index("Break things on purpose"):text.index("Read the modules' documentation")]
    commands = [line.strip() for line in demo.splitlines() if line.strip().startswith(".venv/bin/")]
    inject = next(i for i, c in enumerate(commands) if " inject " in c)
    updates = [i for i, c in enumerate(commands) if "redundant_update" in c]
    clear = next(i for i, c in enumerate(commands) if " clear " in c)
    assert inject < updates[0] < clear < updates[1], commands
    assert not re.search(r"-e power_operation_update_change_archive=", text)


def test_long_waits_show_progress_at_default_verbosity(make_plant, tmp_path):
    import yaml

    from support.plants import inventory

    spec = plant_spec(["po-a"])
    spec["time_scale"] = 0.2  # a Restart All of some seconds
    plant = make_plant(spec)
    play = [{"hosts": "po-a", "gather_facts": False, "tasks": [
        {"name": "Restart All", "scada.redundancy.runtime": {"state": "restarted", "timeout": 600}}]}]
    path = tmp_path / "play.yml"
    path.write_text(yaml.safe_dump(play), encoding="utf-8")
    run = run_playbook(path, inventory(plant, tmp_path / "inventory.yml"), tmp_path,
                       env={"SCADA_REDUNDANCY_PROGRESS_INTERVAL": "0.5"})
    assert run.rc == 0, run.output[-3000:]
    lines = [line for line in run.output.splitlines() if line.startswith("po-a: ")]
    assert lines[0] == "po-a: Restart All, then every runtime process Running: started, at most 600s", lines
    ticks = [line for line in lines[1:] if re.match(r"po-a: Restart All, then every runtime process Running: \d+s of at most 600s", line)]
    assert ticks, run.output[-3000:]
    assert any("; last seen: runtime processes:" in line for line in ticks), ticks
