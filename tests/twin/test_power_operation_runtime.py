"""The runtime: Restart All, service start/stop, what it loads, and injected process faults."""

from __future__ import annotations

import pytest

from scada_twin.power_operation import RuntimeStateError
from scada_twin.power_operation.config import DEFAULT_PROCESSES
from support.po_hosts import TIME_SCALE, WAIT, host_data, make_hosts, settle, states  # noqa: F401

CYCLE = ["Stopping", "Stopped", "Starting", "Running"]


def _process_events(host):
    return host.timeline.events(host.name, "po.process")


def test_restart_all_moves_every_process_through_the_cycle_in_order(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    runtime = host.power_operation.runtime
    runtime.restart_all()
    settle(host)
    events = _process_events(host)
    for process in DEFAULT_PROCESSES:
        assert states(events, process) == CYCLE
    # Everything stops before anything starts.
    last_stopped = max(e.seq for e in events if e.data["state"] == "Stopped")
    first_starting = min(e.seq for e in events if e.data["state"] == "Starting")
    assert last_stopped < first_starting
    # Durations are modelled: the I/O Server (20 s) runs after the Report server (5 s).
    running = {e.data["process"]: e for e in events if e.data["state"] == "Running"}
    starting = {e.data["process"]: e for e in events if e.data["state"] == "Starting"}
    assert running["Report"].seq < running["I/O Server"].seq
    assert running["I/O Server"].time - starting["I/O Server"].time >= 20 * TIME_SCALE
    assert {p.state for p in runtime.status().processes} == {"Running"}


def test_the_runtime_loads_the_compiled_run_project_and_keeps_it_until_restart(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    old = po.runtime.status().loaded
    assert old.project == "PlantProject"
    po.projects.apply_change("PlantProject", {"Overview.ctg": b"changed"})
    new = po.compiler.compile("PlantProject").fingerprint
    assert po.runtime.status().loaded == old  # still running the old compile
    po.runtime.restart_all()
    settle(host)
    assert po.runtime.status().loaded.fingerprint == new != old.fingerprint


def test_an_uncompiled_run_project_puts_every_process_in_exception(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    host.faults.inject("po-a", "compile_error", count=1)
    assert not po.compiler.compile("PlantProject").success
    po.runtime.restart_all()
    settle(host)
    status = po.runtime.status()
    assert {p.state for p in status.processes} == {"Exception"}
    assert "not been compiled" in status.processes[0].reason
    assert status.loaded is None
    assert po.live_role() == "offline"


def test_the_run_project_is_read_from_citect_ini_at_start(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1, projects=[
        {"name": "PlantProject", "includes": ["PLS_Include"]},
        {"name": "Next", "includes": ["PLS_Include"], "compiled": True}]))
    po = host.power_operation
    po.install.set_ctedit("Run", po.projects.path("Next"))
    assert po.current_project() == "Next"
    po.runtime.restart_all()
    settle(host)
    assert po.runtime.status().loaded.project == "Next"


def test_a_process_stuck_in_exception(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    runtime = host.power_operation.runtime
    host.faults.inject("po-a", "po_process_exception", process="Alarm")
    runtime.restart_all()
    settle(host)
    assert runtime.process_state("Alarm") == "Exception"
    assert runtime.process_state("I/O Server") == "Running"
    (event,) = [e for e in _process_events(host) if e.data["state"] == "Exception"]
    assert event.data["process"] == "Alarm" and "po_process_exception" in event.data["reason"]
    runtime.restart_all()  # the fault stays until cleared
    settle(host)
    assert runtime.process_state("Alarm") == "Exception"
    host.faults.clear("po-a", "po_process_exception")
    runtime.restart(["alarm"])
    settle(host)
    assert runtime.process_state("Alarm") == "Running"
    assert states(_process_events(host), "Alarm")[-4:] == ["Stopping", "Stopped", "Starting",
                                                           "Running"]


def test_a_process_that_never_leaves_starting(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    runtime = host.power_operation.runtime
    host.faults.inject("po-a", "po_process_stuck_starting", count=1, process="Trend")
    runtime.restart_all()
    settle(host)
    assert runtime.process_state("Trend") == "Starting"
    assert states(_process_events(host), "Trend") == ["Stopping", "Stopped", "Starting"]
    runtime.restart_all()  # a new attempt (the fault was for one start) recovers
    settle(host)
    assert runtime.process_state("Trend") == "Running"


def test_service_stop_stops_the_processes_first_and_start_starts_them(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    runtime = host.power_operation.runtime
    service = runtime.service_name
    host.services.stop(service)
    assert host.services.wait_status(service, "Stopped", WAIT)
    assert {p.state for p in runtime.status().processes} == {"Stopped"}
    with pytest.raises(RuntimeStateError, match="not running"):
        runtime.restart_all()
    host.services.start(service)
    settle(host)
    assert host.services.get(service).status == "Running"
    assert {p.state for p in runtime.status().processes} == {"Running"}
    statuses = [e.data["status"] for e in host.timeline.events("po-a", "service.status")
                if e.data["service"] == service]
    assert statuses == ["StopPending", "Stopped", "StartPending", "Running"]
    io = [e for e in _process_events(host) if e.data["process"] == "I/O Server"]
    stopped_at = next(e.seq for e in host.timeline.events("po-a", "service.status")
                      if e.data["status"] == "Stopped")
    assert io[1].data["state"] == "Stopped" and io[1].seq < stopped_at


def test_service_restart_runs_the_whole_cycle(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    host.services.restart(host.power_operation.runtime.service_name)
    settle(host)
    assert states(_process_events(host), "Client") == CYCLE


def test_a_restart_during_a_restart_supersedes_it(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    runtime = host.power_operation.runtime
    runtime.restart_all()
    runtime.restart_all()
    settle(host)
    assert {p.state for p in runtime.status().processes} == {"Running"}


def test_a_plant_can_start_with_the_runtime_stopped(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1, runtime={"running": False, "start_type": "Manual"}))
    status = host.power_operation.runtime.status()
    assert status.service.status == "Stopped" and status.service.start_type == "Manual"
    assert {p.state for p in status.processes} == {"Stopped"} and status.loaded is None
