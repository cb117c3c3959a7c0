# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark callback (not shipped): the twin's request counters around every task.

The linear strategy starts a task only after every host finished the previous one, so the
change in the twin's counters (``GET /stats`` of the plant's control API) between two task
starts is what that task cost on the wire, on all hosts. One JSON line per task goes to
``BENCH_ROUNDTRIPS_FILE``: the module, how many hosts ran it (not skipped), and the counters.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_roundtrips
type: aggregate
short_description: twin request counters per task, for make bench
description: Writes the twin's counters per task to BENCH_ROUNDTRIPS_FILE.
"""

import json
import os
import urllib.request

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_roundtrips"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._url = os.environ["BENCH_TWIN_CONTROL_URL"].rstrip("/") + "/stats"
        self._out = open(os.environ["BENCH_ROUNDTRIPS_FILE"], "a", encoding="utf-8")
        self._task = None
        self._ran = 0
        self._before = None

    def _stats(self):
        with urllib.request.urlopen(self._url, timeout=10) as answer:
            counts = {}
            for host in json.loads(answer.read()).values():
                for name, value in host.items():
                    counts[name] = counts.get(name, 0) + value
            return counts

    def _close_task(self):
        if self._task is None:
            return
        after = self._stats()
        delta = {k: v - self._before.get(k, 0) for k, v in after.items() if v != self._before.get(k, 0)}
        self._out.write(json.dumps({"task": self._task.get_name(), "action": self._task.action,
                                    "hosts": self._ran, "counts": delta}) + "\n")
        self._out.flush()
        self._task = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close_task()
        self._task, self._ran, self._before = task, 0, self._stats()

    def v2_runner_on_ok(self, result, **kwargs):
        self._ran += 1

    def v2_runner_on_failed(self, result, ignore_errors=False, **kwargs):
        self._ran += 1

    def v2_playbook_on_stats(self, stats):
        self._close_task()
        self._out.close()
