"""Spec dicts for twin plants with System Platform hosts (docs/plant-spec.md), for the
galaxy modules' integration tests, and what a play against the GR host needs."""

from __future__ import annotations

import pathlib
from typing import Any

from support.ansible_run import PlaybookRun, run_playbook
from support.plants import inventory, plant_spec

OLD = "23.0"        # System Platform 2023 (twin convention)
NEW = "23.1.100"    # System Platform 2023 R2 SP1
GALAXY = "Galaxy"
PASSWORD = "Galaxy-Passw0rd!"


def sp_plant_spec(**galaxy: Any) -> dict[str, Any]:
    """The seed's layout: GR node ``gr`` (P0), ``sp-a`` (P1, E1 active), ``sp-b`` (P2, E1b)."""
    spec = plant_spec(["gr", "sp-a", "sp-b"])
    for host in spec["hosts"]:
        host["products"] = {"system_platform": {"version": OLD}}
    spec["hosts"][0]["products"]["system_platform"].update(role="gr", galaxy=galaxy)
    return spec


def run_task(plant: Any, tmp_path: pathlib.Path, module: str, args: dict[str, Any],
             *flags: str, hosts: str = "gr", connection: dict[str, Any] | None = None) -> PlaybookRun:
    """One task of ``scada.redundancy.<module>`` named ``module`` against ``hosts``;
    ``connection``: inventory variables for the connection (timeouts, ``plants.PSRP_VARS``)."""
    import yaml

    play = [{"hosts": hosts, "gather_facts": False,
             "tasks": [{"name": module, f"scada.redundancy.{module}": args}]}]
    path = tmp_path / f"play-{module}.yml"
    path.write_text(yaml.safe_dump(play), encoding="utf-8")
    return run_playbook(path, inventory(plant, tmp_path / "inventory.yml", **(connection or {})),
                        tmp_path, *flags)


def base_args(**extra: Any) -> dict[str, Any]:
    return {"galaxy": GALAXY, "galaxy_user": "admin", "galaxy_password": PASSWORD, **extra}


def settle(plant: Any, timeout: float = 30.0) -> None:
    """Wait until no timed transition is pending on any host of ``plant``."""
    for _ in range(20):
        for host in plant.hosts.values():
            assert host.scheduler.wait_idle(timeout), f"{host.name} did not settle"
        if all(host.scheduler.wait_idle(0) for host in plant.hosts.values()):
            return
