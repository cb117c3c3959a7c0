"""Counters of the work a host's WinRM service did: HTTP requests, WinRS actions, processes.

The benchmarks count round trips per module call from these (``GET /stats`` on the control
API), and prove that waiting on a status costs long-polled Receives, not a new PowerShell per
poll. Counting never sleeps and never records content, only how many.
"""

from __future__ import annotations

import collections
import threading

#: Every HTTP request that reached the host, authentication legs included.
HTTP_REQUESTS = "http_requests"
#: powershell.exe processes the host started (bootstraps and ansible-core's own scripts).
POWERSHELL_PROCESSES = "powershell_processes"
WSMAN_PREFIX = "wsman."
OPERATION_PREFIX = "operation."


class RequestStats:
    """Thread-safe named counters of one host."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: collections.Counter[str] = collections.Counter()

    def count(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[name] += amount

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
