"""File verbs that move a large file in pieces: ``file_hash``, ``file_read_range``,
``file_append``, and the share paths they (and ``file_copy``) accept.

Share paths: a host reaches the administrative shares of its pair partner,
``\\\\<COMPUTER>\\<X>$\\<path>`` = ``<X>:\\<path>`` on the partner whose ``[LAN]Node`` (its
computer name) is ``<COMPUTER>`` (Microsoft, "Administrative shares"). Any other server is
not reachable: Test-Path answers false and a file API throws "The network path was not found".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ntpath
import re
from typing import Any

from ..filesystem import DiskFullError, FileSystem, FileSystemError
from . import VerbContext, VerbError

_UNC = re.compile(r'^\\\\([^\\/:*?"<>|]+)\\([^\\/:*?"<>|]+)\\([^:*?"<>|]+)$')
_ADMIN_SHARE = re.compile(r"^([A-Za-z])\$$")
_NOT_FOUND = "System.IO.FileNotFoundException"


def locate(ctx: VerbContext, path: str) -> tuple[FileSystem, str] | None:
    """The file system and local path a path names on this host; None for a share this host
    cannot reach."""
    match = _UNC.match(path)
    if not match:
        return ctx.host.fs, path
    server, share, rest = match.groups()
    drive = _ADMIN_SHARE.match(share)
    po = ctx.host.power_operation
    partner = po.pair.partner(po) if po is not None and po.pair is not None else None
    if partner is not None and drive and \
            (partner.install.ini().get("LAN", "Node") or "").lower() == server.lower():
        return partner.projects.fs, f"{drive.group(1).upper()}:\\{rest}"
    return None


def existing(ctx: VerbContext, path: str) -> tuple[FileSystem, str]:
    """FileStream on a path: FileNotFoundException, or IOException for an unreachable share."""
    found = locate(ctx, path)
    if found is None:
        raise VerbError("The network path was not found.", None, "System.IO.IOException")
    if not found[0].is_file(found[1]):
        raise VerbError(f"Could not find file '{path}'.", None, _NOT_FOUND)
    return found


def file_hash(ctx: VerbContext, path: str, length: int) -> dict[str, Any]:
    """Test-Path -PathType Leaf, then FileStream.Read and SHA256.TransformBlock over the first
    ``length`` bytes (Microsoft, "HashAlgorithm.TransformBlock")."""
    found = locate(ctx, path)
    if found is None or not found[0].is_file(found[1]):
        return {"exists": False, "size": None, "hashed": 0, "sha256": None}
    data = found[0].read(found[1])
    part = data if length < 0 else data[:length]
    _costs(ctx, "file_hash_per_mib", len(part), 0.01)
    return {"exists": True, "size": len(data), "hashed": len(part),
            "sha256": hashlib.sha256(part).hexdigest()}


def file_read_range(ctx: VerbContext, path: str, offset: int, length: int) -> dict[str, Any]:
    """FileStream.Position and Read (Microsoft, "FileStream.Read"); the verb refuses an offset
    beyond the end."""
    fs, local = existing(ctx, path)
    data = fs.read(local)
    if offset > len(data):
        raise VerbError(f"offset {offset} is beyond the end of {path} ({len(data)} bytes)",
                        "offset_mismatch")
    piece = data[offset:offset + length]
    _costs(ctx, "file_read_range_per_mib", len(piece))
    return {"size": len(data), "offset": offset, "length": len(piece),
            "sha256": hashlib.sha256(piece).hexdigest(),
            "base64": base64.b64encode(piece).decode("ascii")}


def file_append(ctx: VerbContext, path: str, offset: int, base64: str, sha256: str) -> dict[str, Any]:
    """Convert.FromBase64String, then FileStream (FileMode.Create at offset 0, else Open) and
    Write; a failed write is cut off with SetLength (Microsoft, "FileStream.SetLength")."""
    fs = ctx.host.fs
    try:
        piece = bytearray(_decode(base64))
    except (binascii.Error, ValueError):
        raise VerbError("The input is not a valid Base-64 string.", None, "System.FormatException") from None
    if piece and ctx.host.faults.take(ctx.host.name, "corrupt_transfer") is not None:
        piece[len(piece) // 2] ^= 0xFF  # damaged on the way: the sender's SHA-256 no longer fits
    digest = hashlib.sha256(piece).hexdigest()
    if digest != sha256:
        raise VerbError(f"the piece for offset {offset} of {path} arrived damaged (sha256 "
                        f"{digest}); it was not written", "chunk_corrupt")
    if offset and not fs.is_file(path):
        raise VerbError(f"{path} does not exist to continue at offset {offset}", "offset_mismatch")
    parent = ntpath.dirname(path.rstrip("\\"))
    if parent and not fs.is_dir(parent):  # FileStream creates no folder
        raise VerbError(f"Could not find a part of the path '{path}'.", None,
                        "System.IO.DirectoryNotFoundException")
    current = fs.size(path) if offset else 0  # the size only: reading would copy the file
    if current != offset:
        raise VerbError(f"{path} holds {current} bytes, not {offset}", "offset_mismatch")
    _costs(ctx, "file_append_per_mib", len(piece))
    try:
        if offset == 0:
            fs.write(path, bytes(piece))
        else:
            fs.append(path, bytes(piece))
    except DiskFullError as exc:
        raise VerbError(str(exc), "disk_full") from None
    except FileSystemError as exc:
        raise VerbError(str(exc), None, "System.IO.DirectoryNotFoundException") from None
    return {"path": path, "size": offset + len(piece)}


def _decode(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _costs(ctx: VerbContext, name: str, size: int, per_mib: float = 0.02) -> None:
    """Reading and hashing (100 MiB/s by default), or reading or decoding and writing with a
    hash (50 MiB/s): a plant server's usual disk and CPU."""
    ctx.host.costs.sleep(ctx.host.costs.operation(name, per_mib) * size / 2**20)
