"""Zip verbs on a twin host: System.IO.Compression on the host's file system.

``zip_create`` models ZipFile.Open(Create) with ZipArchive.CreateEntry(name, Optimal) per
entry, each entry's bytes hashed as stored (SHA256), the archive read back with
ZipFile.OpenRead, and the file removed on any failure (a written zip is a ``zip.written``
timeline event with its path, size and SHA-256); a full disk is the IOException with
HResult 0x80070070 that the verb reports as disk_full (Microsoft, "ZipFile.Open",
"ZipArchive.CreateEntry", "System error codes": ERROR_DISK_FULL 112). ``zip_list`` models
ZipFile.OpenRead and ZipArchiveEntry.Open; a file that is no zip throws InvalidDataException
(Microsoft, "ZipFile.OpenRead": "The file ... could not be interpreted as a zip archive").
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from typing import Any

from ..filesystem import DiskFullError, FileSystemError, normalize
from ..shell.process import ProcessTerminated
from . import VerbContext, VerbError


def zip_create(ctx: VerbContext, path: str, entries: list[Any]) -> dict[str, Any]:
    fs = ctx.host.fs
    buffer, stored = io.BytesIO(), []
    # Modelled seconds of writing the zip (none unless the plant's cost model names it).
    if not ctx.host.costs.sleep(ctx.host.costs.operation("zip_create", 0.0), ctx.io.cancelled):
        raise ProcessTerminated()
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry in entries:
                name, source, expected = (_property(entry, key) for key in ("name", "source", "sha256"))
                data = fs.read(source) if source else base64.b64decode(_property(entry, "base64"))
                digest = hashlib.sha256(data).hexdigest()
                archive.writestr(name, data)
                if expected and digest != expected:
                    raise VerbError(f"{source} changed since it was listed", "changed")
                stored.append({"name": name, "size": len(data), "sha256": digest})
        fs.write(path, buffer.getvalue())
    except DiskFullError:
        _remove(ctx, path)
        raise VerbError("There is not enough space on the disk.", "disk_full") from None
    except FileSystemError as exc:
        _remove(ctx, path)
        raise VerbError(str(exc), None, "System.IO.IOException") from None
    data = fs.read(path)
    digest = hashlib.sha256(data).hexdigest()
    ctx.host.timeline.record(ctx.host.name, "zip.written", path=path, size=len(data),
                             sha256=digest, entries=len(stored))
    return {"size": len(data), "sha256": digest, "entries": stored}


def zip_list(ctx: VerbContext, path: str, sha256: bool, read: list[str] | None,
             max_read: int) -> dict[str, Any]:
    fs = ctx.host.fs
    if not fs.is_file(path):
        return {"exists": False, "size": None, "sha256": None, "entries": []}
    data = fs.read(path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        listed = []
        for info in archive.infolist():
            item: dict[str, Any] = {"name": info.filename, "size": info.file_size,
                                    "compressed_size": info.compress_size, "sha256": None,
                                    "base64": None}
            if sha256:
                item["sha256"] = hashlib.sha256(archive.read(info)).hexdigest()
            if info.filename in (read or []):
                if info.file_size > max_read:
                    raise VerbError(f"{info.filename} in {path} is {info.file_size} bytes, more "
                                    f"than the {max_read} this read allows", "too_large")
                item["base64"] = base64.b64encode(archive.read(info)).decode("ascii")
            listed.append(item)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise VerbError(f"{path} is not a readable zip: {exc}", "corrupt") from None
    return {"exists": True, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "entries": listed}


def _property(entry: Any, name: str) -> Any:
    """``$entry.<name>`` under Set-StrictMode -Version 2.0: a missing property throws."""
    if not isinstance(entry, dict) or name not in entry:
        raise VerbError(f"The property '{name}' cannot be found on this object. Verify that the "
                        f"property exists.", None, "System.Management.Automation.PropertyNotFoundException")
    return entry[name]


def _remove(ctx: VerbContext, path: str) -> None:
    if ctx.host.fs.is_file(path):
        ctx.host.fs.remove(path)


def zip_extract(ctx: VerbContext, path: str, destination: str, entries: list[Any]) -> dict[str, Any]:
    """ZipFile.OpenRead, ZipArchive.GetEntry, each file created new (FileMode.CreateNew) and
    hashed as written; the destination removed on any failure (Microsoft,
    "ZipArchive.GetEntry", "FileMode.CreateNew"). Unpacking takes the cost model's
    ``zip_extract`` (2) + ``zip_extract_per_mib`` (0.02) modelled seconds."""
    fs, costs = ctx.host.fs, ctx.host.costs
    root = destination.rstrip("\\") + "\\"
    written = 0
    if fs.exists(destination):
        raise VerbError(f"{destination} exists: the destination must be a new folder",
                        "invalid_arguments")
    try:
        fs.mkdir(destination)
        archive = zipfile.ZipFile(io.BytesIO(fs.read(path)))
        size = sum(archive.getinfo(_property(e, "name")).file_size for e in entries
                   if _property(e, "name") in archive.namelist())
        if not costs.sleep(costs.operation("zip_extract", 2.0)
                           + costs.operation("zip_extract_per_mib", 0.02) * size / 2**20,
                           ctx.io.cancelled):
            raise ProcessTerminated()
        for entry in entries:
            name, target, expected = (_property(entry, key) for key in ("name", "target", "sha256"))
            full = normalize(f"{root}{target}")
            if not full.lower().startswith(normalize(root).lower().rstrip("\\") + "\\"):
                raise VerbError(f"{target} is not below {destination}", "invalid_arguments")
            try:
                data = archive.read(name)
            except KeyError:
                raise VerbError(f"{path} holds no entry {name}", "corrupt") from None
            if fs.exists(full):
                raise VerbError(f"The file '{full}' already exists.", None, "System.IO.IOException")
            fs.write(full, data)
            written += len(data)
            if hashlib.sha256(data).hexdigest() != expected:
                raise VerbError(f"{name} does not hash as expected once written", "corrupt")
    except (VerbError, FileSystemError, zipfile.BadZipFile) as exc:
        if fs.is_dir(destination):
            fs.remove(destination, recurse=True)
        if isinstance(exc, DiskFullError):
            raise VerbError("There is not enough space on the disk.", "disk_full") from None
        if isinstance(exc, VerbError):
            raise
        raise VerbError(str(exc), None, "System.IO.IOException") from None
    return {"files": len(entries), "bytes": written}
