# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the Power Operation runtime's state is, read through Cicode and decided here.

Runtime Manager shows its process states only in its window, so they are read as follows
(Plant SCADA Cicode reference, "ServerInfoEx": the call is redirected to the process holding
the component, and a component the runtime cannot find answers nothing but a hardware alarm):

- runtime service Stopped / StopPending / StartPending: every process Stopped / Stopping /
  Starting, role ``offline``, CtAPI not asked;
- else one CtAPI connection asks, per server process, ``ServerInfoEx(<Name>, 0, <Component>
  [, <cluster>])``: for the Alarm, Trend and Report servers Name is the component itself and
  Type 0 is the documented active flag (1 on the active server, 0 on an inactive one); the I/O
  server has no primary or standby (its redundancy is per I/O device), so it is asked for
  ``ServerInfoEx("Server", 0, "IOServer")``, whose answer is its name: any answer means it
  runs. No answer means Starting. Client and System Services run while CtAPI, which the
  runtime serves, connects; while it does not, every process is Starting (a service runs) or
  Stopped (no service, role ``offline``).
- the live redundancy role is the active flag of ``redundancy_component`` (Alarm, Trend or
  Report): ``active`` (1), ``standby`` (0) or ``offline`` (no answer).

An earlier version asked ``ServerInfoEx("Server", 0, <component>)`` for an active flag, which
the vendor documents as no such thing; the twin's Cicode model answers as documented.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs

PROCESS_COMPONENTS = {"I/O Server": "IOServer", "Alarm": "Alarm", "Trend": "Trend",
                      "Report": "Report"}
#: Components whose ServerInfoEx Type 0 is the active flag (the Name is the component).
ROLE_COMPONENTS = ("Alarm", "Trend", "Report")
CONNECTED_PROCESSES = ("Client", "System Services")
SERVICE_STATES = {"Stopped": "Stopped", "StopPending": "Stopping", "StartPending": "Starting"}
#: A name that stands between quotes in a Cicode call: letters, digits, underscores.
CICODE_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")


def server_info_call(component: str, cluster: str = "") -> str:
    """The Cicode text asking ``component`` for its Type 0 answer (see the module doc)."""
    for name in (component, cluster):
        if name and not CICODE_NAME.match(name):
            raise ValueError(f"{name!r} is not a Cicode name (letters, digits and underscores only)")
    name = component if component in ROLE_COMPONENTS else "Server"
    arguments = [f'"{name}"', "0", f'"{component}"'] + ([f'"{cluster}"'] if cluster else [])
    return f"ServerInfoEx({', '.join(arguments)})"


def probe_components(processes: t.Sequence[str], role_component: str | None) -> list[str]:
    """The components one CtAPI connection asks about, in order, each once."""
    wanted = [PROCESS_COMPONENTS[p] for p in processes if p in PROCESS_COMPONENTS]
    if role_component:
        wanted.append(role_component)
    return list(dict.fromkeys(wanted))


def probe_commands(components: t.Sequence[str], cluster: str = "") -> list[str]:
    return [server_info_call(component, cluster) for component in components]


def default_dll(bin_folder: str) -> str:
    """CtApi.dll in the install's Bin folder."""
    return f"{str(bin_folder).rstrip(chr(92))}\\CtApi.dll"


def probe_call(dll: str, components: t.Sequence[str], *, cluster: str = "", user: str = "",
               password: str = "", timeout: int = 60, powershell: str = "") -> _verbs.VerbCall:
    """The one ctapi_cicode call that asks every component of a probe."""
    return _verbs.ctapi_cicode(dll, probe_commands(components, cluster), user=user,
                               password=password, timeout=timeout, powershell=powershell)


def answers(components: t.Sequence[str], ctapi: t.Mapping[str, t.Any]) -> dict[str, str | None]:
    """component -> its answer, or None where it gave none (not connected, failed, empty)."""
    results = list(ctapi.get("results") or []) if ctapi.get("connected") else []
    values: dict[str, str | None] = {}
    for index, component in enumerate(components):
        result = results[index] if index < len(results) else None
        value = str(result.get("value") or "").strip() if result and result.get("ok") else ""
        if component in ROLE_COMPONENTS and value not in ("0", "1"):
            value = ""
        values[component] = value or None
    return values


def service_states(names: t.Sequence[str], status: str) -> list[dict[str, t.Any]]:
    """Every process in the state the service's status implies (service not Running)."""
    state = SERVICE_STATES.get(status, "Stopped")
    return [{"name": n, "state": state, "active": None} for n in names]


def process_states(names: t.Sequence[str], connected: bool, values: t.Mapping[str, str | None],
                   *, service_present: bool = True) -> list[dict[str, t.Any]]:
    """[{name, state, active}] from one CtAPI probe (see the module doc)."""
    if not connected:
        state = "Starting" if service_present else "Stopped"
        return [{"name": n, "state": state, "active": None} for n in names]
    rows = []
    for name in names:
        row: dict[str, t.Any] = {"name": name, "state": "Running", "active": None}
        component = PROCESS_COMPONENTS.get(name)
        if component is not None:
            value = values.get(component)
            if value is None:
                row["state"] = "Starting"
            elif component in ROLE_COMPONENTS:
                row["active"] = value == "1"
        rows.append(row)
    return rows


def role(connected: bool, values: t.Mapping[str, str | None], role_component: str) -> tuple[str, int | None]:
    """(role, the flag's value) of the live redundancy role (see the module doc)."""
    value = values.get(role_component) if connected else None
    if value is None:
        return "offline", None
    return ("active" if value == "1" else "standby"), int(value)
