"""What runs for a WinRS command: decode the command line, then recognise the script.

Recognition looks at stable features of the decoded script text and never runs it:

* the collection's agent (its marker line) -> ``agent.run_agent``;
* ansible-core 2.19+'s bootstrap_wrapper.ps1 -> ``ansible_manifest`` (action named on stdin);
* ansible-core 2.18's inline put_file / fetch_file scripts -> ``ansible_legacy``.

Anything else exits 1 at once with a stderr line naming what was refused, so a playbook that
strays from what the twin models fails loudly instead of appearing to work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from .. import agent
from . import ansible_legacy, ansible_manifest, cmdline
from ..stats import POWERSHELL_PROCESSES
from .process import Process, ProcessIO, ProcessTerminated, ThreadProcess, finished

if TYPE_CHECKING:
    from ..host import Host

_SERVED = "the twin only runs ansible-core's file transfer and the scada.redundancy agent"
_SHOWN_LENGTH = 80

Work = Callable[[ProcessIO], int]


def start_command(host: "Host", command: str, arguments: list[str], user: str) -> Process:
    """Start the process WinRS asked for; called by ``Host.start_command``."""
    try:
        invocation = cmdline.decode(command, arguments)
    except cmdline.UnsupportedCommand as exc:
        return _refused(str(exc))
    return start_script(host, invocation.script, invocation.arguments, user, console=True)


def start_script(host: "Host", script: str, arguments: list[str], user: str, *,
                 console: bool) -> Process:
    """Start the script: in powershell.exe under a console (``console``, WinRS) or in a
    remote runspace, where there is no console and no process to start (PSRP)."""
    if agent.AGENT_MARKER in script:
        if not console and agent.CONSOLE_TEST not in script:
            # Setting [Console]::OutputEncoding with no console throws, and the launcher runs
            # under ErrorActionPreference Stop (Microsoft, "about_Preference_Variables").
            return _refused_plainly('Exception setting "OutputEncoding": "The handle is invalid."')
        # run_agent charges the PowerShell start itself, after reading the request.
        return ThreadProcess(lambda io: agent.run_agent(host, io, user, console=console), "agent")
    start = _powershell if console else _in_runspace
    if ansible_manifest.is_bootstrap_wrapper(script):
        return start(host, "ansible-manifest",
                     lambda io: ansible_manifest.serve(host, io, user, arguments))
    legacy = ansible_legacy.match(script)
    if legacy is not None:
        return start(host, "ansible-legacy", lambda io: legacy(host, io, user))
    return _refused(f"unsupported PowerShell script starting '{_first_line(script)}': {_SERVED}")


def _powershell(host: "Host", name: str, work: Work) -> Process:
    """A process that first pays for starting powershell.exe, then does ``work``."""

    def handler(io: ProcessIO) -> int:
        host.stats.count(POWERSHELL_PROCESSES)
        if not host.costs.sleep(host.costs.powershell_start, io.cancelled):
            raise ProcessTerminated()
        return work(io)

    return ThreadProcess(handler, name)


def _in_runspace(host: "Host", name: str, work: Work) -> Process:
    """A script of a remote runspace: the session's PowerShell is already running."""
    return ThreadProcess(work, name)


def _refused(message: str) -> Process:
    return _refused_plainly(f"scada twin: {message}")


def _refused_plainly(message: str) -> Process:
    return finished(1, stderr=f"{message}\r\n".encode("utf-8"))


def _first_line(script: str) -> str:
    line = next((text.strip() for text in script.splitlines() if text.strip()), "")
    return line if len(line) <= _SHOWN_LENGTH else line[:_SHOWN_LENGTH - 3] + "..."
