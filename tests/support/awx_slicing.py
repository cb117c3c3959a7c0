"""How AWX slices a job's inventory, for tests: the inventory script of one slice.

AWX (awx/main/models/inventory.py, ``Inventory.get_script_data`` and ``get_sliced_hosts``,
read at commit e21dd0a0933fd544d1fe2513c54fe41203775eb5): the enabled hosts ordered by name,
slice ``number`` of ``count`` takes ``hosts[number - 1::count]``; every group keeps its
variables and children but only the hosts of the slice. Nothing else tells the play it is a
slice.
"""

from __future__ import annotations

import json
import pathlib
import stat
import sys
from typing import Any

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader


def sliced_hosts(names: list[str], number: int, count: int) -> list[str]:
    """AWX's get_sliced_hosts on hosts ordered by name."""
    ordered = sorted(names)
    return ordered[number - 1::count] if count > 1 and number > 0 else ordered


def slice_script_data(inventory: pathlib.Path, number: int, count: int) -> dict[str, Any]:
    """AWX's get_script_data(hostvars=True) of ``inventory`` for slice ``number`` of ``count``."""
    manager = InventoryManager(loader=DataLoader(), sources=[str(inventory)])
    hosts = sliced_hosts([h.name for h in manager.get_hosts()], number, count)
    data: dict[str, Any] = {"all": {"hosts": [], "children": []}, "_meta": {"hostvars": {}}}
    grouped: set[str] = set()
    for name, group in manager.groups.items():
        if name in ("all", "ungrouped"):
            if name == "all" and group.vars:
                data["all"]["vars"] = dict(group.vars)
            continue
        info: dict[str, Any] = {}
        members = [h.name for h in group.hosts if h.name in hosts]
        if members:
            info["hosts"] = members
            grouped.update(members)
        if group.child_groups:
            info["children"] = [c.name for c in group.child_groups]
        if group.vars:
            info["vars"] = dict(group.vars)
        if info:
            data[name] = info
        data["all"]["children"].append(name)
    data["all"]["hosts"] = [h for h in hosts if h not in grouped]
    for host in hosts:
        data["_meta"]["hostvars"][host] = dict(manager.get_host(host).vars)
    return data


def write_slice_inventory(inventory: pathlib.Path, number: int, count: int, folder: pathlib.Path) -> pathlib.Path:
    """An executable inventory script answering ``--list`` with the slice, as AWX hands it over."""
    data = slice_script_data(inventory, number, count)
    path = folder / f"slice-{number}-of-{count}.py"
    text = json.dumps(data)
    path.write_text(f"#!{sys.executable}\nimport json, sys\nDATA = {text!r}\n"
                    f"print(DATA if '--list' in sys.argv else '{{}}')\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path
