"""A Windows registry held in memory: keys and typed values, case-insensitive like the real one.

Products record their installs here (Power Operation's ``SCADA Installs`` key), and handlers
discover them the way the collection's PowerShell does, instead of reading the plant spec.

Paths may be written ``HKLM\\SOFTWARE\\...``, ``HKLM:\\SOFTWARE\\...`` (the PowerShell
provider form) or ``HKEY_LOCAL_MACHINE\\SOFTWARE\\...``; all name the same key.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

VALUE_KINDS = ("REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ", "REG_DWORD", "REG_QWORD", "REG_BINARY")
_HIVES = {"hklm": "HKLM", "hkey_local_machine": "HKLM", "hkcu": "HKCU",
          "hkey_current_user": "HKCU", "hku": "HKU", "hkey_users": "HKU"}


class RegistryError(LookupError):
    """A key or value that does not exist (PowerShell: ItemNotFoundException)."""


@dataclasses.dataclass(frozen=True)
class RegistryValue:
    name: str
    kind: str
    data: Any


def normalize(path: str) -> str:
    """Canonical display form: 'HKLM\\Part\\Part', no trailing separator."""
    parts = [p for p in path.replace("/", "\\").split("\\") if p]
    if not parts:
        raise RegistryError("empty registry path")
    hive = _HIVES.get(parts[0].rstrip(":").lower())
    if hive is None:
        raise RegistryError(f"unknown registry hive in '{path}'")
    return "\\".join([hive, *parts[1:]])


@dataclasses.dataclass
class _Key:
    name: str  # display name of the last part
    subkeys: dict[str, "_Key"] = dataclasses.field(default_factory=dict)
    values: dict[str, RegistryValue] = dataclasses.field(default_factory=dict)


class Registry:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._hives = {h: _Key(h) for h in sorted(set(_HIVES.values()))}

    # -- keys ------------------------------------------------------------------------------
    def create_key(self, path: str) -> None:
        """Create the key and any missing parents (New-Item -Force)."""
        hive, *parts = normalize(path).split("\\")
        with self._lock:
            key = self._hives[hive]
            for part in parts:
                key = key.subkeys.setdefault(part.lower(), _Key(part))

    def key_exists(self, path: str) -> bool:
        with self._lock:
            return self._find(path) is not None

    def subkeys(self, path: str) -> list[str]:
        """Names of the direct subkeys, in the case-insensitive order Windows enumerates."""
        with self._lock:
            return sorted((k.name for k in self._get(path).subkeys.values()), key=str.lower)

    def delete_key(self, path: str, recurse: bool = False) -> None:
        parent, _, leaf = normalize(path).rpartition("\\")
        with self._lock:
            key = self._get(path)
            if key.subkeys and not recurse:
                raise RegistryError(f"key '{path}' has subkeys")
            del self._get(parent).subkeys[leaf.lower()]

    # -- values ----------------------------------------------------------------------------
    def set_value(self, path: str, name: str, data: Any, kind: str = "REG_SZ") -> None:
        """Set a value, creating the key if needed; ``name`` '' is the key's default value."""
        if kind not in VALUE_KINDS:
            raise ValueError(f"unknown registry value kind {kind!r}")
        self.create_key(path)
        with self._lock:
            values = self._get(path).values
            shown = values.get(name.lower(), RegistryValue(name, kind, None)).name
            values[name.lower()] = RegistryValue(shown, kind, data)

    def get_value(self, path: str, name: str) -> Any:
        return self.value(path, name).data

    def value(self, path: str, name: str) -> RegistryValue:
        with self._lock:
            try:
                return self._get(path).values[name.lower()]
            except KeyError:
                raise RegistryError(f"Property {name} does not exist at path {path}.") from None

    def values(self, path: str) -> list[RegistryValue]:
        with self._lock:
            return list(self._get(path).values.values())

    def delete_value(self, path: str, name: str) -> None:
        with self._lock:
            self.value(path, name)
            del self._get(path).values[name.lower()]

    # -- lookup ----------------------------------------------------------------------------
    def _find(self, path: str) -> _Key | None:
        hive, *parts = normalize(path).split("\\")
        key: _Key | None = self._hives[hive]
        for part in parts:
            key = key.subkeys.get(part.lower()) if key else None
        return key

    def _get(self, path: str) -> _Key:
        key = self._find(path)
        if key is None:
            raise RegistryError(f"Cannot find path '{path}' because it does not exist.")
        return key
