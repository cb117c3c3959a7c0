"""sms_check through ansible-playbook and winrm against the twin's System Platform nodes."""

from __future__ import annotations

import pytest

from support.sp_plant import run_task, sp_plant_spec

DEFAULT_KEY = "HKLM\\SOFTWARE\\WOW6432Node\\ArchestrA\\Framework\\ASBRuntime"


@pytest.fixture
def sp_plant(make_plant):
    spec = sp_plant_spec()
    spec["hosts"][1]["products"]["system_platform"].update(
        historizing=True, sms={"server": "GR", "port": 443})
    spec["hosts"][2]["products"]["system_platform"].update(historizing=True)
    return make_plant(spec)


def test_configured_node_passes_and_missing_sms_fails_naming_the_node(sp_plant, tmp_path):
    run = run_task(sp_plant, tmp_path, "sms_check", {"historizing": True}, "--check",
                   hosts="sp-a:sp-b")
    ok = run.task("sms_check", "sp-a")
    assert ok["status"] == "ok", run.output
    assert ok["result"]["changed"] is False
    sms = ok["result"]["sms"]
    assert sms["configured"] is True and sms["ok"] is True
    assert (sms["server"], sms["port"], sms["key"]) == ("GR", 443, DEFAULT_KEY)
    missing = run.task("sms_check", "sp-b")
    assert missing["status"] == "failed"
    msg = missing["result"]["msg"]
    assert msg.startswith("sp-b ") and "System Management Server" in msg
    assert "data loss" in msg
    assert missing["result"]["sms"]["configured"] is False
    assert "Traceback" not in run.output
    assert not [e for e in sp_plant.timeline.events() if e.kind.startswith("sp.")
                and e.kind not in ("sp.engine.status", "sp.platform", "sp.engine",
                                   "sp.object", "sp.galaxy")]


def test_not_required_or_warn_only(sp_plant, tmp_path):
    run = run_task(sp_plant, tmp_path, "sms_check", {"historizing": False}, hosts="sp-b")
    record = run.task("sms_check", "sp-b")
    assert record["status"] == "ok" and record["result"]["sms"]["required"] is False
    run = run_task(sp_plant, tmp_path, "sms_check", {"fail_on_missing": False}, hosts="sp-b")
    record = run.task("sms_check", "sp-b")
    assert record["status"] == "ok", run.output
    assert record["result"]["sms"]["ok"] is False
    assert record["result"]["sms"]["historizing"] is None
    assert "System Management Server" in " ".join(record["result"].get("warnings", []))


def test_reads_a_configured_site_key(sp_plant, tmp_path):
    site_key = "HKLM\\SOFTWARE\\Site\\SP"
    sp_plant.hosts["sp-b"].registry.set_value(site_key, "SmsHost", "SMS01", "REG_SZ")
    sp_plant.hosts["sp-b"].registry.set_value(site_key, "SmsPort", "8443", "REG_SZ")
    args = {"key_paths": ["HKLM:\\SOFTWARE\\Missing", site_key], "server_value": "SmsHost",
            "port_value": "SmsPort", "historizing": True}
    record = run_task(sp_plant, tmp_path, "sms_check", args, hosts="sp-b").task(
        "sms_check", "sp-b")
    assert record["status"] == "ok"
    sms = record["result"]["sms"]
    assert (sms["server"], sms["port"], sms["key"]) == ("SMS01", 8443, site_key)
    assert sms["searched"] == [{"key": "HKLM:\\SOFTWARE\\Missing", "exists": False},
                               {"key": site_key, "exists": True}]


def test_bad_input_unreachable_and_vendor_error(sp_plant, tmp_path):
    run = run_task(sp_plant, tmp_path, "sms_check", {"key_paths": [""]}, hosts="sp-a")
    record = run.task("sms_check", "sp-a")
    assert record["status"] == "failed" and "key_paths" in record["result"]["msg"]
    assert not sp_plant.timeline.events(kind="operation")
    run = run_task(sp_plant, tmp_path, "sms_check", {"key_paths": ["HKCU\\Software\\X"]},
                   hosts="sp-a")
    record = run.task("sms_check", "sp-a")
    assert record["status"] == "failed"
    assert record["result"]["category"] == "invalid_parameter"
    assert "only HKLM" in record["result"]["msg"]
    sp_plant.inject("sp-a", "down")
    run = run_task(sp_plant, tmp_path, "sms_check", {}, hosts="sp-a")
    assert run.task("sms_check", "sp-a")["status"] == "unreachable"
    assert "Traceback" not in run.output


def test_the_script_sent_is_constant(sp_plant, tmp_path):
    hostile = ["HKLM\\SOFTWARE\\'; Remove-Item C:\\ -Recurse -Force; '\"$(whoami)`n",
               "HKLM\\SOFTWARE\\${env:PATH}|&;<>"]
    for args in ({}, {"key_paths": hostile, "server_value": "$(Stop-Computer)'\"",
                      "port_value": "`0;exit 0", "fail_on_missing": False}):
        run = run_task(sp_plant, tmp_path, "sms_check", args, hosts="sp-a")
        assert run.task("sms_check", "sp-a")["status"] == "ok", run.output
    sent = sp_plant.timeline.events(kind="operation")
    assert len(sent) == 2 and len({e.data["code_sha256"] for e in sent}) == 1
