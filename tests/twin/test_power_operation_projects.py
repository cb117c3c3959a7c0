"""Projects as files: fingerprints, includes, changes, backup entries and restore by swap."""

from __future__ import annotations

import hashlib

import pytest

from scada_twin.filesystem import DiskFullError
from scada_twin.power_operation import RestoreError, archive, fingerprint
from support.po_hosts import host_data, make_hosts  # noqa: F401  (fixture)


def test_fingerprint_follows_the_documented_algorithm():
    files = [("pages\\B.ctg", b"b"), ("variable.DBF", b"v"), ("A.ci", b"a")]
    lines = sorted((path.lower(), hashlib.sha256(data).hexdigest()) for path, data in files)
    expected = hashlib.sha256("".join(f"{h}  {p}\n" for p, h in lines).encode()).hexdigest()
    assert fingerprint.project_fingerprint(files) == expected
    assert fingerprint.project_fingerprint([]) == hashlib.sha256(b"").hexdigest()


def test_fingerprint_leaves_out_volatile_files_and_ignores_order_and_case():
    sources = [("variable.DBF", b"v"), ("Main.ctg", b"m")]
    noisy = [("MAIN.CTG", b"m"), ("variable.RDB", b"compiled"), ("compile.log", b"x"),
             ("Variable.dbf", b"v"), ("~lock.tmp", b""), ("sub\\ctedit.LOG", b"y")]
    assert fingerprint.project_fingerprint(noisy) == fingerprint.project_fingerprint(sources)
    changed = [("variable.DBF", b"v2"), ("Main.ctg", b"m")]
    assert fingerprint.project_fingerprint(changed) != fingerprint.project_fingerprint(sources)


def test_project_fingerprint_is_stable_on_disk_and_blind_to_compile_outputs(make_hosts):
    a, b = make_hosts(host_data("po-a", 1), host_data("po-b", 2))
    pa, pb = a.power_operation.projects, b.power_operation.projects
    assert pa.fingerprint("PlantProject") == pb.fingerprint("plantproject")
    assert "variable.RDB" in pa.files("PlantProject", include_volatile=True)
    assert "variable.RDB" not in pa.files("PlantProject")
    a.fs.write(pa.path("PlantProject") + "\\variable.RDB", b"recompiled")
    assert pa.fingerprint("PlantProject") == pb.fingerprint("PlantProject")


def test_includes_are_read_from_the_include_file(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1, projects=[
        {"name": "Top", "includes": ["Mid", "PLS_Include"]},
        {"name": "Mid", "includes": ["PLS_Include", "Ghost"]}]))
    projects = host.power_operation.projects
    assert projects.includes("Top") == ["Mid", "PLS_Include"]
    assert projects.closure("top") == ["Top", "Mid", "PLS_Include", "Ghost"]
    projects.apply_change("Mid", {"include.DBF": b"; none\r\n"})
    assert projects.closure("Top") == ["Top", "Mid", "PLS_Include"]


def test_a_change_writes_deletes_and_is_on_the_timeline(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    projects = host.power_operation.projects
    before = projects.fingerprint("PlantProject")
    after = projects.apply_change("PlantProject", {"pages/New.ctg": b"new",
                                                   "pack.DBF": None})
    assert after != before and after == projects.fingerprint("PlantProject")
    assert projects.read("PlantProject", "pages\\New.ctg") == b"new"
    assert "pack.DBF" not in projects.files("PlantProject")
    (event,) = host.timeline.events("po-a", "po.project.changed")
    assert event.data == {"project": "PlantProject", "reason": "change",
                          "written": ["pages\\New.ctg"], "removed": ["pack.DBF"],
                          "fingerprint": after}


def test_backup_entries_follow_the_dialog_options(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    po.projects.apply_change("PlantProject", {"sub\\deep.txt": b"d"})
    entries = po.backup_entries("PlantProject")
    assert {e.project for e in entries} == {"PlantProject", "PLS_Include", "Site_Include", None}
    assert not any(fingerprint.is_volatile(e.path) for e in entries)
    (config_file,) = [e for e in entries if e.project is None]
    assert config_file.archive_path == "Config\\citect.ini"
    alone = po.backup_entries("PlantProject", include_included=False, include_config=False,
                              include_subdirectories=False)
    assert {e.project for e in alone} == {"PlantProject"}
    assert "sub\\deep.txt" not in {e.path for e in alone}
    grouped = archive.by_project(po.backup_entries("PlantProject", exclude=("pls_include",)))
    assert sorted(grouped) == ["PlantProject", "Site_Include"]
    assert grouped["PlantProject"] == po.projects.contents("PlantProject")


def test_restore_swaps_projects_and_rolls_back(make_hosts):
    standby, primary = make_hosts(host_data("po-b", 2), host_data("po-a", 1))
    standby.power_operation.projects.apply_change("PlantProject", {"Overview.ctg": b"v2"})
    backup = archive.by_project(standby.power_operation.backup_entries(
        "PlantProject", exclude=("PLS_Include",)))
    po = primary.power_operation
    original = po.projects.contents("PlantProject", include_volatile=True)
    for project, files in backup.items():
        po.swap.swap_in(project, files)
    assert po.projects.fingerprint("PlantProject") == \
        standby.power_operation.projects.fingerprint("PlantProject")
    assert po.swap.has_previous("PlantProject")
    assert primary.fs.is_file(po.swap.previous_path("PlantProject") + "\\Overview.ctg")
    with pytest.raises(RestoreError):
        po.swap.swap_in("PlantProject", {})
    po.swap.rollback("PlantProject")
    assert po.projects.contents("PlantProject", include_volatile=True) == original
    assert not primary.fs.exists(po.swap.previous_path("PlantProject"))
    po.swap.discard_previous("Site_Include")
    assert not po.swap.has_previous("Site_Include")
    actions = [e.data["action"] for e in primary.timeline.events("po-a", "po.project.swap")]
    assert actions == ["swap_in", "swap_in", "rollback", "discard"]


def test_restore_of_a_new_project_is_undone_by_removing_it(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    po.swap.swap_in("Extra_Include", {"variable.DBF": b"x"})
    assert po.projects.exists("extra_include")
    po.swap.rollback("Extra_Include")
    assert not po.projects.exists("Extra_Include")
    assert not host.fs.exists(po.projects.path("Extra_Include"))


def test_a_swap_that_cannot_move_the_project_aside_changes_nothing(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    original = po.projects.contents("Site_Include", include_volatile=True)
    host.faults.inject("po-a", "disk_full")
    with pytest.raises(DiskFullError):
        po.swap.swap_in("Site_Include", {"variable.DBF": b"new"})
    host.faults.clear("po-a", "disk_full")
    assert po.projects.contents("Site_Include", include_volatile=True) == original
    assert not po.swap.has_previous("Site_Include")
    assert not host.fs.exists(po.swap.previous_path("Site_Include"))
