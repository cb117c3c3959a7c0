"""The update role's decisions: change target, what is missing, who is standby."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.scada.redundancy.plugins.filter.po_update import (
    po_change_target, po_missing_change, po_not_running, po_pair_roles)


def _info(fingerprints, role="standby", compiled_set="set-1", processes=None):
    projects = {name: {"fingerprint": fp, "set_fingerprint": "set-1", "compiled_fingerprint": None}
                for name, fp in fingerprints.items()}
    projects["PlantProject"]["compiled_fingerprint"] = compiled_set
    return {"run_project": "PlantProject", "project_set": list(fingerprints),
            "projects": projects, "redundancy": {"role": role},
            "runtime": {"processes": processes or [{"name": "I/O Server", "state": "Running"}]}}


SERVER = _info({"PlantProject": "p1", "PLS_Include": "lib1", "Site_Include": "s1"})
MANIFEST = {"project": "EwsProject", "includes": ["PLS_Include", "Site_Include"],
            "fingerprints": {"EwsProject": "p2", "PLS_Include": "lib2", "Site_Include": "s2"}}


def test_archive_target_goes_into_the_current_project_and_never_names_pls_include():
    assert po_change_target(SERVER, MANIFEST) == {"PlantProject": "p2", "Site_Include": "s2"}


def test_applied_target_is_the_standbys_own_set_without_pls_include():
    assert po_change_target(SERVER) == {"PlantProject": "p1", "Site_Include": "s1"}


@pytest.mark.parametrize("names", [["PLS_Include"], ["pls_include"], ["Site_Include", "PLS_INCLUDE"]])
def test_naming_pls_include_is_refused(names):
    with pytest.raises(AnsibleFilterError, match="never restored"):
        po_change_target(SERVER, MANIFEST, names)


def test_an_include_missing_from_the_archive_is_refused():
    with pytest.raises(AnsibleFilterError, match="no project Other"):
        po_change_target(SERVER, MANIFEST, ["Other"])


def test_missing_change_lists_content_and_stale_compile():
    target = {"PlantProject": "p2", "Site_Include": "s1"}
    assert po_missing_change(SERVER, target) == ["PlantProject: content differs"]
    stale = _info({"PlantProject": "p2", "PLS_Include": "lib1", "Site_Include": "s1"}, compiled_set=None)
    assert po_missing_change(stale, target) == [
        "PlantProject: not compiled by this collection from its current content"]
    done = _info({"PlantProject": "p2", "PLS_Include": "lib1", "Site_Include": "s1"})
    assert po_missing_change(done, target) == []


@pytest.mark.parametrize("compiled_at, started, pending", [
    ("2026-01-31T12:00:05.1234567Z", "2026-01-31T12:00:04.9999999Z", True),   # run stopped before Restart All
    ("2026-01-31T12:00:05.1234567Z", "2026-01-31T12:00:05.1234568Z", False),  # restarted after the compile
    ("2026-01-31T12:00:05.1234567Z", "2026-01-31T13:00:04.0000000+01:00", True),  # same instant, other zone
    ("2026-01-31T12:00:05.1234567Z", None, False),  # stopped: the preflight says so, not this check
    (None, "2026-01-31T12:00:04.0000000Z", False),  # a marker without the time (older collection)
])
def test_a_compile_newer_than_the_runtime_leaves_restart_all_to_do(compiled_at, started, pending):
    target = {"PlantProject": "p2", "Site_Include": "s1"}
    info = _info({"PlantProject": "p2", "PLS_Include": "lib1", "Site_Include": "s1"})
    info["projects"]["PlantProject"]["compiled_at"] = compiled_at
    info["runtime"]["service"] = {"status": "Running", "started": started}
    expected = ["PlantProject: compiled after the runtime started, so Restart All is still to do"]
    assert po_missing_change(info, target) == (expected if pending else [])


def test_a_time_the_host_did_not_write_is_refused():
    info = _info({"PlantProject": "p2", "PLS_Include": "lib1", "Site_Include": "s1"})
    info["projects"]["PlantProject"]["compiled_at"] = "yesterday"
    info["runtime"]["service"] = {"started": "2026-01-31T12:00:04.0000000Z"}
    with pytest.raises(AnsibleFilterError, match="round-trip time"):
        po_missing_change(info, {"PlantProject": "p2"})


@pytest.mark.parametrize("roles", [("active", "active"), ("standby", "standby"), ("active", "offline"),
                                   ("unknown", "standby")])
def test_pair_roles_refuse_anything_but_one_active_one_standby(roles):
    infos = {"a": {"redundancy": {"role": roles[0]}}, "b": {"redundancy": {"role": roles[1]}}}
    with pytest.raises(AnsibleFilterError, match="nothing was changed"):
        po_pair_roles(infos)


def test_pair_roles_follow_the_live_state_not_the_inventory():
    infos = {"po-a": {"redundancy": {"role": "standby"}}, "po-b": {"redundancy": {"role": "active"}}}
    assert po_pair_roles(infos) == {"standby": "po-a", "active": "po-b"}


def test_not_running_names_each_process_with_its_state():
    info = _info({"PlantProject": "p1"}, processes=[{"name": "Alarm", "state": "Starting"},
                                                    {"name": "Trend", "state": "Running"}])
    assert po_not_running(info) == ["Alarm (Starting)"]


def test_plan_answers_every_preflight_question_for_each_host():
    from ansible_collections.scada.redundancy.plugins.filter.po_update import po_update_plan

    standby = _info({"PlantProject": "p1", "PLS_Include": "lib1", "Site_Include": "s1"})
    active = _info({"PlantProject": "p1", "PLS_Include": "lib1", "Site_Include": "s1"}, role="active")
    infos = {"po-a": active, "po-b": standby}
    plan = po_update_plan(infos, "po-a", MANIFEST)
    assert plan == {"standby": "po-b", "active": "po-a", "is_standby": False,
                    "target": {"PlantProject": "p2", "Site_Include": "s2"},
                    "standby_missing": ["PlantProject: content differs", "Site_Include: content differs"],
                    "active_missing": ["PlantProject: content differs", "Site_Include: content differs"],
                    "standby_needed": True, "primary_needed": True, "needed": True}
    assert po_update_plan(infos, "po-b", MANIFEST)["is_standby"] is True
    assert po_update_plan(infos, "po-a")["needed"] is False
