"""cmd.exe, as far as a command line another program starts can reach it on a twin host.

Modelled: ``cmd.exe /d /c >"<file>" echo <text>`` (Microsoft, "cmd": /c runs the command and
ends, /d skips AutoRun; "Using command redirection operators": ``>`` creates or overwrites the
file, and fails when its folder does not exist; "echo": the text and a line break). Any other
command line is recorded as not modelled and changes nothing.
"""

from __future__ import annotations

import re

from .filesystem import FileSystem, FileSystemError
from .timeline import Timeline

_ECHO_TO_FILE = re.compile(r'^cmd\.exe /d /c >"(?P<file>[^"]+)" echo (?P<text>.*)$', re.I)


def run(fs: FileSystem, command_line: str, timeline: Timeline, host: str) -> int:
    """Run a command line; cmd.exe's exit code (1 where the redirection fails)."""
    match = _ECHO_TO_FILE.match(command_line)
    if match is None:
        timeline.record(host, "cmd.not_modelled", command_line=command_line)
        return 0
    target = match.group("file")
    if not fs.is_dir(target.rsplit("\\", 1)[0]):
        return 1  # "The system cannot find the path specified."
    try:
        fs.write(target, (match.group("text") + "\r\n").encode("ascii", "replace"))
    except FileSystemError:
        return 1
    return 0
