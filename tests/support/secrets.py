"""Find a secret in every form a leak could take, in text, files and the twin hosts' disks.

A password can leak as itself, but also escaped (JSON, Python repr), as UTF-16 (PowerShell
strings, ``-EncodedCommand``), or base64 encoded (an encoded command line, a WinRM stdin
chunk, a file transfer). Base64 of a secret embedded in a longer stream depends on the
secret's offset modulo 3, so each offset's stable middle part is searched for.
"""

from __future__ import annotations

import base64
import json
import pathlib
import zipfile
from typing import Any, Iterable


def leak_forms(secret: str) -> dict[str, bytes]:
    """{form name: bytes to search for}: each way of writing the secret in text (as it is,
    JSON-escaped, repr-escaped), encoded as UTF-8 or UTF-16, as it is or in base64."""
    texts = {"text": secret, "json": json.dumps(secret)[1:-1], "json unicode": json.dumps(secret, ensure_ascii=False)[1:-1],
             "repr": repr(secret)[1:-1]}
    forms: dict[str, bytes] = {}
    for text_name, text in texts.items():
        for encoding in ("utf-8", "utf-16-le"):
            raw = text.encode(encoding)
            forms[f"{text_name} {encoding}"] = raw
            for offset in range(3):
                encoded = base64.b64encode(b"\0" * offset + raw + b"\0\0")
                start = 4 if offset else 0
                forms[f"{text_name} {encoding} base64 offset {offset}"] = encoded[start:len(encoded) - 8]
    unique: dict[bytes, str] = {}
    for name, form in forms.items():
        unique.setdefault(form, name)
    return {name: form for form, name in unique.items() if len(form) >= 8}


def find_in_bytes(data: bytes, secrets: dict[str, str]) -> list[str]:
    """'<secret name> as <form>' for every form of every secret found in ``data``."""
    return [f"{name} as {form}" for name, secret in secrets.items()
            for form, needle in leak_forms(secret).items() if needle in data]


def find_in_files(root: pathlib.Path, secrets: dict[str, str],
                  skip: Iterable[pathlib.Path] = ()) -> list[str]:
    """Leaks in every file below ``root`` (except below ``skip``), as '<path>: <leak>'."""
    skipped = [p.resolve() for p in skip]
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(s == path.resolve() or s in path.resolve().parents for s in skipped):
            continue
        found += [f"{path.relative_to(root)}{member}: {leak}" for member, data in _contents(path)
                  for leak in find_in_bytes(data, secrets)]
    return found


def _contents(path: pathlib.Path) -> Iterable[tuple[str, bytes]]:
    """The file's bytes, and each member of a zip (backups are compressed)."""
    yield "", path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                yield f" member {info.filename}", archive.read(info)


def find_on_hosts(plant: Any, secrets: dict[str, str]) -> list[str]:
    """Leaks in any file on the twin hosts' disks (secrets must never rest on a host)."""
    found = []
    for name, host in plant.hosts.items():
        for drive in ("C:\\", "D:\\"):
            for path in host.fs.walk_files(drive):
                found += [f"{name} {path}: {leak}" for leak in find_in_bytes(host.fs.read(path), secrets)]
    return found


def files_written(root: pathlib.Path, skip: Iterable[pathlib.Path] = ()) -> int:
    skipped = [p.resolve() for p in skip]
    return sum(1 for p in root.rglob("*") if p.is_file()
               and not any(s in p.resolve().parents for s in skipped))
