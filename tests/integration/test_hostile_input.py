"""Hostile arguments to every module, drawn by hypothesis, through ansible-playbook and winrm.

Each test runs one batched playbook against a twin plant (see support/hostile.py): a plain
case per module, then hostile cases for each of its documented options. Every case must end in
a result or a clear failure message (never a traceback, an unexpected failure or an
unreachable host), and the code every host received must be byte-identical to the shipped
constant scripts, whatever the values: parameters travel only as JSON data.
"""

from __future__ import annotations

import pytest

from support import hostile
from support.ansible_run import run_playbook
from support.plants import inventory, plant_spec
from support.sp_plant import base_args, settle, sp_plant_spec

SETUP = "C:\\Media\\SP2023R2SP1\\setup.exe"
TOOL = "C:\\Site\\Tools\\EngineStatus.exe"
ARCHIVE = "D:\\Backups\\hostile.ctz"
FAST_WAIT = {"timeout": 5, "long_poll": 2, "poll_interval": 0.5}
#: A System Platform case takes about a second on a loaded 2-core machine: scale with the count.
PLAYBOOK_TIMEOUT = 300 + 3 * 9 * hostile.CASES_PER_MODULE

POWER_OPERATION = [
    hostile.Target("host_info", "po-b", {"data_drive": "D:"}, check_mode=False),
    hostile.Target("po_info", "po-b", {"projects": ["PlantProject"], "fingerprints": True}, check_mode=False),
    hostile.Target("project_backup", "po-b", {"project": "PlantProject", "destination": "D:\\Backups",
                                              "archive_name": "hostile.ctz"}),
    hostile.Target("archive_copy", "po-a", {"source_host": "po-b", "source_path": ARCHIVE,
                                            "dest": "D:\\Incoming\\hostile.ctz"}),
    hostile.Target("project_restore", "po-b", {"archive": ARCHIVE}),
    hostile.Target("project_compile", "po-b", {"project": "PlantProject", "timeout": 60}),
    hostile.Target("runtime", "po-b", {"state": "started", **FAST_WAIT}),
    hostile.Target("notifications", "po-b", {"state": "maintenance", "timeout": 10}),
    hostile.Target("po_setup", "po-b", {"run_project": "PlantProject"}),
    hostile.Target("site_readiness", "po-b", {"data_drive": "D:"}, check_mode=False),
    hostile.Target("agent_verbs", "po-b", {"calls": [{"verb": "path_test", "args": {"path": "D:\\Backups"}}],
                                           "tolerate": True}),
]
SYSTEM_PLATFORM = [
    hostile.Target("galaxy_info", "gr", base_args(), check_mode=False),
    hostile.Target("galaxy_deploy", "gr", base_args(platform="P0"), check_mode=True),
    hostile.Target("galaxy_migrate", "gr", base_args(), check_mode=True),
    hostile.Target("galaxy_backup", "gr", base_args(backup_name="hostile.cab"), check_mode=False),
    hostile.Target("galaxy_upload_runtime_changes", "gr", base_args(objects=["E1_Obj001"]), check_mode=True),
    hostile.Target("load_balancing", "sp-a", {}, check_mode=False),
    hostile.Target("sms_check", "sp-a", {"historizing": False}, check_mode=False),
    hostile.Target("engine_redundancy", "sp-a", {"command": [TOOL, "--engine", "{engine}"], "engines": ["E1"],
                                                 **FAST_WAIT}, check_mode=True),
    # A real install restarts the node; check mode sends the same script with the same values.
    hostile.Target("sp_install", "sp-b", {"version": "23.1.100", "setup_path": SETUP, "admin_user": "svc",
                                          "admin_password": "Inst-S3cret!pw", "poll_interval": 0.3,
                                          "long_poll": 5, "reboot_delay": 1}, check_mode=True),
]


#: Inputs that once ended in a traceback-like failure: always tried, whatever the seed draws.
FOUND = (
    ("runtime", "ctapi", 814),            # ansible-core's validator iterated the int
    ("runtime", "ctapi", [1]),
    ("po_info", "processes", "*"),        # a quoted !unsafe "*" read as a YAML tag (the test's own)
)


def test_every_module_is_a_target():
    assert sorted(t.module for t in POWER_OPERATION + SYSTEM_PLATFORM) == hostile.all_modules()


def _run_batch(plant, targets, tmp_path):
    batch = hostile.cases(targets, explicit=FOUND)
    playbook = hostile.write_playbook(tmp_path / "hostile.yml", batch)
    run = run_playbook(playbook, inventory(plant, tmp_path / "inventory.yml"), tmp_path, timeout=PLAYBOOK_TIMEOUT)
    plain = [r for r in run.results if "(plain)" in r["task"] and r["status"] != "ok"]
    assert not plain, f"plain arguments must succeed: {plain}"
    found = hostile.problems(batch, run.results, run.output)
    assert not found, f"{len(found)} of {len(batch)} cases were not clean:\n" + "\n".join(found[:20])
    sent = hostile.code_hashes_sent(plant)
    assert sent, "no case reached a host: the test proves nothing"
    shipped = hostile.shipped_code_hashes(set(sent))
    changed = {op: hashes - {shipped[op]} for op, hashes in sent.items() if hashes != {shipped[op]}}
    assert not changed, f"a host received code that is not the shipped script: {changed}"
    ran = len(plant.timeline.events(kind="operation"))
    print(f"\nhostile input: {len(batch)} cases over {len(targets)} modules, "
          f"{sum(len(repr(c.args)) for c in batch)} characters of arguments, {ran} operations run "
          f"on hosts, one script each for {len(sent)} operations")
    return batch, run


@pytest.mark.timeout(PLAYBOOK_TIMEOUT + 120)
def test_power_operation_modules_take_hostile_arguments_cleanly(make_plant, tmp_path):
    plant = make_plant(plant_spec(["po-a", "po-b"]))
    _run_batch(plant, POWER_OPERATION, tmp_path)


@pytest.mark.timeout(PLAYBOOK_TIMEOUT + 120)
def test_system_platform_modules_take_hostile_arguments_cleanly(make_plant, tmp_path):
    plant = make_plant(sp_plant_spec())
    for host in plant.hosts.values():
        host.fs.write(TOOL, b"MZ site tool")
        host.fs.write(SETUP, b"MZ setup")
    settle(plant)
    _run_batch(plant, SYSTEM_PLATFORM, tmp_path)
