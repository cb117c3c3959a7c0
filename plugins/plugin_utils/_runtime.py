# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wait until the Runtime Manager's processes reach a state, with few remote calls.

Each probe is one ``runtime_watch`` operation: a long poll that waits on the host (polling
there every ``poll_interval``) until the states differ from those last seen or ``long_poll``
seconds pass. The controller loops over such calls with :func:`._wait.wait_for`, so a
ten-minute wait costs a handful of PowerShell processes rather than one per poll, and every
change still arrives within one poll interval. Timings are taken on the controller: the
seconds from the task's action until a process was first seen in the target state.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils._wait import (
    Clock,
    WaitTimeout,
    wait_for,
)

RUNNING = "Running"
STOPPED = "Stopped"
EXCEPTION = "Exception"
DEFAULT_PROCESSES = ("I/O Server", "Alarm", "Trend", "Report", "Client", "System Services")
DEFAULT_SERVICE_PATTERNS = ("Citect Runtime Manager", "Plant SCADA Runtime Manager",
                            "Power Operation Runtime Manager")

#: watch(known, max_wait) runs one runtime_watch operation and returns its document.
Watch = t.Callable[[t.Optional[dict], float], dict]


@dataclasses.dataclass
class Outcome:
    """The last states seen, per-process timings (seconds) and how many watch calls ran."""

    observation: dict[str, t.Any]
    timings: dict[str, float]
    watch_calls: int


class ProcessWaitFailed(Exception):
    """A process went to Exception, or the target was not reached in time."""

    def __init__(self, msg: str, category: str, outcome: Outcome) -> None:
        super().__init__(msg)
        self.msg = msg
        self.category = category
        self.outcome = outcome


def wait_for_processes(watch: Watch, *, target: str, timeout: float, long_poll: float,
                       started: float, first: dict | None = None,
                       progress: t.Callable[[str], None] | None = None,
                       clock: Clock | None = None) -> Outcome:
    """Loop ``watch`` until every process is in ``target``; fail on Exception or timeout.

    ``first`` is an observation already made (the control operation's result); ``started``
    is the clock reading the timings count from.
    """
    clock = clock or Clock()
    deadline = started + timeout
    outcome = Outcome({}, {}, 0)

    def observe(document: dict) -> dict:
        now = clock.now()
        for process in document.get("processes") or []:
            if process["state"] == target and process["name"] not in outcome.timings:
                outcome.timings[process["name"]] = round(now - started, 3)
        outcome.observation = document
        return document

    def probe() -> dict:
        known = snapshot(outcome.observation) if outcome.observation else None
        max_wait = max(0.0, min(long_poll, deadline - clock.now()))
        outcome.watch_calls += 1
        return observe(watch(known, max_wait))

    def done(document: dict) -> bool:
        return reached(document, target) or bool(in_exception(document))

    if first is not None:
        observe(first)
        if progress is not None:
            progress(f"runtime processes: {describe(first)} (after the control action, "
                     f"{clock.now() - started:.1f}s)")
    try:
        if first is None or not done(first):
            wait_for(probe, done, timeout=max(0.0, deadline - clock.now()), interval=0.0,
                     what="runtime processes", describe=describe, progress=progress,
                     clock=clock)
    except WaitTimeout:
        waiting = [p["name"] for p in outcome.observation.get("processes") or []
                   if p["state"] != target]
        raise ProcessWaitFailed(
            f"{', '.join(waiting) or 'the runtime service'} did not reach {target} within "
            f"{timeout:g}s: {table(outcome.observation, outcome.timings)}"
            f"{_hint(outcome.observation, target)}", "timeout", outcome) from None
    failed = in_exception(outcome.observation)
    if failed:
        raise ProcessWaitFailed(
            f"{', '.join(failed)} in {EXCEPTION}: {table(outcome.observation, outcome.timings)}",
            "process_exception", outcome)
    return outcome


def _hint(document: dict, target: str) -> str:
    """Scripts cannot tell Exception from Starting; say so where it matters."""
    service = (document.get("service") or {}).get("status")
    starting = [p for p in document.get("processes") or [] if p["state"] == "Starting"]
    if target == RUNNING and service == RUNNING and starting:
        return (". A process that stays Starting while the service runs may be in Exception; "
                "Runtime Manager on the host shows which")
    return ""


def snapshot(document: dict) -> dict:
    """What the host compares against: the service status and each process's state."""
    return {"service": (document.get("service") or {}).get("status"),
            "processes": {p["name"]: p["state"] for p in document.get("processes") or []}}


def reached(document: dict, target: str) -> bool:
    service = (document.get("service") or {}).get("status")
    processes = document.get("processes") or []
    return service == target and all(p["state"] == target for p in processes)


def in_exception(document: dict) -> list[str]:
    return [p["name"] for p in document.get("processes") or [] if p["state"] == EXCEPTION]


def describe(document: dict) -> str:
    """One progress line: the service status, then the processes grouped by state."""
    groups: dict[str, list[str]] = {}
    for process in document.get("processes") or []:
        groups.setdefault(process["state"], []).append(process["name"])
    service = (document.get("service") or {}).get("status", "unknown")
    return "; ".join([f"service {service}"] +
                     [f"{state}: {', '.join(names)}" for state, names in groups.items()])


def table(document: dict, timings: dict[str, float]) -> str:
    """The process table for a failure message: name, state, reason or time to target."""
    rows = []
    for process in document.get("processes") or []:
        row = f"{process['name']}={process['state']}"
        if process.get("reason"):
            row += f" ({process['reason']})"
        elif process["name"] in timings:
            row += f" (after {timings[process['name']]:g}s)"
        rows.append(row)
    service = (document.get("service") or {}).get("status", "unknown")
    return f"service {service}; " + "; ".join(rows)


def process_rows(document: dict, timings: dict[str, float]) -> list[dict[str, t.Any]]:
    """The ``processes`` result: name, state, reason and seconds to the target state."""
    return [{"name": p["name"], "state": p["state"], "reason": p.get("reason"),
             "seconds": timings.get(p["name"])} for p in document.get("processes") or []]
