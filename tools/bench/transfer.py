"""Benchmark 1: a backup archive from one server to the other through the controller.

Ours: one ``scada.redundancy.archive_copy`` task (``ansible-playbook``, the module's default
chunk size). Baseline: ansible-core's winrm connection, ``fetch_file`` from the source then
``put_file`` to the destination (``ansible_transfer.py``). Both run against the same twin
hosts with the same cost model, alternately, and each repetition starts from the same state
(source present, destination absent). The archive is incompressible random data; neither
side proves the zip (``validate: false``) so both move exactly the same bytes.
"""

from __future__ import annotations

import json
import os
import pathlib
import statistics
import sys
from typing import Any

import yaml

from . import measure, plants
from .env import ansible_env

SOURCE = "D:\\Backups\\bench-transfer.ctz"
DEST = "D:\\Incoming\\bench-transfer.ctz"
SOURCE_HOST, DEST_HOST = "p01-b", "p01-a"
BASELINE = pathlib.Path(__file__).with_name("ansible_transfer.py")
MIB = 1024 * 1024


def run(size_mib: float, repetitions: int, time_scale: float, octet: int, work: pathlib.Path) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    plant = plants.start(plants.fleet_spec(1, octet, time_scale), work / "plant")
    try:
        payload = os.urandom(int(size_mib * MIB))
        plant.hosts[SOURCE_HOST].fs.write(SOURCE, payload)
        plant.hosts[DEST_HOST].fs.mkdir("D:\\Incoming")
        del payload
        inventory = plants.inventory(plant, work / "inventory.yml")
        playbook = _playbook(work / "archive_copy.yml")
        baseline_spec = _baseline_spec(plant, work)
        ours, theirs = [], []
        for _ in range(repetitions):
            ours.append(_ours(plant, inventory, playbook, work))
            theirs.append(_theirs(plant, baseline_spec))
    finally:
        plant.stop()
    return _summary(size_mib, time_scale, ours, theirs)


def _playbook(path: pathlib.Path) -> pathlib.Path:
    play = [{"name": "archive_copy benchmark", "hosts": DEST_HOST, "gather_facts": False,
             "tasks": [{"name": "copy", "scada.redundancy.archive_copy": {
                 "source_host": SOURCE_HOST, "source_path": SOURCE, "dest": DEST,
                 "validate": False, "resume": False}}]}]
    path.write_text(yaml.safe_dump(play), encoding="utf-8")
    return path


def _baseline_spec(plant: Any, work: pathlib.Path) -> pathlib.Path:
    def endpoint(name: str) -> dict[str, Any]:
        return {"address": plant.hosts[name].address, "port": plant.hosts[name].spec.http_port}

    path = work / "baseline.json"
    path.write_text(json.dumps({"source": endpoint(SOURCE_HOST), "destination": endpoint(DEST_HOST),
                                "user": plants.USER, "password": plants.PASSWORD,
                                "source_path": SOURCE, "dest_path": DEST,
                                "local_path": str(work / "baseline-local.ctz")}), encoding="utf-8")
    return path


def _reset(plant: Any) -> None:
    fs = plant.hosts[DEST_HOST].fs
    for path in (DEST, DEST + ".partial"):
        if fs.is_file(path):
            fs.remove(path)


def _ours(plant: Any, inventory: pathlib.Path, playbook: pathlib.Path, work: pathlib.Path) -> dict[str, Any]:
    _reset(plant)
    before = plant.stats()
    done = measure.run([str(pathlib.Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory),
                        str(playbook)], env=ansible_env(work))
    _check(done, plant)
    return {**done.summary(), **_counted(before, plant.stats())}


def _theirs(plant: Any, spec: pathlib.Path) -> dict[str, Any]:
    _reset(plant)
    before = plant.stats()
    done = measure.run([sys.executable, str(BASELINE), str(spec)], env=ansible_env(spec.parent))
    _check(done, plant)
    phases = json.loads(done.output.strip().splitlines()[-1])
    return {**done.summary(), **_counted(before, plant.stats()),
            "fetch_seconds": round(phases["fetch_seconds"], 3), "put_seconds": round(phases["put_seconds"], 3)}


def _check(done: measure.Measurement, plant: Any) -> None:
    source = plant.hosts[SOURCE_HOST].fs
    dest = plant.hosts[DEST_HOST].fs
    if done.rc != 0 or not dest.is_file(DEST) or dest.sha256(DEST) != source.sha256(SOURCE):
        raise RuntimeError(f"transfer benchmark: the copy failed or differs (rc {done.rc}):\n"
                           f"{done.output[-3000:]}")


def _counted(before: dict[str, dict[str, int]], after: dict[str, dict[str, int]]) -> dict[str, int]:
    """PowerShell processes and HTTP requests both hosts served for this transfer."""
    total = {"powershell_processes": 0, "http_requests": 0}
    for host in (SOURCE_HOST, DEST_HOST):
        for key in total:
            total[key] += after[host].get(key, 0) - before[host].get(key, 0)
    return total


def _summary(size_mib: float, time_scale: float, ours: list[dict[str, Any]],
             theirs: list[dict[str, Any]]) -> dict[str, Any]:
    def median(runs: list[dict[str, Any]], key: str) -> float:
        return round(statistics.median(r[key] for r in runs), 3)

    ours_wall, theirs_wall = median(ours, "wall_seconds"), median(theirs, "wall_seconds")
    return {
        "size_mib": size_mib, "time_scale": time_scale, "repetitions": len(ours),
        "archive_copy": {"median_wall_seconds": ours_wall,
                         "median_peak_pss_mib": median(ours, "peak_pss_mib"),
                         "median_peak_rss_mib": median(ours, "peak_rss_mib"),
                         "mib_per_second": round(size_mib / ours_wall, 2), "runs": ours},
        "ansible_fetch_put": {"median_wall_seconds": theirs_wall,
                              "median_peak_pss_mib": median(theirs, "peak_pss_mib"),
                              "median_peak_rss_mib": median(theirs, "peak_rss_mib"),
                              "mib_per_second": round(size_mib / theirs_wall, 2), "runs": theirs},
        "speedup": round(theirs_wall / ours_wall, 2),
        "goal": {"speedup_at_least": 3.0, "controller_peak_mib_below": 200.0},
    }
