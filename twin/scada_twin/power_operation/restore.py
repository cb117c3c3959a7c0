"""Restoring file sets into projects, one project at a time, with the previous content kept.

A restore swaps a project's folder: the current content (compile outputs included) moves to
``<User>\\<Project>.previous`` and the restored files take its place; if the move fails
(disk full) nothing has changed. Until :meth:`ProjectSwap.discard_previous`, the swap can
be undone with :meth:`ProjectSwap.rollback`, which also removes a project the restore created.
One previous generation per project: a second swap before discarding or rolling back is
refused rather than losing the only way back.

Timeline: ``po.project.swap`` {project, action: swap_in | rollback | discard, created}, plus
the ``po.project.changed`` event of the write itself.
"""

from __future__ import annotations

import threading
from typing import Mapping

from ..filesystem import FileSystem
from ..timeline import Timeline
from .errors import RestoreError
from .projects import ProjectStore

PREVIOUS_SUFFIX = ".previous"


class ProjectSwap:
    def __init__(self, store: ProjectStore, fs: FileSystem, timeline: Timeline,
                 host_name: str) -> None:
        self._store = store
        self._fs = fs
        self._timeline = timeline
        self._host = host_name
        self._lock = threading.Lock()
        self._existed: dict[str, bool] = {}  # lower-case name -> project existed before

    def previous_path(self, project: str) -> str:
        return self._store.path(project) + PREVIOUS_SUFFIX

    def has_previous(self, project: str) -> bool:
        with self._lock:
            return project.lower() in self._existed

    def swap_in(self, project: str, files: Mapping[str, bytes]) -> str:
        """Replace the project's content by ``files`` (creating the project if needed).

        Returns the project's fingerprint after the swap.
        """
        with self._lock:
            if project.lower() in self._existed:
                raise RestoreError(f"project {project!r} already has a previous generation; "
                                   f"roll back or discard it first")
            existed = self._store.exists(project)
            if existed:
                project = self._store.canonical(project)
                self._move(self._store.path(project), self.previous_path(project))
            self._existed[project.lower()] = existed
            self._record(project, "swap_in", created=not existed)
            self._store.register(project)
        return self._store.apply_change(project, files, reason="restore")

    def rollback(self, project: str) -> None:
        """Put the previous content back; a project the swap created disappears."""
        with self._lock:
            existed = self._previous(project)
            project = self._store.canonical(project)
            if self._fs.is_dir(self._store.path(project)):
                self._fs.remove(self._store.path(project), recurse=True)
            if existed:
                self._move(self.previous_path(project), self._store.path(project))
            else:
                self._store.unregister(project)
            del self._existed[project.lower()]  # only now: a failed rollback can be retried
            self._record(project, "rollback", created=not existed)

    def discard_previous(self, project: str) -> None:
        """Keep the restored content for good: delete the previous generation."""
        with self._lock:
            existed = self._previous(project)
            if existed and self._fs.is_dir(self.previous_path(project)):
                self._fs.remove(self.previous_path(project), recurse=True)
            del self._existed[project.lower()]
            self._record(self._store.canonical(project), "discard", created=not existed)

    def _previous(self, project: str) -> bool:
        """Whether the project existed before its swap; RestoreError when there was none."""
        try:
            return self._existed[project.lower()]
        except KeyError:
            raise RestoreError(f"project {project!r} has no previous generation") from None

    def _move(self, source: str, target: str) -> None:
        """Copy, then delete the source: a failure (disk full) leaves the source intact.

        A real rename needs no space; the twin's file system has no rename, so a move briefly
        counts the project twice.
        """
        files = {p[len(source) + 1:]: self._fs.read(p) for p in self._fs.walk_files(source)}
        try:
            self._fs.mkdir(target)
            for relative, data in files.items():
                self._fs.write(f"{target}\\{relative}", data)
        except OSError:
            self._fs.remove(target, recurse=True)
            raise
        self._fs.remove(source, recurse=True)

    def _record(self, project: str, action: str, created: bool) -> None:
        self._timeline.record(self._host, "po.project.swap", project=project, action=action,
                              created=created)
