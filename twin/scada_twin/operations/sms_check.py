"""Twin model of sms_check.ps1: where a System Platform node finds its System Management Server.

The vendor documents the installer configurator's keys (``Common Platform.ASBRuntime.
ManagementServerName`` / ``...Port``) but not where the product keeps them on a node, so the
module takes the registry keys to read as parameters. *Twin convention*: the module's default
key (:data:`DEFAULT_KEY`) is where the configurator wrote ``node.sms``, so the handler answers
it from the model (setup run by ``sp_install`` changes it); every other key is read from the
host's registry, as the real script reads any key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..registry import RegistryError, normalize
from . import Call, OperationError, operation

if TYPE_CHECKING:
    from ..host import Host

#: The module's default key path and value names (plugins/modules/sms_check.py).
DEFAULT_KEY = "HKLM\\SOFTWARE\\WOW6432Node\\ArchestrA\\Framework\\ASBRuntime"
DEFAULT_SERVER_VALUE = "ManagementServerName"
DEFAULT_PORT_VALUE = "ManagementServerPort"


@operation("sms_check")
def sms_check(host: "Host", call: Call) -> dict[str, Any]:
    params = call.params
    server_name = str(params.get("server_value") or "")
    port_name = str(params.get("port_value") or "")
    node = host.system_platform
    searched: list[dict[str, Any]] = []
    for path in params.get("key_paths") or []:
        try:
            key = normalize(str(path))
        except RegistryError:
            raise OperationError(f"not a registry key path: '{path}'", "invalid_parameter")
        if not key.upper().startswith("HKLM\\") or key.count("\\") < 1:
            raise OperationError(f"only HKLM keys are read: '{path}'", "invalid_parameter")
        if (node is not None and key.lower() == DEFAULT_KEY.lower()
                and server_name.lower() == DEFAULT_SERVER_VALUE.lower()):
            with node.lock:
                sms = dict(node.sms) if node.sms else None
            searched.append({"key": str(path), "exists": sms is not None})
            if sms:
                return _found(str(path), sms["server"], sms.get("port"), searched)
            continue
        exists = host.registry.key_exists(key)
        searched.append({"key": str(path), "exists": exists})
        if not exists:
            continue
        values = {v.name.lower(): v.data for v in host.registry.values(key)}
        server = values.get(server_name.lower())
        if server is not None and str(server).strip():
            port = values.get(port_name.lower())
            if port is not None:
                text = str(port).strip()
                port = int(text) if text.lstrip("-").isdigit() else text
            return _found(str(path), str(server).strip(), port, searched)
    return {"configured": False, "server": None, "port": None, "key": None,
            "searched": searched}


def _found(key: str, server: str, port: Any, searched: list) -> dict[str, Any]:
    return {"configured": True, "server": server, "port": port, "key": key,
            "searched": searched}
