"""Projects as files: fingerprints, includes, changes, backup entries, and folder renames."""

from __future__ import annotations

import hashlib

import pytest

from scada_twin.filesystem import DiskFullError, FileSystemError
from scada_twin.power_operation import archive, fingerprint
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


def test_a_folder_rename_moves_everything_below_it_and_needs_no_space(make_hosts):
    """Directory.Move on one volume (the twin's FileSystem.rename): names and write times
    move, the disk's free space does not change, an existing destination is refused."""
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    folder = po.projects.path("Site_Include")
    original = po.projects.contents("Site_Include", include_volatile=True)
    times = {p[len(folder):]: host.fs.modified(p) for p in host.fs.walk_files(folder)}
    free = host.fs.free_bytes
    host.fs.rename(folder, folder + ".previous")
    assert not host.fs.exists(folder) and host.fs.free_bytes == free
    assert {p[len(folder) + 9:]: host.fs.modified(p)
            for p in host.fs.walk_files(folder + ".previous")} == times
    host.fs.mkdir(folder)
    with pytest.raises(FileSystemError):
        host.fs.rename(folder + ".previous", folder)
    host.fs.remove(folder)
    host.fs.rename(folder + ".previous", folder)
    assert po.projects.contents("Site_Include", include_volatile=True) == original
