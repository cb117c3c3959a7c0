"""Read a PNG's pixels without an imaging library, to check what a headless browser painted."""

from __future__ import annotations

import pathlib
import struct
import zlib

_CHANNELS = {2: 3, 6: 4}  # colour type: RGB, RGBA (what Chromium writes)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def pixels(path: pathlib.Path) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and the RGB of every pixel (8-bit, non-interlaced RGB or RGBA PNGs)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    offset, idat, header = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunk = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in _CHANNELS and not interlace, header
    step = _CHANNELS[colour_type]
    raw, stride = zlib.decompress(idat), width * step
    previous, out = bytearray(stride), []
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            line[i] = (line[i] + (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]) & 0xFF
        out.extend(tuple(line[i:i + 3]) for i in range(0, stride, step))
        previous = line
    return width, height, out
