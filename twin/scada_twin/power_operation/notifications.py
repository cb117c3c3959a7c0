"""Notification services: the scriptable part of "maintenance mode" in the update procedure.

The Event Notification Module's maintenance mode is only documented in its settings UI; what
a script can do is stop (and disable) the notification services during the update and put
each back exactly as it was afterwards ("Restart disabled or stopped notification services").
The services are found by display-name wildcards (spec: ``notifications.patterns``); the host
also carries ordinary Windows services with "Notification" in their names, so a pattern that
is too broad shows up in tests.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from ..services import ServiceManager, ServiceState
from .config import PowerOperationSpec


def install(services: ServiceManager, spec: PowerOperationSpec) -> None:
    for service in spec.notification_services:
        services.add(service.name, service.display_name, status=service.status,
                     start_type=service.start_type)


class Notifications:
    def __init__(self, services: ServiceManager, patterns: Iterable[str]) -> None:
        self._services = services
        self.patterns = tuple(patterns)

    def matching(self, patterns: Iterable[str] | None = None) -> list[ServiceState]:
        """Services whose display name matches (default: the spec's patterns)."""
        return self._services.find(self.patterns if patterns is None else list(patterns))

    def suspend(self, names: Iterable[str]) -> list[ServiceState]:
        """Stop and disable services; returns their states before, for :meth:`resume`."""
        before = [self._services.get(n) for n in names]
        for state in before:
            self._services.set_start_type(state.name, "Disabled")
            self._services.stop(state.name)
        return before

    def resume(self, states: Iterable[ServiceState | Mapping[str, str]]) -> None:
        """Put services back: start type first, then start those that were running.

        ``states`` are what :meth:`suspend` returned, or the same as mappings (the controller
        sends them back as JSON: name, display_name, status, start_type).
        """
        for state in (s if isinstance(s, ServiceState) else ServiceState(**s) for s in states):
            self._services.set_start_type(state.name, state.start_type)
            if state.status in ("Running", "StartPending"):
                self._services.start(state.name)
