"""Backup archives an attacker could craft: members and manifest agree, so only the name and
project-name checks stand between them and a write outside the project folder (zip slip)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive
from ansible_collections.scada.redundancy.plugins.plugin_utils._fingerprint import project_fingerprint

from support.archives import MANIFEST, rezip

#: Member names that would land outside the project folder on Windows, if extracted as named.
ESCAPING_MEMBERS = (
    "..\\evil.DBF",
    "PlantProject\\..\\..\\..\\..\\Windows\\System32\\evil.dll",
    "PlantProject/../../evil.DBF",
    "PlantProject\\sub\\..\\..\\..\\evil.DBF",
    "PlantProject/.. /evil.DBF",
    "PlantProject/ ..\\evil.DBF",
    "\\Windows\\evil.dll",
    "/Windows/evil.dll",
    "C:\\Windows\\evil.dll",
    "C:evil.dll",
    "\\\\attacker\\share\\evil.dll",
    "\\\\?\\C:\\Windows\\evil.dll",
    "PlantProject/variable.DBF:evil",
    "PlantProject/CON",
    "PlantProject/evil.DBF.",
)
#: Project names a manifest could claim, so a restore would create or replace that folder.
ESCAPING_PROJECTS = ("..", "..\\..\\Windows", "C:\\Windows", "\\\\attacker\\share", " ..", "PlantProject\\..\\..")


def crafted(members: dict[str, bytes], project: str = "PlantProject",
            extra_projects: tuple[str, ...] = ()) -> bytes:
    """A zip of ``members`` whose manifest lists each member (as named) under ``project``."""
    files = [{"path": name, "kind": "project", "project": project, "size": len(data),
              "sha256": hashlib.sha256(data).hexdigest()} for name, data in members.items()]
    relative = [(name.split("/", 1)[-1], f["sha256"]) for name, f in zip(members, files)]
    projects = [{"name": project, "files": len(files), "bytes": sum(len(d) for d in members.values()),
                 "fingerprint": project_fingerprint(relative)}]
    projects += [{"name": name, "files": 0, "bytes": 0, "fingerprint": project_fingerprint([])}
                 for name in extra_projects]
    manifest: dict[str, Any] = {
        "format": _archive.MANIFEST_FORMAT, "version": _archive.MANIFEST_VERSION, "project": project,
        "includes": list(extra_projects), "projects": projects, "files": files, "source_host": "ATTACKER",
        "product_version": "2024", "created_utc": "2026-01-31T12:00:00Z",
        "options": {"include_projects": True, "subdirectories": True, "configuration_files": False}}
    return rezip({**members, MANIFEST: json.dumps(manifest).encode("utf-8")})
