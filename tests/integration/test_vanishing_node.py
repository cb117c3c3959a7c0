"""A node of a System Platform galaxy that stops answering mid-upgrade (the twin's ``down``
fault, triggered when a given step starts): whatever the step, the run ends with a message on
a node that still answers, saying which engine of each pair is active now, each node's state
and the ways forward, and no later step starts."""

from __future__ import annotations

import threading
import time

import pytest

from support.sp_galaxy_run import two_pair_galaxy, upgrade

pytestmark = pytest.mark.timeout(600)


def _when_started(plant, host, verb, action):
    """Run ``action`` once a batch calling ``verb`` has started on ``host``."""
    start = plant.timeline.record("test", "test.mark").seq
    fired = threading.Event()

    def watch() -> None:
        while not fired.is_set():
            if any(e.seq > start and e.kind == "operation" and e.host == host and verb in e.data.get("verbs", ())
                   for e in plant.timeline.events(host=host)):
                action()
                fired.set()
                return
            time.sleep(0.005)

    threading.Thread(target=watch, daemon=True).start()
    return fired


CASES = [
    # (case, node that vanishes, the node and verb whose start triggers it, what the survivor says)
    ("a run-time node before the upgrade", "sp-a", None, "Nothing was changed"),
    ("the GR node during its setup", "gr", ("gr", "setup_runner_start"), "The upgrade stopped before the standby step"),
    ("the standby node during its setup", "sp-b", ("sp-b", "setup_runner_start"), "The standby step (sp-b) was under way"),
    ("the primary node during its setup", "sp-a", ("sp-a", "setup_runner_start"), "The primary step (sp-a) was under way"),
]


@pytest.mark.parametrize("case, vanishing, trigger, happened", CASES, ids=[c[0] for c in CASES])
def test_the_run_ends_with_guidance_on_a_node_still_answering(make_plant, tmp_path, case, vanishing, trigger, happened):
    plant = two_pair_galaxy(make_plant)
    if trigger is None:
        plant.inject(vanishing, "down")
        fired = threading.Event()
        fired.set()
    else:
        fired = _when_started(plant, *trigger, lambda: plant.inject(vanishing, "down"))
    run = upgrade(plant, tmp_path)
    assert fired.is_set(), run.output[-3000:]
    assert run.rc != 0
    said = [r for r in run.results if r["host"] != vanishing and r["status"] == "failed"
            and "stopped answering during the upgrade" in str(r["result"].get("msg"))]
    assert said, run.output[-6000:]
    message = str(said[0]["result"]["msg"])
    assert message.startswith(f"Galaxy Galaxy: {vanishing} stopped answering during the upgrade."), message
    assert happened in message, message
    assert f"{vanishing}: not answering" in message, message
    assert "Now: pair E1 / E1b: " in message and "pair E2 / E2b: " in message, message
    assert f"(1) once {vanishing} answers again, run the same playbook again" in message, message
    assert "no rollback" in message, message
