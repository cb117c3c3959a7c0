# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""project_backup's work: what to save, the manifest and the archive, decided here.

As the vendor's Backup dialog ("Save Included Projects", "Save sub-directories", "Save
configuration files"): the project (the [CtEdit]Run one when none is named) and, with
include_projects, its included projects that exist; their files as the fingerprint sees them
(volatile files left out), all of them or the top level only; with configuration_files
citect.ini and the [CtEdit]Config files matching configuration_patterns. The manifest
(:mod:`._archive`) is made from the hashes of the listing, and ``zip_create`` fails a file
whose stored bytes hash otherwise, so the manifest describes the bytes in the archive. The zip
is written as ``<name>.partial``, read back by the verb, and only then renamed. An intact
archive of identical content under a given archive_name is left alone. With command_template a
site tool writes the archive instead (``process_run``, its command line built by ``_argv``).

Batches: the install (1); the projects (hashed), the Config folder, and an archive already
under the name or the site tool's file (2); the write (3).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hashlib
import json
import ntpath
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import VerbCall, VerbError
from ansible_collections.scada.redundancy.plugins.plugin_utils._argv import command_line
from ansible_collections.scada.redundancy.plugins.plugin_utils._fingerprint import is_volatile, project_fingerprint
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._install_memory import read_install
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_install import (
    Install,
    same_path,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_projects import (
    Catalog,
    Project,
    listing_calls,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._wildcard import like

STEP = "project_backup"
OPTIONS = ("include_projects", "subdirectories", "configuration_files")
#: Lines of a site tool's output a failure message shows.
_TOOL_TAIL = 5


class Saved(t.NamedTuple):
    """One file a backup saves."""

    member: str
    kind: str  # project | ini | config
    project: str | None
    source: str
    size: int
    sha256: str


def _folder(install: Install, params: t.Mapping[str, t.Any]) -> str:
    """Where the archive goes: ``destination``, else [CtEdit]Backup."""
    folder = (params["destination"] or install.paths["backup"] or "").rstrip("\\")
    if not folder:
        raise OperationFailed(STEP, "no destination given and citect.ini names no [CtEdit]Backup "
                                    "folder", "invalid_parameter")
    return folder


def _reading_calls(install: Install, params: t.Mapping[str, t.Any]) -> list[VerbCall]:
    """What a backup reads once the install is known: the projects, the Config folder with
    ``configuration_files``, and the site tool or an archive already under ``archive_name``."""
    template = list(params["command_template"] or [])
    named = f"{_folder(install, params)}\\{params['archive_name']}" if params["archive_name"] else ""
    config = install.paths["config"] if params["configuration_files"] else None
    calls = listing_calls(install, STEP, params["project_source"], hashed=True)
    calls += [verbs.tree_list(config, sha256=True)] if config else []
    if template:
        calls.append(verbs.path_test(template[0]))
    elif named:
        calls.append(verbs.zip_list(named, sha256=True, read=(_archive.MANIFEST_NAME,)))
    return calls


def backup(action: t.Any, params: t.Mapping[str, t.Any], check: bool) -> dict[str, t.Any]:
    """Back up as ``params`` (the module's options) say; the module's result."""
    for option, problem in (("archive_name", _archive.file_name_problem),
                            ("destination", _archive.host_path_problem)):
        if params[option] and problem(params[option]):  # the archive stays in its folder
            raise OperationFailed(STEP, f"{option} {problem(params[option])}", "invalid_parameter")
    read = read_install(action, STEP, lambda found, dummy: _reading_calls(found, params),
                        tolerate=("corrupt",))
    install, values = read.required(STEP), read.more
    folder = _folder(install, params)
    template = list(params["command_template"] or [])
    named = f"{folder}\\{params['archive_name']}" if params["archive_name"] else ""
    listing = listing_calls(install, STEP, params["project_source"], hashed=True)
    config = install.paths["config"] if params["configuration_files"] else None
    catalog = Catalog(install, STEP, params["project_source"], values[:len(listing)])
    main = catalog.target(params["project"])
    closure = catalog.closure(main.name)
    projects = [catalog.projects[n.lower()] for n in closure if n.lower() in catalog.projects] \
        if params["include_projects"] else [main]
    for project in projects:  # names read from the host: a folder Windows would not allow
        if _archive.project_name_problem(project.name):
            raise OperationFailed(STEP, f"{_archive.project_name_problem(project.name)}; rename the "
                                        f"project, nothing was backed up", "invalid_parameter")
    options = {name: bool(params[name]) for name in OPTIONS}
    now = datetime.datetime.now(datetime.timezone.utc)
    files = _project_files(projects, options["subdirectories"])
    if options["configuration_files"]:
        files += _config_files(install, values[len(listing)] if config else None,
                               params["configuration_patterns"])
    _check_names(files)
    target = named or f"{folder}\\{main.name}-{now:%Y%m%dT%H%M%SZ}.ctz"
    if _archive.host_path_problem(target):  # [CtEdit]Backup, from citect.ini
        raise OperationFailed(STEP, f"destination {_archive.host_path_problem(target)}",
                              "invalid_parameter")
    manifest = _manifest(files, main, closure[1:], projects, install, options, now)
    result = {"changed": True, "path": target, "archive_name": ntpath.basename(target),
              "folder": folder, "project": main.name, "includes": closure[1:],
              "projects": [{k: p[k] for k in ("name", "files", "bytes")} for p in manifest["projects"]],
              "files": len(files), "bytes": sum(f.size for f in files), "size": None, "sha256": None,
              "method": "command" if template else "builtin", "manifest": True, "options": options,
              "source_host": manifest["source_host"], "product_version": install.version}
    if named and not template:
        existing = _intact(values[-1])
        if existing is not None and _same(existing, manifest):
            result.update(changed=False, size=values[-1]["size"], sha256=values[-1]["sha256"],
                          projects=[dataclasses.asdict(p) for p in existing.projects],
                          created_utc=existing.created_utc)
            return result
    if check:
        return result
    if template:
        if not values[-1]["exists"]:
            raise OperationFailed(STEP, f"the backup tool '{template[0]}' does not exist", "not_found")
        written = _run_tool(action, template, _placeholders(install, main, folder, target), target,
                            params["command_timeout"])
    else:
        written = _write(action, target, files, manifest)
    found = written.pop("manifest")
    result.update(written, manifest=found is not None)
    if found is not None:
        result.update(projects=[dataclasses.asdict(p) for p in found.projects],
                      created_utc=found.created_utc, files=len(found.files))
    return result


def _project_files(projects: t.Sequence[Project], subdirectories: bool) -> list[Saved]:
    """Each project's files in fingerprint order (volatile ones left out)."""
    return [Saved(_archive.project_member(project.name, relative), "project", project.name,
                  f"{project.path}\\{relative}", int(entry["size"]), str(entry["sha256"]))
            for project in projects
            for relative, entry in sorted(project.files.items(), key=lambda item: item[0].lower())
            if not is_volatile(relative) and (subdirectories or "\\" not in relative)]


def _config_files(install: Install, config: t.Mapping[str, t.Any] | None,
                  patterns: t.Sequence[str]) -> list[Saved]:
    """citect.ini (as read), then the [CtEdit]Config files matching a pattern."""
    files = [Saved(f"{_archive.CONFIG_FOLDER}/{ntpath.basename(install.ini_path)}", "ini", None,
                   install.ini_path, len(install.ini_bytes), install.ini_sha256)]
    for entry in (config or {}).get("entries") or []:
        name, path = str(entry["path"]), f"{install.paths['config']}\\{entry['path']}"
        if entry["dir"] or not any(like(name, p) for p in patterns) or same_path(path, install.ini_path):
            continue
        files.append(Saved(f"{_archive.CONFIG_FOLDER}/{name}", "config", None, path,
                           int(entry["size"]), str(entry["sha256"])))
    return files


def _check_names(files: t.Sequence[Saved]) -> None:
    seen: set[str] = set()
    for saved in files:
        problem = _archive.member_name_problem(saved.member)
        if problem:
            raise OperationFailed(STEP, f"'{saved.source}' cannot be saved under the name "
                                        f"'{saved.member}': {problem}", "unsupported")
        if saved.member.lower() in seen:
            raise OperationFailed(STEP, f"two files would be saved as '{saved.member}'", "unsupported")
        seen.add(saved.member.lower())


def _manifest(files: t.Sequence[Saved], main: Project, includes: t.Sequence[str],
              projects: t.Sequence[Project], install: Install, options: dict[str, bool],
              now: datetime.datetime) -> dict[str, t.Any]:
    """The manifest of ``files`` (the format: :mod:`._archive`)."""
    listed = []
    for project in projects:
        mine = [f for f in files if f.kind == "project" and f.project == project.name]
        listed.append({"name": project.name, "files": len(mine), "bytes": sum(f.size for f in mine),
                       "fingerprint": project_fingerprint(
                           (f.member[len(project.name) + 1:], f.sha256) for f in mine)})
    return {"format": _archive.MANIFEST_FORMAT, "version": _archive.MANIFEST_VERSION,
            "project": main.name, "includes": list(includes), "projects": listed,
            "files": [{"path": f.member, "kind": f.kind, "project": f.project, "size": f.size,
                       "sha256": f.sha256} for f in files],
            "source_host": install.host_facts["computer_name"], "product_version": install.version,
            "created_utc": f"{now:%Y-%m-%dT%H:%M:%SZ}", "options": options}


def _intact(listing: t.Any) -> _archive.Manifest | None:
    """The manifest of an archive already there, when it is proved intact."""
    if isinstance(listing, VerbError) or not listing["exists"]:
        return None
    try:
        return _archive.verify_listing(listing)
    except _archive.ArchiveError:
        return None


def _same(existing: _archive.Manifest, planned: t.Mapping[str, t.Any]) -> bool:
    """Whether an existing archive holds exactly what would be saved now."""
    return (existing.project == planned["project"]
            and existing.product_version == planned["product_version"]
            and all(bool(existing.options.get(k)) == v for k, v in planned["options"].items())
            and {f.path: f.sha256 for f in existing.files}
            == {f["path"]: f["sha256"] for f in planned["files"]})


def _write(action: t.Any, target: str, files: t.Sequence[Saved],
           manifest: dict[str, t.Any]) -> dict[str, t.Any]:
    """The zip as ``<target>.partial``, proved by the verb, then renamed."""
    partial = f"{target}.partial"
    document = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    entries = [verbs.ZipEntry(f.member, source=f.source, sha256=f.sha256) for f in files]
    entries.append(verbs.ZipEntry(_archive.MANIFEST_NAME,
                                  base64=base64.b64encode(document).decode("ascii"),
                                  sha256=hashlib.sha256(document).hexdigest()))
    try:
        written = action.verbs(STEP, [verbs.zip_create(partial, entries),
                                      verbs.path_move(partial, target)])[0]
    except OperationFailed as exc:
        action.verbs(STEP, [verbs.path_remove(partial)])
        raise OperationFailed(STEP, f"the backup '{target}' could not be written (the partial "
                                    f"archive was removed): {exc.msg}", exc.category) from None
    return {"size": written["size"], "sha256": written["sha256"],
            "manifest": _archive.parse_manifest(manifest)}


def _placeholders(install: Install, main: Project, folder: str, target: str) -> dict[str, str]:
    return {"project": main.name, "project_path": main.path, "destination": target,
            "archive_name": ntpath.basename(target), "backup_folder": folder,
            "ini_path": install.ini_path, "bin_folder": install.paths["bin"] or ""}


def _run_tool(action: t.Any, template: t.Sequence[str], values: t.Mapping[str, str], target: str,
              timeout: int) -> dict[str, t.Any]:
    """Run the site's tool from its argument list (values only replace placeholders), then
    prove it wrote a readable zip with safe member names."""
    argv = [_fill(element, values) for element in template]
    ran, listing = action.verbs(STEP, [
        verbs.dir_create(ntpath.dirname(target)),
        verbs.process_run(argv[0], command_line(argv[1:]), timeout),
        verbs.zip_list(target, sha256=True, read=(_archive.MANIFEST_NAME,))],
        tolerate=("corrupt",))[1:]
    tail = " | ".join(f"{ran['stderr']}\n{ran['stdout']}".strip().splitlines()[-_TOOL_TAIL:])
    if ran["timed_out"]:
        raise OperationFailed(STEP, f"the backup tool did not finish within {timeout} s and was "
                                    f"stopped: {tail}", "tool_failed")
    if ran["exit_code"] != 0:
        raise OperationFailed(STEP, f"the backup tool exited with code {ran['exit_code']}: {tail}",
                              "tool_failed")
    if isinstance(listing, VerbError):
        raise OperationFailed(STEP, f"the archive the backup tool wrote is unusable: {listing.msg}",
                              "archive_invalid")
    if not listing["exists"]:
        raise OperationFailed(STEP, f"the backup tool exited with code 0 but wrote no '{target}'",
                              "tool_failed")
    manifest = None
    try:
        if any(e["name"] == _archive.MANIFEST_NAME for e in listing["entries"]):
            manifest = _archive.verify_listing(listing)
        for entry in listing["entries"]:
            problem = _archive.member_name_problem(str(entry["name"]))
            if problem:
                raise _archive.ArchiveError(f"unsafe member name {entry['name']!r}: {problem}")
    except _archive.ArchiveError as exc:
        raise OperationFailed(STEP, f"the archive the backup tool wrote is unusable: {exc}",
                              "archive_invalid") from None
    return {"size": listing["size"], "sha256": listing["sha256"], "manifest": manifest}


def _fill(element: str, values: t.Mapping[str, str]) -> str:
    for key, value in values.items():
        element = element.replace("{" + key + "}", value)
    return element
