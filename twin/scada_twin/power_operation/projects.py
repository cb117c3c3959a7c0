"""The projects on one host: folders of real files under the ``[CtEdit]User`` folder.

Which names are projects is the store's registry (the product keeps its own project list; a
folder alone is not a project). Everything else lives in the host's file system, so what a
handler reads, archives or fingerprints is exactly what is on the disk, including changes
made by other routes (ansible's put_file, a restore).
"""

from __future__ import annotations

import threading
from typing import Iterable, Mapping

from ..filesystem import FileSystem, normalize
from ..timeline import Timeline
from . import content, fingerprint
from .errors import ProjectNotFound
from .paths import relative_path


class ProjectStore:
    def __init__(self, fs: FileSystem, user_folder: str, timeline: Timeline,
                 host_name: str) -> None:
        self.fs = fs
        self.user_folder = normalize(user_folder)
        self._timeline = timeline
        self._host = host_name
        self._lock = threading.RLock()
        self._names: dict[str, str] = {}  # lower-case -> display name

    # -- the project list ------------------------------------------------------------------
    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._names.values(), key=str.lower)

    def exists(self, name: str) -> bool:
        with self._lock:
            return name.lower() in self._names

    def canonical(self, name: str) -> str:
        """The registered spelling of ``name``; ProjectNotFound when there is none."""
        with self._lock:
            try:
                return self._names[name.lower()]
            except KeyError:
                raise ProjectNotFound(f"project {name!r} does not exist on this server") from None

    def register(self, name: str) -> None:
        with self._lock:
            self._names.setdefault(name.lower(), name)
            self.fs.mkdir(self.path(name))

    def unregister(self, name: str) -> None:
        with self._lock:
            self._names.pop(name.lower(), None)

    def path(self, name: str) -> str:
        """The project folder (the registered spelling when registered)."""
        with self._lock:
            return f"{self.user_folder}\\{self._names.get(name.lower(), name)}"

    def project_for_path(self, path: str) -> str | None:
        """The registered project whose folder is ``path`` (as ``[CtEdit]Run`` names it)."""
        try:
            key = normalize(path).lower()
        except OSError:
            return None
        with self._lock:
            return next((n for n in self._names.values() if self.path(n).lower() == key), None)

    # -- includes --------------------------------------------------------------------------
    def includes(self, name: str) -> list[str]:
        """Directly included project names, as ``include.DBF`` lists them."""
        path = f"{self.path(self.canonical(name))}\\{content.INCLUDE_FILE}"
        return content.parse_includes(self.fs.read(path)) if self.fs.is_file(path) else []

    def closure(self, name: str) -> list[str]:
        """``name`` and everything it includes, transitively, each once, depth first.

        Included names that are not registered are kept as written, so a compile can report
        them; their own includes are unknown.
        """
        order: list[str] = []
        pending = [self.canonical(name)]
        while pending:
            current = pending.pop(0)
            if current.lower() in {o.lower() for o in order}:
                continue
            order.append(current)
            if self.exists(current):
                pending[:0] = [self.canonical(i) if self.exists(i) else i
                               for i in self.includes(current)]
        return order

    # -- files -----------------------------------------------------------------------------
    def files(self, name: str, include_volatile: bool = False) -> list[str]:
        """Relative paths of the project's files, sorted case-insensitively."""
        folder = self.path(self.canonical(name))
        found = [p[len(folder) + 1:] for p in self.fs.walk_files(folder)]
        return sorted((p for p in found if include_volatile or not fingerprint.is_volatile(p)),
                      key=str.lower)

    def read(self, name: str, relative: str) -> bytes:
        return self.fs.read(f"{self.path(self.canonical(name))}\\{relative_path(relative)}")

    def contents(self, name: str, include_volatile: bool = False) -> dict[str, bytes]:
        return {p: self.read(name, p) for p in self.files(name, include_volatile)}

    def size(self, names: Iterable[str]) -> int:
        """Bytes of source (non-volatile) content of the registered projects among ``names``."""
        return sum(len(c) for n in names if self.exists(n) for c in self.contents(n).values())

    def fingerprint(self, name: str) -> str:
        """The project's content fingerprint (see :mod:`.fingerprint`)."""
        return fingerprint.project_fingerprint(self.contents(name).items())

    def set_fingerprint(self, names: Iterable[str]) -> str:
        """Fingerprint of several projects together; unregistered names count as empty."""
        return fingerprint.set_fingerprint({
            n: self.fingerprint(n) if self.exists(n) else fingerprint.project_fingerprint([])
            for n in names})

    # -- changes ---------------------------------------------------------------------------
    def create(self, name: str, files: Mapping[str, bytes]) -> None:
        """Register a project and write its files (no timeline event: plant set-up)."""
        self.register(name)
        for relative, data in files.items():
            self.fs.write(f"{self.path(name)}\\{relative_path(relative)}", data)

    def apply_change(self, name: str, changes: Mapping[str, bytes | None],
                     reason: str = "change") -> str:
        """Write (bytes) or delete (None) files; one ``po.project.changed`` event.

        Returns the project's fingerprint after the change.
        """
        name = self.canonical(name)
        folder = self.path(name)
        written, removed = [], []
        with self._lock:
            for relative, data in changes.items():
                path = f"{folder}\\{relative_path(relative)}"
                if data is None:
                    if self.fs.is_file(path):
                        self.fs.remove(path)
                        removed.append(relative_path(relative))
                else:
                    self.fs.write(path, data)
                    written.append(relative_path(relative))
            after = self.fingerprint(name)
        self._timeline.record(self._host, "po.project.changed", project=name, reason=reason,
                              written=written, removed=removed, fingerprint=after)
        return after
