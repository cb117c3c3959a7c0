"""PowerShell's ``-like`` as the twin's models apply it: ``*``, ``?`` and ``[set]``, whole
text, case-insensitive (Microsoft, about_Wildcards)."""

from __future__ import annotations

import fnmatch


def like(text: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(text.lower(), pattern.lower())
