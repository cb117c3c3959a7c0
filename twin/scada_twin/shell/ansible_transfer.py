"""ansible-core's own file work on a host, done on the host's simulated file system.

The winrm connection plugin copies files with a put script (base64 lines on stdin, answers
``{"sha1": ...}``) and a fetch script (one base64 chunk per call, ``[DIR]`` for a folder); the
PowerShell shell plugin creates temp folders and expands ``~``. How the script reached the
host (2.19+ manifest or 2.18 inline text) is decided elsewhere; these functions do what the
real scripts do, write what they print and return their exit code. Every put and fetch leaves
one timeline event with its path and size (never the content).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ntpath
from typing import TYPE_CHECKING, Any, Iterator

from ..filesystem import FileSystemError, normalize
from . import session

if TYPE_CHECKING:
    from ..host import Host
    from .process import ProcessIO

PUT_EVENT = "ansible.put_file"
FETCH_EVENT = "ansible.fetch_file"
MKDTEMP_EVENT = "ansible.mkdtemp"
# A put is decoded into a buffer that is appended to the file whenever it reaches this size:
# appending per base64 line would copy the growing file once per line.
_FLUSH_BYTES = 4 * 1024 * 1024
_BASE64_WHITESPACE = b" \t\r\n"


class TransferError(Exception):
    """What the real script would print on stderr before exiting with 1."""


def put_file(host: "Host", io: "ProcessIO", path: str, data_lines: Iterator[bytes],
             user: str, client: str) -> int:
    """winrm put_file: create ``path``, write the decoded lines, print their SHA-1."""
    sha1 = hashlib.sha1()
    size = 0
    target = path
    try:
        target = _create_file(host, path)
        pending = bytearray()
        for line in data_lines:
            chunk = _from_base64(line)
            sha1.update(chunk)
            size += len(chunk)
            pending += chunk
            if len(pending) >= _FLUSH_BYTES:
                host.fs.append(target, bytes(pending))
                pending.clear()
        if pending:
            host.fs.append(target, bytes(pending))
    except (TransferError, FileSystemError) as exc:
        # Take the rest of the upload so the client's remaining Sends reach a live command and
        # it then reads this error and exit code, whatever WinRS does with a finished one.
        for _ in data_lines:
            pass
        _record(host, PUT_EVENT, target, size, user, client, error=str(exc))
        return _fail(io, str(exc))
    _record(host, PUT_EVENT, target, size, user, client)
    io.write_stdout(f'{{"sha1":"{sha1.hexdigest()}"}}\r\n')
    return 0


def fetch_file(host: "Host", io: "ProcessIO", path: str, buffer_size: int, offset: int,
               user: str, client: str) -> int:
    """winrm fetch_file: print one base64 chunk of a file, or [DIR] for a folder."""
    target = path
    try:
        target = _absolute(path)
        if host.fs.is_dir(target):
            _record(host, FETCH_EVENT, target, 0, user, client, offset=offset, directory=True)
            io.write_stdout("[DIR]\r\n")
            return 0
        if not host.fs.is_file(target):
            raise TransferError(f"{path} does not exist")
        if offset < 0 or buffer_size < 0:
            raise TransferError(f"Invalid offset {offset} or buffer size {buffer_size}.")
        data = host.fs.read(target)[offset:offset + buffer_size]
    except (TransferError, FileSystemError) as exc:
        _record(host, FETCH_EVENT, target, 0, user, client, offset=offset, error=str(exc))
        return _fail(io, str(exc))
    _record(host, FETCH_EVENT, target, len(data), user, client, offset=offset)
    if data:  # at or past the end the real script prints nothing
        io.write_stdout(base64.b64encode(data).decode("ascii") + "\r\n")
    return 0


def make_temp_dir(host: "Host", io: "ProcessIO", directory: str, name: str, user: str) -> int:
    """powershell_mkdtemp.ps1: expand variables in ``directory``, create ``name`` inside."""
    try:
        base = _absolute(session.expand_variables(directory, session.environment(host, user)))
        target = _absolute(ntpath.join(base, name))
        if host.fs.exists(target):
            raise TransferError(f"An item with the specified name {target} already exists.")
        host.fs.mkdir(target)  # New-Item -ItemType Directory creates missing parents too
    except (TransferError, FileSystemError) as exc:
        return _fail(io, str(exc))
    host.timeline.record(host.name, MKDTEMP_EVENT, path=target, user=user)
    io.write_stdout(target + "\r\n")
    return 0


def expand_user(host: "Host", io: "ProcessIO", path: str, user: str) -> int:
    """powershell_expand_user.ps1: '~' and '~\\...' resolve to the user's profile folder."""
    profile = session.profile_folder(user)
    if path == "~":
        path = profile
    elif path.startswith("~\\"):
        path = ntpath.join(profile, path[2:])
    io.write_stdout(path + "\r\n")
    return 0


def _create_file(host: "Host", path: str) -> str:
    """[File]::Create: truncate or create, but only inside an existing folder."""
    target = _absolute(path)
    if host.fs.is_dir(target):
        raise TransferError(f"Access to the path '{target}' is denied.")
    if not host.fs.is_dir(ntpath.dirname(target)):
        raise TransferError(f"Could not find a part of the path '{target}'.")
    host.fs.write(target, b"")
    return target


def _absolute(path: str) -> str:
    try:
        return normalize(path)
    except FileSystemError:
        raise TransferError(f"scada twin: path '{path}' is not absolute; the twin has no "
                            f"current directory, so ansible must send absolute paths") from None


def _from_base64(line: bytes) -> bytes:
    """[Convert]::FromBase64String: whitespace is ignored, anything else invalid fails."""
    try:
        return base64.b64decode(line.translate(None, _BASE64_WHITESPACE), validate=True)
    except (binascii.Error, ValueError):
        raise TransferError("The input is not a valid Base-64 string as it contains a non-base "
                            "64 character, more than two padding characters, or an illegal "
                            "character among the padding characters.") from None


def _record(host: "Host", kind: str, path: str, size: int, user: str, client: str,
            error: str | None = None, **extra: Any) -> None:
    data: dict[str, Any] = {"path": path, "size": size, "user": user, "client": client,
                            "ok": error is None, **extra}
    if error is not None:
        data["error"] = error
    host.timeline.record(host.name, kind, **data)


def _fail(io: "ProcessIO", message: str) -> int:
    io.write_stderr(message + "\r\n")
    return 1
