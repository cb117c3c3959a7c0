"""Build twin hosts with System Platform and wire their galaxy, for model tests (no wire)."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from scada_twin import spec
from scada_twin.costs import CostModel
from scada_twin.faults import FaultPlan
from scada_twin.host import Host
from scada_twin.system_platform import Galaxy, node as sp_node, wire
from scada_twin.timeline import Timeline

#: A modelled second is a real millisecond.
TIME_SCALE = 0.001
WAIT = 20.0  # real seconds before a wait is a failure
OLD = "23.0"        # System Platform 2023 (twin convention)
NEW = "23.1.100"    # System Platform 2023 R2 SP1
RESPONSE = {sp_node.CONSENT_KEY: "true", sp_node.INSTALL_DIR_KEY: "C:\\Program Files (x86)\\"}
# Setup and restarts shortened so the whole procedure runs in about a second of real time.
FAST = {"sp_install": 300.0, "sp_reboot": 60.0, "sp_migrate": 60.0}


def sp_host(name: str, index: int, **system_platform: Any) -> dict[str, Any]:
    return {"name": name, "address": f"127.0.0.{index}",
            "accounts": [{"user": "scada-admin", "password": "pw"}],
            "products": {"system_platform": {"version": OLD, **system_platform}}}


def three_nodes(**galaxy: Any) -> list[dict[str, Any]]:
    """The seed's plant: GR node ``gr`` (P0), ``sp-a`` (P1, E1 active), ``sp-b`` (P2, E1b)."""
    return [sp_host("gr", 1, role="gr", galaxy=galaxy), sp_host("sp-a", 2), sp_host("sp-b", 3)]


@pytest.fixture
def make_galaxy() -> Iterator[Callable[..., tuple[Galaxy, dict[str, Host]]]]:
    """make_galaxy(host dicts): (the galaxy, hosts by name); hosts closed after the test."""
    made: list[Host] = []

    def make(hosts: list[dict[str, Any]] | None = None,
             costs: dict[str, float] | None = None) -> tuple[Galaxy, dict[str, Host]]:
        plant = spec.parse({"hosts": hosts or three_nodes()})
        model = CostModel(time_scale=TIME_SCALE, operations={**FAST, **(costs or {})})
        shared = (model, Timeline(), FaultPlan())
        result = [Host(h, *shared) for h in plant.hosts]
        made.extend(result)
        (galaxy,) = wire(result).values()
        return galaxy, {h.name: h for h in result}

    yield make
    for host in made:
        host.close()


def settle(*hosts: Host) -> None:
    """Wait until no timed transition is pending on any host (callbacks may cross hosts)."""
    for _ in range(50):
        for host in hosts:
            assert host.scheduler.wait_idle(WAIT), f"{host.name} did not settle"
        if all(host.scheduler.wait_idle(0) for host in hosts):
            return
    raise AssertionError("the hosts' schedulers kept scheduling each other")


def done(op: Any) -> Any:
    """Wait for a model operation and return it."""
    assert op.wait(WAIT), f"{op.kind} operation {op.id} did not finish"
    return op


def statuses(galaxy: Galaxy) -> dict[str, str | None]:
    return {e.name: e.redundancy_status for e in galaxy.engines.values()}


def status_log(hosts: dict[str, Host], engine: str) -> list[str | None]:
    timeline = next(iter(hosts.values())).timeline
    return [e.data["status"] for e in timeline.events(kind="sp.engine.status")
            if e.data["engine"] == engine]
