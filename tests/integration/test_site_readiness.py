"""The site readiness probe (playbooks/readiness.yml, site_readiness) through ansible-playbook
and WinRM: the lab plant is ready and nothing on it changes; for every check, a twin plant
built to break it fails that check with a verdict that says what to do."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Callable

import pytest
import yaml

from support.ansible_run import ROOT, run_playbook
from support.lab import credentials, full_lab_inventory, lab_spec
from support.plants import PASSWORD, USER, inventory, plant_spec
from support.sp_plant import OLD

from ansible_collections.scada.redundancy.plugins.action.agent_verbs import READ_ONLY_VERBS

PLAYBOOK = ROOT / "playbooks" / "readiness.yml"

pytestmark = pytest.mark.timeout(600)


def test_the_lab_plant_is_ready_and_the_probe_changes_nothing(make_plant, tmp_path):
    plant = make_plant(lab_spec())
    reports = tmp_path / "reports"
    run = run_playbook(PLAYBOOK, full_lab_inventory(plant, tmp_path), tmp_path, *credentials(),
                       "-e", f"scada_readiness_dir={reports}",
                       env={"ANSIBLE_CALLBACKS_ENABLED": "record_results,scada.redundancy.run_report",
                            "SCADA_REDUNDANCY_REPORT_DIR": str(reports)})
    assert run.rc == 0, run.output[-6000:]
    for host in ("po-a", "po-b", "sp-gr", "sp-a", "sp-b"):
        readiness = run.task("Read what the collection assumes on the server", host)["result"]["readiness"]
        assert readiness["ready"], (host, [c for c in readiness["checks"] if c["verdict"] != "pass"])
        names = {c["name"] for c in readiness["checks"]}
        assert {"PowerShell language mode", ".NET Framework version", "WinRM MaxEnvelopeSizekb",
                "account rights", "free disk"} <= names
    po = {c["name"] for c in run.task("Read what the collection assumes on the server", "po-a")
          ["result"]["readiness"]["checks"]}
    assert {"Graphics Builder automation", "CtAPI library", "citect.ini [CtEdit]", "runtime service",
            "notification services"} <= po
    gr = {c["name"] for c in run.task("Read what the collection assumes on the server", "sp-gr")
          ["result"]["readiness"]["checks"]}
    assert {"GRAccess", "C# compiler", "System Management Server", "engine status tool", "setup media"} <= gr
    # The table on the console, the JSON on the controller, the section of the run report.
    assert "CtAPI library" in run.output and "readiness report:" in run.output
    written = json.loads(next(reports.glob("site-readiness-*.json")).read_text(encoding="utf-8"))
    assert set(written) == {"po-a", "po-b", "sp-gr", "sp-a", "sp-b"}
    page = next(reports.glob("readiness-*.html")).read_text(encoding="utf-8")
    assert "Site readiness" in page and "CtAPI library" in page
    # Read-only: every batch on every host ran only verbs that read.
    ran = {verb for e in plant.timeline.events() if e.kind == "operation" for verb in e.data["verbs"]}
    assert ran and ran <= READ_ONLY_VERBS | {"wsman_get"}, ran - READ_ONLY_VERBS
    assert PASSWORD not in run.output


def _po(**product: Any) -> Callable[[dict], None]:
    def change(host: dict) -> None:
        host["products"]["power_operation"].update(product)
    return change


def _host(**fields: Any) -> Callable[[dict], None]:
    def change(host: dict) -> None:
        for key, value in fields.items():
            if isinstance(value, dict) and isinstance(host.get(key), dict):
                host[key].update(value)
            else:
                host[key] = value
    return change


def _remove(path: str) -> Callable[[Any], None]:
    return lambda twin: twin.fs.remove(path, recurse=True)


BIN = "C:\\Program Files (x86)\\Schneider Electric\\Power Operation\\v2024\\bin"

#: check name -> (spec change of the host, change of the running host, text in its todo)
BROKEN_PO: dict[str, tuple[Callable | None, Callable | None, str]] = {
    "Windows version": (_host(os={"caption": "Microsoft Windows Server 2012 R2 Standard", "version": "6.3.9600"}),
                        None, "upgrade Windows"),
    "Windows PowerShell version": (_host(windows={"powershell_version": "5.0.10586.117"}), None, "5.1"),
    ".NET Framework version": (_host(windows={"dotnet_release": 379893}), None, "4.8"),
    "account rights": (_host(accounts=[{"user": USER, "password": PASSWORD, "admin": False}]), None,
                       "Administrators"),
    "WinRM MaxEnvelopeSizekb": (_host(windows={"winrm": {"MaxEnvelopeSizekb": 150}}), None,
                                "WSMan:\\localhost\\MaxEnvelopeSizekb"),
    "WinRM MaxShellsPerUser": (_host(windows={"winrm": {"Shell\\MaxShellsPerUser": 2}}), None, "MaxShellsPerUser"),
    "WinRM MaxConcurrentOperationsPerUser": (_host(windows={"winrm": {"Service\\MaxConcurrentOperationsPerUser": 100}}),
                                             None, "MaxConcurrentOperationsPerUser"),
    "free disk": (_host(disk={"total_gb": 200, "free_gb": 0.00001}), None, "free"),
    "Power Operation install": (None, _remove(BIN), "repair"),
    "Graphics Builder automation": (None, lambda twin: twin.registry.delete_key(
        "HKLM\\SOFTWARE\\Classes\\GraphicsBuilder.Application", recurse=True), "repair"),
    "citect.ini [CtEdit]": (None, lambda twin: twin.power_operation.install.set_ctedit("Config", "D:\\Nowhere"),
                            "Config=D:\\Nowhere"),
    "CtAPI library": (None, lambda twin: twin.fs.write(f"{BIN}\\CtApi.dll", b"not a library"), "ctapi_dll"),
    "runtime service": (_po(runtime={"display_name": "AVEVA Plant SCADA Runtime"}), None, "runtime_service_pattern"),
    "notification services": (_po(notifications={"services": [{"name": "EnmAlerts", "display_name": "ENM Alerts"}]}),
                              None, "notification_patterns"),
    "product installed": (lambda host: host.update(products={}), None, "products"),
}


def test_each_power_operation_and_windows_check_fails_on_a_plant_built_to_break_it(make_plant, tmp_path):
    cases = list(BROKEN_PO)
    spec = plant_spec([f"h{i}" for i in range(len(cases))])
    for host, case in zip(spec["hosts"], cases):
        change = BROKEN_PO[case][0]
        if change:
            change(host)
    plant = make_plant(spec)
    for index, case in enumerate(cases):
        change = BROKEN_PO[case][1]
        if change:
            change(plant.hosts[f"h{index}"])
    run = _probe(plant, tmp_path, {"data_drive": "D:"}, len(cases))
    for index, case in enumerate(cases):
        _assert_fails(run, f"h{index}", case, BROKEN_PO[case][2])


def test_constrained_language_mode_fails_the_probe_with_the_reason(make_plant, tmp_path):
    spec = plant_spec(["clm"])
    spec["hosts"][0]["windows"] = {"language_mode": "ConstrainedLanguage"}
    run = _probe(make_plant(spec), tmp_path, {}, 1)
    record = run.task("site_readiness", "clm")
    assert record["status"] == "ok", run.output
    checks = record["result"]["readiness"]["checks"]
    assert [c["name"] for c in checks] == ["PowerShell language mode"]
    assert checks[0]["verdict"] == "fail" and "core types" in checks[0]["found"]
    assert "FullLanguage" in checks[0]["todo"]


BROKEN_SP: dict[str, tuple[Callable, str]] = {
    "System Platform install": (lambda twin: twin.registry.delete_key(
        "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{AVEVA-System-Platform}",
        recurse=True), "install System Platform"),
    "GRAccess": (_remove("C:\\Windows\\Microsoft.NET\\assembly\\GAC_32\\ArchestrA.GRAccess"), "GRAccess"),
    "C# compiler": (_remove("C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\csc.exe"), "csc_path"),
    "System Management Server": (lambda twin: None, "sms_server"),
    "engine status tool": (_remove("C:\\Site\\Tools\\EngineStatus.exe"), "status_command"),
    "setup media": (_remove("D:\\Media\\setup.exe"), "setup_path"),
}


def test_each_system_platform_check_fails_on_a_node_built_to_break_it(make_plant, tmp_path):
    cases = list(BROKEN_SP)
    spec = plant_spec([f"n{i}" for i in range(len(cases))])
    for host in spec["hosts"]:
        host["products"] = {"system_platform": {"version": OLD, "historizing": True}}
        host["files"] = {"D:\\Media\\setup.exe": "MZ setup", "C:\\Site\\Tools\\EngineStatus.exe": "MZ tool"}
    plant = make_plant(spec)
    for index, case in enumerate(cases):
        BROKEN_SP[case][0](plant.hosts[f"n{index}"])
    args = {"products": ["system_platform"], "historizing": True, "setup_path": "D:\\Media\\setup.exe",
            "status_command": ["C:\\Site\\Tools\\EngineStatus.exe", "--engine", "{engine}"]}
    run = _probe(plant, tmp_path, args, len(cases))
    for index, case in enumerate(cases):
        _assert_fails(run, f"n{index}", case, BROKEN_SP[case][1])


def _probe(plant: Any, tmp_path: pathlib.Path, args: dict[str, Any], forks: int):
    play = [{"hosts": "all", "gather_facts": False,
             "tasks": [{"name": "site_readiness", "scada.redundancy.site_readiness": args}]}]
    path = tmp_path / "play.yml"
    path.write_text(yaml.safe_dump(play), encoding="utf-8")
    return run_playbook(path, inventory(plant, tmp_path / "inventory.yml"), tmp_path, "--forks", str(forks))


def _assert_fails(run: Any, host: str, name: str, todo: str) -> None:
    record = run.task("site_readiness", host)
    assert record["status"] == "ok", run.output[-4000:]
    checks = {c["name"]: c for c in record["result"]["readiness"]["checks"]}
    assert name in checks, (host, name, list(checks))
    check = checks[name]
    assert check["verdict"] == "fail", (host, check)
    assert todo in check["todo"], (host, check)
    assert record["result"]["readiness"]["ready"] is False


def test_an_agent_that_fails_its_first_batch_is_the_one_failed_check(make_plant, tmp_path):
    plant = make_plant(plant_spec(["broken"]))
    plant.inject("broken", "operation_fails", operation="site_readiness", message="WMI repository is corrupt")
    run = _probe(plant, tmp_path, {}, 1)
    checks = run.task("site_readiness", "broken")["result"]["readiness"]["checks"]
    assert [(c["name"], c["verdict"]) for c in checks] == [("agent runs", "fail")]
    assert "WMI repository is corrupt" in checks[0]["found"] and "troubleshooting" in checks[0]["todo"]
