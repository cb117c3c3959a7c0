"""project_restore through ansible-playbook and the winrm connection against the twin.

Each test backs up po-b (the standby, changed first), places the archive on po-a (the primary)
directly in the twin, and restores it there.
"""

from __future__ import annotations

import pytest

from support.archives import (HOSTILE, INI, MANIFEST, USER, change, fingerprints,
                              result, rezip, run_task, script_hashes, swaps, zip_members)

ARCHIVE = "D:\\Backups\\standby.ctz"


@pytest.fixture
def standby_archive(plant, tmp_path):
    """po-b's projects changed (PLS_Include too), backed up, the archive put on po-a."""
    change(plant, "po-b", "PlantProject", {"variable.DBF": b"NAME,TYPE\r\nFDR_NEW,REAL\r\n",
                                           "pages\\New.ctg": b"CTG1 new page", "Overview.ctg": None})
    change(plant, "po-b", "Site_Include", {"site.ci": b"// site cicode\r\n"})
    change(plant, "po-b", "PLS_Include", {"PLS_Alarm.ci": b"// a newer library on the standby\r\n"})
    backup = result(run_task(plant, tmp_path, "project_backup", {"archive_name": "standby.ctz"}))
    assert backup["status"] == "ok", backup
    data = plant.hosts["po-b"].fs.read(backup["path"])
    plant.hosts["po-a"].fs.write(ARCHIVE, data)
    return data


def _restore(plant, tmp_path, args=None, *flags):
    return result(run_task(plant, tmp_path, "project_restore", {"archive": ARCHIVE, **(args or {})},
                           *flags, hosts="po-a"), "po-a")


def test_restore_brings_the_standby_projects_but_never_pls_include_or_citect_ini(plant, tmp_path, standby_archive):
    before = fingerprints(plant, "po-a")
    ini = plant.hosts["po-a"].fs.read(INI)
    done = _restore(plant, tmp_path)
    assert done["status"] == "ok" and done["changed"] is True
    after, standby = fingerprints(plant, "po-a"), fingerprints(plant, "po-b")
    assert after["PlantProject"] == standby["PlantProject"]
    assert after["Site_Include"] == standby["Site_Include"]
    assert after["PLS_Include"] == before["PLS_Include"] != standby["PLS_Include"]
    assert plant.hosts["po-a"].fs.read(INI) == ini
    assert done["skipped_projects"] == ["PLS_Include"]
    assert {(s["project"], s["action"]) for s in swaps(plant, "po-a")} == {
        ("PlantProject", "swap_in"), ("Site_Include", "swap_in")}
    plant_project = next(p for p in done["projects"] if p["name"] == "PlantProject")
    assert plant_project["added"] == ["pages\\New.ctg"]
    assert plant_project["changed"] == ["variable.DBF"] and plant_project["removed"] == ["Overview.ctg"]
    assert plant_project["fingerprint_before"] == before["PlantProject"]
    assert done["previous_kept"] is True
    assert plant.hosts["po-a"].fs.is_dir(f"{USER}\\PlantProject.previous")
    assert not [n for n in plant.hosts["po-a"].fs.listdir(USER) if "restore" in n]


def test_a_second_restore_changes_nothing(plant, tmp_path, standby_archive):
    assert _restore(plant, tmp_path)["changed"] is True
    events = len(swaps(plant, "po-a"))
    again = _restore(plant, tmp_path)
    assert again["status"] == "ok" and again["changed"] is False
    assert {p["action"] for p in again["projects"]} == {"unchanged"}
    assert len(swaps(plant, "po-a")) == events


def test_check_and_diff_mode_report_the_file_changes_and_change_nothing(plant, tmp_path, standby_archive):
    before = fingerprints(plant, "po-a")
    done = _restore(plant, tmp_path, {}, "--check", "--diff")
    assert done["status"] == "ok" and done["changed"] is True
    assert fingerprints(plant, "po-a") == before and swaps(plant, "po-a") == []
    prepared = done["diff"]["prepared"]
    assert "project PlantProject (from PlantProject in the archive): 1 added, 1 changed, 1 removed" in prepared
    assert "  + pages\\New.ctg" in prepared and "  ~ variable.DBF" in prepared
    assert "  - Overview.ctg" in prepared and "  + site.ci" in prepared


@pytest.mark.parametrize("args", [{"include_projects": ["Site_Include", "PLS_Include"]},
                                  {"include_projects": ["pls_include"]},
                                  {"project": "PLS_Include"}])
def test_naming_pls_include_fails_before_anything_is_touched(plant, tmp_path, standby_archive, args):
    before = fingerprints(plant, "po-a")
    done = _restore(plant, tmp_path, args)
    assert done["status"] == "failed"
    assert "is never overwritten by a restore" in done["msg"] and "nothing was changed" in done["msg"]
    assert fingerprints(plant, "po-a") == before
    assert swaps(plant) == [] and plant.timeline.events("po-a", "po.project.changed") == []
    assert not plant.timeline.events("po-a", "operation")  # refused on the controller


def test_include_projects_chooses_the_included_projects(plant, tmp_path, standby_archive):
    before = fingerprints(plant, "po-a")
    done = _restore(plant, tmp_path, {"include_projects": []})
    assert [p["name"] for p in done["projects"]] == ["PlantProject"]
    after = fingerprints(plant, "po-a")
    assert after["Site_Include"] == before["Site_Include"] and after["PlantProject"] != before["PlantProject"]
    missing = _restore(plant, tmp_path, {"include_projects": ["Nope"]})
    assert missing["category"] == "not_found" and "the archive holds no project 'Nope'" in missing["msg"]


def test_an_archive_altered_after_its_manifest_is_refused_before_anything_changes(plant, tmp_path, standby_archive):
    members = zip_members(standby_archive)
    members["PlantProject/variable.DBF"] = b"NAME,TYPE\r\nFDR_BAD,REAL\r\n"  # same size
    plant.hosts["po-a"].fs.write(ARCHIVE, rezip(members))
    before = fingerprints(plant, "po-a")
    done = _restore(plant, tmp_path)
    assert done["status"] == "failed" and done["category"] == "archive_invalid"
    assert "member 'PlantProject/variable.DBF' does not match its sha256 in the manifest" in done["msg"]
    assert fingerprints(plant, "po-a") == before and swaps(plant) == []
    assert not [n for n in plant.hosts["po-a"].fs.listdir(USER) if "restore" in n]


@pytest.mark.parametrize("name, problem", [("../evil.DBF", "'..' path component"),
                                           ("C:/Windows/evil.DBF", "drive letter"),
                                           ("/PlantProject/x.DBF", "absolute path"),
                                           ("PlantProject/VARIABLE.dbf", "duplicate member name")])
def test_zip_slip_names_are_refused(plant, tmp_path, standby_archive, name, problem):
    members = zip_members(standby_archive)
    manifest = members.pop(MANIFEST)
    plant.hosts["po-a"].fs.write(ARCHIVE, rezip({**members, name: b"x", MANIFEST: manifest}))
    done = _restore(plant, tmp_path)
    assert done["status"] == "failed" and done["category"] == "archive_invalid"
    assert problem in done["msg"]
    assert swaps(plant) == []


def test_rollback_puts_the_previous_content_back(plant, tmp_path, standby_archive):
    before = fingerprints(plant, "po-a")
    _restore(plant, tmp_path)
    check = result(run_task(plant, tmp_path, "project_restore", {"state": "rolled_back"}, "--check", hosts="po-a"), "po-a")
    assert check["changed"] is True and fingerprints(plant, "po-a") != before
    done = result(run_task(plant, tmp_path, "project_restore", {"state": "rolled_back"}, hosts="po-a"), "po-a")
    assert done["status"] == "ok" and done["changed"] is True
    assert sorted(done["rolled_back"]) == ["PlantProject", "Site_Include"]
    assert fingerprints(plant, "po-a") == before
    again = result(run_task(plant, tmp_path, "project_restore", {"state": "rolled_back"}, hosts="po-a"), "po-a")
    assert again["changed"] is False


def test_a_restore_after_a_restore_replaces_the_older_previous_generation(plant, tmp_path, standby_archive):
    _restore(plant, tmp_path)
    change(plant, "po-a", "PlantProject", {"local.ci": b"// a local edit"})
    done = _restore(plant, tmp_path)
    assert done["changed"] is True
    assert fingerprints(plant, "po-a")["PlantProject"] == fingerprints(plant, "po-b")["PlantProject"]
    assert [s["action"] for s in swaps(plant, "po-a") if s["project"] == "PlantProject"] == [
        "swap_in", "discard", "swap_in"]


def test_configuration_files_are_restored_only_when_asked(plant, tmp_path):
    fs_b, fs_a = plant.hosts["po-b"].fs, plant.hosts["po-a"].fs
    backup = result(run_task(plant, tmp_path, "project_backup", {"archive_name": "cfg.ctz", "configuration_files": True}))
    fs_a.write(ARCHIVE, fs_b.read(backup["path"]))
    original = fs_a.read(INI)
    assert _restore(plant, tmp_path)["configuration_files"] == []
    done = _restore(plant, tmp_path, {"configuration_files": True})
    assert done["changed"] is True and fs_a.read(INI) == fs_b.read(INI)
    assert fs_a.read(INI + ".previous") == original
    assert [c["action"] for c in done["configuration_files"]] == ["restored"]


def test_disk_full_while_unpacking_changes_nothing(plant, tmp_path, standby_archive):
    before = fingerprints(plant, "po-a")
    plant.inject("po-a", "disk_full")
    done = _restore(plant, tmp_path)
    assert done["status"] == "failed" and done["category"] == "disk_full"
    assert "nothing was changed" in done["msg"]
    assert fingerprints(plant, "po-a") == before and swaps(plant) == []


def test_missing_targets_are_vendor_style_errors(plant, tmp_path, standby_archive):
    assert _restore(plant, tmp_path, {"project": "Nope"})["category"] == "not_found"
    po_a = plant.hosts["po-a"].power_operation
    plant.hosts["po-a"].fs.remove(po_a.projects.path("Site_Include"), recurse=True)
    done = _restore(plant, tmp_path)
    assert done["category"] == "not_found"
    assert "included project 'Site_Include' does not exist on this server" in done["msg"]
    gone = _restore(plant, tmp_path, {"archive": "D:\\Backups\\missing.ctz"})
    assert gone["category"] == "not_found"


@pytest.mark.parametrize("args, message", [
    ({"archive": "standby.ctz"}, "archive must be a full path"),
    ({"archive": None}, "archive"),
    ({"project": "a\\b"}, "Windows allows no"),
    ({"state": "gone"}, "state"),
])
def test_bad_input_fails_on_the_controller(plant, tmp_path, args, message):
    done = _restore(plant, tmp_path, args)
    assert done["status"] == "failed" and message in done["msg"]
    assert not plant.timeline.events("po-a", "operation")


def test_host_down_is_unreachable(plant, tmp_path):
    plant.inject("po-a", "down")
    assert _restore(plant, tmp_path)["status"] == "unreachable"


def test_hostile_values_never_change_the_script_sent(plant, tmp_path, standby_archive):
    _restore(plant, tmp_path, {"include_projects": ["Site_Include"]}, "--check")
    code = script_hashes(plant, "project_restore")  # the install, then the projects and archive
    for value in HOSTILE:
        _restore(plant, tmp_path, {"include_projects": [value]}, "--check")
    assert len(code) == 2 and script_hashes(plant, "project_restore") == code
    assert len({e.data["command_sha256"] for e in plant.timeline.events(kind="winrs.command")}) == 1
