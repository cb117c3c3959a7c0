"""The lab plant (a pair and an engineering workstation) on private addresses, for role tests."""

from __future__ import annotations

import copy
import json
import pathlib
import shutil
from typing import Any

import yaml

from support import plants

ROOT = pathlib.Path(__file__).resolve().parents[2]
LAB_SPEC = ROOT / "inventories" / "lab" / "twin-plant.yml"


def lab_spec(time_scale: float = 0.02) -> dict[str, Any]:
    """inventories/lab/twin-plant.yml with this test run's own addresses and password."""
    spec = copy.deepcopy(yaml.safe_load(LAB_SPEC.read_text(encoding="utf-8")))
    fresh = plants.plant_spec([h["name"] for h in spec["hosts"]])
    for host, mine in zip(spec["hosts"], fresh["hosts"]):
        host["address"] = mine["address"]
        host["accounts"] = mine["accounts"]
    spec["time_scale"] = time_scale
    return spec


def lab_inventory(plant: Any, path: pathlib.Path, **group_vars: Any) -> pathlib.Path:
    """The lab inventory's shape (pair group under power_operation, engineering group)."""
    def host(name: str) -> dict[str, Any]:
        return {"ansible_host": plant.hosts[name].address, "ansible_port": plant.hosts[name].spec.http_port}

    data = {"all": {
        "vars": {"ansible_connection": "winrm", "ansible_winrm_scheme": "http",
                 "ansible_winrm_transport": "ntlm", "ansible_winrm_message_encryption": "always",
                 "ansible_user": plants.USER, "ansible_password": plants.PASSWORD,
                 "scada_data_drive": "D:", **group_vars},
        "children": {
            "power_operation": {"children": {"po_pair_lab": {
                "vars": {"scada_pair": "po_pair_lab"},
                "hosts": {"po-a": host("po-a"), "po-b": host("po-b")}}}},
            "engineering": {"hosts": {"ews": host("ews")}},
        }}}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def full_lab_inventory(plant: Any, folder: pathlib.Path) -> pathlib.Path:
    """inventories/lab as shipped (hosts.yml and group_vars) pointed at this plant's addresses;
    run it with :func:`credentials`, which carry this test run's account."""
    shutil.copytree(ROOT / "inventories" / "lab" / "group_vars", folder / "group_vars")
    data = yaml.safe_load((ROOT / "inventories" / "lab" / "hosts.yml").read_text(encoding="utf-8"))

    def point(node: dict[str, Any]) -> None:
        for name, host in (node.get("hosts") or {}).items():
            host.update(ansible_host=plant.hosts[name].address, ansible_port=plant.hosts[name].spec.http_port)
        for child in (node.get("children") or {}).values():
            point(child)

    point(data["all"])
    path = folder / "hosts.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def credentials() -> list[str]:
    """ansible-playbook arguments that log on with the account of :func:`lab_spec`'s plant."""
    return ["-e", json.dumps({"ansible_user": plants.USER, "ansible_password": plants.PASSWORD})]


#: What a read-only run leaves on the twin's timeline: connections, commands, the agent's
#: operations, and the GRAccess helper (the collection's own tool, compiled once into
#: C:\ProgramData\scada.redundancy\grhelper; it must exist to read a galaxy).
READS = frozenset({"wsman.auth_succeeded", "winrs.shell_created", "winrs.command", "winrs.command_started",
                   "winrs.command_finished", "winrs.shell_deleted", "operation", "sp.grhelper.compile",
                   "sp.grhelper.run"})
