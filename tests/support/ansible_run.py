"""Run ansible-playbook as a user would, and read back every task result it produced."""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import signal
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


def playbook_command(playbook: pathlib.Path, inventory: pathlib.Path, tmp_path: pathlib.Path,
                     *args: str, env: dict[str, str] | None = None
                     ) -> tuple[list[str], dict[str, str], pathlib.Path]:
    """The ansible-playbook command line, its environment and the file its results go to."""
    results_file = tmp_path / f"results-{len(list(tmp_path.glob('results-*')))}.jsonl"
    results_file.touch()
    (tmp_path / "home").mkdir(exist_ok=True)
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
        # roles keep controller files under ~ by default: the test's, never the developer's
        "HOME": str(tmp_path / "home"),
        **(env or {}),
    }
    command = [str(pathlib.Path(sys.executable).parent / "ansible-playbook"),
               "-i", str(inventory), str(playbook), *args]
    return command, environment, results_file


def read_results(results_file: pathlib.Path) -> list[dict[str, Any]]:
    if not results_file.exists():
        return []
    return [json.loads(line) for line in results_file.read_text().splitlines() if line.strip()]


def run_playbook(playbook: pathlib.Path, inventory: pathlib.Path, tmp_path: pathlib.Path,
                 *args: str, env: dict[str, str] | None = None, timeout: float = 300) -> PlaybookRun:
    command, environment, results_file = playbook_command(playbook, inventory, tmp_path, *args,
                                                          env=env)
    done = subprocess.run(command, env=environment, capture_output=True, text=True,
                          timeout=timeout, check=False)
    return PlaybookRun(done.returncode, done.stdout + done.stderr, read_results(results_file))


class RunningPlaybook:
    """An ansible-playbook started in a process group of its own, so a test can kill the
    controller half-way (the whole group, as a lost session or an OOM kill would)."""

    def __init__(self, playbook: pathlib.Path, inventory: pathlib.Path, tmp_path: pathlib.Path,
                 *args: str, env: dict[str, str] | None = None) -> None:
        command, environment, self.results_file = playbook_command(playbook, inventory, tmp_path,
                                                                   *args, env=env)
        self._output = tmp_path / f"output-{self.results_file.stem}.txt"
        with open(self._output, "w", encoding="utf-8") as output:
            self.process = subprocess.Popen(command, env=environment, stdout=output,
                                            stderr=subprocess.STDOUT, text=True,
                                            start_new_session=True)

    def kill(self) -> None:
        """SIGKILL the controller's whole process group (ansible-playbook and its workers)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def finish(self, timeout: float = 300) -> PlaybookRun:
        try:
            rc = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            rc = self.process.wait()
        return PlaybookRun(rc, self._output.read_text(encoding="utf-8", errors="replace"),
                           read_results(self.results_file))
