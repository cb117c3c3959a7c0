"""What a project backup holds: the entries a ``.ctz`` (a zip archive) is built from.

The vendor's Backup dialog offers "Save Included Projects", "Save sub-directories" and "Save
configuration files"; :func:`backup_entries` takes the same three choices. The zip itself is
the handler's (or the collection's) business; each entry says which project it belongs to,
its path inside the project, and its bytes. Configuration files (``citect.ini``) belong to no
project. Volatile files (compile outputs, logs; see :mod:`.fingerprint`) are left out unless
asked for, as a restore is always followed by a compile.
"""

from __future__ import annotations

import dataclasses
import ntpath

from ..filesystem import FileSystem
from .projects import ProjectStore

CONFIG_FOLDER = "Config"


@dataclasses.dataclass(frozen=True)
class ArchiveEntry:
    project: str | None  # None: a configuration file
    path: str            # relative to the project folder (or the file name, for config files)
    content: bytes

    @property
    def archive_path(self) -> str:
        """Suggested name inside the archive: ``<project>\\<path>`` or ``Config\\<name>``."""
        return f"{self.project or CONFIG_FOLDER}\\{self.path}"


def backup_entries(store: ProjectStore, project: str, *, include_included: bool = True,
                   include_subdirectories: bool = True, config_files: tuple[str, ...] = (),
                   fs: FileSystem | None = None, include_volatile: bool = False,
                   exclude: tuple[str, ...] = ()) -> list[ArchiveEntry]:
    """Entries of a backup of ``project``.

    ``config_files`` are absolute paths (e.g. the citect.ini path) read from ``fs``;
    ``exclude`` names projects to leave out (case-insensitive). Included projects that are not
    registered on the host are skipped, as the vendor's backup has nothing to save for them.
    """
    names = store.closure(project) if include_included else [store.canonical(project)]
    skip = {e.lower() for e in exclude}
    entries = [ArchiveEntry(name, path, store.read(name, path))
               for name in names if store.exists(name) and name.lower() not in skip
               for path in store.files(name, include_volatile)
               if include_subdirectories or "\\" not in path]
    if config_files:
        if fs is None:
            raise ValueError("config_files needs the host's file system")
        entries += [ArchiveEntry(None, ntpath.basename(p), fs.read(p)) for p in config_files]
    return entries


def by_project(entries: list[ArchiveEntry]) -> dict[str, dict[str, bytes]]:
    """Group project entries as {project: {path: content}}, the shape a restore takes."""
    grouped: dict[str, dict[str, bytes]] = {}
    for entry in entries:
        if entry.project is not None:
            grouped.setdefault(entry.project, {})[entry.path] = entry.content
    return grouped
