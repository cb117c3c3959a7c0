"""The run report callback on a whole redundant update of a twin pair: the JSON holds the steps,
the backups with checksums matching the controller's files and each server's timeline, and
the HTML page renders in headless Chromium with the timeline painted."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest
import yaml

from support import plants, sp_plant
from support.ansible_run import ROOT, run_playbook
from support.lab import lab_inventory, lab_spec
from support.png import pixels

PLAYBOOKS = ROOT / "playbooks"
SERVED_GREEN = (0x16, 0xA3, 0x4A)  # the "pair served" band (_report_svg.COLOURS["availability"])
RESTART_ORANGE = (0xEA, 0x58, 0x0C)  # a restart on the activity lane


@pytest.fixture
def reported(tmp_path):
    """One redundant update of the lab pair with the report enabled: (plant, report dir, run,
    inventory).  One test reads it all, so xdist never runs the update twice."""
    plant = plants.start_plant(lab_spec(), tmp_path / "plant")
    try:
        inventory = lab_inventory(plant, tmp_path / "inventory.yml")
        data = yaml.safe_load(inventory.read_text())
        pair = data["all"]["children"]["power_operation"]["children"]["po_pair_lab"]["hosts"]
        pair["po-a"]["scada_configured_role"] = "primary"
        pair["po-b"]["scada_configured_role"] = "standby"
        inventory.write_text(yaml.safe_dump(data))
        taken = run_playbook(PLAYBOOKS / "change_from_workstation.yml", inventory, tmp_path,
                             "-e", f"change_dir={tmp_path / 'change'}")
        assert taken.rc == 0, taken.output
        change = next((tmp_path / "change").glob("*.ctz"))
        reports = tmp_path / "reports"
        run = run_playbook(PLAYBOOKS / "redundant_update.yml", inventory, tmp_path,
                           "-e", f"power_operation_update_change_archive={change}",
                           "-e", f"power_operation_update_backup_dir={tmp_path / 'backups'}",
                           env={"ANSIBLE_CALLBACKS_ENABLED": "record_results,scada.redundancy.run_report,"
                                                                "scada.redundancy.step_timings",
                                "SCADA_REDUNDANCY_REPORT_DIR": str(reports),
                                "SCADA_REDUNDANCY_TIMINGS_FILE": str(tmp_path / "timings.json")})
        assert run.rc == 0, run.output
        yield plant, reports, run, inventory
    finally:
        plant.stop()


def _report(reports: pathlib.Path, playbook: str = "redundant_update") -> tuple[dict, pathlib.Path]:
    jsons, pages = sorted(reports.glob("*.json")), sorted(reports.glob("*.html"))
    assert len(jsons) == 1 and len(pages) == 1, list(reports.iterdir())
    assert jsons[0].stem == pages[0].stem and jsons[0].stem.startswith(f"{playbook}-")
    return json.loads(jsons[0].read_text()), pages[0]


def _no_repr_in_cells(page: str) -> None:
    """Every table cell reads as text: no Python dict or list repr ({'...': or ['...)."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)
    assert cells
    shown = [re.sub(r"<[^>]+>", " ", cell).replace("&#x27;", "'").replace("&quot;", '"') for cell in cells]
    bad = [cell for cell in shown if re.search(r"[\[{]\s*'|'\s*:\s", cell)]
    assert not bad, bad[:5]


def _group(report: dict, name: str) -> dict:
    return next(g for g in report["timeline"] if g["name"] == name)


def _lane(group: dict, member: str, lane: str) -> list[dict]:
    return next(m for m in group["members"] if m["name"] == member)["lanes"][lane]


def check_the_run_prints_where_the_report_is(reported):
    dummy, reports, run, dummy = reported
    dummy, page = _report(reports)
    assert f"run report: {page}" in run.output
    assert f"run report (JSON): {page.with_suffix('.json')}" in run.output


def check_the_steps_are_listed_with_their_durations_standby_first(reported):
    report, dummy = _report(reported[1])
    assert report["outcome"] == "succeeded" and report["playbook"] == "redundant_update"
    steps = {(s["task"], s["host"]): s for s in report["steps"]}
    assert {s["role"] for s in report["steps"]} == {"power_operation_update"}
    standby = steps[("Restart All on the standby and wait for every process Running", "po-b")]
    primary = steps[("Restart All on this server and wait for every process Running", "po-a")]
    assert standby["status"] == primary["status"] == "changed"
    assert 0 < standby["seconds"] and standby["start"] + standby["seconds"] <= primary["start"]
    assert steps[("Back up the standby's project with its included projects", "po-a")]["delegated_to"] == "po-b"
    assert not [s for s in report["steps"] if s["action"] in ("set_fact", "assert", "debug")], \
        "bookkeeping steps are left out"
    assert report["wall_seconds"] >= primary["start"] + primary["seconds"]


def check_step_timings_lists_the_same_steps(reported):
    report, dummy = _report(reported[1])
    timings = json.loads((reported[1].parent / "timings.json").read_text())
    assert sorted((s["step"], s["host"]) for s in timings["steps"]) == \
        sorted((s["step"], s["host"]) for s in report["steps"])
    assert [s["start"] for s in report["steps"]] == sorted(s["start"] for s in report["steps"])


def check_the_set_stats_summary_names_each_server(reported):
    report, dummy = _report(reported[1])
    summary = report["summary"]["scada_redundancy_power_operation"]
    assert sorted(summary) == ["po-a", "po-b"], "one entry per server, as AWX shows it"
    assert summary["po-a"]["role_at_start"] == "active" and summary["po-b"]["role_at_start"] == "standby"
    assert summary["po-a"]["updated"] is True and summary["po-b"]["updated"] is True
    backups = {a["server"]: a["sha256"] for a in report["archives"] if a.get("controller_path")}
    assert {h: summary[h]["backup"]["sha256"] for h in summary} == backups


def check_the_backups_carry_the_sha256_of_the_controllers_files(reported):
    dummy, reports, run, dummy = reported
    report, dummy = _report(reports)
    backups = [a for a in report["archives"] if a["kind"] == "backup" and a["controller_path"]]
    assert sorted(a["server"] for a in backups) == ["po-a", "po-b"]
    for backup in backups:
        on_controller = pathlib.Path(backup["controller_path"])
        assert hashlib.sha256(on_controller.read_bytes()).hexdigest() == backup["sha256"], backup
        assert backup["controller_sha256"] == backup["sha256"]
        assert backup["size"] == on_controller.stat().st_size
    fetched = [r["result"]["sha256"] for r in run.results
               if r["action"].endswith("project_backup") and r["result"].get("fetched")]
    assert sorted(fetched) == sorted(b["sha256"] for b in backups), "the sha256 the modules returned"
    copies = [a for a in report["archives"] if a["kind"] == "copy"]
    assert sorted(a["server"] for a in copies) == ["po-a", "po-b"], copies
    export = next(a for a in report["archives"] if a["kind"] == "backup" and not a["controller_path"])
    assert export["server"] == "po-b", "the standby's export is taken on the standby"
    assert export["sha256"] == next(a for a in copies if a["server"] == "po-a")["sha256"]


def check_the_timeline_shows_roles_runtime_and_the_pair_served_throughout(reported):
    plant, reports, dummy, dummy = reported
    report, dummy = _report(reports)
    pair = _group(report, "po_pair_lab")
    assert [m["name"] for m in pair["members"]] == ["po-a", "po-b"]
    assert [s["value"] for s in _lane(pair, "po-a", "configured")] == ["primary"]
    assert [s["value"] for s in _lane(pair, "po-b", "configured")] == ["standby"]

    def values(member, lane):
        return [s["value"] for s in _lane(pair, member, lane)]

    assert values("po-a", "role")[0] == "active" and values("po-b", "role")[0] == "standby"
    assert "restarting" in values("po-a", "runtime") and "restarting" in values("po-b", "runtime")
    assert values("po-a", "runtime")[-1] == values("po-b", "runtime")[-1] == "running"
    labels = {m: [a["label"] for a in _lane(pair, m, "activity")] for m in ("po-a", "po-b")}
    assert labels["po-b"][:2] == ["backup", "copy"] or labels["po-b"][0] == "backup", labels
    for member in ("po-a", "po-b"):
        assert {"restore", "compile", "restart"} <= set(labels[member]), labels
    restart_a = next(a for a in _lane(pair, "po-a", "activity") if a["label"] == "restart")
    took_over = [s for s in _lane(pair, "po-b", "role") if s["inferred"] and s["value"] == "active"]
    assert took_over and took_over[0]["start"] == restart_a["start"], \
        "the standby is shown serving while the other server restarts"

    band = pair["availability"]
    first_read = min(s["start"] for m in ("po-a", "po-b") for s in _lane(pair, m, "runtime"))
    assert [(s["value"], s["start"], s["end"]) for s in band["segments"]] == \
        [("served", first_read, report["wall_seconds"])], "served from the first read to the end"
    assert band["out_seconds"] == band["unknown_seconds"] == 0 and band["gaps"] == [], band
    assert plant.availability()["lab"]["gap_seconds"] == 0, "the twin agrees: no gap"


def check_the_report_holds_no_secret_and_fetches_nothing(reported):
    report_json, page = _report(reported[1])
    for written in (page.read_text(), page.with_suffix(".json").read_text()):
        assert plants.PASSWORD not in written
        assert plants.USER not in written, "no connection variables either"
    text = page.read_text()
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)\s*=|@import|url\((?!#)""", text, re.IGNORECASE), \
        "the page must load nothing"
    assert set(re.findall(r"https?://[^\s\"'<>]+", text)) <= {"http://www.w3.org/2000/svg"}


def _chromium(page: pathlib.Path, out: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.fail("chromium is not installed: run `make deps` (Debian package chromium)")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={out / 'chromium-profile'}", "--window-size=1280,1500", *args, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "HOME": str(out)})
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def check_the_page_renders_in_headless_chromium_with_the_timeline(reported, tmp_path):
    report, page = _report(reported[1])
    tmp_path.mkdir(exist_ok=True)
    dom = _chromium(page, tmp_path, "--dump-dom").stdout
    assert dom.count('<svg xmlns="http://www.w3.org/2000/svg" class="timeline"') == len(report["timeline"])
    assert 'data-group="po_pair_lab"' in dom
    assert dom.count('class="seg seg-runtime"') >= 4 and dom.count('class="seg seg-role"') >= 4
    assert 'band-served' in dom and 'band-out' not in dom
    assert dom.count('<tr class="archive">') == len(report["archives"])
    assert dom.count('<tr class="step">') == len(report["steps"])

    shot = tmp_path / "report.png"
    _chromium(page, tmp_path, f"--screenshot={shot}")
    width, height, painted = pixels(shot)
    assert (width, height) == (1280, 1500)
    assert len(set(painted[::7])) > 50, "the screenshot is (nearly) blank"
    assert painted.count(SERVED_GREEN) > 2000, "the pair's served band is not painted"
    assert painted.count(RESTART_ORANGE) > 50, "no restart is painted on the activity lanes"
    keep = os.environ.get("RUN_REPORT_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


def test_the_report_of_a_redundant_update(reported, tmp_path):
    """Everything the report of one update must hold, read from one run."""
    check_the_run_prints_where_the_report_is(reported)
    check_the_steps_are_listed_with_their_durations_standby_first(reported)
    check_step_timings_lists_the_same_steps(reported)
    check_the_set_stats_summary_names_each_server(reported)
    check_the_backups_carry_the_sha256_of_the_controllers_files(reported)
    check_the_timeline_shows_roles_runtime_and_the_pair_served_throughout(reported)
    check_the_report_holds_no_secret_and_fetches_nothing(reported)
    _no_repr_in_cells(_report(reported[1])[1].read_text())
    check_the_page_renders_in_headless_chromium_with_the_timeline(reported, tmp_path / "chromium")
    check_a_pair_restarted_at_once_shows_its_gap(reported, tmp_path / "gap")


def check_a_pair_restarted_at_once_shows_its_gap(reported, tmp_path):
    """The report must be able to say 'not served': restart both servers together."""
    plant, dummy, dummy, inventory = reported
    tmp_path.mkdir()
    play = [{"name": "Restart both servers at once", "hosts": "po_pair_lab", "gather_facts": False,
             "tasks": [{"name": "Read the server", "scada.redundancy.po_info": {}},
                       {"name": "Restart All", "scada.redundancy.runtime": {"state": "restarted", "timeout": 120}}]}]
    playbook = tmp_path / "restart-both.yml"
    playbook.write_text(yaml.safe_dump(play), encoding="utf-8")
    rehearsal = tmp_path / "check-mode"
    run = run_playbook(playbook, inventory, tmp_path, "--check",
                       env={"ANSIBLE_CALLBACKS_ENABLED": "record_results,scada.redundancy.run_report",
                            "SCADA_REDUNDANCY_REPORT_DIR": str(rehearsal)})
    assert run.rc == 0, run.output
    report, dummy = _report(rehearsal, "restart-both")
    pair = _group(report, "po_pair_lab")
    assert report["check_mode"] is True and pair["availability"]["gaps"] == []
    assert not [a for m in ("po-a", "po-b") for a in _lane(pair, m, "activity")], "check mode restarts nothing"
    assert plant.availability()["lab"]["gap_seconds"] == 0

    reports = tmp_path / "reports"
    run = run_playbook(playbook, inventory, tmp_path,
                       env={"ANSIBLE_CALLBACKS_ENABLED": "record_results,scada.redundancy.run_report",
                            "SCADA_REDUNDANCY_REPORT_DIR": str(reports)})
    assert run.rc == 0, run.output
    assert plant.availability()["lab"]["gap_seconds"] > 0, "the twin saw the pair unserved"
    report, page = _report(reports, "restart-both")
    assert report["check_mode"] is False
    band = _group(report, "po_pair_lab")["availability"]
    assert band["out_seconds"] > 0 and len(band["gaps"]) == 1, band
    restarts = [a for m in ("po-a", "po-b") for a in _lane(_group(report, "po_pair_lab"), m, "activity")]
    assert band["gaps"][0]["start"] == max(a["start"] for a in restarts)
    assert band["gaps"][0]["end"] == min(a["end"] for a in restarts)
    assert "not served for" in page.read_text() and "band-out" in page.read_text()

# --- System Platform: the report recognises engine_redundancy, sp_install and galaxy_deploy ---

SP_TOOL = "C:\\Site\\Tools\\EngineStatus.exe"
SP_SETUP = "C:\\Media\\SP2023R2SP1\\setup.exe"
SP_SECRET = "Inst-S3cret!pw"


def _sp_play(tmp_path: pathlib.Path) -> pathlib.Path:
    """The standby step of a System Platform upgrade, as plain module calls: read the pair,
    upgrade and restart the standby node, cascade deploy its platform, wait for its engine."""
    status = {"command": [SP_TOOL, "--engine", "{engine}"], "long_poll": 5, "poll_interval": 0.5}
    active = ["Active", "Active - Upgrade", "Active - Partner Not Upgraded", "Active - Standby Not Available"]
    plays = [
        {"name": "Bring the upgraded GR node's galaxy along", "hosts": "gr", "gather_facts": False, "tasks": [
            {"name": "Migrate the galaxy", "scada.redundancy.galaxy_migrate": sp_plant.base_args()},
            {"name": "Cascade deploy P0", "scada.redundancy.galaxy_deploy": sp_plant.base_args(platform="P0")}]},
        {"name": "Read the pair", "hosts": "sp-a", "gather_facts": False, "tasks": [
            {"name": "Read the engines", "scada.redundancy.engine_redundancy": {**status, "engines": ["E1", "E1b"]}}]},
        {"name": "Upgrade the standby node", "hosts": "sp-b", "gather_facts": False, "tasks": [
            {"name": "Install System Platform", "scada.redundancy.sp_install": {
                "version": sp_plant.NEW, "setup_path": SP_SETUP, "admin_user": "svc_archestra",
                "admin_password": SP_SECRET, "admin_domain": "PLANT", "features": ["Application Server Runtime"],
                "poll_interval": 0.3, "long_poll": 5, "reboot_delay": 1}}]},
        {"name": "Deploy the standby platform", "hosts": "gr", "gather_facts": False, "tasks": [
            {"name": "Cascade deploy P2", "scada.redundancy.galaxy_deploy": sp_plant.base_args(platform="P2")}]},
        {"name": "Wait for the upgraded engine", "hosts": "sp-b", "gather_facts": False, "tasks": [
            {"name": "Wait for E1b active", "scada.redundancy.engine_redundancy": {
                **status, "engines": ["E1", "E1b"], "expect": {"E1b": active}, "timeout": 120}}]},
    ]
    path = tmp_path / "sp-standby-step.yml"
    path.write_text(yaml.safe_dump(plays, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def sp_reported(tmp_path):
    plant = plants.start_plant(sp_plant.sp_plant_spec(), tmp_path / "plant")
    try:
        for host in plant.hosts.values():
            host.fs.write(SP_TOOL, b"MZ site tool")
            host.fs.write(SP_SETUP, b"MZ setup")
        gr = plant.hosts["gr"].system_platform  # the GR node upgraded earlier, by hand
        assert gr.install(sp_plant.NEW, {"OutOfSupportRedistConsentForm.SRedistConsent": "true"}).wait(30)
        assert gr.reboot().wait(30)
        sp_plant.settle(plant)
        reports = tmp_path / "reports"
        inventory = plants.inventory(plant, tmp_path / "inventory.yml", scada_galaxy_group="galaxy_lab",
                                     scada_engine_pairs=[{"primary": "E1", "backup": "E1b", "name": "E1-E1b"}])
        run = run_playbook(_sp_play(tmp_path), inventory, tmp_path,
                           env={"ANSIBLE_CALLBACKS_ENABLED": "record_results,scada.redundancy.run_report",
                                "SCADA_REDUNDANCY_REPORT_DIR": str(reports)})
        assert run.rc == 0, run.output
        yield plant, reports, run
    finally:
        plant.stop()


def test_a_system_platform_run_gets_an_engine_timeline(sp_reported):
    dummy, reports, dummy = sp_reported
    jsons = sorted(reports.glob("sp-standby-step-*.json"))
    assert len(jsons) == 1, list(reports.iterdir())
    report = json.loads(jsons[0].read_text())
    engines = _group(report, "E1-E1b")
    assert engines["kind"] == "engines" and [m["name"] for m in engines["members"]] == ["E1", "E1b"]
    assert [[s["value"] for s in m["lanes"]["configured"]] for m in engines["members"]] == [["primary"], ["backup"]]
    roles = {m["name"]: [s["value"] for s in m["lanes"]["role"]] for m in engines["members"]}
    assert roles["E1"][0] == "active" and roles["E1b"][0] == "standby", roles
    assert roles["E1b"][-1] == "active", roles
    statuses = [s["value"] for s in _lane(engines, "E1b", "status")]
    assert statuses[0] == "Standby - Ready" and statuses[-1].startswith("Active"), statuses
    band = engines["availability"]
    assert band["served_seconds"] > 0 and band["segments"][-1]["value"] == "served", band
    # the standby's deploy is where the pair switched, unread: drawn as its failover window
    # (the vendor's brief downtime), never as served throughout
    assert [(f["from"], f["to"]) for f in band["failovers"]] == [("E1", "E1b")], band
    deploy = next(a for m in _group(report, "galaxy_lab")["members"] for a in m["lanes"]["activity"]
                  if a["label"] == "deploy" and a["step"] == "Cascade deploy P2")
    window = next(s for s in band["segments"] if s["value"] == "failover")
    assert window["start"] <= deploy["start"] + 0.01 and window["end"] >= deploy["end"] - 0.01, (window, deploy)
    page = jsons[0].with_suffix(".html").read_text()
    assert "1 failover (E1 to E1b)" in page and "served throughout" not in page
    _no_repr_in_cells(page)
    nodes = _group(report, "galaxy_lab")
    assert nodes["kind"] == "galaxy" and nodes["availability"] is None
    labels = {m["name"]: [a["label"] for a in m["lanes"]["activity"]] for m in nodes["members"]}
    assert labels["sp-b"] == ["install", "reboot"] and labels["gr"] == ["migrate", "deploy", "deploy"], labels
    reboot = _lane(nodes, "sp-b", "activity")[1]
    assert reboot["end"] > reboot["start"]
    assert "restarting" in [s["value"] for s in _lane(nodes, "sp-b", "runtime")]
    for written in (jsons[0].read_text(), jsons[0].with_suffix(".html").read_text()):
        for secret in (SP_SECRET, sp_plant.PASSWORD, plants.PASSWORD):
            assert secret not in written


@pytest.mark.parametrize("broken", [False, True])
def test_a_site_template_makes_the_page_and_a_broken_one_falls_back(tmp_path, broken):
    play = tmp_path / "site_play.yml"
    play.write_text(yaml.safe_dump([{"name": "A site play", "hosts": "localhost", "gather_facts": False,
                                     "tasks": [{"name": "Say hello", "ansible.builtin.debug": {"msg": "hello"}}]}]))
    inventory = tmp_path / "local.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {"ansible_connection": "local"}}}}))
    template = tmp_path / "site.html.j2"
    template.write_text("{{ report.no_such_key }}" if broken else
                        "<html><h1>Plant A: {{ report.playbook }} {{ report.outcome }}</h1>{{ sections.steps }}</html>")
    reports = tmp_path / "reports"
    run = run_playbook(play, inventory, tmp_path,
                       env={"ANSIBLE_CALLBACKS_ENABLED": "record_results,scada.redundancy.run_report",
                            "SCADA_REDUNDANCY_REPORT_DIR": str(reports),
                            "SCADA_REDUNDANCY_REPORT_TEMPLATE": str(template)})
    assert run.rc == 0, run.output
    dummy, page = _report(reports, "site_play")
    html = page.read_text(encoding="utf-8")
    if broken:
        assert "could not be rendered" in run.output and html.startswith("<!DOCTYPE html>")
    else:
        assert html.startswith("<html><h1>Plant A: site_play succeeded</h1>")
