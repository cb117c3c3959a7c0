"""``process_run`` on a twin host: a program started directly, with a command line.

Process.Start fails with "The system cannot find the file specified" (Win32Exception 2) when
the program is not in the host's file system (Microsoft, "Process.Start"). *Twin convention*:
every program the collection runs this way is a site's engine status tool, the only kind of
program it runs through ``process_run``; the twin never runs it but answers as such a tool:
for the engine named by one of its arguments (the command line read back as
CommandLineToArgvW reads it: Microsoft, "Parsing C command-line arguments"), it prints that
engine's ``redundancy_status``, or its run-time state when it has none (``Not Deployed``,
``Shutdown`` ...), and exits 0; with no engine named it prints "engine not found" and exits 1.
"""

from __future__ import annotations

from typing import Any

from ..system_platform.errors import SystemPlatformError
from . import VerbContext, VerbError


def process_run(ctx: VerbContext, file_name: str, arguments: str, timeout: int) -> dict[str, Any]:
    host = ctx.host
    if not host.fs.is_file(file_name):
        raise VerbError("The system cannot find the file specified", None,
                        "System.ComponentModel.Win32Exception")
    node = host.system_platform
    galaxy = node.galaxy if node is not None else None
    argv = split_command_line(arguments)
    if galaxy is not None:
        for argument in argv:
            try:
                with node.lock:
                    engine = galaxy.engine(argument)
                    text = engine.redundancy_status or engine.state
            except SystemPlatformError:
                continue
            return _ran(0, f"{text}\r\n")
    named = argv[-1] if argv else ""
    return _ran(1, f"engine not found: {named}\r\n")


def split_command_line(text: str) -> list[str]:
    """CommandLineToArgvW's reading of the arguments: whitespace separates them outside
    quotes; 2n backslashes before a quote are n backslashes and the quote toggles quoting,
    2n+1 are n and a literal quote; other backslashes are literal."""
    args: list[str] = []
    current: list[str] = []
    quoted = started = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            run = len(text) - len(text[index:].lstrip("\\"))
            count = run - index
            if run < len(text) and text[run] == '"':
                current.append("\\" * (count // 2))
                if count % 2:
                    current.append('"')
                    index = run + 1
                else:
                    index = run
                started = True
                continue
            current.append("\\" * count)
            index, started = run, True
            continue
        if char == '"':
            quoted, started = not quoted, True
        elif char in " \t" and not quoted:
            if started:
                args.append("".join(current))
                current, started = [], False
        else:
            current.append(char)
            started = True
        index += 1
    if started:
        args.append("".join(current))
    return args


def _ran(code: int, stdout: str) -> dict[str, Any]:
    return {"exit_code": code, "timed_out": False, "stdout": stdout, "stderr": ""}
