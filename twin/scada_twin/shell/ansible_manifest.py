"""ansible-core 2.19+'s way of running its own scripts: bootstrap_wrapper.ps1 fed a manifest.

The wrapper is constant; what it runs comes on stdin, in parts separated by a line of four NUL
characters (see ``_bootstrap_powershell_script`` and ``_get_bootstrap_input`` in
ansible/executor/powershell/module_manifest.py):

1. ``{"name": "exec_wrapper", "script": <exec_wrapper.ps1>, "params": {...}}``, which the
   wrapper turns into a script block and pipes the rest of stdin to;
2. the exec manifest ``{"scripts": {NAME: {"script", "path"}}, "actions": [{"name", "params",
   "secure_params"}], "signed_hashlist": [...]}``, which exec_wrapper reads;
3. for put_file only, the data the action reads: one base64 line per chunk.

The twin recognises the wrapper by statements that 2.19 (full text) and 2.21 (comments
stripped) share, then serves the manifest's single action by its name -- never by comparing
script text -- and refuses any other action (modules, become, async) naming it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable, Iterator

from . import ansible_transfer

if TYPE_CHECKING:
    from ..host import Host
    from .process import ProcessIO

SEPARATOR = b"\0\0\0\0"
CLIENT = "ansible-core 2.19+ manifest"
# Statements of bootstrap_wrapper.ps1 present in every version since 2.19, whitespace-collapsed.
_WRAPPER_STATEMENTS = (
    'if ([string]::Equals($in, "`0`0`0`0")) {',
    "ConvertFrom-Json",
    "[System.Management.Automation.Language.Parser]::ParseInput( $code.script,",
    "& $cmd @splat",
)

_Action = Callable[["Host", "ProcessIO", str, dict[str, Any], Iterator[bytes]], int]


class ManifestError(Exception):
    """The input is not what exec_wrapper can run; the message is printed on stderr."""


def is_bootstrap_wrapper(script: str) -> bool:
    text = _collapse(script)
    return all(_collapse(statement) in text for statement in _WRAPPER_STATEMENTS)


def serve(host: "Host", io: "ProcessIO", user: str, arguments: tuple[str, ...]) -> int:
    """Run the one action the manifest on stdin names, as exec_wrapper would."""
    lines = io.lines()
    try:
        if arguments:
            raise ManifestError("scada twin: bootstrap_wrapper.ps1 reading its input from a file "
                                "(-InputFile, ansible without pipelining) is not supported")
        name, params = _read_action(lines)
        action = _ACTIONS.get(name.lower())
        if action is None:
            raise ManifestError(f"scada twin: unsupported ansible-core action "
                                f"{_describe(name, params)}: the twin only runs ansible-core's "
                                f"file transfer ({', '.join(_ACTIONS)}) and the scada.redundancy "
                                f"operations")
        return action(host, io, user, params, lines)
    except ManifestError as exc:
        for _ in lines:  # take the rest of stdin so the client's Sends all land
            pass
        io.write_stderr(f"{exc}\r\n")
        return 1


def _read_action(lines: Iterator[bytes]) -> tuple[str, dict[str, Any]]:
    """Read parts 1 and 2; return the single action's name and its parameters."""
    bootstrap = _json_part(lines, "bootstrap input")
    if not isinstance(bootstrap, dict) or bootstrap.get("name") != "exec_wrapper" \
            or not isinstance(bootstrap.get("script"), str):
        raise ManifestError("scada twin: the bootstrap wrapper's input does not start "
                            "ansible-core's exec_wrapper")
    manifest = _json_part(lines, "exec manifest")
    actions = manifest.get("actions") if isinstance(manifest, dict) else None
    scripts = manifest.get("scripts") if isinstance(manifest, dict) else None
    if not isinstance(actions, list) or not actions or not isinstance(scripts, dict) \
            or not all(isinstance(a, dict) and isinstance(a.get("name"), str) for a in actions):
        raise ManifestError("scada twin: the exec manifest has no actions to run")
    if len(actions) > 1:
        names = ", ".join(repr(a["name"]) for a in actions)
        raise ManifestError(f"scada twin: unsupported ansible-core actions {names}: the twin only "
                            f"runs one file-transfer action per command")
    name = actions[0]["name"]
    if name not in scripts:
        raise ManifestError(f"Could not find the script '{name}' in the exec manifest.")
    params = actions[0].get("params") or {}
    if not isinstance(params, dict):
        raise ManifestError(f"scada twin: the parameters of '{name}' are not an object")
    return name, params


def _json_part(lines: Iterator[bytes], what: str) -> Any:
    """One stdin part: the lines up to a separator line or the end of input, as JSON."""
    collected = []
    for line in lines:
        if line == SEPARATOR:
            break
        collected.append(line)
    try:
        return json.loads(b"\n".join(collected))
    except ValueError as exc:
        raise ManifestError(f"scada twin: the {what} on stdin is not JSON ({exc})") from None


# -- the actions, by the script name ansible-core gives them ----------------------------------
def _put(host: "Host", io: "ProcessIO", user: str, params: dict[str, Any],
         lines: Iterator[bytes]) -> int:
    return ansible_transfer.put_file(host, io, _text(params, "Path"), lines, user, CLIENT)


def _fetch(host: "Host", io: "ProcessIO", user: str, params: dict[str, Any],
           lines: Iterator[bytes]) -> int:
    return ansible_transfer.fetch_file(host, io, _text(params, "Path"),
                                       _integer(params, "BufferSize"), _integer(params, "Offset"),
                                       user, CLIENT)


def _mkdtemp(host: "Host", io: "ProcessIO", user: str, params: dict[str, Any],
             lines: Iterator[bytes]) -> int:
    return ansible_transfer.make_temp_dir(host, io, _text(params, "Directory"),
                                          _text(params, "Name"), user)


def _expand_user(host: "Host", io: "ProcessIO", user: str, params: dict[str, Any],
                 lines: Iterator[bytes]) -> int:
    return ansible_transfer.expand_user(host, io, _text(params, "Path"), user)


_ACTIONS: dict[str, _Action] = {
    "winrm_put_file.ps1": _put,
    "winrm_fetch_file.ps1": _fetch,
    "powershell_mkdtemp.ps1": _mkdtemp,
    "powershell_expand_user.ps1": _expand_user,
}


def _parameter(params: dict[str, Any], name: str) -> Any:
    """A splatted parameter: PowerShell matches names without regard to case."""
    for key, value in params.items():
        if key.lower() == name.lower() and value is not None:
            return value
    raise ManifestError(f"Cannot process command because of one or more missing mandatory "
                        f"parameters: {name}.")


def _text(params: dict[str, Any], name: str) -> str:
    value = _parameter(params, name)
    if isinstance(value, (dict, list)):
        raise ManifestError(f"Cannot convert the value of parameter '{name}' to a string.")
    return str(value)


def _integer(params: dict[str, Any], name: str) -> int:
    value = _parameter(params, name)
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        return int(value)
    except (TypeError, ValueError):
        raise ManifestError(f"Cannot convert value \"{value}\" of parameter '{name}' to an "
                            f"integer.") from None


def _describe(name: str, params: dict[str, Any]) -> str:
    """'module_wrapper.ps1' (running ansible.windows.win_ping.ps1), for refusals."""
    script = next((v for k, v in params.items() if k.lower() == "script"), None)
    return f"'{name}' (running {script})" if isinstance(script, str) else f"'{name}'"


def _collapse(text: str) -> str:
    return " ".join(text.split())
