"""load_balancing through ansible-playbook and winrm against the twin's System Platform nodes."""

from __future__ import annotations

import pytest

from support import hostile
from support.sp_plant import run_task, sp_plant_spec


@pytest.fixture
def sp_plant(make_plant):
    return make_plant(sp_plant_spec())


def test_sets_the_values_idempotently_with_check_and_diff(sp_plant, tmp_path):
    node = sp_plant.hosts["sp-a"].system_platform
    args = {"enabled": True, "objects_per_group": 40}
    check = run_task(sp_plant, tmp_path, "load_balancing", args, "--check", "--diff",
                     hosts="sp-a").task("load_balancing", "sp-a")
    assert check["status"] == "ok" and check["result"]["changed"] is True
    assert "EnableCPUBalancing=1" in check["result"]["diff"]["after"]
    assert node.load_balancing()["configured"] == {}
    done = run_task(sp_plant, tmp_path, "load_balancing", args,
                    hosts="sp-a").task("load_balancing", "sp-a")["result"]
    assert done["changed"] is True
    assert done["before"] == {"EnableCPUBalancing": None, "LoadObjectsNumberPerGroup": None}
    assert done["load_balancing"] == {"enabled": True, "objects_per_group": 40}
    assert node.load_balancing()["configured"] == {"EnableCPUBalancing": 1,
                                                   "LoadObjectsNumberPerGroup": 40}
    again = run_task(sp_plant, tmp_path, "load_balancing", args,
                     hosts="sp-a").task("load_balancing", "sp-a")["result"]
    assert again["changed"] is False and again["changes"] == []
    read = run_task(sp_plant, tmp_path, "load_balancing", {},
                    hosts="sp-b").task("load_balancing", "sp-b")["result"]
    assert read["changed"] is False
    assert read["load_balancing"] == {"enabled": False, "objects_per_group": 50}


def test_bad_input_and_unreachable(sp_plant, tmp_path):
    run = run_task(sp_plant, tmp_path, "load_balancing", {"objects_per_group": 0}, hosts="sp-a")
    record = run.task("load_balancing", "sp-a")
    assert record["status"] == "failed" and "objects_per_group" in record["result"]["msg"]
    assert not sp_plant.timeline.events(kind="operation")
    sp_plant.inject("sp-a", "down")
    run = run_task(sp_plant, tmp_path, "load_balancing", {"enabled": True}, hosts="sp-a")
    assert run.task("load_balancing", "sp-a")["status"] == "unreachable"
    assert "Traceback" not in run.output


def test_the_script_sent_is_constant(sp_plant, tmp_path):
    for value in (True, False, True):
        run = run_task(sp_plant, tmp_path, "load_balancing", {"enabled": value,
                                                              "objects_per_group": 7},
                       hosts="sp-b")
        assert run.task("load_balancing", "sp-b")["status"] == "ok", run.output
    code = hostile.code_hashes_sent(sp_plant)
    assert set(code) == {"verb:core", "verb:registry_get", "verb:registry_set"}
    assert code == {unit: {digest} for unit, digest in hostile.shipped_code_hashes(set(code)).items()}
