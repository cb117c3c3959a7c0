"""The runtime module after a runtime task on the same host earlier in the run: no locate, the
restart's control calls going with their own reading, and a wrong guess changing nothing
(plugin_utils/_runtime_host.py, _host_memory.py)."""

from __future__ import annotations

from scada_twin.power_operation.config import DEFAULT_PROCESSES
from support.ansible_run import run_playbook
from support.plants import inventory, plant_spec

PLAY = """
- hosts: po-a
  gather_facts: false
  tasks:
{tasks}
"""
TASK = """    - name: {name}
      scada.redundancy.runtime: {args}
"""


def _plant(make_plant):
    operations = {f"process_stop:{p}": 0.5 for p in DEFAULT_PROCESSES}
    operations["runtime_service_start"] = 0.5
    return make_plant(plant_spec(["po-a", "po-b"], cost={"operations": operations}))


def _run(plant, tmp_path, *tasks):
    play = tmp_path / "play.yml"
    play.write_text(PLAY.format(tasks="".join(TASK.format(name=n, args=a) for n, a in tasks)),
                    encoding="utf-8")
    run = run_playbook(play, inventory(plant, tmp_path / "inventory.yml"), tmp_path)
    assert run.rc == 0, run.output
    return run


def _steps(plant):
    return [e.data["operation"] for e in plant.timeline.events("po-a", "operation")]


def test_a_second_runtime_task_needs_no_locate(make_plant, tmp_path):
    plant = _plant(make_plant)
    run = _run(plant, tmp_path, ("wait", "{wait_only: true, timeout: 60}"),
               ("restart", "{state: restarted, timeout: 60, poll_interval: 0.5}"))
    restarted = run.task("restart")["result"]
    assert restarted["changed"] is True
    assert {p["state"] for p in restarted["processes"]} == {"Running"}
    steps = _steps(plant)
    assert steps.count("runtime_locate") == 1 and steps[0] == "runtime_locate"
    restart_batches = [e.data["verbs"] for e in plant.timeline.events("po-a", "operation")
                       if e.data["operation"] == "runtime_control"]
    assert restart_batches[0][:2] == ["service_list", "registry_subkeys"]  # the guess, proved
    assert "service_control" in restart_batches[0]


def test_a_service_that_is_not_running_is_left_alone_by_the_guess(make_plant, tmp_path):
    plant = _plant(make_plant)
    run = _run(plant, tmp_path, ("wait", "{wait_only: true, timeout: 60}"),
               ("stop", "{state: stopped, timeout: 60}"),
               ("restart", "{state: restarted, timeout: 60, poll_interval: 0.5}"))
    restarted = run.task("restart")["result"]
    assert restarted["changed"] is True and restarted["service"]["status"] == "Running"
    steps = _steps(plant)
    # stop: locate (its options differ from none), control; restart: the refused guess, then
    # locate and control as without a guess.
    restart_steps = steps[steps.index("runtime_control") + 1:]
    assert restart_steps[:3] == ["runtime_control", "runtime_locate", "runtime_control"], steps
