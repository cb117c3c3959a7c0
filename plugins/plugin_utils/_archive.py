# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The project backup archive: its manifest format and the controller-side checks.

A backup is a ``.ctz``-compatible zip: one ``<Project>/...`` folder per saved project,
``Config/...`` when configuration files were saved, and :data:`MANIFEST_NAME` at the root.
The manifest lists every other member with its size and SHA-256, so an archive can be
proved intact (and free of zip-slip names) before anything is restored from it. This module
is the one definition of the format and of its checks, which run on the controller over what
the host's verbs report (``verify_listing``) or on a local file (``verify_archive``)::

    {"format": "scada.redundancy/project-backup", "version": 1,
     "project": "PlantProject",                # the project backed up
     "includes": ["PLS_Include", ...],         # its included projects, include order
     "projects": [{"name", "fingerprint", "files", "bytes"}, ...],   # projects saved
     "files": [{"path": "PlantProject/variable.DBF", "kind": "project",
                "project": "PlantProject", "size": 1234, "sha256": "..."},
               {"path": "Config/citect.ini", "kind": "ini", "project": null, ...}],
     "source_host": "PO-SRV-B", "product_version": "2024",
     "created_utc": "2026-01-31T12:00:00Z",
     "options": {"include_projects": true, "subdirectories": true,
                 "configuration_files": false}}

A project's ``fingerprint`` is the content fingerprint of its files in the archive
(:mod:`._fingerprint`: volatile files left out),
so it is recomputed here from the listed SHA-256 values and compared with the fingerprint a
server reports for its project: equal means a restore would change nothing.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import re
import stat
import typing as t
import zipfile

from ansible_collections.scada.redundancy.plugins.plugin_utils._fingerprint import project_fingerprint

MANIFEST_NAME = "scada-redundancy-manifest.json"
MANIFEST_FORMAT = "scada.redundancy/project-backup"
MANIFEST_VERSION = 1
CONFIG_FOLDER = "Config"
#: Projects a restore never overwrites, whatever is asked (compared case-insensitively).
PROTECTED_PROJECTS = ("PLS_Include",)
FILE_KINDS = ("project", "ini", "config")
CHUNK_SIZE = 1024 * 1024
#: Largest manifest accepted: about 2 million files' worth of entries.
MAX_MANIFEST_BYTES = 256 * 1024 * 1024

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CREATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
#: Characters Windows refuses in a file or project name, plus the path separators.
_BAD_NAME_CHARS = set('<>:"|?*\\/') | {chr(c) for c in range(32)}
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)


class ArchiveError(Exception):
    """The archive or its manifest is not what the format promises; nothing may use it."""


@dataclasses.dataclass(frozen=True)
class FileEntry:
    path: str  # the member name, '/' separators
    kind: str  # project | ini | config
    project: str | None
    size: int
    sha256: str

    @property
    def relative(self) -> str:
        """The path below the project (or Config) folder, with '\\' separators."""
        return self.path.split("/", 1)[1].replace("/", "\\")


@dataclasses.dataclass(frozen=True)
class ProjectEntry:
    name: str
    fingerprint: str
    files: int
    bytes: int


@dataclasses.dataclass(frozen=True)
class Manifest:
    project: str
    includes: tuple[str, ...]
    projects: tuple[ProjectEntry, ...]
    files: tuple[FileEntry, ...]
    source_host: str
    product_version: str
    created_utc: str
    options: dict[str, bool]

    def fingerprints(self) -> dict[str, str]:
        return {p.name: p.fingerprint for p in self.projects}

    def project_names(self) -> list[str]:
        return [p.name for p in self.projects]

    def files_of(self, project: str) -> list[FileEntry]:
        return [f for f in self.files if f.project is not None and f.project.lower() == project.lower()]


# -- names ---------------------------------------------------------------------------------
def member_name_problem(name: str) -> str | None:
    """Why ``name`` may not be extracted on Windows, or None when it is safe.

    Refused: empty names, absolute paths ('/x', '\\x', UNC), drive letters and any ':'
    (also NTFS alternate data streams), '.' and '..' components, empty components, control
    characters, Windows-reserved device names, and components ending in a dot or a space
    (Windows strips those, so two different members could land on one file).
    """
    if not name:
        return "empty member name"
    if any(ord(c) < 32 for c in name):
        return "control character in member name"
    if name[0] in "/\\":
        return "absolute path"
    if ":" in name:
        return "drive letter or ':' in member name"
    parts = re.split(r"[/\\]", name.rstrip("/"))
    for part in parts:
        if part in ("", ".", ".."):
            return f"'{part or '(empty)'}' path component"
        if part[-1] in ". ":
            return "path component ending in a dot or a space"
        if _RESERVED.match(part):
            return f"reserved device name '{part}'"
        if set(part) & set('<>"|?*'):
            return "character Windows refuses in a file name"
    return None


def project_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a project (a single folder name), or None."""
    if not isinstance(name, str) or not name.strip():
        return "empty project name"
    bad = sorted(set(name) & _BAD_NAME_CHARS)
    if bad:
        return (f"project name {name!r} has {' '.join(repr(c) for c in bad)}: Windows allows no "
                f"control character and none of \\ / : * ? \" < > | in a folder name")
    if name in (".", ".."):
        return f"project name {name!r} names a folder itself or its parent, not a project folder"
    if name[-1] in ". ":
        return f"project name {name!r} ends in a dot or a space, which Windows strips from a folder name"
    return None


_LOCAL_PATH = re.compile(r'^[A-Za-z]:\\[^:*?"<>|]*$')
_SHARE_PATH = re.compile(r'^\\\\[^\\/:*?"<>|]+\\[^\\/:*?"<>|]+\\[^:*?"<>|]+$')
#: A path component of only dots and spaces, between '\\' or '/' separators: Windows treats '/'
#: as a separator and resolves '..' (and may trim '.. ' to '..'), so 'D:\\Backups/../Windows'
#: would leave the folder it names.
_DOTS_ONLY = re.compile(r"(^|[\\/])[. ]*\.[. ]*([\\/]|$)")


def host_path_problem(path: str, allow_share: bool = False) -> str | None:
    """Why ``path`` is not a full Windows path (as archive.ps1's Assert-ArchivePath checks it)."""
    if not isinstance(path, str) or not (_LOCAL_PATH.match(path) or (allow_share and _SHARE_PATH.match(path))):
        where = "a full path such as D:\\Backups\\file.ctz" + (" or \\\\server\\share\\file.ctz" if allow_share else "")
        return f"must be {where}, not {path!r}"
    if _DOTS_ONLY.search(path):
        return f"must not contain '..' or another folder name of only dots and spaces: {path!r}"
    return None


def file_name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain Windows file name (no folder, no wildcard), or None."""
    if not isinstance(name, str) or not name or set(name) & _BAD_NAME_CHARS or name[-1] in ". " \
            or _RESERVED.match(name):
        return f"must be a plain file name such as PlantProject.ctz, not {name!r}"
    if name.lower().endswith(".partial"):
        return "must not end in .partial (the suffix of unfinished transfers)"
    return None


def is_protected(project: str) -> bool:
    return project.lower() in {p.lower() for p in PROTECTED_PROJECTS}


def project_member(project: str, relative_path: str) -> str:
    """The member name of a project file: ``<Project>/<relative path with '/'>``."""
    return f"{project}/{relative_path.replace(chr(92), '/')}"


# -- the manifest --------------------------------------------------------------------------
def parse_manifest(document: t.Any) -> Manifest:
    """Check a decoded manifest against the format and return it; :class:`ArchiveError` if not.

    Beyond types, it checks that every file belongs to a listed project (or Config), that no
    two files collide on a case-insensitive file system, and that each project's fingerprint
    is the one its listed files give.
    """
    doc = _mapping(document, "manifest")
    if doc.get("format") != MANIFEST_FORMAT:
        raise ArchiveError(f"manifest format is {doc.get('format')!r}, not {MANIFEST_FORMAT!r}")
    if doc.get("version") != MANIFEST_VERSION:
        raise ArchiveError(f"manifest version {doc.get('version')!r} is not supported "
                           f"(this collection reads version {MANIFEST_VERSION})")
    project = _project_name(doc.get("project"), "manifest project")
    includes = tuple(_project_name(n, "manifest includes") for n in _list(doc.get("includes"), "includes"))
    projects = tuple(_project_entry(p) for p in _list(doc.get("projects"), "projects"))
    names = [p.name.lower() for p in projects]
    if len(set(names)) != len(names):
        raise ArchiveError("manifest lists a project twice")
    if project.lower() not in names:
        raise ArchiveError(f"manifest does not list the backed-up project {project!r} among its projects")
    files = tuple(_file_entry(f, {p.name.lower(): p.name for p in projects})
                  for f in _list(doc.get("files"), "files"))
    _no_collisions([f.path for f in files] + [MANIFEST_NAME])
    for entry in projects:
        mine = [(f.relative, f.sha256) for f in files if f.project == entry.name]
        if len(mine) != entry.files or sum(f.size for f in files if f.project == entry.name) != entry.bytes:
            raise ArchiveError(f"manifest counts for project {entry.name!r} do not match its files")
        if project_fingerprint(mine) != entry.fingerprint:
            raise ArchiveError(f"manifest fingerprint of project {entry.name!r} does not match its files")
    created = doc.get("created_utc")
    if not isinstance(created, str) or not _CREATED.match(created):
        raise ArchiveError("manifest created_utc must look like 2026-01-31T12:00:00Z")
    options = _mapping(doc.get("options"), "options")
    if not all(isinstance(options.get(k), bool) for k in ("include_projects", "subdirectories", "configuration_files")):
        raise ArchiveError("manifest options must say include_projects, subdirectories and "
                           "configuration_files as true or false")
    return Manifest(project, includes, projects, files, str(doc.get("source_host") or ""),
                    str(doc.get("product_version") or ""), created, dict(options))


def _project_entry(data: t.Any) -> ProjectEntry:
    entry = _mapping(data, "projects entry")
    name = _project_name(entry.get("name"), "projects entry")
    fingerprint = entry.get("fingerprint")
    if not isinstance(fingerprint, str) or not _SHA256.match(fingerprint):
        raise ArchiveError(f"project {name!r} has no valid fingerprint")
    return ProjectEntry(name, fingerprint, _count(entry.get("files"), name), _count(entry.get("bytes"), name))


def _file_entry(data: t.Any, projects: dict[str, str]) -> FileEntry:
    entry = _mapping(data, "files entry")
    path = entry.get("path")
    if not isinstance(path, str) or "\\" in path:
        raise ArchiveError(f"file path {path!r} must be text with '/' separators")
    problem = member_name_problem(path)
    if problem or path == MANIFEST_NAME or "/" not in path or path.endswith("/"):
        raise ArchiveError(f"file path {path!r} is not allowed: {problem or 'not a file below a folder'}")
    kind, top = entry.get("kind"), path.split("/", 1)[0]
    if kind not in FILE_KINDS:
        raise ArchiveError(f"file {path!r} has unknown kind {kind!r}")
    if kind == "project":
        project = projects.get(top.lower())
        if project is None or entry.get("project") != project or top != project:
            raise ArchiveError(f"file {path!r} is not inside a listed project's folder")
    else:
        project = None
        if top != CONFIG_FOLDER or entry.get("project") is not None or path.count("/") != 1:
            raise ArchiveError(f"configuration file {path!r} must be directly in {CONFIG_FOLDER}/")
    sha256 = entry.get("sha256")
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise ArchiveError(f"file {path!r} has no valid sha256")
    return FileEntry(path, kind, project, _count(entry.get("size"), path), sha256)


def _no_collisions(paths: t.Iterable[str]) -> None:
    """Names equal on a case-insensitive file system (or with '\\' for '/') are duplicates."""
    seen: set[str] = set()
    for path in paths:
        key = path.replace("\\", "/").rstrip("/").lower()
        if key in seen:
            raise ArchiveError(f"duplicate member name {path!r} (names are case-insensitive on Windows)")
        seen.add(key)


def _project_name(value: t.Any, what: str) -> str:
    problem = project_name_problem(value)
    if problem:
        raise ArchiveError(f"{what}: {problem}")
    return value


def _mapping(value: t.Any, what: str) -> dict[str, t.Any]:
    if not isinstance(value, dict):
        raise ArchiveError(f"{what} must be a JSON object")
    return value


def _list(value: t.Any, what: str) -> list[t.Any]:
    if not isinstance(value, list):
        raise ArchiveError(f"manifest {what} must be a list")
    return value


def _count(value: t.Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ArchiveError(f"{what}: sizes and counts must be non-negative integers")
    return value


# -- local archives ------------------------------------------------------------------------
def sha256_file(path: str | os.PathLike, chunk_size: int = CHUNK_SIZE) -> str:
    """SHA-256 of a local file, read in bounded chunks (archives can be gigabytes)."""
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk_size), b""):
            sha.update(block)
    return sha.hexdigest()


def read_manifest(path: str | os.PathLike) -> Manifest:
    """The checked manifest of a local archive, without verifying the members' content."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _manifest_of(archive, _checked_members(archive))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ArchiveError(f"{os.fspath(path)} is not a readable zip archive: {exc}") from None


def verify_archive(path: str | os.PathLike) -> Manifest:
    """Prove a local archive intact: safe member names, members == manifest, every sha256.

    Members are hashed in bounded chunks. Raises :class:`ArchiveError` naming the first
    problem found.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = _checked_members(archive)
            manifest = _manifest_of(archive, members)
            for name, entry in _listed_members(manifest, members).items():
                _verify_member(archive, members[name], entry)
            return manifest
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ArchiveError(f"{os.fspath(path)} is not a readable zip archive: {exc}") from None


def verify_listing(listing: t.Mapping[str, t.Any]) -> Manifest:
    """Prove an archive on a host intact from its ``zip_list`` answer (every entry hashed,
    the manifest's bytes read): the same checks as :func:`verify_archive`."""
    _no_collisions(str(e["name"]) for e in listing["entries"])
    entries = {str(e["name"]): e for e in listing["entries"]}
    for name in entries:
        problem = member_name_problem(name)
        if problem:
            raise ArchiveError(f"unsafe member name {name!r}: {problem}")
    members = {name: e for name, e in entries.items() if not name.endswith("/")}
    raw = (members.get(MANIFEST_NAME) or {}).get("base64")
    if raw is None:
        raise ArchiveError(f"the archive has no {MANIFEST_NAME}: not a scada.redundancy backup")
    try:
        manifest = parse_manifest(json.loads(base64.b64decode(raw).decode("utf-8-sig")))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"the manifest is not valid JSON: {exc}") from None
    for name, entry in _listed_members(manifest, members).items():
        if members[name]["size"] != entry.size:
            raise ArchiveError(f"member {name!r} is {members[name]['size']} bytes, the manifest "
                               f"says {entry.size}")
        if members[name]["sha256"] != entry.sha256:
            raise ArchiveError(f"member {name!r} does not match its sha256 in the manifest")
    return manifest


def _listed_members(manifest: Manifest, members: t.Collection[str]) -> dict[str, FileEntry]:
    """The manifest's files by member name, once the members are exactly those files."""
    listed = {f.path: f for f in manifest.files}
    extra = sorted(set(members) - set(listed) - {MANIFEST_NAME})
    missing = sorted(set(listed) - set(members))
    if extra or missing:
        raise ArchiveError(f"archive members and manifest differ: not listed {extra[:5]}, "
                           f"absent {missing[:5]}")
    return listed


def _checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """File members by name; refuses unsafe names, duplicates, links and encrypted members."""
    members: dict[str, zipfile.ZipInfo] = {}
    _no_collisions(info.filename for info in archive.infolist())
    for info in archive.infolist():
        problem = member_name_problem(info.filename)
        if problem:
            raise ArchiveError(f"unsafe member name {info.filename!r}: {problem}")
        if info.flag_bits & 0x1:
            raise ArchiveError(f"member {info.filename!r} is encrypted")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveError(f"member {info.filename!r} is a symbolic link")
        if not info.is_dir():
            members[info.filename] = info
    return members


def _manifest_of(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> Manifest:
    info = members.get(MANIFEST_NAME)
    if info is None:
        raise ArchiveError(f"the archive has no {MANIFEST_NAME}: not a scada.redundancy backup")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise ArchiveError("the manifest is implausibly large")
    try:
        document = json.loads(archive.read(info).decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"the manifest is not valid JSON: {exc}") from None
    return parse_manifest(document)


def _verify_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: FileEntry) -> None:
    if info.file_size != entry.size:
        raise ArchiveError(f"member {entry.path!r} is {info.file_size} bytes, the manifest says {entry.size}")
    sha = hashlib.sha256()
    with archive.open(info) as member:
        for block in iter(lambda: member.read(CHUNK_SIZE), b""):
            sha.update(block)
    if sha.hexdigest() != entry.sha256:
        raise ArchiveError(f"member {entry.path!r} does not match its sha256 in the manifest")


# -- retention on the controller -----------------------------------------------------------
def apply_retention(folder: str | os.PathLike, project: str, keep: int) -> list[str]:
    """Keep the newest ``keep`` backups of ``project`` in ``folder``; return the removed paths.

    A file counts as a backup of the project only when it is a readable archive whose
    manifest names the project (case-insensitively); anything else in the folder is never
    touched. Newest by the manifest's ``created_utc``, then by file name.
    """
    if keep < 1:
        raise ValueError("retention must keep at least one backup")
    found: list[tuple[str, str, str]] = []
    for entry in os.scandir(folder):
        if not entry.is_file() or entry.name.endswith(".partial"):
            continue
        try:
            manifest = read_manifest(entry.path)
        except ArchiveError:
            continue
        if manifest.project.lower() == project.lower():
            found.append((manifest.created_utc, entry.name, entry.path))
    found.sort(reverse=True)
    removed = [path for dummy, dummy2, path in found[keep:]]
    for path in removed:
        os.remove(path)
    return removed
