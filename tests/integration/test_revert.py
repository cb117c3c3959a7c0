"""playbooks/revert.yml after an update on the lab pair: both servers back to the pre-change
backups the update fetched, standby first, the pair served throughout; a revert that fails on
the standby leaves the other server untouched."""

from __future__ import annotations

import pytest

from support.ansible_run import PlaybookRun, run_playbook
from support.fault_matrix import (
    PLAYBOOKS,
    SERVERS,
    Lab,
    assert_pair_served,
    change,  # noqa: F401 - a fixture make_lab uses
    make_lab,  # noqa: F401 - a fixture
)

pytestmark = pytest.mark.timeout(600)


def revert(lab: Lab, *extra: str) -> PlaybookRun:
    return run_playbook(PLAYBOOKS / "revert.yml", lab.inventory, lab.tmp_path,
                        "-e", f"power_operation_revert_backup_dir={lab.backup_dir}", *extra)


def updated(make_lab) -> tuple[Lab, dict[str, dict[str, str]]]:
    lab = make_lab()
    before = {host: _all_fingerprints(lab, host) for host in SERVERS}
    update = lab.update()
    assert update.rc == 0, update.output[-3000:]
    assert lab.fingerprints() == {host: lab.target for host in SERVERS}
    return lab, before


def _all_fingerprints(lab: Lab, host: str) -> dict[str, str]:
    store = lab.plant.hosts[host].power_operation.projects
    return {name: store.fingerprint(name) for name in store.names()}


def test_a_revert_puts_both_servers_back_standby_first_and_the_pair_served(make_lab):
    lab, before = updated(make_lab)
    mark = lab.mark()
    run = revert(lab)
    assert run.rc == 0, run.output[-4000:]
    assert {host: _all_fingerprints(lab, host) for host in SERVERS} == before
    swaps = [(e.host, e.seq) for e in lab.events(mark, kind="folder.swap")]
    restarts = [(e.host, e.seq) for e in lab.events(mark, kind="po.process")]
    first_on_active = min(seq for host, seq in swaps + restarts if host == "po-a")
    assert all(seq < first_on_active for host, seq in swaps + restarts if host == "po-b"), \
        "every change on the standby must come before the first on the active server"
    assert_pair_served(lab)
    for host in SERVERS:  # what each server held (the change) is kept, apart from the pre-change backups
        assert len(list((lab.backup_dir / host / "replaced-by-revert").glob("*.ctz"))) == 1, host
    again = revert(lab)
    assert again.rc == 0 and not [r for r in again.results if r["result"].get("changed")], again.output[-3000:]


def test_a_revert_failing_on_the_standby_leaves_the_active_server_untouched(make_lab):
    lab, _ = updated(make_lab)
    lab.plant.inject("po-b", "compile_error", count=1, messages=[{"type": "ERROR", "error": "bad tag"}])
    mark = lab.mark()
    active_before = _all_fingerprints(lab, "po-a")
    run = revert(lab)
    assert run.rc != 0
    failed = [r for r in run.results if r["status"] == "failed"]
    assert failed and failed[0]["host"] == "po-b", [(r["host"], r["task"]) for r in failed]
    message = failed[-1]["result"]["msg"]
    assert message.startswith("po-b (standby of po_pair_lab): putting it back failed at \"Compile the restored project\"")
    assert "po-a was not touched" in message and "run the revert again" in message
    assert not lab.events(mark, kind="folder.swap", host="po-a"), "po-a must not be touched"
    assert _all_fingerprints(lab, "po-a") == active_before
    assert_pair_served(lab)


def test_check_mode_changes_nothing_and_the_phases_go_standby_then_primary(make_lab):
    lab, before = updated(make_lab)
    mark = lab.mark()
    run = revert(lab, "--check")
    assert run.rc == 0, run.output[-4000:]
    assert not lab.events(mark, kind="folder.swap") and not lab.events(mark, kind="po.process")
    for host in SERVERS:
        said = run.task("scada.redundancy.power_operation_revert : Say what the revert will do", host)
        assert "put back from" in said["result"]["msg"] and f"/{host}/" in said["result"]["msg"]

    # the phases, as an AWX approval between them runs them: primary first is refused
    refused = revert(lab, "-e", "power_operation_revert_phase=primary")
    assert refused.rc != 0 and "run the standby phase first" in refused.output
    assert not lab.events(mark, kind="folder.swap")
    standby = revert(lab, "-e", "power_operation_revert_phase=standby")
    assert standby.rc == 0, standby.output[-4000:]
    assert _all_fingerprints(lab, "po-b") == before["po-b"] and _all_fingerprints(lab, "po-a") != before["po-a"]
    primary = revert(lab, "-e", "power_operation_revert_phase=primary")
    assert primary.rc == 0, primary.output[-4000:]
    assert {host: _all_fingerprints(lab, host) for host in SERVERS} == before
    [stats] = [r["result"]["ansible_stats"]["data"] for r in primary.results
               if r["task"].endswith("Give AWX what the revert did to this server") and r["host"] == "po-a"]
    summary = stats["scada_redundancy_power_operation_revert"]["po-a"]
    assert (summary["phase"], summary["role"], summary["put_back"]) == ("primary", "active", True)
    assert_pair_served(lab)
