"""The fault matrix's plant, triggers and checks (tests/integration/test_fault_matrix.py).

Every case runs the operator's playbook against a lab pair, injects one fault (before the run
or when the twin's timeline shows a given step starting), and then checks the guarantees of
issue 8 from the twin's own record: a server of the pair served all along, the pre-change
backups are on the controller with the checksums the hosts computed, the failure names host,
step and cause, and a rerun finishes the update without restoring again what was already
restored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import ntpath
import pathlib
import threading
import time
from typing import Any, Callable, Iterator

import pytest
from scada_twin.plant import Plant
from scada_twin.timeline import Event

from support.ansible_run import ROOT, PlaybookRun, RunningPlaybook, run_playbook
from support.lab import lab_inventory, lab_spec
from support.plants import start_plant

PLAYBOOKS = ROOT / "playbooks"
PAIR = "lab"  # the twin's pair name in inventories/lab/twin-plant.yml
SERVERS = ("po-a", "po-b")
CHANGED_PROJECTS = ("PlantProject", "Site_Include")
ROLE = "scada.redundancy.power_operation_update : "  # how ansible names role tasks
BACKUP_TASK = ROLE + "Back up this server's project with its included projects and fetch it to the controller"
#: Modelled seconds; every case runs at this scale (a 40 s compile takes 0.4 s).
TIME_SCALE = 0.01


def take_change(state_dir: pathlib.Path) -> pathlib.Path:
    """The engineer's change as the lab's workstation exports it (once per test module)."""
    plant = start_plant(lab_spec(TIME_SCALE), state_dir / "plant")
    try:
        inventory = lab_inventory(plant, state_dir / "inventory.yml")
        taken = run_playbook(PLAYBOOKS / "change_from_workstation.yml", inventory, state_dir,
                             "-e", f"change_dir={state_dir / 'change'}")
        assert taken.rc == 0, taken.output
    finally:
        plant.stop()
    return next((state_dir / "change").glob("*.ctz"))


@dataclasses.dataclass
class Lab:
    """A lab pair with the change ready, and the operator's update playbook."""

    plant: Plant
    inventory: pathlib.Path
    change: pathlib.Path
    tmp_path: pathlib.Path
    target: dict[str, str]  # project -> fingerprint the change must leave on both servers

    @property
    def backup_dir(self) -> pathlib.Path:
        return self.tmp_path / "backups"

    def arguments(self, *extra: str) -> list[str]:
        return ["-e", f"power_operation_update_change_archive={self.change}",
                "-e", f"power_operation_update_backup_dir={self.backup_dir}", *extra]

    def update(self, *extra: str) -> PlaybookRun:
        return run_playbook(PLAYBOOKS / "redundant_update.yml", self.inventory, self.tmp_path,
                            *self.arguments(*extra))

    def start_update(self, *extra: str) -> RunningPlaybook:
        return RunningPlaybook(PLAYBOOKS / "redundant_update.yml", self.inventory, self.tmp_path,
                               *self.arguments(*extra))

    def mark(self) -> int:
        """A timeline position: events after it belong to what the test does next."""
        return self.plant.timeline.record("test", "test.mark").seq

    def events(self, since: int = -1, kind: str | None = None,
               host: str | None = None) -> list[Event]:
        return [e for e in self.plant.timeline.events(host, kind) if e.seq > since]

    def fingerprints(self) -> dict[str, dict[str, str]]:
        """Each server's fingerprint of each changed project, as the twin holds it."""
        return {host: {p: self.plant.hosts[host].power_operation.projects.fingerprint(p)
                       for p in CHANGED_PROJECTS} for host in SERVERS}


def start_lab(tmp_path: pathlib.Path, change: pathlib.Path, **cost: float) -> Lab:
    """A fresh lab plant (``cost``: modelled durations of vendor operations, by name)."""
    spec = lab_spec(TIME_SCALE)
    if cost:
        spec["cost"] = {"operations": dict(cost)}
    plant = start_plant(spec, tmp_path / "plant")
    ews = plant.hosts["ews"].power_operation.projects
    return Lab(plant, lab_inventory(plant, tmp_path / "inventory.yml"), change, tmp_path,
               {p: ews.fingerprint(p) for p in CHANGED_PROJECTS})


# -- triggers ------------------------------------------------------------------------------

def operation_started(host: str, operation: str) -> Callable[[list[Event]], bool]:
    """Matches once ``operation`` has started on ``host``."""
    def match(events: list[Event]) -> bool:
        return any(e.kind == "operation" and e.host == host and e.data.get("operation") == operation
                   for e in events)
    return match


def verb_started(host: str, verb: str) -> Callable[[list[Event]], bool]:
    """Matches once a batch of agent verbs that calls ``verb`` has started on ``host``."""
    def match(events: list[Event]) -> bool:
        return any(e.kind == "operation" and e.host == host and verb in e.data.get("verbs", ())
                   for e in events)
    return match


@contextlib.contextmanager
def when(lab: Lab, match: Callable[[list[Event]], bool], action: Callable[[], None],
         poll: float = 0.005) -> Iterator[threading.Event]:
    """Run ``action`` as soon as ``match`` holds for the events recorded since entering.

    Yields an Event that is set once the action ran, so the test can insist it did.
    """
    start = lab.mark()
    fired = threading.Event()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if match(lab.events(start)):
                action()
                fired.set()
                return
            time.sleep(poll)

    thread = threading.Thread(target=watch, daemon=True, name="fault-trigger")
    thread.start()
    try:
        yield fired
    finally:
        stop.set()
        thread.join(5)


# -- the guarantees ------------------------------------------------------------------------

def assert_pair_served(lab: Lab) -> None:
    """One server of the pair was active at every moment since the plant started, except while
    a server that died was being replaced by its partner: the vendor's handover (at most
    [Alarm]MonitorRequestTimeout, 30 s), which no orchestration can shorten."""
    report = lab.plant.availability()[PAIR]
    ours = [g for g in report["gaps"] if g["cause"] != "host_died"]
    assert not ours, f"the pair served nobody for a while: {report['gaps']}"
    for gap in report["gaps"]:
        assert gap["modelled_seconds"] <= 30 * 1.5, f"the handover took too long: {gap}"


def assert_backups_on_controller(lab: Lab, run: PlaybookRun) -> list[dict[str, Any]]:
    """Both servers' pre-change backups are on the controller, byte for byte as the hosts
    wrote them (the SHA-256 the twin recorded when it wrote each archive)."""
    written = {e.data["sha256"] for e in lab.events(kind="zip.written")}
    backups = []
    for host in SERVERS:
        record = run.task(BACKUP_TASK, host)
        assert record["status"] == "ok", record
        fetched = record["result"]["fetched"]
        data = pathlib.Path(fetched["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["result"]["sha256"] == fetched["sha256"], host
        assert record["result"]["sha256"] in written, f"{host}: the fetched backup is not what the host wrote"
        assert pathlib.Path(fetched["path"]).is_relative_to(lab.backup_dir / host)
        backups.append(record["result"])
    return backups


def failure(run: PlaybookRun, host: str) -> dict[str, Any]:
    """The last failed or unreachable result of ``host``: what the operator reads."""
    failed = [r for r in run.results if r["host"] == host and r["status"] in ("failed", "unreachable")]
    assert failed, f"no failure on {host}:\n{run.output}"
    return failed[-1]


def assert_failure_names(run: PlaybookRun, host: str, step: str, cause: str) -> str:
    """The failure the operator reads names the host, the step and the cause."""
    assert run.rc != 0, run.output
    record = failure(run, host)
    message = str(record["result"].get("msg", ""))
    for what in (host, cause):
        assert what in message, f"the failure does not name {what!r}: {message}"
    # The role's rescue messages quote the failed step; an unreachable host fails at the step.
    assert step in f"{record['task']}\n{message}", \
        f"the failure does not name the step {step!r}: task {record['task']!r}: {message}"
    return message


def assert_nothing_changed(lab: Lab, since: int) -> None:
    """No project, compile or runtime change on either server since ``since``."""
    changes = [e for e in lab.events(since) if e.kind in ("folder.swap", "po.compile", "po.process")
               and e.host in SERVERS]
    assert not changes, [(e.host, e.kind, e.data) for e in changes]


def restores(lab: Lab, since: int, host: str | None = None) -> list[tuple[str, str]]:
    """(host, project) of every project folder a restore swapped in since ``since``."""
    return [(e.host, ntpath.basename(e.data["path"])) for e in lab.events(since, "folder.swap", host)
            if e.data["action"] == "swap_in"]


def assert_rerun_completes(lab: Lab) -> PlaybookRun:
    """Run the playbook again: it must finish the update, restoring nothing that already holds
    the change, and leave both servers holding and running the change."""
    before = lab.fingerprints()
    mark = lab.mark()
    rerun = lab.update()
    assert rerun.rc == 0, rerun.output
    redone = [(host, project) for host, project in restores(lab, mark)
              if before[host].get(project) == lab.target.get(project)]
    assert not redone, f"the rerun restored again what already held the change: {redone}"
    assert_holds_change(lab)
    return rerun


def assert_holds_change(lab: Lab) -> None:
    """Both servers hold the change, compiled, and their runtimes run what was compiled."""
    assert lab.fingerprints() == {host: lab.target for host in SERVERS}
    for host in SERVERS:
        po = lab.plant.hosts[host].power_operation
        status = po.runtime.status()
        compiled = po.compiler.compiled(status.loaded.project) if status.loaded else None
        assert compiled is not None and status.loaded.fingerprint == compiled.fingerprint, \
            f"{host}: the runtime does not run the compiled change (restart missing)"
        assert all(p.state == "Running" for p in status.processes), (host, status.processes)


# -- fixtures (imported by the test modules that use them) -----------------------------------

@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The engineer's change, taken once per test module."""
    return take_change(tmp_path_factory.mktemp("change"))


@pytest.fixture
def make_lab(change: pathlib.Path, tmp_path: pathlib.Path) -> Iterator[Callable[..., Lab]]:
    """make_lab(**cost): a fresh lab pair, ``cost`` overriding modelled durations by name."""
    started: list[Lab] = []

    def make(**cost: float) -> Lab:
        started.append(start_lab(tmp_path, change, **cost))
        return started[-1]

    yield make
    for lab in started:
        lab.plant.stop()
