# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The projects of a Power Operation server, from one listing of its projects folder.

A project is a folder ``<[CtEdit]User>\\<name>`` that holds a ``.DBF`` table, except the
``<name>.previous`` copies a restore keeps; its includes are read from ``include.DBF``, a dBASE
table (field NAME, else its first character field) or, when the file is not a table, one name
per line with ``;`` comments. With ``project_source: graphics_builder`` the product's own list
(Graphics Builder automation) names the projects and their includes instead. Included names
that are no project are kept as written, so a compile can report them.

Compiled state: a project is compiled while compiled databases (``*.RDB``) are in its folder.
The product records no fingerprint of what was compiled, so project_compile writes a marker
``<[CtEdit]Data>\\scada.redundancy\\compiled\\<project>.json`` with the set fingerprint it compiled,
right after the compile in the same batch; the marker counts only while no compiled database
(``*.RDB``) is newer than it (a later compile from the GUI, or a restore, invalidates it), and
its write time is when the project was compiled. A marker of an older collection carries a
signature of the databases instead, and counts while that signature holds.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _dbf
from ansible_collections.scada.redundancy.plugins.plugin_utils import _fingerprint
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import VerbCall
from ansible_collections.scada.redundancy.plugins.plugin_utils._citect_ini import text_lines
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._host_time import instant
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_install import Install, same_path
from ansible_collections.scada.redundancy.plugins.plugin_utils._wildcard import like

INCLUDE_FILE = "include.DBF"
PREVIOUS_COPIES = "*.previous"
SOURCES = ("folders", "graphics_builder")
MARKER_FOLDER = "compiled"


@dataclasses.dataclass(frozen=True)
class Project:
    name: str
    path: str
    includes: tuple[str, ...]
    #: relative path below the project folder -> the listing's entry (files only)
    files: t.Mapping[str, t.Mapping[str, t.Any]]


def listing_calls(install: Install, step: str, source: str, hashed: bool) -> list[VerbCall]:
    """The calls :class:`Catalog` reads: the projects folder (every file hashed with
    ``hashed``: fingerprints need it, and one listing of all projects costs one PowerShell
    where a listing per project after the catalog would cost two), the markers (where
    [CtEdit]Data is set), and with ``graphics_builder`` the product's list."""
    calls = [verbs.tree_list(install.user_folder(step), depth=-1 if hashed else 2, sha256=hashed,
                             read=(INCLUDE_FILE,), skip=(PREVIOUS_COPIES,))]
    markers = install.records_path(MARKER_FOLDER)
    if markers:
        calls.append(verbs.tree_list(markers, read=("*.json",)))
    if source == "graphics_builder":
        calls.append(verbs.gb_projects())
    return calls


class Catalog:
    """The projects (lower-case name -> :class:`Project`, sorted by name) and their markers."""

    def __init__(self, install: Install, step: str, source: str,
                 values: t.Sequence[t.Any]) -> None:
        """``values``: the answers of :func:`listing_calls` with the same arguments."""
        self.install, self.step = install, step
        self.user = install.user_folder(step)
        values = list(values)
        listing = values.pop(0)
        markers = values.pop(0) if install.records_path(MARKER_FOLDER) else {"entries": []}
        product = values.pop(0) if source == "graphics_builder" else None
        by_project: dict[str, dict[str, dict[str, t.Any]]] = {}
        folders: dict[str, str] = {}
        for entry in listing["entries"]:
            top, dummy, rest = str(entry["path"]).partition("\\")
            if not rest:
                if entry["dir"] and not like(top, PREVIOUS_COPIES):
                    folders[top.lower()] = top
                continue
            if not entry["dir"]:
                by_project.setdefault(top.lower(), {})[rest] = entry
        if product is not None:
            found = {str(p["name"]): tuple(str(i) for i in p["includes"] or ())
                     for p in product["projects"]}
        else:
            found = {name: self._includes(by_project.get(key, {}))
                     for key, name in folders.items()
                     if any(n.lower().endswith(".dbf") and "\\" not in n
                            for n in by_project.get(key, {}))}
        self.projects = {name.lower(): Project(name, f"{self.user}\\{name}", found[name],
                                               by_project.get(name.lower(), {}))
                         for name in sorted(found, key=str.upper)}
        self._markers = {str(e["path"]).lower(): e for e in markers["entries"]
                         if not e["dir"] and e["base64"]}

    def _includes(self, files: t.Mapping[str, t.Mapping[str, t.Any]]) -> tuple[str, ...]:
        entry = next((e for n, e in files.items() if n.lower() == INCLUDE_FILE.lower()), None)
        if entry is None or not entry["base64"]:
            return ()
        data = base64.b64decode(entry["base64"])
        if _dbf.layout(data) is not None:
            return tuple(_dbf.column(data, "NAME", self.install.ansi))
        return tuple(line.strip() for line in text_lines(data, self.install.ansi)
                     if line.strip() and not line.strip().startswith(";"))

    def resolve(self, name: str) -> Project:
        """The project of that name (any letter case), or a ``not_found`` failure."""
        project = self.projects.get(name.lower())
        if project is None:
            raise OperationFailed(self.step, f"project '{name}' does not exist on this server",
                                  "not_found")
        return project

    def run_project(self) -> Project | None:
        """The project whose folder [CtEdit]Run names."""
        return next((p for p in self.projects.values()
                     if same_path(p.path, self.install.run_path)), None)

    def target(self, name: str) -> Project:
        """The project an operation acts on: the one named, else the [CtEdit]Run project."""
        if name:
            return self.resolve(name)
        project = self.run_project()
        if project is None:
            raise OperationFailed(self.step, f"[CtEdit]Run ('{self.install.run_path}') names no "
                                             f"project on this server; name the project with the "
                                             f"'project' option", "not_found")
        return project

    def closure(self, name: str) -> list[str]:
        """The project and everything it includes, transitively, each once, depth first in
        include order: the set a compile sees."""
        order: list[str] = []
        pending = [self.resolve(name).name]
        while pending:
            current = pending.pop(0)
            if current.lower() in {n.lower() for n in order}:
                continue
            order.append(current)
            project = self.projects.get(current.lower())
            if project is not None:
                pending[:0] = [self.projects[i.lower()].name if i.lower() in self.projects else i
                               for i in project.includes]
        return order

    def fingerprint(self, name: str) -> str:
        """A project's fingerprint; a name that is no project counts as an empty project."""
        project = self.projects.get(name.lower())
        if project is None:
            return _fingerprint.EMPTY
        missing = [p for p, e in project.files.items() if not e["sha256"]]
        if missing:
            raise ValueError(f"the listing of {name} has no hashes")
        return _fingerprint.project_fingerprint(
            (path, str(entry["sha256"])) for path, entry in project.files.items())

    def set_fingerprint(self, names: t.Iterable[str]) -> str:
        return _fingerprint.set_fingerprint({name: self.fingerprint(name) for name in names})

    def compiled(self, project: Project) -> bool:
        return any(_compiled_output(path) for path in project.files)

    def marker(self, project: Project) -> dict[str, t.Any] | None:
        """What project_compile recorded, while the compiled databases are the ones it wrote."""
        entry = self._markers.get(f"{project.name.lower()}.json")
        if entry is None or not self.compiled(project):
            return None
        try:
            marker = json.loads(base64.b64decode(entry["base64"]))
        except ValueError:
            return None
        if not isinstance(marker, dict):
            return None
        if "outputs_signature" in marker:  # an older collection's marker
            valid = marker["outputs_signature"] == outputs_signature(project.files)
        else:
            try:
                written = instant(str(entry["modified"]))
                valid = all(instant(str(e["modified"])) <= written
                            for path, e in project.files.items() if _compiled_output(path))
            except ValueError:
                valid = False
            marker.setdefault("compiled_at", entry["modified"])
        return marker if valid else None

    def marker_path(self, project: Project) -> str | None:
        return self.install.records_path(MARKER_FOLDER, f"{project.name.lower()}.json")


def outputs_signature(files: t.Mapping[str, t.Mapping[str, t.Any]]) -> str:
    """A digest of the compiled databases' names, sizes and write times, from a project
    folder's listing (relative path -> ``tree_list`` entry)."""
    lines = sorted(f"{path.lower()}|{e['size']}|{e['modified']}"
                   for path, e in files.items() if _compiled_output(path))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _compiled_output(path: str) -> bool:
    return "\\" not in path and path.lower().endswith(".rdb")
