"""Shared fixtures: a running twin plant and its inventory, for every suite."""

from __future__ import annotations

import pathlib
import sys
from typing import Callable, Iterator

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
sys.path.insert(0, str(pathlib.Path(__file__).parent.parent / "tools"))

from devenv import collection_path  # noqa: E402
from support.plants import inventory, plant_spec, start_plant  # noqa: E402

# The working tree is importable as ansible_collections.scada.redundancy, as ansible loads it.
sys.path.insert(0, str(collection_path()))


@pytest.fixture
def make_plant(tmp_path: pathlib.Path) -> Iterator[Callable]:
    """Start plants from spec dicts (see support.plants.plant_spec); stopped after the test."""
    started = []

    def make(spec: dict | None = None, hosts: list[str] | None = None):
        plant = start_plant(spec or plant_spec(hosts or ["po-a", "po-b"]),
                            tmp_path / f"plant-{len(started)}")
        started.append(plant)
        return plant

    yield make
    for plant in started:
        plant.stop()


@pytest.fixture
def plant(make_plant):
    """A running two-host Power Operation plant (po-a, po-b)."""
    return make_plant()


@pytest.fixture
def plant_inventory(plant, tmp_path: pathlib.Path) -> pathlib.Path:
    return inventory(plant, tmp_path / "inventory.yml")
