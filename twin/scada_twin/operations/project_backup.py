"""Twin model of project_backup.ps1: a real zip of the project on the host's file system.

As the script does: the project ([CtEdit]Run's when none is named) and, with
include_projects, its included projects (those that exist); their files as the fingerprint
sees them (volatile files left out), only top-level files without subdirectories; citect.ini
and the [CtEdit]Config files matching configuration_patterns with configuration_files. The
zip goes to '<name>.partial', is proved against its manifest and only then gets its name; a
failure (disk full) leaves no partial file. An intact archive of identical content under a
given archive_name is left alone (changed false).

With command_template the site's tool writes the archive. The twin models a tool as an
executable file on the host: missing -> not found; a file whose content starts with
``EXIT <n>`` exits with code n and writes nothing; any other tool writes a vendor-style zip of
the project set (no manifest) to the archive path. Each run is a ``po.backup_tool`` timeline
event with the argument list exactly as the process received it.
"""

from __future__ import annotations

import datetime
import fnmatch
import hashlib
import ntpath
import re
from typing import TYPE_CHECKING, Any

from ..filesystem import FileSystemError
from ..power_operation import fingerprint
from . import Call, OperationError, operation
from . import _backup_archive as ctz
from . import _po
from .archive_transfer import check_path, io_error

if TYPE_CHECKING:
    from ..host import Host

_EXIT = re.compile(rb"^EXIT (\d+)")


@operation("project_backup")
def project_backup(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    install = _po.require_install(host)
    entries = _po.catalog(host, install, str(params.get("project_source") or "folders"))
    main = _po.target_entry(install, entries, str(params.get("project") or ""))
    closure = _po.closure(entries, main.name)
    projects = [entries[n.lower()] for n in closure if n.lower() in entries] \
        if params.get("include_projects") else [main]
    options = {"include_projects": bool(params.get("include_projects")),
               "subdirectories": bool(params.get("subdirectories")),
               "configuration_files": bool(params.get("configuration_files"))}
    files = _files(host, install, projects, options, [str(p) for p in params.get("configuration_patterns") or []])
    folder = str(params.get("destination") or install.paths["backup"] or "").rstrip("\\")
    if not folder:
        raise OperationError("no destination given and citect.ini names no [CtEdit]Backup folder",
                             "invalid_parameter")
    now = datetime.datetime.now(datetime.timezone.utc)
    name = str(params.get("archive_name") or f"{main.name}-{now:%Y%m%dT%H%M%SZ}.ctz")
    if set(name) & set('\\/:*?"<>|'):
        raise OperationError(f"archive_name must be a plain file name, not '{name}'", "invalid_parameter")
    target = f"{folder}\\{name}"
    check_path(target, "destination")
    template = [str(a) for a in params.get("command_template") or []]
    document = ctz.manifest(files, project=main.name, includes=closure[1:],
                            projects=[p.name for p in projects], source_host=host.spec.computer_name,
                            product_version=install.version,
                            created_utc=f"{now:%Y-%m-%dT%H:%M:%SZ}", options=options)
    result: dict[str, Any] = {
        "changed": True, "path": target, "archive_name": name, "folder": folder,
        "project": main.name, "includes": closure[1:],
        "projects": [{k: p[k] for k in ("name", "files", "bytes")} for p in document["projects"]],
        "files": len(files), "bytes": sum(len(f.content) for f in files), "size": None,
        "sha256": None, "method": "command" if template else "builtin", "manifest": True,
        "options": options, "source_host": host.spec.computer_name,
        "product_version": install.version}
    if not template and params.get("archive_name") and host.fs.is_file(target):
        existing = _existing(host, target)
        if existing is not None and _same(existing, document):
            data = host.fs.read(target)
            result.update(changed=False, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                          projects=existing["projects"], created_utc=existing["created_utc"])
            return result
    if params.get("check_mode"):
        return result
    if template:
        values = {"project": main.name, "project_path": main.path, "destination": target,
                  "archive_name": name, "backup_folder": folder, "ini_path": install.ini_path,
                  "bin_folder": install.paths["bin"] or ""}
        document = _run_tool(host, [_fill(a, values) for a in template], target, files,
                             int(params.get("command_timeout") or 0))
        result["manifest"] = document is not None
    else:
        _write(host, target, ctz.build(files, document))
    if document is not None:
        result.update(projects=document["projects"], created_utc=document["created_utc"],
                      files=len(document["files"]))
    data = host.fs.read(target)
    result.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    return result


def _files(host: "Host", install: _po.Install, projects: list[_po.Entry], options: dict[str, bool],
           patterns: list[str]) -> list[ctz.Stored]:
    """Get-BackupFiles."""
    files = []
    for project in projects:
        found = [p[len(project.path) + 1:] for p in host.fs.walk_files(project.path)]
        for relative in sorted(found, key=str.lower):
            if fingerprint.is_volatile(relative) or (not options["subdirectories"] and "\\" in relative):
                continue
            files.append(ctz.Stored(f"{project.name}/{relative.replace(chr(92), '/')}", "project",
                                    project.name, host.fs.read(f"{project.path}\\{relative}")))
    if options["configuration_files"]:
        files.append(ctz.Stored(f"{ctz.CONFIG_FOLDER}/{ntpath.basename(install.ini_path)}", "ini",
                                None, host.fs.read(install.ini_path)))
        config = install.paths["config"]
        if config and host.fs.is_dir(config):
            for name in host.fs.listdir(config):
                path = f"{config}\\{name}"
                if (host.fs.is_file(path) and path.lower() != install.ini_path.lower()
                        and any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in patterns)):
                    files.append(ctz.Stored(f"{ctz.CONFIG_FOLDER}/{name}", "config", None, host.fs.read(path)))
    return files


def _existing(host: "Host", target: str) -> dict[str, Any] | None:
    try:
        return ctz.verify(host.fs.read(target), target)
    except OperationError:
        return None


def _same(existing: dict[str, Any], document: dict[str, Any]) -> bool:
    """Test-SameContent."""
    if any(str(existing.get(k)) != str(document[k]) for k in ("project", "product_version")):
        return False
    if any(bool(existing["options"].get(k)) != v for k, v in document["options"].items()):
        return False
    return ({f["path"]: f["sha256"] for f in existing["files"]}
            == {f["path"]: f["sha256"] for f in document["files"]})


def _write(host: "Host", target: str, data: bytes) -> None:
    partial = f"{target}.partial"
    try:
        host.fs.write(partial, data)
        ctz.verify(host.fs.read(partial), partial)
        host.fs.write(target, data)  # a rename on a real host
        host.fs.remove(partial)
        host.timeline.record(host.name, "po.backup", path=target, size=len(data),
                             sha256=hashlib.sha256(data).hexdigest())
    except FileSystemError as exc:
        if host.fs.is_file(partial):
            host.fs.remove(partial)
        raise io_error(f"the backup '{target}' could not be written (the partial archive was removed)",
                       exc) from None


def _fill(element: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        element = element.replace("{" + key + "}", value)
    return element


def _run_tool(host: "Host", argv: list[str], target: str, files: list[ctz.Stored],
              timeout: int) -> dict[str, Any] | None:
    """Invoke-BackupTool with the twin's tool model (module docstring)."""
    if not host.fs.is_file(argv[0]):
        raise OperationError(f"the backup tool '{argv[0]}' does not exist", "not_found")
    host.timeline.record(host.name, "po.backup_tool", argv=list(argv), timeout=timeout)
    exit_code = _EXIT.match(host.fs.read(argv[0]))
    if exit_code and int(exit_code.group(1)) != 0:
        raise OperationError(f"the backup tool exited with code {int(exit_code.group(1))}: "
                             f"backup failed", "tool_failed")
    try:
        host.fs.write(target, ctz.build(files, None))
    except FileSystemError as exc:
        raise io_error(f"the backup tool could not write '{target}'", exc) from None
    ctz.members(host.fs.read(target), target)
    return None
