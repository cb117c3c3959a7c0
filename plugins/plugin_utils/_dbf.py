# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A reader of the dBASE III tables (.DBF) Plant SCADA keeps project tables in.

Layout: a 32-byte header (record count at 4, header length at 8, record length at 10, little
endian), 32-byte field descriptors up to a 0x0D byte (name in the first 11 bytes, type at 11,
length at 16), then fixed-length records, each starting with a deletion flag (``*`` deleted).
Character fields are text in the host's ANSI code page, padded with spaces or NULs. Bytes that
are not a consistent table give :func:`layout` None, so a caller can read them as text.
(``dbfread`` reads files, not bytes, and brings more than two tables need.)
"""

from __future__ import annotations

import struct
import typing as t


class Field(t.NamedTuple):
    name: str
    type: str
    length: int


class Layout(t.NamedTuple):
    header_length: int
    record_length: int
    count: int
    fields: list[Field]


def layout(data: bytes) -> Layout | None:
    """The table's layout, or None when ``data`` is not a consistent dBASE III table."""
    if len(data) < 33:
        return None
    count, header_length, record_length = struct.unpack_from("<IHH", data, 4)
    if header_length < 33 or header_length > len(data) or record_length < 1:
        return None
    fields: list[Field] = []
    offset, width = 32, 1
    while offset < header_length and data[offset] != 0x0D:
        if offset + 32 > header_length:
            return None
        name = data[offset:offset + 11].split(b"\0", 1)[0].decode("ascii", errors="replace")
        fields.append(Field(name.upper(), chr(data[offset + 11]), data[offset + 16]))
        width += data[offset + 16]
        offset += 32
    if offset >= header_length or not fields or width != record_length \
            or header_length + count * record_length > len(data):
        return None
    return Layout(header_length, record_length, count, fields)


def records(data: bytes, codec: str) -> list[dict[str, str]]:
    """The live (not deleted) records, each FIELDNAME -> trimmed text."""
    table = layout(data)
    if table is None:
        raise ValueError("not a dBASE table")
    found = []
    for index in range(table.count):
        start = table.header_length + index * table.record_length
        if data[start] == 0x2A:
            continue
        record, position = {}, start + 1
        for field in table.fields:
            raw = data[position:position + field.length]
            record[field.name] = raw.decode(codec, errors="replace").strip("\0 ")
            position += field.length
        found.append(record)
    return found


def column(data: bytes, field: str, codec: str) -> list[str]:
    """One column of the live records, empty values left out: the named field, else the
    table's first character field."""
    table = layout(data)
    if table is None:
        raise ValueError("not a dBASE table")
    names = [f.name for f in table.fields]
    name = field.upper()
    if name not in names:
        name = next((f.name for f in table.fields if f.type == "C"), "")
        if not name:
            return []
    return [record[name] for record in records(data, codec) if record[name]]
