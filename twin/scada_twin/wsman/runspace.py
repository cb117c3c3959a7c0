"""The Microsoft.PowerShell endpoint: runspace pools and their pipelines (MS-PSRP) over WinRS.

A PowerShell remoting client (pypsrp, so ansible-core's psrp connection) creates a shell of
resource URI :data:`POWERSHELL_URI` whose ``creationXml`` opens a runspace pool, then runs each
pipeline as a command of that shell: PSRP fragments go in through Command and Send and come out
through Receive ([MS-PSRP] 3.1.5.3). psrpcore, the server side of MS-PSRP's messages, does the
protocol; this module maps a pipeline onto the host's script runner as wsmprovhost.exe runs it:

* the script runs in the session's runspace, where ``$Host.Name`` is ``ServerRemoteHost`` and
  there is no console ([MS-PSRP] 3.2.5.4.x: the host is the client's, reached by host calls);
* its pipeline input is the client's input objects, which ``$input`` enumerates;
* what it writes to its output stream goes back as output objects, one per line;
* its error stream goes back as error records, and ``exit N`` reaches the client as the host
  call ``SetShouldExit(N)`` ([MS-PSRP] 2.2.3.17, method identifier 6);
* the signal ``powershell/signal/crtl_c`` (sic, [MS-PSRP] 3.1.5.3.10) stops the pipeline.
"""

from __future__ import annotations

import collections
import threading
import time
import uuid
from typing import Callable

import psrpcore
from psrpcore.types import HostMethodIdentifier, NETException, PSInt

from ..shell.process import Process
from . import errors

POWERSHELL_URI = "http://schemas.microsoft.com/powershell/microsoft.powershell"
CREATION_XML = "{http://schemas.microsoft.com/powershell}creationXml"
#: The largest fragment the endpoint sends: whole fragments fit any client's MaxEnvelopeSize.
_FRAGMENT = 32 * 1024

#: Starts a script the way the host runs it in a remote runspace: (script, arguments) -> Process.
StartScript = Callable[[str, list[str]], Process]


class RunspacePool:
    """One runspace pool: psrpcore's server state, and what each target has waiting to go."""

    def __init__(self, creation: bytes, start_script: StartScript) -> None:
        self._start_script = start_script
        self._lock = threading.RLock()
        self._news = threading.Condition(self._lock)
        self._pool = psrpcore.ServerRunspacePool()
        self._waiting: dict[uuid.UUID | None, collections.deque[bytes]] = {}
        self._pipelines: dict[uuid.UUID, Pipeline] = {}
        self.stream = PoolStream(self)
        self.feed(creation, None)

    def pipeline(self, command_id: str, first_fragment: bytes) -> "Pipeline":
        """The pipeline a Command creates; its first fragment came with the Command."""
        pipeline = Pipeline(self, command_id)
        with self._lock:
            pipeline.server = psrpcore.ServerPipeline(self._pool, pipeline.pipeline_id)
            self._pipelines[pipeline.pipeline_id] = pipeline
        self.feed(first_fragment, pipeline.pipeline_id)
        return pipeline

    def feed(self, data: bytes, pipeline_id: uuid.UUID | None) -> None:
        """Fragments the client sent (creationXml, Command, Send); what cannot be read is a
        WS-Man fault, as the plugin's own error would be."""
        with self._lock:
            try:
                self._pool.receive_data(psrpcore.PSRPPayload(data, psrpcore.StreamType.default,
                                                             pipeline_id))
                while (event := self._pool.next_event()) is not None:
                    target = self._pipelines.get(event.pipeline_id) if event.pipeline_id else None
                    if target is not None:
                        target.on_event(event)
                    # Pool events (capability, init, host responses) psrpcore has answered itself.
            except Exception as exc:  # psrpcore raises several types for data it cannot use
                raise errors.provider_failure(f"PSRP: {type(exc).__name__}: {exc}") from exc
            self.drain()

    def drain(self) -> None:
        """Move what psrpcore prepared into each target's queue, as whole fragments."""
        with self._lock:
            while (payload := self._pool.data_to_send(_FRAGMENT)) is not None:
                self._waiting.setdefault(payload.pipeline_id, collections.deque()).append(payload.data)
            self._news.notify_all()

    def pending(self, target: uuid.UUID | None) -> bool:
        with self._lock:
            return bool(self._waiting.get(target))

    def take(self, target: uuid.UUID | None, budget: int) -> bytes:
        """Whole fragments for ``target`` up to ``budget`` bytes (at least one)."""
        with self._lock:
            queue = self._waiting.get(target) or collections.deque()
            taken = bytearray()
            while queue and (not taken or len(taken) + len(queue[0]) <= budget):
                taken += queue.popleft()
            return bytes(taken)

    def wait(self, target: uuid.UUID | None, timeout: float) -> bool:
        with self._news:
            if not self._waiting.get(target):
                self._news.wait(timeout)
            return bool(self._waiting.get(target))

    def start(self, script: str, arguments: list[str]) -> Process:
        return self._start_script(script, arguments)

    def lock(self) -> threading.RLock:
        return self._lock

    def forget(self, pipeline_id: uuid.UUID) -> None:
        """A stopped pipeline: no more events for it."""
        with self._lock:
            self._pipelines.pop(pipeline_id, None)

    def close(self) -> None:
        for pipeline in list(self._pipelines.values()):
            pipeline.terminate()


class _Streams:
    """What WinRS needs of a command of a PowerShell shell (see ``winrs._Command``)."""

    is_pool = False

    def __init__(self, command_id: str) -> None:
        self.id = command_id
        self.lock = threading.Lock()  # one Receive at a time
        self.exit_code: int | None = None
        self.reported_done = False
        self.process = self


class PoolStream(_Streams):
    """The shell's own stream: the pool's messages (capability, state, private data)."""

    is_pool = True

    def __init__(self, pool: RunspacePool) -> None:
        super().__init__("")
        self._pool = pool

    def poll(self, wait: float) -> bool:
        return self._pool.wait(None, wait)

    def take(self, budget: int) -> tuple[bytes, bytes, bool]:
        return self._pool.take(None, budget), b"", False

    def send_stdin(self, data: bytes, end: bool) -> None:
        self._pool.feed(data, None)

    def terminate(self) -> None:
        """A pool is closed by deleting its shell, not by a signal."""

    def exited(self) -> bool:
        return False


class Pipeline(_Streams):
    """One pipeline: its input until the client ends it, then the script's run."""

    def __init__(self, pool: RunspacePool, command_id: str) -> None:
        super().__init__(command_id)
        self.pipeline_id = uuid.UUID(command_id)
        self.server: psrpcore.ServerPipeline | None = None
        self._pool = pool
        self._commands: list[psrpcore.Command] = []
        self._input: list[str] = []
        self._run: Process | None = None
        self._line = b""
        self._errors = b""
        self._ended = False

    # -- from the client -------------------------------------------------------------------
    def on_event(self, event: psrpcore.PSRPEvent) -> None:
        """Called with the pool's lock held."""
        if isinstance(event, psrpcore.CreatePipelineEvent):
            self._commands = list(event.pipeline.commands)
            if event.pipeline.no_input:
                self._begin()
        elif isinstance(event, psrpcore.PipelineInputEvent):
            self._input.append("" if event.data is None else str(event.data))
        elif isinstance(event, psrpcore.EndOfPipelineInputEvent):
            self._begin()

    def _begin(self) -> None:
        assert self.server is not None
        self.server.start()
        first = self._commands[0] if self._commands else None
        script = first.command_text if first is not None else ""
        arguments = [str(value) for _, value in (first.parameters if first is not None else [])]
        self._run = self._pool.start(script, arguments)
        self._run.send_stdin("\n".join(self._input).encode("utf-8"), True)

    def send_stdin(self, data: bytes, end: bool) -> None:
        self._pool.feed(data, self.pipeline_id)

    def terminate(self) -> None:
        """Ctrl+C or terminate: the script stops and the pipeline says Stopped (one that never
        started just ends)."""
        with self._pool.lock():
            if self._run is not None:
                self._run.terminate()
            if not self._ended and self.server is not None and self.server.state.name == "Running":
                _protocol(self.server.stop)
            self._ended = True
            self.exit_code = 1 if self.exit_code is None else self.exit_code
            self._pool.forget(self.pipeline_id)
            self._pool.drain()

    def exited(self) -> bool:
        return self._ended

    # -- to the client ---------------------------------------------------------------------
    def poll(self, wait: float) -> bool:
        deadline = time.monotonic() + wait
        while not self._pool.pending(self.pipeline_id) and not self._ended:
            remaining = deadline - time.monotonic()
            if self._run is None:
                self._pool.wait(self.pipeline_id, max(0.0, remaining))
            else:
                self._forward(self._run.receive(max(0.0, remaining)))
            if time.monotonic() >= deadline:
                break
        return self._pool.pending(self.pipeline_id) or self._ended

    def take(self, budget: int) -> tuple[bytes, bytes, bool]:
        data = self._pool.take(self.pipeline_id, budget)
        return data, b"", self._ended and not self._pool.pending(self.pipeline_id)

    def _forward(self, output) -> None:
        """The script's printed lines as output objects; at its end, errors, exit code, state."""
        with self._pool.lock():
            _protocol(lambda: self._send(output))

    def _send(self, output) -> None:
        if self._ended or self.server is None:
            return
        self._line += output.stdout
        *lines, self._line = self._line.split(b"\n")
        if output.done and self._line:
            lines, self._line = [*lines, self._line], b""
        for line in lines:
            self.server.write_output(line.decode("utf-8", "replace").rstrip("\r"))
        self._errors += output.stderr
        if output.done:
            text = self._errors.decode("utf-8", "replace").strip()
            if text:
                self.server.write_error(NETException(Message=text))
            self.server.host_call(HostMethodIdentifier.SetShouldExit, [PSInt(output.exit_code or 0)])
            self.server.complete()
            self.exit_code = output.exit_code or 0
            self._ended = True
        self._pool.drain()


def _protocol(action: Callable[[], object]) -> None:
    """psrpcore refusing a message in this state is a WS-Man fault, not a dropped connection."""
    try:
        action()
    except Exception as exc:  # psrpcore raises several types for a state it does not allow
        raise errors.provider_failure(f"PSRP: {type(exc).__name__}: {exc}") from exc
