# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: step_timings
type: aggregate
short_description: A per-step timing summary at the end of a redundant update
version_added: 0.1.0
description:
  - Times every task on every host and, when the playbook ends, prints one line per step that
    did something with its duration and outcome, in the order the steps started, followed by
    the run's wall time. Skipped steps and bookkeeping (set_fact, assert, debug, set_stats,
    argument validation) are left out unless they failed.
  - Optionally writes the same data as JSON, for a change record or a run report.
requirements:
  - Enable it, for example in C(ansible.cfg) C([defaults] callbacks_enabled = scada.redundancy.step_timings).
options:
  output:
    description: Also write the timings as JSON to this file on the controller.
    type: path
    env:
      - name: SCADA_REDUNDANCY_TIMINGS_FILE
    ini:
      - section: scada_redundancy
        key: timings_file
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

import json

from ansible.plugins.callback import CallbackBase
from ansible_collections.scada.redundancy.plugins.plugin_utils._steps import StepClock, StepHooks, in_start_order, listed


class CallbackModule(StepHooks, CallbackBase):
    """Prints (and optionally writes) the steps of the shared step model when the run ends."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "scada.redundancy.step_timings"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clock = StepClock()
        self._steps = []

    def _step_done(self, step, result):
        if listed(step):
            self._steps.append(step)

    def v2_playbook_on_stats(self, stats):
        wall = self._clock.now()
        steps = in_start_order(self._steps)
        self._display.banner("STEP TIMINGS")
        width = max([len(s["step"]) for s in steps] + [4])
        for step in steps:
            self._display.display(f"{step['start']:8.1f}s  {step['seconds']:7.1f}s  "
                                  f"{step['step']:<{width}}  {step['host']}  {step['status']}")
        self._display.display(f"wall time {wall:.1f}s, {len(steps)} steps")
        output = self.get_option("output")
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                json.dump({"wall_seconds": round(wall, 3), "steps": steps}, handle, indent=2)
