"""ansible-core 2.18 and earlier: put_file and fetch_file as inline scripts with literal values.

Those versions format the path (and for fetch the buffer size and offset) into a fixed script
template (see put_file/fetch_file in ansible/plugins/connection/winrm.py of 2.18) and send it
through ``_encode_script``, which strips every line, drops blank ones and may prefix
``Set-StrictMode -Version Latest``. The twin normalises a script the same way and matches it
against the whole template, anchored, with only the literal slots free: a script that differs
anywhere else is not one of these and is refused by the caller. The path slot is a PowerShell
single-quoted literal, where any of the five single-quote characters doubled stands for one.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import TYPE_CHECKING, Callable

from . import ansible_transfer

if TYPE_CHECKING:
    from ..host import Host
    from .process import ProcessIO

CLIENT = "ansible-core 2.18 inline"
_QUOTES = "'\u2018\u2019\u201a\u201b"
_SLOTS = {
    "path": rf"[{_QUOTES}](?P<path>(?:[^{_QUOTES}]|[{_QUOTES}]{{2}})*)[{_QUOTES}]",
    "buffer_size": r"(?P<buffer_size>-?\d+)",
    "offset": r"(?P<offset>-?\d+)",
}
_DOUBLED_QUOTE = re.compile(f"[{_QUOTES}]([{_QUOTES}])")

# The templates after _encode_script's normalisation; <<slot>> marks a literal.
_PUT_TEMPLATE = r"""
begin {
$path = <<path>>
$DebugPreference = "Continue"
$ErrorActionPreference = "Stop"
Set-StrictMode -Version 2
$fd = [System.IO.File]::Create($path)
$sha1 = [System.Security.Cryptography.SHA1CryptoServiceProvider]::Create()
$bytes = @() #initialize for empty file case
}
process {
$bytes = [System.Convert]::FromBase64String($input)
$sha1.TransformBlock($bytes, 0, $bytes.Length, $bytes, 0) | Out-Null
$fd.Write($bytes, 0, $bytes.Length)
}
end {
$sha1.TransformFinalBlock($bytes, 0, 0) | Out-Null
$hash = [System.BitConverter]::ToString($sha1.Hash).Replace("-", "").ToLowerInvariant()
$fd.Close()
Write-Output "{""sha1"":""$hash""}"
}
"""
_FETCH_TEMPLATE = r"""
$path = <<path>>
If (Test-Path -LiteralPath $path -PathType Leaf)
{
$buffer_size = <<buffer_size>>
$offset = <<offset>>
$stream = New-Object -TypeName IO.FileStream($path, [IO.FileMode]::Open, [IO.FileAccess]::Read, [IO.FileShare]::ReadWrite)
$stream.Seek($offset, [System.IO.SeekOrigin]::Begin) > $null
$buffer = New-Object -TypeName byte[] $buffer_size
$bytes_read = $stream.Read($buffer, 0, $buffer_size)
if ($bytes_read -gt 0) {
$bytes = $buffer[0..($bytes_read - 1)]
[System.Convert]::ToBase64String($bytes)
}
$stream.Close() > $null
}
ElseIf (Test-Path -LiteralPath $path -PathType Container)
{
Write-Host "[DIR]";
}
Else
{
Write-Error "$path does not exist";
Exit 1;
}
"""

Serve = Callable[["Host", "ProcessIO", str], int]


@dataclasses.dataclass(frozen=True)
class _Shape:
    pattern: re.Pattern[str]
    serve: Callable[["Host", "ProcessIO", str, dict[str, str]], int]


def _compile(template: str) -> re.Pattern[str]:
    lines = []
    for line in _normalise(template).split("\n"):
        pieces = re.split(r"<<(\w+)>>", line)
        lines.append("".join(_SLOTS[p] if i % 2 else re.escape(p) for i, p in enumerate(pieces)))
    return re.compile(r"\A(?:Set-StrictMode -Version Latest\n)?" + "\n".join(lines) + r"\Z")


def _normalise(script: str) -> str:
    """What ansible's _encode_script does to a script: strip lines, drop blank ones."""
    return "\n".join(line.strip() for line in script.splitlines() if line.strip())


def _unquote(literal: str) -> str:
    return _DOUBLED_QUOTE.sub(r"\1", literal)


def _put(host: "Host", io: "ProcessIO", user: str, values: dict[str, str]) -> int:
    return ansible_transfer.put_file(host, io, _unquote(values["path"]), io.lines(), user, CLIENT)


def _fetch(host: "Host", io: "ProcessIO", user: str, values: dict[str, str]) -> int:
    return ansible_transfer.fetch_file(host, io, _unquote(values["path"]),
                                       int(values["buffer_size"]), int(values["offset"]),
                                       user, CLIENT)


_SHAPES = (_Shape(_compile(_PUT_TEMPLATE), _put), _Shape(_compile(_FETCH_TEMPLATE), _fetch))


def match(script: str) -> Serve | None:
    """The handler for a 2.18 put/fetch script (literals bound in), or None if it is not one."""
    text = _normalise(script)
    for shape in _SHAPES:
        found = shape.pattern.match(text)
        if found:
            return functools.partial(shape.serve, values=found.groupdict())
    return None
