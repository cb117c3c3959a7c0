"""runtime through ansible-playbook and the winrm connection against the twin.

Twin durations are modelled seconds scaled by the plant's time_scale (0.01 here), while the
module's timeout is real seconds on the controller; the host-side values the module passes on
(long_poll, poll_interval) are host seconds, which the twin scales like every duration.
"""

from __future__ import annotations

import pathlib

import pytest

from scada_twin.power_operation.config import DEFAULT_PROCESSES
from support.ansible_run import run_playbook
from support.plants import inventory, plant_spec

PLAY = """
- hosts: {hosts}
  gather_facts: false
  tasks:
    - name: runtime
      scada.redundancy.runtime: {args}
"""
CYCLE = ["Stopping", "Stopped", "Starting", "Running"]


def _run(plant, tmp_path: pathlib.Path, args: str, *flags: str, hosts: str = "po-a"):
    play = tmp_path / "play.yml"
    play.write_text(PLAY.format(hosts=hosts, args=args), encoding="utf-8")
    return run_playbook(play, inventory(plant, tmp_path / "inventory.yml"), tmp_path, *flags)


def _slow_io_plant(make_plant, io_start: float = 100.0):
    """A pair whose I/O Server takes ``io_start`` modelled seconds to start (1 s real per 100)."""
    return make_plant(plant_spec(["po-a", "po-b"], cost={
        "operations": {"process_start:I/O Server": io_start}}))


def _quick_service_plant(make_plant):
    """A pair whose runtime service stops and starts in under a modelled second, so a short
    real timeout (which the control operation also uses as its host-side bound) suffices."""
    operations = {f"process_stop:{p}": 0.5 for p in DEFAULT_PROCESSES}
    operations["runtime_service_start"] = 0.5
    return make_plant(plant_spec(["po-a", "po-b"], cost={"operations": operations}))


def _process_states(plant, host: str = "po-a") -> dict[str, list[str]]:
    states: dict[str, list[str]] = {}
    for event in plant.timeline.events(host, "po.process"):
        states.setdefault(event.data["process"], []).append(event.data["state"])
    return states


def _operations(plant, host: str = "po-a") -> list[str]:
    return [e.data["operation"] for e in plant.timeline.events(host, "operation")]


def test_restart_cycles_every_process_and_reports_timings(make_plant, tmp_path):
    plant = _slow_io_plant(make_plant)
    run = _run(plant, tmp_path, "{state: restarted, timeout: 120, poll_interval: 1}", "-v")
    record = run.task("runtime", "po-a")
    assert record["status"] == "ok", run.output
    result = record["result"]
    assert result["changed"] is True and result["action"] == "restart"
    assert {p["name"]: p["state"] for p in result["processes"]} == {
        p: "Running" for p in DEFAULT_PROCESSES}
    assert result["service"]["status"] == "Running"
    # Every process went Stopping -> Stopped -> Starting -> Running on the host.
    assert _process_states(plant) == {p: CYCLE for p in DEFAULT_PROCESSES}
    timings = result["timings"]
    assert set(timings) == set(DEFAULT_PROCESSES)
    assert timings["I/O Server"] >= 1.0 > timings["Report"]  # 100 vs 5 modelled seconds
    assert {p["name"]: p["seconds"] for p in result["processes"]} == timings
    assert "runtime processes: service Running; Starting: I/O Server" in run.output
    assert "Running: I/O Server, Alarm, Trend, Report, Client, System Services" in run.output


def test_started_when_everything_runs_changes_nothing(plant, tmp_path):
    run = _run(plant, tmp_path, "{state: started}")
    result = run.task("runtime", "po-a")["result"]
    assert run.task("runtime", "po-a")["status"] == "ok", run.output
    assert result["changed"] is False and result["watch_calls"] == 0
    assert _operations(plant) == ["runtime_locate", "runtime_control"]
    assert not plant.timeline.events("po-a", "service.status")
    assert not plant.timeline.events("po-a", "po.process")


def test_stop_and_start_are_idempotent(plant, tmp_path):
    stopped = _run(plant, tmp_path, "{state: stopped}")
    result = stopped.task("runtime", "po-a")["result"]
    assert result["changed"] is True, stopped.output
    assert {p["state"] for p in result["processes"]} == {"Stopped"}
    assert result["service"]["status"] == "Stopped"
    again = _run(plant, tmp_path, "{state: stopped}")
    assert again.task("runtime", "po-a")["result"]["changed"] is False
    started = _run(plant, tmp_path, "{state: started, timeout: 60}")
    result = started.task("runtime", "po-a")["result"]
    assert result["changed"] is True, started.output
    assert {p["state"] for p in result["processes"]} == {"Running"}
    assert _run(plant, tmp_path, "{state: started}").task("runtime", "po-a")["result"]["changed"] is False


def test_check_mode_reports_the_restart_and_does_nothing(plant, tmp_path):
    run = _run(plant, tmp_path, "{state: restarted}", "--check")
    record = run.task("runtime", "po-a")
    assert record["status"] == "ok", run.output
    assert record["result"]["changed"] is True and record["result"]["watch_calls"] == 0
    assert not plant.timeline.events("po-a", "service.status")
    assert not plant.timeline.events("po-a", "po.process")


def test_wait_only_waits_until_every_process_runs(make_plant, tmp_path):
    plant = _slow_io_plant(make_plant, io_start=400.0)  # 4 s real: still starting when we look
    plant.hosts["po-a"].power_operation.runtime.restart_all()
    run = _run(plant, tmp_path, "{wait_only: true, timeout: 60, poll_interval: 1}")
    record = run.task("runtime", "po-a")
    assert record["status"] == "ok", run.output
    result = record["result"]
    assert result["action"] is None and result["changed"] is False
    assert {p["state"] for p in result["processes"]} == {"Running"}
    assert result["watch_calls"] >= 2  # the first look saw the I/O Server still starting
    assert "runtime_control" not in _operations(plant)


def test_a_process_in_exception_fails_with_the_process_table(make_plant, tmp_path):
    """Runtime Manager shows Exception; CtAPI only shows that the Alarm server never answers."""
    plant = _quick_service_plant(make_plant)
    plant.inject("po-a", "po_process_exception", process="Alarm")
    run = _run(plant, tmp_path, "{state: restarted, timeout: 3}")
    record = run.task("runtime", "po-a")
    assert record["status"] == "failed"
    result = record["result"]
    assert result["category"] == "timeout"
    assert result["msg"].startswith("po-a: runtime: Alarm did not reach Running within 3s: "
                                    "service Running; I/O Server=Running (after ")
    for name in DEFAULT_PROCESSES:
        assert f"{name}=" in result["msg"]
    assert "Alarm=Starting; " in result["msg"]
    assert "may be in Exception; Runtime Manager on the host shows which" in result["msg"]
    alarm = next(p for p in result["processes"] if p["name"] == "Alarm")
    assert alarm["state"] == "Starting" and alarm["seconds"] is None
    assert _process_states(plant)["Alarm"][-1] == "Exception"  # what Runtime Manager shows
    assert "Traceback" not in run.output


def test_a_process_that_never_runs_hits_the_timeout(make_plant, tmp_path):
    plant = _quick_service_plant(make_plant)
    plant.inject("po-a", "po_process_stuck_starting", process="Trend")
    run = _run(plant, tmp_path, "{state: restarted, timeout: 3, poll_interval: 1}")
    record = run.task("runtime", "po-a")
    assert record["status"] == "failed"
    result = record["result"]
    assert result["category"] == "timeout"
    assert "Trend did not reach Running within 3s" in result["msg"]
    assert "Trend=Starting" in result["msg"] and "I/O Server=Running" in result["msg"]
    assert "Trend" not in result["timings"] and result["elapsed"] < 3 + 2


def _real_time_plant(make_plant):
    """A plant on real time (time_scale 1) whose runtime moves in fractions of a second, so
    host seconds (long_poll, poll_interval) and the controller's timeout are the same seconds."""
    operations = {f"process_{kind}:{p}": 0.2 for p in DEFAULT_PROCESSES for kind in ("start", "stop")}
    operations["runtime_service_start"] = 0.2
    spec = plant_spec(["po-a", "po-b"], cost={"operations": operations, "powershell_start": 0.05})
    spec["time_scale"] = 1.0
    return make_plant(spec)


def test_a_long_wait_starts_few_powershell_processes(make_plant, tmp_path):
    plant = _real_time_plant(make_plant)
    plant.inject("po-a", "po_process_stuck_starting", process="Trend")
    run = _run(plant, tmp_path, "{state: restarted, timeout: 8, long_poll: 3, poll_interval: 0.25}")
    result = run.task("runtime", "po-a")["result"]
    assert result["category"] == "timeout", run.output
    operations = _operations(plant)
    assert operations == ["runtime_locate", "runtime_control"] + ["runtime_watch"] * result["watch_calls"]
    # One PowerShell process per poll would be 8 / 0.25 = 32; the long polls return on each
    # change the host sees, else every 3 s.
    assert result["watch_calls"] <= 8 / 3 + 1 + 3
    assert result["watch_calls"] < 32 / 4


def test_a_long_poll_outlives_the_winrm_operation_timeout(make_plant, tmp_path):
    """A status call may wait longer than WinRM's operation timeout; the client waits on."""
    plant = _real_time_plant(make_plant)
    plant.inject("po-a", "po_process_stuck_starting", process="Trend")
    play = tmp_path / "play.yml"
    play.write_text(PLAY.format(hosts="po-a", args="{state: restarted, timeout: 7, long_poll: 3, "
                                "poll_interval: 0.5}"), encoding="utf-8")
    slow = inventory(plant, tmp_path / "inventory.yml", ansible_winrm_operation_timeout_sec=1,
                     ansible_winrm_read_timeout_sec=2)
    run = run_playbook(play, slow, tmp_path)
    record = run.task("runtime", "po-a")
    assert record["status"] == "failed", run.output
    assert record["result"]["category"] == "timeout"
    assert "Trend=Starting" in record["result"]["msg"]


@pytest.mark.parametrize("args, message", [
    ("{}", "state is required unless wait_only is true"),
    ("{state: restarted, wait_only: true}", "mutually exclusive"),
    ("{state: sometimes}", "value of state must be one of"),
    ("{state: started, poll_interval: 0}", "poll_interval must be more than 0"),
    ("{state: started, poll_interval: 60}", "at most long_poll"),
    ("{state: started, timeout: -1}", "timeout must be a positive"),
    ("{state: started, processes: []}", "processes must be a non-empty list"),
    ("{state: started, processes: [Alarm, alarm]}", "distinct"),
    ("{state: started, service_name: ''}", "service_name must not be empty"),
    ("{state: started, ctapi: {cluster: 'C1\"); Shutdown(\"'}}", "ctapi.cluster must be"),
    ("{state: started, unknown_option: 1}", "unknown_option"),
])
def test_bad_input_fails_on_the_controller(plant, tmp_path, args, message):
    run = _run(plant, tmp_path, args)
    record = run.task("runtime", "po-a")
    assert record["status"] == "failed"
    assert message in record["result"]["msg"]
    assert "Traceback" not in run.output
    assert _operations(plant) == []


@pytest.mark.parametrize("args, message", [
    ("{state: started, service_pattern: ['Nothing like this*']}",
     "no runtime service has a display name like 'Nothing like this*'"),
    ("{state: started, service_name: Nope}", "Cannot find any service with service name 'Nope'."),
    ("{state: started, service_pattern: ['*Manager*', '*Windows*']}", "several services match"),
    ("{state: started, processes: [Alarm, Historian]}", "Historian"),
])
def test_what_the_host_refuses_fails_clearly(plant, tmp_path, args, message):
    run = _run(plant, tmp_path, args)
    record = run.task("runtime", "po-a")
    assert record["status"] == "failed"
    assert record["result"]["msg"].startswith("po-a: runtime_locate failed: ")
    assert message in record["result"]["msg"]
    assert record["result"]["category"] in ("not_found", "ambiguous")


def test_an_unreachable_host_is_reported_as_such(plant, tmp_path):
    plant.inject("po-b", "down")
    run = _run(plant, tmp_path, "{state: started}", hosts="all")
    assert run.task("runtime", "po-a")["status"] == "ok"
    assert run.task("runtime", "po-b")["status"] == "unreachable"
    assert "Traceback" not in run.output


HOSTILE = ["a'; Stop-Service WinRM; '", "$(calc)", "`whoami`", "x\"; exit 1; \"", "é€😀"]


def test_hostile_values_never_change_the_script_sent(plant, tmp_path):
    for value in ["Plain"] + HOSTILE:
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        run = _run(plant, tmp_path, f'{{state: started, service_pattern: ["{quoted}"]}}')
        record = run.task("runtime", "po-a")
        assert record["status"] == "failed"
        assert record["result"]["category"] == "not_found", run.output
    sent = plant.timeline.events("po-a", "operation")
    assert len(sent) == 1 + len(HOSTILE)
    assert len({e.data["code_sha256"] for e in sent}) == 1
    assert len({e.data["command_sha256"] for e in plant.timeline.events("po-a", "winrs.command")}) == 1
    assert plant.hosts["po-a"].services.get("WinRM").status == "Running"

