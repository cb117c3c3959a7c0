"""The runtime's long-poll wait on a fake clock: a fake host plays the watch operation."""

from __future__ import annotations

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils._runtime import (
    ProcessWaitFailed, snapshot, wait_for_processes)
from ansible_collections.scada.redundancy.plugins.plugin_utils._wait import Clock


class FakeHost:
    """Process states that change at given times; watch() long-polls them like the script."""

    def __init__(self, changes: list[tuple[float, str, str]], names=("I/O Server", "Alarm")):
        self.t = 0.0
        self.changes = sorted(changes)
        self.states = {n: "Starting" for n in names}
        self.calls: list[tuple[dict | None, float]] = []
        self.clock = Clock(now=lambda: self.t, sleep=self._sleep)

    def _sleep(self, seconds: float) -> None:
        self.t += seconds

    def _apply(self) -> None:
        while self.changes and self.changes[0][0] <= self.t:
            _, name, state = self.changes.pop(0)
            self.states[name] = state

    def document(self) -> dict:
        self._apply()
        return {"service": {"status": "Running"},
                "processes": [{"name": n, "state": s, "reason": None} for n, s in self.states.items()]}

    def watch(self, known: dict | None, max_wait: float) -> dict:
        self.calls.append((known, max_wait))
        deadline = self.t + max_wait
        while known is not None and snapshot(self.document()) == known and self.t < deadline:
            upcoming = self.changes[0][0] if self.changes else deadline
            self.t = min(max(upcoming, self.t), deadline)
        return self.document()


def test_one_call_per_change_and_timings_from_the_action():
    host = FakeHost([(20.0, "I/O Server", "Running"), (15.0, "Alarm", "Running")])
    lines: list[str] = []
    outcome = wait_for_processes(host.watch, target="Running", timeout=600, long_poll=30,
                                 started=0.0, progress=lines.append, clock=host.clock)
    assert outcome.timings == {"Alarm": 15.0, "I/O Server": 20.0}
    assert outcome.watch_calls == 3  # the first look, then one per change
    assert host.calls[0] == (None, 30)
    assert lines[-1] == ("runtime processes: service Running; Running: I/O Server, Alarm (20.0s)")


def test_a_long_wait_costs_one_call_per_long_poll():
    host = FakeHost([(500.0, "I/O Server", "Running"), (500.0, "Alarm", "Running")])
    outcome = wait_for_processes(host.watch, target="Running", timeout=600, long_poll=30,
                                 started=0.0, clock=host.clock)
    assert outcome.watch_calls == 18  # the first look, 16 full long polls, the one that sees it
    assert outcome.timings == {"I/O Server": 500.0, "Alarm": 500.0}


def test_the_first_observation_may_already_be_done():
    host = FakeHost([])
    first = {"service": {"status": "Running"},
             "processes": [{"name": "Alarm", "state": "Running", "reason": None}]}
    lines: list[str] = []
    outcome = wait_for_processes(host.watch, target="Running", timeout=60, long_poll=30,
                                 started=0.0, first=first, progress=lines.append,
                                 clock=host.clock)
    assert outcome.watch_calls == 0 and outcome.timings == {"Alarm": 0.0}
    assert lines == ["runtime processes: service Running; Running: Alarm "
                     "(after the control action, 0.0s)"]


def test_stopping_waits_for_the_service_too():
    host = FakeHost([(3.0, "Alarm", "Stopped"), (4.0, "I/O Server", "Stopped")])
    host.document = lambda: {**FakeHost.document(host), "service": {
        "status": "Stopped" if host.t >= 6.0 else "StopPending"}}
    outcome = wait_for_processes(host.watch, target="Stopped", timeout=60, long_poll=30,
                                 started=0.0, clock=host.clock)
    assert outcome.timings == {"Alarm": 3.0, "I/O Server": 4.0}
    assert outcome.observation["service"]["status"] == "Stopped"


def test_exception_fails_at_once_with_the_table():
    host = FakeHost([(5.0, "Alarm", "Exception"), (8.0, "I/O Server", "Running")])
    with pytest.raises(ProcessWaitFailed) as caught:
        wait_for_processes(host.watch, target="Running", timeout=600, long_poll=30,
                           started=0.0, clock=host.clock)
    assert caught.value.category == "process_exception"
    assert caught.value.msg == ("Alarm in Exception: service Running; "
                                "I/O Server=Starting; Alarm=Exception")
    assert host.t == 5.0


def test_timeout_names_the_laggards_and_never_waits_past_the_deadline():
    host = FakeHost([(10.0, "Alarm", "Running")])
    with pytest.raises(ProcessWaitFailed) as caught:
        wait_for_processes(host.watch, target="Running", timeout=45, long_poll=30,
                           started=0.0, clock=host.clock)
    assert caught.value.category == "timeout"
    assert caught.value.msg == ("I/O Server did not reach Running within 45s: service Running; "
                                "I/O Server=Starting; Alarm=Running (after 10s). A process that "
                                "stays Starting while the service runs may be in Exception; "
                                "Runtime Manager on the host shows which")
    assert host.t == 45.0
    # first look, the call that sees Alarm at 10 s, a full long poll, the 5 s left
    assert [max_wait for _, max_wait in host.calls] == [30, 30, 30, 5]
