# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""citect.ini read and edited the way the Windows profile API sees it, keeping the file.

Reading (GetPrivateProfileString): section and key names are case-insensitive; the first
occurrence of a key wins; the value is the text after the first ``=``, trimmed (a ``;`` after a
value belongs to the value); lines starting with ``;`` or ``#`` are comments. Editing keeps
every other line as it was (order, comments, blank lines, the spelling of existing keys), the
line endings and the encoding: a BOM (UTF-8, UTF-16) stays; a file without one is UTF-8 when it
holds valid non-ASCII UTF-8, otherwise the host's ANSI code page, which the profile API reads.
``configparser`` rewrites whole files and lower-cases keys, so it does not fit.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import typing as t

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_NEWLINES = re.compile("\r\n|\n|\r")


def ansi_codec(code_page: t.Any) -> str:
    """The Python codec of a Windows ANSI code page (``host_facts`` ``ansi_code_page``)."""
    name = "utf-8" if code_page == 65001 else f"cp{code_page}"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "cp1252"


def decode(data: bytes, ansi: str) -> tuple[str, str, bytes]:
    """(text, codec, BOM) of an ini-like file's bytes by the rules above."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), codec, bom
    if not data.isascii():
        try:
            return data.decode("utf-8"), "utf-8", b""
        except UnicodeDecodeError:
            pass
    return data.decode(ansi, errors="replace"), ansi, b""


def text_lines(data: bytes, ansi: str) -> list[str]:
    """The lines of a small text file (include lists, compile logs) by the same rules."""
    return _NEWLINES.split(decode(data, ansi)[0])


@dataclasses.dataclass
class Line:
    text: str
    section: str          # lower-case name of the section the line is in
    header: str | None = None
    key: str | None = None
    value: str = ""


def _parse_line(raw: str, section: str) -> Line:
    stripped = raw.strip()
    if stripped.startswith("[") and "]" in stripped:
        name = stripped[1:stripped.index("]")].strip()
        return Line(raw, name.lower(), header=name)
    if stripped and stripped[0] not in ";#" and "=" in stripped:
        key, dummy, value = stripped.partition("=")
        return Line(raw, section, key=key.strip(), value=value.strip())
    return Line(raw, section)


class IniDocument:
    """One citect.ini: its lines, and how to write them back byte for byte the same."""

    def __init__(self, data: bytes, ansi: str = "cp1252") -> None:
        text, self.codec, self.bom = decode(data, ansi)
        self.newline = "\r\n" if "\r\n" in text or "\n" not in text else "\n"
        raw = _NEWLINES.split(text)
        self.trailing = not text or text.endswith(("\n", "\r"))
        if self.trailing:
            raw = raw[:-1]
        self.lines: list[Line] = []
        section = ""
        for line in raw:
            self.lines.append(_parse_line(line, section))
            section = self.lines[-1].section

    def to_bytes(self) -> bytes:
        text = self.newline.join(line.text for line in self.lines)
        if self.trailing and self.lines:
            text += self.newline
        return self.bom + text.encode(self.codec, errors="replace")

    def holds(self, text: str) -> bool:
        """Whether the file's encoding can hold ``text`` (an ANSI code page cannot hold all)."""
        try:
            text.encode(self.codec)
        except UnicodeEncodeError:
            return False
        return True

    def find(self, section: str, key: str) -> Line | None:
        """The first ``key=value`` line of a key in a section."""
        return next((line for line in self.lines if line.key is not None
                     and line.section == section.lower() and line.key.lower() == key.lower()),
                    None)

    def get(self, section: str, key: str) -> str | None:
        line = self.find(section, key)
        return None if line is None else line.value

    def line_text(self, section: str, key: str) -> str | None:
        line = self.find(section, key)
        return None if line is None else line.text

    def set(self, section: str, key: str, value: str) -> bool:
        """Set a key in place when present, else after the section's last key (the section
        added at the end when missing); whether the document changed."""
        line = self.find(section, key)
        if line is not None:
            if line.value == value:
                return False
            line.value, line.text = value, f"{line.key}={value}"
            return True
        new = Line(f"{key}={value}", section.lower(), key=key, value=value)
        header = next((i for i, line in enumerate(self.lines)
                       if line.header is not None and line.section == section.lower()), None)
        if header is None:
            if self.lines and self.lines[-1].text.strip():
                self.lines.append(Line("", self.lines[-1].section))
            self.lines += [Line(f"[{section}]", section.lower(), header=section), new]
            return True
        point = header + 1
        for index in range(header + 1, len(self.lines)):
            if self.lines[index].header is not None:
                break
            if self.lines[index].key is not None:
                point = index + 1
        self.lines.insert(point, new)
        return True

    def remove(self, section: str, key: str) -> bool:
        """Remove every occurrence of a key in a section; whether there was one."""
        kept = [line for line in self.lines if not (
            line.key is not None and line.section == section.lower()
            and line.key.lower() == key.lower())]
        removed = len(kept) != len(self.lines)
        self.lines = kept
        return removed

    def restore_line(self, section: str, key: str, saved: t.Mapping[str, str] | None) -> bool:
        """Put a key back as a saved ``{"value", "text"}`` left it (None: it was absent)."""
        if saved is None:
            return self.remove(section, key)
        changed = self.set(section, key, str(saved["value"]))
        line = self.find(section, key)
        if line is not None and line.text != saved["text"]:
            line.text = str(saved["text"])
            changed = True
        return changed

    def saved_line(self, section: str, key: str) -> dict[str, str] | None:
        """What :meth:`restore_line` needs to put a key back as it is now."""
        line = self.find(section, key)
        return None if line is None else {"value": line.value, "text": line.text}
