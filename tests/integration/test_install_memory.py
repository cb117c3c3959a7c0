"""The install a host showed earlier in a run lets a Power Operation module read the install
and the projects in one batch; the same batch proves the guess, so a stale one (citect.ini
changed in between) costs a batch and never a wrong answer (plugin_utils/_install_memory.py)."""

from __future__ import annotations

from support.ansible_run import run_playbook
from support.plants import inventory

PLAY = """
- hosts: po-a
  gather_facts: false
  tasks:
    - name: info
      scada.redundancy.po_info:
        ctapi: false
{middle}
    - name: backup
      scada.redundancy.project_backup:
        archive_name: memory.ctz
        destination: 'D:\\Backups'
      ignore_errors: true
"""
MOVE_USER = """
    - name: move the projects folder
      scada.redundancy.po_setup:
        settings:
          CtEdit:
            User: 'D:\\Elsewhere'
"""


def _run(plant, tmp_path, middle=""):
    play = tmp_path / "play.yml"
    play.write_text(PLAY.format(middle=middle), encoding="utf-8")
    run = run_playbook(play, inventory(plant, tmp_path / "inventory.yml"), tmp_path)
    assert run.rc == 0, run.output
    return run


def _batches(plant, step):
    return [e for e in plant.timeline.events("po-a", "operation") if e.data["operation"] == step]


def test_a_module_after_po_info_reads_install_and_projects_in_one_batch(plant, tmp_path):
    run = _run(plant, tmp_path)
    backup = run.task("backup")["result"]
    assert backup["changed"] is True and backup["project"] == "PlantProject", backup
    info, first = _batches(plant, "po_info"), _batches(plant, "project_backup")
    assert len(info) == 2  # nothing remembered yet: the install, then the projects
    assert len(first) == 2  # the install with the projects, then the archive
    assert "tree_list" in first[0].data["verbs"] and "registry_subkeys" in first[0].data["verbs"]


def test_a_stale_guess_is_found_out_in_the_same_batch(plant, tmp_path):
    plant.hosts["po-a"].fs.mkdir("D:\\Elsewhere")
    run = _run(plant, tmp_path, MOVE_USER)
    backup = run.task("backup")["result"]
    # The remembered folder still holds PlantProject; the projects folder now named is empty,
    # so the backup finds no [CtEdit]Run project there and changes nothing.
    assert backup["category"] == "not_found" and "names no project" in backup["msg"], backup
    assert not plant.hosts["po-a"].fs.exists("D:\\Backups\\memory.ctz")
    guess, listing = _batches(plant, "project_backup")
    assert "registry_subkeys" in guess.data["verbs"] and "tree_list" in guess.data["verbs"]
    assert "registry_subkeys" not in listing.data["verbs"]  # the projects of D:\Elsewhere

