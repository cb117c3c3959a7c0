# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""project_restore's work: a backup restored into the current project, decided here.

As the procedure uses the Restore dialog: "To: Current Project", the chosen included projects
(never PLS_Include), configuration files only when asked. Nothing changes unless everything
can: protected projects are refused first; the archive is proved (safe names, members equal to
its manifest, every SHA-256, from one ``zip_list``); each target's fingerprint is compared with
the archive's (equal: nothing to do); then one batch unpacks the projects that differ into a
staging folder beside the projects (``zip_extract``, each file's SHA-256 checked again as it
is written), swaps them in all or none (``folders_swap``: the old content becomes
``<Project>.previous``, the rollback), copies configuration files (each replaced one kept as
``.previous``), and lists what is now there, which must carry the archive's fingerprints.

Batches: the install (1); the projects (hashed), the archive and the Config folder (2); the
restore (3). Rolling back: the install, the projects folder, then ``folders_restore_previous``.
"""

from __future__ import annotations

import ntpath
import typing as t
import uuid

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import (
    EVERY_CATEGORY,
    VerbCall,
    VerbError,
    first_failure,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._fingerprint import is_volatile, project_fingerprint
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._install_memory import read_install
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_install import Install
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_projects import (
    PREVIOUS_COPIES,
    Catalog,
    Project,
    listing_calls,
)
from ansible_collections.scada.redundancy.plugins.plugin_utils._wildcard import like

STEP = "project_restore"
STAGING_PREFIX = ".scada-redundancy-restore-"
PREVIOUS_SUFFIX = ".previous"


def restore(action: t.Any, params: t.Mapping[str, t.Any], check: bool) -> dict[str, t.Any]:
    """Restore or roll back as ``params`` (the module's options) say; the module's result."""
    include = params["include_projects"]
    _refuse_protected(include or [], "include_projects")
    if params["project"]:
        _refuse_protected([params["project"]], "project")
    if params["archive"] and _archive.host_path_problem(params["archive"]):
        raise OperationFailed(STEP, f"archive {_archive.host_path_problem(params['archive'])}",
                              "invalid_parameter")
    if params["state"] == "rolled_back":
        read = read_install(action, STEP, lambda found, dummy: _roll_back_calls(found, params))
        return _roll_back(action, read.required(STEP), params, read.more, check)
    read = read_install(action, STEP, lambda found, dummy: _reading_calls(found, params),
                        tolerate=("corrupt",))
    install, values = read.required(STEP), read.more
    listing = listing_calls(install, STEP, params["project_source"], hashed=True)
    config = install.paths["config"] if params["configuration_files"] else None
    catalog = Catalog(install, STEP, params["project_source"], values[:len(listing)])
    main = catalog.target(params["project"])
    _refuse_protected([main.name], "the current project")
    manifest = _planned(values[len(listing)], params, check)
    planned_from_src = not values[len(listing)]["exists"]
    _refuse_protected([manifest.project], "the archive")
    selected, skipped = _selection(manifest, include)
    pairs = [(manifest.project, main)] + [(name, _existing(catalog, name)) for name in selected]
    report, plan = _compare(catalog, manifest, pairs)
    files = _configuration_plan(install, manifest, values[-1] if config else None) \
        if params["configuration_files"] else []
    result = {"changed": bool(plan) or any(f["action"] == "restored" for f in files),
              "state": "restored", "project": main.name, "archive": params["archive"],
              "archive_project": manifest.project, "source_host": manifest.source_host,
              "created_utc": manifest.created_utc, "projects": report,
              "skipped_projects": skipped,
              "configuration_files": [{k: f[k] for k in ("name", "path", "action")} for f in files],
              "previous_kept": bool(params["keep_previous"]) and bool(plan),
              "planned_from_src": planned_from_src}
    if check or not result["changed"]:
        return result
    _apply(action, install, catalog, params, plan, [f for f in files if f["action"] == "restored"])
    return result


def _refuse_protected(names: t.Iterable[str], what: str) -> None:
    for name in names:
        if _archive.is_protected(name):
            raise OperationFailed(STEP, f"{what} names '{name}': {name} is never overwritten by a "
                                        f"restore; nothing was changed", "protected")


def _planned(listing: t.Any, params: t.Mapping[str, t.Any], check: bool) -> _archive.Manifest:
    """The archive's manifest as the host proves it; in check mode, while the archive is not
    on the host yet (an earlier step of the run would put it there), the controller's copy
    ``src`` proved here, so a dry run still says what the restore would change."""
    if check and params.get("src") and not isinstance(listing, VerbError) and not listing["exists"]:
        try:
            return _archive.verify_archive(params["src"])
        except (_archive.ArchiveError, OSError) as exc:
            raise OperationFailed(STEP, f"src {params['src']}: {exc}; nothing was changed",
                                  "archive_invalid") from None
    return _proved(listing, params["archive"])


def _proved(listing: t.Any, path: str) -> _archive.Manifest:
    """The archive's manifest once every member is proved, or an ``archive_invalid`` failure."""
    if isinstance(listing, VerbError):
        raise OperationFailed(STEP, f"{listing.msg}; nothing was changed", "archive_invalid")
    if not listing["exists"]:
        raise OperationFailed(STEP, f"the archive '{path}' does not exist", "not_found")
    try:
        return _archive.verify_listing(listing)
    except _archive.ArchiveError as exc:
        raise OperationFailed(STEP, f"{path}: {exc}; nothing was changed", "archive_invalid") from None


def _selection(manifest: _archive.Manifest,
               include: t.Sequence[str] | None) -> tuple[list[str], list[str]]:
    """The archive's included projects to restore, and the protected ones left out."""
    names = manifest.project_names()
    if include is None:
        others = [n for n in names if n != manifest.project]
        return ([n for n in others if not _archive.is_protected(n)],
                [n for n in others if _archive.is_protected(n)])
    selected: list[str] = []
    for name in include:
        found = next((n for n in names if n.lower() == name.lower()), None)
        if found is None:
            raise OperationFailed(STEP, f"the archive holds no project '{name}'; nothing was "
                                        f"changed", "not_found")
        if found != manifest.project and found not in selected:
            selected.append(found)
    return selected, [n for n in names if _archive.is_protected(n) and n not in selected]


def _existing(catalog: Catalog, name: str) -> Project:
    project = catalog.projects.get(name.lower())
    if project is None:
        raise OperationFailed(STEP, f"included project '{name}' does not exist on this server: a "
                                    f"restore goes into existing projects only (leave it out with "
                                    f"include_projects); nothing was changed", "not_found")
    return project


def _compare(catalog: Catalog, manifest: _archive.Manifest,
             pairs: t.Sequence[tuple[str, Project]]) -> tuple[list[dict[str, t.Any]], list[t.Any]]:
    """Per target: what the restore would add, change and remove, and whether it restores."""
    report, plan, targets = [], [], set()
    fingerprints = manifest.fingerprints()
    for source, target in pairs:
        if target.name.lower() in targets:
            raise OperationFailed(STEP, f"project '{target.name}' would be restored twice",
                                  "invalid_parameter")
        targets.add(target.name.lower())
        members = manifest.files_of(source)
        current = {path.lower(): (path, str(e["sha256"])) for path, e in target.files.items()
                   if not is_volatile(path)}
        wanted = {f.relative.lower(): f for f in members if not is_volatile(f.relative)}
        before = catalog.fingerprint(target.name)
        after = fingerprints[source]
        action = "unchanged" if before == after else "restored"
        if action == "restored":
            plan.append((target, members, after))
        report.append({
            "name": target.name, "source": source, "action": action,
            "fingerprint_before": before, "fingerprint_after": after,
            "added": _sorted(f.relative for k, f in wanted.items() if k not in current),
            "changed": _sorted(f.relative for k, f in wanted.items()
                               if k in current and current[k][1] != f.sha256),
            "removed": _sorted(path for k, (path, dummy) in current.items() if k not in wanted)})
    return report, plan


def _sorted(paths: t.Iterable[str]) -> list[str]:
    return sorted(paths, key=str.lower)


def _configuration_plan(install: Install, manifest: _archive.Manifest,
                        config: t.Mapping[str, t.Any] | None) -> list[dict[str, t.Any]]:
    """citect.ini and the Config files of the archive, each with where it goes and whether
    it differs from what is there."""
    there = {str(e["path"]).lower(): str(e["sha256"]) for e in (config or {}).get("entries") or []
             if not e["dir"]}
    plan = []
    for entry in manifest.files:
        if entry.kind == "project":
            continue
        leaf = entry.relative
        if entry.kind == "ini":
            destination, current = install.ini_path, install.ini_sha256
        elif install.paths["config"]:
            destination = f"{install.paths['config'].rstrip(chr(92))}\\{leaf}"
            current = there.get(leaf.lower())
        else:
            raise OperationFailed(STEP, "citect.ini names no [CtEdit]Config folder for the "
                                        "configuration files", "broken_install")
        plan.append({"name": leaf, "path": destination, "member": entry.path,
                     "sha256": entry.sha256, "exists": current is not None,
                     "action": "unchanged" if current == entry.sha256 else "restored"})
    return plan


def _apply(action: t.Any, install: Install, catalog: Catalog, params: t.Mapping[str, t.Any],
           plan: t.Sequence[t.Any], files: t.Sequence[dict[str, t.Any]]) -> None:
    """Unpack, swap in, copy the configuration files, and prove the fingerprints."""
    staging = f"{catalog.user}\\{STAGING_PREFIX}{uuid.uuid4().hex}"
    entries = [{"name": f.path, "target": f"{target.name}\\{f.relative}", "sha256": f.sha256}
               for target, members, dummy in plan for f in members]
    entries += [{"name": f["member"], "target": f".config\\{f['name']}", "sha256": f["sha256"]}
                for f in files]
    calls = [verbs.zip_extract(params["archive"], staging, entries),
             verbs.folders_swap([{"path": target.path, "staged": f"{staging}\\{target.name}"}
                                 for target, dummy, dummy2 in plan],
                                keep_previous=bool(params["keep_previous"]))]
    for item in files:
        if item["exists"]:
            calls.append(verbs.file_copy(item["path"], item["path"] + PREVIOUS_SUFFIX))
        calls.append(verbs.file_copy(f"{staging}\\.config\\{item['name']}", item["path"]))
    calls.append(verbs.path_remove(staging))
    checks = [verbs.tree_list(target.path, depth=-1, sha256=True) for target, dummy, dummy2 in plan]
    values = action.verbs(STEP, calls + checks, tolerate=EVERY_CATEGORY)
    failed = first_failure(values)
    if failed is not None:
        action.verbs(STEP, [verbs.path_remove(staging)])
        error = values[failed]
        what = {0: "the archive could not be unpacked; nothing was changed",
                1: "the restore could not swap the projects in; every project was put back"}.get(
                    failed, "the projects were restored, but a configuration file could not be "
                            "replaced")
        raise OperationFailed(STEP, f"{what}: {error.msg}", error.category)
    for (target, dummy, fingerprint), listing in zip(plan, values[len(calls):]):
        files_now = [(str(e["path"]), str(e["sha256"])) for e in listing["entries"] if not e["dir"]]
        after = project_fingerprint(files_now)
        if after != fingerprint:
            raise OperationFailed(STEP, f"project '{target.name}' does not have the archive's "
                                        f"fingerprint after the restore ({after}); its previous "
                                        f"content is in '{target.path}{PREVIOUS_SUFFIX}'",
                                  "verify_failed")


def _reading_calls(install: Install, params: t.Mapping[str, t.Any]) -> list[VerbCall]:
    """What a restore reads once the install is known: the projects (hashed), the archive's
    entries (hashed, the manifest read) and with ``configuration_files`` the Config folder."""
    config = install.paths["config"] if params["configuration_files"] else None
    return (listing_calls(install, STEP, params["project_source"], hashed=True)
            + [verbs.zip_list(params["archive"], sha256=True, read=(_archive.MANIFEST_NAME,))]
            + ([verbs.tree_list(config, sha256=True)] if config else []))


def _roll_back_calls(install: Install, params: t.Mapping[str, t.Any]) -> list[VerbCall]:
    """What a roll-back reads: the projects, and the projects folder (its .previous copies)."""
    return (listing_calls(install, STEP, params["project_source"], hashed=False)
            + [verbs.tree_list(install.user_folder(STEP))])


def _roll_back(action: t.Any, install: Install, params: t.Mapping[str, t.Any],
               values: list[t.Any], check: bool) -> dict[str, t.Any]:
    """Put '<Project>.previous' back for the target and its (selected) included projects."""
    listing = listing_calls(install, STEP, params["project_source"], hashed=False)
    catalog = Catalog(install, STEP, params["project_source"], values[:len(listing)])
    main = catalog.target(params["project"])
    _refuse_protected([main.name], "the current project")
    previous = {str(e["path"]).lower() for e in values[-1]["entries"]
                if e["dir"] and like(str(e["path"]), PREVIOUS_COPIES)}
    names = [main.name] + list(params["include_projects"]) if params["include_projects"] is not None \
        else catalog.closure(main.name)
    rolled = []
    for name in names:
        project = catalog.projects.get(name.lower())
        if _archive.is_protected(name) or project is None \
                or f"{ntpath.basename(project.path)}{PREVIOUS_SUFFIX}".lower() not in previous:
            continue
        rolled.append(project)
    if rolled and not check:
        action.verbs(STEP, [verbs.folders_restore_previous([p.path for p in rolled])])
    return {"changed": bool(rolled), "state": "rolled_back", "project": main.name,
            "rolled_back": [p.name for p in rolled]}
