"""Start twin plants for tests, each on loopback addresses no other plant in this run uses."""

from __future__ import annotations

import itertools
import os
import pathlib
from typing import Any

from scada_twin.plant import Plant
from scada_twin.spec import parse

PASSWORD = "Test-Only-Passw0rd!"
USER = "scada-admin"
# 127.0.0.x is the lab plant's; tests take 127.<pid-derived>.<n>.<host>, unique per run.
_SECOND_OCTET = 100 + os.getpid() % 100
_PLANTS = itertools.count(1)


def plant_spec(host_names: list[str], **extra: Any) -> dict[str, Any]:
    """A spec dict for a plant of ``host_names``, each with Power Operation installed.

    Two hosts form a redundant pair: the first is the configured primary.
    """
    third = next(_PLANTS) % 250
    roles = ["primary", "standby"] if len(host_names) == 2 else [None] * len(host_names)
    hosts = []
    for index, (name, role) in enumerate(zip(host_names, roles), start=1):
        product = {"version": "2024"}
        if role:
            product.update(pair="pair1", configured_role=role)
        hosts.append({
            "name": name,
            "address": f"127.{_SECOND_OCTET}.{third}.{index}",
            "computer_name": name.upper(),
            "accounts": [{"user": USER, "password": PASSWORD}],
            "products": {"power_operation": product},
        })
    return {"name": "test", "time_scale": 0.01, "hosts": hosts, **extra}


def start_plant(spec: dict[str, Any], state_dir: pathlib.Path) -> Plant:
    return Plant(parse(spec), state_dir).start()


#: Inventory variables that reach the twin through ansible-core's psrp connection instead
#: (pypsrp: NTLM over HTTP with message encryption, as the winrm variables above).
PSRP_VARS = {"ansible_connection": "psrp", "ansible_psrp_protocol": "http",
             "ansible_psrp_auth": "ntlm", "ansible_psrp_message_encryption": "always"}


def inventory(plant: Plant, path: pathlib.Path, **host_vars: Any) -> pathlib.Path:
    """Write an INI-free YAML inventory for ``plant``: NTLM over HTTP with encryption."""
    import yaml

    hosts = {name: {"ansible_host": host.address, "ansible_port": host.spec.http_port}
             for name, host in plant.hosts.items()}
    data = {"all": {"hosts": hosts, "vars": {
        "ansible_connection": "winrm",
        "ansible_winrm_scheme": "http",
        "ansible_winrm_transport": "ntlm",
        "ansible_winrm_message_encryption": "always",
        "ansible_user": USER,
        "ansible_password": PASSWORD,
        **host_vars,
    }}}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path
