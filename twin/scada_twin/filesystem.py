"""A Windows-like file system held in memory: drive-letter paths, case-insensitive names.

Operation handlers and ansible's put_file/fetch_file work on it. Free space is accounted, so
"disk full" is a real condition (and an injectable fault), not a flag the handlers fake.

A file being appended to is held in a growing buffer until it is next read, so a transfer
written in many chunks costs the twin one copy of the file, not one per chunk: that quadratic
copying is a cost of the simulator, and would otherwise count against whichever client sends
smaller chunks in the benchmarks.
"""

from __future__ import annotations

import hashlib
import ntpath
import threading
from typing import Callable, Iterator

from .wallclock import round_trip_now


class FileSystemError(OSError):
    """A path problem a real Windows host would report (not found, is a directory, ...)."""


class DiskFullError(FileSystemError):
    def __init__(self, path: str) -> None:
        super().__init__(f"There is not enough space on the disk. ({path})")


#: Characters no Windows file or folder name may hold, besides control characters (Microsoft,
#: "Naming Files, Paths, and Namespaces").
FORBIDDEN_CHARACTERS = set('<>:"|?*')
#: Device names Windows reserves, with or without an extension (same page).
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
#: MAX_PATH: .NET Framework 4.x refuses longer paths unless long paths are enabled, which the
#: twin's hosts (as Windows Server's defaults) are not (Microsoft, "Maximum Path Length Limitation").
MAX_PATH = 260


def normalize(path: str) -> str:
    """Canonical absolute form: backslashes, no trailing separator, '..' resolved, and each
    name's trailing dots and spaces removed, as Win32 does when it resolves a path.

    Raises FileSystemError for a relative path: the twin has no current directory.
    """
    path = path.replace("/", "\\")
    drive, rest = ntpath.splitdrive(path)
    if not drive or not rest.startswith("\\"):
        raise FileSystemError(f"Path is not absolute: {path}")
    names = [name.rstrip(". ") if name not in (".", "..") else name for name in rest.split("\\")]
    return ntpath.normpath(drive.upper() + "\\".join(names))


def check_new_name(path: str) -> None:
    """What Windows refuses when a file or folder is created at ``path``."""
    if len(path) >= MAX_PATH:
        raise FileSystemError("The specified path, file name, or both are too long. The fully qualified "
                              "file name must be less than 260 characters, and the directory name must "
                              f"be less than 248 characters. ({path})")
    for name in ntpath.splitdrive(path)[1].split("\\"):
        if set(name) & FORBIDDEN_CHARACTERS or any(ord(c) < 32 for c in name):
            raise FileSystemError(f"The filename, directory name, or volume label syntax is incorrect. ('{path}')")
        if name.split(".")[0].strip().lower() in RESERVED_NAMES:
            raise FileSystemError(f"'{name}' is a name Windows reserves for a device. ('{path}')")


def _key(path: str) -> str:
    return normalize(path).lower()


class FileSystem:
    def __init__(self, capacity_bytes: int, free_bytes: int,
                 disk_full: Callable[[], bool] = lambda: False) -> None:
        self._lock = threading.RLock()
        # key -> (display path, content); a bytearray while appends keep growing it
        self._files: dict[str, tuple[str, bytes | bytearray]] = {}
        self._dirs: dict[str, str] = {}
        # key -> last write time, as FileSystemInfo.LastWriteTimeUtc.ToString('o') prints it
        self._modified: dict[str, str] = {}
        self.capacity_bytes = capacity_bytes
        self._baseline_used = capacity_bytes - free_bytes
        self._disk_full = disk_full

    # -- queries -------------------------------------------------------------------------
    @property
    def free_bytes(self) -> int:
        with self._lock:
            used = sum(len(c) for _, c in self._files.values())
            return max(0, self.capacity_bytes - self._baseline_used - used)

    def is_file(self, path: str) -> bool:
        with self._lock:
            return _key(path) in self._files

    def is_dir(self, path: str) -> bool:
        key = _key(path)
        with self._lock:
            return key in self._dirs or ntpath.splitdrive(normalize(path))[1] == "\\"

    def exists(self, path: str) -> bool:
        return self.is_file(path) or self.is_dir(path)

    def read(self, path: str) -> bytes:
        with self._lock:
            key = _key(path)
            display, content = self._entry(path)
            if isinstance(content, bytearray):  # appends are over until the next one
                content = bytes(content)
                self._files[key] = (display, content)
            return content

    def size(self, path: str) -> int:
        with self._lock:
            return len(self._entry(path)[1])

    def _entry(self, path: str) -> tuple[str, bytes | bytearray]:
        try:
            return self._files[_key(path)]
        except KeyError:
            if self.is_dir(path):
                raise FileSystemError(f"Access to the path '{path}' is denied.") from None
            raise FileSystemError(f"Could not find file '{path}'.") from None

    def sha256(self, path: str) -> str:
        return hashlib.sha256(self.read(path)).hexdigest()

    def modified(self, path: str) -> str:
        """When a file was last written or a folder created (UTC, round-trip format)."""
        with self._lock:
            if not self.exists(path):
                raise FileSystemError(f"Could not find file '{path}'.")
            return self._modified.get(_key(path), "2026-01-01T00:00:00.0000000Z")

    def listdir(self, path: str) -> list[str]:
        """Display names of the direct children of a directory."""
        prefix = _key(path).rstrip("\\") + "\\"
        with self._lock:
            if not self.is_dir(path):
                raise FileSystemError(f"Could not find a part of the path '{path}'.")
            names = set()
            for key, display in list(self._files.items()) + [(k, (v, b"")) for k, v in self._dirs.items()]:
                if key.startswith(prefix) and "\\" not in key[len(prefix):]:
                    names.add(ntpath.basename(display[0]))
            return sorted(names, key=str.lower)

    def walk_files(self, path: str) -> Iterator[str]:
        """Display paths of every file below ``path``, sorted."""
        prefix = _key(path).rstrip("\\") + "\\"
        with self._lock:
            found = [d for k, (d, _) in self._files.items() if k.startswith(prefix)]
        yield from sorted(found, key=str.lower)

    # -- changes -------------------------------------------------------------------------
    def mkdir(self, path: str) -> None:
        path = normalize(path)
        check_new_name(path)
        with self._lock:
            if _key(path) in self._files:
                raise FileSystemError(f"A file exists at '{path}'.")
            current = path
            while ntpath.splitdrive(current)[1] not in ("\\", ""):
                if current.lower() not in self._dirs:
                    self._dirs[current.lower()] = current
                    self._modified[current.lower()] = round_trip_now()
                current = ntpath.dirname(current)

    def write(self, path: str, content: bytes) -> None:
        path = normalize(path)
        check_new_name(path)
        with self._lock:
            if self.is_dir(path):
                raise FileSystemError(f"Access to the path '{path}' is denied.")
            previous = len(self._files.get(path.lower(), ("", b""))[1])
            if self._disk_full() or len(content) - previous > self.free_bytes:
                raise DiskFullError(path)
            self.mkdir(ntpath.dirname(path))
            self._files[path.lower()] = (path, bytes(content))
            self._modified[path.lower()] = round_trip_now()

    def append(self, path: str, content: bytes) -> None:
        """Add ``content`` at the end of the file (created when missing), in place."""
        with self._lock:
            key = _key(path)
            if key not in self._files:
                self.write(path, content)
                return
            if self._disk_full() or len(content) > self.free_bytes:
                raise DiskFullError(normalize(path))
            display, existing = self._files[key]
            if not isinstance(existing, bytearray):
                existing = bytearray(existing)
                self._files[key] = (display, existing)
            existing += content
            self._modified[key] = round_trip_now()

    def rename(self, source: str, target: str) -> None:
        """Directory.Move / File.Move on one volume: the file or the folder with everything in
        it takes the new name; no space is needed and write times stay (Microsoft,
        "Directory.Move": IOException when the destination exists)."""
        source, target = normalize(source), normalize(target)
        check_new_name(target)
        with self._lock:
            if not self.exists(source):
                raise FileSystemError(f"Could not find a part of the path '{source}'.")
            if self.exists(target):
                raise FileSystemError(f"Cannot create '{target}' because a file or directory "
                                      f"with the same name already exists.")
            self.mkdir(ntpath.dirname(target))
            old, new = _key(source), target
            prefix = old.rstrip("\\") + "\\"
            for table in (self._files, self._dirs, self._modified):
                for key in [k for k in table if k == old or k.startswith(prefix)]:
                    value = table.pop(key)
                    moved = new + key[len(old):]  # the display name's case after the new name
                    if table is self._files:
                        display = value[0]
                        value = (new + display[len(source):], value[1])
                    elif table is self._dirs:
                        value = new + value[len(source):]
                    table[moved.lower()] = value

    def remove(self, path: str, recurse: bool = False) -> None:
        key = _key(path)
        with self._lock:
            if key in self._files:
                del self._files[key]
                self._modified.pop(key, None)
                return
            if not self.is_dir(path):
                raise FileSystemError(f"Cannot find path '{path}' because it does not exist.")
            prefix = key.rstrip("\\") + "\\"
            inside = [k for k in list(self._files) + list(self._dirs) if k.startswith(prefix)]
            if inside and not recurse:
                raise FileSystemError(f"The directory '{path}' is not empty.")
            for k in inside:
                self._files.pop(k, None)
                self._dirs.pop(k, None)
                self._modified.pop(k, None)
            self._dirs.pop(key, None)
            self._modified.pop(key, None)
