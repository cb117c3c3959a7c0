"""The twin's cost model: how long simulated work takes, on one adjustable clock.

Tests run with a small ``time_scale`` so a modelled 40 s compile takes 40 ms; benchmarks run
with ``time_scale=1.0`` so measured times are realistic. Every default below says where the
number comes from, so nobody tunes them to flatter the collection.
"""

from __future__ import annotations

import dataclasses
import threading
import time


@dataclasses.dataclass
class CostModel:
    """Durations in modelled seconds; ``sleep`` scales them by ``time_scale``."""

    time_scale: float = 1.0
    # Starting powershell.exe on a loaded Windows Server 2019/2022 host: 0.3-0.8 s is the
    # range commonly measured for `powershell -NoProfile`; we take the middle.
    powershell_start: float = 0.5
    # Per WS-Management request on a LAN: HTTP round trip plus WinRM service processing,
    # a few milliseconds; 5 ms is typical of a plant network between controller and server.
    request_latency: float = 0.005
    # Vendor operations: overridden per plant spec; defaults from typical mid-size projects.
    operations: dict[str, float] = dataclasses.field(default_factory=dict)

    def scaled(self, modelled_seconds: float) -> float:
        """Real seconds that ``modelled_seconds`` of simulated work take."""
        return max(0.0, modelled_seconds * self.time_scale)

    def sleep(self, modelled_seconds: float, cancel: threading.Event | None = None) -> bool:
        """Wait the scaled time; return False when ``cancel`` was set first."""
        delay = self.scaled(modelled_seconds)
        if cancel is None:
            time.sleep(delay)
            return True
        return not cancel.wait(delay)

    def operation(self, name: str, default: float) -> float:
        """Modelled duration of a named vendor operation."""
        return self.operations.get(name, default)
