"""WinRS, the cmd shell resource: shells, their commands, and the actions clients send.

Each WinRS action maps to one call on the host's command runner (``Host.start_command``)
or on the :class:`~scada_twin.shell.process.Process` it returned; everything else here is
the protocol: ids, streams, command states, timeouts and faults as Windows answers them.
Shells belong to the host, not to a connection, as on Windows.
"""

from __future__ import annotations

import base64
import dataclasses
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from typing import Callable

from ..host import Host
from ..shell.process import Process, finished
from ..stats import WSMAN_PREFIX
from . import errors
from .runspace import CREATION_XML, POWERSHELL_URI, RunspacePool
from .soap import NS, WsmanRequest, q, response

SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
_SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"
_TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer/"
_STATE = _SHELL + "CommandState/"
_POLL_SLICE = 0.1  # how often a waiting Receive looks at faults and shutdown
#: The longest command line cmd.exe runs (Windows XP and later).
CMD_LINE_LIMIT = 8191


class ConnectionReset(Exception):
    """Close the TCP connection at once, without an answer (fault or shutdown)."""


@dataclasses.dataclass
class RequestContext:
    """Who sent a request and over what; ``closing`` is set when the listener goes away."""

    user: str
    client_ip: str
    endpoint: str
    closing: threading.Event


class _Command:
    """A running command and the output it produced that no Receive has carried yet."""

    def __init__(self, command_id: str, process: Process) -> None:
        self.id = command_id
        self.process = process
        self.lock = threading.Lock()  # one Receive at a time
        self._stdout = bytearray()
        self._stderr = bytearray()
        self._exited = False
        self.exit_code: int | None = None
        self.reported_done = False

    def poll(self, wait: float) -> bool:
        """Gather output, waiting up to ``wait`` only when nothing is pending; any news?"""
        if not (self._stdout or self._stderr or self._exited):
            output = self.process.receive(wait)
            self._stdout += output.stdout
            self._stderr += output.stderr
            if output.done:
                self._exited, self.exit_code = True, output.exit_code
        return bool(self._stdout or self._stderr or self._exited)

    def take(self, budget: int) -> tuple[bytes, bytes, bool]:
        """Up to ``budget`` bytes of stdout then stderr, and whether the command is done."""
        stdout = bytes(self._stdout[:budget])
        del self._stdout[:len(stdout)]
        stderr = bytes(self._stderr[:budget - len(stdout)])
        del self._stderr[:len(stderr)]
        return stdout, stderr, self._exited and not self._stdout and not self._stderr


@dataclasses.dataclass
class _Shell:
    id: str
    owner: str
    client_ip: str
    codepage: int
    input_streams: str
    output_streams: str
    working_directory: str | None
    environment: dict[str, str]
    resource_uri: str = SHELL_URI
    #: The runspace pool of a shell of the Microsoft.PowerShell endpoint (runspace.py).
    runspace: RunspacePool | None = None
    commands: dict[str, _Command] = dataclasses.field(default_factory=dict)
    last_used: float = dataclasses.field(default_factory=time.monotonic)

    def command(self, command_id: str | None) -> _Command:
        if not command_id and self.runspace is not None:
            return self.runspace.stream  # type: ignore[return-value]
        command = self.commands.get((command_id or "").upper())
        if command is None:
            raise errors.command_not_found(command_id or "")
        return command


class WinRS:
    """The shells of one host: cmd (WinRS) and Microsoft.PowerShell (runspace pools)."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self._lock = threading.Lock()
        self._shells: dict[str, _Shell] = {}
        self._actions: dict[str, Callable[[WsmanRequest, RequestContext], bytes]] = {
            _TRANSFER + "Create": self._create,
            _TRANSFER + "Delete": self._delete,
            _SHELL + "Command": self._command,
            _SHELL + "Send": self._send,
            _SHELL + "Receive": self._receive,
            _SHELL + "Signal": self._signal,
        }

    def handle(self, request: WsmanRequest, context: RequestContext) -> bytes:
        action = self._actions.get(request.action)
        if action is None:
            raise errors.action_not_supported(request.action)
        self.host.stats.count(WSMAN_PREFIX + request.action.rsplit("/", 1)[-1])
        return action(request, context)

    def close(self) -> None:
        """Terminate every command of every shell (the server is stopping)."""
        with self._lock:
            shells, self._shells = list(self._shells.values()), {}
        for shell in shells:
            self._end_shell(shell)

    # -- actions ---------------------------------------------------------------------------
    def _create(self, request: WsmanRequest, context: RequestContext) -> bytes:
        spec = request.body.find("rsp:Shell", NS)
        spec = spec if spec is not None else ET.Element(q("rsp:Shell"))
        shell = _Shell(
            id=(spec.get("ShellId") or _new_id()).upper(),
            owner=context.user,
            client_ip=context.client_ip,
            codepage=_int(request.options.get("WINRS_CODEPAGE"), 437),
            input_streams=spec.findtext("rsp:InputStreams", "stdin", NS),
            output_streams=spec.findtext("rsp:OutputStreams", "stdout stderr", NS),
            working_directory=spec.findtext("rsp:WorkingDirectory", None, NS),
            environment={v.get("Name", ""): v.text or ""
                         for v in spec.findall("rsp:Environment/rsp:Variable", NS)},
            resource_uri=request.resource_uri,
        )
        if request.resource_uri.lower() == POWERSHELL_URI:
            shell.runspace = self._open_runspace(spec, context.user)
        self._reap_idle()
        with self._lock:
            # MaxShellsPerUser: a Create beyond it is a QuotaLimit fault (Microsoft,
            # "Installation and configuration for Windows Remote Management": default 30).
            limit = self._limit("Shell\\MaxShellsPerUser")
            if sum(1 for s in self._shells.values() if s.owner.lower() == shell.owner.lower()) >= limit:
                raise errors.shells_exceeded(limit)
            self._shells[shell.id] = shell
        self._record("winrs.shell_created", shell_id=shell.id, user=shell.owner,
                     codepage=shell.codepage)
        return response(request, _TRANSFER + "CreateResponse",
                        _resource_created(context.endpoint, shell), _shell_info(shell))

    def _open_runspace(self, spec: ET.Element, user: str) -> RunspacePool:
        """The runspace pool a PowerShell shell's creationXml opens; scripts run without a
        console, as in wsmprovhost.exe."""
        creation = spec.find(CREATION_XML)
        if creation is None:
            raise errors.invalid_envelope("a PowerShell shell needs creationXml")
        try:
            data = base64.b64decode(creation.text or "", validate=True)
        except ValueError:
            raise errors.invalid_envelope("creationXml is not base64") from None
        return RunspacePool(data, lambda script, arguments: self.host.start_script(script, arguments, user))

    def _delete(self, request: WsmanRequest, context: RequestContext) -> bytes:
        shell_id = request.selectors.get("ShellId", "").upper()
        with self._lock:
            shell = self._shells.pop(shell_id, None)
        if shell is None:
            raise errors.shell_not_found(shell_id)
        self._end_shell(shell)
        return response(request, _TRANSFER + "DeleteResponse")

    def _command(self, request: WsmanRequest, context: RequestContext) -> bytes:
        shell = self._shell(request)
        if self._take_fault("quota", request) is not None:
            raise errors.quota_exceeded()
        line = request.body.find("rsp:CommandLine", NS)
        if line is None:
            raise errors.invalid_envelope("a Command request needs rsp:CommandLine")
        command_text = line.findtext("rsp:Command", "", NS) or ""
        arguments = [a.text or "" for a in line.findall("rsp:Arguments", NS)]
        command_id = (line.get("CommandId") or _new_id()).upper()
        # MaxConcurrentOperationsPerUser counts a user's commands until their shell is deleted
        # (default 1500): beyond it the QuotaLimit fault with WMI error 0x803381A6.
        limit = self._limit("Service\\MaxConcurrentOperationsPerUser")
        with self._lock:
            owned = sum(len(s.commands) for s in self._shells.values() if s.owner.lower() == context.user.lower())
        if owned >= limit:
            raise errors.quota_exceeded(limit)
        line_text = " ".join([command_text, *arguments])
        try:
            if shell.runspace is not None:
                pipeline = shell.runspace.pipeline(command_id, base64.b64decode("".join(arguments)))
                shell.commands[command_id] = pipeline  # type: ignore[assignment]
                return self._command_response(request, shell, command_id)
            if len(line_text) > CMD_LINE_LIMIT and not request.option_flag("WINRS_SKIP_CMD_SHELL"):
                # cmd.exe /c refuses a line over 8191 characters (Microsoft, "Command prompt
                # (Cmd.exe) command-line string limitation") and the command ends at once.
                process = finished(1, b"", b"The command line is too long.\r\n")
            else:
                process = self.host.start_command(command_text, arguments, context.user)
        except Exception as exc:  # a twin bug must surface as a fault, not a dropped socket
            raise errors.provider_failure(f"{type(exc).__name__}: {exc}") from exc
        shell.commands[command_id] = _Command(command_id, process)
        return self._command_response(request, shell, command_id)

    def _command_response(self, request: WsmanRequest, shell: _Shell, command_id: str) -> bytes:
        self._record("winrs.command_started", shell_id=shell.id, command_id=command_id,
                     console_mode_stdin=request.option_flag("WINRS_CONSOLEMODE_STDIN", True),
                     skip_cmd_shell=request.option_flag("WINRS_SKIP_CMD_SHELL"))
        body = ET.Element(q("rsp:CommandResponse"))
        ET.SubElement(body, q("rsp:CommandId")).text = command_id
        return response(request, _SHELL + "CommandResponse", body)

    def _send(self, request: WsmanRequest, context: RequestContext) -> bytes:
        shell = self._shell(request)
        if self._take_fault("busy", request) is not None:
            raise errors.busy()
        for stream in request.body.findall("rsp:Send/rsp:Stream", NS):
            command = shell.command(stream.get("CommandId"))
            try:
                data = base64.b64decode(stream.text or "", validate=True)
            except ValueError:
                raise errors.invalid_envelope("rsp:Stream is not base64") from None
            end = (stream.get("End") or "false").strip().lower() == "true"
            if command.process.exited():
                # A command that ended takes no more input: the fault for a command id that
                # no longer runs ("Either the command has completed execution ..."), HTTP 500.
                raise errors.command_not_found(command.id)
            command.process.send_stdin(data, end)
        return response(request, _SHELL + "SendResponse", ET.Element(q("rsp:SendResponse")))

    def _receive(self, request: WsmanRequest, context: RequestContext) -> bytes:
        shell = self._shell(request)
        desired = request.body.find("rsp:Receive/rsp:DesiredStream", NS)
        command = shell.command(desired.get("CommandId") if desired is not None else None)
        deadline = time.monotonic() + _wait_budget(request.operation_timeout)
        with command.lock:
            while not command.poll(min(_POLL_SLICE, max(0.0, deadline - time.monotonic()))):
                if context.closing.is_set():
                    raise ConnectionReset()
                reset = self._take_fault("reset_during_command", request)
                if reset is not None:
                    if reset.get("terminate"):  # the host drops the shell's processes too
                        command.process.terminate()
                    raise ConnectionReset()
                if time.monotonic() >= deadline:
                    raise errors.operation_timeout()
            # Base64 grows data by 4/3; keep the answer inside the client's MaxEnvelopeSize.
            stdout, stderr, done = command.take(max(4096, (request.max_envelope_size - 2048)
                                                    * 3 // 4))
            first_done = done and not command.reported_done
            command.reported_done |= done
        if first_done:
            self._record("winrs.command_finished", shell_id=shell.id, command_id=command.id,
                         exit_code=command.exit_code)
        return response(request, _SHELL + "ReceiveResponse",
                        _receive_response(command, stdout, stderr, done))

    def _signal(self, request: WsmanRequest, context: RequestContext) -> bytes:
        shell = self._shell(request)
        signal = request.body.find("rsp:Signal", NS)
        command = shell.command(signal.get("CommandId") if signal is not None else None)
        code = (signal.findtext("rsp:Code", "", NS) if signal is not None else "") or ""
        command.process.terminate()  # terminate, ctrl_c and ctrl_break all end a cmd process
        # A PowerShell pipeline's stop (powershell/signal/crtl_c) also frees its operation.
        if code.rstrip("/").rsplit("/", 1)[-1].lower() == "terminate" or shell.runspace is not None:
            shell.commands.pop(command.id, None)
            if not command.reported_done:
                self._record("winrs.command_terminated", shell_id=shell.id,
                             command_id=command.id)
        return response(request, _SHELL + "SignalResponse", ET.Element(q("rsp:SignalResponse")))

    # -- helpers ---------------------------------------------------------------------------
    def _limit(self, name: str) -> int:
        """A WSMan:\\localhost setting of the host (the plant spec's ``windows.winrm``)."""
        return int(self.host.spec.windows["winrm"][name])

    def _shell(self, request: WsmanRequest) -> _Shell:
        self._reap_idle()
        shell_id = request.selectors.get("ShellId", "").upper()
        with self._lock:
            shell = self._shells.get(shell_id)
            if shell is not None:
                shell.last_used = time.monotonic()
        if shell is None:
            raise errors.shell_not_found(shell_id)
        return shell

    def _reap_idle(self) -> None:
        """Shell\\IdleTimeout (default 7,200,000 ms, in the host's modelled time): a shell
        with no request for that long is deleted with its commands, and a later request on
        it finds no shell (Microsoft, "Installation and configuration for Windows Remote
        Management")."""
        idle = self.host.costs.scaled(self._limit("Shell\\IdleTimeout") / 1000.0)
        now = time.monotonic()
        with self._lock:
            expired = [s for s in list(self._shells.values())
                       if now - s.last_used > idle and not any(_busy(c) for c in list(s.commands.values()))]
            for shell in expired:
                del self._shells[shell.id]
        for shell in expired:
            self._record("winrs.shell_idle_timeout", shell_id=shell.id)
            self._end_shell(shell)

    def _end_shell(self, shell: _Shell) -> None:
        for command in list(shell.commands.values()):
            command.process.terminate()
        shell.commands.clear()
        if shell.runspace is not None:
            shell.runspace.close()
        self._record("winrs.shell_deleted", shell_id=shell.id)

    def _take_fault(self, kind: str, request: WsmanRequest) -> dict | None:
        """Consume one armed fault of ``kind`` and return its parameters (None: none armed);
        recorded on the timeline when it fires."""
        params = self.host.faults.take(self.host.name, kind)
        if params is not None:
            self._record("wsman.fault_fired", fault=kind, action=request.action.rsplit("/", 1)[-1])
        return params

    def _record(self, kind: str, **data: object) -> None:
        self.host.timeline.record(self.host.name, kind, **data)


def _busy(command: _Command) -> bool:
    """A Receive is waiting on the command (its lock held): the shell is in use."""
    if command.lock.acquire(blocking=False):
        command.lock.release()
        return False
    return True


def _new_id() -> str:
    return str(uuid.uuid4()).upper()


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _wait_budget(operation_timeout: float | None) -> float:
    """How long a Receive may wait: a little less than the client's OperationTimeout."""
    timeout = operation_timeout if operation_timeout is not None else 60.0
    return max(0.0, timeout - min(1.0, timeout * 0.1))


def _resource_created(endpoint: str, shell: _Shell) -> ET.Element:
    created = ET.Element(q("x:ResourceCreated"))
    ET.SubElement(created, q("a:Address")).text = endpoint
    reference = ET.SubElement(created, q("a:ReferenceParameters"))
    ET.SubElement(reference, q("w:ResourceURI")).text = shell.resource_uri
    selectors = ET.SubElement(reference, q("w:SelectorSet"))
    ET.SubElement(selectors, q("w:Selector"), {"Name": "ShellId"}).text = shell.id
    return created


def _shell_info(shell: _Shell) -> ET.Element:
    info = ET.Element(q("rsp:Shell"))
    for name, value in (("ShellId", shell.id), ("ResourceUri", shell.resource_uri),
                        ("Owner", shell.owner), ("ClientIP", shell.client_ip),
                        ("IdleTimeOut", "PT7200.000S"), ("InputStreams", shell.input_streams),
                        ("OutputStreams", shell.output_streams),
                        ("ShellRunTime", "P0DT0H0M0S"), ("ShellInactivity", "P0DT0H0M0S")):
        ET.SubElement(info, q(f"rsp:{name}")).text = value
    return info


def _receive_response(command: _Command, stdout: bytes, stderr: bytes,
                      done: bool) -> ET.Element:
    body = ET.Element(q("rsp:ReceiveResponse"))
    if getattr(command, "is_pool", False):  # a runspace pool's own stream has no command
        ET.SubElement(body, q("rsp:Stream"), {"Name": "stdout"}).text = \
            base64.b64encode(stdout).decode("ascii")
        return body
    for name, data in (("stdout", stdout), ("stderr", stderr)):
        if data:
            ET.SubElement(body, q("rsp:Stream"), {"Name": name, "CommandId": command.id}) \
                .text = base64.b64encode(data).decode("ascii")
    if not done:
        ET.SubElement(body, q("rsp:CommandState"),
                      {"CommandId": command.id, "State": _STATE + "Running"})
        return body
    for name in ("stdout", "stderr"):
        ET.SubElement(body, q("rsp:Stream"), {"Name": name, "CommandId": command.id,
                                              "End": "true"})
    state = ET.SubElement(body, q("rsp:CommandState"),
                          {"CommandId": command.id, "State": _STATE + "Done"})
    ET.SubElement(state, q("rsp:ExitCode")).text = str(command.exit_code or 0)
    return body
