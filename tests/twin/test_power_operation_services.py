"""Notification services stop/restore, and the host-level services and scheduler under them."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from scada_twin.costs import CostModel
from scada_twin.scheduler import Scheduler, SchedulerStopped
from scada_twin.services import ServiceError
from support.po_hosts import TIME_SCALE, WAIT, host_data, make_hosts, settle  # noqa: F401


def test_notification_services_are_stopped_disabled_and_restored_exactly(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1, notifications={"services": [
        {"name": "EnmService", "display_name": "Event Notification Module Service"},
        {"name": "EnmRelay", "display_name": "Event Notification Module Relay",
         "status": "Stopped", "start_type": "Manual"}]}))
    notifications = host.power_operation.notifications
    found = notifications.matching()
    assert [s.name for s in found] == ["EnmRelay", "EnmService"]
    before = notifications.suspend(s.name for s in found)
    settle(host)
    assert {(s.status, s.start_type) for s in notifications.matching()} == {("Stopped", "Disabled")}
    with pytest.raises(ServiceError, match="cannot be started"):
        host.services.start("EnmService")
    notifications.resume([dataclasses.asdict(s) for s in before])  # as JSON brings them back
    settle(host)
    assert notifications.matching() == before


def test_a_broad_pattern_catches_windows_own_services(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    broad = {s.name for s in host.power_operation.notifications.matching(["*Notification*"])}
    assert "WpnService" in broad  # which is why the default pattern is narrower
    assert "WpnService" not in {s.name for s in host.power_operation.notifications.matching()}


def test_service_transitions_are_timed_and_on_the_timeline(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    services = host.services
    services.stop("WinRM")
    with pytest.raises(ServiceError, match="cannot accept control messages"):
        services.start("WinRM")
    assert services.wait_status("WinRM", "Stopped", WAIT)
    services.set_start_type("WinRM", "Manual")
    services.restart("winrm")
    settle(host)
    events = [(e.kind, e.data) for e in host.timeline.events("po-a")
              if e.kind.startswith("service.")]
    assert events == [
        ("service.status", {"service": "WinRM", "status": "StopPending"}),
        ("service.status", {"service": "WinRM", "status": "Stopped"}),
        ("service.start_type", {"service": "WinRM", "start_type": "Manual"}),
        ("service.status", {"service": "WinRM", "status": "StartPending"}),
        ("service.status", {"service": "WinRM", "status": "Running"}),
    ]
    with pytest.raises(ServiceError, match="Cannot find any service"):
        services.get("nope")


def test_scheduler_runs_callbacks_in_due_order_and_cancels():
    scheduler = Scheduler(CostModel(time_scale=TIME_SCALE))
    ran: list[str] = []
    started = time.monotonic()
    scheduler.call_later(20, ran.append, "late")
    scheduler.call_later(5, ran.append, "early")
    scheduler.call_later(5, ran.append, "early-second")
    cancelled = scheduler.call_later(10, ran.append, "cancelled")
    assert cancelled.cancel() and not cancelled.cancel()
    assert scheduler.wait_idle(WAIT)
    assert time.monotonic() - started >= 20 * TIME_SCALE
    assert ran == ["early", "early-second", "late"]
    scheduler.stop()
    with pytest.raises(SchedulerStopped):
        scheduler.call_soon(ran.append, "after stop")


def test_scheduler_survives_a_failing_callback_and_wait_for_sees_state():
    scheduler = Scheduler(CostModel(time_scale=TIME_SCALE))
    done = threading.Event()
    scheduler.call_soon(lambda: 1 / 0)
    scheduler.call_later(5, done.set)
    assert scheduler.wait_for(done.is_set, WAIT)
    assert not scheduler.wait_for(lambda: False, 0.05)
    scheduler.stop()
