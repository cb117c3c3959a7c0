"""engine_redundancy through ansible-playbook and winrm against the twin's System Platform nodes."""

from __future__ import annotations

import threading

import pytest

from support.sp_plant import GALAXY, run_task, settle, sp_plant_spec

TOOL = "C:\\Site\\Tools\\EngineStatus.exe"
COMMAND = [TOOL, "--engine", "{engine}"]


@pytest.fixture
def sp_plant(make_plant):
    plant = make_plant(sp_plant_spec())
    for host in plant.hosts.values():
        host.fs.write(TOOL, b"MZ site tool")
    settle(plant)
    return plant


def test_reads_the_statuses(sp_plant, tmp_path):
    run = run_task(sp_plant, tmp_path, "engine_redundancy",
                   {"command": COMMAND, "engines": ["E1", "E1b"]}, "--check", hosts="sp-a")
    record = run.task("engine_redundancy", "sp-a")
    assert record["status"] == "ok", run.output
    result = record["result"]
    assert result["changed"] is False
    assert result["statuses"] == {"E1": "Active", "E1b": "Standby - Ready"}
    assert [r["matched"] for r in result["engines"]] == [None, None]


def test_waits_for_a_failover(sp_plant, tmp_path):
    galaxy = sp_plant.galaxies[GALAXY]
    timer = threading.Timer(3.0, galaxy.force_failover, args=("E1",))
    timer.start()
    try:
        run = run_task(sp_plant, tmp_path, "engine_redundancy",
                       {"command": COMMAND, "expect": {"E1b": "active",
                                                       "E1": ["Standby - Ready"]},
                        # the twin counts host seconds in modelled time (time_scale 0.01):
                        # 500 of them are the 5 real seconds a host would wait per call
                        "timeout": 120, "long_poll": 500, "poll_interval": 0.5}, "-v",
                       hosts="sp-b")
    finally:
        timer.cancel()
    record = run.task("engine_redundancy", "sp-b")
    assert record["status"] == "ok", run.output
    result = record["result"]
    assert result["statuses"] == {"E1b": "Active", "E1": "Standby - Ready"}
    assert all(r["matched"] for r in result["engines"])
    assert "E1b=Standby - Ready" in run.output and "E1b=Active" in run.output
    ops = sp_plant.timeline.events(kind="operation")
    assert len(ops) < 15


def test_timeout_bad_input_unknown_tool_and_unreachable(sp_plant, tmp_path):
    run = run_task(sp_plant, tmp_path, "engine_redundancy",
                   {"command": COMMAND, "expect": {"E1b": "Active"}, "timeout": 2,
                    "long_poll": 1, "poll_interval": 0.5}, hosts="sp-b")
    record = run.task("engine_redundancy", "sp-b")
    assert record["status"] == "failed"
    assert record["result"]["category"] == "timeout"
    assert "E1b is Standby - Ready, expected Active" in record["result"]["msg"]
    before = len(sp_plant.timeline.events(kind="operation"))
    for args, text in (({"command": [TOOL], "engines": ["E1"]}, "{engine}"),
                       ({"command": COMMAND, "expect": {"E1": "Primary"}}, "not a known status"),
                       ({"command": COMMAND}, "at least one engine")):
        record = run_task(sp_plant, tmp_path, "engine_redundancy", args, hosts="sp-b").task(
            "engine_redundancy", "sp-b")
        assert record["status"] == "failed" and text in record["result"]["msg"]
    assert len(sp_plant.timeline.events(kind="operation")) == before
    run = run_task(sp_plant, tmp_path, "engine_redundancy",
                   {"command": ["C:\\Nope\\tool.exe", "{engine}"], "engines": ["E1"]},
                   hosts="sp-b")
    record = run.task("engine_redundancy", "sp-b")
    assert record["status"] == "failed" and "cannot find the file" in record["result"]["msg"]
    record = run_task(sp_plant, tmp_path, "engine_redundancy",
                      {"command": COMMAND, "engines": ["Nope"]}, hosts="sp-b").task(
        "engine_redundancy", "sp-b")
    assert record["status"] == "ok"
    assert record["result"]["engines"][0]["status"] is None
    assert record["result"]["engines"][0]["exit_code"] == 1
    sp_plant.inject("sp-b", "down")
    run = run_task(sp_plant, tmp_path, "engine_redundancy",
                   {"command": COMMAND, "engines": ["E1"]}, hosts="sp-b")
    assert run.task("engine_redundancy", "sp-b")["status"] == "unreachable"
    assert "Traceback" not in run.output


def test_the_script_sent_is_constant(sp_plant, tmp_path):
    hostile = "E1\"; Remove-Item C:\\ -Recurse; '$(whoami)`|&<>"
    for args in ({"command": COMMAND, "engines": ["E1"]},
                 {"command": [TOOL, "{engine}", hostile], "engines": [hostile],
                  "extra_statuses": [hostile]}):
        run = run_task(sp_plant, tmp_path, "engine_redundancy", args, hosts="sp-a")
        assert run.task("engine_redundancy", "sp-a")["status"] == "ok", run.output
    sent = sp_plant.timeline.events(kind="operation")
    assert len(sent) == 2 and len({e.data["code_sha256"] for e in sent}) == 1
