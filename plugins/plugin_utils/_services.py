# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows services as the modules report them, from the ``service_list`` verb's Win32_Service
fields: status as a ServiceControllerStatus name (``StartPending``), start type as Get-Service
names it, with delayed automatic start told apart (PowerShell 5.1's Get-Service cannot)."""

from __future__ import annotations

import typing as t

_START_TYPES = {"Auto": "Automatic", "Manual": "Manual", "Disabled": "Disabled"}
#: The status a pending status is heading for.
SETTLED = {"StartPending": "Running", "StopPending": "Stopped"}


def service_record(raw: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """{name, display_name, status, start_type} of one ``service_list`` entry."""
    start_type = _START_TYPES.get(str(raw["start_mode"]), str(raw["start_mode"]))
    if start_type == "Automatic" and raw.get("delayed_autostart"):
        start_type = "AutomaticDelayedStart"
    return {"name": raw["name"], "display_name": raw["display_name"],
            "status": str(raw["state"]).replace(" ", ""), "start_type": start_type}


def settled(status: str) -> str:
    return SETTLED.get(status, status)
