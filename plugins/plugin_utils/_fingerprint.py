# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Content fingerprints of Power Operation projects, from a host's hashed file listing.

Equal fingerprints mean equal sources, so two servers (or a server and a backup) are compared
without copying anything. The algorithm is fixed byte for byte (docs/design.md):

- project: every file below the folder except volatile names (compile outputs, logs, locks,
  temporary files); relative paths with ``\\``, lower-cased, sorted by ordinal comparison; one
  line ``<sha256 hex>  <lower-cased path>`` + LF per file; the fingerprint is the SHA-256
  (lower-case hex) of the UTF-8 bytes of all lines.
- set: the same over lines ``<project fingerprint>  <lower-cased project name>`` + LF, sorted
  by the lower-cased names.
"""

from __future__ import annotations

import hashlib
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils._wildcard import like

#: File-name patterns (``-like``) left out of every fingerprint.
VOLATILE_PATTERNS = ("*.rdb", "*.log", "*.lck", "*.tmp", "~*")
EMPTY = hashlib.sha256(b"").hexdigest()


def is_volatile(relative_path: str) -> bool:
    """Whether a file (by its last path component) is a compile output, log, lock or temp file."""
    name = relative_path.replace("/", "\\").rsplit("\\", 1)[-1]
    return any(like(name, pattern) for pattern in VOLATILE_PATTERNS)


def project_fingerprint(files: t.Iterable[tuple[str, str]]) -> str:
    """The fingerprint of (relative path, SHA-256) pairs; volatile files are left out here."""
    lines = sorted((path.replace("/", "\\").lower(), digest)
                   for path, digest in files if not is_volatile(path))
    return _digest((digest, path) for path, digest in lines)


def set_fingerprint(fingerprints: t.Mapping[str, str]) -> str:
    """The fingerprint of projects given as {name: project fingerprint}."""
    return _digest((digest, name) for name, digest in
                   sorted((name.lower(), digest) for name, digest in fingerprints.items()))


def _digest(lines: t.Iterable[tuple[str, str]]) -> str:
    sha = hashlib.sha256()
    for digest, name in lines:
        sha.update(f"{digest}  {name}\n".encode("utf-8"))
    return sha.hexdigest()
