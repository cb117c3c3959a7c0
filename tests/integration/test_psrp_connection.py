"""The collection over ansible-core's psrp connection: the agent runs in the twin's remote
runspace (no console, no powershell.exe), as on a Windows host's Microsoft.PowerShell
endpoint."""

from __future__ import annotations

import os
import pathlib

from support.ansible_run import run_playbook
from support.archives import change, result, run_task, sha256
from support.plants import PSRP_VARS, inventory

PLAY = """
- hosts: all
  gather_facts: false
  tasks:
    - name: facts
      scada.redundancy.host_info: {data_drive: "D:"}
"""


def test_host_info_over_psrp(plant, tmp_path: pathlib.Path) -> None:
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAY, encoding="utf-8")
    run = run_playbook(playbook, inventory(plant, tmp_path / "inventory.yml", **PSRP_VARS), tmp_path)
    assert run.rc == 0, run.output
    for name in ("po-a", "po-b"):
        facts = run.task("facts", name)["result"]["host_info"]
        assert facts["computer_name"] == name.upper()
        assert facts["data_drive"]["free_bytes"] == plant.hosts[name].fs.free_bytes
    kinds = [e.kind for e in plant.timeline.events(host="po-a")]
    assert "psrp.pipeline" in kinds and "winrs.command" not in kinds


def test_archive_copy_over_psrp_reads_one_host_and_writes_the_other(plant, tmp_path) -> None:
    """The destination's task and the delegated source connection are both psrp."""
    change(plant, "po-b", "PlantProject", {"pages\\Big.ctg": os.urandom(3 * 1024 * 1024)})
    backup = result(run_task(plant, tmp_path, "project_backup",
                             {"archive_name": "standby.ctz", "destination": "D:\\Backups"},
                             connection=PSRP_VARS))
    assert backup["status"] == "ok", backup
    copy = result(run_task(plant, tmp_path, "archive_copy",
                           {"source_host": "po-b", "source_path": "D:\\Backups\\standby.ctz",
                            "dest": "D:\\Incoming\\standby.ctz", "chunk_size": 1024 * 1024},
                           hosts="po-a", connection=PSRP_VARS), "po-a")
    assert copy["status"] == "ok" and copy["changed"] is True, copy
    source = plant.hosts["po-b"].fs.read("D:\\Backups\\standby.ctz")
    assert sha256(plant.hosts["po-a"].fs.read("D:\\Incoming\\standby.ctz")) == sha256(source) == copy["sha256"]
    for name in ("po-a", "po-b"):
        kinds = {e.kind for e in plant.timeline.events(host=name)}
        assert "psrp.pipeline" in kinds and "winrs.command" not in kinds, name
