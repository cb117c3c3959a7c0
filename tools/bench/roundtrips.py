"""Benchmark 4: WinRM round trips per module call, counted by the twin during a full update.

The ``bench_roundtrips`` callback (``callback/``) writes the twin's counters around every
task of an orchestration run; here they become one row per module: calls, and per call the
HTTP requests (authentication legs included), WinRS Commands, Sends and Receives, and
PowerShell processes started. A task's counts are divided by the hosts that ran it; a
delegated task counts on the host it was delegated to.
"""

from __future__ import annotations

import json
import pathlib
import statistics
from typing import Any

COLUMNS = {"http_requests": "HTTP requests", "wsman.Command": "Commands", "wsman.Send": "Sends",
           "wsman.Receive": "Receives", "powershell_processes": "PowerShell processes"}
_PREFIX = "scada.redundancy."


def summarise(path: pathlib.Path) -> list[dict[str, Any]]:
    """One row per collection module: calls, and the median and max of each counter per call."""
    per_module: dict[str, list[dict[str, float]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if not record["action"].startswith(_PREFIX) or not record["hosts"]:
            continue
        calls = record["hosts"]
        per_call = {key: record["counts"].get(key, 0) / calls for key in COLUMNS}
        per_module.setdefault(record["action"][len(_PREFIX):], []).extend([per_call] * calls)
    rows = []
    for module, calls in sorted(per_module.items()):
        row: dict[str, Any] = {"module": module, "calls": len(calls)}
        for key in COLUMNS:
            values = [c[key] for c in calls]
            row[key] = {"median": round(statistics.median(values), 1), "max": round(max(values), 1)}
        rows.append(row)
    return rows
