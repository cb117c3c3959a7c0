# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for scada.redundancy.archive_copy: bring a backup to this server from the
other server of the pair (through the controller in bounded chunks, or from a share path) or
from a file on the controller."""

from __future__ import annotations

import ntpath
import os
import typing as t

from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive, _transfer
from ansible_collections.scada.redundancy.plugins.plugin_utils._action import OperationAction, display
from ansible_collections.scada.redundancy.plugins.plugin_utils._delegate import host_connection, source_verbs


class ActionModule(OperationAction):
    argument_spec = {
        "src": {"type": "path"},
        "source_host": {"type": "str"},
        "source_path": {"type": "str"},
        "dest": {"type": "str", "required": True},
        "via": {"type": "str", "choices": ["controller", "share"], "default": "controller"},
        "share_path": {"type": "str"},
        "chunk_size": {"type": "int", "default": _transfer.DEFAULT_CHUNK_SIZE},
        "resume": {"type": "bool", "default": True},
        "validate": {"type": "bool", "default": True},
    }
    argument_rules = {"required_together": [("source_host", "source_path")],
                      "mutually_exclusive": [("src", "source_host"), ("src", "share_path")]}

    def execute(self, args: dict[str, t.Any], task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        dest = _validate(args)
        here = task_vars.get("inventory_hostname", "destination")
        if args["source_host"] == here:
            raise AnsibleActionFail("source_host is this task's own host; archive_copy copies "
                                    "between the two servers of a pair")
        destination = _transfer.RemoteFile(self.verbs, dest, here)
        try:
            if args["src"]:
                return self._from_controller(args, destination)
            if args["via"] == "share":
                return self._via_share(args, destination, task_vars)
            # Two connections to the source (each connects only when first used): chunks are
            # read two at a time while the previous one is written (_transfer._ReadAhead).
            with host_connection(self, args["source_host"], task_vars) as connection, \
                    host_connection(self, args["source_host"], task_vars) as second:
                source, reader = (_transfer.RemoteFile(source_verbs(c, args["source_host"], display),
                                                       args["source_path"], f"source host {args['source_host']}")
                                  for c in (connection, second))
                copied = _transfer.copy(source, destination, chunk_size=args["chunk_size"],
                                        resume=args["resume"], validate=args["validate"],
                                        check_mode=bool(self._task.check_mode), progress=display.v,
                                        more_readers=[reader])
        except _transfer.TransferError as exc:
            return {"failed": True, "category": exc.category, "msg": f"{here}: archive_copy failed: {exc.msg}",
                    "partial": f"{dest}{_transfer.PARTIAL_SUFFIX}"}
        return {"changed": copied.changed, "dest": dest, "via": "controller", "size": copied.size,
                "sha256": copied.sha256, "resumed_from": copied.resumed_from,
                "bytes_sent": copied.bytes_sent, "chunks": copied.chunks}

    def _from_controller(self, args: dict[str, t.Any], destination: _transfer.RemoteFile) -> dict[str, t.Any]:
        """Upload a controller file (a change archive from an engineering workstation)."""
        copied = _transfer.copy(_transfer.LocalFile(args["src"]), destination,
                                chunk_size=args["chunk_size"], resume=args["resume"],
                                validate=args["validate"], check_mode=bool(self._task.check_mode),
                                progress=display.v)
        return {"changed": copied.changed, "dest": destination.path, "via": "controller",
                "size": copied.size, "sha256": copied.sha256, "resumed_from": copied.resumed_from,
                "bytes_sent": copied.bytes_sent, "chunks": copied.chunks}

    def _via_share(self, args: dict[str, t.Any], destination: _transfer.RemoteFile,
                   task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        """The destination reads the share itself; the source host (when named) hashes its copy."""
        if args["source_host"]:
            with host_connection(self, args["source_host"], task_vars) as connection:
                source = _transfer.RemoteFile(source_verbs(connection, args["source_host"], display),
                                              args["source_path"], f"source host {args['source_host']}")
                src = source.facts()
        else:
            src = _transfer.RemoteFile(self.verbs, args["share_path"], "share").facts()
        if not src.exists:
            raise _transfer.TransferError(f"{args['source_path'] or args['share_path']} does not exist", "not_found")
        dst = destination.facts()
        result = {"changed": not (dst.exists and dst.sha256 == src.sha256), "dest": destination.path,
                  "via": "share", "size": src.size, "sha256": src.sha256, "resumed_from": 0,
                  "bytes_sent": 0, "chunks": 0}
        if result["changed"] and not self._task.check_mode:
            destination.fetch_share(args["share_path"])
            destination.commit(int(src.size or 0), str(src.sha256), args["validate"])
            result.update(bytes_sent=src.size)
        return result


def _validate(args: dict[str, t.Any]) -> str:
    """Controller-side checks; returns the destination file path (dest ending in '\\' is a folder)."""
    problems = []
    if args["src"]:
        if not os.path.isfile(args["src"]):
            problems.append(f"src {args['src']} is not a file on the controller")
        needed: tuple[str, ...] = ()
    else:
        needed = ("source_host", "source_path") if args["via"] == "controller" else ("share_path",)
    missing = [name for name in needed if not args[name]]
    if missing:
        problems.append(f"via: {args['via']} needs {' and '.join(missing)}")
    for option, share in (("source_path", False), ("share_path", True)):
        if args[option] is not None and _archive.host_path_problem(args[option], allow_share=share):
            problems.append(f"{option} {_archive.host_path_problem(args[option], allow_share=share)}")
    if args["via"] == "controller" and args["share_path"] is not None:
        problems.append("share_path is only used with via: share")
    dest = args["dest"]
    if dest.endswith("\\"):
        dest += ntpath.basename(args["source_path"] or args["share_path"] or os.path.basename(args["src"] or ""))
    if _archive.host_path_problem(dest):
        problems.append(f"dest {_archive.host_path_problem(dest)}")
    if not _transfer.MIN_CHUNK_SIZE <= args["chunk_size"] <= _transfer.MAX_CHUNK_SIZE:
        problems.append(f"chunk_size must be between {_transfer.MIN_CHUNK_SIZE} and {_transfer.MAX_CHUNK_SIZE} bytes")
    if problems:
        raise AnsibleActionFail("; ".join(problems))
    return dest
