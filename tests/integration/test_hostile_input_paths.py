"""Paths and archive names from the controller never leave their folder on the host, and archive
members never land outside the project folder (zip slip), through ansible-playbook and winrm.

Each test runs its hostile cases as one batched playbook (support/hostile.py) and then compares
every file on the twin host with what was there before: nothing may appear outside the folder
the task was meant to write to. The host's own checks (the scripts', modelled by the twin) are
also driven directly, without the controller's checks in front of them.
"""

from __future__ import annotations

import sys

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_backup import backup
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_restore import restore
from support import hostile
from support.ansible_run import ROOT, run_playbook
from support.archives import USER, fingerprints, swaps
from support.crafted_archives import ESCAPING_MEMBERS, ESCAPING_PROJECTS, crafted
from support.plants import inventory
from scada_twin.filesystem import normalize

sys.path.insert(0, str(ROOT / "tests" / "twin"))
from winrs_harness import AgentOn, winrm_connection  # noqa: E402

BACKUPS = "D:\\Backups"
INCOMING = "D:\\Incoming"
ESCAPING_NAMES = ("..\\evil.ctz", "../evil.ctz", "x\\..\\..\\evil.ctz", "x/../../evil.ctz", "C:\\Windows\\evil.ctz",
                  "\\\\attacker\\share\\evil.ctz", "evil.ctz:stream", "..", ".. ", "...", "NUL", "CON.ctz",
                  "evil.ctz.", "evil.ctz ", "\\evil.ctz", "/evil.ctz")
ESCAPING_FOLDERS = ("D:\\Backups\\..\\Windows", "D:\\Backups/../Windows", "D:\\Backups\\x/..\\..\\Windows",
                    "D:\\Backups\\.. \\Windows", "D:\\Backups\\...\\Windows", "D:\\Backups\\.\\..\\Windows",
                    "D:Backups", "Backups", "..\\Windows", "\\\\?\\D:\\Windows", "\\\\.\\D:\\Windows",
                    "\\\\attacker\\share", "D:\\Backups\\x:y")


def _files(host) -> dict[str, str]:
    return {path: host.fs.sha256(path) for drive in ("C:\\", "D:\\") for path in host.fs.walk_files(drive)}


def _new_outside(before: dict[str, str], after: dict[str, str], folder: str, nested: bool = False) -> list[str]:
    """Files created or changed anywhere but in ``folder`` (directly, or below it if ``nested``)."""
    inside = folder.lower() + "\\"
    return [p for p, digest in after.items() if before.get(p) != digest
            and not (p.lower().startswith(inside) and (nested or "\\" not in p[len(inside):]))]


def _batch(plant, tmp_path, module, hosts, variants, check_mode=False):
    target = hostile.Target(module, hosts, {}, check_mode)
    batch = [hostile.Case(n, target, args, check_mode, f"path {n}") for n, args in enumerate(variants)]
    playbook = hostile.write_playbook(tmp_path / f"{module}.yml", batch)
    run = run_playbook(playbook, inventory(plant, tmp_path / "inventory.yml"), tmp_path)
    assert not hostile.problems(batch, run.results, run.output), hostile.problems(batch, run.results, run.output)
    return [run.task(case.name, hosts) for case in batch]


def test_backup_names_and_folders_never_leave_the_backup_folder(plant, tmp_path):
    host = plant.hosts["po-b"]
    before = _files(host)
    variants = [{"destination": BACKUPS, "archive_name": "plain.ctz"}]
    variants += [{"destination": BACKUPS, "archive_name": name} for name in ESCAPING_NAMES]
    variants += [{"destination": folder, "archive_name": "evil.ctz"} for folder in ESCAPING_FOLDERS]
    records = _batch(plant, tmp_path, "project_backup", "po-b", variants)
    assert records[0]["status"] == "ok", records[0]
    for args, record in zip(variants[1:], records[1:]):
        assert record["status"] == "failed", (args, record["result"])
        assert "archive_name" in record["result"]["msg"] or "destination" in record["result"]["msg"], record
    assert _new_outside(before, _files(host), BACKUPS) == []
    assert [p for p in _files(host) if p not in before] == [f"{BACKUPS}\\plain.ctz"]


def test_copies_never_leave_the_destination_folder(plant, tmp_path):
    source = plant.hosts["po-b"]
    source.fs.write(f"{BACKUPS}\\standby.ctz", b"PK archive bytes")
    local = tmp_path / "controller"
    local.mkdir()
    for name in ("..\\..\\Windows\\evil.ctz", "evil.ctz:stream"):
        (local / name).write_bytes(b"PK change from the workstation")
    host = plant.hosts["po-a"]
    before = _files(host)
    variants = [{"source_host": "po-b", "source_path": f"{BACKUPS}\\standby.ctz", "dest": f"{INCOMING}\\"}]
    variants += [{"source_host": "po-b", "source_path": f"{BACKUPS}\\standby.ctz", "dest": f"{INCOMING}\\{name}"}
                 for name in ESCAPING_NAMES]
    variants += [{"source_host": "po-b", "source_path": f"{BACKUPS}\\standby.ctz", "dest": f"{folder}\\evil.ctz"}
                 for folder in ESCAPING_FOLDERS]
    variants += [{"source_host": "po-b", "source_path": f"{folder}\\standby.ctz", "dest": f"{INCOMING}\\"}
                 for folder in ESCAPING_FOLDERS]
    variants += [{"src": str(local / name), "dest": f"{INCOMING}\\"} for name in ("..\\..\\Windows\\evil.ctz",
                                                                                  "evil.ctz:stream")]
    variants += [{"via": "share", "share_path": f"\\\\po-b\\D$\\Backups\\x\\..\\..\\Windows\\evil.ctz",
                  "dest": f"{INCOMING}\\"}]
    variants = [{**args, "validate": False} for args in variants]  # the bytes are no backup
    records = _batch(plant, tmp_path, "archive_copy", "po-a", variants)
    assert records[0]["status"] == "ok", records[0]
    for args, record in zip(variants[1:], records[1:]):
        # dest is a full path: a name Windows reads as a file below the folder may be copied,
        # anything that would resolve elsewhere must fail
        escapes = not normalize(record["result"].get("dest", "X:\\")).lower().startswith(INCOMING.lower() + "\\")
        assert record["status"] == "failed" or not escapes, (args, record["result"])
    assert _new_outside(before, _files(host), INCOMING, nested=True) == []
    assert f"{INCOMING}\\standby.ctz" in _files(host)


def test_crafted_archives_never_write_outside_the_project_folder(plant, tmp_path):
    host = plant.hosts["po-b"]
    archives = {f"D:\\Crafted\\member{n}.ctz": crafted({name: b"evil"}) for n, name in enumerate(ESCAPING_MEMBERS)}
    archives.update({f"D:\\Crafted\\project{n}.ctz": crafted({"PlantProject/variable.DBF": b"x"}, extra_projects=(name,))
                     for n, name in enumerate(ESCAPING_PROJECTS)})
    for path, data in archives.items():
        host.fs.write(path, data)
    before, projects = _files(host), fingerprints(plant, "po-b")
    records = _batch(plant, tmp_path, "project_restore", "po-b", [{"archive": path} for path in archives])
    for path, record in zip(archives, records):
        assert record["status"] == "failed", (path, record["result"])
        assert record["result"]["category"] == "archive_invalid", (path, record["result"])
    assert _files(host) == before, "a refused archive must leave every file as it was"
    assert fingerprints(plant, "po-b") == projects and swaps(plant) == []
    assert not [n for n in host.fs.listdir(USER) if "restore" in n.lower()]


@pytest.mark.parametrize("params, problem", [
    ({"archive_name": "..\\evil.ctz", "destination": BACKUPS}, "archive_name must be a plain file name"),
    ({"archive_name": "x/../../evil.ctz", "destination": BACKUPS}, "archive_name must be a plain file name"),
    ({"archive_name": "evil.ctz", "destination": "D:\\Backups/../Windows"}, "destination must not contain '..'"),
    ({"archive_name": "evil.ctz", "destination": "D:\\Backups\\.. \\Windows"}, "destination must not contain '..'"),
    ({"archive_name": "evil.ctz", "destination": "Backups"}, "destination must be a full path"),
])
def test_the_backup_refuses_escaping_paths_without_the_action_plugin(plant, params, problem):
    """_po_backup decides where the archive goes, and checks that itself."""
    host = plant.hosts["po-b"]
    base = {"project": "", "include_projects": True, "subdirectories": True,
            "configuration_files": False, "configuration_patterns": [], "command_template": [],
            "command_timeout": 60, "project_source": "folders"}
    before = _files(host)
    with pytest.raises(OperationFailed) as failure:
        backup(AgentOn(host), {**base, **params}, check=False)
    assert failure.value.category == "invalid_parameter" and problem in failure.value.msg
    assert _files(host) == before


@pytest.mark.parametrize("name", ESCAPING_PROJECTS)
def test_the_restore_refuses_a_manifest_naming_a_project_outside_the_user_folder(plant, name):
    host = plant.hosts["po-b"]
    host.fs.write("D:\\Crafted\\p.ctz", crafted({"PlantProject/variable.DBF": b"x"}, extra_projects=(name,)))
    before = _files(host)
    with pytest.raises(OperationFailed) as failure:
        restore(AgentOn(host), {
            "state": "restored", "archive": "D:\\Crafted\\p.ctz", "project": "", "include_projects": None,
            "configuration_files": False, "keep_previous": True, "project_source": "folders"}, check=False)
    assert failure.value.category == "archive_invalid" and "project name" in failure.value.msg
    assert _files(host) == before
