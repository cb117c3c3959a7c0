# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An argument list as one Windows command line, by the rules CommandLineToArgvW and the C
runtime parse it back with (Microsoft, "Parsing C command-line arguments"), so each element
reaches the program as exactly one argument and no shell ever reads the values."""

from __future__ import annotations

import typing as t

_NEEDS_QUOTES = " \t\n\v\""


def quote(value: str) -> str:
    """One argument: as it is without space, tab or quote; else quoted, with backslashes
    doubled before a quote and before the closing quote."""
    if value and not any(c in value for c in _NEEDS_QUOTES):
        return value
    out, backslashes = ['"'], 0
    for char in value:
        if char == "\\":
            backslashes += 1
            continue
        if char == '"':
            out.append("\\" * (2 * backslashes + 1) + '"')
        else:
            out.append("\\" * backslashes + char)
        backslashes = 0
    out.append("\\" * (2 * backslashes) + '"')
    return "".join(out)


def command_line(arguments: t.Sequence[str]) -> str:
    """The arguments (without the program) joined as one command line."""
    return " ".join(quote(str(a)) for a in arguments)
