"""The twin's model of PowerShell parameter binding (about_Splatting,
about_Functions_Advanced_Parameters): the traps a verb's caller meets on a real host."""

from __future__ import annotations

import pytest

from scada_twin.agent.binding import BindingError, bind, parse_param_block

SCRIPT = """# scada.redundancy:verb example
param(
    [Parameter(Mandatory = $true)][string]$path,
    [Parameter(Mandatory = $true)][AllowEmptyString()][string]$text,
    [string[]]$names = @(),
    [int]$count = 3,
    [bool]$force = $false,
    [hashtable]$table,
    [double]$seconds,
    $anything
)
body
"""
PARAMS = parse_param_block(SCRIPT)


def test_the_block_is_read_with_types_defaults_and_attributes():
    by_name = {p.name: p for p in PARAMS}
    assert [p.name for p in PARAMS] == ["path", "text", "names", "count", "force", "table",
                                        "seconds", "anything"]
    assert by_name["path"].mandatory and not by_name["path"].allow_empty
    assert by_name["text"].allow_empty
    assert (by_name["names"].type, by_name["names"].default) == ("string[]", [])
    assert (by_name["count"].default, by_name["force"].default) == (3, False)
    assert by_name["anything"].type == "object"


def test_unbound_parameters_take_their_default_or_their_types():
    bound = bind(PARAMS, {"path": "C:\\x", "text": ""}, "example")
    assert bound == {"path": "C:\\x", "text": "", "names": [], "count": 3, "force": False,
                     "table": None, "seconds": 0.0, "anything": None}


def test_names_bind_case_insensitively_and_values_convert_as_powershell_converts():
    bound = bind(PARAMS, {"PATH": "p", "text": {"a": 1}, "names": "one", "count": "7",
                          "force": 1}, "example")
    assert bound["path"] == "p"
    assert bound["text"] == "@{a=1}", "[string] takes an object's text, no error"
    assert bound["names"] == ["one"], "a scalar becomes a one-element array"
    assert (bound["count"], bound["force"]) == (7, True)


@pytest.mark.parametrize("given, message", [
    ({"path": "p", "text": "", "extra": 1}, "cannot be found that matches parameter name 'extra'"),
    ({"text": ""}, "missing mandatory parameters: path"),
    ({"path": None, "text": ""}, "because it is an empty string"),
    ({"path": "p", "text": "", "count": "many"}, 'Cannot convert value "many" to type "System.Int'),
    ({"path": "p", "text": "", "force": "false"}, "Boolean parameters accept only Boolean values"),
    ({"path": "p", "text": "", "table": {"a": 1}}, "PSCustomObject"),
])
def test_what_a_real_host_refuses_is_refused(given, message):
    with pytest.raises(BindingError, match=message.replace("(", r"\(").replace(".", r"\.")):
        bind(PARAMS, given, "example")


def test_a_plain_script_takes_a_name_it_does_not_declare_silently():
    """Why every verb is an advanced script: a plain one would swallow a misspelt argument."""
    plain = parse_param_block("param(\n    [string]$patterns\n)\n")
    assert plain.advanced is False
    assert bind(plain, {"pattern": "x"}, "plain") == {"patterns": ""}
    advanced = parse_param_block("[CmdletBinding()]\nparam(\n    [string]$patterns\n)\n")
    with pytest.raises(BindingError, match="parameter name 'pattern'"):
        bind(advanced, {"pattern": "x"}, "advanced")


def test_a_number_outside_its_validate_range_is_refused():
    ranged = parse_param_block("# scada.redundancy:verb ranged\n[CmdletBinding()]\nparam(\n"
                               "    [Parameter(Mandatory = $true)][ValidateRange(1, 64)][int]$length\n)\n")
    assert bind(ranged, {"length": 64}, "ranged") == {"length": 64}
    with pytest.raises(BindingError, match="less than the minimum allowed range of 1"):
        bind(ranged, {"length": 0}, "ranged")
    with pytest.raises(BindingError, match="greater than the maximum allowed range of 64"):
        bind(ranged, {"length": "65"}, "ranged")
