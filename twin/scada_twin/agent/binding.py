"""PowerShell's parameter binding, for the agent's verbs: what ``& $verb @arguments`` does.

The agent splats each call's JSON arguments onto the verb's ``param`` block. PowerShell then
refuses what a real host refuses, so the twin does too (Microsoft, about_Splatting and
about_Functions_Advanced_Parameters; the conversions of about_Type_Conversion):

- a name the block does not declare: "A parameter cannot be found that matches parameter name"
  (only in an advanced script, one with [CmdletBinding()] or a [Parameter()] attribute; a plain
  script puts such a name into $args without a word, about_Functions_Advanced);
- a Mandatory parameter not given (non-interactive): "missing mandatory parameters";
- a Mandatory [string] given "" or $null, unless [AllowEmptyString()]: "Cannot bind argument";
- a value its type cannot take: [int]/[long]/[double] from text that is no number, [bool] and
  [switch] from anything but a Boolean or a number, [hashtable] from the PSCustomObject that
  ConvertFrom-Json gives;
- [string] from an object or a list is no error: PowerShell converts it ("@{a=1}", "a b");
- a number outside [ValidateRange(min, max)]: "Cannot validate argument on parameter"
  (Microsoft, "ValidateRangeAttribute"; the twin reads numeric bounds only).

Unbound parameters take their default, else their type's (``""``, 0, $false, $null).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

#: What the agent reports of a binding failure: the exception's type, no category of its own.
EXCEPTION_TYPE = "System.Management.Automation.ParameterBindingException"
_PARAMETER = re.compile(
    r"(?P<attributes>(?:\[[A-Za-z]+\([^\]]*\)\]\s*)*)"
    r"(?:\[(?P<type>[A-Za-z.]+(?:\[\])?)\]\s*)?"
    r"\$(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?:\s*=\s*(?P<default>.+))?$", re.S)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_RANGE = re.compile(r"\[ValidateRange\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)\]", re.I)
_TYPE_DEFAULTS = {"string": "", "int": 0, "long": 0, "double": 0.0, "bool": False,
                  "switch": False}


class BindingError(Exception):
    """A ParameterBindingException, with PowerShell's wording."""


@dataclasses.dataclass(frozen=True)
class Parameter:
    name: str
    type: str            # lower-case PowerShell type name, "object" when untyped
    mandatory: bool
    allow_empty: bool
    default: Any
    valid_range: tuple[int, int] | None = None


class Signature(list):
    """A param block's parameters, and whether the script is advanced."""

    advanced: bool = False


def parse_param_block(script: str) -> Signature:
    """The parameters of a verb script's top-level ``param(...)`` block."""
    start = re.search(r"^param\(", script, re.M)
    if start is None:
        raise BindingError("the verb has no param block")
    body = _balanced(script, start.end() - 1)
    signature = Signature(_parameter(text.strip()) for text in _split_top_level(body) if text.strip())
    signature.advanced = ("[CmdletBinding(" in script[:start.start()]
                          or "[Parameter(" in body)
    return signature


def bind(parameters: list[Parameter], given: dict[str, Any], verb: str) -> dict[str, Any]:
    """The variables the verb sees, bound from ``given`` as PowerShell binds a splat."""
    by_name = {p.name.lower(): p for p in parameters}
    advanced = getattr(parameters, "advanced", True)
    given = {k: v for k, v in given.items() if advanced or k.lower() in by_name}
    for name in given:
        if name.lower() not in by_name:
            raise BindingError(f"A parameter cannot be found that matches parameter name "
                               f"'{name}'. ({verb})")
    supplied = {name.lower(): value for name, value in given.items()}
    missing = [p.name for p in parameters if p.mandatory and p.name.lower() not in supplied]
    if missing:
        raise BindingError(f"Cannot process command because of one or more missing mandatory "
                           f"parameters: {' '.join(missing)}. ({verb})")
    bound = {}
    for parameter in parameters:
        if parameter.name.lower() in supplied:
            bound[parameter.name] = _convert(parameter, supplied[parameter.name.lower()], verb)
            _check_range(parameter, bound[parameter.name], verb)
        else:
            bound[parameter.name] = parameter.default
    return bound


def _check_range(parameter: Parameter, value: Any, verb: str) -> None:
    if parameter.valid_range is None:
        return
    low, high = parameter.valid_range
    if value < low:
        raise BindingError(f"Cannot validate argument on parameter '{parameter.name}'. The {value} "
                           f"argument is less than the minimum allowed range of {low}. Supply an "
                           f"argument that is greater than or equal to {low} and then try the "
                           f"command again. ({verb})")
    if value > high:
        raise BindingError(f"Cannot validate argument on parameter '{parameter.name}'. The {value} "
                           f"argument is greater than the maximum allowed range of {high}. Supply "
                           f"an argument that is less than or equal to {high} and then try the "
                           f"command again. ({verb})")


def _convert(parameter: Parameter, value: Any, verb: str) -> Any:
    kind = parameter.type
    if kind.endswith("[]"):
        items = value if isinstance(value, list) else [value]
        element = dataclasses.replace(parameter, type=kind[:-2], mandatory=False)
        return None if value is None else [_convert(element, item, verb) for item in items]
    if kind == "string":
        text = _as_string(value)
        if parameter.mandatory and not parameter.allow_empty and text == "":
            raise BindingError(f"Cannot bind argument to parameter '{parameter.name}' because "
                               f"it is an empty string. ({verb})")
        return text
    if kind in ("int", "long", "double"):
        return _number(parameter, value, verb)
    if kind in ("bool", "switch"):
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return value != 0
        raise BindingError(f"Cannot process argument transformation on parameter "
                           f"'{parameter.name}'. Cannot convert value \"{_as_string(value)}\" "
                           f"to type \"System.Boolean\". Boolean parameters accept only Boolean "
                           f"values and numbers. ({verb})")
    if kind == "hashtable" and value is not None:
        raise BindingError(f"Cannot process argument transformation on parameter "
                           f"'{parameter.name}'. Cannot convert the value of type "
                           f"\"System.Management.Automation.PSCustomObject\" to type "
                           f"\"System.Collections.Hashtable\". ({verb})")
    return value


def _number(parameter: Parameter, value: Any, verb: str) -> Any:
    if isinstance(value, bool):
        number: Any = int(value)
    elif isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str) and _NUMBER.match(value.strip()):
        number = float(value)
    elif value is None:
        number = 0
    else:
        raise BindingError(f"Cannot process argument transformation on parameter "
                           f"'{parameter.name}'. Cannot convert value \"{_as_string(value)}\" "
                           f"to type \"System.{parameter.type.capitalize()}\". ({verb})")
    return float(number) if parameter.type == "double" else int(round(number))


def _as_string(value: Any) -> str:
    """PowerShell's [string] conversion of a JSON value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list):
        return " ".join(_as_string(item) for item in value)
    if isinstance(value, dict):
        return "@{" + "; ".join(f"{k}={_as_string(v)}" for k, v in value.items()) + "}"
    return str(value)


def _parameter(text: str) -> Parameter:
    match = _PARAMETER.match(text)
    if match is None:
        raise BindingError(f"cannot read the parameter declaration {text!r}")
    attributes = match.group("attributes") or ""
    kind = (match.group("type") or "object").lower()
    mandatory = re.search(r"Mandatory(?!\s*=\s*\$false)", attributes, re.I) is not None
    default_text = match.group("default")
    if default_text is None:
        default = None if kind.endswith("[]") else _TYPE_DEFAULTS.get(kind)
    else:
        default = _literal(default_text.strip())
    bounds = _RANGE.search(attributes)
    return Parameter(match.group("name"), kind, mandatory, "AllowEmptyString" in attributes,
                     default, (int(bounds.group(1)), int(bounds.group(2))) if bounds else None)


def _literal(text: str) -> Any:
    """A default value as the verbs write them: $true, $false, $null, numbers, '...', @()."""
    lowered = text.lower()
    if lowered in ("$true", "$false"):
        return lowered == "$true"
    if lowered == "$null":
        return None
    if text == "@()":
        return []
    if _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    raise BindingError(f"cannot read the default value {text!r}")


def _balanced(text: str, open_index: int) -> str:
    depth = 0
    for index in range(open_index, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return text[open_index + 1:index]
    raise BindingError("the param block is not closed")


def _split_top_level(body: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in body:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts
