"""What lib/po_install.ps1 and lib/ini.ps1 do on a host, modelled on the twin's host state.

The real scripts read the registry, citect.ini and the project folders; these helpers read the
same things from the twin host (registry, file system), never from the model's own
bookkeeping, so a test that damages a host sees what a real script would see. The
``graphics_builder`` project source asks the product's project list instead (Graphics
Builder's ProjectFirst/ProjectNext), which the model's project store is.
"""

from __future__ import annotations

import dataclasses
import ntpath
from typing import TYPE_CHECKING, Any, Iterator

from ..filesystem import FileSystemError, normalize
from ..power_operation.graphics_builder import GraphicsBuilder, listed
from ..power_operation import content, fingerprint, ini
from ..power_operation.install import CTEDIT
from . import OperationError

if TYPE_CHECKING:
    from ..host import Host
    from ..power_operation import PowerOperation

FOLDER_KEYS = {"user": "User", "config": "Config", "data": "Data", "backup": "Backup",
               "logs": "Logs", "bin": "Bin", "copy": "Copy", "deploy": "Deploy"}
EXCLUDED_SUFFIX = ".previous"   # lib/po_install.ps1 $PoProjectFolderExclusions
SOURCES = ("folders", "graphics_builder")
BACKSLASH = "\\"


@dataclasses.dataclass
class Install:
    po: "PowerOperation"
    version: str
    ini_path: str
    bin_folder: str
    paths: dict[str, str | None]
    run_path: str | None

    def ini(self) -> ini.IniDocument:
        return ini.load(self.po.install.fs, self.ini_path)


@dataclasses.dataclass(frozen=True)
class Entry:
    name: str
    path: str
    includes: tuple[str, ...]


def find_install(host: "Host") -> Install | None:
    """Get-PoInstall: registry, first subkey, then citect.ini; None when not installed."""
    po = host.power_operation
    found = po.discover() if po is not None else None
    if po is None or found is None:
        return None
    if not host.fs.is_file(found.ini_path):
        raise OperationError(f"Power Operation {found.key_name} is registered, but its "
                             f"citect.ini ('{found.ini_path}') does not exist", "broken_install")
    document = ini.load(host.fs, found.ini_path)
    paths = {name: document.get(CTEDIT, key) or None for name, key in FOLDER_KEYS.items()}
    paths["bin"] = paths["bin"] or found.bin_folder
    return Install(po, found.key_name, found.ini_path, found.bin_folder, paths,
                   document.get(CTEDIT, "Run") or None)


def require_install(host: "Host") -> Install:
    install = find_install(host)
    if install is None:
        raise OperationError("Power Operation is not installed on this host (no SCADA Installs "
                             "registry key)", "not_installed")
    return install


def check_source(source: str) -> str:
    if source not in SOURCES:
        raise OperationError(f"project_source must be one of {', '.join(SOURCES)}",
                             "invalid_parameter")
    return source


def user_folder(install: Install) -> str:
    if install.paths["user"]:
        return install.paths["user"].rstrip("\\")
    if install.run_path:
        return ntpath.dirname(install.run_path.rstrip("\\"))
    raise OperationError(f"citect.ini ({install.ini_path}) names neither [CtEdit]User nor "
                         f"[CtEdit]Run: the projects folder is unknown", "broken_install")


def catalog(host: "Host", install: Install, source: str) -> dict[str, Entry]:
    """Get-PoProjectCatalog: lower-case name -> entry, sorted by name."""
    user = user_folder(install)
    found: dict[str, list[str]] = {}
    if check_source(source) == "graphics_builder":
        # lib/graphics_builder.ps1: the First/Next lists, each ending with E_FAIL.
        application = GraphicsBuilder(install.po.projects, install.po.compiler)
        for name in listed(application.ProjectFirst, application.ProjectNext):
            application.ProjectSelect(name)
            found[name] = listed(application.ProjectFirstInclude, application.ProjectNextInclude)
    elif host.fs.is_dir(user):
        for name in host.fs.listdir(user):
            folder = f"{user}\\{name}"
            if (host.fs.is_dir(folder) and not name.lower().endswith(EXCLUDED_SUFFIX)
                    and any(f.lower().endswith(".dbf") for f in _top_files(host, folder))):
                found[name] = _includes(host, f"{folder}\\{content.INCLUDE_FILE}")
    return {name.lower(): Entry(name, f"{user}\\{name}", tuple(found[name]))
            for name in sorted(found, key=str.lower)}


def resolve(entries: dict[str, Entry], name: str) -> Entry:
    try:
        return entries[name.lower()]
    except KeyError:
        raise OperationError(f"project '{name}' does not exist on this server",
                             "not_found") from None


def closure(entries: dict[str, Entry], name: str) -> list[str]:
    """Get-PoProjectClosure: depth first in include order, each once."""
    order: list[str] = []
    pending = [resolve(entries, name).name]
    while pending:
        current = pending.pop(0)
        if current.lower() in {o.lower() for o in order}:
            continue
        order.append(current)
        entry = entries.get(current.lower())
        if entry is not None:
            pending[:0] = [entries[i.lower()].name if i.lower() in entries else i
                           for i in entry.includes]
    return order


def run_entry(install: Install, entries: dict[str, Entry]) -> Entry | None:
    if not install.run_path:
        return None
    try:
        run = normalize(install.run_path).lower()
    except FileSystemError:
        return None
    return next((e for e in entries.values() if normalize(e.path).lower() == run), None)


def target_entry(install: Install, entries: dict[str, Entry], name: str) -> Entry:
    """The project an operation acts on: the one named, else the current one ([CtEdit]Run)."""
    if name:
        return resolve(entries, name)
    run = run_entry(install, entries)
    if run is None:
        raise OperationError(f"[CtEdit]Run ('{install.run_path}') names no project on this server; "
                             f"name the project with the 'project' option", "not_found")
    return run


def project_fingerprint(host: "Host", folder: str) -> str:
    return fingerprint.project_fingerprint(
        (path[len(folder) + 1:], host.fs.read(path)) for path in host.fs.walk_files(folder))


def set_fingerprint(host: "Host", entries: dict[str, Entry], names: list[str],
                    cache: dict[str, str]) -> str:
    """Get-PoSetFingerprint: names that are not projects count as empty projects."""
    for name in names:
        if name.lower() not in cache:
            entry = entries.get(name.lower())
            cache[name.lower()] = (project_fingerprint(host, entry.path) if entry
                                   else fingerprint.project_fingerprint([]))
    return fingerprint.set_fingerprint({n: cache[n.lower()] for n in names})


def _top_files(host: "Host", folder: str) -> Iterator[str]:
    if not host.fs.is_dir(folder):
        return iter(())
    return (n for n in host.fs.listdir(folder) if host.fs.is_file(f"{folder}\\{n}"))


def _includes(host: "Host", path: str) -> list[str]:
    """Read-PoIncludeFile for the twin's text include lists."""
    return content.parse_includes(host.fs.read(path)) if host.fs.is_file(path) else []


def file_error(exc: FileSystemError) -> OperationError:
    """A file-system failure as the real script reports it."""
    return OperationError(str(exc), "io_error")
