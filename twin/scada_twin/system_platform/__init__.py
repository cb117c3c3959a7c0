"""The twin's model of AVEVA System Platform (Application Server) across the plant's hosts.

State only: no wire protocol, no PowerShell, no GRAccess. One module per concern:

- ``config``: the ``products.system_platform`` spec keys and their defaults
- ``states``: the vendor's deployment, run-time and redundancy status strings; versions
- ``node``: one host's software, setup (install/upgrade), restart, SMS, load balancing
- ``objects``: platforms, AppEngines and application objects
- ``galaxy``: the galaxy on the GR node: structure, run time, queries, snapshot
- ``deploy``: deploy / undeploy / upload / migrate with the vendor's behaviour table
- ``backup``: ``IGalaxy.Backup``, the galaxy to a cabinet file on the GR node
- ``redundancy``: a redundant engine pair's statuses, failovers and checkpoint sync
- ``downtime``: the intervals without an active engine, from the timeline
- ``operation``: long work as timed steps on a scheduler, with per-object results

``host.system_platform`` is the host's :class:`Node` (None without the product). The plant
calls :func:`wire` once with all hosts; it builds each GR node's :class:`Galaxy` and links
every platform to its node (``node.galaxy``, ``node.platform``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from . import config, states
from .downtime import Downtime, Interval
from .errors import GalaxyError, InstallError, RedundancyError, SystemPlatformError
from .galaxy import Galaxy, build
from .node import Node
from .operation import Operation, Result
from .redundancy import EnginePair

if TYPE_CHECKING:
    from ..host import Host

PRODUCT = "system_platform"


def create(host: "Host") -> Node | None:
    """The host's System Platform node when its spec installs the product, else None."""
    data = host.spec.products.get(PRODUCT)
    if not data:  # as host_info reads it: an empty entry installs nothing
        return None
    where = f"hosts[{host.name}].products.{PRODUCT}"
    return Node(config.parse(data, where), host)


def wire(hosts: Iterable[object]) -> dict[str, Galaxy]:
    """Build the galaxy of every GR node among ``hosts`` (objects with ``system_platform``)."""
    nodes = {}
    for host in hosts:
        node = getattr(host, "system_platform", None)
        if node is not None:
            nodes[node.host_name] = node
    galaxies = {}
    for node in nodes.values():
        if node.role == "gr" and node.spec.galaxy is not None:
            galaxy = build(node, node.spec.galaxy, nodes)
            galaxies[galaxy.name] = galaxy
    return galaxies


__all__ = ["Downtime", "EnginePair", "Galaxy", "GalaxyError", "InstallError", "Interval",
           "Node", "Operation", "RedundancyError", "Result", "SystemPlatformError", "config",
           "create", "states", "wire"]
