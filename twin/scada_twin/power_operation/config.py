"""A host's ``products.power_operation`` spec keys, validated and completed with defaults.

Every name and path the vendor does not fix is a key here, with the vendor-typical default::

    power_operation:
      version: "2024"
      bin_folder: C:\\Program Files (x86)\\Schneider Electric\\Power Operation\\v2024\\bin
      root: C:\\ProgramData\\Schneider Electric\\Power Operation\\v2024   # holds the folders
      ini_path: <root>\\Config\\citect.ini
      folders: {config, data, user, logs, backup, copy, deploy}   # each <root>\\<Name>
      install_key: "2024"     # subkey of HKLM\\SOFTWARE\\WOW6432Node\\Citect\\SCADA Installs
      projects:               # default: PlantProject including PLS_Include and Site_Include
        - name: PlantProject
          includes: [PLS_Include, Site_Include]
          files: {"variable.DBF": "text", "Extra.ctg": "...", "equip.DBF": null}  # null removes
          default_files: true   # start from the generated realistic files (content.py)
          compiled: true        # compiled at plant start; default: only the run project
      run_project: PlantProject   # [CtEdit]Run; default the first project listed
      pair: PO-PAIR               # hosts with the same pair name form a redundant pair
      configured_role: primary    # primary | standby (required with pair)
      cluster: Cluster1
      runtime:
        service_name: Citect Runtime Manager          # the PO 2024 help names the service so
        display_name: Power Operation Runtime Manager
        running: true                                  # service Running, processes Running
        start_type: Automatic
        processes: [I/O Server, Alarm, Trend, Report, Client, System Services]
      notifications:
        patterns: ["Event Notification Module*"]       # display-name wildcards
        services: [{name, display_name, status: Running, start_type: Automatic}, ...]

``PLS_Include`` (the vendor library) is always installed, even when ``projects`` omits it.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping

from ..filesystem import FileSystemError, check_new_name, normalize
from ..spec import SpecError
from .errors import PowerOperationError
from .paths import relative_path

PLS_INCLUDE = "PLS_Include"
_PROGRAM_FILES = "C:\\Program Files (x86)\\Schneider Electric\\Power Operation"
DEFAULT_PROCESSES = ("I/O Server", "Alarm", "Trend", "Report", "Client", "System Services")
FOLDERS = ("config", "data", "user", "logs", "backup", "copy", "deploy")
ROLES = ("primary", "standby")
DEFAULT_NOTIFICATION_PATTERNS = ("Event Notification Module*",)
# No public source names the Event Notification Module's Windows services: these are
# placeholders in the vendor's naming style, overridable per host.
DEFAULT_NOTIFICATION_SERVICES = (
    ("EnmNotificationService", "Event Notification Module Service"),
    ("EnmSchedulerService", "Event Notification Module Scheduler"),
)
_DEFAULT_PROJECTS = (
    {"name": "PlantProject", "includes": [PLS_INCLUDE, "Site_Include"]},
    {"name": "Site_Include", "includes": []},
    {"name": PLS_INCLUDE, "includes": []},
)


@dataclasses.dataclass(frozen=True)
class ProjectSpec:
    name: str
    includes: tuple[str, ...]
    files: Mapping[str, bytes | None]  # relative path -> content; None removes a default file
    default_files: bool = True
    compiled: bool | None = None  # None: compiled when it is the run project


@dataclasses.dataclass(frozen=True)
class ServiceSpec:
    name: str
    display_name: str
    status: str = "Running"
    start_type: str = "Automatic"


@dataclasses.dataclass(frozen=True)
class RuntimeSpec:
    service: ServiceSpec
    processes: tuple[str, ...] = DEFAULT_PROCESSES


@dataclasses.dataclass(frozen=True)
class PowerOperationSpec:
    version: str
    bin_folder: str
    ini_path: str
    folders: Mapping[str, str]  # FOLDERS -> absolute path
    install_key: str
    projects: tuple[ProjectSpec, ...]
    run_project: str
    runtime: RuntimeSpec
    notification_patterns: tuple[str, ...]
    notification_services: tuple[ServiceSpec, ...]
    pair: str | None = None
    configured_role: str | None = None
    cluster: str = "Cluster1"


def parse(data: Mapping[str, Any], where: str) -> PowerOperationSpec:
    """``where`` names the spec location in errors, e.g. 'hosts[po-a].products.power_operation'."""
    version = str(data.get("version", "2024"))
    root = str(data.get("root") or
               f"C:\\ProgramData\\Schneider Electric\\Power Operation\\v{version}")
    folders_data = _mapping(data.get("folders"), f"{where}.folders")
    folders = {f: str(folders_data.get(f) or f"{root}\\{f.capitalize()}") for f in FOLDERS}
    projects = _projects(data.get("projects"), f"{where}.projects")
    run_project = str(data.get("run_project") or projects[0].name)
    if run_project.lower() not in {p.name.lower() for p in projects}:
        raise SpecError(f"{where}.run_project: no project named {run_project!r}")
    projects = tuple(p if p.compiled is not None else
                     dataclasses.replace(p, compiled=p.name.lower() == run_project.lower())
                     for p in projects)
    pair, role = data.get("pair"), data.get("configured_role")
    if pair is not None and role not in ROLES:
        raise SpecError(f"{where}.configured_role must be one of {', '.join(ROLES)} with a pair")
    notifications = _mapping(data.get("notifications"), f"{where}.notifications")
    return PowerOperationSpec(
        version=version,
        bin_folder=str(data.get("bin_folder") or f"{_PROGRAM_FILES}\\v{version}\\bin"),
        ini_path=str(data.get("ini_path") or f"{folders['config']}\\citect.ini"),
        folders=folders,
        install_key=str(data.get("install_key") or version),
        projects=projects,
        run_project=run_project,
        runtime=_runtime(_mapping(data.get("runtime"), f"{where}.runtime"), f"{where}.runtime"),
        notification_patterns=tuple(str(p) for p in notifications.get(
            "patterns", DEFAULT_NOTIFICATION_PATTERNS)),
        notification_services=tuple(
            _service(s, f"{where}.notifications.services[{i}]")
            for i, s in enumerate(notifications.get("services", [
                {"name": n, "display_name": d} for n, d in DEFAULT_NOTIFICATION_SERVICES]))),
        pair=None if pair is None else str(pair),
        configured_role=None if role is None else str(role),
        cluster=str(data.get("cluster", "Cluster1")),
    )


def _projects(data: Any, where: str) -> tuple[ProjectSpec, ...]:
    if data is None:
        data = list(_DEFAULT_PROJECTS)
    if not isinstance(data, list) or not data:
        raise SpecError(f"{where} must be a non-empty list")
    projects = [_project(p, f"{where}[{i}]") for i, p in enumerate(data)]
    names = [p.name.lower() for p in projects]
    if len(set(names)) != len(names):
        raise SpecError(f"{where}: project names must be unique")
    if PLS_INCLUDE.lower() not in names:
        projects.append(ProjectSpec(PLS_INCLUDE, (), {}))
    return tuple(projects)


def _project(data: Any, where: str) -> ProjectSpec:
    if not isinstance(data, Mapping) or not data.get("name"):
        raise SpecError(f"{where} needs a 'name'")
    try:  # a project is a folder: Windows' naming rules hold for its name
        check_new_name(normalize(f"C:\\{data['name']}"))
    except FileSystemError as exc:
        raise SpecError(f"{where}.name {data['name']!r}: {exc}") from None
    files = {_relative_path(k, f"{where}.files"): _content(v, f"{where}.files[{k}]")
             for k, v in _mapping(data.get("files"), f"{where}.files").items()}
    return ProjectSpec(
        name=str(data["name"]),
        includes=tuple(str(i) for i in data.get("includes") or ()),
        files=files,
        default_files=bool(data.get("default_files", True)),
        compiled=None if data.get("compiled") is None else bool(data["compiled"]),
    )


def _runtime(data: Mapping[str, Any], where: str) -> RuntimeSpec:
    running = bool(data.get("running", True))
    service = _service({
        "name": data.get("service_name", "Citect Runtime Manager"),
        "display_name": data.get("display_name", "Power Operation Runtime Manager"),
        "status": "Running" if running else "Stopped",
        "start_type": data.get("start_type", "Automatic"),
    }, where)
    processes = tuple(str(p) for p in data.get("processes", DEFAULT_PROCESSES))
    if not processes:
        raise SpecError(f"{where}.processes must not be empty")
    return RuntimeSpec(service, processes)


def _service(data: Any, where: str) -> ServiceSpec:
    if not isinstance(data, Mapping) or not data.get("name"):
        raise SpecError(f"{where} needs a 'name'")
    status = str(data.get("status", "Running"))
    start_type = str(data.get("start_type", "Automatic"))
    if status not in ("Running", "Stopped"):
        raise SpecError(f"{where}.status must be Running or Stopped")
    if start_type not in ("Automatic", "Manual", "Disabled"):
        raise SpecError(f"{where}.start_type must be Automatic, Manual or Disabled")
    return ServiceSpec(str(data["name"]), str(data.get("display_name") or data["name"]),
                       status, start_type)


def _mapping(data: Any, where: str) -> Mapping[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise SpecError(f"{where} must be a mapping")
    return data


def _relative_path(path: Any, where: str) -> str:
    try:
        return relative_path(str(path))
    except PowerOperationError as exc:
        raise SpecError(f"{where}: {exc}") from None


def _content(value: Any, where: str) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    raise SpecError(f"{where} must be text, binary or null")
