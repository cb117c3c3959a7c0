# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Moving an archive in bounded chunks between hosts and the controller, proved by SHA-256.

Each chunk is one ``archive_read`` operation on the source (base64 in its JSON answer, with
the chunk's SHA-256) and, for a host destination, one ``archive_write`` on the destination
(the chunk as base64 lines after the protocol's NUL separator line). Nothing holds more than
one chunk. The destination writes ``<path>.partial`` and moves it into place only after the
whole file's size and SHA-256 equal the source's (and, when asked, the archive is proved
against its manifest), so an interrupted transfer never leaves a half file under the final
name. The partial file stays; the next run resumes it when its SHA-256 equals the SHA-256 of
the same number of bytes at the source, and starts over otherwise.
"""

from __future__ import annotations

import base64
import concurrent.futures
import dataclasses
import hashlib
import os
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive

DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024
MIN_CHUNK_SIZE = 64 * 1024
MAX_CHUNK_SIZE = 64 * 1024 * 1024
#: Raw bytes per base64 line sent to archive_write: a multiple of 3, so each line decodes alone.
LINE_BYTES = 48 * 1024
PARTIAL_SUFFIX = ".partial"

#: Runs one operation on one host: (operation, params, data after the separator) -> result.
Runner = t.Callable[[str, t.Dict[str, t.Any], t.Optional[bytes]], t.Dict[str, t.Any]]


class TransferError(Exception):
    """A transfer that cannot go on; ``category`` as the operations name their failures."""

    def __init__(self, msg: str, category: str = "transfer_failed") -> None:
        super().__init__(msg)
        self.msg = msg
        self.category = category


@dataclasses.dataclass(frozen=True)
class Facts:
    exists: bool
    size: int | None = None
    sha256: str | None = None
    prefix_sha256: str | None = None
    partial_size: int | None = None
    partial_sha256: str | None = None


@dataclasses.dataclass(frozen=True)
class CopyResult:
    changed: bool
    size: int
    sha256: str
    resumed_from: int = 0
    bytes_sent: int = 0
    chunks: int = 0


#: Every name archive_write reads, sent in each call (strict mode fails a read of one missing).
_WRITE_PARAMS = {"offset": 0, "length": 0, "size": 0, "validate": False}


class RemoteFile:
    """A file on a host, reached through the archive_* operations by ``run``."""

    def __init__(self, run: Runner, path: str, label: str) -> None:
        self._run = run
        self.path = path
        self.label = label

    def facts(self, sha256: bool = True, partial: bool = False, prefix_length: int = -1) -> Facts:
        doc = self._run("archive_stat", {"path": self.path, "sha256": sha256, "partial": partial,
                                         "prefix_length": prefix_length}, None)
        part = doc.get("partial") or {}
        return Facts(bool(doc.get("exists")), doc.get("size"), doc.get("sha256"),
                     doc.get("prefix_sha256"), part.get("size") if part.get("exists") else None,
                     part.get("sha256"))

    def read(self, offset: int, length: int) -> tuple[bytes, int]:
        """The chunk at ``offset`` and the file's current size; the chunk's SHA-256 is checked."""
        doc = self._run("archive_read", {"path": self.path, "offset": offset, "length": length}, None)
        data = base64.b64decode(doc.get("data") or "")
        if len(data) != doc.get("length") or hashlib.sha256(data).hexdigest() != doc.get("sha256"):
            raise TransferError(f"{self.label}: the chunk at offset {offset} of {self.path} arrived "
                                f"damaged", "chunk_corrupt")
        return data, int(doc.get("size") or 0)

    def append(self, offset: int, data: bytes) -> None:
        lines = b"".join(base64.b64encode(data[i:i + LINE_BYTES]) + b"\n"
                         for i in range(0, len(data), LINE_BYTES))
        self._run("archive_write", {**_WRITE_PARAMS, "path": self.path, "action": "append",
                                    "offset": offset, "length": len(data),
                                    "sha256": hashlib.sha256(data).hexdigest()}, lines)

    def commit(self, size: int, sha256: str, validate: bool) -> str:
        doc = self._run("archive_write", {**_WRITE_PARAMS, "path": self.path, "action": "commit",
                                          "size": size, "sha256": sha256, "validate": validate},
                        None)
        return str(doc.get("sha256"))


class LocalFile:
    """A file on the controller, with the same partial-file discipline as a host."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.label = "controller"
        self._partial = path + PARTIAL_SUFFIX

    def facts(self, sha256: bool = True, partial: bool = False, prefix_length: int = -1) -> Facts:
        exists = os.path.isfile(self.path)
        has_partial = partial and os.path.isfile(self._partial)
        return Facts(exists, os.path.getsize(self.path) if exists else None,
                     _archive.sha256_file(self.path) if exists and sha256 else None,
                     _prefix_sha256(self.path, prefix_length) if exists and prefix_length >= 0 else None,
                     os.path.getsize(self._partial) if has_partial else None,
                     _archive.sha256_file(self._partial) if has_partial else None)

    def read(self, offset: int, length: int) -> tuple[bytes, int]:
        """The chunk at ``offset`` and the file's current size (a controller file as source)."""
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            return handle.read(length), os.fstat(handle.fileno()).st_size

    def append(self, offset: int, data: bytes) -> None:
        if offset == 0:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            mode = "wb"
        elif not os.path.isfile(self._partial) or os.path.getsize(self._partial) != offset:
            raise TransferError(f"controller: the partial file {self._partial} does not end at "
                                f"offset {offset}", "offset_mismatch")
        else:
            mode = "ab"
        with open(self._partial, mode) as handle:
            handle.write(data)

    def commit(self, size: int, sha256: str, validate: bool) -> str:
        found = _archive.sha256_file(self._partial)
        if os.path.getsize(self._partial) != size or found != sha256:
            os.remove(self._partial)
            raise TransferError(f"controller: the received file (sha256 {found}) differs from the "
                                f"source (sha256 {sha256}); it was removed", "checksum_mismatch")
        if validate:
            try:
                _archive.verify_archive(self._partial)
            except _archive.ArchiveError as exc:
                os.remove(self._partial)
                raise TransferError(f"controller: the received archive is not intact: {exc}",
                                    "archive_invalid") from None
        os.replace(self._partial, self.path)
        return found


Destination = t.Union[RemoteFile, LocalFile]
Source = t.Union[RemoteFile, LocalFile]


def copy(source: Source, destination: Destination, *, chunk_size: int = DEFAULT_CHUNK_SIZE,
         resume: bool = True, validate: bool = False, check_mode: bool = False,
         progress: t.Callable[[str], None] | None = None,
         more_readers: t.Sequence[Source] = ()) -> CopyResult:
    """Copy ``source`` to ``destination`` unless it already holds the same bytes.

    ``more_readers`` are the same source file reached through connections of their own:
    chunks are then read in parallel, one at a time per connection.

    :raises TransferError: the source is missing, changed during the copy, or a checksum
        failed; an operation failure on either end propagates as it is.
    """
    src = source.facts(sha256=True)
    if not src.exists or src.size is None or src.sha256 is None:
        raise TransferError(f"{source.label}: {source.path} does not exist", "not_found")
    dst = destination.facts(sha256=True, partial=True)
    if dst.exists and dst.size == src.size and dst.sha256 == src.sha256:
        return CopyResult(False, src.size, src.sha256)
    if check_mode:
        return CopyResult(True, src.size, src.sha256)
    start = _resume_point(source, dst, src.size) if resume else 0
    offset, chunks = start, 0
    with _ReadAhead([source, *more_readers], chunk_size, start, src.size) as reader:
        while offset < src.size or (src.size == 0 and chunks == 0):
            data, size = reader.take()
            if size != src.size or len(data) != min(chunk_size, src.size - offset):
                raise TransferError(f"{source.label}: {source.path} changed during the copy "
                                    f"({src.size} bytes, now {size})", "source_changed")
            destination.append(offset, data)
            offset += len(data)
            chunks += 1
            if progress is not None:
                progress(f"copied {offset:,} of {src.size:,} bytes to {destination.label}")
    found = destination.commit(src.size, src.sha256, validate)
    if found != src.sha256:
        raise TransferError(f"{destination.label}: the copy's sha256 {found} differs from the "
                            f"source's {src.sha256}", "checksum_mismatch")
    return CopyResult(True, src.size, src.sha256, start, offset - start, chunks)


class _ReadAhead:
    """Reads the coming chunks from the source while the current one is written.

    The source and the destination are different hosts (or the controller) with their own
    connections, so the waits overlap: a chunk costs about the slower of its read and its
    write, not their sum. With several readers (connections to the same source) up to one
    chunk per reader is read at once, which overlaps the source's per-read costs (a
    PowerShell start, the round trips) too. At most one chunk per reader is held besides
    the one being written; chunks come out in file order.
    """

    def __init__(self, readers: t.Sequence[Source], chunk_size: int, offset: int, size: int) -> None:
        self._chunk_size = chunk_size
        self._size = size
        self._next = offset
        self._pool = concurrent.futures.ThreadPoolExecutor(len(readers), thread_name_prefix="archive-read")
        self._queue: t.List[t.Tuple[Source, concurrent.futures.Future]] = []
        for reader in readers:
            if self._next < size or (size == 0 and not self._queue):
                self._request(reader)

    def _request(self, reader: Source) -> None:
        self._queue.append((reader, self._pool.submit(reader.read, self._next, self._chunk_size)))
        self._next += self._chunk_size

    def take(self) -> tuple[bytes, int]:
        """The next chunk in file order; its reader goes on with the next unrequested one."""
        if not self._queue:
            raise TransferError("internal error: no chunk was requested", "transfer_failed")
        reader, pending = self._queue.pop(0)
        chunk = pending.result()
        if self._next < self._size:
            self._request(reader)
        return chunk

    def __enter__(self) -> "_ReadAhead":
        return self

    def __exit__(self, *exc: object) -> None:
        # After a failure, reads already running end on their own and are dropped.
        self._pool.shutdown(wait=True, cancel_futures=True)


def _prefix_sha256(path: str, length: int) -> str:
    """SHA-256 of the first ``length`` bytes of a local file, read in bounded chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while length > 0:
            block = handle.read(min(length, 1024 * 1024))
            if not block:
                break
            digest.update(block)
            length -= len(block)
    return digest.hexdigest()


def _resume_point(source: Source, dst: Facts, size: int) -> int:
    """Bytes of a partial file at the destination that equal the source's first bytes."""
    if not dst.partial_size or dst.partial_size > size:
        return 0
    prefix = source.facts(sha256=False, prefix_length=dst.partial_size).prefix_sha256
    return dst.partial_size if prefix == dst.partial_sha256 else 0
