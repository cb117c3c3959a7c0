"""Helpers for the backup, restore and archive_copy suites: one-task playbooks and twin state."""

from __future__ import annotations

import hashlib
import io
import ntpath
import json
import pathlib
import zipfile
from typing import Any

import yaml

from support.ansible_run import PlaybookRun, run_playbook
from support.plants import inventory

BACKUP = "C:\\ProgramData\\Schneider Electric\\Power Operation\\v2024\\Backup"
USER = "C:\\ProgramData\\Schneider Electric\\Power Operation\\v2024\\User"
INI = "C:\\ProgramData\\Schneider Electric\\Power Operation\\v2024\\Config\\citect.ini"
MANIFEST = "scada-redundancy-manifest.json"
HOSTILE = ["a'; Remove-Item C:\\ -Recurse; '", "$(calc)", "`whoami`", "x\"; exit 1; \"",
           "line\nbreak", "é€😀"]


def run_task(plant: Any, tmp_path: pathlib.Path, module: str, args: dict[str, Any], *flags: str,
             hosts: str = "po-b", name: str = "task",
             connection: dict[str, Any] | None = None) -> PlaybookRun:
    """Run one task of ``scada.redundancy.<module>`` with ``args`` (dumped as YAML, so values
    reach the module exactly as given); ``connection``: inventory variables that choose
    another connection than winrm (``plants.PSRP_VARS``)."""
    play = [{"hosts": hosts, "gather_facts": False,
             "tasks": [{"name": name, f"scada.redundancy.{module}": args}]}]
    path = tmp_path / f"play-{len(list(tmp_path.glob('play-*')))}.yml"
    path.write_text(yaml.safe_dump(play, allow_unicode=True), encoding="utf-8")
    return run_playbook(path, inventory(plant, tmp_path / "inventory.yml", **(connection or {})),
                        tmp_path, *flags)


def result(run: PlaybookRun, host: str = "po-b", name: str = "task") -> dict[str, Any]:
    record = run.task(name, host)
    return {"status": record["status"], **record["result"]}


def po(plant: Any, host: str) -> Any:
    return plant.hosts[host].power_operation


def fingerprints(plant: Any, host: str) -> dict[str, str]:
    store = po(plant, host).projects
    return {name: store.fingerprint(name) for name in store.names()}


def change(plant: Any, host: str, project: str, files: dict[str, bytes | None]) -> None:
    po(plant, host).projects.apply_change(project, files)


def swaps(plant: Any, host: str | None = None) -> list[dict[str, Any]]:
    """The project folders swapped on the hosts: {project, action} per ``folder.swap`` event."""
    return [{"project": ntpath.basename(e.data["path"]), "action": e.data["action"]}
            for e in plant.timeline.events(host, "folder.swap")]


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def manifest_of(data: bytes) -> dict[str, Any]:
    return json.loads(zip_members(data)[MANIFEST])


def rezip(members: dict[str, bytes]) -> bytes:
    """A zip of ``members`` in the given order (for altered and hostile archives)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def script_hashes(plant: Any, operation: str) -> set[str]:
    """The code the hosts received for ``operation``: one script per operation on the older
    protocol, one core and verb set per batch shape on the agent."""
    return {e.data.get("script_sha256") or e.data["code_sha256"]
            for e in plant.timeline.events(kind="operation") if e.data["operation"] == operation}
