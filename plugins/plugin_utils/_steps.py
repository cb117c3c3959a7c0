# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The step model the callbacks share: when each task ran on each host, and how it ended.

``step_timings`` prints these steps and ``run_report`` draws them, so both callbacks time a
step the same way: from the runner's start on a host to its result, in seconds after the run
began, with bookkeeping steps (facts, asserts, messages) left out unless they failed.
"""

from __future__ import annotations

import time
import typing as t

#: Steps that only decide or report; they are timed but not listed unless they fail.
BOOKKEEPING = frozenset({"set_fact", "assert", "debug", "set_stats", "validate_argument_spec", "fail",
                         "include_tasks", "include_role", "include_vars", "meta", "group_by", "add_host"})


def short_action(action: str) -> str:
    """The task's module name without its collection (``scada.redundancy.po_info`` -> ``po_info``)."""
    return (action or "").rsplit(".", 1)[-1]


def delegated_host(result: t.Any) -> t.Optional[str]:
    """The inventory host a delegated task ran on, or None when it was not delegated.

    ansible-core 2.20 and later hand callbacks ``ansible_delegated_host``; 2.19 keeps only the
    delegate's address there, but the task callbacks see has its ``delegate_to`` templated.
    """
    delegated = (result._result.get("_ansible_delegated_vars") or {}).get("ansible_delegated_host")
    if delegated:
        return str(delegated)
    target = result._task.delegate_to
    return target if isinstance(target, str) and target and "{{" not in target else None


class StepClock:
    """Times every task run per host, against the run's start.

    ``clock`` returns seconds (wall time by default, so a report can name the moment); tests
    may pass their own.
    """

    def __init__(self, clock: t.Callable[[], float] = time.time) -> None:
        self._clock = clock
        self.run_start = clock()
        self._started: dict[tuple[str, str], float] = {}

    def now(self) -> float:
        """Seconds since the run began."""
        return self._clock() - self.run_start

    def start(self, host: str, task_uuid: str) -> None:
        self._started[(host, task_uuid)] = self._clock()

    def finish(self, result: t.Any, status: str) -> t.Optional[dict[str, t.Any]]:
        """The step a runner result ends, or None when its start was not seen.

        ``status`` is ``ok``, ``failed``, ``unreachable`` or ``skipped``; an ``ok`` that
        changed something becomes ``changed``.
        """
        host = result._host.get_name()
        start = self._started.pop((host, result._task._uuid), None)
        if start is None:
            return None
        outcome = result._result
        if status == "ok" and outcome.get("changed"):
            status = "changed"
        name = result._task.get_name(include_role_fqcn=False)
        role = result._task._role.get_name(include_role_fqcn=False) if result._task._role else None
        return {
            "step": name,
            "role": role,
            "task": name[len(role) + 3:] if role and name.startswith(f"{role} : ") else name,
            "host": host,
            "delegated_to": delegated_host(result),
            "action": short_action(result._task.action),
            "status": status,
            "check_mode": bool(result._task.check_mode),
            "start": round(start - self.run_start, 3),
            "seconds": round(self._clock() - start, 3),
        }


def listed(step: t.Mapping[str, t.Any]) -> bool:
    """Whether a step is worth a line: it ran, and did more than bookkeeping (or failed)."""
    if step["status"] == "skipped":
        return False
    return step["status"] not in ("ok", "changed") or step["action"] not in BOOKKEEPING


def in_start_order(steps: t.Iterable[t.Mapping[str, t.Any]]) -> list:
    """Steps sorted by the moment they started."""
    return sorted(steps, key=lambda step: step["start"])


class StepHooks:
    """The runner hooks of a callback that follows steps (mixed into a CallbackBase subclass).

    It times every task run with ``self._clock`` (a :class:`StepClock` the callback creates)
    and hands each finished step, with the runner result, to ``self._step_done``.
    """

    _clock: StepClock

    def _step_done(self, step: dict[str, t.Any], result: t.Any) -> None:
        raise NotImplementedError

    def _finished(self, result: t.Any, status: str) -> None:
        step = self._clock.finish(result, status)
        if step is not None:
            self._step_done(step, result)

    def v2_runner_on_start(self, host: t.Any, task: t.Any) -> None:
        self._clock.start(host.get_name(), task._uuid)

    def v2_runner_on_ok(self, result: t.Any, **kwargs: t.Any) -> None:
        self._finished(result, "ok")

    def v2_runner_on_failed(self, result: t.Any, ignore_errors: bool = False, **kwargs: t.Any) -> None:
        self._finished(result, "ignored" if ignore_errors else "failed")

    def v2_runner_on_unreachable(self, result: t.Any, **kwargs: t.Any) -> None:
        self._finished(result, "unreachable")

    def v2_runner_on_skipped(self, result: t.Any, **kwargs: t.Any) -> None:
        self._finished(result, "skipped")
