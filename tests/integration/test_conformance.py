"""The agent's conformance suite (tests/integration/targets) through ``make conformance``, the
command docs/windows-lab.md gives a site for its own Windows host, run here against a twin
host: every contract holds on the twin, and a host that breaks one fails the suite naming the
verb and the contract."""

from __future__ import annotations

import os
import re
import shlex
import subprocess

import pytest

from support.ansible_run import ROOT
from support.plants import PASSWORD, USER
from support.sp_plant import GALAXY, sp_plant_spec
from support.sp_plant import PASSWORD as SP_PASSWORD

pytestmark = pytest.mark.timeout(900)


def _inventory(plant, path, host="po-a", extra=""):
    """An ansible-test inventory.winrm (INI) for one twin host."""
    twin = plant.hosts[host]
    path.write_text(
        "[windows]\n"
        f"{host} ansible_host={twin.address} ansible_port={twin.spec.http_port}\n\n"
        "[windows:vars]\n"
        f"ansible_user={USER}\nansible_password={PASSWORD}\nansible_connection=winrm\n"
        "ansible_winrm_scheme=http\nansible_winrm_transport=ntlm\n"
        f"ansible_winrm_message_encryption=always\nconformance_on_twin=true\n{extra}", encoding="utf-8")
    return path


def _make(inventory, *extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    return subprocess.run(["make", "--no-print-directory", "conformance", f"INVENTORY={inventory}", *extra],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=850, check=False)


def test_the_targets_are_listed_as_ansible_test_sees_them(plant, tmp_path):
    done = _make(_inventory(plant, tmp_path / "inventory.winrm"), "TARGETS=--list-targets")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "agent_windows" in done.stdout.split()


def _documented_command() -> list[str]:
    """The one command docs/windows-lab.md gives, word for word."""
    text = (ROOT / "docs" / "windows-lab.md").read_text(encoding="utf-8")
    return shlex.split(re.search(r"^make conformance .*$", text, re.M).group(0))


def test_every_contract_holds_on_the_twin_through_the_documented_command(plant):
    command = _documented_command()
    inventory = ROOT / dict(w.split("=", 1) for w in command if "=" in w)["INVENTORY"]
    _inventory(plant, inventory)
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=850, check=False)
    finally:
        inventory.unlink()
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "SKIPPED on the twin: locked files" in output  # a case the twin cannot model says so
    assert PASSWORD not in output


def test_a_host_that_breaks_a_contract_fails_the_suite_naming_the_verb(plant, tmp_path):
    plant.inject("po-a", "verb_breaks_contract", verb="file_hash")
    done = _make(_inventory(plant, tmp_path / "inventory.winrm"))
    output = done.stdout + done.stderr
    assert done.returncode != 0, output[-3000:]
    broken = [line for line in output.splitlines() if "CONTRACT " in line]
    assert broken and "file_hash" in broken[0].split("CONTRACT ", 1)[1].split(":")[0], output[-6000:]


def test_the_power_operation_contracts_hold_on_a_twin_po_host(plant, tmp_path):
    done = _make(_inventory(plant, tmp_path / "inventory.winrm"), "TARGETS=scada/conformance/vendor/power_operation/")
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
    assert "agent_power_operation" in done.stdout
    ran = [v for e in plant.timeline.events(host="po-a") if e.kind == "operation" for v in e.data["verbs"]]
    assert {"gb_projects", "ctapi_cicode", "gb_compile"} <= set(ran)


def test_the_system_platform_contracts_hold_on_a_twin_gr_node(make_plant, tmp_path):
    plant = make_plant(sp_plant_spec())
    galaxy = f"conformance_galaxy={GALAXY}\nconformance_galaxy_user=admin\nconformance_galaxy_password={SP_PASSWORD}\n"
    done = _make(_inventory(plant, tmp_path / "inventory.winrm", host="gr", extra=galaxy),
                 "TARGETS=scada/conformance/vendor/system_platform/")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "agent_system_platform" in done.stdout
    assert SP_PASSWORD not in output
