"""Twin model of project_restore.ps1: restore into the current project by per-project swap.

In the script's order: protected names (PLS_Include) refused before anything; the archive
proved (names, members, every SHA-256); each target project's fingerprint compared with the
archive's; the projects that differ unpacked into a staging folder next to the projects (real
files on the host's file system, so a full disk fails here, before any project changes); then
per project the model's :class:`ProjectSwap` (the '<Project>.previous' folder): an older
previous generation is discarded first, and a failure rolls back the projects already
swapped. ``state: rolled_back`` puts the previous generations back.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from ..filesystem import FileSystemError
from ..power_operation import PowerOperationError, fingerprint
from . import Call, OperationError, operation
from . import _backup_archive as ctz
from . import _po
from .archive_transfer import check_path, io_error

if TYPE_CHECKING:
    from ..host import Host


@operation("project_restore")
def project_restore(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    include = params.get("include_projects")
    if include is not None:
        _refuse_protected([str(n) for n in include], "include_projects")
    if params.get("project"):
        _refuse_protected([str(params["project"])], "project")
    install = _po.require_install(host)
    entries = _po.catalog(host, install, str(params.get("project_source") or "folders"))
    main = _po.target_entry(install, entries, str(params.get("project") or ""))
    _refuse_protected([main.name], "the current project")
    if params.get("state") == "rolled_back":
        return _rollback(install, entries, main, include, bool(params.get("check_mode")))
    path = str(params.get("archive") or "")
    check_path(path, "archive")
    if not host.fs.is_file(path):
        raise OperationError(f"archive '{path}' does not exist", "not_found")
    data = host.fs.read(path)
    document = ctz.verify(data, path)
    _refuse_protected([document["project"]], "the archive")
    selected, skipped = _selection(document, include)
    pairs = [(document["project"], main)] + [(name, _existing(entries, name)) for name in selected]
    if len({t.name.lower() for _, t in pairs}) != len(pairs):
        raise OperationError("a project would be restored twice", "invalid_parameter")
    report, plan = [], []
    for source, target in pairs:
        files = ctz.project_files(document, data, source)
        item = _compare(host, source, target, files, _archive_fingerprint(document, source))
        report.append(item)
        if item["action"] == "restored":
            plan.append((target, files))
    config_plan, config_report = _config(host, install, document, data,
                                         bool(params.get("configuration_files")))
    result = {"changed": bool(plan or config_plan), "state": "restored", "project": main.name,
              "archive": path, "archive_project": document["project"],
              "source_host": document["source_host"], "created_utc": document["created_utc"],
              "projects": report, "skipped_projects": skipped, "configuration_files": config_report,
              "previous_kept": bool(params.get("keep_previous")) and bool(plan)}
    if params.get("check_mode") or not result["changed"]:
        return result
    staging = f"{_po.user_folder(install)}\\.scada-redundancy-restore-{uuid.uuid4().hex}"
    try:
        _stage(host, staging, plan, config_plan)
        _swap(install.po, plan, bool(params.get("keep_previous")))
        for destination, content in config_plan:
            if host.fs.is_file(destination):
                host.fs.write(f"{destination}.previous", host.fs.read(destination))
            host.fs.write(destination, content)
    finally:
        if host.fs.is_dir(staging):
            host.fs.remove(staging, recurse=True)
    for item, (target, _) in zip([r for r in report if r["action"] == "restored"], plan):
        after = _po.project_fingerprint(host, target.path)
        if after != item["fingerprint_after"]:
            raise OperationError(f"project '{target.name}' does not have the archive's fingerprint "
                                 f"after the restore ({after})", "verify_failed")
    return result


def _refuse_protected(names: list[str], what: str) -> None:
    for name in names:
        if ctz.is_protected(name):
            raise OperationError(f"{what} names '{name}': {name} is never overwritten by a restore; "
                                 f"nothing was changed", "protected")


def _selection(document: dict[str, Any], include: list[str] | None) -> tuple[list[str], list[str]]:
    names = [p["name"] for p in document["projects"]]
    if include is None:
        chosen = [n for n in names if n != document["project"] and not ctz.is_protected(n)]
    else:
        by_lower = {n.lower(): n for n in names}
        chosen = []
        for name in include:
            found = by_lower.get(str(name).lower())
            if found is None:
                raise OperationError(f"the archive holds no project '{name}'; nothing was changed", "not_found")
            if found != document["project"] and found not in chosen:
                chosen.append(found)
    return chosen, [n for n in names if ctz.is_protected(n) and n not in chosen]


def _existing(entries: dict[str, _po.Entry], name: str) -> _po.Entry:
    entry = entries.get(name.lower())
    if entry is None:
        raise OperationError(f"included project '{name}' does not exist on this server: a restore goes "
                             f"into existing projects only (leave it out with include_projects); "
                             f"nothing was changed", "not_found")
    return entry


def _archive_fingerprint(document: dict[str, Any], project: str) -> str:
    return next(p["fingerprint"] for p in document["projects"] if p["name"] == project)


def _compare(host: "Host", source: str, target: _po.Entry, files: dict[str, bytes],
             archive_fp: str) -> dict[str, Any]:
    """Compare-Project: what the restore does to one target project."""
    current = {p[len(target.path) + 1:]: host.fs.read(p) for p in host.fs.walk_files(target.path)
               if not fingerprint.is_volatile(p)}
    now = {k.lower(): (k, hashlib.sha256(v).hexdigest()) for k, v in current.items()}
    wanted = {k.lower(): (k, hashlib.sha256(v).hexdigest()) for k, v in files.items()
              if not fingerprint.is_volatile(k)}
    before = fingerprint.project_fingerprint(current.items())
    ordered = lambda items: sorted(items, key=str.lower)  # noqa: E731 - Array.Sort OrdinalIgnoreCase
    return {"name": target.name, "source": source,
            "action": "unchanged" if before == archive_fp else "restored",
            "fingerprint_before": before, "fingerprint_after": archive_fp,
            "added": ordered(w[0] for k, w in wanted.items() if k not in now),
            "changed": ordered(w[0] for k, w in wanted.items() if k in now and now[k][1] != w[1]),
            "removed": ordered(n[0] for k, n in now.items() if k not in wanted)}


def _config(host: "Host", install: _po.Install, document: dict[str, Any], data: bytes,
            wanted: bool) -> tuple[list[tuple[str, bytes]], list[dict[str, Any]]]:
    if not wanted:
        return [], []
    found = ctz.members(data, "")
    plan, report = [], []
    for entry in document["files"]:
        if entry["kind"] == "project":
            continue
        leaf = entry["path"].split("/", 1)[1]
        if entry["kind"] == "ini":
            destination = install.ini_path
        elif install.paths["config"]:
            destination = f"{install.paths['config'].rstrip(chr(92))}\\{leaf}"
        else:
            raise OperationError("citect.ini names no [CtEdit]Config folder for the configuration files",
                                 "broken_install")
        same = host.fs.is_file(destination) and host.fs.sha256(destination) == entry["sha256"]
        if not same:
            plan.append((destination, found[entry["path"]]))
        report.append({"name": leaf, "path": destination, "action": "unchanged" if same else "restored"})
    return plan, report


def _stage(host: "Host", staging: str, plan: list[tuple[_po.Entry, dict[str, bytes]]],
           config_plan: list[tuple[str, bytes]]) -> None:
    """Expand-Members: real files in the staging folder (a full disk fails here).

    Unpacking costs ``restore`` modelled seconds plus ``restore_per_mib`` per MiB written.
    """
    size = sum(len(c) for _, files in plan for c in files.values())
    host.costs.sleep(host.costs.operation("restore", 2.0)
                     + host.costs.operation("restore_per_mib", 0.02) * size / 2**20)
    try:
        for target, files in plan:
            for relative, content in files.items():
                host.fs.write(f"{staging}\\{target.name}\\{relative}", content)
        for destination, content in config_plan:
            host.fs.write(f"{staging}\\.config\\{destination.rsplit(chr(92), 1)[-1]}", content)
    except FileSystemError as exc:
        raise io_error("the archive could not be unpacked; nothing was changed", exc) from None


def _swap(po: Any, plan: list[tuple[_po.Entry, dict[str, bytes]]], keep_previous: bool) -> None:
    """Switch-Projects on the model: previous generations, rollback on failure."""
    done: list[str] = []
    try:
        for target, files in plan:
            if po.swap.has_previous(target.name):
                po.swap.discard_previous(target.name)
            done.append(target.name)
            po.swap.swap_in(target.name, files)
    except (FileSystemError, PowerOperationError) as exc:
        for name in reversed(done):
            if po.swap.has_previous(name):
                po.swap.rollback(name)
        raise io_error("the restore could not swap the projects in; every project was put back", exc) from None
    if not keep_previous:
        for target, _ in plan:
            po.swap.discard_previous(target.name)


def _rollback(install: _po.Install, entries: dict[str, _po.Entry], main: _po.Entry,
              include: list[str] | None, check_mode: bool) -> dict[str, Any]:
    """Invoke-Rollback."""
    names = [main.name] + [str(n) for n in include] if include is not None \
        else _po.closure(entries, main.name)
    rolled = []
    for name in names:
        entry = entries.get(name.lower())
        if ctz.is_protected(name) or entry is None or not install.po.swap.has_previous(entry.name):
            continue
        if not check_mode:
            install.po.swap.rollback(entry.name)
        rolled.append(entry.name)
    return {"changed": bool(rolled), "state": "rolled_back", "project": main.name, "rolled_back": rolled}
