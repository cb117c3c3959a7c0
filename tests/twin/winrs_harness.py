"""Drive a twin host's command runner the way ansible-core drives WinRS, minus the wire.

Command lines and stdin come from ansible-core's own code in the virtualenv (2.21): its winrm
connection plugin with ``_winrm_exec`` -- the one method that talks WS-Management -- routed to
``Host.start_command``. What 2.19 and 2.18 sent differently is rebuilt from verbatim copies of
their text in ``data/`` (see data/README.md).
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import pathlib
import types
from typing import Any, Iterable

from ansible.plugins.connection.winrm import Connection
from ansible.plugins.loader import connection_loader, shell_loader
from ansible.playbook.play_context import PlayContext
from ansible.utils.display import Display

from scada_twin import spec
from scada_twin.costs import CostModel
from scada_twin.faults import FaultPlan
from scada_twin.host import Host
from scada_twin.timeline import Timeline

DATA = pathlib.Path(__file__).parent / "data"
REPO = pathlib.Path(__file__).resolve().parents[2]
USER = "ansible"
FETCH_BUFFER = 2**19  # what every ansible-core version's fetch_file asks for

Stdin = Iterable[tuple[bytes, bool]]


@dataclasses.dataclass
class Result:
    rc: int
    stdout: bytes
    stderr: bytes


def make_host(costs: CostModel | None = None, free_gb: float = 0.5) -> Host:
    plant = spec.parse({"hosts": [{
        "name": "scada1", "address": "127.0.0.1",
        "accounts": [{"user": USER, "password": "secret", "domain": "PLANT"}],
        "disk": {"total_gb": 1, "free_gb": free_gb},
    }]})
    return Host(plant.hosts[0], costs or CostModel(time_scale=0.0), Timeline(), FaultPlan())


def run(host: Host, command: str, arguments: Iterable[str | bytes] = (), stdin: Stdin | None = None,
        user: str = USER, timeout: float = 30.0) -> Result:
    """Start a command, send its stdin chunks as WinRS Sends, collect output until it exits."""
    args = [a.decode() if isinstance(a, bytes) else a for a in arguments]
    process = host.start_command(command, args, user)
    for data, end in stdin or ():
        process.send_stdin(data, end)
    stdout, stderr = [], []
    while True:
        output = process.receive(timeout)
        stdout.append(output.stdout)
        stderr.append(output.stderr)
        if output.done:
            return Result(int(output.exit_code), b"".join(stdout), b"".join(stderr))
        if not (output.stdout or output.stderr):
            raise TimeoutError(f"no output from {command!r} within {timeout} s")


# -- ansible-core 2.21 (the virtualenv's), through its real winrm connection plugin ----------
def winrm_connection(host: Host, user: str = USER) -> Connection:
    """ansible-core's winrm Connection whose WinRS calls go straight to ``host``."""
    connection = connection_loader.get("winrm", PlayContext(), None)
    connection._shell = shell_loader.get("powershell")
    connection._connected = True  # skip pywinrm's connect; _winrm_exec below is the wire
    connection._winrm_host = host.name

    def winrm_exec(command: str, args: Iterable[Any] = (), from_exec: bool = False,
                   stdin_iterator: Stdin | None = None) -> tuple[int, bytes, bytes]:
        result = run(host, command, args, stdin_iterator, user)
        return result.rc, result.stdout, result.stderr

    connection._winrm_exec = winrm_exec
    return connection


class AgentOn:
    """What the decision modules (``_po_backup`` ...) need of an action plugin: batches of
    agent verbs on one host, through :func:`winrm_connection`."""

    def __init__(self, host: Host) -> None:
        self._connection = winrm_connection(host)

    def verbs(self, step: str, calls: Any, tolerate: Any = ()) -> list[Any]:
        from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import run_verbs

        return run_verbs(self._connection, step, calls, tolerate=tolerate)


def powershell_shell() -> Any:
    return shell_loader.get("powershell")


def _plugin_stub() -> Any:
    """Enough of a Connection for its stdin generators, which only log through it."""
    return types.SimpleNamespace(_display=Display(), _winrm_host="twin")


def put_stdin(initial: bytes, local_path: str, remote_path: str) -> Stdin:
    """ansible-core's own put_file stdin: ``initial``, then one base64 line per 250000 bytes."""
    return Connection._put_file_stdin_iterator(_plugin_stub(), initial, local_path, remote_path)


def payload_stdin(payload: bytes) -> Stdin:
    """ansible-core's exec_command stdin for ``in_data``."""
    return Connection._wrapper_payload_stream(_plugin_stub(), payload)


def encode_script_2_19(script: str, strict_mode: bool) -> list[str]:
    """2.19's put/fetch command: ``_encode_script`` (still in 2.21, unchanged but deprecated)."""
    return powershell_shell()._encode_script(script, as_list=True, strict_mode=strict_mode,
                                             preserve_rc=False)


def bootstrap_wrapper_2_19() -> str:
    """bootstrap_wrapper.ps1 as 2.19 sent it: comments and indentation kept."""
    return (DATA / "ansible_2_19_bootstrap_wrapper.ps1.txt").read_text(encoding="utf-8")


# -- ansible-core 2.18: the inline scripts, from data/ansible_2_18_winrm_scripts.json ---------
_SCRIPTS_2_18 = json.loads((DATA / "ansible_2_18_winrm_scripts.json").read_text(encoding="utf-8"))


def escape_2_18(value: str) -> str:
    """2.18's ShellModule._escape: double each of PowerShell's five single-quote characters."""
    return "".join(c * 2 if c in "'\u2018\u2019\u201a\u201b" else c for c in value)


def put_command_2_18(remote_path: str) -> list[str]:
    script = _SCRIPTS_2_18["put_file_template"].format(escape_2_18(remote_path))
    return encode_script_2_19(script, strict_mode=False)  # 2.18's _encode_script is the same


def fetch_command_2_18(remote_path: str, offset: int, buffer_size: int = FETCH_BUFFER) -> list[str]:
    script = _SCRIPTS_2_18["fetch_file_template"] % dict(
        buffer_size=buffer_size, path=escape_2_18(remote_path), offset=offset)
    return encode_script_2_19(script, strict_mode=True)


def put_stdin_2_18(local_path: str, remote_path: str) -> Stdin:
    """2.18's put stdin: the same base64 lines as 2.21, without the manifest in front."""
    return itertools.islice(put_stdin(b"", local_path, remote_path), 1, None)


def fetch_2_18(host: Host, remote_path: str) -> tuple[bytes | None, list[Result]]:
    """2.18's fetch_file loop: chunks until a short one; None for a folder."""
    data, results, offset = b"", [], 0
    while True:
        command = fetch_command_2_18(remote_path, offset)
        result = run(host, command[0], command[1:])
        results.append(result)
        if result.rc != 0:
            return None, results
        if result.stdout.strip() == b"[DIR]":
            return None, results
        chunk = base64.b64decode(result.stdout.strip())
        data += chunk
        if len(chunk) < FETCH_BUFFER:
            return data, results
        offset += len(chunk)
