"""Benchmarks 2 and 3: the full Power Operation update of 1..N pairs in one playbook run.

Each repetition starts a fresh plant of N lab pairs (``plants.fleet_spec``), takes the change
from the workstation (``change_from_workstation.yml``, not timed), then times
``redundant_update.yml`` over every pair with two forks per pair. The twin's timeline gives
the vendor operations it modelled: each compile (``po.compile`` started to succeeded/failed)
each runtime process transition (Stopping/Starting to settled, ``po.process``) and each
Windows service transition (StartPending/StopPending to settled, ``service.status``: the
runtime service, the notification services). Backups and restores have no modelled duration in the twin (they
cost the PowerShell start like any operation), so they add nothing to the modelled time.
A pair's modelled critical path is the union of its two servers' modelled intervals (the
procedure runs the servers one after the other); the overhead ratio is the run's wall time
over that.

The redundancy window is what the plant pays: the time a pair is not redundant (the twin's
``plant.redundancy()``: from the standby's restart until both servers run the new project with
every process Running). Its modelled minimum is the vendor work the procedure's order puts
inside it - the union of the pair's modelled intervals clipped to the window - so the window
over that minimum is the orchestration's share of the plant's exposure.
"""

from __future__ import annotations

import json
import pathlib
import statistics
import sys
from typing import Any

from scada_twin.control import ControlServer

from . import measure, plants, roundtrips
from .env import CALLBACKS, ansible_env

ROOT = pathlib.Path(__file__).resolve().parents[2]
PLAYBOOKS = ROOT / "playbooks"
_SETTLED = ("Running", "Stopped", "Exception")
#: Timeline kinds of timed transitions: (name field, state field); anything not settled moves.
_TRANSITIONS = {"po.process": ("process", "state"), "service.status": ("service", "status")}


def run(pairs: int, repetitions: int, time_scale: float, octet: int, work: pathlib.Path,
        count_roundtrips: bool = False) -> dict[str, Any]:
    """``count_roundtrips``: also count the twin's requests per task (benchmark 4)."""
    runs = [_once(pairs, time_scale, octet, work / f"rep{rep}", count_roundtrips) for rep in range(repetitions)]
    walls = [r["wall_seconds"] for r in runs]
    modelled = [r["modelled_critical_path_seconds"] for r in runs]
    return {"pairs": pairs, "time_scale": time_scale, "repetitions": repetitions, "forks": 2 * pairs + 1,
            "median_wall_seconds": round(statistics.median(walls), 3),
            "median_modelled_critical_path_seconds": round(statistics.median(modelled), 3),
            "median_overhead_ratio": round(statistics.median(r["overhead_ratio"] for r in runs), 3),
            "median_redundancy_window_seconds": round(statistics.median(r["redundancy_window_seconds"] for r in runs), 3),
            "median_redundancy_window_modelled_minimum_seconds": round(statistics.median(
                r["redundancy_window_modelled_minimum_seconds"] for r in runs), 3),
            "median_redundancy_window_ratio": _median_or_none([r["redundancy_window_ratio"] for r in runs]),
            "median_cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in runs), 3),
            "median_peak_pss_mib": round(statistics.median(r["peak_pss_mib"] for r in runs), 1),
            "roundtrips": roundtrips.summarise(work / "roundtrips.jsonl") if count_roundtrips else None,
            "runs": runs}


def _once(pairs: int, time_scale: float, octet: int, work: pathlib.Path, count_roundtrips: bool) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    plant = plants.start(plants.fleet_spec(pairs, octet, time_scale), work / "plant")
    control = ControlServer(plant).start()
    callbacks = {"ANSIBLE_CALLBACKS_ENABLED": "scada.redundancy.step_timings"}
    if count_roundtrips:
        callbacks = {"ANSIBLE_CALLBACKS_ENABLED": "scada.redundancy.step_timings,bench_roundtrips",
                     "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS), "BENCH_TWIN_CONTROL_URL": control.url,
                     "BENCH_ROUNDTRIPS_FILE": str(work.parent / "roundtrips.jsonl")}
    try:
        inventory = plants.inventory(plant, work / "inventory.yml")
        env = ansible_env(work)
        playbook = str(pathlib.Path(sys.executable).parent / "ansible-playbook")
        taken = measure.run([playbook, "-i", str(inventory), str(PLAYBOOKS / "change_from_workstation.yml"),
                             "-e", f"change_dir={work / 'change'}"], env=env)
        if taken.rc != 0:
            raise RuntimeError(f"update benchmark: taking the change failed:\n{taken.output[-3000:]}")
        change = next((work / "change").glob("*.ctz"))
        start = plant.timeline.record("bench", "bench.start").time
        timings = work / "timings.json"
        done = measure.run([playbook, "-i", str(inventory), str(PLAYBOOKS / "redundant_update.yml"),
                            "-f", str(2 * pairs + 1),
                            "-e", f"power_operation_update_change_archive={change}",
                            "-e", f"power_operation_update_backup_dir={work / 'backups'}"],
                           env=ansible_env(work, SCADA_REDUNDANCY_TIMINGS_FILE=str(timings), **callbacks))
        if done.rc != 0:
            raise RuntimeError(f"update benchmark: the update of {pairs} pair(s) failed:\n{done.output[-3000:]}")
        events = [e for e in plant.timeline.events() if e.time >= start]
        gaps = [report["gap_seconds"] for report in plant.availability().values()]
        windows = {pair: [(w["start"], w["end"]) for w in report["windows"]]
                   for pair, report in plant.redundancy().items()}
    finally:
        control.stop()
        plant.stop()
    per_pair = _modelled_per_pair(events, plant)
    critical = max(per_pair.values()) * 1.0
    last = max(e.time for e in events)
    inside = _modelled_per_pair(events, plant, windows)
    slowest = max(windows, key=lambda pair: sum(end - begin for begin, end in windows[pair]))
    window = sum(end - begin for begin, end in windows[slowest])
    return {**done.summary(),
            "redundancy_window_seconds": round(window, 3),
            "redundancy_window_modelled_minimum_seconds": round(inside.get(slowest, 0.0), 3),
            "redundancy_window_ratio": round(window / inside[slowest], 3) if inside.get(slowest) else None,
            "modelled_critical_path_seconds": round(critical / time_scale, 3) if time_scale else 0.0,
            "modelled_critical_path_real_seconds": round(critical, 3),
            "overhead_ratio": round(done.wall_seconds / critical, 3) if critical else None,
            "plant_busy_seconds": round(last - min(e.time for e in events), 3),
            "pair_gap_seconds_max": max(gaps, default=0.0),
            "slowest_steps": _slowest_steps(timings)}


def _modelled_per_pair(events: list[Any], plant: Any,
                       within: dict[str, list[tuple[float, float]]] | None = None) -> dict[str, float]:
    """Real seconds of modelled vendor work per pair: the union of its servers' intervals,
    with ``within`` only their parts inside the pair's given intervals."""
    intervals: dict[str, list[tuple[float, float]]] = {}
    for host, spans in _modelled_intervals(events).items():
        pair = (plant.spec.host(host).products.get("power_operation") or {}).get("pair")
        if pair:
            if within is not None:
                spans = [(max(b, wb), min(e, we)) for b, e in spans for wb, we in within.get(pair, [])
                         if min(e, we) > max(b, wb)]
            intervals.setdefault(pair, []).extend(spans)
    return {pair: _union_length(spans) for pair, spans in intervals.items()}


def _median_or_none(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 3) if known else None


def _modelled_intervals(events: list[Any]) -> dict[str, list[tuple[float, float]]]:
    """Per host: compiles, runtime process and Windows service transitions."""
    spans: dict[str, list[tuple[float, float]]] = {}
    compiling: dict[tuple[str, str], float] = {}
    moving: dict[str, dict[str, float]] = {}
    for event in events:
        if event.kind == "po.compile":
            key = (event.host, event.data.get("project", ""))
            if event.data.get("state") == "started":
                compiling[key] = event.time
            elif key in compiling:
                spans.setdefault(event.host, []).append((compiling.pop(key), event.time))
        elif event.kind in _TRANSITIONS:
            name, state = _TRANSITIONS[event.kind]
            active = moving.setdefault(event.host, {})
            key = f"{event.kind}:{event.data.get(name)}"
            if event.data.get(state) in _SETTLED:
                began = active.pop(key, None)
                if began is not None:
                    spans.setdefault(event.host, []).append((began, event.time))
            else:
                active.setdefault(key, event.time)
    return spans


def _union_length(spans: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for begin, finish in sorted(spans):
        if finish <= end:
            continue
        total += finish - max(begin, end)
        end = finish
    return total


def _slowest_steps(path: pathlib.Path, count: int = 8) -> list[dict[str, Any]]:
    """The steps that took longest (step_timings callback), to explain the overhead."""
    if not path.exists():
        return []
    steps = json.loads(path.read_text(encoding="utf-8")).get("steps", [])
    steps = sorted(steps, key=lambda s: -float(s.get("seconds") or 0))
    return [{k: s.get(k) for k in ("step", "host", "seconds")} for s in steps[:count]]
