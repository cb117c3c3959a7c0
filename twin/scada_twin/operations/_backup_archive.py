"""The backup archive as the collection's ``scripts/lib/archive.ps1`` writes and checks it.

The handlers of project_backup, project_restore and the archive transfers build and read
real zip files (Python's zipfile over bytes) on a host's simulated file system. This module
is the host-side model of the library, written independently of the collection's
``plugins/plugin_utils/_archive.py`` so each checks the other: member-name safety (zip-slip),
members against the manifest, every member's SHA-256, and the manifest's own consistency.
Failures are :class:`OperationError` with the library's categories and messages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import zipfile
from typing import Any

from ..power_operation import fingerprint
from . import OperationError

MANIFEST_NAME = "scada-redundancy-manifest.json"
MANIFEST_FORMAT = "scada.redundancy/project-backup"
MANIFEST_VERSION = 1
CONFIG_FOLDER = "Config"
PROTECTED_PROJECTS = ("PLS_Include",)
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CREATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def invalid(msg: str, category: str = "archive_invalid") -> OperationError:
    return OperationError(msg, category)


def is_protected(name: str) -> bool:
    return name.lower() in {p.lower() for p in PROTECTED_PROJECTS}


def member_name_problem(name: str) -> str | None:
    """Get-ArchiveMemberNameProblem."""
    if not name:
        return "empty member name"
    if any(ord(c) < 32 for c in name):
        return "control character in member name"
    if name[0] in "/\\":
        return "absolute path"
    if ":" in name:
        return "drive letter or ':' in member name"
    for part in re.split(r"[/\\]", name.rstrip("/")):
        if part in ("", ".", ".."):
            return f"'{part or '(empty)'}' path component"
        if part[-1] in ". ":
            return "path component ending in a dot or a space"
        if _RESERVED.match(part):
            return f"reserved device name '{part}'"
        if set(part) & set('<>"|?*'):
            return "character Windows refuses in a file name"
    return None


@dataclasses.dataclass(frozen=True)
class Stored:
    """One file as the backup stores it."""

    member: str
    kind: str  # project | ini | config
    project: str | None
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def manifest(files: list[Stored], *, project: str, includes: list[str], projects: list[str],
             source_host: str, product_version: str, created_utc: str,
             options: dict[str, bool]) -> dict[str, Any]:
    """New-BackupManifest."""
    listed = []
    for name in projects:
        mine = [f for f in files if f.kind == "project" and f.project == name]
        listed.append({"name": name, "files": len(mine), "bytes": sum(len(f.content) for f in mine),
                       "fingerprint": fingerprint.project_fingerprint(
                           (f.member[len(name) + 1:], f.content) for f in mine)})
    return {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "project": project,
            "includes": includes, "projects": listed,
            "files": [{"path": f.member, "kind": f.kind, "project": f.project,
                       "size": len(f.content), "sha256": f.sha256} for f in files],
            "source_host": source_host, "product_version": product_version,
            "created_utc": created_utc, "options": options}


def build(files: list[Stored], document: dict[str, Any] | None) -> bytes:
    """The zip bytes: the files in order, then the manifest (when there is one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for stored in files:
            archive.writestr(stored.member, stored.content)
        if document is not None:
            archive.writestr(MANIFEST_NAME, json.dumps(document).encode("utf-8"))
    return buffer.getvalue()


def members(data: bytes, path: str) -> dict[str, bytes]:
    """Open-ArchiveRead + Get-ArchiveMembers: file members by name after the name checks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        seen: set[str] = set()
        found: dict[str, bytes] = {}
        for info in infos:
            problem = member_name_problem(info.filename)
            if problem:
                raise invalid(f"unsafe member name '{info.filename}': {problem}")
            key = info.filename.replace("\\", "/").rstrip("/").lower()
            if key in seen:
                raise invalid(f"duplicate member name '{info.filename}' "
                              f"(names are case-insensitive on Windows)")
            seen.add(key)
            if not info.is_dir():
                found[info.filename] = archive.read(info)
        return found
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise invalid(f"'{path}' is not a readable zip archive: {exc}") from None


def verify(data: bytes, path: str) -> dict[str, Any]:
    """Test-ArchiveIntegrity: the checked manifest of an intact archive."""
    found = members(data, path)
    if MANIFEST_NAME not in {name for name in found}:
        raise invalid(f"the archive has no {MANIFEST_NAME}: not a scada.redundancy backup")
    try:
        document = json.loads(found[MANIFEST_NAME].decode("utf-8"))
    except ValueError as exc:
        raise invalid(f"the manifest is not valid JSON: {exc}") from None
    _check_manifest(document)
    by_lower = {name.lower(): name for name in found}
    listed = set()
    for entry in document["files"]:
        listed.add(entry["path"].lower())
        name = by_lower.get(entry["path"].lower())
        if name is None:
            raise invalid(f"archive members and manifest differ: '{entry['path']}' is absent")
        if name != entry["path"]:
            raise invalid(f"archive members and manifest differ: '{name}' is listed as '{entry['path']}'")
        content = found[name]
        if len(content) != entry["size"]:
            raise invalid(f"member '{name}' is {len(content)} bytes, the manifest says {entry['size']}")
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise invalid(f"member '{name}' does not match its sha256 in the manifest")
    for name in found:
        if name != MANIFEST_NAME and name.lower() not in listed:
            raise invalid(f"archive members and manifest differ: '{name}' is not listed")
    return document


def project_files(document: dict[str, Any], data: bytes, project: str) -> dict[str, bytes]:
    """{relative path with '\\': content} of one project of a verified archive."""
    found = members(data, "")
    return {e["path"][len(project) + 1:].replace("/", "\\"): found[e["path"]]
            for e in document["files"] if e["project"] == project}


def _check_manifest(doc: Any) -> None:
    """Assert-ArchiveManifest (the fingerprint is recomputed from the listed hashes)."""
    if not isinstance(doc, dict):
        raise invalid("the manifest must be a JSON object")
    if doc.get("format") != MANIFEST_FORMAT:
        raise invalid(f"manifest format is not '{MANIFEST_FORMAT}'")
    if doc.get("version") != MANIFEST_VERSION or isinstance(doc.get("version"), bool):
        raise invalid(f"manifest version {doc.get('version')} is not supported "
                      f"(this collection reads version {MANIFEST_VERSION})")
    for key in ("project", "includes", "projects", "files", "options", "created_utc"):
        if key not in doc:
            raise invalid(f"the manifest has no '{key}'")
    _check_project_name(doc["project"], "manifest project")
    for name in doc["includes"] if isinstance(doc["includes"], list) else [doc["includes"]]:
        _check_project_name(name, "manifest includes")
    projects: dict[str, dict[str, Any]] = {}
    for entry in doc["projects"]:
        name = entry.get("name") if isinstance(entry, dict) else None
        _check_project_name(name, "projects entry")
        if name.lower() in projects:
            raise invalid("manifest lists a project twice")
        if not isinstance(entry.get("fingerprint"), str) or not _SHA256.match(entry["fingerprint"]):
            raise invalid(f"project '{name}' has no valid fingerprint")
        projects[name.lower()] = {"entry": entry, "hashes": [], "bytes": 0}
    if not isinstance(doc["project"], str) or doc["project"].lower() not in projects:
        raise invalid(f"manifest does not list the backed-up project '{doc['project']}' among its projects")
    seen = {MANIFEST_NAME.lower()}
    for entry in doc["files"]:
        _check_file(entry, projects, seen)
    for name, info in projects.items():
        entry = info["entry"]
        if len(info["hashes"]) != entry.get("files") or info["bytes"] != entry.get("bytes"):
            raise invalid(f"manifest counts for project '{entry['name']}' do not match its files")
        if _fingerprint(info["hashes"]) != entry["fingerprint"]:
            raise invalid(f"manifest fingerprint of project '{entry['name']}' does not match its files")
    if not isinstance(doc["created_utc"], str) or not _CREATED.match(doc["created_utc"]):
        raise invalid("manifest created_utc must look like 2026-01-31T12:00:00Z")
    options = doc["options"]
    if not isinstance(options, dict) or not all(
            isinstance(options.get(k), bool) for k in ("include_projects", "subdirectories", "configuration_files")):
        raise invalid("manifest options must say include_projects, subdirectories and "
                      "configuration_files as true or false")


def project_name_problem(name: Any) -> str | None:
    """Get-ArchiveProjectNameProblem: a project is one plain folder below the User folder."""
    if not isinstance(name, str) or not name.strip():
        return "empty project name"
    if set(name) & set('<>:"|?*\\/') or name in (".", "..") or name.endswith((".", " ")) \
            or any(ord(c) < 32 for c in name):
        return f"project name '{name}' is not a plain folder name"
    return None


def _check_project_name(name: Any, what: str) -> None:
    problem = project_name_problem(name)
    if problem:
        raise invalid(f"{what}: {problem}")


def _check_file(entry: Any, projects: dict[str, dict[str, Any]], seen: set[str]) -> None:
    path = entry.get("path") if isinstance(entry, dict) else None
    if not isinstance(path, str) or "\\" in path:
        raise invalid(f"file path '{path}' must be text with '/' separators")
    problem = member_name_problem(path) or (None if "/" in path and not path.endswith("/")
                                            else "not a file below a folder")
    if problem:
        raise invalid(f"file path '{path}' is not allowed: {problem}")
    if path.lower() in seen:
        raise invalid(f"duplicate member name '{path}' (names are case-insensitive on Windows)")
    seen.add(path.lower())
    top, rest = path.split("/", 1)
    kind = entry.get("kind")
    if kind == "project":
        info = projects.get(top.lower())
        if info is None or entry.get("project") != top or info["entry"]["name"] != top:
            raise invalid(f"file '{path}' is not inside a listed project's folder")
    elif kind in ("ini", "config"):
        if top != CONFIG_FOLDER or entry.get("project") is not None or "/" in rest:
            raise invalid(f"configuration file '{path}' must be directly in {CONFIG_FOLDER}/")
    else:
        raise invalid(f"file '{path}' has unknown kind '{kind}'")
    if not isinstance(entry.get("sha256"), str) or not _SHA256.match(entry["sha256"]):
        raise invalid(f"file '{path}' has no valid sha256")
    size = entry.get("size")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise invalid(f"{path}: sizes and counts must be non-negative integers")
    if kind == "project":
        info = projects[top.lower()]
        info["hashes"].append((rest, entry["sha256"]))
        info["bytes"] += size


def _fingerprint(hashes: list[tuple[str, str]]) -> str:
    """Get-ArchiveFingerprint: fingerprint.py's algorithm over hashes already known."""
    entries = sorted((path.replace("/", "\\").lower(), digest) for path, digest in hashes
                     if not fingerprint.is_volatile(path))
    sha = hashlib.sha256()
    for path, digest in entries:
        sha.update(f"{digest}  {path}\n".encode("utf-8"))
    return sha.hexdigest()
