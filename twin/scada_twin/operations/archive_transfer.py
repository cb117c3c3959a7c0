"""Twin models of archive_stat, archive_read, archive_write and archive_share_copy.

What the scripts do on a real host, on the host's simulated file system: facts about a file
and its '.partial' (sizes, SHA-256, the SHA-256 of a prefix), one chunk read as base64, a chunk
of base64 lines appended to '<path>.partial' and checked, the partial file proved and moved
into place, a copy from a share path.

Share paths: the twin knows the administrative shares of the pair partner,
``\\\\<COMPUTER>\\<X>$\\<path>`` = ``<X>:\\<path>`` on the partner whose ``[LAN]Node`` (its
computer name) is ``<COMPUTER>``. Any other server is "not reachable", as a real host that
cannot resolve or authenticate to it reports.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import TYPE_CHECKING, Any

from ..filesystem import FileSystem, FileSystemError
from . import Call, OperationError, operation
from . import _backup_archive as ctz

if TYPE_CHECKING:
    from ..host import Host

_LOCAL = re.compile(r'^[A-Za-z]:\\[^:*?"<>|]*$')
_UNC = re.compile(r'^\\\\([^\\/:*?"<>|]+)\\([^\\/:*?"<>|]+)\\([^:*?"<>|]+)$')
_ADMIN_SHARE = re.compile(r"^([A-Za-z])\$$")
MAX_CHUNK = 64 * 1024 * 1024


def check_path(path: str, what: str, allow_unc: bool = False) -> None:
    """Assert-ArchivePath."""
    ok = bool(_LOCAL.match(path)) or (allow_unc and bool(_UNC.match(path)))
    if not ok or re.search(r"(^|[\\/])[. ]*\.[. ]*([\\/]|$)", path):
        raise OperationError(f"{what} must be a full path such as D:\\Backups\\file.ctz, not '{path}'",
                             "invalid_parameter")


def locate(host: "Host", path: str) -> tuple[FileSystem, str]:
    """The file system and local path a (possibly share) path names."""
    match = _UNC.match(path)
    if not match:
        return host.fs, path
    server, share, rest = match.groups()
    drive = _ADMIN_SHARE.match(share)
    po = host.power_operation
    partner = po.pair.partner(po) if po is not None and po.pair is not None else None
    if partner is not None and drive and (partner.install.ini().get("LAN", "Node") or "").lower() == server.lower():
        return partner.projects.fs, f"{drive.group(1).upper()}:\\{rest}"
    raise OperationError(f"'{path}' does not exist or this host cannot reach it "
                         f"(The network path was not found)", "not_found")


def io_error(message: str, exc: Exception) -> OperationError:
    """New-ArchiveIoError."""
    text = str(exc)
    category = "disk_full" if "not enough space" in text else "io_error"
    return OperationError(f"{message}: {text}", category)


def _facts(fs: FileSystem, path: str, sha: bool, prefix: int) -> dict[str, Any]:
    facts: dict[str, Any] = {"exists": False, "size": None, "sha256": None, "prefix_sha256": None}
    if not fs.is_file(path):
        return facts
    data = fs.read(path)
    facts.update(exists=True, size=len(data))
    if 0 <= prefix <= len(data):
        facts["prefix_sha256"] = hashlib.sha256(data[:prefix]).hexdigest()
    if sha:
        facts["sha256"] = hashlib.sha256(data).hexdigest()
    return facts


@operation("archive_stat")
def archive_stat(host: "Host", call: Call) -> dict[str, Any]:
    path = str(call.params.get("path") or "")
    check_path(path, "path", allow_unc=True)
    try:
        fs, local = locate(host, path)
    except OperationError:  # Test-Path is simply false for a share this host cannot reach
        fs, local = FileSystem(0, 0), "C:\\unreachable"
    result = _facts(fs, local, bool(call.params.get("sha256")), int(call.params.get("prefix_length", -1)))
    result["path"] = path
    if call.params.get("partial"):
        partial = _facts(fs, local + ".partial", True, -1)
        result["partial"] = {k: partial[k] for k in ("exists", "size", "sha256")}
    return result


@operation("archive_read")
def archive_read(host: "Host", call: Call) -> dict[str, Any]:
    path = str(call.params.get("path") or "")
    check_path(path, "path", allow_unc=True)
    offset, length = int(call.params.get("offset", 0)), int(call.params.get("length", 0))
    if offset < 0 or not 1 <= length <= MAX_CHUNK:
        raise OperationError("offset must be >= 0 and length between 1 and 67108864", "invalid_parameter")
    fs, local = locate(host, path)
    if not fs.is_file(local):
        raise OperationError(f"'{path}' does not exist", "not_found")
    data = fs.read(local)
    if offset > len(data):
        raise OperationError(f"offset {offset} is beyond the end of '{path}' ({len(data)} bytes)",
                             "offset_mismatch")
    chunk = data[offset:offset + length]
    host.costs.sleep(host.costs.operation("archive_read_per_mib", 0.02) * len(chunk) / 2**20)
    return {"path": path, "size": len(data), "offset": offset, "length": len(chunk),
            "eof": offset + len(chunk) >= len(data), "sha256": hashlib.sha256(chunk).hexdigest(),
            "data": base64.b64encode(chunk).decode("ascii")}


@operation("archive_write")
def archive_write(host: "Host", call: Call) -> dict[str, Any]:
    path = str(call.params.get("path") or "")
    check_path(path, "path")
    partial = path + ".partial"
    action = call.params.get("action")
    try:
        if action == "append":
            return {"path": path, "partial_size": _append(host, call, partial)}
        if action == "commit":
            return _commit(host, path, partial, call.params)
        if action == "discard":
            existed = host.fs.is_file(partial)
            if existed:
                host.fs.remove(partial)
            return {"path": path, "removed": existed}
    except FileSystemError as exc:
        raise io_error(f"cannot write '{partial}'", exc) from None
    raise OperationError(f"action must be append, commit or discard, not '{action}'", "invalid_parameter")


def _append(host: "Host", call: Call, partial: str) -> int:
    offset, length = int(call.params.get("offset", 0)), int(call.params.get("length", 0))
    if offset and not host.fs.is_file(partial):
        raise OperationError(f"no partial file to continue at offset {offset}", "offset_mismatch")
    current = host.fs.size(partial) if offset else 0  # the size only: reading would copy it
    if current != offset:
        raise OperationError(f"the partial file holds {current} bytes, not {offset}", "offset_mismatch")
    chunk = bytearray()
    try:
        for line in data_lines(call):
            chunk += base64.b64decode(line, validate=True)
    except (binascii.Error, ValueError):
        raise OperationError("the chunk is not base64", "chunk_corrupt") from None
    if chunk and host.faults.take(host.name, "corrupt_transfer") is not None:
        chunk[len(chunk) // 2] ^= 0xFF  # damaged on the way: the sender's SHA-256 no longer fits
    if len(chunk) != length or hashlib.sha256(chunk).hexdigest() != call.params.get("sha256"):
        raise OperationError(f"the chunk at offset {offset} arrived damaged ({len(chunk)} of {length} "
                             f"bytes or a wrong sha256); it was not kept", "chunk_corrupt")
    # Decoding and writing a chunk: 50 MiB/s modelled (a plant's usual server disk and CPU).
    host.costs.sleep(host.costs.operation("archive_write_per_mib", 0.02) * len(chunk) / 2**20)
    if offset == 0:
        host.fs.write(partial, bytes(chunk))
    else:
        host.fs.append(partial, bytes(chunk))
    return offset + len(chunk)


def _commit(host: "Host", path: str, partial: str, params: dict[str, Any]) -> dict[str, Any]:
    if not host.fs.is_file(partial):
        raise OperationError(f"no partial file '{partial}' to commit", "not_found")
    data = host.fs.read(partial)
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != int(params.get("size", -1)) or digest != params.get("sha256"):
        host.fs.remove(partial)
        raise OperationError(f"the received file ({len(data)} bytes, sha256 {digest}) differs from the "
                             f"source ({params.get('size')} bytes, sha256 {params.get('sha256')}); "
                             f"it was removed", "checksum_mismatch")
    return _move_into_place(host, partial, path, data, bool(params.get("validate")))


def _move_into_place(host: "Host", partial: str, path: str, data: bytes, validate: bool) -> dict[str, Any]:
    if validate:
        try:
            ctz.verify(data, partial)
        except OperationError:
            host.fs.remove(partial)
            raise
    host.fs.write(path, data)  # a rename on a real host; the twin has none
    host.fs.remove(partial)
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def data_lines(call: Call) -> list[bytes]:
    """The base64 lines after the NUL separator line the bootstrap pipes to the script."""
    lines = []
    for line in call.io.lines():
        if line == b"\0\0\0\0":
            continue
        if line.strip():
            lines.append(line.strip())
    return lines


@operation("archive_share_copy")
def archive_share_copy(host: "Host", call: Call) -> dict[str, Any]:
    source, path = str(call.params.get("source") or ""), str(call.params.get("path") or "")
    check_path(source, "share_path", allow_unc=True)
    check_path(path, "dest")
    fs, local = locate(host, source)
    if not fs.is_file(local):
        raise OperationError(f"'{source}' does not exist or this host cannot reach it", "not_found")
    data = fs.read(local)
    partial = path + ".partial"
    try:
        host.fs.write(partial, data)
    except FileSystemError as exc:
        if host.fs.is_file(partial):
            host.fs.remove(partial)
        raise io_error(f"cannot copy '{source}' to '{partial}'", exc) from None
    digest = hashlib.sha256(data).hexdigest()
    expected = call.params.get("sha256")
    if expected and digest != expected:
        host.fs.remove(partial)
        raise OperationError(f"the copy (sha256 {digest}) differs from the source (sha256 {expected}); "
                             f"it was removed", "checksum_mismatch")
    try:
        result = _move_into_place(host, partial, path, data, bool(call.params.get("validate")))
    except FileSystemError as exc:
        raise io_error(f"cannot write '{path}'", exc) from None
    return {**result, "source": source}
