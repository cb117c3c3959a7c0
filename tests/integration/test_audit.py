"""playbooks/audit.yml through ansible-playbook and WinRM against the lab plant: read-only,
a clean lab passes with no finding, and a lab with one drift of every kind (each on its own
server or object) fails with the right finding for the right server; the JSON, the HTML page
and set_stats say the same."""

from __future__ import annotations

import json
import os
import time

import pytest

from support.ansible_run import ROOT, run_playbook
from support.lab import READS, credentials, full_lab_inventory, lab_spec

pytestmark = pytest.mark.timeout(900)
SETTINGS = {"Alarm": {"MonitorRequestTimeout": "30"}}


def set_ini(plant, host, section, key, value):
    install = plant.hosts[host].power_operation.install
    document = install.ini()
    document.set(section, key, value)
    install.save_ini(document)


@pytest.fixture
def lab(make_plant, tmp_path):
    plant = make_plant(lab_spec(time_scale=0.1))
    for host in ("po-a", "po-b"):  # the servers as the last update's setup step leaves them
        set_ini(plant, host, "Alarm", "MonitorRequestTimeout", "30")
    backups = tmp_path / "backups"
    for host in ("po-a", "po-b"):
        (backups / host).mkdir(parents=True)
        (backups / host / "PlantProject-20261204T100000Z.ctz").write_bytes(b"PK")
    return plant, full_lab_inventory(plant, tmp_path), backups


def _audit(lab, tmp_path, **extra):
    plant, inventory, backups = lab
    plant.timeline.record("test", "test.start")
    start = plant.timeline.events(kind="test.start")[0].seq
    run = run_playbook(ROOT / "playbooks" / "audit.yml", inventory, tmp_path, *credentials(),
                       "-e", json.dumps({"consistency_audit_backup_dir": str(backups),
                                         "consistency_audit_output_dir": str(tmp_path / "reports"),
                                         "consistency_audit_setup_settings": SETTINGS, **extra}))
    kinds = {e.kind for e in plant.timeline.events() if e.seq > start and e.host != "test"}
    assert kinds <= READS, kinds - READS  # read-only
    reports = sorted((tmp_path / "reports").glob("consistency-audit-*.json"))
    assert len(reports) == 1, run.output[-4000:]
    [report] = reports
    return run, json.loads(report.read_text(encoding="utf-8")), report.with_suffix(".html")


def _kinds(report):
    return sorted((f["kind"], f["subject"]) for f in report["findings"])


def test_a_clean_lab_passes_with_no_finding(lab, tmp_path):
    run, report, page = _audit(lab, tmp_path)
    assert run.rc == 0, run.output[-4000:]
    assert report["findings"] == [] and report["passed"] is True
    [pair] = report["pairs"]
    assert pair["servers"] == ["po-a", "po-b"]
    rows = pair["rows"]
    assert rows["project set fingerprint"]["po-a"] == rows["project set fingerprint"]["po-b"]
    assert rows["[CtEdit]Run"] == {"po-a": "PlantProject", "po-b": "PlantProject"}
    assert sorted(rows["live role"].values()) == ["active", "standby"]
    assert rows["managed citect.ini keys"] == {"po-a": "as configured", "po-b": "as configured"}
    [galaxy] = report["galaxies"]
    assert galaxy["galaxy"] == "PlantGalaxy" and set(galaxy["nodes"].values()) == {"23.0"}
    assert sorted(galaxy["engines"].values()) == ["Active", "Standby - Ready"]
    assert "Audit: 0 error(s), 0 warning(s) in 1 pair(s) and 1 galaxy(ies)." in run.output
    html = page.read_text(encoding="utf-8")
    assert "consistent" in html and "PO-SRV" not in html.split("<main>")[0]
    assert "Lab-Only-Galaxy-Passw0rd" not in run.output + html


def test_every_drift_kind_is_a_finding_for_the_right_server(lab, tmp_path):
    plant, _, backups = lab
    po_a, po_b = (plant.hosts[h] for h in ("po-a", "po-b"))
    # po-b: an engineer's hand edit, a changed managed key, a disabled notification service,
    # a stopped runtime; its controller backups gone
    project = po_b.power_operation.project_status("PlantProject")["path"]
    po_b.fs.write(project + "\\HandEdit.ctg", b"Page HandEdit: changed on one server only\r\n")
    set_ini(plant, "po-b", "Alarm", "MonitorRequestTimeout", "10")
    [service] = po_b.power_operation.notifications.matching()[:1]
    po_b.services.set_start_type(service.name, "Disabled")
    po_b.power_operation.runtime.shutdown_all()
    for old in (backups / "po-b").iterdir():
        old.unlink()
    # po-a: its compiled databases gone, a maintenance record never restored, a full disk, an old backup
    folder = po_a.power_operation.project_status("PlantProject")["path"]
    for rdb in [p for p in po_a.fs.walk_files(folder) if p.upper().endswith(".RDB")]:
        po_a.fs.remove(rdb)
    po_a.fs.write("C:\\ProgramData\\scada.redundancy\\notification-services.json", b"{}")
    po_a.fs.capacity_bytes -= po_a.fs.free_bytes - 1024 ** 3
    month = time.time() - 30 * 86400
    for kept in (backups / "po-a").iterdir():
        os.utime(kept, (month, month))
    # the galaxy: sp-b upgraded by hand, its platform not deployed again
    node = plant.hosts["sp-b"].system_platform
    assert node.install("23.1.100", {"OutOfSupportRedistConsentForm.SRedistConsent": "true"}).wait(60)
    assert node.reboot().wait(60)

    run, report, page = _audit(lab, tmp_path)
    assert run.rc != 0 and report["passed"] is False
    found = _kinds(report)
    for expected in [("fingerprints_differ", "po-a / po-b"), ("ini_drift", "po-b"),
                     ("notifications_disabled", "po-b"), ("notifications_differ", "po-a / po-b"),
                     ("runtime_not_running", "po-b"), ("roles", "po-a / po-b"), ("backup_missing", "po-b"),
                     ("not_compiled", "po-a"), ("notifications_in_maintenance", "po-a"), ("low_disk", "po-a"),
                     ("backup_old", "po-a"), ("node_versions_differ", "sp-a / sp-b / sp-gr"),
                     ("platform_not_deployed", "P2"), ("engine_status", "E1 / E1b")]:
        assert expected in found, (expected, found)
    severities = {f["kind"]: f["severity"] for f in report["findings"]}
    assert severities["fingerprints_differ"] == severities["runtime_not_running"] == "error"
    assert severities["backup_old"] == severities["ini_drift"] == "warning"
    ini = next(f for f in report["findings"] if f["kind"] == "ini_drift")
    assert "MonitorRequestTimeout" in ini["finding"] and "=10" in ini["finding"] and ini["action"]
    assert "The audit found" in run.output and "Nothing was changed" in run.output
    html = page.read_text(encoding="utf-8")
    assert "drift found" in html and 'class="finding fingerprints_differ"' in html
    stats = next(r for r in run.results if r["task"].endswith("Give AWX the audit's summary"))
    assert stats["result"]["ansible_stats"]["data"]["scada_redundancy_audit"]["counts"] == report["counts"]


def test_a_galaxy_node_that_does_not_answer_is_a_finding_not_a_pass(lab, tmp_path):
    plant, _, _ = lab
    plant.inject("sp-b", "down")
    run, report, _ = _audit(lab, tmp_path)
    assert run.rc != 0 and report["passed"] is False
    [galaxy] = report["galaxies"]  # still audited, with the node that did not answer named
    assert ("unreadable", "sp-b") in _kinds(report)
