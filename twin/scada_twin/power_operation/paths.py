"""Relative paths inside a project: one spelling for the spec, the store and archives."""

from __future__ import annotations

import ntpath

from .errors import PowerOperationError


def relative_path(path: str) -> str:
    """``path`` with ``\\`` separators, no leading/trailing separator; refuses escapes."""
    text = str(path).replace("/", "\\").strip("\\")
    parts = text.split("\\")
    if not text or ntpath.splitdrive(text)[0] or ".." in parts or "" in parts:
        raise PowerOperationError(f"{path!r} is not a relative path inside a project")
    return text
