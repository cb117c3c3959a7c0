"""The fault matrix of the Power Operation redundant update (issue 8, docs/reliability.md).

Each case injects one fault into a twin lab pair while the operator's playbook runs, then
checks from the twin's record: one server served all along, the pre-change backups are on
the controller with the hosts' checksums, the failure names host, step and cause, and a rerun
completes the update without restoring again what already holds the change.
"""

from __future__ import annotations

import pytest

from support.fault_matrix import (
    ROLE,
    Lab,
    assert_backups_on_controller,
    assert_failure_names,
    assert_holds_change,
    assert_nothing_changed,
    assert_pair_served,
    assert_rerun_completes,
    operation_started,
    change,  # noqa: F401 - a fixture make_lab uses
    make_lab,  # noqa: F401 - a fixture
    restores,
    verb_started,
    when,
)


@pytest.fixture
def lab(make_lab) -> Lab:
    return make_lab()


def test_a_host_down_at_preflight_changes_nothing(lab: Lab):
    lab.plant.inject("po-a", "down")
    mark = lab.mark()
    run = lab.update()
    assert_failure_names(run, "po-a", "Read the server", "cannot reach the host")
    partner = [r for r in run.results if r["host"] == "po-b" and r["status"] == "failed"]
    assert partner and "po-a" in partner[-1]["result"]["msg"] and "Nothing was changed" in partner[-1]["result"]["msg"]
    assert_nothing_changed(lab, mark)
    assert not lab.events(mark, "zip.written"), "no backup may be taken without both servers"
    assert_pair_served(lab)

    lab.plant.clear("po-a", "down")
    rerun = assert_rerun_completes(lab)
    assert_backups_on_controller(lab, rerun)
    assert_pair_served(lab)


def test_the_standby_going_down_mid_restore_leaves_the_active_serving(make_lab):
    lab = make_lab(zip_extract=300.0)  # 3 s to unpack: the host goes down while it runs
    with when(lab, operation_started("po-b", "project_restore"),
              lambda: lab.plant.inject("po-b", "down")) as fired:
        run = lab.update()
    assert fired.is_set()
    assert_failure_names(run, "po-b", ROLE + "Restore the change into the current project",
                         "cannot reach the host")
    assert_backups_on_controller(lab, run)
    assert not [e for e in lab.events(kind="folder.swap", host="po-a")], "po-a must not be touched"
    assert_pair_served(lab)

    lab.plant.clear("po-b", "down")
    assert_rerun_completes(lab)
    assert_pair_served(lab)


def test_an_archive_corrupted_in_transit_is_never_restored(lab: Lab):
    lab.plant.inject("po-b", "corrupt_transfer", count=1)
    mark = lab.mark()
    run = lab.update()
    assert_failure_names(run, "po-b", "Copy the change archive to the standby", "arrived damaged")
    assert_backups_on_controller(lab, run)
    assert not restores(lab, mark), "nothing may be restored from a damaged copy"
    assert_pair_served(lab)

    assert_rerun_completes(lab)
    assert_pair_served(lab)


def test_a_full_disk_during_the_backup_stops_before_any_change(lab: Lab):
    # Nothing before the backup writes on the host (the preflight only reads, its size
    # estimate included), so a disk full from the start is full when the backup writes.
    lab.plant.inject("po-b", "disk_full")
    mark = lab.mark()
    run = lab.update()
    assert run.task(ROLE + "Require free space for the backups and the staging copy", "po-b")["status"] == "ok"
    assert_failure_names(run, "po-b", "Back up this server's project", "not enough space")
    partner = [r for r in run.results if r["host"] == "po-a" and r["status"] == "failed"]
    assert partner and "po-b could not be backed up" in partner[-1]["result"]["msg"]
    assert_nothing_changed(lab, mark)
    assert_pair_served(lab)

    lab.plant.clear("po-b", "disk_full")
    rerun = assert_rerun_completes(lab)
    assert_backups_on_controller(lab, rerun)


def test_a_runtime_that_never_reaches_running_rolls_the_standby_back(lab: Lab):
    lab.plant.inject("po-b", "po_process_stuck_starting", count=1, process="I/O Server")
    before = lab.fingerprints()
    mark = lab.mark()
    # 20 s: the controller waits that long for the stuck I/O Server; the host's own waits (the
    # service stopping, in modelled seconds: 0.2 s here) keep a margin on a loaded machine.
    run = lab.update("-e", "power_operation_update_runtime_timeout=20")
    message = assert_failure_names(run, "po-b", "Restart All on the standby",
                                   "did not reach Running")
    assert "restored from its pre-change backup" in message
    assert lab.fingerprints() == before, "the standby must be back on its pre-change project"
    assert_backups_on_controller(lab, run)
    assert not lab.events(mark, "folder.swap", "po-a"), "po-a must not be touched"
    standby = lab.plant.hosts["po-b"].power_operation
    assert all(p.state == "Running" for p in standby.runtime.status().processes)
    assert_pair_served(lab)

    assert_rerun_completes(lab)
    assert_pair_served(lab)


@pytest.mark.parametrize("terminate, compiles, found", [
    pytest.param(False, 1, "done", id="compile-goes-on"),
    pytest.param(True, 2, "abandoned", id="compile-ended-with-the-connection"),
])
def test_a_connection_reset_during_the_compile_is_reattached_not_blindly_rerun(
        make_lab, terminate, compiles, found):
    """The compile goes on without the connection: its outcome is read from the host, one
    compile in all. The host ended it with the connection: compiled once more, knowingly."""
    lab = make_lab(compile=200.0)  # 2 s: long enough to cut the connection during it
    mark = lab.mark()
    with when(lab, verb_started("po-b", "gb_compile"),
              lambda: lab.plant.inject("po-b", "reset_during_command", count=1,
                                       terminate=terminate)) as fired:
        run = lab.update()
    assert fired.is_set()
    assert lab.events(mark, "wsman.fault_fired", "po-b"), "the reset must have cut the compile"
    assert run.rc == 0, run.output
    started = [e for e in lab.events(mark, "po.compile", "po-b") if e.data["state"] == "started"]
    assert len(started) == compiles, f"{len(started)} compiles on po-b, {compiles} expected"
    compiled = run.task(ROLE + "Compile the standby's project (again, even if compiled)", "po-b")
    assert compiled["result"].get("reattached") == found, compiled["result"]
    assert_backups_on_controller(lab, run)
    assert_holds_change(lab)
    assert_pair_served(lab)


@pytest.mark.parametrize("when_killed, standby_finished", [
    pytest.param(verb_started("po-b", "gb_compile"), False, id="standby-compile"),
    # The other server's steps start only once the standby is updated and verified.
    pytest.param(operation_started("po-a", "project_restore"), True, id="primary-restore"),
])
def test_a_killed_controller_is_finished_by_a_rerun(lab: Lab, when_killed, standby_finished):
    running = lab.start_update()
    with when(lab, when_killed, running.kill) as fired:
        killed = running.finish()
    assert fired.is_set(), killed.output
    assert killed.rc != 0
    assert_pair_served(lab)

    rerun_mark = lab.mark()
    assert_rerun_completes(lab)
    standby_work = [e.kind for e in lab.events(rerun_mark, host="po-b")
                    if e.kind in ("folder.swap", "po.compile", "po.process")]
    if standby_finished:
        assert not standby_work, f"the standby, finished before the kill, must be left alone: {standby_work}"
    else:
        assert "po.process" in standby_work, "the standby, compiled but not restarted, must be restarted"
    assert_pair_served(lab)


def test_the_active_server_dying_hands_the_plant_to_the_standby(make_lab):
    """The active (and configured primary) server dies while the standby is being restored:
    the standby takes control once its MonitorRequestTimeout passes (the only gap, the
    vendor's), the run stops without touching anything more, and once the server is back a
    rerun completes the update."""
    lab = make_lab(zip_extract=300.0)
    with when(lab, operation_started("po-b", "project_restore"),
              lambda: lab.plant.inject("po-a", "down")) as fired:
        run = lab.update()
    assert fired.is_set() and run.rc != 0
    assert_backups_on_controller(lab, run)
    report = lab.plant.availability()["lab"]
    assert [g["cause"] for g in report["gaps"]] == ["host_died"], report
    assert report["handovers"][-1]["active"] == "po-b", "the standby must have taken control"
    assert_pair_served(lab)

    lab.plant.clear("po-a", "down")
    assert_rerun_completes(lab)
    assert_pair_served(lab)


# ansible-core's winrm connection waits a whole operation timeout for a host that answers
# nothing (20 s by default); these cases set it short, as a site with impatient probes would.
SHORT_TIMEOUTS = ("-e", "ansible_winrm_operation_timeout_sec=2", "-e", "ansible_winrm_read_timeout_sec=4")


def test_the_standby_dark_mid_restore_fails_on_a_timeout_and_a_rerun_completes(make_lab):
    """The standby's address swallows every packet (a partition) during its restore: the
    controller's requests time out, the run stops naming the silence, the active server is
    never touched, and a rerun after the network heals completes the update."""
    lab = make_lab(zip_extract=300.0)
    with when(lab, operation_started("po-b", "project_restore"),
              lambda: lab.plant.inject("po-b", "blackhole")) as fired:
        run = lab.update(*SHORT_TIMEOUTS)
    assert fired.is_set()
    assert_failure_names(run, "po-b", ROLE + "Restore the change into the current project",
                         "no answer before the client's timeout")
    assert_backups_on_controller(lab, run)
    assert not lab.events(kind="folder.swap", host="po-a"), "po-a must not be touched"
    assert_pair_served(lab)

    lab.plant.clear("po-b", "blackhole")
    assert_rerun_completes(lab)
    assert_pair_served(lab)


def test_bursts_of_busy_and_quota_faults_are_ridden_out(make_lab):
    """WinRM refusing Sends as busy (WS-Man fault 170) three times running on the standby, and
    commands over the operations quota (0x803381A6) twice on the active server, while the
    update runs: the collection sends the refused batches again (the agent ran nothing of
    them) and ansible-core opens a new shell for the quota; the update completes."""
    lab = make_lab()

    def burst() -> None:
        lab.plant.inject("po-b", "busy", count=3)
        lab.plant.inject("po-a", "quota", count=2)

    with when(lab, operation_started("po-b", "project_restore"), burst) as fired:
        run = lab.update(*SHORT_TIMEOUTS)
    assert fired.is_set()
    assert run.rc == 0, "\n".join(f'{r["host"]}: {r["task"]}: {r["result"]}' for r in run.results
                                   if r["status"] in ("failed", "unreachable"))
    fired_faults = [(e.host, e.data["fault"]) for e in lab.events(kind="wsman.fault_fired")]
    assert fired_faults.count(("po-b", "busy")) == 3 and fired_faults.count(("po-a", "quota")) == 2, fired_faults
    assert "refused the request's input; sending the batch again" in run.output
    assert_backups_on_controller(lab, run)
    assert_holds_change(lab)
    assert_pair_served(lab)
