"""``process_run`` on a twin host: a program started directly, with a command line.

csc.exe and the collection's GRAccess helper are modelled in :mod:`.graccess_helper`.

Process.Start fails with "The system cannot find the file specified" (Win32Exception 2) when
the program is not in the host's file system (Microsoft, "Process.Start"). *Twin
conventions* for the site tools the collection runs this way (the twin never runs a program):
a program file that starts with ``EXIT <n>`` exits with code n at once ("tool failed"); a
program with an argument ending in ``.ctz`` is a site backup tool (project_backup's
``command_template``): it writes a vendor-style zip of the ``[CtEdit]Run`` project and its
includes, with no manifest, to that path, exits 0, and leaves a ``po.backup_tool`` event with
its argument list; any other program is a site's engine status tool and answers as one:
for the engine named by one of its arguments (the command line read back as
CommandLineToArgvW reads it: Microsoft, "Parsing C command-line arguments"), it prints that
engine's ``redundancy_status``, or its run-time state when it has none (``Not Deployed``,
``Shutdown`` ...), and exits 0; with no engine named it prints "engine not found" and exits 1.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

from ..filesystem import FileSystemError
from ..system_platform.errors import SystemPlatformError
from . import VerbContext, VerbError, graccess_helper

if TYPE_CHECKING:
    from ..host import Host

_EXIT = re.compile(rb"^EXIT (\d+)")


def process_run(ctx: VerbContext, file_name: str, arguments: str, timeout: int, stdin: str,
                utf8: bool, max_output: int) -> dict[str, Any]:
    host = ctx.host
    argv = split_command_line(arguments)
    if graccess_helper.is_compiler(host, file_name):
        return _ran(*graccess_helper.compile_helper(host, argv), max_output)
    if not host.fs.is_file(file_name):
        raise VerbError("The system cannot find the file specified", None,
                        "System.ComponentModel.Win32Exception")
    if graccess_helper.is_helper(host, file_name):
        return _ran(*graccess_helper.run_helper_exe(host, stdin), max_output)
    exit_code = _EXIT.match(host.fs.read(file_name))
    if exit_code:
        return _ran(int(exit_code.group(1)), "tool failed\r\n")
    archive = next((a for a in argv if a.lower().endswith(".ctz")), None)
    if archive is not None and host.power_operation is not None:
        return _backup_tool(host, [file_name, *argv], archive)
    node = host.system_platform
    galaxy = node.galaxy if node is not None else None
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


def _backup_tool(host: "Host", argv: list[str], archive: str) -> dict[str, Any]:
    po = host.power_operation
    host.timeline.record(host.name, "po.backup_tool", argv=argv)
    project = po.current_project()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in po.backup_entries(project, include_config=False) if project else []:
            out.writestr(entry.archive_path.replace("\\", "/"), entry.content)
    try:
        host.fs.write(archive, buffer.getvalue())
    except FileSystemError as exc:
        return _ran(2, f"cannot write {archive}: {exc}\r\n")
    return _ran(0, f"saved {project} to {archive}\r\n")


def _ran(code: int, stdout: str, max_output: int = 4000) -> dict[str, Any]:
    return {"exit_code": code, "timed_out": False, "stdout": stdout[:max_output], "stderr": ""}
