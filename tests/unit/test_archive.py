"""The archive format's controller-side checks (plugins/plugin_utils/_archive.py)."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import zipfile

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive, _fingerprint
from scada_twin.power_operation import fingerprint as reference

FILES = {"PlantProject/variable.DBF": b"NAME,TYPE\r\n", "PlantProject/pages/Overview.ctg": b"CTG1",
         "PlantProject/PlantProject.rdb": b"compiled", "Site_Include/site.ci": b"// ci",
         "Config/citect.ini": b"[CtEdit]\r\n"}


def _manifest(files: dict[str, bytes] = FILES) -> dict:
    entries, projects = [], {}
    for path, data in files.items():
        top = path.split("/", 1)[0]
        kind = "ini" if top == "Config" else "project"
        entries.append({"path": path, "kind": kind, "project": None if kind == "ini" else top,
                        "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        if kind == "project":
            projects.setdefault(top, []).append((path.split("/", 1)[1], data))
    return {"format": _archive.MANIFEST_FORMAT, "version": 1, "project": "PlantProject",
            "includes": ["Site_Include"],
            "projects": [{"name": n, "files": len(f), "bytes": sum(len(d) for _, d in f),
                          "fingerprint": reference.project_fingerprint(f)} for n, f in projects.items()],
            "files": entries, "source_host": "PO-B", "product_version": "2024",
            "created_utc": "2026-01-31T12:00:00Z",
            "options": {"include_projects": True, "subdirectories": True, "configuration_files": True}}


def _zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _archive_file(tmp_path, files=FILES, manifest=None, extra=None):
    path = tmp_path / "a.ctz"
    _zip(path, {**files, **(extra or {}),
                _archive.MANIFEST_NAME: json.dumps(manifest or _manifest(files)).encode()})
    return path


def test_fingerprints_match_the_twin_reference_whatever_the_order():
    files = [("b\\x.DBF", b"1"), ("A.ctg", b"2"), ("a_b.ci", b"3"), ("a-b.ci", b"4"), ("x.RDB", b"5")]
    hashes = [(p, hashlib.sha256(d).hexdigest()) for p, d in files]
    assert _fingerprint.project_fingerprint(reversed(hashes)) == reference.project_fingerprint(files)
    assert _fingerprint.set_fingerprint({"P": "a" * 64, "i": "b" * 64}) == \
        reference.set_fingerprint({"P": "a" * 64, "i": "b" * 64})


def test_an_intact_archive_verifies(tmp_path):
    manifest = _archive.verify_archive(_archive_file(tmp_path))
    assert manifest.project == "PlantProject" and manifest.project_names() == ["PlantProject", "Site_Include"]
    assert [f.relative for f in manifest.files_of("plantproject")][:2] == ["variable.DBF", "pages\\Overview.ctg"]
    assert _archive.read_manifest(tmp_path / "a.ctz") == manifest


@pytest.mark.parametrize("name, problem", [
    ("", "empty"), ("/etc/x", "absolute"), ("\\\\srv\\s\\x", "absolute"), ("C:/x", "drive letter"),
    ("a/../../x", "'..'"), ("a/./x", "'.'"), ("a//x", "(empty)"), ("a/x:stream", "':'"),
    ("a/con.txt", "reserved"), ("a/x.", "dot or a space"), ("a/x?", "refuses"), ("a/\x01", "control"),
])
def test_unsafe_member_names_are_named(name, problem):
    assert problem in _archive.member_name_problem(name)


def test_safe_member_names_pass():
    for name in ("PlantProject/variable.DBF", "P/pages/é€.ctg", "Config/citect.ini", "dir/"):
        assert _archive.member_name_problem(name) is None


@pytest.mark.parametrize("extra, message", [
    ({"../evil.txt": b"x"}, "unsafe member name '../evil.txt'"),
    ({"PlantProject/VARIABLE.dbf": b"x"}, "duplicate member name"),
    ({"PlantProject/extra.ci": b"x"}, "not listed"),
])
def test_members_outside_the_manifest_are_refused(tmp_path, extra, message):
    with pytest.raises(_archive.ArchiveError, match=message.replace(".", "\\.").replace("(", "\\(")):
        _archive.verify_archive(_archive_file(tmp_path, extra=extra))


def test_a_member_altered_after_the_manifest_is_refused(tmp_path):
    altered = dict(FILES, **{"PlantProject/variable.DBF": b"NAME,TYPX\r\n"})
    path = tmp_path / "a.ctz"
    _zip(path, {**altered, _archive.MANIFEST_NAME: json.dumps(_manifest()).encode()})
    with pytest.raises(_archive.ArchiveError, match="does not match its sha256"):
        _archive.verify_archive(path)


def _broken(change) -> dict:
    manifest = copy.deepcopy(_manifest())
    change(manifest)
    return manifest


@pytest.mark.parametrize("change, message", [
    (lambda m: m.update(version=2), "version 2 is not supported"),
    (lambda m: m.update(format="x"), "format"),
    (lambda m: m["projects"][0].update(fingerprint="0" * 64), "fingerprint of project 'PlantProject'"),
    (lambda m: m["projects"][0].update(files=9), "counts for project"),
    (lambda m: m["files"][0].update(path="PlantProject\\variable.DBF"), "'/' separators"),
    (lambda m: m["files"][0].update(path="Other/variable.DBF"), "not inside a listed project"),
    (lambda m: m["files"][4].update(path="Config/sub/citect.ini"), "directly in Config/"),
    (lambda m: m["files"][0].update(kind="script"), "unknown kind"),
    (lambda m: m["files"][0].update(size=-1), "non-negative"),
    (lambda m: m["files"][0].update(sha256="XYZ"), "no valid sha256"),
    (lambda m: m.update(project="Nope"), "does not list the backed-up project"),
    (lambda m: m.update(project="a/b"), "Windows allows no"),
    (lambda m: m.update(created_utc="yesterday"), "created_utc"),
    (lambda m: m["options"].pop("subdirectories"), "options"),
])
def test_manifest_problems_are_named(change, message):
    with pytest.raises(_archive.ArchiveError, match=message.replace("(", "\\(")):
        _archive.parse_manifest(_broken(change))


def test_not_a_zip_and_no_manifest_are_refused(tmp_path):
    junk = tmp_path / "junk.ctz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(_archive.ArchiveError, match="not a readable zip"):
        _archive.verify_archive(junk)
    bare = tmp_path / "bare.ctz"
    _zip(bare, FILES)
    with pytest.raises(_archive.ArchiveError, match="not a scada.redundancy backup"):
        _archive.read_manifest(bare)


def test_sha256_file_streams(tmp_path):
    data = os.urandom(3 * _archive.CHUNK_SIZE + 7)
    (tmp_path / "f").write_bytes(data)
    assert _archive.sha256_file(tmp_path / "f", chunk_size=4096) == hashlib.sha256(data).hexdigest()


def test_retention_keeps_the_newest_backups_of_the_project_only(tmp_path):
    for name, created, project in (("old.ctz", "2026-01-01T00:00:00Z", "PlantProject"),
                                   ("mid.ctz", "2026-01-02T00:00:00Z", "PlantProject"),
                                   ("new.ctz", "2026-01-03T00:00:00Z", "PlantProject"),
                                   ("site.ctz", "2025-01-01T00:00:00Z", "Site_Include")):
        manifest = _manifest()
        manifest.update(created_utc=created, project=project)
        _archive_file(tmp_path, manifest=manifest).rename(tmp_path / name)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "new.ctz.partial").write_text("x")
    removed = _archive.apply_retention(tmp_path, "PLANTPROJECT", 2)
    assert [os.path.basename(p) for p in removed] == ["old.ctz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mid.ctz", "new.ctz", "new.ctz.partial", "notes.txt", "site.ctz"]
    with pytest.raises(ValueError):
        _archive.apply_retention(tmp_path, "PlantProject", 0)


def test_host_paths_and_file_names():
    assert _archive.host_path_problem("D:\\Backups\\x.ctz") is None
    assert _archive.host_path_problem("\\\\PO-B\\D$\\x.ctz", allow_share=True) is None
    assert "full path" in _archive.host_path_problem("\\\\PO-B\\D$\\x.ctz")
    assert "'..'" in _archive.host_path_problem("D:\\a\\..\\b")
    assert _archive.file_name_problem("PlantProject.ctz") is None
    assert _archive.file_name_problem("nul") and _archive.file_name_problem("a\\b")
    assert _archive.is_protected("pls_include") and not _archive.is_protected("PlantProject")
