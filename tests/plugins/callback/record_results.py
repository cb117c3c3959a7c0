# Test-only callback: writes every task result as one JSON line to $RECORD_RESULTS_FILE, so
# tests assert on the real results ansible-playbook produced rather than scraping its output.
from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: record_results
type: aggregate
short_description: record task results as JSON lines for the test suite
description: [Writes each task result to the file named by RECORD_RESULTS_FILE.]
requirements: [enable in ANSIBLE_CALLBACKS_ENABLED]
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, status, result):
        path = os.environ.get("RECORD_RESULTS_FILE")
        if not path:
            return
        record = {"status": status, "host": result._host.get_name(),
                  "task": result._task.get_name(), "action": result._task.action,
                  "result": self._clean(result._result)}
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, default=str) + "\n")

    def _clean(self, value):
        return json.loads(json.dumps(value, default=str))

    def v2_runner_on_ok(self, result, **kwargs):
        self._write("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False, **kwargs):
        self._write("failed", result)

    def v2_runner_on_unreachable(self, result, **kwargs):
        self._write("unreachable", result)

    def v2_runner_on_skipped(self, result, **kwargs):
        self._write("skipped", result)
