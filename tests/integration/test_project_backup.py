"""project_backup through ansible-playbook and the winrm connection against the twin."""

from __future__ import annotations

import os

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive
from support.archives import (BACKUP, HOSTILE, INI, change, fingerprints, manifest_of, po, result,
                              run_task, script_hashes, sha256, zip_members)


def _backup(plant, tmp_path, args=None, *flags, host="po-b"):
    return result(run_task(plant, tmp_path, "project_backup", args or {}, *flags, hosts=host), host)


def test_backup_writes_a_verified_archive_of_the_run_project_and_its_includes(plant, tmp_path):
    done = _backup(plant, tmp_path)
    assert done["status"] == "ok" and done["changed"] is True
    assert done["folder"] == BACKUP and done["path"] == f"{BACKUP}\\{done['archive_name']}"
    assert done["archive_name"].startswith("PlantProject-") and done["archive_name"].endswith("Z.ctz")
    data = plant.hosts["po-b"].fs.read(done["path"])
    assert done["sha256"] == sha256(data) and done["size"] == len(data)
    assert not plant.hosts["po-b"].fs.is_file(done["path"] + ".partial")
    # The controller's own checks accept what the host wrote.
    local = tmp_path / "copy.ctz"
    local.write_bytes(data)
    manifest = _archive.verify_archive(local)
    assert manifest.project == "PlantProject" and manifest.source_host == "PO-B"
    assert manifest.includes == ("PLS_Include", "Site_Include")
    assert manifest.product_version == "2024"
    assert manifest.options == {"include_projects": True, "subdirectories": True,
                                "configuration_files": False}
    # Fingerprints are the twin's reference fingerprints of the projects on the host.
    assert manifest.fingerprints() == fingerprints(plant, "po-b")
    assert {p["name"]: p["fingerprint"] for p in done["projects"]} == fingerprints(plant, "po-b")
    assert done["files"] == len(manifest.files) and not any(f.kind != "project" for f in manifest.files)


def test_compiled_outputs_are_not_saved(plant, tmp_path):
    names = zip_members(plant.hosts["po-b"].fs.read(_backup(plant, tmp_path)["path"]))
    assert not [n for n in names if n.lower().endswith(".rdb")]
    assert any(n.lower().endswith(".rdb") for n in plant.hosts["po-b"].fs.listdir(
        po(plant, "po-b").projects.path("PlantProject")))


def test_check_mode_reports_what_would_be_saved_and_writes_nothing(plant, tmp_path):
    done = _backup(plant, tmp_path, {"archive_name": "b.ctz"}, "--check")
    assert done["status"] == "ok" and done["changed"] is True
    assert done["files"] > 10 and done["bytes"] > 1000 and done["sha256"] is None
    assert {p["name"] for p in done["projects"]} == {"PlantProject", "PLS_Include", "Site_Include"}
    assert plant.hosts["po-b"].fs.listdir(BACKUP) == []


def test_a_named_backup_of_unchanged_projects_is_not_written_again(plant, tmp_path):
    first = _backup(plant, tmp_path, {"archive_name": "PlantProject.ctz"})
    second = _backup(plant, tmp_path, {"archive_name": "PlantProject.ctz"})
    assert first["changed"] is True and second["changed"] is False
    assert second["sha256"] == first["sha256"] and second["created_utc"] == first["created_utc"]
    check = _backup(plant, tmp_path, {"archive_name": "PlantProject.ctz"}, "--check")
    assert check["changed"] is False
    change(plant, "po-b", "Site_Include", {"variable.DBF": b"NAME,TYPE\r\nNEW,REAL\r\n"})
    third = _backup(plant, tmp_path, {"archive_name": "PlantProject.ctz"})
    assert third["changed"] is True and third["sha256"] != first["sha256"]


def test_the_dialog_options_choose_what_is_saved(plant, tmp_path):
    change(plant, "po-b", "PlantProject", {"pages\\Sub.ctg": b"sub page"})
    fs = plant.hosts["po-b"].fs
    fs.write(INI.replace("citect.ini", "DeploymentService.exe.config"), b"<configuration/>")
    fs.write(INI.replace("citect.ini", "notes.txt"), b"not a configuration file")
    done = _backup(plant, tmp_path, {"archive_name": "x.ctz", "include_projects": False,
                                     "subdirectories": False, "configuration_files": True})
    names = set(zip_members(fs.read(done["path"])))
    assert "PlantProject/variable.DBF" in names and "PlantProject/pages/Sub.ctg" not in names
    assert not [n for n in names if n.startswith(("PLS_Include/", "Site_Include/"))]
    assert {n for n in names if n.startswith("Config/")} == {
        "Config/citect.ini", "Config/DeploymentService.exe.config"}
    manifest = manifest_of(fs.read(done["path"]))
    assert [p["name"] for p in manifest["projects"]] == ["PlantProject"]
    assert {f["kind"] for f in manifest["files"] if f["path"].startswith("Config/")} == {"ini", "config"}
    full = _backup(plant, tmp_path, {"archive_name": "y.ctz"})
    assert "PlantProject/pages/Sub.ctg" in zip_members(fs.read(full["path"]))


def test_fetch_streams_the_archive_to_the_controller_and_retention_keeps_the_newest(plant, tmp_path):
    change(plant, "po-b", "PlantProject", {"Big.ctg": os.urandom(300_000)})
    fetch_dest = tmp_path / "backups"
    fetch_dest.mkdir()
    (fetch_dest / "unrelated.txt").write_text("left alone")
    done = []
    for name in ("b1.ctz", "b2.ctz", "b3.ctz"):
        done.append(_backup(plant, tmp_path, {"archive_name": name, "fetch": True,
                                              "fetch_dest": str(fetch_dest), "retention": 2,
                                              "chunk_size": 65536}, "-v"))
    last = done[-1]
    assert last["status"] == "ok", last
    assert last["fetched"]["changed"] is True and last["fetched"]["sha256"] == last["sha256"]
    local = fetch_dest / "b3.ctz"
    assert _archive.sha256_file(local) == last["sha256"] == sha256(plant.hosts["po-b"].fs.read(last["path"]))
    assert sorted(p.name for p in fetch_dest.iterdir()) == ["b2.ctz", "b3.ctz", "unrelated.txt"]
    assert last["retention_removed"] == [str(fetch_dest / "b1.ctz")]
    chunks = [e for e in plant.timeline.events("po-b", "operation") if "file_read_range" in e.data["verbs"]]
    assert len(chunks) >= 3 * 5  # 300 kB in 64 KiB chunks, three times
    again = _backup(plant, tmp_path, {"archive_name": "b3.ctz", "fetch": True, "fetch_dest": str(fetch_dest)})
    assert again["changed"] is False and again["fetched"]["changed"] is False


def test_a_site_tool_runs_from_an_argument_list(plant, tmp_path):
    fs = plant.hosts["po-b"].fs
    fs.write("C:\\Tools\\SiteBackup.exe", b"MZ tool")
    hostile = "x\" & del C:\\ & \"$(calc)"
    done = _backup(plant, tmp_path, {"archive_name": "tool.ctz", "command_template": [
        "C:\\Tools\\SiteBackup.exe", "/project={project}", "/out", "{destination}", hostile]})
    assert done["status"] == "ok" and done["method"] == "command" and done["manifest"] is False
    assert done["sha256"] == sha256(fs.read(f"{BACKUP}\\tool.ctz"))
    [event] = plant.timeline.events("po-b", "po.backup_tool")
    assert event.data["argv"] == ["C:\\Tools\\SiteBackup.exe", "/project=PlantProject", "/out",
                                  f"{BACKUP}\\tool.ctz", hostile]


def test_a_failing_or_missing_tool_fails_clearly(plant, tmp_path):
    plant.hosts["po-b"].fs.write("C:\\Tools\\Broken.exe", b"EXIT 3")
    broken = _backup(plant, tmp_path, {"command_template": ["C:\\Tools\\Broken.exe"]})
    assert broken["status"] == "failed" and broken["category"] == "tool_failed"
    assert "exited with code 3" in broken["msg"]
    missing = _backup(plant, tmp_path, {"command_template": ["C:\\Tools\\Nope.exe", "{destination}"]})
    assert missing["category"] == "not_found" and "C:\\Tools\\Nope.exe" in missing["msg"]


def test_disk_full_fails_clearly_and_leaves_no_partial_archive(plant, tmp_path):
    plant.inject("po-b", "disk_full")
    done = _backup(plant, tmp_path, {"archive_name": "full.ctz"})
    assert done["status"] == "failed" and done["category"] == "disk_full"
    assert done["msg"].startswith("po-b: project_backup failed: the backup")
    assert "not enough space on the disk" in done["msg"] and "partial archive was removed" in done["msg"]
    assert plant.hosts["po-b"].fs.listdir(BACKUP) == []


def test_a_missing_project_is_a_vendor_style_error(plant, tmp_path):
    done = _backup(plant, tmp_path, {"project": "NoSuchProject"})
    assert done["status"] == "failed" and done["category"] == "not_found"
    assert done["msg"] == "po-b: project_backup failed: project 'NoSuchProject' does not exist on this server"


@pytest.mark.parametrize("args, message", [
    ({"archive_name": "sub\\x.ctz"}, "archive_name must be a plain file name"),
    ({"archive_name": "x.ctz.partial"}, "must not end in .partial"),
    ({"destination": "Backups"}, "destination must be a full path"),
    ({"destination": "D:\\a\\..\\Windows"}, "must not contain '..'"),
    ({"project": "a:b"}, "has ':': Windows allows no"),
    ({"command_template": ["C:\\t.exe", "{password}"]}, "unknown placeholders ['password']"),
    ({"command_template": []}, "must start with the tool's path"),
    ({"retention": 3}, "retention needs fetch: true"),
    ({"fetch": True}, "fetch_dest"),
    ({"chunk_size": 10}, "chunk_size must be between"),
    ({"unknown_option": 1}, "unknown_option"),
])
def test_bad_input_fails_on_the_controller(plant, tmp_path, args, message):
    done = _backup(plant, tmp_path, args)
    assert done["status"] == "failed" and message in done["msg"]
    assert not plant.timeline.events("po-b", "operation")


def test_host_down_is_unreachable(plant, tmp_path):
    plant.inject("po-b", "down")
    done = _backup(plant, tmp_path)
    assert done["status"] == "unreachable"


def test_hostile_values_never_change_the_script_sent(plant, tmp_path):
    _backup(plant, tmp_path, {"project": "PlantProject", "configuration_files": True,
                              "archive_name": "plain.ctz"})
    plain = script_hashes(plant, "project_backup")  # the install, the reads, the write
    for value in HOSTILE:
        _backup(plant, tmp_path, {"project": "PlantProject", "configuration_files": True,
                                  "configuration_patterns": [value], "archive_name": "h.ctz"})
    assert len(plain) == 3 and script_hashes(plant, "project_backup") == plain
    assert len({e.data["command_sha256"] for e in plant.timeline.events(kind="winrs.command")}) == 1
