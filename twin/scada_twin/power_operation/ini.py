"""Windows ini files (citect.ini) read and edited the way GetPrivateProfileString sees them.

Sections and keys are case-insensitive; the first occurrence of a key wins; values are taken
verbatim after the first '=' (no quoting, and a ';' after a value is part of the value, as in
the Windows profile API). Editing keeps every other line untouched: order, comments, blank
lines, the spelling of existing keys, the line endings and the encoding (a UTF-8 BOM stays).
"""

from __future__ import annotations

import dataclasses

from ..filesystem import FileSystem


@dataclasses.dataclass
class _Line:
    text: str
    section: str          # lower-case name of the section the line belongs to ('' before any)
    header: str | None = None   # display name, on a '[Section]' line
    key: str | None = None      # display name, on a 'Key=Value' line
    value: str = ""


class IniDocument:
    def __init__(self, lines: list[_Line] | None = None, newline: str = "\r\n",
                 trailing_newline: bool = True, bom: bool = False) -> None:
        self._lines = lines or []
        self.encoding = "utf-8"  # what ``save`` writes; ``load`` keeps the file's own
        self.newline = newline
        self.trailing_newline = trailing_newline
        self.bom = bom

    # -- reading ---------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> "IniDocument":
        bom = text.startswith("\ufeff")
        text = text.removeprefix("\ufeff")
        newline = "\r\n" if "\r\n" in text or "\n" not in text else "\n"
        lines: list[_Line] = []
        section = ""
        for raw in text.splitlines():
            lines.append(_parse_line(raw, section))
            section = lines[-1].section
        return cls(lines, newline, text.endswith(("\n", "\r")) or not text, bom)

    def sections(self) -> list[str]:
        seen: dict[str, str] = {}
        for line in self._lines:
            if line.header is not None:
                seen.setdefault(line.section, line.header)
        return list(seen.values())

    def has_section(self, section: str) -> bool:
        return any(line.header is not None and line.section == section.lower()
                   for line in self._lines)

    def items(self, section: str) -> list[tuple[str, str]]:
        """(key, value) pairs of a section, first occurrence of each key."""
        found: dict[str, tuple[str, str]] = {}
        for line in self._key_lines(section):
            found.setdefault(line.key.lower(), (line.key, line.value))  # type: ignore[union-attr]
        return list(found.values())

    def get(self, section: str, key: str, default: str | None = None) -> str | None:
        line = self._find(section, key)
        return default if line is None else line.value

    def line_text(self, section: str, key: str) -> str | None:
        """The key's line as written in the file (first occurrence), None when absent."""
        line = self._find(section, key)
        return None if line is None else line.text

    # -- editing ---------------------------------------------------------------------------
    def set(self, section: str, key: str, value: str) -> None:
        """Set a key: in place if present, else at the end of the section (created if need be)."""
        value = str(value)
        line = self._find(section, key)
        if line is not None:
            line.value = value
            line.text = f"{line.key}={value}"
            return
        new = _Line(f"{key}={value}", section.lower(), key=key, value=value)
        self._lines.insert(self._insertion_point(section), new)

    def restore_line(self, section: str, key: str, text: str) -> None:
        """Put back a key's line exactly as it was written (spacing included); the line must
        hold the same key, so the document reads the value from it as before."""
        restored = _parse_line(text, section.lower())
        if restored.key is None or restored.key.lower() != key.lower():
            raise ValueError(f"{text!r} is not a line of key {key!r}")
        line = self._find(section, key)
        if line is None:
            self.set(section, key, restored.value)
            line = self._find(section, key)
        line.text, line.key, line.value = restored.text, restored.key, restored.value  # type: ignore[union-attr]

    def remove(self, section: str, key: str) -> bool:
        """Remove every occurrence of a key; True when there was one."""
        before = len(self._lines)
        self._lines = [line for line in self._lines
                       if not (line.key is not None and line.section == section.lower()
                               and line.key.lower() == key.lower())]
        return len(self._lines) != before

    def render(self) -> str:
        text = self.newline.join(line.text for line in self._lines)
        if self.trailing_newline and self._lines:
            text += self.newline
        return ("\ufeff" if self.bom else "") + text

    # -- internals -------------------------------------------------------------------------
    def _key_lines(self, section: str) -> list[_Line]:
        return [line for line in self._lines
                if line.key is not None and line.section == section.lower()]

    def _find(self, section: str, key: str) -> _Line | None:
        for line in self._key_lines(section):
            if line.key.lower() == key.lower():  # type: ignore[union-attr]
                return line
        return None

    def _insertion_point(self, section: str) -> int:
        """After the last key of the section's first occurrence; a new section at the end."""
        name = section.lower()
        header = next((i for i, line in enumerate(self._lines)
                       if line.header is not None and line.section == name), None)
        if header is None:
            if self._lines and self._lines[-1].text.strip():
                self._lines.append(_Line("", self._lines[-1].section))
            self._lines.append(_Line(f"[{section}]", name, header=section))
            return len(self._lines)
        point = header + 1
        for i in range(header + 1, len(self._lines)):
            if self._lines[i].header is not None:
                break
            if self._lines[i].key is not None:
                point = i + 1
        return point


def _parse_line(raw: str, section: str) -> _Line:
    stripped = raw.strip()
    if stripped.startswith("[") and "]" in stripped:
        name = stripped[1:stripped.index("]")].strip()
        return _Line(raw, name.lower(), header=name)
    if stripped and stripped[0] not in ";#" and "=" in stripped:
        key, _, value = stripped.partition("=")
        return _Line(raw, section, key=key.strip(), value=value.strip())
    return _Line(raw, section)


def load(fs: FileSystem, path: str) -> IniDocument:
    """Parse an ini file on the host (UTF-8, or the ANSI code page when it is not UTF-8)."""
    data = fs.read(path)
    try:
        return IniDocument.parse(data.decode("utf-8"))
    except UnicodeDecodeError:
        document = IniDocument.parse(data.decode("cp1252"))
        document.encoding = "cp1252"
        return document


def save(fs: FileSystem, path: str, document: IniDocument) -> None:
    fs.write(path, document.render().encode(document.encoding))
