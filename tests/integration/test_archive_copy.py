"""archive_copy through ansible-playbook against the twin: po-b (source) to po-a (destination)."""

from __future__ import annotations

import os
import threading

import pytest

from support.archives import (HOSTILE, change, fingerprints, result, run_task, script_hashes,
                              sha256)
from support.plants import PASSWORD, plant_spec

SOURCE = "D:\\Backups\\standby.ctz"
DEST = "D:\\Incoming\\standby.ctz"
MIB = 1024 * 1024


@pytest.fixture
def big_archive(plant, tmp_path):
    return _big_archive(plant, tmp_path)


def _big_archive(plant, tmp_path):
    """A backup of about 6 MiB (incompressible page data) on po-b, at SOURCE."""
    change(plant, "po-b", "PlantProject", {"pages\\Big.ctg": os.urandom(6 * MIB)})
    backup = result(run_task(plant, tmp_path, "project_backup",
                             {"archive_name": "standby.ctz", "destination": "D:\\Backups"}))
    assert backup["status"] == "ok" and backup["size"] > 6 * MIB, backup
    return plant.hosts["po-b"].fs.read(SOURCE)


def _copy(plant, tmp_path, args=None, *flags):
    base = {"source_host": "po-b", "source_path": SOURCE, "dest": DEST, "chunk_size": MIB}
    return result(run_task(plant, tmp_path, "archive_copy", {**base, **(args or {})}, *flags,
                           hosts="po-a"), "po-a")


def _batches(plant, host, verb):
    """The agent batches on ``host`` that called ``verb``."""
    return [e for e in plant.timeline.events(host, "operation") if verb in e.data.get("verbs", ())]


def test_a_several_mib_archive_arrives_with_equal_sha256_at_both_ends(plant, tmp_path, big_archive):
    done = _copy(plant, tmp_path, {}, "-v")
    assert done["status"] == "ok" and done["changed"] is True, done
    copied = plant.hosts["po-a"].fs.read(DEST)
    assert sha256(copied) == sha256(big_archive) == done["sha256"] and done["size"] == len(big_archive)
    assert done["chunks"] == len(_batches(plant, "po-b", "file_read_range")) >= 6
    assert len(_batches(plant, "po-a", "file_append")) == done["chunks"]
    assert len(_batches(plant, "po-a", "path_move")) == 1  # the proved copy takes its name once
    assert not plant.hosts["po-a"].fs.is_file(DEST + ".partial")
    again = _copy(plant, tmp_path)
    assert again["changed"] is False and again["bytes_sent"] == 0


def test_check_mode_inspects_both_ends_and_copies_nothing(plant, tmp_path, big_archive):
    done = _copy(plant, tmp_path, {}, "--check")
    assert done["status"] == "ok" and done["changed"] is True
    assert not plant.hosts["po-a"].fs.exists(DEST) and not _batches(plant, "po-b", "file_read_range")


def test_a_matching_partial_copy_is_resumed_and_a_foreign_one_replaced(plant, tmp_path, big_archive):
    fs = plant.hosts["po-a"].fs
    fs.write(DEST + ".partial", big_archive[:2 * MIB])
    resumed = _copy(plant, tmp_path)
    assert resumed["resumed_from"] == 2 * MIB and resumed["bytes_sent"] == len(big_archive) - 2 * MIB
    assert sha256(fs.read(DEST)) == sha256(big_archive)
    fs.write(DEST, b"an older archive")
    fs.write(DEST + ".partial", b"x" * MIB)
    fresh = _copy(plant, tmp_path)
    assert fresh["changed"] is True and fresh["resumed_from"] == 0
    assert sha256(fs.read(DEST)) == sha256(big_archive)


def test_a_broken_connection_leaves_a_partial_file_the_next_run_resumes(make_plant, tmp_path):
    # Writes slow enough (0.6 s real per MiB) that a Receive waits on a running file_append,
    # which is when the twin's reset_during_command fault closes the connection.
    plant = make_plant(plant_spec(["po-a", "po-b"], cost={"operations": {"file_append_per_mib": 60}}))
    big_archive = _big_archive(plant, tmp_path)
    armed = threading.Event()

    def break_after_first_chunk():
        while not armed.is_set():
            if len(_batches(plant, "po-a", "file_append")) >= 2:
                plant.inject("po-a", "reset_during_command", count=1)
                armed.set()
            armed.wait(0.005)

    watcher = threading.Thread(target=break_after_first_chunk, daemon=True)
    watcher.start()
    broken = _copy(plant, tmp_path, {"chunk_size": 256 * 1024})
    armed.set()
    assert broken["status"] == "unreachable", broken
    assert broken["msg"].startswith("po-a: cannot reach the host (the connection was cut: "), broken
    assert "): write the archive:" in broken["msg"], broken
    fs = plant.hosts["po-a"].fs
    assert not fs.exists(DEST)
    kept = fs.size(DEST + ".partial")
    assert 0 < kept < len(big_archive) and fs.read(DEST + ".partial") == big_archive[:kept]
    plant.clear("po-a")
    done = _copy(plant, tmp_path, {"chunk_size": 256 * 1024})
    assert done["status"] == "ok" and done["resumed_from"] == kept
    assert sha256(fs.read(DEST)) == sha256(big_archive) and not fs.exists(DEST + ".partial")


def test_backup_copy_restore_from_the_standby_makes_the_primary_match(plant, tmp_path):
    change(plant, "po-b", "PlantProject", {"variable.DBF": b"NAME,TYPE\r\nFDR_NEW,REAL\r\n",
                                           "pages\\Feeder9.ctg": os.urandom(500_000)})
    change(plant, "po-b", "Site_Include", {"site.ci": b"// the standby's change\r\n"})
    assert fingerprints(plant, "po-a")["PlantProject"] != fingerprints(plant, "po-b")["PlantProject"]
    pls_before = fingerprints(plant, "po-a")["PLS_Include"]
    play = f"""
- hosts: po-b
  gather_facts: false
  tasks:
    - name: backup
      scada.redundancy.project_backup:
        archive_name: standby.ctz
      register: backup
- hosts: po-a
  gather_facts: false
  tasks:
    - name: copy
      scada.redundancy.archive_copy:
        source_host: po-b
        source_path: "{{{{ hostvars['po-b'].backup.path }}}}"
        dest: 'D:\\Incoming\\'
        chunk_size: 262144
    - name: restore
      scada.redundancy.project_restore:
        archive: 'D:\\Incoming\\standby.ctz'
"""
    from support.ansible_run import run_playbook
    from support.plants import inventory

    path = tmp_path / "flow.yml"
    path.write_text(play, encoding="utf-8")
    run = run_playbook(path, inventory(plant, tmp_path / "inventory.yml"), tmp_path)
    assert run.rc == 0, run.output
    assert run.task("copy", "po-a")["result"]["sha256"] == run.task("backup", "po-b")["result"]["sha256"]
    primary, standby = fingerprints(plant, "po-a"), fingerprints(plant, "po-b")
    assert primary["PlantProject"] == standby["PlantProject"]
    assert primary["Site_Include"] == standby["Site_Include"]
    assert primary["PLS_Include"] == pls_before


def test_via_share_reads_the_partner_admin_share(plant, tmp_path, big_archive):
    share = "\\\\PO-B\\D$\\Backups\\standby.ctz"
    done = _copy(plant, tmp_path, {"via": "share", "share_path": share})
    assert done["status"] == "ok" and done["changed"] is True and done["via"] == "share"
    assert sha256(plant.hosts["po-a"].fs.read(DEST)) == sha256(big_archive) == done["sha256"]
    assert _batches(plant, "po-b", "file_hash") and not _batches(plant, "po-b", "file_read_range")
    again = _copy(plant, tmp_path, {"via": "share", "share_path": share})
    assert again["changed"] is False
    alone = _copy(plant, tmp_path, {"via": "share", "share_path": share, "source_host": None,
                                    "source_path": None, "dest": "D:\\Other\\x.ctz"})
    assert alone["status"] == "ok" and alone["sha256"] == sha256(big_archive)
    unknown = _copy(plant, tmp_path, {"via": "share", "share_path": "\\\\NAS9\\Backups\\x.ctz",
                                      "source_host": None, "source_path": None})
    assert unknown["status"] == "failed" and "does not exist" in unknown["msg"]


def test_a_damaged_archive_never_takes_the_destination_name(plant, tmp_path, big_archive):
    plant.hosts["po-b"].fs.write(SOURCE, big_archive[:-100] + b"\0" * 100)
    done = _copy(plant, tmp_path)
    assert done["status"] == "failed" and done["category"] == "archive_invalid"
    assert not plant.hosts["po-a"].fs.exists(DEST) and not plant.hosts["po-a"].fs.exists(DEST + ".partial")
    plain = _copy(plant, tmp_path, {"validate": False})
    assert plain["status"] == "ok"


def test_source_failures_name_the_source_host(plant, tmp_path):
    missing = _copy(plant, tmp_path)
    assert missing["status"] == "failed" and missing["category"] == "not_found"
    assert "source host po-b" in missing["msg"]
    plant.inject("po-b", "down")
    down = _copy(plant, tmp_path)
    assert down["status"] == "failed" and down["category"] == "source_unreachable"
    assert "source host po-b is unreachable" in down["msg"]


def test_destination_down_is_unreachable(plant, tmp_path, big_archive):
    plant.inject("po-a", "down")
    assert _copy(plant, tmp_path)["status"] == "unreachable"


def test_disk_full_on_the_destination_fails_clearly(plant, tmp_path, big_archive):
    plant.inject("po-a", "disk_full")
    done = _copy(plant, tmp_path)
    assert done["status"] == "failed" and done["category"] == "disk_full"
    assert "not enough space on the disk" in done["msg"]


def test_credentials_of_the_source_host_are_never_shown(plant, tmp_path, big_archive):
    run = run_task(plant, tmp_path, "archive_copy", {"source_host": "po-b", "source_path": SOURCE,
                                                     "dest": DEST}, "-vvvv", hosts="po-a")
    assert run.task("task", "po-a")["status"] == "ok", run.output
    assert PASSWORD not in run.output


@pytest.mark.parametrize("args, message", [
    ({"source_host": None, "source_path": None}, "via: controller needs source_host and source_path"),
    ({"source_host": "nohost"}, "source_host 'nohost' is not a host of the inventory"),
    ({"source_host": "po-a"}, "source_host is this task's own host"),
    ({"dest": "Incoming\\x.ctz"}, "dest must be a full path"),
    ({"source_path": "..\\x"}, "source_path must be a full path"),
    ({"share_path": "\\\\PO-B\\D$\\x.ctz"}, "share_path is only used with via: share"),
    ({"via": "share"}, "via: share needs share_path"),
    ({"chunk_size": 1}, "chunk_size must be between"),
])
def test_bad_input_fails_on_the_controller(plant, tmp_path, args, message):
    done = _copy(plant, tmp_path, args)
    assert done["status"] == "failed" and message in done["msg"], done
    assert not plant.timeline.events(kind="operation")


def test_hostile_values_never_change_the_scripts_sent(plant, tmp_path, big_archive):
    _copy(plant, tmp_path, {"dest": "D:\\Incoming\\plain.ctz"})
    # the command lines and the code (core and verbs) of a plain run
    lines = {e.data["command_sha256"] for e in plant.timeline.events(kind="winrs.command")}
    code = {e.data["code_sha256"] for e in plant.timeline.events(kind="operation")}
    assert script_hashes(plant, "inspect the archive") and script_hashes(plant, "write the archive")
    for value in HOSTILE:
        _copy(plant, tmp_path, {"dest": f"D:\\Incoming\\{value.replace(chr(10), ' ')}.ctz"}, "--check")
    assert {e.data["code_sha256"] for e in plant.timeline.events(kind="operation")} == code
    assert {e.data["command_sha256"] for e in plant.timeline.events(kind="winrs.command")} == lines


# -- a controller file as the source (a change archive from an engineering workstation) ----
def _upload(plant, tmp_path, src, *flags, **args):
    return result(run_task(plant, tmp_path, "archive_copy",
                           {"src": str(src), "dest": "D:\\Incoming\\", "chunk_size": MIB, **args},
                           *flags, hosts="po-a"), "po-a")


def test_a_controller_archive_uploads_in_chunks_and_is_idempotent(plant, tmp_path, big_archive):
    local = tmp_path / "change.ctz"
    local.write_bytes(big_archive)
    done = _upload(plant, tmp_path, local)
    assert done["status"] == "ok" and done["changed"] is True, done
    assert done["dest"] == "D:\\Incoming\\change.ctz"
    assert sha256(plant.hosts["po-a"].fs.read(done["dest"])) == sha256(big_archive) == done["sha256"]
    assert done["chunks"] == len(_batches(plant, "po-a", "file_append")) >= 6
    assert _upload(plant, tmp_path, local)["changed"] is False


def test_an_upload_resumes_a_matching_partial_file(plant, tmp_path, big_archive):
    local = tmp_path / "change.ctz"
    local.write_bytes(big_archive)
    plant.hosts["po-a"].fs.mkdir("D:\\Incoming")
    plant.hosts["po-a"].fs.write("D:\\Incoming\\change.ctz.partial", big_archive[:2 * MIB])
    done = _upload(plant, tmp_path, local)
    assert done["resumed_from"] == 2 * MIB and done["bytes_sent"] == len(big_archive) - 2 * MIB
    assert sha256(plant.hosts["po-a"].fs.read(done["dest"])) == sha256(big_archive)


def test_a_damaged_controller_archive_never_takes_the_destination_name(plant, tmp_path, big_archive):
    damaged = bytearray(big_archive)
    damaged[len(damaged) // 2] ^= 0xFF
    local = tmp_path / "change.ctz"
    local.write_bytes(bytes(damaged))
    done = _upload(plant, tmp_path, local)
    assert done["status"] == "failed", done
    assert not plant.hosts["po-a"].fs.exists("D:\\Incoming\\change.ctz")


@pytest.mark.parametrize("args, message", [
    ({"src": "/nonexistent/change.ctz"}, "is not a file on the controller"),
    ({"source_host": "po-b", "source_path": SOURCE}, "mutually exclusive"),
])
def test_upload_input_is_checked_on_the_controller(plant, tmp_path, big_archive, args, message):
    local = tmp_path / "change.ctz"
    local.write_bytes(big_archive)
    done = result(run_task(plant, tmp_path, "archive_copy",
                           {"src": str(local), "dest": "D:\\Incoming\\", **args}, hosts="po-a"), "po-a")
    assert done["status"] == "failed" and message in done["msg"], done
