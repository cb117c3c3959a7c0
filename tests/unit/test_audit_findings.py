"""The audit's judgement on reads the lab cannot easily give: a pair running different
projects, a stale compile, a server that did not answer, a galaxy not migrated with a
platform in Software Upgrade Pending; and the table's lines."""

from __future__ import annotations

from ansible_collections.scada.redundancy.plugins.plugin_utils import _audit

NOW = 1_800_000_000.0


def server(host, run="PlantProject", fingerprint="f1", compiled_fingerprint=None, role="active", **extra):
    info = {"run_project": run, "project_set": [run],
            "projects": {run: {"compiled": True, "set_fingerprint": fingerprint,
                               "compiled_fingerprint": compiled_fingerprint}},
            "runtime": {"processes": [{"name": "IOServer", "state": "Running"}]},
            "redundancy": {"role": role}}
    reads = {"host": host, "pair": "pair1", "po_info": {"po_info": info},
             "host_info": {"host_info": {"data_drive": {"drive": "D:", "free_bytes": 50, "size_bytes": 100}}},
             "services": {"results": [{"ok": True, "value": {"services": []}}, {"ok": True, "value": {"exists": False}}]},
             "backups": {"files": [{"path": f"/b/{host}/x.ctz", "mtime": NOW - 3600}]}, "setup": None}
    reads.update(extra)
    return reads


def kinds(report):
    return sorted((f["kind"], f["subject"], f["severity"]) for f in report["findings"])


def test_a_consistent_pair_has_no_finding():
    report = _audit.audit([server("a"), server("b", role="standby")], [], {"now": NOW})
    assert report["passed"] is True and report["findings"] == []
    assert _audit.table(report) == ["Audit: 0 error(s), 0 warning(s) in 1 pair(s) and 0 galaxy(ies)."]


def test_different_run_projects_and_a_stale_compile():
    report = _audit.audit([server("a", compiled_fingerprint="f0"), server("b", run="Other", role="standby")],
                          [], {"now": NOW})
    assert ("run_project", "a / b", "error") in kinds(report)
    assert ("compiled_stale", "a", "warning") in kinds(report)
    assert report["findings"][0]["severity"] == "error"  # errors first


def test_a_server_that_did_not_answer_is_an_error_not_a_pass():
    silent = server("b", role="standby", po_info={"unreachable": True, "msg": "timed out"},
                    services={"unreachable": True}, host_info={"unreachable": True})
    report = _audit.audit([server("a"), silent], [], {"now": NOW})
    assert report["passed"] is False
    unread = [f for f in report["findings"] if f["kind"] == "unreadable"]
    assert [f["subject"] for f in unread] == ["b", "b", "b"] and "timed out" in unread[0]["finding"]


def test_a_galaxy_not_migrated_and_a_platform_in_software_upgrade_pending():
    galaxy = {"galaxy": "G", "gr_host": "gr", "nodes": {"gr": "23.1.100", "n1": "23.0"},
              "pairs": [{"primary": "E1", "backup": "E1b"}],
              "info": {"galaxy_info": {"version": "23.0", "upgrade_required": True, "platforms": [
                  {"name": "P1", "deployed": True, "deployment_status": "deployed", "software_upgrade_pending": True}]}},
              "statuses": {"statuses": {"E1": "Active", "E1b": "Standby - Ready"}}}
    report = _audit.audit([], [galaxy], {})
    assert kinds(report) == [("galaxy_not_migrated", "gr", "error"), ("node_versions_differ", "gr / n1", "warning"),
                             ("software_upgrade_pending", "P1", "warning")]
