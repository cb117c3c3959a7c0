"""The one table of the verbs the twin models: verb name -> model (docs/agent-verbs.md).

A verb the collection ships but this table lacks is refused as unsupported; tests compare the
table with the shipped verb scripts, so neither can grow alone.
"""

from __future__ import annotations

from typing import Any, Callable

from . import windows

VERBS: dict[str, Callable[..., Any]] = {
    "host_facts": windows.host_facts,
    "registry_subkeys": windows.registry_subkeys,
    "volume_get": windows.volume_get,
}
