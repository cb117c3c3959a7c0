"""The twin's model of EcoStruxure Power Operation (on AVEVA Plant SCADA) on one host.

State only: no wire protocol, no PowerShell. Operation handlers call it. One module per
concern:

- ``config``: the ``products.power_operation`` spec keys and their defaults
- ``install``: registry key, citect.ini, folders; discovery as the real script does it
- ``ini``: Windows ini parsing and editing (citect.ini)
- ``content``: generated project files and the include list format
- ``projects``: the projects on the host (real files in ``host.fs``)
- ``fingerprint``: the content fingerprint algorithm the collection's PowerShell shares
- ``archive``: what a backup holds (backup entries)
- ``compiler`` / ``compile_hooks``: compile with includes, errors, the ini hooks
- ``runtime``: the Runtime Manager service and its processes
- ``pairs`` / ``availability``: redundancy, the active server, gaps in availability
- ``notifications``: notification services to stop and restore
- ``model``: :class:`PowerOperation`, which holds the parts for one host
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import config
from .errors import PowerOperationError, ProjectNotFound, RuntimeStateError
from .model import PowerOperation
from .pairs import Pair, wire

if TYPE_CHECKING:
    from ..host import Host

PRODUCT = "power_operation"


def create(host: "Host") -> PowerOperation | None:
    """The host's Power Operation when its spec installs the product, else None."""
    data = host.spec.products.get(PRODUCT)
    if not data:  # as host_info reads it: an empty entry installs nothing
        return None
    where = f"hosts[{host.name}].products.{PRODUCT}"
    return PowerOperation.for_host(host, config.parse(data, where))


__all__ = ["PowerOperation", "PowerOperationError", "ProjectNotFound",
           "RuntimeStateError", "Pair", "wire", "create"]
