"""The user session a command runs in: account name, profile folder, environment variables.

ansible-core's temp-dir and home-dir scripts expand ``%TEMP%`` and ``~`` on the host; the
twin answers them from the connecting account the way a default Windows profile would.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..host import Host

_VARIABLE = re.compile(r"%([^%]+)%")


def account_name(user: str) -> str:
    """The bare account name of 'DOMAIN\\user', 'user@domain' or 'user'."""
    return user.split("\\")[-1].split("@")[0]


def profile_folder(user: str) -> str:
    return f"C:\\Users\\{account_name(user)}"


def environment(host: "Host", user: str) -> dict[str, str]:
    """Environment variables of a WinRM session (names upper-cased: Windows ignores case)."""
    profile = profile_folder(user)
    temp = f"{profile}\\AppData\\Local\\Temp"
    return {
        "USERNAME": account_name(user),
        "USERPROFILE": profile,
        "HOMEDRIVE": "C:",
        "HOMEPATH": profile[2:],
        "APPDATA": f"{profile}\\AppData\\Roaming",
        "LOCALAPPDATA": f"{profile}\\AppData\\Local",
        "TEMP": temp,
        "TMP": temp,
        "COMPUTERNAME": host.spec.computer_name,
        "SYSTEMDRIVE": "C:",
        "SYSTEMROOT": "C:\\Windows",
        "WINDIR": "C:\\Windows",
        "PROGRAMDATA": "C:\\ProgramData",
        "PROGRAMFILES": "C:\\Program Files",
        "PROGRAMFILES(X86)": "C:\\Program Files (x86)",
    }


def expand_variables(text: str, variables: dict[str, str]) -> str:
    """[Environment]::ExpandEnvironmentVariables: unknown names stay as they are."""
    return _VARIABLE.sub(lambda m: variables.get(m.group(1).upper(), m.group(0)), text)
