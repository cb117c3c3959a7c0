"""notifications through ansible-playbook and the winrm connection against the twin."""

from __future__ import annotations

import json
import pathlib

import pytest

from support.ansible_run import run_playbook
from support.plants import inventory, plant_spec

STATE_PATH = "C:\\ProgramData\\scada.redundancy\\notification-services.json"
SERVICES = [
    {"name": "EnmNotificationService", "display_name": "Event Notification Module Service"},
    {"name": "EnmSchedulerService", "display_name": "Event Notification Module Scheduler",
     "start_type": "Manual"},
    # Already out of use before the maintenance: it must stay exactly so.
    {"name": "EnmRelay", "display_name": "Event Notification Module Relay",
     "status": "Stopped", "start_type": "Disabled"},
    {"name": "EnmArchive", "display_name": "Event Notification Module Archive",
     "status": "Stopped", "start_type": "Manual"},
]
NAMES = sorted(s["name"] for s in SERVICES)
ROUND_TRIP = """
- hosts: po-a
  gather_facts: false
  tasks:
    - name: maintenance
      scada.redundancy.notifications:
        state: maintenance
      register: saved
    - name: restore
      scada.redundancy.notifications:
        state: restored
        saved_state: "{{ saved.saved_state }}"
"""
ONE_TASK = """
- hosts: {hosts}
  gather_facts: false
  tasks:
    - name: notifications
      scada.redundancy.notifications: {args}
"""


@pytest.fixture
def plant(make_plant):
    spec = plant_spec(["po-a", "po-b"])
    spec["hosts"][0]["products"]["power_operation"]["notifications"] = {"services": SERVICES}
    return make_plant(spec)


def _run(plant, tmp_path: pathlib.Path, text: str, *flags: str):
    play = tmp_path / "play.yml"
    play.write_text(text, encoding="utf-8")
    return run_playbook(play, inventory(plant, tmp_path / "inventory.yml"), tmp_path, *flags)


def _task(plant, tmp_path, args: str, *flags: str, hosts: str = "po-a"):
    run = _run(plant, tmp_path, ONE_TASK.format(hosts=hosts, args=args), *flags)
    return run, run.task("notifications", hosts if hosts != "all" else "po-a")


def _states(plant, host: str = "po-a") -> dict[str, tuple[str, str]]:
    services = plant.hosts[host].services
    return {s.name: (s.status, s.start_type) for s in services.list()}


def _service_events(plant, name: str) -> list:
    return [e for e in plant.timeline.events("po-a")
            if e.kind.startswith("service.") and e.data["service"] == name]


def test_maintenance_then_restore_leaves_every_service_exactly_as_before(plant, tmp_path):
    before = _states(plant)
    run = _run(plant, tmp_path, ROUND_TRIP)
    assert run.rc == 0, run.output
    maintenance = run.task("maintenance", "po-a")["result"]
    assert maintenance["changed"] is True
    saved = {s["name"]: (s["status"], s["start_type"]) for s in maintenance["saved_state"]["services"]}
    assert saved == {n: before[n] for n in NAMES}
    assert sorted(c["name"] for c in maintenance["changes"]) == [
        "EnmArchive", "EnmNotificationService", "EnmSchedulerService"]
    assert {(s["status"], s["start_type"]) for s in maintenance["services"]} == {("Stopped", "Disabled")}
    restore = run.task("restore", "po-a")["result"]
    assert restore["changed"] is True
    assert _states(plant) == before  # Windows' own services included: untouched
    assert not _service_events(plant, "EnmRelay")
    assert not _service_events(plant, "WpnService")
    assert not plant.hosts["po-a"].fs.is_file(STATE_PATH)  # a finished restore removes it


def test_both_directions_are_idempotent(plant, tmp_path):
    first, record = _task(plant, tmp_path, "{state: maintenance}")
    assert record["result"]["changed"] is True, first.output
    again, record = _task(plant, tmp_path, "{state: maintenance}")
    assert record["result"]["changed"] is False, again.output
    assert record["result"]["changes"] == []
    restored, record = _task(plant, tmp_path, "{state: restored}")
    assert record["result"]["changed"] is True, restored.output
    again, record = _task(plant, tmp_path, "{state: restored}")
    assert record["result"]["changed"] is False, again.output
    assert "nothing to restore" in record["result"]["msg"]


def test_the_record_on_the_host_restores_after_a_controller_crash(plant, tmp_path):
    before = _states(plant)
    run, record = _task(plant, tmp_path, "{state: maintenance}")
    on_disk = json.loads(plant.hosts["po-a"].fs.read(STATE_PATH))
    assert on_disk == record["result"]["saved_state"]
    assert on_disk["computer_name"] == "PO-A"
    # Someone starts a service again meanwhile; a second maintenance keeps the first record.
    plant.hosts["po-a"].services.set_start_type("EnmNotificationService", "Manual")
    run, record = _task(plant, tmp_path, "{state: maintenance}")
    assert record["result"]["changed"] is True
    assert record["result"]["saved_state"] == on_disk
    run, record = _task(plant, tmp_path, "{state: restored}")  # no saved_state: the file
    assert record["status"] == "ok", run.output
    assert _states(plant) == before


def test_check_mode_reports_and_changes_nothing(plant, tmp_path):
    run, record = _task(plant, tmp_path, "{state: maintenance}", "--check")
    result = record["result"]
    assert result["changed"] is True, run.output
    assert len(result["changes"]) == 3
    assert {(s["status"], s["start_type"]) for s in result["services"]} == {("Stopped", "Disabled")}
    assert not plant.timeline.events("po-a", "service.status")
    assert not plant.timeline.events("po-a", "service.start_type")
    assert not plant.hosts["po-a"].fs.is_file(STATE_PATH)
    _task(plant, tmp_path, "{state: maintenance}")
    events = len(plant.timeline.events("po-a"))
    run, record = _task(plant, tmp_path, "{state: restored}", "--check")
    assert record["result"]["changed"] is True
    assert {c["after"]["status"] for c in record["result"]["changes"]} == {"Running", "Stopped"}
    assert [e.kind for e in plant.timeline.events("po-a")[events:]
            if e.kind.startswith("service.")] == []
    assert plant.hosts["po-a"].fs.is_file(STATE_PATH)


@pytest.mark.parametrize("args, message", [
    ("{state: maintenance, patterns: ['*']}", "matches every service"),
    ("{state: maintenance, patterns: []}", "patterns must be a non-empty list"),
    ("{state: maintenance, state_path: 'relative\\\\state.json'}", "state_path must be an absolute"),
    ("{state: maintenance, state_path: 'C:\\\\ProgramData\\\\'}", "state_path must be an absolute"),
    ("{state: maintenance, saved_state: {services: []}}", "only used with state=restored"),
    ("{state: restored, saved_state: {services: [{name: x, status: Up, start_type: Manual}]}}",
     "saved_state.services[0].status must be one of"),
    ("{state: restored, saved_state: {other: 1}}", "a dict with a 'services' list"),
    ("{state: paused}", "value of state must be one of"),
    ("{state: maintenance, timeout: 0}", "timeout must be a positive"),
])
def test_bad_input_fails_on_the_controller(plant, tmp_path, args, message):
    run, record = _task(plant, tmp_path, args)
    assert record["status"] == "failed"
    assert message in record["result"]["msg"]
    assert "Traceback" not in run.output
    assert not plant.timeline.events("po-a", "operation")


def test_a_full_disk_fails_before_any_service_changes(plant, tmp_path):
    plant.inject("po-a", "disk_full")
    run, record = _task(plant, tmp_path, "{state: maintenance}")
    assert record["status"] == "failed"
    assert record["result"]["category"] == "state_file"
    assert "not enough space" in record["result"]["msg"]
    assert not plant.timeline.events("po-a", "service.status")


def test_a_missing_recorded_service_fails_before_any_change(plant, tmp_path):
    saved = "{services: [{name: EnmNotificationService, status: Running, start_type: Automatic}, " \
            "{name: Gone, status: Running, start_type: Automatic}]}"
    _task(plant, tmp_path, "{state: maintenance}")
    events = len(plant.timeline.events("po-a"))
    run, record = _task(plant, tmp_path, f"{{state: restored, saved_state: {saved}}}")
    assert record["status"] == "failed"
    assert record["result"]["category"] == "not_found"
    assert "Gone" in record["result"]["msg"]
    assert not [e for e in plant.timeline.events("po-a")[events:] if e.kind.startswith("service.")]


def test_patterns_that_reach_winrm_are_refused(plant, tmp_path):
    run, record = _task(plant, tmp_path, "{state: maintenance, patterns: ['Windows Remote*']}")
    assert record["status"] == "failed"
    assert record["result"]["category"] == "refused"
    assert plant.hosts["po-a"].services.get("WinRM").status == "Running"


def test_an_unreachable_host_is_reported_as_such(plant, tmp_path):
    plant.inject("po-b", "down")
    run = _run(plant, tmp_path, ONE_TASK.format(hosts="all", args="{state: maintenance}"))
    assert run.task("notifications", "po-a")["status"] == "ok"
    assert run.task("notifications", "po-b")["status"] == "unreachable"
    assert "Traceback" not in run.output


HOSTILE = ["a'; Stop-Service WinRM; '", "$(calc)", "`whoami`", "x\"; exit 1; \"", "é€😀"]


def test_hostile_values_never_change_the_script_sent(plant, tmp_path):
    for value in ["Plain"] + HOSTILE:
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        run, record = _task(plant, tmp_path, f'{{state: maintenance, patterns: ["{quoted}"]}}')
        assert record["status"] == "ok", run.output
        assert record["result"]["changed"] is False  # matches nothing: nothing to do
    sent = plant.timeline.events("po-a", "operation")
    assert len(sent) == 1 + len(HOSTILE)
    assert len({e.data["code_sha256"] for e in sent}) == 1
    assert len({e.data["command_sha256"] for e in plant.timeline.events("po-a", "winrs.command")}) == 1
    assert _states(plant)["WinRM"] == ("Running", "Automatic")
