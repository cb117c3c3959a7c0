"""The benchmarks' plants: N lab pairs and the lab's engineering workstation, on 127.0.7x.y.

Each pair is a copy of the lab pair of ``inventories/lab/twin-plant.yml`` (the same products
and projects, its own addresses and computer names), so a fleet run updates N copies of what
``make demo`` updates. The benchmarks own 127.0.70.x to 127.0.79.x; other plants on this
machine (tests, molecule, the lab) use other ranges.
"""

from __future__ import annotations

import copy
import pathlib
from typing import Any

import yaml
from scada_twin.plant import Plant
from scada_twin.spec import parse

ROOT = pathlib.Path(__file__).resolve().parents[2]
LAB_SPEC = ROOT / "inventories" / "lab" / "twin-plant.yml"
USER = "scada-admin"
PASSWORD = "Bench-Only-Passw0rd"
WORKSTATION = "ews"
MAX_PAIRS = 120  # two hosts per pair and the workstation in one /24


def pair_hosts(index: int) -> tuple[str, str]:
    return f"p{index:02d}-a", f"p{index:02d}-b"


def fleet_spec(pairs: int, octet: int, time_scale: float) -> dict[str, Any]:
    """``pairs`` lab pairs and the workstation, on 127.0.<octet>.x, at ``time_scale``."""
    if not 70 <= octet <= 79 or not 1 <= pairs <= MAX_PAIRS:
        raise ValueError("benchmarks use 127.0.70.x-127.0.79.x and at most 120 pairs per plant")
    lab = yaml.safe_load(LAB_SPEC.read_text(encoding="utf-8"))
    by_name = {h["name"]: h for h in lab["hosts"]}
    hosts = []
    for index in range(1, pairs + 1):
        for name, template in zip(pair_hosts(index), (by_name["po-a"], by_name["po-b"])):
            host = copy.deepcopy(template)
            host["products"]["power_operation"]["pair"] = f"pair{index:02d}"
            host.update(name=name, computer_name=name.upper(), address=f"127.0.{octet}.{len(hosts) + 1}")
            hosts.append(host)
    workstation = copy.deepcopy(by_name["ews"])
    workstation["address"] = f"127.0.{octet}.254"
    hosts.append(workstation)
    for host in hosts:
        host["accounts"] = [{"user": USER, "password": PASSWORD}]
    return {"name": f"bench-{pairs}", "time_scale": time_scale, "hosts": hosts}


def start(spec: dict[str, Any], state_dir: pathlib.Path) -> Plant:
    return Plant(parse(spec), state_dir).start()


def inventory(plant: Plant, path: pathlib.Path) -> pathlib.Path:
    """The lab inventory's shape: one group per pair under power_operation, engineering."""
    def host(name: str) -> dict[str, Any]:
        return {"ansible_host": plant.hosts[name].address, "ansible_port": plant.hosts[name].spec.http_port}

    pairs = {}
    for name in plant.hosts:
        product = plant.spec.host(name).products.get("power_operation") or {}
        if product.get("pair"):
            group = pairs.setdefault(f"po_{product['pair']}", {"vars": {"scada_pair": f"po_{product['pair']}"},
                                                                "hosts": {}})
            group["hosts"][name] = host(name)
    data = {"all": {
        "vars": {"ansible_connection": "winrm", "ansible_winrm_scheme": "http",
                 "ansible_winrm_transport": "ntlm", "ansible_winrm_message_encryption": "always",
                 "ansible_user": USER, "ansible_password": PASSWORD, "scada_data_drive": "D:"},
        "children": {"power_operation": {"children": pairs},
                     "engineering": {"hosts": {WORKSTATION: host(WORKSTATION)}}}}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path
