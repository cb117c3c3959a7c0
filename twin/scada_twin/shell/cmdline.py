"""Decoding a WinRS command line into the PowerShell script it asks for.

WinRS hands the host a command and a list of arguments and joins them with spaces before the
process parses its own command line, so ansible-core 2.19's ``PowerShell`` + ``[-NoProfile,
..., -EncodedCommand, <b64>]`` and 2.20/2.21's single string with no arguments are the same
thing once joined. The only thing the twin accepts is ``powershell[.exe]`` running an
``-EncodedCommand`` (UTF-16-LE base64) script, optionally with ``-EncodedArguments``
(base64 CLIXML); everything else raises :class:`UnsupportedCommand`, whose message names
what was refused. Nothing here looks at what the script does.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import ntpath
import re
import xml.etree.ElementTree as ET

_EXECUTABLES = {"powershell", "powershell.exe"}
_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"  # PowerShell treats all five as a single quote
_CLIXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SHOWN_LENGTH = 100
_NOT_SUPPORTED = "the twin only runs ansible-core's file transfer and the scada.redundancy agent"


class UnsupportedCommand(Exception):
    """The command is not an encoded PowerShell script; ``reason`` says what is wrong."""

    def __init__(self, line: str, reason: str) -> None:
        super().__init__(f"unsupported command '{_shorten(line)}': {reason}")
        self.line = line
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class _Switch:
    name: str
    shortest: str  # the shortest prefix powershell.exe accepts for it
    aliases: tuple[str, ...] = ()
    takes_value: bool = False

    def matches(self, key: str) -> bool:
        return key in self.aliases or (self.name.startswith(key) and len(key) >= len(self.shortest))


# Windows PowerShell 5.1's command-line switches with their accepted abbreviations.
_SWITCHES = (
    _Switch("encodedarguments", "encodeda", ("ea",), True),
    _Switch("encodedcommand", "e", ("ec",), True),
    _Switch("executionpolicy", "ex", ("ep",), True),
    _Switch("inputformat", "in", ("if",), True),
    _Switch("outputformat", "o", ("of",), True),
    _Switch("windowstyle", "w", (), True),
    _Switch("version", "v", (), True),
    _Switch("configurationname", "config", (), True),
    _Switch("noprofile", "nop"),
    _Switch("noninteractive", "noni"),
    _Switch("nologo", "nol"),
    _Switch("noexit", "noe"),
    _Switch("sta", "sta"),
    _Switch("mta", "mta"),
    # Switches the twin refuses: they run script text or files it cannot interpret.
    _Switch("command", "c"),
    _Switch("file", "f"),
    _Switch("psconsolefile", "psconsolefile"),
)


@dataclasses.dataclass(frozen=True)
class PowerShellCommand:
    """A decoded ``powershell -EncodedCommand`` invocation."""

    executable: str
    script: str
    arguments: tuple[str, ...] = ()  # from -EncodedArguments


def decode(command: str, arguments: list[str] | tuple[str, ...] = ()) -> PowerShellCommand:
    """Decode what WinRS asked for, or raise :class:`UnsupportedCommand`."""
    line = " ".join([command, *arguments]).strip()
    tokens = split_line(line)
    if tokens[:1] == ["&"]:  # ansible's shell plugin prefixes a quoted executable with '&'
        tokens = tokens[1:]
    if not tokens:
        raise UnsupportedCommand(line, "the command line is empty")
    if ntpath.basename(tokens[0]).lower() not in _EXECUTABLES:
        raise UnsupportedCommand(line, _NOT_SUPPORTED)
    values = _switch_values(line, tokens[1:])
    if "encodedcommand" not in values:
        raise UnsupportedCommand(line, "PowerShell without -EncodedCommand; " + _NOT_SUPPORTED)
    script = _decode_utf16_base64(line, "-EncodedCommand", values["encodedcommand"])
    arguments_out: tuple[str, ...] = ()
    if "encodedarguments" in values:
        clixml = _decode_utf16_base64(line, "-EncodedArguments", values["encodedarguments"])
        arguments_out = tuple(_clixml_strings(line, clixml))
    return PowerShellCommand(tokens[0], script.lstrip("\ufeff"), arguments_out)


def split_line(line: str) -> list[str]:
    """Split a command line into words.

    Double quotes group as in the Windows C runtime (``""`` and ``\\"`` are a literal quote);
    single quotes group as PowerShell's ``'...'`` literals with a doubled quote for a quote,
    which is how ansible-core's ``quote_pwsh_argument`` quotes base64 containing ``+`` or
    ``=`` (and how its own ``parse_encoded_cmdline`` reads such a line back).
    """
    words: list[str] = []
    current: list[str] = []
    in_word = False
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char.isspace():
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            i += 1
        elif char == "'":
            i = _read_quoted(line, i + 1, _SINGLE_QUOTES, current)
            in_word = True
        elif char == '"':
            i = _read_quoted(line, i + 1, '"', current)
            in_word = True
        elif char == "\\" and line.startswith('\\"', i):
            current.append('"')
            i += 2
            in_word = True
        else:
            current.append(char)
            i += 1
            in_word = True
    if in_word:
        words.append("".join(current))
    return words


def _read_quoted(line: str, i: int, quotes: str, out: list[str]) -> int:
    """Append the quoted text starting at ``i`` to ``out``; return the index after it."""
    while i < len(line):
        char = line[i]
        if char in quotes:
            if i + 1 < len(line) and line[i + 1] in quotes:
                out.append(line[i + 1])
                i += 2
                continue
            return i + 1
        if quotes == '"' and line.startswith('\\"', i):
            out.append('"')
            i += 2
            continue
        out.append(char)
        i += 1
    return i  # an unterminated quote runs to the end of the line, as on Windows


def _switch_values(line: str, tokens: list[str]) -> dict[str, str]:
    """The value of each switch that takes one, by canonical name; refuses the rest."""
    values: dict[str, str] = {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token[:1] not in ("-", "/") or len(token) < 2:
            raise UnsupportedCommand(line, f"PowerShell script text {token!r} on the command "
                                           f"line (only -EncodedCommand is run); {_NOT_SUPPORTED}")
        switch = _find_switch(token[1:].lower())
        if switch is None:
            raise UnsupportedCommand(line, f"unknown PowerShell switch {token!r}")
        if switch.name in ("command", "file", "psconsolefile"):
            raise UnsupportedCommand(line, f"PowerShell {token} (only -EncodedCommand is run); "
                                           f"{_NOT_SUPPORTED}")
        if switch.takes_value:
            if i + 1 >= len(tokens):
                raise UnsupportedCommand(line, f"PowerShell switch {token} has no value")
            values[switch.name] = tokens[i + 1]
            i += 2
        else:
            i += 1
    return values


def _find_switch(key: str) -> _Switch | None:
    return next((s for s in _SWITCHES if s.matches(key)), None)


def _decode_utf16_base64(line: str, switch: str, value: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
        return raw.decode("utf-16-le")
    except (binascii.Error, ValueError) as exc:
        raise UnsupportedCommand(line, f"the value of {switch} is not base64 of UTF-16-LE text "
                                       f"({exc})") from None


def _clixml_strings(line: str, clixml: str) -> list[str]:
    """The <S> strings of the CLIXML ArrayList that -EncodedArguments carries."""
    try:
        root = ET.fromstring(clixml)
    except ET.ParseError as exc:
        raise UnsupportedCommand(line, f"-EncodedArguments is not CLIXML ({exc})") from None
    strings = [el.text or "" for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "S"]
    return [_clixml_unescape(s) for s in strings]


def _clixml_unescape(text: str) -> str:
    """Undo CLIXML's _xHHHH_ escapes (UTF-16 code units, so surrogate pairs re-join)."""
    text = _CLIXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _shorten(line: str) -> str:
    return line if len(line) <= _SHOWN_LENGTH else line[:_SHOWN_LENGTH - 3] + "..."
