"""The one table of the verbs the twin models: verb name -> model (docs/agent-verbs.md).

A verb the collection ships but this table lacks is refused as unsupported; tests compare the
table with the shipped verb scripts, so neither can grow alone.
"""

from __future__ import annotations

from typing import Any, Callable

from . import vendor_ctapi, windows

VERBS: dict[str, Callable[..., Any]] = {
    # Windows
    "file_read": windows.file_read,
    "host_facts": windows.host_facts,
    "registry_subkeys": windows.registry_subkeys,
    "service_control": windows.service_control,
    "service_list": windows.service_list,
    "service_wait": windows.service_wait,
    "volume_get": windows.volume_get,
    # Plant SCADA (Power Operation)
    "ctapi_cicode": vendor_ctapi.ctapi_cicode,
}
