"""The twin's file system appends in place: many chunks cost one copy, and the rules stay."""

from __future__ import annotations

import os
import time

import pytest

from scada_twin.filesystem import DiskFullError, FileSystem

PATH = "D:\\Incoming\\big.ctz"
MIB = 1024 * 1024


def test_appended_chunks_read_back_as_one_file_with_free_space_accounted():
    fs = FileSystem(capacity_bytes=100 * MIB, free_bytes=100 * MIB)
    chunks = [os.urandom(1000 + i) for i in range(50)]
    for chunk in chunks:
        fs.append(PATH, chunk)
        assert fs.size(PATH) == sum(len(c) for c in chunks[:chunks.index(chunk) + 1])
    content = fs.read(PATH)
    assert isinstance(content, bytes) and content == b"".join(chunks)
    assert fs.free_bytes == 100 * MIB - len(content)
    fs.append(PATH, b"tail")  # appending after a read goes on from the frozen content
    assert fs.read(PATH) == content + b"tail" and content == b"".join(chunks)


def test_an_append_beyond_the_free_space_fails_and_keeps_the_file():
    fs = FileSystem(capacity_bytes=10 * MIB, free_bytes=2 * MIB)
    fs.append(PATH, b"x" * MIB)
    fs.append(PATH, b"y" * (MIB // 2))
    with pytest.raises(DiskFullError):
        fs.append(PATH, b"z" * MIB)
    assert fs.read(PATH) == b"x" * MIB + b"y" * (MIB // 2)


def test_appending_many_chunks_does_not_copy_the_growing_file_each_time():
    # 256 appends of 1 MiB: copying the file per append would move 32 GiB.
    fs = FileSystem(capacity_bytes=1024 * MIB, free_bytes=1024 * MIB)
    chunk = b"\0" * MIB
    start = time.process_time()
    for _ in range(256):
        fs.append(PATH, chunk)
    assert fs.size(PATH) == 256 * MIB
    assert time.process_time() - start < 5.0
