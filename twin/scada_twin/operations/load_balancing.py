"""Twin model of load_balancing.ps1: the CPU load-balancing registry values of a node.

The values live in the host's registry (:data:`..system_platform.node.LOAD_BALANCING_KEY`),
where the plant spec writes them and :meth:`Node.load_balancing` reads them for the failover
model, so a change made here changes the modelled failover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..system_platform.node import ENABLE_CPU_BALANCING, LOAD_BALANCING_DEFAULTS, \
    LOAD_BALANCING_KEY, OBJECTS_PER_GROUP
from . import Call, OperationError, operation

if TYPE_CHECKING:
    from ..host import Host

NAMES = (ENABLE_CPU_BALANCING, OBJECTS_PER_GROUP)


@operation("load_balancing")
def load_balancing(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    wanted: dict[str, int] = {}
    if params.get("enable_cpu_balancing") is not None:
        wanted[ENABLE_CPU_BALANCING] = int(bool(params["enable_cpu_balancing"]))
    if params.get("objects_per_group") is not None:
        per_group = int(params["objects_per_group"])
        if per_group < 1:
            raise OperationError("objects_per_group must be at least 1", "invalid_parameter")
        wanted[OBJECTS_PER_GROUP] = per_group
    before = _read(host)
    changes = [{"name": n, "before": before[n], "after": v} for n, v in wanted.items()
               if before[n] != v]
    if changes and not params.get("check"):
        for change in changes:
            host.registry.set_value(LOAD_BALANCING_KEY, change["name"], change["after"],
                                    "REG_DWORD")
    after = {n: wanted.get(n, before[n]) for n in NAMES}
    effective = {n: LOAD_BALANCING_DEFAULTS[n] if after[n] is None else after[n] for n in NAMES}
    return {"key": LOAD_BALANCING_KEY, "before": before, "after": after, "effective": effective,
            "changes": changes}


def _read(host: "Host") -> dict[str, int | None]:
    values: dict[str, int | None] = dict.fromkeys(NAMES)
    if host.registry.key_exists(LOAD_BALANCING_KEY):
        for value in host.registry.values(LOAD_BALANCING_KEY):
            for name in NAMES:
                if value.name.lower() == name.lower():
                    values[name] = int(value.data)
    return values
