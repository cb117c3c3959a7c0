"""Content fingerprints of projects: equal fingerprints mean equal project sources.

The collection's PowerShell computes the same values on real hosts, so the algorithm is
fixed here, byte for byte.

Project fingerprint (one project folder):

1. Take every file below the project folder, recursively. Its *relative path* is the path
   below the folder with ``\\`` separators, e.g. ``variable.DBF``, ``pages\\Overview.ctg``.
2. Leave out a file when its file name (last path component) matches one of
   :data:`VOLATILE_PATTERNS`, compared case-insensitively with ``*`` / ``?`` wildcards
   (PowerShell ``-like``): compile outputs and logs, which differ between two servers that
   hold the same sources.
3. Lower-case each relative path (``ToLowerInvariant()``) and sort the paths by ordinal
   comparison (``[StringComparer]::Ordinal``; *not* ``Sort-Object``, which is culture-aware).
4. For each file, in that order, form the line ``<sha256 of the content, 64 lower-case hex>``
   + two spaces + ``<lower-cased relative path>`` + ``"\\n"`` (LF).
5. The fingerprint is the lower-case hex SHA-256 of the UTF-8 bytes of all lines joined.
   A project without files has the SHA-256 of no bytes.

Set fingerprint (a project with its included projects, as a compile sees them): the same
construction over the lines ``<project fingerprint>  <lower-cased project name>\\n``, one per
project in the set, sorted by ordinal comparison of the lower-cased names.
"""

from __future__ import annotations

import fnmatch
import hashlib
import ntpath
from typing import Iterable, Mapping

#: File-name patterns of volatile files: compiled databases, logs, lock and temporary files.
VOLATILE_PATTERNS = ("*.rdb", "*.log", "*.lck", "*.tmp", "~*")


def is_volatile(relative_path: str) -> bool:
    name = ntpath.basename(relative_path.replace("/", "\\")).lower()
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in VOLATILE_PATTERNS)


def project_fingerprint(files: Iterable[tuple[str, bytes]]) -> str:
    """Fingerprint of (relative path, content) pairs; volatile files are left out here."""
    entries = sorted((path.replace("/", "\\").lower(), hashlib.sha256(content).hexdigest())
                     for path, content in files if not is_volatile(path))
    return _digest((digest, path) for path, digest in entries)


def set_fingerprint(fingerprints: Mapping[str, str]) -> str:
    """Fingerprint of projects given as {project name: project fingerprint}."""
    entries = sorted((name.lower(), fp) for name, fp in fingerprints.items())
    return _digest((fp, name) for name, fp in entries)


def _digest(lines: Iterable[tuple[str, str]]) -> str:
    sha = hashlib.sha256()
    for digest, name in lines:
        sha.update(f"{digest}  {name}\n".encode("utf-8"))
    return sha.hexdigest()
