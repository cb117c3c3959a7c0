"""A server of a Power Operation pair that stops answering mid-update (the twin's ``down``
fault, triggered when a given step starts): whatever the step, the run ends with a message on
the server that still answers, saying which server serves now, what state each server is in
and the two ways forward (run again once it answers, or put it back from its pre-change
backup, with the commands), and nothing more changes after it vanished."""

from __future__ import annotations

import pytest

from support.fault_matrix import change, make_lab, operation_started, verb_started, when  # noqa: F401 - fixtures

CHANGES = ("folder.swap", "po.compile", "po.process")

pytestmark = pytest.mark.timeout(600)


#: (case, server that vanishes, trigger, modelled costs slowing the step, survivor, what the survivor says)
CASES = [
    ("the active during the backups", "po-a", verb_started("po-a", "zip_create"), {"zip_create": 300.0},
     "po-b", "Nothing was changed on either server"),
    ("the standby during its restore", "po-b", operation_started("po-b", "project_restore"), {"zip_extract": 300.0},
     "po-a", "po-b (the standby) was not updated, or not completely; po-a was not touched"),
    ("the active before the standby's restart", "po-a", operation_started("po-b", "project_compile"),
     {"po_compile": 300.0}, "po-b", "was not restarted"),
    ("the active during its own restore", "po-a", operation_started("po-a", "project_restore"),
     {"zip_extract": 300.0}, "po-b", "po-b (the standby) was updated and verified; po-a was not, or not completely"),
    ("the standby while the active is compiled", "po-b", operation_started("po-a", "project_compile"),
     {"po_compile": 300.0}, "po-a", "po-b (the standby) was updated and verified"),
]


@pytest.mark.parametrize("case, vanishing, trigger, cost, survivor, happened", CASES, ids=[c[0] for c in CASES])
def test_the_run_ends_with_guidance_on_the_server_still_answering(make_lab, case, vanishing, trigger, cost,
                                                                  survivor, happened):
    lab = make_lab(**cost)
    gone_at: list[int] = []

    def vanish() -> None:
        lab.plant.inject(vanishing, "down")
        gone_at.append(lab.mark())

    with when(lab, trigger, vanish) as fired:
        run = lab.update()
    assert fired.is_set(), run.output[-3000:]
    assert run.rc != 0
    said = [r for r in run.results if r["host"] == survivor and r["status"] == "failed"]
    assert said, run.output[-5000:]
    message = str(said[-1]["result"].get("msg"))
    assert message.startswith(f"po_pair_lab: {vanishing} stopped answering during the update."), message
    assert happened in message, message
    assert f"{vanishing}: not answering" in message and f"{survivor}: " in message, message
    assert "serve" in message.split("Now:", 1)[1].split(".", 1)[0], message
    assert "(1) once " + vanishing + " answers again, run the same playbook again" in message, message
    assert "(2) " in message, message
    # the step already running on the survivor may finish (a compile is not cut); no other
    # change follows: no restore, no restart
    in_flight = {"po.compile"} if cost.get("po_compile") else set()
    later = [e for e in lab.events(gone_at[0]) if e.kind in CHANGES and e.host == survivor and e.kind not in in_flight]
    assert not later, [(e.kind, e.data) for e in later]
