"""``IGalaxy.Backup``: the galaxy written to a backup file on the GR node.

As the Application Server GRAccess reference documents it ("Backup method",
https://docs.aveva.com/bundle/sp-appserver/page/436382.html): the caller passes its process
id, the backup file name, the GR node and the galaxy; ".cab" is appended when the name has no
extension; a name that is a folder has its contents deleted and the backup files placed
directly in it. The page names no other precondition (no login), so a galaxy that must still
be migrated can be backed up too.

The file is a Microsoft cabinet (signature ``MSCF`` and the cabinet's size, as the Cabinet
format's CFHEADER begins: Microsoft, "Microsoft Cabinet Format") holding the galaxy's
configuration as the twin knows it, padded by :data:`BYTES_PER_OBJECT` per object so its size
grows with the galaxy as a real one does. Timeline ``sp.backup`` (started, then succeeded or
failed, with ``path`` and ``size``). Fault ``sp_backup_fails`` on the GR host fails it with
its ``message`` (a SQL Server error, a full disk, ...).
"""

from __future__ import annotations

import json
import ntpath
import struct
from typing import TYPE_CHECKING, Iterator

from ..filesystem import FileSystemError
from .deploy import begin
from .operation import Operation

if TYPE_CHECKING:
    from .galaxy import Galaxy

# Modelled seconds (engineering estimate; the vendor publishes none): a small galaxy's backup.
DURATION = 60.0
BYTES_PER_OBJECT = 16 * 1024
SIGNATURE = b"MSCF"


def backup(galaxy: "Galaxy", path: str) -> Operation:
    """Start ``IGalaxy.Backup`` of ``galaxy`` to ``path`` on its GR node."""
    with galaxy.lock:
        op = begin(galaxy, "backup", [], unmigrated_ok=True, path=path)
        op.add([_write(galaxy, op, path)])
        return op.start()


def file_name(path: str) -> str:
    """The name the backup is written under: ".cab" appended when there is no extension."""
    return path if ntpath.splitext(path)[1] else path + ".cab"


def _write(galaxy: "Galaxy", op: Operation, path: str) -> Iterator[float]:
    yield galaxy.cost("sp_galaxy_backup", DURATION)
    host = galaxy.gr_node.host
    fault = galaxy.faults.take(host.name, "sp_backup_fails")
    if fault is not None:
        op.fail(galaxy.name, str(fault.get("message") or "the galaxy backup failed"))
        return
    if host.fs.is_dir(path):  # "the contents of the folder is deleted"
        for name in host.fs.listdir(path):
            host.fs.remove(ntpath.join(path, name), recurse=True)
        target = ntpath.join(path, f"{galaxy.name}.cab")
    else:
        target = file_name(path)
    content = _cabinet(galaxy)
    try:
        host.fs.write(target, content)
    except FileSystemError as exc:
        op.fail(galaxy.name, str(exc))
        return
    op.data.update(path=target, size=len(content))
    galaxy.record(host.name, "sp.backup.file", galaxy=galaxy.name, path=target, size=len(content),
                  version=galaxy.version)
    op.ok(galaxy.name, f"galaxy {galaxy.name} backed up to {target}")


def _cabinet(galaxy: "Galaxy") -> bytes:
    snapshot = {"galaxy": galaxy.name, "version": galaxy.version,
                "objects": sorted(o.name for o in [*galaxy.platforms.values(), *galaxy.engines.values(),
                                                   *galaxy.objects.values()])}
    body = json.dumps(snapshot, sort_keys=True).encode("utf-8")
    body += b"\0" * (BYTES_PER_OBJECT * len(snapshot["objects"]))
    size = len(SIGNATURE) + 8 + len(body)
    return SIGNATURE + b"\0\0\0\0" + struct.pack("<I", size) + body
