"""Transport defaults: the example inventory protects the credentials on the wire, and the twin,
like a hardened Windows host, refuses a client that would send them in clear.

The example's settings are also run end to end (ansible-playbook, winrm, the twin over HTTPS
with its CA): what the example recommends works, and the weak variants are refused.
"""

from __future__ import annotations

import json
import subprocess

import certifi
import pytest
import yaml

from support.ansible_run import ROOT, run_playbook
from support.plants import PASSWORD, USER

EXAMPLE = ROOT / "inventories" / "example"
CONNECTION = EXAMPLE / "group_vars" / "all" / "connection.yml"


def _example_hostvars() -> dict[str, dict]:
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "ansible-inventory"), "-i", str(EXAMPLE), "--list"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)["_meta"]["hostvars"]


def test_every_example_host_uses_https_with_validation_or_encrypted_ntlm():
    hostvars = _example_hostvars()
    assert len(hostvars) >= 5
    for name, hv in hostvars.items():
        assert hv["ansible_connection"] == "winrm", name
        scheme, transport = hv.get("ansible_winrm_scheme"), hv.get("ansible_winrm_transport", "")
        if scheme == "https":
            assert hv.get("ansible_winrm_server_cert_validation", "validate") == "validate", name
            assert hv.get("ansible_winrm_ca_trust_path"), f"{name}: validate against the plant's CA"
        else:
            assert scheme == "http" and transport in ("ntlm", "kerberos", "credssp"), name
            assert hv.get("ansible_winrm_message_encryption") in ("always", "auto"), name
        assert transport != "basic" or scheme == "https", f"{name}: Basic over HTTP"
        assert hv["ansible_password"].startswith("{{ vault_"), f"{name}: the password must come from the vault"


def test_the_example_keeps_no_clear_text_vault():
    vault = EXAMPLE / "group_vars" / "all" / "vault.yml"
    assert not vault.exists() or vault.read_text().startswith("$ANSIBLE_VAULT;")
    assert "Never Basic over HTTP" in CONNECTION.read_text()


def _variant(host, scheme: str, **winrm) -> dict:
    port = host.spec.https_port if scheme == "https" else host.spec.http_port
    return {"ansible_host": host.address, "ansible_port": port, "ansible_winrm_scheme": scheme, **winrm}


@pytest.mark.timeout(300)
def test_the_twin_serves_the_examples_transport_and_refuses_clear_text(make_plant, tmp_path):
    plant = make_plant(hosts=["po-a"])
    host = plant.hosts["po-a"]
    example = yaml.safe_load(CONNECTION.read_text())
    recommended = {k: v for k, v in example.items() if k.startswith("ansible_winrm_")}
    recommended["ansible_winrm_ca_trust_path"] = str(plant.ca_cert_path)
    variants = {
        "example-https": _variant(host, "https", **recommended),
        "example-ntlm-http": _variant(host, "http", ansible_winrm_transport="ntlm",
                                      ansible_winrm_message_encryption="always"),
        "untrusted-certificate": _variant(host, "https", **{**recommended,
                                                            "ansible_winrm_ca_trust_path": certifi.where()}),
        "basic-over-http": _variant(host, "http", ansible_winrm_transport="basic"),
        "ntlm-unencrypted-http": _variant(host, "http", ansible_winrm_transport="ntlm",
                                          ansible_winrm_message_encryption="never"),
    }
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": variants, "vars": {
        "ansible_connection": "winrm", "ansible_user": USER, "ansible_password": PASSWORD}}}))
    playbook = tmp_path / "transport.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "all", "gather_facts": False, "tasks": [
        {"name": "host_info", "scada.redundancy.host_info": {}, "ignore_unreachable": True}]}]))
    run = run_playbook(playbook, inventory, tmp_path)
    status = {name: run.task("host_info", name)["status"] for name in variants}
    assert status == {"example-https": "ok", "example-ntlm-http": "ok", "untrusted-certificate": "unreachable",
                      "basic-over-http": "unreachable", "ntlm-unencrypted-http": "unreachable"}, run.output
    assert "CERTIFICATE_VERIFY_FAILED" in run.task("host_info", "untrusted-certificate")["result"]["msg"]
    assert PASSWORD not in run.output
