"""What the collection's service scripts do with the Service Control Manager, on the twin.

The real scripts use ``Win32_Service`` to find services and ``ServiceController`` to control
them, waiting with ``WaitForStatus`` (blocking, with a timeout) as ``Start-Service`` and
``Stop-Service`` do. These helpers model that on the host's :class:`~..services.ServiceManager`;
waits are in the host's seconds, scaled by the cost model like every other modelled duration.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Iterable

from ..services import ServiceError, ServiceState
from . import OperationError

if TYPE_CHECKING:
    from ..host import Host

#: A pending status resolves to the status it is heading for.
SETTLED = {"StartPending": "Running", "StopPending": "Stopped"}


def service_dict(state: ServiceState) -> dict[str, Any]:
    return dataclasses.asdict(state)


def find_services(host: "Host", patterns: Iterable[str]) -> list[ServiceState]:
    """Services whose display name matches any wildcard (PowerShell ``-like``)."""
    return host.services.find([str(p) for p in patterns])


def find_one(host: "Host", name: str, patterns: Iterable[str], what: str) -> ServiceState:
    """The service named ``name``, else the single one whose display name matches."""
    if name:
        try:
            return host.services.get(name)
        except ServiceError as exc:
            raise OperationError(str(exc), "not_found") from None
    patterns = list(patterns)
    found = find_services(host, patterns)
    if not found:
        raise OperationError(f"no {what} service has a display name like "
                             f"{', '.join(repr(p) for p in patterns)}", "not_found")
    if len(found) > 1:
        names = ", ".join(f"{s.name} ({s.display_name})" for s in found)
        raise OperationError(f"several services match the {what} patterns: {names}; "
                             f"name one with service_name", "ambiguous")
    return found[0]


def wait_status(host: "Host", name: str, status: str, seconds: float) -> None:
    """``ServiceController.WaitForStatus``: block until ``status`` or fail with a timeout."""
    if not host.services.wait_status(name, status, host.costs.scaled(seconds)):
        current = host.services.get(name).status
        raise OperationError(f"service {name} did not reach {status} within {seconds:g}s "
                             f"(it is {current})", "timeout")


def settle(host: "Host", name: str, seconds: float) -> ServiceState:
    """Wait out a pending status (the SCM refuses control requests meanwhile)."""
    state = host.services.get(name)
    if state.status in SETTLED:
        wait_status(host, name, SETTLED[state.status], seconds)
        state = host.services.get(name)
    return state


def control(host: "Host", action: str, name: str, seconds: float) -> None:
    """Start or stop a service and wait for the result, as Start-/Stop-Service do."""
    try:
        if action == "start":
            host.services.start(name)
            wait_status(host, name, "Running", seconds)
        else:
            host.services.stop(name)
            wait_status(host, name, "Stopped", seconds)
    except ServiceError as exc:
        raise OperationError(str(exc), "service_error") from None


def set_start_type(host: "Host", name: str, start_type: str) -> None:
    try:
        host.services.set_start_type(name, start_type)
    except (ServiceError, ValueError) as exc:
        raise OperationError(str(exc), "service_error") from None
