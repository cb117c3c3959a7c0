"""A two-pair galaxy on the twin and the System Platform play of redundant_update.yml run
against it, for the role's integration tests."""

from __future__ import annotations

import pathlib

import yaml

from support.ansible_run import ROOT, PlaybookRun, run_playbook
from support.plants import PASSWORD, USER
from support.sp_plant import NEW, settle, sp_plant_spec

SETUP = "D:\\Media\\SP2023R2SP1\\setup.exe"
TOOL = "C:\\Site\\Tools\\EngineStatus.exe"
PAIRS = [{"primary": "E1", "backup": "E1b"}, {"primary": "E2", "backup": "E2b"}]
PLATFORMS = {"gr": "P0", "sp-a": "P1", "sp-b": "P2"}


def two_pair_galaxy(make_plant, **cost: float):
    """The seed's nodes with two pairs: E1 and E2 active on P1 (sp-a), E1b and E2b on P2;
    ``cost``: modelled durations of vendor operations to change, by name."""
    spec = sp_plant_spec(platforms=[{"name": p, "node": n} for n, p in PLATFORMS.items()],
                         engines=[{"name": "E1", "platform": "P1", "objects": 8},
                                  {"name": "E2", "platform": "P1", "objects": 4},
                                  {"name": "E1b", "platform": "P2"}, {"name": "E2b", "platform": "P2"}],
                         pairs=PAIRS)
    # setup and restarts shortened (defaults 1200 and 180 modelled seconds) so a test runs in
    # about a minute; the order and the states do not depend on them
    spec["cost"] = {"operations": {"sp_install": 300, "sp_reboot": 60, **cost}}
    for host in spec["hosts"][1:]:
        host["products"]["system_platform"].update(historizing=True, sms={"server": "GR", "port": 443})
    for host in spec["hosts"]:
        host["files"] = {SETUP: "MZ setup", TOOL: "MZ status tool"}
    plant = make_plant(spec)
    settle(plant)
    return plant


def upgrade(plant, tmp_path: pathlib.Path, **extra_vars) -> PlaybookRun:
    """Run playbooks/redundant_update.yml --tags system_platform with a galaxy inventory."""
    hosts = {name: {"ansible_host": host.address, "ansible_port": host.spec.http_port,
                    "scada_platform": PLATFORMS[name]}
             for name, host in plant.hosts.items()}
    galaxy_vars = {
        "scada_galaxy_group": "galaxy_t", "scada_galaxy": "Galaxy", "scada_gr_host": "gr",
        "scada_engine_pairs": PAIRS,
        "system_platform_upgrade_version": NEW, "system_platform_upgrade_setup_path": SETUP,
        "system_platform_upgrade_status_command": [TOOL, "{engine}"],
        "system_platform_upgrade_galaxy_user": "admin",
        "system_platform_upgrade_galaxy_password": "Galaxy-Passw0rd!",
        "system_platform_upgrade_install": {"poll_interval": 0.3, "long_poll": 5, "reboot_delay": 1},
        "system_platform_upgrade_status_poll_interval": 0.3,
        "system_platform_upgrade_status_timeout": 60,
    }
    inventory = {"all": {
        "vars": {"ansible_connection": "winrm", "ansible_winrm_scheme": "http",
                 "ansible_winrm_transport": "ntlm", "ansible_winrm_message_encryption": "always",
                 "ansible_user": USER, "ansible_password": PASSWORD},
        "children": {"system_platform": {"children": {"galaxy_t": {"vars": galaxy_vars, "hosts": hosts}}}}}}
    path = tmp_path / "inventory.yml"
    path.write_text(yaml.safe_dump(inventory), encoding="utf-8")
    extra = tmp_path / f"extra-{len(list(tmp_path.glob('extra-*')))}.yml"
    extra.write_text(yaml.safe_dump(extra_vars), encoding="utf-8")
    return run_playbook(ROOT / "playbooks" / "redundant_update.yml", path, tmp_path,
                        "--tags", "system_platform", "-e", f"@{extra}", timeout=420)


