"""A host's ``products.system_platform`` spec keys, validated and completed with defaults.

::

    system_platform:
      version: "23.1.100"            # installed software on the node (twin convention: states.py)
      display_name: AVEVA System Platform   # what host_info matches
      install_location: C:\\Program Files (x86)\\ArchestrA\\
      role: runtime                  # gr | runtime; default gr when `galaxy` is given
      historizing: false             # the node historizes (needs the SMS from 2023 R2 if redundant)
      sms: {server: GR-NODE, port: 443}   # as the installer's configurator set it; default: none
      load_balancing: {enabled: true, objects_per_group: 50}   # registry values; default: absent
      pending_restart: false         # a restart is already pending (setup stops on it)
      galaxy:                        # GR node only; `galaxy: {}` takes every default
        name: Galaxy
        version: "23.1.100"          # default: the GR node's software version
        deployed: true               # platforms, engines and objects start deployed and running
        platforms:                   # one per node; default: P0 on this node, P1 and P2 on the
          - {name: P0, node: gr}     #   first two other system_platform hosts (spec order)
          - {name: P1, node: sp-a}
          - {name: P2, node: sp-b}
        engines:                     # default: E1 on P1 with 10 objects, E1b on P2
          - {name: E1, platform: P1, objects: 10}     # a count (E1_Obj001...) or a list of names
          - {name: E1b, platform: P2}
        pairs:                       # default: E1 / E1b
          - {primary: E1, backup: E1b, name: E1}      # name defaults to the primary's

Platform nodes name hosts of the plant; :func:`.galaxy.build` checks them when the plant is
wired, since one host's spec cannot see the others.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping

from ..spec import SpecError
from . import states

ROLES = ("gr", "runtime")
DEFAULT_VERSION = "23.1.100"
DEFAULT_INSTALL_LOCATION = "C:\\Program Files (x86)\\ArchestrA\\"
DEFAULT_OBJECTS = 10


@dataclasses.dataclass(frozen=True)
class SmsSpec:
    server: str
    port: int


@dataclasses.dataclass(frozen=True)
class LoadBalancingSpec:
    enabled: bool | None = None
    objects_per_group: int | None = None


@dataclasses.dataclass(frozen=True)
class PlatformSpec:
    name: str
    node: str


@dataclasses.dataclass(frozen=True)
class EngineSpec:
    name: str
    platform: str
    objects: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class PairSpec:
    name: str
    primary: str
    backup: str


@dataclasses.dataclass(frozen=True)
class GalaxySpec:
    name: str = "Galaxy"
    version: str | None = None  # None: the GR node's software version
    deployed: bool = True
    # None: the default layout, resolved when the plant is wired (it needs the other hosts)
    platforms: tuple[PlatformSpec, ...] | None = None
    engines: tuple[EngineSpec, ...] | None = None
    pairs: tuple[PairSpec, ...] | None = None


@dataclasses.dataclass(frozen=True)
class SystemPlatformSpec:
    version: str = DEFAULT_VERSION
    display_name: str = "AVEVA System Platform"
    install_location: str = DEFAULT_INSTALL_LOCATION
    role: str = "runtime"
    historizing: bool = False
    sms: SmsSpec | None = None
    load_balancing: LoadBalancingSpec = LoadBalancingSpec()
    pending_restart: bool = False
    galaxy: GalaxySpec | None = None


def parse(data: Mapping[str, Any], where: str) -> SystemPlatformSpec:
    """``where`` names the spec location in errors, e.g. 'hosts[gr].products.system_platform'."""
    version = _version(data.get("version", DEFAULT_VERSION), f"{where}.version")
    galaxy_data = data.get("galaxy")
    role = str(data.get("role") or ("gr" if galaxy_data is not None else "runtime"))
    if role not in ROLES:
        raise SpecError(f"{where}.role must be one of {', '.join(ROLES)}")
    if galaxy_data is not None and role != "gr":
        raise SpecError(f"{where}.galaxy: only the GR node (role: gr) holds the galaxy")
    return SystemPlatformSpec(
        version=version,
        display_name=str(data.get("display_name", SystemPlatformSpec.display_name)),
        install_location=str(data.get("install_location", DEFAULT_INSTALL_LOCATION)),
        role=role,
        historizing=bool(data.get("historizing", False)),
        sms=_sms(data.get("sms"), f"{where}.sms"),
        load_balancing=_load_balancing(data.get("load_balancing"), f"{where}.load_balancing"),
        pending_restart=bool(data.get("pending_restart", False)),
        galaxy=_galaxy(_mapping(galaxy_data, f"{where}.galaxy"), f"{where}.galaxy")
        if role == "gr" else None,
    )


def default_layout(gr_node: str, runtime_nodes: list[str]) -> tuple[
        tuple[PlatformSpec, ...], tuple[EngineSpec, ...], tuple[PairSpec, ...]]:
    """P0 on the GR node; with two runtime nodes P1/P2 and the redundant pair E1/E1b."""
    platforms = [PlatformSpec("P0", gr_node)]
    engines: list[EngineSpec] = []
    pairs: list[PairSpec] = []
    for index, node in enumerate(runtime_nodes[:2], start=1):
        platforms.append(PlatformSpec(f"P{index}", node))
    if len(runtime_nodes) >= 2:
        engines = [EngineSpec("E1", "P1", _object_names("E1", DEFAULT_OBJECTS)),
                   EngineSpec("E1b", "P2")]
        pairs = [PairSpec("E1", "E1", "E1b")]
    return tuple(platforms), tuple(engines), tuple(pairs)


def _galaxy(data: Mapping[str, Any], where: str) -> GalaxySpec:
    version = data.get("version")
    platforms = data.get("platforms")
    engines = data.get("engines")
    pairs = data.get("pairs")
    if engines is not None and platforms is None:
        raise SpecError(f"{where}.engines needs {where}.platforms")
    if pairs is not None and engines is None:
        raise SpecError(f"{where}.pairs needs {where}.engines")
    return GalaxySpec(
        name=str(data.get("name", "Galaxy")),
        version=None if version is None else _version(version, f"{where}.version"),
        deployed=bool(data.get("deployed", True)),
        platforms=None if platforms is None else tuple(
            _platform(p, f"{where}.platforms[{i}]") for i, p in enumerate(_list(platforms, where))),
        engines=None if platforms is None else tuple(
            _engine(e, f"{where}.engines[{i}]") for i, e in enumerate(_list(engines or [], where))),
        pairs=None if platforms is None else tuple(
            _pair(p, f"{where}.pairs[{i}]") for i, p in enumerate(_list(pairs or [], where))),
    )


def _platform(data: Any, where: str) -> PlatformSpec:
    data = _mapping(data, where)
    for key in ("name", "node"):
        if not data.get(key):
            raise SpecError(f"{where} needs '{key}'")
    return PlatformSpec(str(data["name"]), str(data["node"]))


def _engine(data: Any, where: str) -> EngineSpec:
    data = _mapping(data, where)
    for key in ("name", "platform"):
        if not data.get(key):
            raise SpecError(f"{where} needs '{key}'")
    name = str(data["name"])
    objects = data.get("objects", 0)
    if isinstance(objects, bool) or not isinstance(objects, (int, list)):
        raise SpecError(f"{where}.objects must be a count or a list of names")
    if isinstance(objects, int):
        if objects < 0:
            raise SpecError(f"{where}.objects must not be negative")
        names = _object_names(name, objects)
    else:
        names = tuple(str(o) for o in objects)
    return EngineSpec(name, str(data["platform"]), names)


def _pair(data: Any, where: str) -> PairSpec:
    data = _mapping(data, where)
    for key in ("primary", "backup"):
        if not data.get(key):
            raise SpecError(f"{where} needs '{key}'")
    return PairSpec(str(data.get("name") or data["primary"]), str(data["primary"]),
                    str(data["backup"]))


def _sms(data: Any, where: str) -> SmsSpec | None:
    if data is None:
        return None
    data = _mapping(data, where)
    if not data.get("server"):
        raise SpecError(f"{where} needs 'server'")
    return SmsSpec(str(data["server"]), _int(data.get("port", 443), f"{where}.port"))


def _load_balancing(data: Any, where: str) -> LoadBalancingSpec:
    data = _mapping(data, where)
    enabled = data.get("enabled")
    per_group = data.get("objects_per_group")
    return LoadBalancingSpec(None if enabled is None else bool(enabled),
                             None if per_group is None else _int(per_group, f"{where}.objects_per_group"))


def _object_names(engine: str, count: int) -> tuple[str, ...]:
    return tuple(f"{engine}_Obj{i:03d}" for i in range(1, count + 1))


def _version(value: Any, where: str) -> str:
    try:
        states.parse_version(str(value))
    except ValueError as exc:
        raise SpecError(f"{where}: {exc}") from None
    return str(value)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool):
        raise SpecError(f"{where} must be a number")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SpecError(f"{where} must be a number") from None


def _mapping(data: Any, where: str) -> Mapping[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise SpecError(f"{where} must be a mapping")
    return data


def _list(data: Any, where: str) -> list[Any]:
    if not isinstance(data, list):
        raise SpecError(f"{where}: platforms, engines and pairs must be lists")
    return data
