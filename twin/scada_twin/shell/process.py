"""A running remote command, as WinRS sees it: stdin in, stdout/stderr out, an exit code.

The WS-Management layer only ever talks to :class:`Process`; what the command *does* is a
handler function run in a thread by :class:`ThreadProcess`, with a :class:`ProcessIO` to read
stdin and write output. This keeps the wire protocol and the simulated behaviour apart.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Callable, Iterator

#: A handler does the command's work and returns its exit code.
Handler = Callable[["ProcessIO"], int]


class ProcessTerminated(Exception):
    """Raised inside a handler when the client signalled terminate or the shell was deleted."""


@dataclasses.dataclass
class Output:
    stdout: bytes
    stderr: bytes
    done: bool
    exit_code: int | None


class _Stdin:
    """A byte pipe fed by WinRS Send requests and read by the handler."""

    def __init__(self, cancelled: threading.Event) -> None:
        self._cond = threading.Condition()
        self._chunks: list[bytes] = []
        self._eof = False
        self._cancelled = cancelled

    def feed(self, data: bytes, end: bool) -> None:
        with self._cond:
            if data:
                self._chunks.append(data)
            self._eof = self._eof or end
            self._cond.notify_all()

    def close(self) -> None:
        self.feed(b"", True)

    def read_chunk(self) -> bytes:
        """Next bytes sent by the client; b'' at end of input."""
        with self._cond:
            while not self._chunks and not self._eof:
                if self._cancelled.is_set():
                    raise ProcessTerminated()
                self._cond.wait(0.1)
            if self._chunks:
                return self._chunks.pop(0)
            return b""


class ProcessIO:
    """What a handler sees: streaming stdin, stdout and stderr, and cancellation."""

    def __init__(self, process: "ThreadProcess") -> None:
        self._process = process
        self._pending = b""

    @property
    def cancelled(self) -> threading.Event:
        return self._process.cancelled

    def read_chunk(self) -> bytes:
        """Raw stdin bytes as they arrive; b'' at end of input."""
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        return self._process.stdin.read_chunk()

    def lines(self) -> Iterator[bytes]:
        """Stdin split on b'\\n' (line ending kept off), streamed as it arrives."""
        buffer = b""
        while True:
            chunk = self.read_chunk()
            if not chunk:
                break
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            for line in complete:
                yield line.rstrip(b"\r")
        if buffer:
            yield buffer.rstrip(b"\r")

    def read_line(self) -> bytes | None:
        """One stdin line (without its ending), or None at end of input; the rest stays."""
        buffer = b""
        while b"\n" not in buffer:
            chunk = self.read_chunk()
            if not chunk:
                return buffer.rstrip(b"\r") if buffer else None
            buffer += chunk
        line, self._pending = buffer.split(b"\n", 1)
        return line.rstrip(b"\r")

    def read_all(self) -> bytes:
        parts = []
        while chunk := self.read_chunk():
            parts.append(chunk)
        return b"".join(parts)

    def write_stdout(self, data: bytes | str) -> None:
        self._process.emit(_as_bytes(data), b"")

    def write_stderr(self, data: bytes | str) -> None:
        self._process.emit(b"", _as_bytes(data))


def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


class Process:
    """Interface the WinRS layer uses; see :class:`ThreadProcess` for the implementation."""

    def send_stdin(self, data: bytes, end: bool) -> None:
        raise NotImplementedError

    def receive(self, timeout: float) -> Output:
        """Output gathered so far; waits up to ``timeout`` seconds when there is none yet.

        An Output with no data and ``done`` False means the wait timed out: the WinRS layer
        answers that with the OperationTimeout fault, and the client polls again.
        """
        raise NotImplementedError

    def terminate(self) -> None:
        raise NotImplementedError

    def exited(self) -> bool:
        """Whether the process has ended (its output may still be unread)."""
        raise NotImplementedError


class ThreadProcess(Process):
    """Runs ``handler`` in a daemon thread; handler exceptions become exit code 1."""

    def __init__(self, handler: Handler, name: str = "command") -> None:
        self.cancelled = threading.Event()
        self.stdin = _Stdin(self.cancelled)
        self._cond = threading.Condition()
        self._stdout: list[bytes] = []
        self._stderr: list[bytes] = []
        self._exit_code: int | None = None
        self._handler = handler
        self._thread = threading.Thread(target=self._run, name=f"twin-{name}", daemon=True)
        self._thread.start()

    def emit(self, stdout: bytes, stderr: bytes) -> None:
        with self._cond:
            if stdout:
                self._stdout.append(stdout)
            if stderr:
                self._stderr.append(stderr)
            self._cond.notify_all()

    def _run(self) -> None:
        io = ProcessIO(self)
        try:
            code = self._handler(io)
        except ProcessTerminated:
            code = 1
        except Exception as exc:  # a twin bug must still end the command, visibly
            self.emit(b"", f"twin internal error: {type(exc).__name__}: {exc}\r\n".encode())
            code = 1
        with self._cond:
            self._exit_code = int(code)
            self._cond.notify_all()

    def send_stdin(self, data: bytes, end: bool) -> None:
        self.stdin.feed(data, end)

    def receive(self, timeout: float) -> Output:
        with self._cond:
            if not (self._stdout or self._stderr or self._exit_code is not None):
                self._cond.wait(timeout)
            stdout, stderr = b"".join(self._stdout), b"".join(self._stderr)
            self._stdout.clear()
            self._stderr.clear()
            done = self._exit_code is not None
            return Output(stdout, stderr, done, self._exit_code)

    def terminate(self) -> None:
        self.cancelled.set()
        self.stdin.close()

    def exited(self) -> bool:
        with self._cond:
            return self._exit_code is not None


def finished(exit_code: int, stdout: bytes = b"", stderr: bytes = b"") -> ThreadProcess:
    """A process that has already produced its output, for refusals and trivial answers."""

    def handler(io: ProcessIO) -> int:
        io.write_stdout(stdout)
        io.write_stderr(stderr)
        return exit_code

    return ThreadProcess(handler, "finished")
