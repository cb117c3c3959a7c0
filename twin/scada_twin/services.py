"""Windows services on a host: status, start type, and the pending states in between.

A service's status moves Stopped -> StartPending -> Running and Running -> StopPending ->
Stopped. How long the pending states last, and what starting or stopping *does*, belongs to
the service's :class:`ServiceBehaviour`: the default waits a modelled delay; a product (the
Power Operation runtime) plugs in its own. Every status and start-type change is a timeline
event (``service.status``, ``service.start_type``), recorded when it happens.

Errors carry the messages Windows / PowerShell give, so handlers can pass them on.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Callable, Iterable, Protocol

from .wildcard import like
from .scheduler import Scheduler
from .wallclock import round_trip_now
from .timeline import Timeline

STATUSES = ("Running", "Stopped", "StartPending", "StopPending")
START_TYPES = ("Automatic", "AutomaticDelayedStart", "Manual", "Disabled")

#: Services every simulated Windows Server has; notification-like names on purpose, so a
#: pattern that is too broad ("*Notification*") is caught by the tests, not on a plant.
WINDOWS_BASELINE = (
    ("WinRM", "Windows Remote Management (WS-Management)"),
    ("EventLog", "Windows Event Log"),
    ("WpnService", "Windows Push Notifications System Service"),
)

# Modelled seconds a plain service spends in StartPending / StopPending: the Service Control
# Manager's own work plus a typical service's OnStart/OnStop, one to a few seconds.
DEFAULT_START_SECONDS = 2.0
DEFAULT_STOP_SECONDS = 1.0


class ServiceError(RuntimeError):
    """A service control request Windows refuses; the message is Windows' own wording."""


@dataclasses.dataclass(frozen=True)
class ServiceState:
    """What Get-Service / Win32_Service report for one service."""

    name: str
    display_name: str
    status: str
    start_type: str


class ServiceBehaviour(Protocol):
    """What starting and stopping a service does; call ``done`` when the state is reached."""

    def start(self, service: str, done: Callable[[bool], None]) -> None:
        """Begin starting; ``done(True)`` -> Running, ``done(False)`` -> Stopped (failed)."""

    def stop(self, service: str, done: Callable[[], None]) -> None:
        """Begin stopping; ``done()`` -> Stopped."""


class TimedBehaviour:
    """A service that needs a fixed modelled time to start and to stop."""

    def __init__(self, scheduler: Scheduler, start_seconds: float = DEFAULT_START_SECONDS,
                 stop_seconds: float = DEFAULT_STOP_SECONDS) -> None:
        self._scheduler = scheduler
        self.start_seconds = start_seconds
        self.stop_seconds = stop_seconds

    def start(self, service: str, done: Callable[[bool], None]) -> None:
        self._scheduler.call_later(self.start_seconds, done, True)

    def stop(self, service: str, done: Callable[[], None]) -> None:
        self._scheduler.call_later(self.stop_seconds, done)


@dataclasses.dataclass
class _Service:
    name: str
    display_name: str
    status: str
    start_type: str
    behaviour: ServiceBehaviour
    started: str | None = None  # when its process started (wallclock format); None when stopped

    def state(self) -> ServiceState:
        return ServiceState(self.name, self.display_name, self.status, self.start_type)


class ServiceManager:
    """The host's Service Control Manager."""

    def __init__(self, host_name: str, scheduler: Scheduler, timeline: Timeline) -> None:
        self.host_name = host_name
        self.scheduler = scheduler
        self._timeline = timeline
        self._lock = threading.RLock()
        self._services: dict[str, _Service] = {}

    # -- inventory -------------------------------------------------------------------------
    def add(self, name: str, display_name: str, *, status: str = "Stopped",
            start_type: str = "Manual", behaviour: ServiceBehaviour | None = None) -> ServiceState:
        """Install a service in a settled state (no timeline event: it was always there)."""
        _check(status, ("Running", "Stopped"), "status")
        _check(start_type, START_TYPES, "start type")
        service = _Service(name, display_name, status, start_type,
                           behaviour or TimedBehaviour(self.scheduler),
                           round_trip_now() if status == "Running" else None)
        with self._lock:
            if name.lower() in self._services:
                raise ServiceError(f"The specified service already exists. ({name})")
            self._services[name.lower()] = service
            return service.state()

    def get(self, name: str) -> ServiceState:
        with self._lock:
            return self._service(name).state()

    def process_started(self, name: str) -> str | None:
        """When the service's process started (Win32_Service ProcessId -> StartTime), UTC."""
        with self._lock:
            return self._service(name).started

    def list(self) -> list[ServiceState]:
        with self._lock:
            return sorted((s.state() for s in self._services.values()),
                          key=lambda s: s.name.lower())

    def find(self, display_name_like: str | Iterable[str]) -> list[ServiceState]:
        """Services whose display name matches any wildcard pattern (PowerShell ``-like``)."""
        patterns = ([display_name_like] if isinstance(display_name_like, str)
                    else list(display_name_like))
        return [s for s in self.list()
                if any(like(s.display_name, p) for p in patterns)]

    # -- control ---------------------------------------------------------------------------
    def start(self, name: str) -> None:
        """Start-Service without waiting: StartPending now, Running when the behaviour says."""
        with self._lock:
            service = self._service(name)
            if service.status in ("Running", "StartPending"):
                return
            if service.start_type == "Disabled":
                raise ServiceError(
                    f"Service '{service.display_name} ({service.name})' cannot be started due "
                    f"to the following error: Cannot start service {service.name} on computer '.'.")
            self._refuse_if_pending(service)
            self._set_status(service, "StartPending")
        service.behaviour.start(service.name, lambda ok: self._settle(service, ok))

    def stop(self, name: str) -> None:
        """Stop-Service without waiting: StopPending now, Stopped when the behaviour says."""
        self._stop(name, then=None)

    def restart(self, name: str) -> None:
        """Restart-Service: stop, then start once Stopped (start only, if already Stopped)."""
        with self._lock:
            service = self._service(name)
            self._refuse_if_pending(service)
            running = service.status == "Running"
        if running:
            self._stop(name, then=lambda: self.start(name))
        else:
            self.start(name)

    def set_start_type(self, name: str, start_type: str) -> None:
        _check(start_type, START_TYPES, "start type")
        with self._lock:
            service = self._service(name)
            if service.start_type != start_type:
                service.start_type = start_type
                self._timeline.record(self.host_name, "service.start_type", service=service.name,
                                      start_type=start_type)

    def wait_status(self, name: str, status: str, timeout: float | None = None) -> bool:
        """Wait (real seconds) until the service reaches ``status``."""
        return self.scheduler.wait_for(lambda: self.get(name).status == status, timeout)

    # -- internals -------------------------------------------------------------------------
    def _stop(self, name: str, then: Callable[[], None] | None) -> None:
        with self._lock:
            service = self._service(name)
            if service.status in ("Stopped", "StopPending"):
                return
            self._refuse_if_pending(service)
            self._set_status(service, "StopPending")

        def stopped() -> None:
            self._settle(service, False)
            if then is not None:
                then()

        service.behaviour.stop(service.name, stopped)

    def _settle(self, service: _Service, running: bool) -> None:
        with self._lock:
            self._set_status(service, "Running" if running else "Stopped")

    def _set_status(self, service: _Service, status: str) -> None:
        """The service's process starts with StartPending and is gone once Stopped."""
        service.status = status
        if status == "StartPending":
            service.started = round_trip_now()
        elif status == "Stopped":
            service.started = None
        self._timeline.record(self.host_name, "service.status", service=service.name,
                              status=status)

    def _service(self, name: str) -> _Service:
        try:
            return self._services[name.lower()]
        except KeyError:
            raise ServiceError(f"Cannot find any service with service name '{name}'.") from None

    @staticmethod
    def _refuse_if_pending(service: _Service) -> None:
        if service.status in ("StartPending", "StopPending"):
            raise ServiceError(f"Service '{service.display_name} ({service.name})' cannot accept "
                               f"control messages at this time.")


def _check(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown service {what} {value!r}; expected one of {', '.join(allowed)}")
