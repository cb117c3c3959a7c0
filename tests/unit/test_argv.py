"""The controller's command line for a site tool reads back, by CommandLineToArgvW's rules,
as exactly the arguments given: each element reaches the tool as one argument, whatever it
holds. The twin's reading (scada_twin.agent.site_tools) is written apart from the quoting, from
Microsoft's "Parsing C command-line arguments"."""

from __future__ import annotations

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils._argv import command_line, quote
from scada_twin.agent.site_tools import split_command_line


@pytest.mark.parametrize("argv", [
    ["--engine", "E1"],
    ["E1\"; Remove-Item C:\\ -Recurse; '$(whoami)`|&<>"],
    ["a b", "c\\\\", "d\\\"e", ""],
    ["x\\y\\", "tab\there", "trailing\\"],
    ["%PATH%", "^&", "é€😀"],
])
def test_arguments_survive_the_command_line(argv):
    assert split_command_line(command_line(argv)) == argv


def test_plain_arguments_are_not_quoted():
    assert command_line(["--engine", "E1"]) == "--engine E1"
    assert quote("") == '""'
