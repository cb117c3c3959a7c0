"""Build twin hosts with Power Operation directly, for model tests (no listeners, no wire)."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from scada_twin import spec
from scada_twin.costs import CostModel
from scada_twin.faults import FaultPlan
from scada_twin.host import Host
from scada_twin.timeline import Timeline

#: A modelled second is a real millisecond: a 20 s I/O Server start takes 20 ms.
TIME_SCALE = 0.001
WAIT = 10.0  # real seconds before a wait is a failure


def host_data(name: str, index: int, **power_operation: Any) -> dict[str, Any]:
    return {"name": name, "address": f"127.0.0.{index}",
            "accounts": [{"user": "scada-admin", "password": "pw"}],
            "products": {"power_operation": {"version": "2024", **power_operation}}}


@pytest.fixture
def make_hosts() -> Iterator[Callable[..., list[Host]]]:
    """make_hosts(host_data(...), ...): hosts sharing one cost model, timeline and faults."""
    made: list[Host] = []

    def make(*hosts: dict[str, Any], costs: CostModel | None = None) -> list[Host]:
        plant = spec.parse({"hosts": list(hosts)})
        shared = (costs or CostModel(time_scale=TIME_SCALE), Timeline(), FaultPlan())
        result = [Host(h, *shared) for h in plant.hosts]
        made.extend(result)
        return result

    yield make
    for host in made:
        host.close()


def settle(*hosts: Host) -> None:
    """Wait until no timed transition is pending on any of ``hosts``."""
    for _ in range(2):  # a callback on one host never schedules on another, but be sure
        for host in hosts:
            assert host.scheduler.wait_idle(WAIT), f"{host.name} did not settle"


def states(events: list, process: str) -> list[str]:
    return [e.data["state"] for e in events if e.data["process"] == process]
