# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PowerShell's ``-like`` on the controller, so the patterns users know keep their meaning.

``*`` any run, ``?`` one character, ``[abc]`` / ``[a-c]`` one of a set, case-insensitive, the
whole text (Microsoft, about_Wildcards). A ``[`` without its ``]`` matches itself.
"""

from __future__ import annotations

import re


def like(text: str, pattern: str) -> bool:
    """Whether ``text -like pattern`` is true in PowerShell."""
    return re.fullmatch(_regex(pattern), text, re.I | re.S) is not None


def _regex(pattern: str) -> str:
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[" and "]" in pattern[index + 1:]:
            end = pattern.index("]", index + 1)
            members = pattern[index + 1:end]
            out.append("[" + "".join("\\" + c if c in "\\^" else c for c in members) + "]"
                       if members else re.escape("[]"))
            index = end
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)
