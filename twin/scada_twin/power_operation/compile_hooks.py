"""The citect.ini compile hooks: what command the compiler would run after a compile.

``ProjectCompile`` returns no error count; the documented way to learn the result is
``[CtEdit]CompileSuccessfulCommand`` / ``[CtEdit]CompileUnsuccessfulCommand``: a command line
run after the compile, with ``%Name%`` replacement strings filled in (``^%`` is a literal
``%``). A replacement string the hook does not define makes the compiler skip the command
with a warning. :func:`run_hook` returns the expanded line and the values; the compiler runs
the line (:mod:`..cmd`).

Replacement strings (vendor list): ``CtEnvProject``, ``CtEnvProjectPath``, ``CtEnvErrors``,
``CtEnvWarnings`` (successful compile only), ``CtEnvIncludeProjects`` (comma-separated; the
separator is the twin's assumption), ``CtEnvBinPath``, ``CtEnvIniPath``, ``CtEnvLogPath``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Mapping

from .ini import IniDocument
from .install import CTEDIT

SUCCESS_KEY = "CompileSuccessfulCommand"
FAILURE_KEY = "CompileUnsuccessfulCommand"
_TOKEN = re.compile(r"\^%|%([^%\s]+)%")


@dataclasses.dataclass(frozen=True)
class HookRun:
    key: str                   # the [CtEdit] key that was consulted
    template: str              # the configured command line
    values: Mapping[str, str]  # the replacement strings this hook defines
    command: str | None        # the expanded line; None when the compiler skipped it
    warning: str | None        # why it was skipped


def hook_values(*, success: bool, project: str, project_path: str, errors: int,
                warnings: int, includes: list[str], bin_path: str, ini_path: str,
                log_path: str) -> dict[str, str]:
    values = {
        "CtEnvProject": project,
        "CtEnvProjectPath": project_path,
        "CtEnvErrors": str(errors),
        "CtEnvIncludeProjects": ",".join(includes),
        "CtEnvBinPath": bin_path,
        "CtEnvIniPath": ini_path,
        "CtEnvLogPath": log_path,
    }
    if success:
        values["CtEnvWarnings"] = str(warnings)
    return values


def expand(template: str, values: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(expanded line, None), or (None, warning) when a replacement string is undefined."""
    lookup = {k.lower(): v for k, v in values.items()}
    undefined: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "^%":
            return "%"
        name = match.group(1)
        if name.lower() not in lookup:
            undefined.append(name)
            return match.group(0)
        return lookup[name.lower()]

    line = _TOKEN.sub(replace, template)
    if undefined:
        return None, (f"undefined replacement string %{undefined[0]}%: "
                      f"the compile command was not run")
    return line, None


def run_hook(document: IniDocument, success: bool,
             values: Mapping[str, str]) -> HookRun | None:
    """What the compiler does with the hook for this outcome; None when none is configured."""
    key = SUCCESS_KEY if success else FAILURE_KEY
    template = document.get(CTEDIT, key) or ""
    if not template.strip():
        return None
    command, warning = expand(template, values)
    return HookRun(key, template, dict(values), command, warning)
