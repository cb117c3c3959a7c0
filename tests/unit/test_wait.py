"""The shared wait loop, on a fake clock: no test here sleeps for real."""

from __future__ import annotations

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils._wait import (
    Clock, WaitTimeout, wait_for)


class FakeClock(Clock):
    def __init__(self) -> None:
        self.t = 0.0
        self.pauses: list[float] = []
        super().__init__(now=lambda: self.t, sleep=self._sleep)

    def _sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.t += seconds


def test_returns_once_done_and_reports_each_change_once():
    states = iter(["Stopped", "Starting", "Starting", "Running"])
    lines: list[str] = []
    result = wait_for(lambda: next(states), lambda s: s == "Running", timeout=60, interval=2,
                      what="I/O Server", progress=lines.append, clock=FakeClock())
    assert result.value == "Running" and result.probes == 4 and result.elapsed == 6
    assert lines == ["I/O Server: Stopped (0.0s)", "I/O Server: Starting (2.0s)",
                     "I/O Server: Running (6.0s)"]


def test_times_out_with_the_last_state_and_never_overshoots():
    clock = FakeClock()
    with pytest.raises(WaitTimeout) as caught:
        wait_for(lambda: "Starting", lambda s: False, timeout=5, interval=2, what="Alarm",
                 clock=clock)
    assert caught.value.last == "Starting"
    assert "not done after 5s; last state: Starting" in caught.value.msg
    assert clock.pauses == [2, 2, 1] and clock.t == 5


def test_backoff_grows_to_its_cap():
    clock = FakeClock()
    with pytest.raises(WaitTimeout):
        wait_for(lambda: 0, lambda v: False, timeout=100, interval=1, backoff=2,
                 max_interval=8, what="x", clock=clock)
    assert clock.pauses[:6] == [1, 2, 4, 8, 8, 8]
