# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Moving an archive in bounded chunks between hosts and the controller, proved by SHA-256.

Each chunk is one batch of agent verbs on the source (``file_read_range``: base64 with the
chunk's SHA-256) and, for a host destination, one on the destination (``file_append`` to
``<path>.partial``, written there only when the chunk's SHA-256 holds). Nothing holds more
than one chunk. The partial file takes the final name (``path_move``) only after the whole
file's size and SHA-256 equal the source's (and, when asked, the archive is proved against
its manifest, :func:`_archive.verify_listing`), so an interrupted transfer never leaves a half
file under the final name. The partial file stays; the next run resumes it when its SHA-256
equals the SHA-256 of the same number of bytes at the source, and starts over otherwise.
Every decision is made here; the host only reads, hashes, appends and renames.
"""

from __future__ import annotations

import base64
import concurrent.futures
import dataclasses
import hashlib
import ntpath
import os
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import (
    EVERY_CATEGORY,
    RunVerbs,
    VerbCall,
    VerbError,
    first_failure,
)

DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024
MIN_CHUNK_SIZE = 64 * 1024
MAX_CHUNK_SIZE = 64 * 1024 * 1024
PARTIAL_SUFFIX = ".partial"


class TransferError(Exception):
    """A transfer that cannot go on; ``category`` as the verbs name their failures."""

    def __init__(self, msg: str, category: str = "transfer_failed") -> None:
        super().__init__(msg)
        self.msg = msg
        self.category = category


@dataclasses.dataclass(frozen=True)
class Facts:
    exists: bool
    size: int | None = None
    sha256: str | None = None
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


class RemoteFile:
    """A file on a host, reached through agent verbs by ``run`` (an action's ``verbs``)."""

    def __init__(self, run: RunVerbs, path: str, label: str) -> None:
        self._run = run
        self.path = path
        self.label = label
        self._partial = path + PARTIAL_SUFFIX
        self._checked: list[t.Any] | None = None  # what the last chunk's batch read for commit

    def facts(self, partial: bool = False) -> Facts:
        """Whether the file exists, its size and SHA-256; with ``partial``, the partial file's."""
        calls = [verbs.file_hash(self.path)] + ([verbs.file_hash(self._partial)] if partial else [])
        found = self._run("inspect the archive", calls)
        part = found[1] if partial and found[1]["exists"] else {}
        return Facts(bool(found[0]["exists"]), found[0]["size"], found[0]["sha256"],
                     part.get("size"), part.get("sha256"))

    def prefix_sha256(self, length: int) -> str | None:
        """SHA-256 of the file's first ``length`` bytes; None when it is shorter."""
        found = self._run("inspect the archive", [verbs.file_hash(self.path, length)])[0]
        return found["sha256"] if found["exists"] and found["hashed"] == length else None

    def read(self, offset: int, length: int) -> tuple[bytes, int]:
        """The chunk at ``offset`` and the file's current size; the chunk's SHA-256 is checked."""
        found = self._run("read the archive", [verbs.file_read_range(self.path, offset, length)])[0]
        data = base64.b64decode(found["base64"] or "")
        if len(data) != found["length"] or hashlib.sha256(data).hexdigest() != found["sha256"]:
            raise TransferError(f"{self.label}: the chunk at offset {offset} of {self.path} arrived "
                                f"damaged", "chunk_corrupt")
        return data, int(found["size"])

    def append(self, offset: int, data: bytes, last: bool = False, validate: bool = False) -> None:
        """Add a chunk to the partial file; with ``last``, the same batch reads what
        :meth:`commit` checks (one PowerShell fewer)."""
        calls = [verbs.dir_create(ntpath.dirname(self.path))] if offset == 0 else []
        calls.append(verbs.file_append(self._partial, offset, base64.b64encode(data).decode("ascii"),
                                       hashlib.sha256(data).hexdigest()))
        checks = self._check_calls(validate) if last else []
        found = self._run("write the archive", calls + checks, tolerate=("corrupt",) if checks else ())
        self._checked = found[len(calls):] if checks else None

    def _check_calls(self, validate: bool) -> list[VerbCall]:
        calls = [verbs.file_hash(self._partial)]
        if validate:
            calls.append(verbs.zip_list(self._partial, sha256=True, read=[_archive.MANIFEST_NAME]))
        return calls

    def commit(self, size: int, sha256: str, validate: bool) -> str:
        """Prove the partial file (and with ``validate`` the archive) and give it the final
        name; a partial file that fails is removed. Its SHA-256."""
        found = self._checked or self._run("check the archive", self._check_calls(validate),
                                           tolerate=("corrupt",))
        self._checked = None
        whole = found[0]
        if not whole["exists"]:
            raise TransferError(f"{self.label}: {self._partial} is gone", "not_found")
        if whole["size"] != size or whole["sha256"] != sha256:
            self._discard()
            raise TransferError(f"{self.label}: the received file ({whole['size']} bytes, sha256 "
                                f"{whole['sha256']}) differs from the source ({size} bytes, sha256 "
                                f"{sha256}); it was removed", "checksum_mismatch")
        if validate:
            try:
                if isinstance(found[1], VerbError):
                    raise _archive.ArchiveError(found[1].msg)
                _archive.verify_listing(found[1])
            except _archive.ArchiveError as exc:
                self._discard()
                raise TransferError(f"{self.label}: the received archive is not intact: {exc}",
                                    "archive_invalid") from None
        self._run("move the archive into place", [verbs.path_move(self._partial, self.path)])
        return str(whole["sha256"])

    def fetch_share(self, share_path: str) -> None:
        """The host copies ``share_path`` (which it reads with its own logon) into the
        partial file; :meth:`commit` proves it. A failed copy leaves no partial file."""
        found = self._run("copy the archive from the share",
                          [verbs.dir_create(ntpath.dirname(self.path)),
                           verbs.file_copy(share_path, self._partial)], tolerate=EVERY_CATEGORY)
        failed = first_failure(found)
        if failed is not None:
            self._discard()
            raise TransferError(f"{self.label}: cannot copy {share_path}: {found[failed].msg}",
                                found[failed].category)

    def _discard(self) -> None:
        self._run("remove the received archive", [verbs.path_remove(self._partial)])


class LocalFile:
    """A file on the controller, with the same partial-file discipline as a host."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.label = "controller"
        self._partial = path + PARTIAL_SUFFIX

    def facts(self, partial: bool = False) -> Facts:
        exists = os.path.isfile(self.path)
        has_partial = partial and os.path.isfile(self._partial)
        return Facts(exists, os.path.getsize(self.path) if exists else None,
                     _archive.sha256_file(self.path) if exists else None,
                     os.path.getsize(self._partial) if has_partial else None,
                     _archive.sha256_file(self._partial) if has_partial else None)

    def prefix_sha256(self, length: int) -> str | None:
        """SHA-256 of the file's first ``length`` bytes; None when it is shorter."""
        if not os.path.isfile(self.path) or os.path.getsize(self.path) < length:
            return None
        digest = hashlib.sha256()
        with open(self.path, "rb") as handle:
            while length > 0:
                block = handle.read(min(length, 1024 * 1024))
                digest.update(block)
                length -= len(block)
        return digest.hexdigest()

    def read(self, offset: int, length: int) -> tuple[bytes, int]:
        """The chunk at ``offset`` and the file's current size (a controller file as source)."""
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            return handle.read(length), os.fstat(handle.fileno()).st_size

    def append(self, offset: int, data: bytes, last: bool = False, validate: bool = False) -> None:
        del last, validate  # commit reads the local file itself
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
        failed; a verb failure on either end propagates as it is.
    """
    # The two ends are asked at once: each is its own host (or the controller).
    with concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="archive-facts") as pool:
        asked = pool.submit(source.facts), pool.submit(destination.facts, True)
        src, dst = asked[0].result(), asked[1].result()
    if not src.exists or src.size is None or src.sha256 is None:
        raise TransferError(f"{source.label}: {source.path} does not exist", "not_found")
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
            destination.append(offset, data, last=offset + len(data) >= src.size, validate=validate)
            offset += len(data)
            chunks += 1
            if progress is not None:
                progress(f"copied {offset:,} of {src.size:,} bytes to {destination.label}")
    found = destination.commit(src.size, src.sha256, validate)
    if found != src.sha256:
        raise TransferError(f"{destination.label}: the copy's sha256 {found} differs from the "
                            f"source's {src.sha256}", "checksum_mismatch")
    return CopyResult(True, src.size, src.sha256, start, offset - start, chunks)


def fetch(run: RunVerbs, host_path: str, local_path: str, *, chunk_size: int = DEFAULT_CHUNK_SIZE,
          validate: bool = False, check_mode: bool = False,
          progress: t.Callable[[str], None] | None = None) -> dict[str, t.Any]:
    """Bring a file of the host to the controller (``copy`` from a :class:`RemoteFile`): the
    ``fetched`` result the backup modules return (``path``, ``changed``, ``sha256``, ``size``).

    :raises TransferError: as :func:`copy`.
    """
    copied = copy(RemoteFile(run, host_path, "host"), LocalFile(local_path), chunk_size=chunk_size,
                  validate=validate, check_mode=check_mode, progress=progress)
    return {"path": local_path, "changed": copied.changed, "sha256": copied.sha256, "size": copied.size}


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


def _resume_point(source: Source, dst: Facts, size: int) -> int:
    """Bytes of a partial file at the destination that equal the source's first bytes."""
    if not dst.partial_size or dst.partial_size > size:
        return 0
    return dst.partial_size if source.prefix_sha256(dst.partial_size) == dst.partial_sha256 else 0
