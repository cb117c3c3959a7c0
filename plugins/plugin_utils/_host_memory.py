# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a host showed a module earlier in this ansible-playbook run, by topic.

A module that knows what it will find can send its reading with its first batch, and let that
batch prove the guess: a guess that no longer holds costs a batch, never a wrong answer (the
users: ``_install_memory``, ``_runtime_host``). Records are small JSON documents without
secrets, one file per host in ansible's local temporary folder, which ansible-core creates for
each run (before it forks its workers) and removes when the run ends.
"""

from __future__ import annotations

import hashlib
import json
import os
import typing as t

from ansible import constants as C


def _path(action: t.Any) -> str | None:
    """The host's file, or None where there is no run to remember for (a test harness)."""
    host = getattr(action, "host_name", None)
    folder = getattr(C, "DEFAULT_LOCAL_TMP", None)
    if not host or not folder:
        return None
    digest = hashlib.sha256(str(host).encode("utf-8")).hexdigest()[:24]
    return os.path.join(folder, f"scada-redundancy-host-{digest}.json")


def recall(action: t.Any, topic: str) -> dict[str, t.Any] | None:
    path = _path(action)
    if path is None or not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            record = json.load(handle).get(topic)
    except (OSError, ValueError, AttributeError):
        return None
    return record if isinstance(record, dict) else None


def remember(action: t.Any, topic: str, record: dict[str, t.Any]) -> None:
    """Keep ``record`` under ``topic`` for the host (the file replaced whole)."""
    path = _path(action)
    if path is None:
        return
    try:
        with open(path, encoding="utf-8") as handle:
            known = json.load(handle)
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    known[topic] = record
    try:
        with open(f"{path}.{os.getpid()}.tmp", "w", encoding="utf-8") as handle:
            json.dump(known, handle)
        os.replace(f"{path}.{os.getpid()}.tmp", path)
    except OSError:
        pass  # a guess not kept costs one batch later, nothing else
