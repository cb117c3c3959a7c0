"""Run ansible-playbook as a user would, and read back every task result it produced."""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import subprocess
import sys
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from devenv import collection_path  # noqa: E402


@dataclasses.dataclass
class PlaybookRun:
    rc: int
    output: str
    results: list[dict[str, Any]]

    def task(self, name: str, host: str | None = None) -> dict[str, Any]:
        """The record of the named task (on ``host``); fails the test when it did not run."""
        for record in self.results:
            if record["task"] == name and (host is None or record["host"] == host):
                return record
        raise AssertionError(f"task {name!r} did not run on {host or 'any host'}:\n{self.output}")


def run_playbook(playbook: pathlib.Path, inventory: pathlib.Path, tmp_path: pathlib.Path,
                 *args: str, env: dict[str, str] | None = None, timeout: float = 300) -> PlaybookRun:
    results_file = tmp_path / f"results-{len(list(tmp_path.glob('results-*')))}.jsonl"
    environment = {
        **os.environ,
        "ANSIBLE_COLLECTIONS_PATH": str(collection_path()),
        "ANSIBLE_CALLBACK_PLUGINS": str(ROOT / "tests" / "plugins" / "callback"),
        "ANSIBLE_CALLBACKS_ENABLED": "record_results",
        "RECORD_RESULTS_FILE": str(results_file),
        "ANSIBLE_HOST_KEY_CHECKING": "false",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        **(env or {}),
    }
    command = [str(pathlib.Path(sys.executable).parent / "ansible-playbook"),
               "-i", str(inventory), str(playbook), *args]
    done = subprocess.run(command, env=environment, capture_output=True, text=True,
                          timeout=timeout, check=False)
    results = []
    if results_file.exists():
        results = [json.loads(line) for line in results_file.read_text().splitlines()]
    return PlaybookRun(done.returncode, done.stdout + done.stderr, results)
